package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The salt a {@code hash} step reads from {@code saltEnv} is part of the request, as a {@code
 * ${NAME}} value is: another salt is other work, never "already succeeded", and {@code --resume}
 * never mixes the hashes of two salts in one output (sweep 8, #3).
 */
class SaltRequestTest {
  @Test
  void anotherSaltIsAnotherRequestAndItsDigestIsRecorded(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("in.jsonl"), "{\"email\":\"ada@x.org\"}\n");
    Files.writeString(dir.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "source: { type: file, path: in.jsonl }",
        "processors:",
        "  - { id: pseudo, type: hash, config: { fields: [email], saltEnv: SALT } }",
        "sink: { type: file, path: out.jsonl }",
        ""));
    CliHarness wiz = new CliHarness(dir);
    wiz.env.put("SALT", "old-salt");
    JsonNode first = Json.mapper().readTree(wiz.run("run", "p.yaml", "--format", "json").out());
    assertEquals("success", first.path("status").asText(), first.toString());
    String old = Files.readString(dir.resolve("out.jsonl"));

    CliHarness.Result same = wiz.run("run", "p.yaml");
    assertEquals(6, same.code(), "the same salt is the same request: " + same);

    wiz.env.put("SALT", "new-salt");
    CliHarness.Result again = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, again.code(), "another salt is other work, not 'already succeeded': " + again);
    JsonNode second = Json.mapper().readTree(again.out());
    assertNotEquals(old, Files.readString(dir.resolve("out.jsonl")));

    JsonNode run = Json.mapper().readTree(Files.readString(Path.of(second.path("runRecord").asText())));
    assertEquals(Json.digest("new-salt"), run.at("/environment/SALT").asText(), run.toString());
    assertFalse(run.toString().contains("new-salt"), "the value itself is never recorded");
    assertNotEquals(first.path("runId").asText(), second.path("runId").asText());
    String firstRequest = Json.mapper().readTree(Files.readString(Path.of(first.path("runRecord").asText())))
        .path("requestKey").asText();
    assertNotEquals(firstRequest, run.path("requestKey").asText());

    // The step's config digest in provenance tells the two salts apart too.
    assertNotEquals(stepDigest(first), stepDigest(second));
  }

  private static String stepDigest(JsonNode summary) throws Exception {
    for (String line : Files.readAllLines(Path.of(summary.path("provenance").asText()))) {
      JsonNode e = Json.mapper().readTree(line);
      for (JsonNode p : e.findValues("configDigest")) {
        if (line.contains("\"pseudo\"")) return p.asText();
      }
    }
    throw new AssertionError("no step pseudo in " + summary);
  }
}

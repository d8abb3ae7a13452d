package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A seed is any 64-bit number, beyond what a double holds exactly (2^53): run.json, the
 * provenance log and {@code provenance show --format json} write all its digits, as JSON numbers
 * (a reader that parses numbers as doubles, such as jq 1.6 and JavaScript, rounds them: README
 * says so), and the text of {@code provenance show} and the PROV export, as strings, the same.
 */
class SeedDigitsTest extends JimfsCliTest {
  private static final long SEED = 9007199254740993L; // 2^53 + 1: a double reads 2^53

  @Test
  void seedsBeyond2To53AreWrittenWithAllTheirDigits() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n");
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "name: seeds",
        "source: { type: file, path: in.jsonl }",
        "processors:",
        "  - { id: some, type: sample, config: { fraction: 0.5 } }",
        "sink: { type: file, path: out.jsonl }",
        "run: { seed: " + SEED + " }",
        ""));
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    String runId = Json.mapper().readTree(r.out()).get("runId").asText();
    Path runDir = work.resolve(".wiz/runs/" + runId);
    String runJson = Files.readString(runDir.resolve("run.json"));
    assertTrue(Pattern.compile("\"seed\" ?: ?" + SEED + "\\b").matcher(runJson).find(), "the configured seed's digits: " + runJson);
    assertEquals(SEED, Json.mapper().readTree(runJson).get("seed").longValue());

    // The step's seed in the log, as text: what a reader that keeps integers exact reads.
    List<String> logged = new ArrayList<>();
    Matcher m = Pattern.compile("\"seed\" ?: ?(-?[0-9]+)").matcher(Files.readString(runDir.resolve("provenance.jsonl")));
    while (m.find()) logged.add(m.group(1));
    assertTrue(!logged.isEmpty(), "the sample step's seed is logged");
    String seed = logged.get(0);
    assertTrue(Math.abs((double) Long.parseLong(seed)) > 9007199254740992.0, "a seed past 2^53, as most are: " + seed);

    String chunk = Json.mapper().readTree(wiz.run("provenance", "list", "--format", "json").out()).at("/0/chunk").asText();
    CliHarness.Result text = wiz.run("provenance", "show", chunk);
    assertTrue(text.out().contains("\n            seed    " + seed + "\n"), text.out());
    CliHarness.Result json = wiz.run("provenance", "show", chunk, "--format", "json");
    assertTrue(json.out().contains(" " + seed + "\n") || json.out().contains(" " + seed + ",") || json.out().contains(":" + seed),
        "show --format json has every digit: " + json.out());
    CliHarness.Result prov = wiz.run("provenance", "export", "--format", "prov");
    assertTrue(prov.out().contains("\"$\" : \"" + seed + "\""), "a typed literal's text: " + prov.out());
    JsonNode doc = Json.mapper().readTree(prov.out());
    assertTrue(doc.toString().contains("\"type\":\"xsd:long\""), "typed xsd:long");
  }
}

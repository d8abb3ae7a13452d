package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A value from the environment never reaches what a run writes or prints, even when a runtime
 * message quotes it next to a record's value (in full or cut short): errors, the run and request
 * records, dead letters, provenance events and graph labels say {@code ${NAME}}.
 */
class SecretsStayOutTest extends JimfsCliTest {
  private static final String SECRET = "s3cr3t-value-123";

  @BeforeEach
  void setUp() throws IOException {
    wiz.env.put("API_TOKEN", SECRET);
    Files.writeString(work.resolve("in.jsonl"), "{\"n\":1}\n{\"n\":\"" + "x" + "\"}\n");
  }

  private void pipeline(String onError) throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: sec\nsource: { type: file, path: in.jsonl }\n"
        + "processors:\n  - { id: tag, type: jq, config: { program: '.n - \"${API_TOKEN}\"' } }\n"
        + "  - { id: keep, type: filter, config: { where: '.a != \"${API_TOKEN}\"' } }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: " + onError + " }\n");
  }

  /** Every file under the folder that holds the secret. */
  private List<String> leaks() throws IOException {
    try (Stream<Path> all = Files.walk(work)) {
      return all.filter(Files::isRegularFile).filter(f -> {
        try {
          return new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8).contains("s3cr3t");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(Path::toString).toList();
    }
  }

  @Test
  void aFailedRunsMessageAndRecordsSayTheVariableNotItsValue() throws IOException {
    pipeline("fail");
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(4, r.code(), r.toString());
    assertFalse(r.err().contains("s3cr3t") || r.out().contains("s3cr3t"), r.toString());
    assertTrue(r.err().contains("string (\"${API_TOKEN}) cannot be subtracted"), "cut short, still redacted: " + r.err());
    assertEquals(List.of(), leaks(), "run.json, the request record and the provenance log");
  }

  @Test
  void deadLettersAndProvenanceEventsSayTheVariableNotItsValue() throws IOException {
    pipeline("dead-letter");
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(5, r.code(), r.toString());
    assertFalse(r.err().contains("s3cr3t"), r.err());
    assertEquals(List.of(), leaks());
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      Path run = runs.findFirst().orElseThrow();
      String dead = Files.readString(run.resolve("dead-letter.jsonl"));
      assertTrue(dead.contains("${API_TOKEN}"), dead);
    }
  }

  @Test
  void graphLabelsSayTheVariableNotItsValue() throws IOException {
    pipeline("fail");
    for (String format : List.of("dot", "mermaid", "json")) {
      CliHarness.Result g = wiz.run("graph", "p.yaml", "--format", format);
      assertEquals(0, g.code(), g.toString());
      assertFalse(g.out().contains("s3cr3t"), format + ": " + g.out());
      assertTrue(g.out().contains("${API_TOKEN}"), format + ": " + g.out());
    }
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A jq program that overflows the stack on one record makes that record an error of its step, as
 * a jq error is: run.onError fails the run at the record's line (exit 4, the same as before, now
 * named), or skips or dead-letters it while the rest is written (exit 5).
 */
class StackOverflowRunTest extends JimfsCliTest {
  private static final String WHY = "jq: recursion or nesting too deep (stack overflow) on this record: give wiz's threads"
      + " a larger stack (WIZ_JAVA_OPTS=-Xss8m bin/wiz ...), make the program recurse less (reduce or range instead of"
      + " a function that calls itself once per step) or nest the record less";

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), "{\"ok\":1}\n{\"ok\":-100000}\n{\"ok\":3}\n");
  }

  private void pipeline(String onError) throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: so\nsource: { type: file, path: in.jsonl, format: jsonl }\n"
        + "processors:\n  - id: deep\n    type: jq\n"
        + "    config: { program: 'def f: if . < 0 then .+1|f else . end; .ok | f' }\n"
        + "sink: { type: file, path: out.jsonl, format: jsonl }\n"
        + "run: { onError: " + onError + " }\n");
  }

  @Test
  void withOnErrorFailTheRunFailsAtTheRecordsLineAndSaysWhatToDo() throws IOException {
    pipeline("fail");
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().matches("(?s)wiz: run failed: in\\.jsonl:2: processor 'deep' \\(jq\\): " + java.util.regex.Pattern.quote(WHY)
        + " \\(chunk so-[0-9a-f]{8}-000000\\); set run\\.onError to skip or dead-letter to go on past bad records\n.*"), r.err());
    assertFalse(r.err().contains("at dev.wiz"), "no stack trace");
    assertFalse(Files.exists(work.resolve("out.jsonl")));
  }

  @Test
  void withOnErrorDeadLetterTheRecordIsADeadLetterAndTheOthersAreWritten() throws IOException {
    pipeline("dead-letter");
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(5, r.code(), r.toString());
    JsonNode summary = Json.mapper().readTree(r.out());
    assertEquals("completed-with-errors", summary.get("status").asText(), summary.toString());
    assertEquals(List.of(3, 2, 1, 0, 0), List.of(summary.get("read").asInt(), summary.get("written").asInt(),
        summary.get("deadLettered").asInt(), summary.get("skipped").asInt(), summary.get("filtered").asInt()),
        "read = written + filtered + skipped + dead-lettered: " + summary);
    assertEquals("1\n3\n", Files.readString(work.resolve("out.jsonl")));
    JsonNode dead;
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      Path run = runs.findFirst().orElseThrow();
      List<String> lines = Files.readAllLines(run.resolve("dead-letter.jsonl"));
      assertEquals(1, lines.size(), lines.toString());
      dead = Json.mapper().readTree(lines.get(0));
    }
    assertEquals("deep", dead.get("processor").asText());
    assertEquals(WHY, dead.get("reason").asText());
    assertEquals(2, dead.get("line").asInt());
    assertEquals("{\"ok\":-100000}", dead.get("record").toString());

    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());

    CliHarness.Result human = wiz.run("run", "p.yaml", "--force");
    assertEquals(5, human.code(), human.toString());
    assertTrue(human.err().contains("  deep:         3 in, 2 out, 1 dead-lettered\n"
        + "  records:      3 read = 2 written + 0 filtered + 0 skipped + 1 dead-lettered\n"), human.err());
  }
}

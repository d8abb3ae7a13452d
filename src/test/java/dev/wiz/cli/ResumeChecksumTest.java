package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --checksum} makes another request of the same pipeline and inputs: {@code --resume}
 * without the flag the unfinished run had says so, rather than that something changed.
 */
class ResumeChecksumTest extends JimfsCliTest {
  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: ck\nsource: { type: file, path: in.jsonl }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - { id: boom, type: jq, config: { program: 'if .id == 25 then error(\"x\") else . end' } }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 1, onError: fail, commitMillis: 0, maxFailures: 9 }\n");
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 40).mapToObj(i -> "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n")));
  }

  private String runId(String... args) throws IOException {
    CliHarness.Result r = wiz.run(args);
    assertEquals(4, r.code(), r.toString());
    return Json.mapper().readTree(r.out()).get("runId").asText();
  }

  private JsonNode dryResume(String... more) throws IOException {
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("run", "p.yaml", "--resume", "--dry-run",
        "--format", "json"), java.util.stream.Stream.of(more)).toArray(String[]::new);
    CliHarness.Result r = wiz.run(args);
    assertEquals(0, r.code(), r.toString());
    return Json.mapper().readTree(r.out());
  }

  @Test
  void resumeWithoutTheChecksumFlagOfTheUnfinishedRunSaysSo() throws IOException {
    String failed = runId("run", "p.yaml", "--checksum", "--format", "json");
    assertEquals("nothing to resume: no failed, crashed or interrupted run of this request (run " + failed + " of this"
        + " pipeline file ended failed, on the same pipeline and inputs, but it was run with --checksum, which makes this"
        + " another request; starting over: run again with --checksum to resume it)", dryResume().get("resume").asText());
    assertEquals(failed, dryResume("--checksum").at("/resumeFrom/runId").asText(), "with the flag, it goes on from it");
  }

  @Test
  void resumeWithTheChecksumFlagOfARunWithoutItSaysSo() throws IOException {
    String plain = runId("run", "p.yaml", "--format", "json");
    assertEquals("nothing to resume: no failed, crashed or interrupted run of this request (run " + plain + " of this"
        + " pipeline file ended failed, on the same pipeline and inputs, but it was run without --checksum, which makes"
        + " this another request; starting over: run again without --checksum to resume it)",
        dryResume("--checksum").get("resume").asText());
  }

  @Test
  void anInputThatChangedIsStillSaidToHaveChanged() throws IOException {
    String failed = runId("run", "p.yaml", "--checksum", "--format", "json");
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n", java.nio.file.StandardOpenOption.APPEND);
    assertEquals("nothing to resume: no failed, crashed or interrupted run of this request (run " + failed + " of this"
        + " pipeline file ended failed, but input in.jsonl has changed since, which makes this another request;"
        + " starting over)", dryResume().get("resume").asText());
  }
}

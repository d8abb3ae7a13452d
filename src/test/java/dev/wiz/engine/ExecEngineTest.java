package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.pipeline.OnError;
import dev.wiz.pipeline.ProcessorSpec;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processors.ExecFactory;
import dev.wiz.provenance.ProvenanceLog;
import dev.wiz.provenance.ProvenanceReader;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exec processor inside the engine: a failing program costs its chunk, not the run. */
class ExecEngineTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

  /** Copies its input, but dies (exit 4, a line on stderr) on the record with id 13. */
  private static final String DIES_ON_13 =
      "while IFS= read -r l; do case \"$l\" in *'\"id\":13}'*) echo \"bad record $l\" >&2; exit 4;; esac;"
          + " printf '%s\\n' \"$l\"; done";

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private record Outcome(RunReport report, String output, List<String> deadLetters, boolean aborted) {}

  private Outcome run(OnError onError, int maxAttempts, ProcessorSpec spec) throws Exception {
    return run(onError, maxAttempts, List.of(spec));
  }

  /** Runs the steps (exec and refusing) on 30 records {"id":i}, in chunks of 10. */
  private Outcome run(OnError onError, int maxAttempts, List<ProcessorSpec> specs) throws Exception {
    Path dir = Files.createDirectories(fs.getPath("/state", specs.get(0).id()));
    List<String> input = IntStream.range(0, 30).mapToObj(i -> "{\"id\":" + i + "}").toList();
    MemoryIo.MemorySink sink = new MemoryIo.MemorySink();
    RunReport report;
    try (ProvenanceLog log = ProvenanceLog.create(dir.resolve("provenance.jsonl"), "00000000-run", "sha256:key", Clock.systemUTC());
        DeadLetterLog dead = new DeadLetterLog(dir.resolve("dead-letter.jsonl"))) {
      Engine engine = new Engine(new Engine.Options(2, 10, onError, maxAttempts, 42, 0),
          new Engine.Context("t", log, dead, dir.resolve("data"), () -> false), (c, r, w) -> {});
      report = engine.run(MemoryIo.jsonl("in.jsonl", input), sink,
          Step.prepare(specs, new ProcessorRegistry(List.of(new ExecFactory(), new TestProcessors.Refusing())),
              new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null)));
    }
    assertTrue(ProvenanceReader.verify(dir.resolve("provenance.jsonl")).isEmpty(), "the provenance chain verifies");
    Path dl = dir.resolve("dead-letter.jsonl");
    return new Outcome(report, sink.text(), Files.exists(dl) ? Files.readAllLines(dl) : List.of(), sink.aborted);
  }

  private static ObjectNode config(String protocol) {
    return config(protocol, DIES_ON_13);
  }

  private static ObjectNode config(String protocol, String script) {
    ObjectNode c = Json.mapper().createObjectNode();
    c.putArray("command").add("/bin/sh").add("-c").add(script);
    c.put("protocol", protocol);
    return c;
  }

  /** Answers each record with itself, and id 13 with a line more, then pauses. */
  private static final String EXTRA_ON_13 = "while IFS= read -r l; do printf '%s\\n' \"$l\";"
      + " case \"$l\" in *'\"id\":13}'*) echo '{\"extra\":13}'; sleep 0.2;; esac; done";

  private static String ids(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "{\"id\":" + i + "}\n").collect(Collectors.joining());
  }

  @Test
  void aCrashingProgramDeadLettersItsChunkAfterTheRetriesAndTheOtherChunksArrive() throws Exception {
    Outcome o = run(OnError.DEAD_LETTER, 2, new ProcessorSpec(0, "x", "exec", config("stream")));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status(), o.report().error());
    assertEquals(ids(0, 10) + ids(20, 30), o.output());
    assertEquals(10, o.report().deadLettered());
    assertEquals(10, o.deadLetters().size());
    JsonNode first = Json.mapper().readTree(o.deadLetters().get(0));
    assertEquals(10, first.get("record").get("id").asInt());
    String reason = first.get("reason").asText();
    assertTrue(reason.contains("processor 'x' (exec) failed after 2 attempts: program '/bin/sh' exited with code 4 after 3 stdout lines;"
        + " the last lines of its stderr:\n  | bad record {\"id\":13}"), reason);
  }

  @Test
  void aLineTooManyDeadLettersItsChunkAndNoAnswerIsPairedWithTheWrongRecord() throws Exception {
    Outcome o = run(OnError.DEAD_LETTER, 3, new ProcessorSpec(0, "x", "exec", config("line-per-record", EXTRA_ON_13)));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status(), o.report().error());
    assertEquals(ids(0, 10) + ids(20, 30), o.output(), "the chunk with the extra line is left out whole");
    assertEquals(10, o.deadLetters().size());
    JsonNode first = Json.mapper().readTree(o.deadLetters().get(0));
    assertEquals(10, first.get("record").get("id").asInt());
    assertEquals(1, first.get("attempts").asInt(), "a program that writes too much is not tried again");
    assertEquals("in.jsonl:11-20 (chunk t-000001): processor 'x' (exec) failed: program '/bin/sh' wrote 1 line more than"
        + " the 10 records of the chunk before it ended (line 11: \"{\\\"id\\\":19}\"), so its answers cannot be paired"
        + " with the records and none is kept; with protocol line-per-record a program must answer every record with"
        + " exactly one line and write nothing else (its stderr was empty)", first.get("reason").asText());
  }

  @Test
  void anAnswerKeepsTheLineOfTheRecordItAnswersOnlyWhenThePairingIsCertain() throws Exception {
    ProcessorSpec refuse13 = new ProcessorSpec(1, "r", "refusing", Json.mapper().createObjectNode().set("ids",
        Json.mapper().createArrayNode().add(13)));
    // line-per-record, a process per chunk: every answer is seen, each the answer to one record.
    Outcome paired = run(OnError.DEAD_LETTER, 1,
        List.of(new ProcessorSpec(0, "paired", "exec", config("line-per-record", "exec cat")), refuse13));
    assertEquals(14, Json.mapper().readTree(paired.deadLetters().get(0)).path("line").asInt(), paired.deadLetters().toString());
    // stream: the program may drop, make, merge or reorder records.
    Outcome stream = run(OnError.DEAD_LETTER, 1,
        List.of(new ProcessorSpec(0, "stream", "exec", config("stream", "exec cat")), refuse13));
    assertFalse(Json.mapper().readTree(stream.deadLetters().get(0)).has("line"), stream.deadLetters().toString());
    // A pool: a line too many that comes late may have shifted the answers of chunks passed on.
    Outcome pooled = run(OnError.DEAD_LETTER, 1,
        List.of(new ProcessorSpec(0, "pooled", "exec", config("line-per-record", "exec cat"), 1), refuse13));
    assertFalse(Json.mapper().readTree(pooled.deadLetters().get(0)).has("line"), pooled.deadLetters().toString());
  }

  @Test
  void aPooledProgramThatWritesALineAtExitFailsTheRun() throws Exception {
    String bye = "while IFS= read -r l; do printf '%s\\n' \"$l\"; done; echo '{\"bye\":1}'";
    Outcome o = run(OnError.SKIP, 1, new ProcessorSpec(0, "x", "exec", config("line-per-record", bye), 1));
    assertEquals(RunReport.Status.FAILED, o.report().status());
    assertEquals("processor 'x' (exec) failed at end of input: program '/bin/sh' wrote 1 line (\"{\\\"bye\\\":1}\") at end"
        + " of input, after answering every record it was sent: the chunks it had answered before may hold answers paired"
        + " with the wrong records, so the output is not kept (run again once the program is fixed; --resume starts"
        + " over); with protocol line-per-record a program must answer every record with exactly one line and write"
        + " nothing else", o.report().error());
    assertTrue(o.aborted(), "what was written is not kept for --resume");
    Outcome clean = run(OnError.SKIP, 1, new ProcessorSpec(0, "y", "exec", config("line-per-record", "exec cat"), 1));
    assertEquals(RunReport.Status.SUCCESS, clean.report().status(), clean.report().error());
    assertEquals(ids(0, 30), clean.output());
  }

  @Test
  void aPooledProgramWhoseAnswersShiftAfterChunksWerePassedOnFailsTheRunAtOnceAndKeepsNothing() throws Exception {
    // A second answer to the 15th record the process reads, so always after it answered a whole
    // chunk, whichever chunks it gets in whichever order: the answers after it are one line off.
    // Whatever run.onError says, the run fails and its output is not kept.
    String twice = "n=0; while IFS= read -r l; do n=$((n+1)); printf '%s\\n' \"$l\"; [ $n = 15 ] && printf '%s\\n' \"$l\"; done";
    Outcome o = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
        () -> run(OnError.DEAD_LETTER, 3, new ProcessorSpec(0, "x", "exec", config("line-per-record", twice), 1)));
    assertEquals(RunReport.Status.FAILED, o.report().status(), o.report().error());
    assertTrue(o.report().error().contains("processor 'x' (exec) failed: program '/bin/sh' wrote 1 line"), o.report().error());
    assertTrue(o.report().error().contains(": the chunks it had answered before may hold answers paired with the wrong"
        + " records, so the output is not kept (run again once the program is fixed; --resume starts over)"), o.report().error());
    assertTrue(o.aborted(), "nothing is kept for --resume to take over");
    assertTrue(o.deadLetters().isEmpty(), "no chunk is dead-lettered for it: " + o.deadLetters());
  }

  @Test
  void aPooledLongLivedProgramThatDiesIsReplacedAndTheRunGoesOn() throws Exception {
    ProcessorSpec pooled = new ProcessorSpec(0, "x", "exec", config("line-per-record"), 1);
    Outcome o = run(OnError.SKIP, 1, pooled);
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status(), o.report().error());
    assertEquals(ids(0, 10) + ids(20, 30), o.output(), "the chunks after the crash went to a fresh process");
    assertEquals(10, o.report().skipped());
    assertTrue(o.deadLetters().isEmpty());
  }
}

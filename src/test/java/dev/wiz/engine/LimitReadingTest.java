package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.io.InputFile;
import dev.wiz.io.Source;
import dev.wiz.io.SourceBatch;
import dev.wiz.pipeline.OnError;
import dev.wiz.pipeline.ProcessorSpec;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.ProvenanceLog;
import dev.wiz.provenance.ProvenanceReader;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A limit that passed its count stops the reading of the input (as head does), when every step
 * before it passes records on as it reads them; what reaches the sink is what a run that reads the
 * whole input writes.
 */
class LimitReadingTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private int runs;

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  /** What one run left, and how many batches it asked the source for (the last may have been none: the end). */
  record Outcome(RunReport report, String output, List<Event> events, List<String> deadLetters, int batchesCut) {}

  /** 1,000 records, {@code {"id":i,"ok":...}}; every 7th is not ok. */
  private static List<String> input(int n) {
    return IntStream.range(0, n).mapToObj(i -> "{\"id\":" + i + ",\"ok\":" + (i % 7 != 3) + "}").collect(Collectors.toList());
  }

  private Outcome run(List<String> input, int workers, int chunk, OnError onError, String... steps) throws Exception {
    List<ProcessorSpec> specs = new ArrayList<>();
    for (int i = 0; i < steps.length; i += 3) {
      specs.add(new ProcessorSpec(i / 3, steps[i], steps[i + 1], Json.mapper().readTree(steps[i + 2])));
    }
    Path dir = fs.getPath("/state/run" + (++runs));
    Files.createDirectories(dir);
    AtomicInteger cut = new AtomicInteger();
    Source counted = counting(MemoryIo.jsonl("in.jsonl", input), cut);
    MemoryIo.MemorySink sink = new MemoryIo.MemorySink();
    RunReport report;
    try (ProvenanceLog log = ProvenanceLog.create(dir.resolve("provenance.jsonl"), "00000000-run", "sha256:key", Clock.systemUTC());
        DeadLetterLog dead = new DeadLetterLog(dir.resolve("dead-letter.jsonl"))) {
      Engine engine = new Engine(new Engine.Options(workers, chunk, onError, 1, 42, 0),
          new Engine.Context("t-0000", log, dead, dir.resolve("data"), () -> false), (c, r, w) -> {});
      report = engine.run(counted, sink, Step.prepare(specs, ProcessorRegistry.loadDefault(),
          new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null)));
    }
    assertTrue(ProvenanceReader.verify(dir.resolve("provenance.jsonl")).isEmpty(), "the provenance chain verifies");
    List<String> dl = Files.exists(dir.resolve("dead-letter.jsonl")) ? Files.readAllLines(dir.resolve("dead-letter.jsonl")) : List.of();
    return new Outcome(report, sink.text(), ProvenanceReader.read(dir.resolve("provenance.jsonl"), e -> true), dl, cut.get());
  }

  /** The source, counting the batches it cut. */
  private static Source counting(Source source, AtomicInteger cut) {
    return new Source() {
      @Override
      public SourceBatch next(int maxRecords) throws IOException {
        SourceBatch b = source.next(maxRecords);
        if (b != null) cut.incrementAndGet();
        return b;
      }

      @Override
      public List<InputFile> inputs() {
        return source.inputs();
      }

      @Override
      public void close() throws IOException {
        source.close();
      }
    };
  }

  private static long count(List<Event> events, EventType type) {
    return events.stream().filter(e -> e.type() == type).count();
  }

  /** The limit of {@code count}, reading to the end or not. */
  private static String limit(long count, boolean readAll) {
    return "{\"count\":" + count + (readAll ? ",\"readAll\":true" : "") + "}";
  }

  @Test
  void aFullLimitStopsTheReadingAndTheOutputIsThatOfAWholeRead() throws Exception {
    List<String> input = input(1000);
    for (int workers : new int[] {1, 4}) {
      Outcome whole = run(input, workers, 10, OnError.FAIL,
          "ok", "filter", "{\"where\":\".ok\"}", "first", "limit", limit(25, true), "shape", "jq", "{\"program\":\"{id}\"}");
      Outcome early = run(input, workers, 10, OnError.FAIL,
          "ok", "filter", "{\"where\":\".ok\"}", "first", "limit", limit(25, false), "shape", "jq", "{\"program\":\"{id}\"}");
      // The same bytes: the first 25 ok records.
      String expected = IntStream.range(0, 1000).filter(i -> i % 7 != 3).limit(25)
          .mapToObj(i -> "{\"id\":" + i + "}\n").collect(Collectors.joining());
      assertEquals(expected, whole.output(), workers + " workers");
      assertEquals(expected, early.output(), workers + " workers");
      assertEquals(RunReport.Status.SUCCESS, early.report().status());
      // Reading everything: 100 chunks, and nothing says it stopped.
      assertEquals(100, whole.batchesCut());
      assertEquals(100, whole.report().chunks());
      assertNull(whole.report().readStop());
      // Stopping: the 25th ok record is id 28, in the third chunk (index 2). The reader cuts exactly
      // READ_AHEAD chunks more, whatever the number of workers.
      RunReport.ReadStop stop = early.report().readStop();
      assertEquals("first", stop.step());
      assertEquals("t-0000-000002", stop.chunk());
      assertEquals("in.jsonl", stop.origin());
      int cut = early.batchesCut();
      assertEquals(3 + Engine.READ_AHEAD, cut, workers + " workers");
      assertEquals(cut * 10L, stop.line());
      assertEquals(cut * 10L, stop.records());
      // Every chunk cut was processed, committed and accounted for as in any run.
      assertEquals(cut, early.report().chunks());
      assertEquals(cut * 10L, early.report().recordsRead());
      assertEquals(cut, count(early.events(), EventType.SEND));
      assertEquals(25, early.report().recordsWritten());
      RunReport.StepCounts first = early.report().processors().get(1);
      assertEquals(first.in(), first.out() + first.filtered());
      assertEquals(25, first.out());
    }
  }

  @Test
  void countZeroReadsNothing() throws Exception {
    Outcome o = run(input(100), 2, 10, OnError.FAIL, "none", "limit", limit(0, false));
    assertEquals(RunReport.Status.SUCCESS, o.report().status());
    assertEquals("", o.output());
    assertEquals(0, o.batchesCut());
    assertEquals(0, o.report().chunks());
    assertEquals(0, o.report().recordsRead());
    assertEquals(new RunReport.ReadStop("none", null, null, 0, 0), o.report().readStop());
    // With readAll, every record is read, and none passes.
    Outcome all = run(input(100), 2, 10, OnError.FAIL, "none", "limit", limit(0, true));
    assertEquals("", all.output());
    assertEquals(10, all.batchesCut());
    assertEquals(100, all.report().recordsRead());
    assertNull(all.report().readStop());
  }

  @Test
  void aStepThatNeedsTheWholeInputBeforeTheLimitKeepsItReading() throws Exception {
    List<String> input = input(200);
    // sort emits at the end of input: the limit passes its records only then.
    Outcome sorted = run(input, 2, 10, OnError.FAIL, "by-id", "sort", "{\"by\":[{\"key\":\".id\",\"order\":\"desc\"}]}",
        "top", "limit", limit(3, false));
    assertEquals("{\"id\":199,\"ok\":false}\n{\"id\":198,\"ok\":true}\n{\"id\":197,\"ok\":true}\n", sorted.output());
    assertEquals(20, sorted.batchesCut());
    assertNull(sorted.report().readStop());
    // aggregate: one record at the end, counting all 200.
    Outcome counted = run(input, 2, 10, OnError.FAIL, "n", "aggregate", "{\"aggregates\":{\"n\":{\"op\":\"count\"}}}",
        "one", "limit", limit(1, false));
    assertEquals("{\"n\":200}\n", counted.output());
    assertEquals(20, counted.batchesCut());
    assertNull(counted.report().readStop());
    // A reservoir sample emits at the end too; a fraction does not.
    Outcome reservoir = run(input, 2, 10, OnError.FAIL, "s", "sample", "{\"size\":5}", "one", "limit", limit(1, false));
    assertEquals(20, reservoir.batchesCut());
    assertNull(reservoir.report().readStop());
    Outcome fraction = run(input, 2, 10, OnError.FAIL, "s", "sample", "{\"fraction\":1}", "one", "limit", limit(1, false));
    assertEquals("{\"id\":0,\"ok\":true}\n", fraction.output());
    assertEquals(1 + Engine.READ_AHEAD, fraction.batchesCut());
    assertEquals("one", fraction.report().readStop().step());
  }

  @Test
  void aLimitAfterTheFullOneStillSeesWhatItSeesWhenAllIsRead() throws Exception {
    // The sort after the limit gets the same 15 records, and emits them at the end of input.
    List<String> input = input(500);
    String sort = "{\"by\":[{\"key\":\".id\",\"order\":\"desc\"}]}";
    Outcome whole = run(input, 3, 10, OnError.FAIL, "first", "limit", limit(15, true), "down", "sort", sort);
    Outcome early = run(input, 3, 10, OnError.FAIL, "first", "limit", limit(15, false), "down", "sort", sort);
    assertEquals(whole.output(), early.output());
    assertTrue(early.output().startsWith("{\"id\":14,"), early.output());
    assertEquals(15, early.output().lines().count());
    assertEquals("t-0000-000001", early.report().readStop().chunk());
  }

  @Test
  void ofSeveralLimitsTheFirstToFillStopsTheReading() throws Exception {
    List<String> input = input(1000);
    Outcome o = run(input, 2, 10, OnError.FAIL, "hundred", "limit", limit(100, false), "ten", "limit", limit(10, false));
    assertEquals(IntStream.range(0, 10).mapToObj(i -> input.get(i) + "\n").collect(Collectors.joining()), o.output());
    assertEquals("ten", o.report().readStop().step());
    assertEquals("t-0000-000000", o.report().readStop().chunk());
    assertEquals(1 + Engine.READ_AHEAD, o.batchesCut());
    // The second one reads all when told to; the first then fills, later, and stops it.
    Outcome later = run(input, 2, 10, OnError.FAIL, "hundred", "limit", limit(100, false), "ten", "limit", limit(10, true));
    assertEquals(o.output(), later.output());
    assertEquals("hundred", later.report().readStop().step());
    assertEquals("t-0000-000009", later.report().readStop().chunk());
  }

  @Test
  void ofSeveralLimitsTheOneThatFillsInTheEarliestChunkStopsTheReadingWhicheverThreadGetsThereFirst() throws Exception {
    // 'five' fills in chunk 4 and 'two' in chunk 1, but 'two' sits after a slow step that runs on
    // the workers: 'five' may well get to chunk 4 before 'two' gets to chunk 1. Reading stops
    // READ_AHEAD chunks past chunk 1 all the same, run after run, with any number of workers.
    List<String> input = input(100);
    String slow = "{\"program\":\". as $r | reduce range(0; 2000) as $i (0; . + $i) | $r\"}";
    for (int workers : new int[] {1, 4}) {
      for (int round = 0; round < 3; round++) {
        String what = workers + " workers, round " + round;
        Outcome o = run(input, workers, 1, OnError.FAIL,
            "five", "limit", limit(5, false), "slow", "jq", slow, "two", "limit", limit(2, false));
        assertEquals(input.get(0) + "\n" + input.get(1) + "\n", o.output(), what);
        assertEquals("two", o.report().readStop().step(), what);
        assertEquals("t-0000-000001", o.report().readStop().chunk(), what);
        assertEquals(2 + Engine.READ_AHEAD, o.batchesCut(), what);
        assertEquals(2L + Engine.READ_AHEAD, o.report().recordsRead(), what);
      }
    }
  }

  @Test
  void recordsDeadLetteredBeforeTheLimitDoNotCountAndStayDeadLettered() throws Exception {
    // cast rejects the records whose n is not a number: ids 2 and 5 (in the first chunk).
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 300; i++) input.add("{\"id\":" + i + ",\"n\":" + (i == 2 || i == 5 ? "\"x\"" : String.valueOf(i)) + "}");
    Outcome o = run(input, 1, 10, OnError.DEAD_LETTER, "num", "cast", "{\"fields\":{\"n\":\"int\"}}",
        "first", "limit", limit(6, false));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status());
    assertEquals("{\"id\":0,\"n\":0}\n{\"id\":1,\"n\":1}\n{\"id\":3,\"n\":3}\n{\"id\":4,\"n\":4}\n{\"id\":6,\"n\":6}\n"
        + "{\"id\":7,\"n\":7}\n", o.output());
    assertEquals(2, o.report().deadLettered());
    assertEquals(2, o.deadLetters().size());
    assertTrue(o.deadLetters().get(0).contains("\"line\":3"), o.deadLetters().get(0));
    assertEquals("t-0000-000000", o.report().readStop().chunk());
    assertEquals(1 + Engine.READ_AHEAD, o.batchesCut());
  }

  @Test
  void whatIsReadPastTheLimitDoesNotDependOnTiming() throws Exception {
    // The limit fills in the first chunk; the chunks read past it are exactly READ_AHEAD more. A
    // bad record in the last of them is always dead-lettered (exit 5), one in the chunk after it
    // never read (exit 0), with any number of workers, run after run.
    for (int bad : new int[] {Engine.READ_AHEAD * 10 + 4, (Engine.READ_AHEAD + 1) * 10 + 4}) {
      List<String> input = new ArrayList<>();
      for (int i = 0; i < 300; i++) input.add("{\"id\":" + i + ",\"n\":" + (i == bad ? "\"x\"" : String.valueOf(i)) + "}");
      boolean seen = bad < (Engine.READ_AHEAD + 1) * 10;
      for (int workers : new int[] {1, 2, 4}) {
        for (int round = 0; round < 3; round++) {
          Outcome o = run(input, workers, 10, OnError.DEAD_LETTER, "num", "cast", "{\"fields\":{\"n\":\"int\"}}",
              "first", "limit", limit(3, false));
          String what = "bad record " + bad + ", " + workers + " workers, round " + round;
          assertEquals(1 + Engine.READ_AHEAD, o.batchesCut(), what);
          assertEquals((1 + Engine.READ_AHEAD) * 10L, o.report().recordsRead(), what);
          assertEquals(seen ? 1 : 0, o.report().deadLettered(), what);
          assertEquals(seen ? RunReport.Status.COMPLETED_WITH_ERRORS : RunReport.Status.SUCCESS, o.report().status(), what);
          assertEquals("{\"id\":0,\"n\":0}\n{\"id\":1,\"n\":1}\n{\"id\":2,\"n\":2}\n", o.output(), what);
        }
      }
    }
  }

  @Test
  void aStepWithSideEffectsBeforeTheLimitSeesTheWholeInput() throws Exception {
    Outcome o = run(input(100), 1, 10, OnError.FAIL, "tee", "exec", "{\"command\":[\"cat\"]}", "first", "limit", limit(1, false));
    assertEquals(input(1).get(0) + "\n", o.output());
    assertEquals(10, o.batchesCut());
    assertNull(o.report().readStop());
  }
}

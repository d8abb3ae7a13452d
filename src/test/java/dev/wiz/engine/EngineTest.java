package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.io.DiskFullException;
import dev.wiz.pipeline.OnError;
import dev.wiz.pipeline.ProcessorSpec;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processors.FilterFactory;
import dev.wiz.processors.JqFactory;
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
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private int runs;

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  /** What one engine run left behind. */
  record Outcome(RunReport report, String output, List<Event> events, List<String> deadLetters, MemoryIo.MemorySink sink) {}

  private static List<String> events(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "{\"id\":" + i + ",\"status\":\"" + (i % 3 == 0 ? "error" : "ok") + "\",\"amount\":" + (i % 50) + ".5}")
        .collect(Collectors.toList());
  }

  private Outcome run(List<String> input, int workers, int chunk, OnError onError, List<ProcessorFactory> factories,
      List<ProcessorSpec> specs) throws Exception {
    return run(input, workers, chunk, onError, factories, specs, () -> false);
  }

  private Outcome run(List<String> input, int workers, int chunk, OnError onError, List<ProcessorFactory> factories,
      List<ProcessorSpec> specs, java.util.function.BooleanSupplier cancelled) throws Exception {
    return run(input, workers, chunk, onError, factories, specs, cancelled, () -> false, (c, r, w) -> {});
  }

  private Outcome run(List<String> input, int workers, int chunk, OnError onError, List<ProcessorFactory> factories,
      List<ProcessorSpec> specs, java.util.function.BooleanSupplier cancelled, java.util.function.BooleanSupplier stopNow,
      Engine.Progress progress) throws Exception {
    return run(input, workers, chunk, onError, factories, specs, cancelled, stopNow, progress, new MemoryIo.MemorySink());
  }

  private Outcome run(List<String> input, int workers, int chunk, OnError onError, List<ProcessorFactory> factories,
      List<ProcessorSpec> specs, MemoryIo.MemorySink sink) throws Exception {
    return run(input, workers, chunk, onError, factories, specs, () -> false, () -> false, (c, r, w) -> {}, sink);
  }

  private Outcome run(List<String> input, int workers, int chunk, OnError onError, List<ProcessorFactory> factories,
      List<ProcessorSpec> specs, java.util.function.BooleanSupplier cancelled, java.util.function.BooleanSupplier stopNow,
      Engine.Progress progress, MemoryIo.MemorySink sink) throws Exception {
    Path dir = fs.getPath("/state/run" + (++runs));
    Files.createDirectories(dir);
    ProcessorRegistry registry = new ProcessorRegistry(factories);
    RunReport report;
    try (ProvenanceLog log = ProvenanceLog.create(dir.resolve("provenance.jsonl"), "00000000-run", "sha256:key", Clock.systemUTC());
        DeadLetterLog dead = new DeadLetterLog(dir.resolve("dead-letter.jsonl"))) {
      Engine engine = new Engine(new Engine.Options(workers, chunk, onError, 3, 42, 0),
          new Engine.Context("t-0000", log, dead, dir.resolve("data"), cancelled, stopNow), progress);
      report = engine.run(MemoryIo.jsonl("in.jsonl", input), sink, Step.prepare(specs, registry, new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null)));
    }
    assertTrue(ProvenanceReader.verify(dir.resolve("provenance.jsonl")).isEmpty(), "the provenance chain verifies");
    List<String> dl = Files.exists(dir.resolve("dead-letter.jsonl")) ? Files.readAllLines(dir.resolve("dead-letter.jsonl")) : List.of();
    return new Outcome(report, sink.text(), ProvenanceReader.read(dir.resolve("provenance.jsonl"), e -> true), dl, sink);
  }

  private static ProcessorSpec spec(int i, String id, String type, String configJson) throws IOException {
    return new ProcessorSpec(i, id, type, Json.mapper().readTree(configJson));
  }

  private List<ProcessorSpec> eventsJob() throws IOException {
    return List.of(
        spec(0, "keep-ok", "filter", "{\"where\":\".status == \\\"ok\\\" and .amount > 10\"}"),
        spec(1, "shape", "jq", "{\"program\":\"{id, amount, cents: (.amount * 100)}\"}"));
  }

  @Test
  void anOutputFileThatIsGoneIsSaidToBeGoneNotOnlyNamed() throws Exception {
    String tmp = "/out/.o.jsonl.00000000-run.tmp";
    MemoryIo.MemorySink atTheEnd = new MemoryIo.MemorySink() {
      @Override
      public String complete() throws IOException {
        throw new java.nio.file.NoSuchFileException(tmp, "/out/o.jsonl", null);
      }
    };
    Outcome end = run(events(10), 1, 5, OnError.FAIL, List.of(new TestProcessors.Counting(0)),
        List.of(spec(0, "c", "counting", "{}")), atTheEnd);
    assertEquals(RunReport.Status.FAILED, end.report().status());
    assertEquals("writing output: " + tmp + " -> /out/o.jsonl: no such file (was it removed while the run wrote it?)",
        end.report().error());
  }

  @Test
  void aFullDiskUnderTheSinkIsSaidToBeFullWithTheFileAndWhatToDo() throws Exception {
    java.nio.file.Path tmp = Path.of("/out/.o.jsonl.00000000-run.tmp");
    MemoryIo.MemorySink filling = new MemoryIo.MemorySink() {
      int writes;

      @Override
      public Written writeChunk(dev.wiz.io.Encoded chunk) throws IOException {
        if (++writes == 3) throw DiskFullException.naming(tmp, new IOException("No space left on device"));
        byte[] b = super.write(chunk);
        return new Written(b, b);
      }
    };
    Outcome end = run(events(10), 1, 2, OnError.FAIL, List.of(new TestProcessors.Counting(0)),
        List.of(spec(0, "c", "counting", "{}")), filling);
    assertEquals(RunReport.Status.FAILED, end.report().status());
    assertEquals("writing memory: the disk is full (No space left on device) writing its temporary file " + tmp
        + ": what the run committed is kept in it; free space on that disk, then run again with --resume to go on"
        + " from there", end.report().error());
    assertEquals(2, end.events().stream().filter(e -> e.type() == EventType.SEND).count(), "two chunks sent before");
  }

  @Test
  void aFullStateFolderIsSaidToBeFullNamingTheLogNotTheSink() throws Exception {
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(8 * 1024).build())) {
      Path dir = Files.createDirectories(small.getPath("/state/run"));
      Path logFile = dir.resolve("provenance.jsonl");
      RunReport report;
      ProvenanceLog log = ProvenanceLog.create(logFile, "00000000-run", "sha256:key", Clock.systemUTC());
      try (DeadLetterLog dead = new DeadLetterLog(dir.resolve("dead-letter.jsonl"))) {
        Engine engine = new Engine(new Engine.Options(1, 5, OnError.FAIL, 3, 42, 0),
            new Engine.Context("t-0000", log, dead, dir.resolve("data"), () -> false, () -> false), (c, r, w) -> {});
        report = engine.run(MemoryIo.jsonl("in.jsonl", events(200)), new MemoryIo.MemorySink(),
            Step.prepare(List.of(), new ProcessorRegistry(List.of()), new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null)));
      }
      try {
        log.close();
      } catch (IOException stillFull) {
        // as the run found
      }
      assertEquals(RunReport.Status.FAILED, report.status());
      assertEquals("writing the run's provenance log " + logFile + ": the disk is full (out of disk space): what the run"
          + " committed is kept; free space on that disk, then run again with --resume to go on from there",
          report.error());
    }
  }

  @Test
  void outputIsByteIdenticalWithOneAndEightWorkers() throws Exception {
    List<String> input = events(5000);
    List<ProcessorFactory> f = List.of(new FilterFactory(), new JqFactory());
    Outcome one = run(input, 1, 37, OnError.FAIL, f, eventsJob());
    Outcome eight = run(input, 8, 37, OnError.FAIL, f, eventsJob());
    assertEquals(RunReport.Status.SUCCESS, one.report().status());
    assertEquals(one.output(), eight.output());
    long expected = IntStream.range(0, 5000).filter(i -> i % 3 != 0 && i % 50 > 10 - 1).count();
    assertEquals(expected, one.output().lines().count());
    assertTrue(one.output().startsWith("{\"id\":10,\"amount\":10.5,\"cents\":1050}\n"), one.output().substring(0, 60));
    assertEquals(136, one.report().chunks());
    // Same pipeline and input: same chunk ids and the same digests, whatever the worker count.
    assertEquals(digests(one.events()), digests(eight.events()));
  }

  private static List<String> digests(List<Event> events) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      if (e.type() != EventType.STATE) out.add(e.chunk() + " " + e.type() + " " + e.inputDigest() + " " + e.outputDigest());
    }
    return out;
  }

  @Test
  void everyChunkGetsFreshInstancesThatAreClosed() throws Exception {
    TestProcessors.Counting counting = new TestProcessors.Counting(0);
    Outcome o = run(events(1000), 3, 100, OnError.FAIL, List.of(counting), List.of(spec(0, "c", "counting", "{}")));
    assertEquals(10, counting.instances.get());
    assertEquals(10, counting.closed.get());
    assertEquals(1000, o.output().lines().count());
  }

  @Test
  void aPooledProcessorReusesAtMostSizeInstancesAndEndsEachOnce() throws Exception {
    TestProcessors.Counting counting = new TestProcessors.Counting(0);
    List<ProcessorSpec> pooled = List.of(new ProcessorSpec(0, "c", "counting", Json.mapper().createObjectNode(), 2));
    Outcome o = run(events(2000), 4, 50, OnError.FAIL, List.of(counting), pooled);
    assertEquals(RunReport.Status.SUCCESS, o.report().status(), o.report().error());
    assertTrue(counting.instances.get() >= 1 && counting.instances.get() <= 2, "instances: " + counting.instances.get());
    assertEquals(counting.instances.get(), counting.closed.get(), "every pooled instance is closed once, at the end");
    long successes = o.events().stream()
        .filter(e -> e.type() == EventType.STATE && "success".equals(e.state().to())).count();
    assertEquals(counting.instances.get(), successes);
    long configures = o.events().stream()
        .filter(e -> e.type() == EventType.STATE && "configure".equals(e.state().event())).count();
    assertEquals(counting.instances.get(), configures, "init once per pooled instance, not per chunk");
    Outcome lifetime = run(events(2000), 4, 50, OnError.FAIL, List.of(new TestProcessors.Counting(0)), List.of(spec(0, "c", "counting", "{}")));
    assertEquals(lifetime.output(), o.output());
  }

  @Test
  void aSerialProcessorSeesEveryChunkInOrderAndItsFinishOutputFlowsOn() throws Exception {
    TestProcessors.Ordered ordered = new TestProcessors.Ordered();
    TestProcessors.Counting after = new TestProcessors.Counting(0);
    Outcome o = run(events(2000), 4, 50, OnError.FAIL, List.of(ordered, after, new JqFactory()),
        List.of(spec(0, "first", "jq", "{\"program\":\".\"}"), spec(1, "ord", "ordered", "{}"), spec(2, "c", "counting", "{}")));
    assertEquals(RunReport.Status.SUCCESS, o.report().status(), o.report().error());
    assertEquals(1, ordered.instances.get());
    assertEquals(LongStreamRange.of(40), ordered.seen);
    List<String> lines = o.output().lines().toList();
    assertEquals(2001, lines.size());
    assertEquals("{\"total\":2000,\"seen\":true}", lines.get(2000));
    assertTrue(o.events().stream().anyMatch(e -> e.type() == EventType.JOIN && "t-0000-final-ord-0".equals(e.chunk())));
    assertEquals(41, ordered.completed.size(), "onComplete heard of every committed chunk");
  }

  @Test
  void aForkingStepCutsItsOutputIntoChildChunksThatGoOnInOrder() throws Exception {
    List<ProcessorFactory> f = List.of(new TestProcessors.Forking(), new JqFactory());
    List<ProcessorSpec> specs = List.of(spec(0, "twice", "forking", "{\"copies\":3}"),
        spec(1, "shape", "jq", "{\"program\":\"{id, copy}\"}"));
    Outcome one = run(events(10), 1, 4, OnError.FAIL, f, specs);
    Outcome four = run(events(10), 4, 4, OnError.FAIL, f, specs);
    assertEquals(RunReport.Status.SUCCESS, one.report().status(), one.report().error());
    assertEquals(one.output(), four.output());
    List<String> lines = one.output().lines().toList();
    assertEquals(30, lines.size());
    assertEquals("{\"id\":0,\"copy\":0}", lines.get(0));
    assertEquals("{\"id\":1,\"copy\":2}", lines.get(5));
    assertEquals("{\"id\":9,\"copy\":2}", lines.get(29));
    // The first chunk (4 records) forks into 12 records: children of at most 4 records.
    Event parent = one.events().stream()
        .filter(e -> e.type() == EventType.FORK && e.chunk().equals("t-0000-000000")).findFirst().orElseThrow();
    assertEquals(List.of("t-0000-000000.0", "t-0000-000000.1", "t-0000-000000.2"), parent.children());
    for (String child : parent.children()) {
      List<Event> mine = one.events().stream().filter(e -> child.equals(e.chunk())).toList();
      assertEquals(EventType.FORK, mine.get(0).type());
      assertEquals(List.of("t-0000-000000"), mine.get(0).parents());
      assertTrue(mine.stream().anyMatch(e -> e.type() == EventType.CONTENT_MODIFIED && "shape".equals(e.processor().id())),
          "the steps after the fork run on " + child);
      assertEquals(EventType.SEND, mine.get(mine.size() - 1).type());
      assertEquals(4, (int) mine.get(mine.size() - 1).recordsOut());
    }
    assertEquals(digests(one.events()), digests(four.events()));
  }

  @Test
  void whatAProcessorEmitsAtTheEndIsCutIntoChunksOfTheChunkSize() throws Exception {
    List<ProcessorFactory> f = List.of(new TestProcessors.Replaying(), new JqFactory());
    List<ProcessorSpec> specs = List.of(spec(0, "again", "replaying", "{}"), spec(1, "ids", "jq", "{\"program\":\".id\"}"));
    Outcome o = run(events(25), 3, 10, OnError.FAIL, f, specs);
    assertEquals(RunReport.Status.SUCCESS, o.report().status(), o.report().error());
    assertEquals(IntStream.range(0, 25).mapToObj(Integer::toString).toList(), o.output().lines().toList());
    List<String> joins = o.events().stream().filter(e -> e.type() == EventType.JOIN).map(Event::chunk).toList();
    assertEquals(List.of("t-0000-final-again-0", "t-0000-final-again-1", "t-0000-final-again-2"), joins);
    List<Integer> sent = o.events().stream().filter(e -> e.type() == EventType.SEND && e.chunk().contains("final"))
        .map(Event::recordsOut).toList();
    assertEquals(List.of(10, 10, 5), sent);
    List<Event> joinEvents = o.events().stream().filter(e -> e.type() == EventType.JOIN).toList();
    assertEquals(List.of("t-0000-000000", "t-0000-000001", "t-0000-000002"), joinEvents.get(0).parents(),
        "the first part names every chunk that fed the step");
    assertEquals(25, joinEvents.get(0).recordsIn());
    assertEquals(List.of("t-0000-final-again-0"), joinEvents.get(1).parents(), "later parts name the first");
    assertEquals(List.of("t-0000-final-again-0"), joinEvents.get(2).parents());
  }

  /** The ids of the chunks the run committed (SEND), in order. */
  private static List<String> sent(Outcome o) {
    return o.events().stream().filter(e -> e.type() == EventType.SEND).map(Event::chunk).toList();
  }

  /** Waits until the run is being cancelled, then stops as a processor that polls the flag does. */
  private static Chunk stopWhenCancelled(ProcessorContext ctx) throws ProcessorException {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (!ctx.cancelled()) {
      if (System.nanoTime() > until) throw new ProcessorException("the test never cancelled the run");
      Thread.onSpinWait();
    }
    throw new RunCancelledException("stopped: the run is being cancelled");
  }

  @Test
  void whatWasWrittenIsCommittedEveryCommitMillisWhileTheNextChunkIsSlow() throws Exception {
    // One worker, a chunk per record; the third chunk waits until the test has seen the first two
    // made durable. They were committed only when a later chunk was written: never, here.
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    TestProcessors.Scripted slow = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() == 2) {
        try {
          if (!release.await(20, java.util.concurrent.TimeUnit.SECONDS)) throw new ProcessorException("not released");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ProcessorException("interrupted");
        }
      }
      return chunk;
    }, () -> {});
    Path dir = Files.createDirectories(fs.getPath("/state/timer"));
    Path log = dir.resolve("provenance.jsonl");
    MemoryIo.MemorySink sink = new MemoryIo.MemorySink();
    java.util.concurrent.CompletableFuture<RunReport> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try (ProvenanceLog l = ProvenanceLog.create(log, "00000000-run", "sha256:key", Clock.systemUTC());
          DeadLetterLog dead = new DeadLetterLog(dir.resolve("dead-letter.jsonl"))) {
        Engine engine = new Engine(new Engine.Options(1, 1, OnError.FAIL, 1, 42, 50),
            new Engine.Context("t-0000", l, dead, dir.resolve("data"), () -> false, () -> false), (c, r, w) -> {});
        return engine.run(MemoryIo.jsonl("in.jsonl", events(4)), sink, Step.prepare(List.of(spec(0, "s", "scripted", "{}")),
            new ProcessorRegistry(List.of(slow)), new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null)));
      } catch (IOException | ProcessorException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      long sends = 0;
      while (sends < 2 && System.nanoTime() < until) {
        Thread.sleep(20);
        sends = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains("\"type\":\"SEND\"")).count() : 0;
      }
      assertEquals(2, sends, "the two chunks written before the slow one are in the log on disk while it waits");
      assertTrue(sink.commits >= 1, "and the output was forced");
    } finally {
      release.countDown();
    }
    assertEquals(RunReport.Status.SUCCESS, run.get(20, java.util.concurrent.TimeUnit.SECONDS).status());
    assertEquals(4, sink.text().lines().count());
    assertTrue(ProvenanceReader.verify(log).isEmpty(), "the provenance chain verifies");
  }

  @Test
  void aChunkTheCancellationCutsShortIsNotCommittedNorAnyAfterIt() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    TestProcessors.Scripted stops = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() != 1) return chunk;
      cancelled.set(true); // SIGTERM, while this chunk is in the step
      return stopWhenCancelled(ctx);
    }, () -> {});
    for (OnError onError : OnError.values()) {
      Outcome o = run(events(50), 2, 10, onError, List.of(stops), List.of(spec(0, "s", "scripted", "{}")), cancelled::get);
      assertEquals(RunReport.Status.INTERRUPTED, o.report().status(), onError + ": " + o.report().error());
      assertNull(o.report().error());
      assertEquals(List.of("t-0000-000000"), sent(o), onError + ": only the chunk before the one cut short");
      assertEquals(10, o.report().recordsWritten());
      assertEquals(0, o.report().skipped() + o.report().deadLettered(), onError.toString());
      assertEquals(List.of(), o.deadLetters());
      assertTrue(o.events().stream().noneMatch(e -> e.type() == EventType.DROP || e.type() == EventType.DEAD_LETTER),
          onError.toString());
      cancelled.set(false);
    }
  }

  @Test
  void aRetryTheCancellationPreventsLeavesTheChunkUncommitted() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    TestProcessors.Scripted flaky = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() != 1) return chunk;
      cancelled.set(true);
      throw new ProcessorException("the program crashed (may pass next time)", true, null);
    }, () -> {});
    Outcome o = run(events(30), 1, 10, OnError.DEAD_LETTER, List.of(flaky), List.of(spec(0, "f", "scripted", "{}")),
        cancelled::get);
    assertEquals(RunReport.Status.INTERRUPTED, o.report().status(), o.report().error());
    assertEquals(List.of("t-0000-000000"), sent(o));
    assertEquals(List.of(), o.deadLetters(), "not dead-lettered: it was not tried as often as run.maxAttempts says");
  }

  @Test
  void anErrorMetOnceTheRunIsBeingCancelledLeavesTheChunkForResume() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    // Ctrl-C reaches an exec program as well: it dies of the signal as the run is cancelled.
    TestProcessors.Scripted dies = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() != 1) return chunk;
      cancelled.set(true);
      throw new ProcessorException("program exited with code 130 (killed by signal 2 INT)");
    }, () -> {});
    for (OnError onError : OnError.values()) {
      Outcome o = run(events(30), 1, 10, onError, List.of(dies), List.of(spec(0, "d", "scripted", "{}")), cancelled::get);
      assertEquals(RunReport.Status.INTERRUPTED, o.report().status(), onError + ": " + o.report().error());
      assertEquals(List.of("t-0000-000000"), sent(o), onError.toString());
      assertEquals(List.of(), o.deadLetters(), onError.toString());
      cancelled.set(false);
    }
  }

  @Test
  void aFailureBeforeTheCancellationStillFailsTheRun() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
    // Chunk 0 waits in its step; chunk 1 fails, and only then (its instance is closed after the
    // failure is recorded) comes the signal, which cuts chunk 0 short.
    TestProcessors.Scripted s = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() == 0) return stopWhenCancelled(ctx);
      if (chunk.index() == 1) {
        failed.set(true);
        throw new ProcessorException("record 12 is broken");
      }
      return chunk;
    }, () -> {
      if (failed.get()) cancelled.set(true);
    });
    Outcome o = run(events(30), 2, 10, OnError.FAIL, List.of(s), List.of(spec(0, "s", "scripted", "{}")), cancelled::get);
    assertEquals(RunReport.Status.FAILED, o.report().status());
    assertTrue(o.report().error().contains("record 12 is broken"), o.report().error());
    assertEquals(List.of(), sent(o));
  }

  /** What the engine told the progress display. */
  private static final class Told implements Engine.Progress {
    final java.util.concurrent.CountDownLatch committed = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch interrupting = new java.util.concurrent.CountDownLatch(1);
    final List<String> said = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void committed(long chunks, long recordsRead, long recordsWritten) {
      committed.countDown();
    }

    @Override
    public void interrupting(int chunksInFlight) {
      said.add("interrupting " + chunksInFlight);
      interrupting.countDown();
    }

    @Override
    public void stoppingAtOnce(int chunksInFlight) {
      said.add("stopping at once " + chunksInFlight);
    }
  }

  /** {@link #run} on another thread. */
  private java.util.concurrent.CompletableFuture<Outcome> runAsync(List<String> input, int workers, List<ProcessorFactory> f,
      List<ProcessorSpec> specs, java.util.function.BooleanSupplier cancelled, java.util.function.BooleanSupplier stopNow,
      Engine.Progress progress) {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return run(input, workers, 10, OnError.FAIL, f, specs, cancelled, stopNow, progress);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  @Test
  void aRunToldToStopAtOnceLeavesAStepThatDoesNotStopBehind() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean stopNow = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    // Chunk 1 is held in its step by work that does not look at the cancellation (a Java builtin
    // on a huge value, a regular expression that backtracks for ever).
    TestProcessors.Scripted stuck = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() == 1) {
        entered.countDown();
        TestProcessors.awaitUninterruptibly(release);
      }
      return chunk;
    }, () -> {});
    Told told = new Told();
    var run = runAsync(events(50), 2, List.of(stuck), List.of(spec(0, "s", "scripted", "{}")), cancelled::get, stopNow::get, told);
    try {
      assertTrue(entered.await(30, java.util.concurrent.TimeUnit.SECONDS), "chunk 1 reached its step");
      assertTrue(told.committed.await(30, java.util.concurrent.TimeUnit.SECONDS), "chunk 0 was committed");
      cancelled.set(true); // SIGINT
      assertTrue(told.interrupting.await(30, java.util.concurrent.TimeUnit.SECONDS), "the display heard of it");
      assertFalse(run.isDone(), "it waits for the chunk in its step");
      stopNow.set(true); // SIGINT again
      Outcome o = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(RunReport.Status.INTERRUPTED, o.report().status(), o.report().error());
      assertNull(o.report().error());
      assertEquals(List.of("t-0000-000000"), sent(o), "what was committed before stays; nothing after the stuck chunk");
      assertEquals(10, o.report().recordsWritten());
      assertEquals(10, o.sink().text().lines().count());
      assertTrue(o.events().stream().noneMatch(e -> e.type() == EventType.DROP || e.type() == EventType.DEAD_LETTER));
      assertEquals(2, told.said.size(), told.said.toString());
      assertTrue(told.said.get(0).matches("interrupting [1-4]"), told.said.toString());
      assertTrue(told.said.get(1).matches("stopping at once [1-4]"), told.said.toString());
    } finally {
      release.countDown();
    }
  }

  @Test
  void aRunToldToStopAtOnceDoesNotWaitForTheEndOfInputOfASerialStep() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean stopNow = new java.util.concurrent.atomic.AtomicBoolean();
    TestProcessors.StuckAtEnd stuck = new TestProcessors.StuckAtEnd();
    Told told = new Told();
    var run = runAsync(events(30), 2, List.of(stuck), List.of(spec(0, "s", "stuck-at-end", "{}")), cancelled::get,
        stopNow::get, told);
    try {
      assertTrue(stuck.finishing.await(30, java.util.concurrent.TimeUnit.SECONDS), "every chunk went through; the end began");
      cancelled.set(true);
      stopNow.set(true);
      Outcome o = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(RunReport.Status.INTERRUPTED, o.report().status(), o.report().error());
      assertEquals(List.of("t-0000-000000", "t-0000-000001", "t-0000-000002"), sent(o));
      assertEquals(30, o.report().recordsWritten());
      assertEquals(List.of("interrupting 0", "stopping at once 0"), told.said);
    } finally {
      stuck.release.countDown();
    }
  }

  @Test
  void aProcessorThatSaysCancelledWhileTheRunIsNotHasAnErrorOfItsChunk() throws Exception {
    TestProcessors.Scripted s = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() == 1) throw new RunCancelledException("stopped: the run is being cancelled");
      return chunk;
    }, () -> {});
    Outcome o = run(events(30), 2, 10, OnError.DEAD_LETTER, List.of(s), List.of(spec(0, "s", "scripted", "{}")));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status(), o.report().error());
    assertEquals(10, o.report().deadLettered(), "a chunk is never left out of a run that goes on");
    assertEquals(3, sent(o).size());
  }

  /** 0..n-1 as a list of longs. */
  static final class LongStreamRange {
    static List<Long> of(int n) {
      List<Long> l = new ArrayList<>();
      for (long i = 0; i < n; i++) l.add(i);
      return l;
    }
  }

  @Test
  void everyTransitionOfEveryChunkReachesTheProvenanceLog() throws Exception {
    Outcome o = run(events(10), 2, 5, OnError.FAIL, List.of(new FilterFactory()), List.of(spec(0, "f", "filter", "{\"where\":\".id > 2\"}")));
    Map<String, List<String>> states = new java.util.TreeMap<>();
    for (Event e : o.events()) {
      if (e.type() == EventType.STATE) states.computeIfAbsent(e.chunk(), k -> new ArrayList<>()).add(e.state().to());
    }
    List<String> path = List.of("configured", "validating", "running", "ready", "configured", "success");
    assertEquals(Map.of("t-0000-000000", path, "t-0000-000001", path), states);
    Event filtered = o.events().stream().filter(e -> e.type() == EventType.FILTERED).findFirst().orElseThrow();
    assertEquals(5, filtered.recordsIn());
    assertEquals(2, filtered.recordsOut());
    assertNotNull(filtered.inputDigest());
    assertEquals(Json.digest("{\"id\":3,\"status\":\"error\",\"amount\":3.5}\n{\"id\":4,\"status\":\"ok\",\"amount\":4.5}\n"), filtered.outputDigest());
    Event create = o.events().stream().filter(e -> e.type() == EventType.CREATE).findFirst().orElseThrow();
    assertEquals(new Event.SourceRef("in.jsonl", 1, 5), create.source());
    Event send = o.events().stream().filter(e -> e.type() == EventType.SEND).findFirst().orElseThrow();
    assertEquals(filtered.outputDigest(), send.outputDigest(), "the last step's output is what the sink got");
  }

  @Test
  void aStepThatPassesItsRecordsThroughIsFilteredNotContentModified() throws Exception {
    Outcome all = run(events(10), 2, 5, OnError.FAIL, List.of(new FilterFactory()),
        List.of(spec(0, "f", "filter", "{\"where\":\".id >= 0\"}")));
    List<Event> steps = all.events().stream().filter(e -> e.processor() != null && e.type() != EventType.STATE).toList();
    assertEquals(2, steps.size(), steps.toString());
    for (Event e : steps) {
      assertEquals(EventType.FILTERED, e.type(), "nothing dropped, nothing changed: " + e);
      assertEquals(e.recordsIn(), e.recordsOut());
    }
    Outcome changed = run(events(10), 2, 5, OnError.FAIL, List.of(new JqFactory()),
        List.of(spec(0, "j", "jq", "{\"program\":\"{id}\"}")));
    assertTrue(changed.events().stream().filter(e -> e.processor() != null && e.type() != EventType.STATE)
        .allMatch(e -> e.type() == EventType.CONTENT_MODIFIED), changed.events().toString());
  }

  @Test
  void seedsAreDerivedPerChunkAndDoNotDependOnWorkers() throws Exception {
    List<ProcessorSpec> specs = List.of(spec(0, "s", "seeded", "{}"));
    Outcome a = run(events(300), 1, 100, OnError.FAIL, List.of(new TestProcessors.Seeded()), specs);
    Outcome b = run(events(300), 4, 100, OnError.FAIL, List.of(new TestProcessors.Seeded()), specs);
    assertEquals(a.output(), b.output());
    JsonNode first = Json.mapper().readTree(a.output().lines().findFirst().orElseThrow());
    assertEquals(Seeds.derive(42, "s", "000000"), first.get("seed").asLong());
    assertTrue(a.events().stream().anyMatch(e -> e.type() == EventType.STATE && "determining".equals(e.state().to())));
    assertTrue(a.events().stream().filter(e -> e.type() == EventType.CONTENT_MODIFIED).allMatch(e -> e.seed() != null));
  }

  @Test
  void aRejectedRecordFailsTheRunWhenOnErrorIsFail() throws Exception {
    Outcome o = run(events(100), 2, 10, OnError.FAIL, List.of(new TestProcessors.Counting(7)), List.of(spec(0, "c", "counting", "{}")));
    assertEquals(RunReport.Status.FAILED, o.report().status());
    assertFalse(o.report().internal());
    assertEquals("in.jsonl:1: processor 'c' (counting): id 0 is unlucky (chunk t-0000-000000); set run.onError to skip or"
        + " dead-letter to go on past bad records", o.report().error());
    assertTrue(o.sink().aborted);
    assertFalse(o.sink().completed);
  }

  @Test
  void rejectedRecordsAreCountedWhenSkipped() throws Exception {
    Outcome o = run(events(100), 2, 10, OnError.SKIP, List.of(new TestProcessors.Counting(7)), List.of(spec(0, "c", "counting", "{}")));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status());
    assertEquals(15, o.report().skipped());
    assertEquals(85, o.output().lines().count());
    RunReport.StepCounts c = o.report().processors().get(0);
    assertEquals(100, c.in());
    assertEquals(c.in(), c.out() + c.filtered() + c.skipped() + c.deadLettered());
    assertTrue(o.deadLetters().isEmpty());
  }

  @Test
  void rejectedRecordsGoToTheDeadLetterFileWithTheReason() throws Exception {
    Outcome o = run(events(100), 2, 10, OnError.DEAD_LETTER, List.of(new TestProcessors.Counting(7)), List.of(spec(0, "c", "counting", "{}")));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status());
    assertEquals(15, o.report().deadLettered());
    assertEquals(15, o.deadLetters().size());
    JsonNode first = Json.mapper().readTree(o.deadLetters().get(0));
    assertEquals("t-0000-000000", first.get("chunk").asText());
    assertEquals("c", first.get("processor").asText());
    assertEquals("id 0 is unlucky", first.get("reason").asText());
    assertEquals(0, first.get("record").get("id").asInt());
  }

  /** events(100) with a string amount on line 38, which a filter keeps; the records before it that it drops shift it. */
  private static List<String> lotsOnLine38() {
    List<String> input = new ArrayList<>(events(100));
    input.set(37, "{\"id\":37,\"status\":\"ok\",\"amount\":\"lots\"}");
    return input;
  }

  private List<ProcessorSpec> keepOkThenAddOne() throws IOException {
    return List.of(spec(0, "keep-ok", "filter", "{\"where\":\".status == \\\"ok\\\"\"}"),
        spec(1, "next", "jq", "{\"program\":\"{id, next: (.amount + 1)}\"}"));
  }

  @Test
  void aRejectedRecordIsNamedByItsOwnLineAfterAFilterDroppedRecordsBeforeIt() throws Exception {
    List<ProcessorFactory> f = List.of(new FilterFactory(), new JqFactory());
    String why = "jq: string (\"lots\") and number (1) cannot be added";
    Outcome failed = run(lotsOnLine38(), 2, 50, OnError.FAIL, f, keepOkThenAddOne());
    assertEquals(RunReport.Status.FAILED, failed.report().status());
    assertEquals("in.jsonl:38: processor 'next' (jq): " + why + " (chunk t-0000-000000); set run.onError to skip or"
        + " dead-letter to go on past bad records", failed.report().error());

    Outcome dead = run(lotsOnLine38(), 2, 50, OnError.DEAD_LETTER, f, keepOkThenAddOne());
    assertEquals(1, dead.deadLetters().size());
    JsonNode dl = Json.mapper().readTree(dead.deadLetters().get(0));
    assertEquals(38, dl.get("line").asInt(), dl.toString());
    assertEquals(1, dl.get("firstLine").asInt(), "the chunk's range is still there");
    assertEquals(50, dl.get("lastLine").asInt());
    assertEquals(why, dl.get("reason").asText());
    Event deadEvent = dead.events().stream().filter(e -> e.type() == EventType.DEAD_LETTER).findFirst().orElseThrow();
    assertEquals("in.jsonl:38: " + why, deadEvent.error());

    Outcome skipped = run(lotsOnLine38(), 2, 50, OnError.SKIP, f, keepOkThenAddOne());
    Event drop = skipped.events().stream().filter(e -> e.type() == EventType.DROP).findFirst().orElseThrow();
    assertEquals("in.jsonl:38: " + why, drop.error());
  }

  /** events(30) through a jq step whose program recurses 100000 levels deep on record 13 (line 14) only. */
  private static List<ProcessorSpec> overflowingOn13() throws IOException {
    return List.of(spec(0, "deep", "jq", "{\"program\":\"def f: if . < 100000 then . + 1 | f else . end;"
        + " if .id == 13 then (0 | f) else {id} end\"}"));
  }

  @Test
  void aStackOverflowOverAWholeChunkOrAtEndOfInputFailsTheRunNamingTheStep() throws Exception {
    String what = " (stack overflow): give wiz's threads a larger stack (WIZ_JAVA_OPTS=-Xss8m bin/wiz ...) or nest less";
    TestProcessors.Scripted chunkWide = new TestProcessors.Scripted((chunk, ctx) -> {
      if (chunk.index() == 1) throw new StackOverflowError(); // as sorting or grouping a chunk's records would
      return chunk;
    }, () -> {});
    Outcome o = run(events(30), 2, 10, OnError.DEAD_LETTER, List.of(chunkWide), List.of(spec(0, "s", "scripted", "{}")));
    assertEquals(RunReport.Status.FAILED, o.report().status());
    assertEquals("nesting too deep in processor 's' (scripted) on chunk t-0000-000001" + what, o.report().error(),
        "no record to dead-letter: the run stops, whatever run.onError says");
    assertFalse(o.report().internal(), "not a bug of wiz: exit 4");

    ProcessorFactory deepAtEnd = new ProcessorFactory() {
      @Override public String type() { return "deep-at-end"; }
      @Override public boolean loadBalance() { return false; }

      @Override
      public java.util.function.Supplier<dev.wiz.processor.Processor> prepare(JsonNode config, ProcessorSetup setup) {
        return () -> new dev.wiz.processor.Processor() {
          @Override
          public dev.wiz.processor.Chunk process(dev.wiz.processor.Chunk chunk) {
            return chunk.withRecords(List.of());
          }

          @Override
          public void finish(dev.wiz.processor.Emitter out) {
            throw new StackOverflowError(); // as comparing two keys nested too deep would
          }
        };
      }
    };
    Outcome end = run(events(30), 2, 10, OnError.DEAD_LETTER, List.of(deepAtEnd), List.of(spec(0, "all", "deep-at-end", "{}")));
    assertEquals(RunReport.Status.FAILED, end.report().status());
    assertEquals("nesting too deep in processor 'all' (deep-at-end) at end of input" + what, end.report().error(),
        "not 'reading after chunk 3'");
    assertFalse(end.report().internal());
  }

  @Test
  void aStackOverflowOnOneRecordIsARecordErrorOfItsStep() throws Exception {
    List<ProcessorFactory> f = List.of(new JqFactory());
    String why = "jq: recursion or nesting too deep (stack overflow) on this record: give wiz's threads a larger stack"
        + " (WIZ_JAVA_OPTS=-Xss8m bin/wiz ...), make the program recurse less (reduce or range instead of a function that"
        + " calls itself once per step) or nest the record less";
    long t0 = System.nanoTime();
    Outcome failed = run(events(30), 2, 10, OnError.FAIL, f, overflowingOn13());
    assertEquals(RunReport.Status.FAILED, failed.report().status());
    assertEquals("in.jsonl:14: processor 'deep' (jq): " + why + " (chunk t-0000-000001); set run.onError to skip or"
        + " dead-letter to go on past bad records", failed.report().error());
    assertFalse(failed.report().internal(), "no bug of wiz: exit 4");

    Outcome dead = run(events(30), 2, 10, OnError.DEAD_LETTER, f, overflowingOn13());
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, dead.report().status(), dead.report().error());
    assertEquals(IntStream.range(0, 30).filter(i -> i != 13).mapToObj(i -> "{\"id\":" + i + "}\n").collect(Collectors.joining()),
        dead.output(), "its neighbours in the chunk are written, in order");
    assertEquals(30, dead.report().recordsRead());
    assertEquals(29, dead.report().recordsWritten());
    assertEquals(1, dead.report().deadLettered());
    RunReport.StepCounts c = dead.report().processors().get(0);
    assertEquals(List.of(30L, 29L, 1L), List.of(c.in(), c.out(), c.deadLettered()));
    assertEquals(1, dead.deadLetters().size());
    JsonNode dl = Json.mapper().readTree(dead.deadLetters().get(0));
    assertEquals(why, dl.get("reason").asText());
    assertEquals("deep", dl.get("processor").asText());
    assertEquals(14, dl.get("line").asInt());
    assertEquals("{\"id\":13,\"status\":\"ok\",\"amount\":13.5}", dl.get("record").toString());
    Event deadEvent = dead.events().stream().filter(e -> e.type() == EventType.DEAD_LETTER).findFirst().orElseThrow();
    assertEquals("in.jsonl:14: " + why, deadEvent.error());
    assertEquals(1, deadEvent.recordsIn());

    Outcome skipped = run(events(30), 2, 10, OnError.SKIP, f, overflowingOn13());
    assertEquals(dead.output(), skipped.output());
    assertEquals(1, skipped.report().skipped());
    assertEquals("in.jsonl:14: " + why, skipped.events().stream().filter(e -> e.type() == EventType.DROP)
        .findFirst().orElseThrow().error());
    long millis = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(millis < 10_000, "three runs with an overflow each are quick: " + millis + " ms");
  }

  /** The line field of each dead letter by the id of its record ("-" when it has none). */
  private static Map<Integer, String> deadLetterLines(Outcome o) throws IOException {
    Map<Integer, String> lines = new java.util.TreeMap<>();
    for (String s : o.deadLetters()) {
      JsonNode dl = Json.mapper().readTree(s);
      lines.put(dl.get("record").get("id").asInt(), dl.has("line") ? dl.get("line").asText() : "-");
    }
    return lines;
  }

  @Test
  void aRecordKeepsItsInputLineThroughStepsThatMakeSeveralOfOneOrPassItOn() throws Exception {
    // Record 13 (line 14) becomes ids 130 and 131, record 25 (line 26) 250 and 251; 'first' passes
    // its records on without saying which is which: they are still its input records.
    Outcome o = run(events(100), 2, 10, OnError.DEAD_LETTER,
        List.of(new JqFactory(), new TestProcessors.Refusing()),
        List.of(spec(0, "two", "jq", "{\"program\":\".id as $i | {id: ($i * 10)}, {id: ($i * 10 + 1)}\"}"),
            spec(1, "first", "refusing", "{\"ids\":[131]}"),
            spec(2, "second", "refusing", "{\"ids\":[250, 251]}")));
    assertEquals(Map.of(131, "14", 250, "26", 251, "26"), deadLetterLines(o));
  }

  @Test
  void recordsExplodedIntoChildChunksKeepTheirRecordsLines() throws Exception {
    List<String> input = IntStream.range(0, 30)
        .mapToObj(i -> "{\"id\":" + i + ",\"xs\":[" + (i * 10) + "," + (i * 10 + 1) + "]}").toList();
    // Chunk 1 (lines 11-20) forks into two children of 10 records: 131 is in the first, 191 in the second.
    Outcome o = run(input, 2, 10, OnError.DEAD_LETTER, List.of(new dev.wiz.processors.ExplodeFactory(), new TestProcessors.Refusing()),
        List.of(spec(0, "each", "explode", "{\"field\":\"xs\",\"as\":\"id\"}"), spec(1, "r", "refusing", "{\"ids\":[131, 191]}")));
    assertEquals(Map.of(131, "14", 191, "20"), deadLetterLines(o));
    assertTrue(o.deadLetters().get(1).contains("\"chunk\":\"t-0000-000001.1\""), o.deadLetters().get(1));
  }

  @Test
  void aRecordAStepMadeWithoutSayingFromWhatOrAtEndOfInputIsNamedByItsChunk() throws Exception {
    // 'counting' makes new records and does not say of which: the line is lost, the range stays.
    List<ProcessorFactory> f = List.of(new TestProcessors.Counting(0), new TestProcessors.Refusing(), new TestProcessors.Replaying());
    Outcome copied = run(events(30), 2, 10, OnError.FAIL, f,
        List.of(spec(0, "c", "counting", "{}"), spec(1, "r", "refusing", "{\"ids\":[13]}")));
    assertTrue(copied.report().error().startsWith("in.jsonl:11-20 (chunk t-0000-000001): processor 'r' (refusing): id 13 is refused;"),
        copied.report().error());
    Outcome dead = run(events(30), 2, 10, OnError.DEAD_LETTER, f,
        List.of(spec(0, "c", "counting", "{}"), spec(1, "r", "refusing", "{\"ids\":[13]}")));
    JsonNode dl = Json.mapper().readTree(dead.deadLetters().get(0));
    assertFalse(dl.has("line"), dl.toString());
    assertEquals(11, dl.get("firstLine").asInt());
    assertEquals("id 13 is refused", dead.events().stream().filter(e -> e.type() == EventType.DEAD_LETTER)
        .findFirst().orElseThrow().error(), "no line to name");
    // Emitted at end of input (as aggregate and sort do): from every chunk, so from no line.
    Outcome replayed = run(events(30), 2, 10, OnError.FAIL, f,
        List.of(spec(0, "p", "replaying", "{}"), spec(1, "r", "refusing", "{\"ids\":[13]}")));
    assertTrue(replayed.report().error().startsWith("chunk t-0000-final-p-1: processor 'r' (refusing): id 13 is refused;"),
        replayed.report().error());
  }

  @Test
  void undecodableLinesAreRecordErrorsWithFileAndLine() throws Exception {
    List<String> input = new ArrayList<>(events(20));
    input.set(12, "{not json");
    Outcome failed = run(input, 2, 5, OnError.FAIL, List.of(), List.of());
    assertEquals(RunReport.Status.FAILED, failed.report().status());
    assertTrue(failed.report().error().startsWith("in.jsonl:13: not JSON"), failed.report().error());
    Outcome dead = run(input, 2, 5, OnError.DEAD_LETTER, List.of(), List.of());
    assertEquals(19, dead.output().lines().count());
    JsonNode dl = Json.mapper().readTree(dead.deadLetters().get(0));
    assertEquals(13, dl.get("line").asInt());
    assertEquals("{not json", dl.get("raw").asText());
    assertEquals(1, dead.report().decodeErrors());
  }

  @Test
  void retryableChunkErrorsAreRetriedAndOthersAreNot() throws Exception {
    TestProcessors.Flaky flaky = new TestProcessors.Flaky(2, true);
    Outcome ok = run(events(5), 1, 10, OnError.FAIL, List.of(flaky), List.of(spec(0, "x", "flaky", "{}")));
    assertEquals(RunReport.Status.SUCCESS, ok.report().status(), ok.report().error());
    assertEquals(3, flaky.calls.get());
    TestProcessors.Flaky hard = new TestProcessors.Flaky(1, false);
    Outcome failed = run(events(5), 1, 10, OnError.DEAD_LETTER, List.of(hard), List.of(spec(0, "x", "flaky", "{}")));
    assertEquals(1, hard.calls.get());
    assertEquals(5, failed.deadLetters().size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i + 1, Json.mapper().readTree(failed.deadLetters().get(i)).get("line").asInt(),
          "each record of a chunk that failed is named by its own line");
    }
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, failed.report().status());
    assertTrue(failed.events().stream().anyMatch(e -> e.type() == EventType.DEAD_LETTER && e.recordsIn() == 5));
  }

  @Test
  void theReaderStaysABoundedNumberOfChunksAheadOfTheSink() throws Exception {
    java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
    dev.wiz.io.Source counting = new dev.wiz.io.Source() {
      final dev.wiz.io.Source inner = MemoryIo.jsonl("in.jsonl", events(1000));

      @Override
      public dev.wiz.io.SourceBatch next(int max) throws IOException {
        dev.wiz.io.SourceBatch b = inner.next(max);
        if (b != null) batches.incrementAndGet();
        return b;
      }

      @Override public List<dev.wiz.io.InputFile> inputs() { return inner.inputs(); }
      @Override public void close() {}
    };
    MemoryIo.MemorySink blocked = new MemoryIo.MemorySink() {
      @Override
      public byte[] write(dev.wiz.io.Encoded chunk) {
        try {
          open.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.write(chunk);
      }
    };
    Path dir = Files.createDirectories(fs.getPath("/state/bounded"));
    try (ProvenanceLog log = ProvenanceLog.create(dir.resolve("p.jsonl"), "00000000-run", "sha256:k", Clock.systemUTC());
        DeadLetterLog dead = new DeadLetterLog(dir.resolve("d.jsonl"))) {
      Engine engine = new Engine(new Engine.Options(2, 10, OnError.FAIL, 1, 0, 0),
          new Engine.Context("b", log, dead, dir, () -> false), (c, r, w) -> {});
      java.util.concurrent.CompletableFuture<RunReport> run =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.run(counting, blocked, List.of()));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (batches.get() < 6 && System.nanoTime() < deadline) Thread.sleep(5);
      Thread.sleep(100);
      assertEquals(6, batches.get(), "2 workers: at most 2 * 2 + 2 chunks in flight while the sink is stuck");
      open.countDown();
      assertEquals(RunReport.Status.SUCCESS, run.get().status());
      assertEquals(100, batches.get());
      assertEquals(1000, blocked.text().lines().count());
    }
  }

  @Test
  void noProcessorsCopiesTheInputAndAnEmptyInputIsASuccess() throws Exception {
    Outcome copy = run(events(3), 2, 2, OnError.FAIL, List.of(), List.of());
    assertEquals(String.join("\n", events(3)) + "\n", copy.output());
    Outcome empty = run(List.of(), 2, 2, OnError.FAIL, List.of(), List.of());
    assertEquals(RunReport.Status.SUCCESS, empty.report().status());
    assertEquals(0, empty.report().chunks());
    assertTrue(empty.sink().completed);
    assertNull(empty.report().error());
  }
  /** Runs the engine with no processors on another thread; a run that hangs fails the test. */
  private RunReport runWithin10s(dev.wiz.io.Source source, MemoryIo.MemorySink sink, String name) throws Exception {
    Path dir = Files.createDirectories(fs.getPath("/state/" + name));
    try (ProvenanceLog log = ProvenanceLog.create(dir.resolve("p.jsonl"), "00000000-run", "sha256:k", Clock.systemUTC());
        DeadLetterLog dead = new DeadLetterLog(dir.resolve("d.jsonl"))) {
      Engine engine = new Engine(new Engine.Options(2, 10, OnError.SKIP, 1, 0, 0),
          new Engine.Context("e", log, dead, dir, () -> false), (c, r, w) -> {});
      RunReport report = java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.run(source, sink, List.of()))
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      log.commit();
      assertTrue(ProvenanceReader.verify(dir.resolve("p.jsonl")).isEmpty(), "the log verifies");
      return report;
    }
  }

  @Test
  void aJavaErrorWhileWritingFailsTheRunInsteadOfHangingIt() throws Exception {
    java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    MemoryIo.MemorySink sink = new MemoryIo.MemorySink() {
      @Override
      public byte[] write(dev.wiz.io.Encoded chunk) {
        if (writes.incrementAndGet() == 3) throw new OutOfMemoryError("Java heap space");
        return super.write(chunk);
      }
    };
    RunReport r = runWithin10s(MemoryIo.jsonl("in.jsonl", events(1000)), sink, "oom");
    assertEquals(RunReport.Status.FAILED, r.status());
    assertEquals("out of memory writing chunk e-000002 (Java heap space): give wiz a larger heap "
        + "(WIZ_JAVA_OPTS=-Xmx4g bin/wiz ...) or smaller chunks (chunking.records)", r.error());
    assertFalse(r.internal(), "not a bug of wiz: exit 4, not 1");
    assertEquals(2, r.chunks(), "the chunks before it were written");
    assertFalse(sink.completed, "the output is not moved into place");
  }

  @Test
  void aJavaErrorWhileReadingOrInAStageFailsTheRun() throws Exception {
    dev.wiz.io.Source deep = new dev.wiz.io.Source() {
      final dev.wiz.io.Source inner = MemoryIo.jsonl("in.jsonl", events(1000));
      int batches;

      @Override
      public dev.wiz.io.SourceBatch next(int max) throws IOException {
        if (++batches == 5) throw new StackOverflowError();
        return inner.next(max);
      }

      @Override public List<dev.wiz.io.InputFile> inputs() { return inner.inputs(); }
      @Override public void close() {}
    };
    RunReport r = runWithin10s(deep, new MemoryIo.MemorySink(), "deep");
    assertEquals(RunReport.Status.FAILED, r.status());
    assertTrue(r.error().startsWith("nesting too deep reading "), r.error());
    assertFalse(r.internal());

    MemoryIo.MemorySink encodeFails = new MemoryIo.MemorySink() {
      @Override
      public dev.wiz.io.Encoded encode(List<JsonNode> records) throws IOException {
        if (records.get(0).get("id").asInt() == 50) throw new NoClassDefFoundError("some/Missing");
        return super.encode(records);
      }
    };
    RunReport internal = runWithin10s(MemoryIo.jsonl("in.jsonl", events(1000)), encodeFails, "linkage");
    assertEquals(RunReport.Status.FAILED, internal.status());
    assertEquals("internal error in chunk e-000005: java.lang.NoClassDefFoundError: some/Missing", internal.error());
    assertTrue(internal.internal(), "a broken installation or a bug: exit 1");
  }

  /** A sink that cannot write the records with these ids; encoding on the writer thread when deferred (as csv). */
  private static MemoryIo.MemorySink refusing(boolean deferred, Integer... ids) {
    MemoryIo.MemorySink sink = new MemoryIo.MemorySink();
    sink.refused.addAll(List.of(ids));
    sink.deferred = deferred;
    return sink;
  }

  @Test
  void aRecordTheSinkCannotWriteFailsTheRunAtItsLineWhenOnErrorIsFail() throws Exception {
    List<ProcessorFactory> f = List.of(new FilterFactory(), new JqFactory());
    for (boolean deferred : List.of(false, true)) {
      // Line 38 is in the first chunk; the filter dropped records before it, and jq made new ones.
      Outcome o = run(events(100), 2, 50, OnError.FAIL, f, keepOkThenAddOne(), refusing(deferred, 37));
      assertEquals(RunReport.Status.FAILED, o.report().status());
      assertFalse(o.report().internal());
      assertEquals("in.jsonl:38: sink (jsonl): id 37 cannot be written (chunk t-0000-000000); set run.onError to skip"
          + " or dead-letter to go on past bad records", o.report().error(), "deferred " + deferred);
      assertEquals("", o.output(), "nothing of the chunk is written");
      assertTrue(o.events().stream().noneMatch(e -> e.type() == EventType.SEND));
    }
  }

  @Test
  void recordsTheSinkCannotWriteAreSkippedAndTheRestOfTheChunkAndTheRunGoOn() throws Exception {
    List<ProcessorFactory> f = List.of(new FilterFactory(), new JqFactory());
    for (boolean deferred : List.of(false, true)) {
      Outcome o = run(events(100), 2, 10, OnError.SKIP, f, keepOkThenAddOne(), refusing(deferred, 37, 38, 62));
      Outcome all = run(events(100), 2, 10, OnError.SKIP, f, keepOkThenAddOne());
      assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status());
      assertEquals(3, o.report().skipped());
      assertEquals(3, o.report().sinkSkipped());
      assertEquals(all.report().recordsWritten() - 3, o.report().recordsWritten());
      assertEquals(all.output().lines().filter(l -> !l.matches("\\{\"id\":(37|38|62),.*")).toList(), o.output().lines().toList());
      assertEquals(o.report().recordsRead(), o.report().recordsWritten() + o.report().filtered() + o.report().skipped(),
          "every record accounted for");
      RunReport.StepCounts next = o.report().processors().get(1);
      assertEquals(0, next.skipped(), "no processor's: the sink's");
      List<Event> drops = o.events().stream().filter(e -> e.type() == EventType.DROP).toList();
      assertEquals(List.of("first at in.jsonl:38: id 37 cannot be written", "in.jsonl:63: id 62 cannot be written"),
          drops.stream().map(Event::error).toList());
      assertEquals(List.of("sink"), drops.stream().map(e -> e.processor().id()).distinct().toList());
      assertEquals(List.of(2, 1), drops.stream().map(Event::recordsIn).toList());
      // Each chunk's SEND names what reached the output: its bytes hash to the digest (what --resume checks).
      byte[] out = o.output().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (Event send : o.events().stream().filter(e -> e.type() == EventType.SEND).toList()) {
        byte[] part = java.util.Arrays.copyOfRange(out, (int) send.sink().offset(), (int) (send.sink().offset() + send.sink().bytes()));
        assertEquals(Json.digest(part), send.outputDigest(), send.chunk());
        assertEquals(new String(part, java.nio.charset.StandardCharsets.UTF_8).lines().count(), (long) send.recordsOut());
      }
    }
  }

  @Test
  void recordsTheSinkCannotWriteAreDeadLetteredWithTheirLines() throws Exception {
    List<ProcessorFactory> f = List.of(new FilterFactory(), new JqFactory());
    for (boolean deferred : List.of(false, true)) {
      Outcome o = run(events(100), 2, 10, OnError.DEAD_LETTER, f, keepOkThenAddOne(), refusing(deferred, 37, 62));
      assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status());
      assertEquals(2, o.report().deadLettered());
      assertEquals(2, o.report().sinkDeadLettered());
      assertEquals(Map.of(37, "38", 62, "63"), deadLetterLines(o));
      JsonNode dl = Json.mapper().readTree(o.deadLetters().get(0));
      assertEquals("t-0000-000003", dl.get("chunk").asText());
      assertEquals("sink", dl.get("processor").asText());
      assertEquals("id 37 cannot be written", dl.get("reason").asText());
      assertEquals(31, dl.get("firstLine").asInt());
      assertEquals(Json.mapper().readTree("{\"id\":37,\"next\":38.5}"), dl.get("record"), "the record as the sink was given it");
      Event dead = o.events().stream().filter(e -> e.type() == EventType.DEAD_LETTER).findFirst().orElseThrow();
      assertEquals("in.jsonl:38: id 37 cannot be written", dead.error());
      assertEquals("sink", dead.processor().id());
      assertFalse(o.output().contains("\"id\":37,"));
    }
  }

  @Test
  void aRecordTheSinkCannotWriteIsNamedByItsLineWithoutStepsAndAfterAForkAndByItsChunkAtEndOfInput() throws Exception {
    Outcome none = run(events(30), 2, 10, OnError.DEAD_LETTER, List.of(), List.of(), refusing(false, 13));
    assertEquals(Map.of(13, "14"), deadLetterLines(none));
    List<String> input = IntStream.range(0, 30)
        .mapToObj(i -> "{\"id\":" + i + ",\"xs\":[" + (i * 10) + "," + (i * 10 + 1) + "]}").toList();
    Outcome forked = run(input, 2, 10, OnError.DEAD_LETTER, List.of(new dev.wiz.processors.ExplodeFactory()),
        List.of(spec(0, "each", "explode", "{\"field\":\"xs\",\"as\":\"id\"}")), refusing(false, 131, 191));
    assertEquals(Map.of(131, "14", 191, "20"), deadLetterLines(forked), "a fork as the last step keeps the lines too");
    Outcome replayed = run(events(30), 2, 10, OnError.FAIL, List.of(new TestProcessors.Replaying()),
        List.of(spec(0, "p", "replaying", "{}")), refusing(true, 13));
    assertTrue(replayed.report().error().startsWith("chunk t-0000-final-p-1: sink (jsonl): id 13 cannot be written;"),
        replayed.report().error());
  }

  @Test
  void aRecordAJqStepNestedDeeperThanWizReadsGoesOnThroughTheStepsToTheSink() throws Exception {
    // Digested between the steps at any depth; the sink (here one that refuses it) decides.
    Outcome o = run(events(30), 2, 10, OnError.DEAD_LETTER, List.of(new JqFactory(), new FilterFactory()),
        List.of(spec(0, "deep", "jq", "{\"program\":\"if .id == 13 then {id, v: reduce range(2000) as $i (null; [.])} else {id} end\"}"),
            spec(1, "all", "filter", "{\"where\":\"true\"}")), refusing(false, 13));
    assertEquals(RunReport.Status.COMPLETED_WITH_ERRORS, o.report().status(), String.valueOf(o.report().error()));
    assertEquals(29, o.report().recordsWritten());
    JsonNode dl = Json.mapper().readTree(o.deadLetters().get(0));
    assertEquals(14, dl.get("line").asInt());
    assertTrue(dl.get("raw").asText().startsWith("{\"id\":13,\"v\":[[["), "too deep for a record wiz reads: its JSON text");
  }
}

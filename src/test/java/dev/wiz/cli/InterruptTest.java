package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT/SIGTERM (the CLI's cancel flag) while a run waits for something: the run ends
 * interrupted (exit 130, no failure), keeps what it committed, and --resume finishes it with the
 * bytes of an uninterrupted run.
 */
class InterruptTest {
  private static final String INPUT = IntStream.rangeClosed(1, 20).mapToObj(i -> "{\"id\":" + i + "}")
      .collect(Collectors.joining("\n", "", "\n"));

  /**
   * A program that passes its input through, except that the first time it sees record 6 it
   * says so (the file {@code started}) and waits far longer than the test: only the
   * cancellation ends that wait.
   */
  private static final String STREAM = "d=$(cat); case \"$d\" in *'\"id\":6}'*) [ -e started ] || { touch started; "
      + "sleep 60; };; esac; printf '%s\\n' \"$d\"";
  private static final String LINE_PER_RECORD = "while IFS= read -r line; do case \"$line\" in *'\"id\":6}'*) "
      + "[ -e started ] || { touch started; sleep 60; };; esac; printf '%s\\n' \"$line\"; done";

  /** Runs {@code wiz run} on another thread, sets the cancel flag once {@code started} exists, and waits for the end. */
  private static CliHarness.Result cancelOnceStarted(CliHarness wiz, Path dir, String... args) throws Exception {
    return cancelOnce(wiz, () -> Files.exists(dir.resolve("started")), "the program reached record 6", args);
  }

  /** Runs {@code wiz run} on another thread, sets the cancel flag once {@code ready} says so, and waits for the end. */
  private static CliHarness.Result cancelOnce(CliHarness wiz, java.util.function.BooleanSupplier ready, String what,
      String... args) throws Exception {
    AtomicBoolean cancelled = new AtomicBoolean();
    wiz.cancelled = cancelled;
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> wiz.run(args));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!ready.getAsBoolean() && !run.isDone() && System.nanoTime() < until) {
      Thread.sleep(5); // waits for the run, not for a moment
    }
    assertTrue(ready.getAsBoolean(), () -> what + ": " + run.getNow(null));
    cancelled.set(true);
    CliHarness.Result r = run.get(30, TimeUnit.SECONDS);
    wiz.cancelled = null;
    return r;
  }

  /** Whether the run's provenance log holds a chunk's SEND (with run.commitMillis 0, the chunk is committed). */
  private static boolean sentAChunk(Path dir) {
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      for (Path run : (Iterable<Path>) runs::iterator) {
        Path log = run.resolve("provenance.jsonl");
        if (Files.exists(log) && Files.readString(log).contains("\"type\":\"SEND\"")) return true;
      }
      return false;
    } catch (IOException e) {
      return false; // not there yet
    }
  }

  /**
   * A jq step whose program runs for ever on record 6 (chunk 1), as a program with a bug does;
   * chunk 0 is committed at once.
   */
  private static void loopingJqPipeline(Path dir) throws IOException {
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 5 }\n"
        + "processors:\n  - id: j\n    type: jq\n    config: { program: 'if .id == 6 then last(range(1e15)) else . end' }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: dead-letter, workers: 1, maxFailures: 1, commitMillis: 0 }\n");
  }

  @Test
  void cancellingWhileAJqStepRunsForEverStopsItAndLeavesItsChunkForResume(@TempDir Path dir) throws Exception {
    loopingJqPipeline(dir);
    CliHarness wiz = new CliHarness(dir);

    CliHarness.Result stopped = cancelOnce(wiz, () -> sentAChunk(dir), "chunk 0 was committed", "run", "p.yaml");
    assertEquals(130, stopped.code(), stopped.toString());
    assertTrue(stopped.err().startsWith("wiz: interrupted in "), stopped.toString());
    assertTrue(stopped.err().contains(": 1 chunk, "), stopped.toString());
    assertTrue(stopped.err().contains(", 5 written\n"), "nothing skipped or dead-lettered: " + stopped);
    assertFalse(stopped.err().contains("dead letters:"), stopped.toString());
    assertEquals("interrupted", runStatus(dir));
    assertFalse(Files.exists(dir.resolve("out.jsonl")), "the target is left as it was");
    JsonNode request = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).get(0);
    assertEquals(0, request.get("failures").asInt(), "an interrupted run is no failure: " + request);
    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    CliHarness.Result plan = wiz.run("run", "--resume", "--dry-run", "p.yaml");
    assertEquals(0, plan.code(), plan.toString());
    assertTrue(plan.err().contains("1 chunk already committed"), "--resume goes on with chunk 1: " + plan);
  }

  @Test
  void whatASignalMakesARunDoIsSaidOnALineOfItsOwnAtATerminal() {
    java.io.StringWriter text = new java.io.StringWriter();
    RunCommand.Progress shown = new RunCommand.Progress(new java.io.PrintWriter(text), true);
    shown.interrupting(2);
    shown.stoppingAtOnce(1);
    shown.interrupting(0);
    shown.stoppingAtOnce(3);
    shown.stoppingAtOnce(0);
    assertEquals("\r\033[Kwiz: interrupting: waiting for 2 chunks in flight (Ctrl-C again to stop at once)\n"
        + "\r\033[Kwiz: stopping at once: 1 chunk in flight is left for --resume\n"
        + "\r\033[Kwiz: interrupting (Ctrl-C again to stop at once)\n"
        + "\r\033[Kwiz: stopping at once: 3 chunks in flight are left for --resume\n"
        + "\r\033[Kwiz: stopping at once\n", text.toString());
    java.io.StringWriter none = new java.io.StringWriter();
    RunCommand.Progress off = new RunCommand.Progress(new java.io.PrintWriter(none), false); // no terminal, or -q
    off.interrupting(2);
    off.stoppingAtOnce(1);
    assertEquals("", none.toString());
  }

  @ParameterizedTest(name = "quiet {0}")
  @CsvSource({"false", "true"})
  void aSignalAtATerminalSaysWhatTheRunWaitsFor(boolean quiet, @TempDir Path dir) throws Exception {
    loopingJqPipeline(dir);
    CliHarness wiz = new CliHarness(dir);
    wiz.terminal = true;
    CliHarness.Result stopped = quiet
        ? cancelOnce(wiz, () -> sentAChunk(dir), "chunk 0 was committed", "-q", "run", "p.yaml")
        : cancelOnce(wiz, () -> sentAChunk(dir), "chunk 0 was committed", "run", "p.yaml");
    assertEquals(130, stopped.code(), stopped.toString());
    if (quiet) {
      assertEquals("", stopped.err());
    } else {
      // The progress line (if it was shown) is cleared first. The count is of the chunks read and
      // not yet written or left when the run looked (within 50 ms): the looping one and those read
      // ahead (at most 2 x workers + 2), or none when they had stopped already (the steps stop at
      // once, so the line is followed by the summary here). A chunk committed after the line is
      // shown by a new progress line below it, which is cleared before the summary.
      assertTrue(java.util.regex.Pattern.compile("(?s)^(\r.*)?\r\033\\[Kwiz: interrupting(: waiting for [1-4] chunks? in flight)? "
          + "\\(Ctrl-C again to stop at once\\)\n(\rwiz: [0-9]+ chunks, [^\r\n]*\r\033\\[K)?wiz: interrupted in .*")
          .matcher(stopped.err()).matches(), stopped.toString());
    }
  }

  private static String runStatus(Path dir) throws IOException {
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      Path only = runs.findFirst().orElseThrow();
      return Json.mapper().readTree(only.resolve("run.json").toFile()).path("status").asText();
    }
  }

  @ParameterizedTest(name = "onError {0}, {1}")
  @CsvSource({
    "dead-letter, stream",
    "skip, stream",
    "fail, stream",
    "dead-letter, line-per-record",
    "fail, line-per-record",
    "dead-letter, pool",
    "fail, pool",
  })
  void cancellingDuringAnExecStepLeavesItsChunksForResume(String onError, String mode, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    String exec = mode.equals("stream")
        ? "    config: { command: [/bin/sh, -c, '" + STREAM.replace("'", "''") + "'] }\n"
        : (mode.equals("pool") ? "    workers: { model: pool, size: 1 }\n" : "")
            + "    config: { command: [/bin/sh, -c, '" + LINE_PER_RECORD.replace("'", "''") + "'], protocol: line-per-record }\n";
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 5 }\n"
        + "processors:\n  - id: slow\n    type: exec\n" + exec
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: " + onError + ", workers: 1, maxFailures: 1 }\n");
    CliHarness wiz = new CliHarness(dir);

    CliHarness.Result stopped = cancelOnceStarted(wiz, dir, "run", "p.yaml");
    assertEquals(130, stopped.code(), stopped.toString());
    assertTrue(stopped.err().startsWith("wiz: interrupted in "), stopped.toString());
    assertTrue(stopped.err().contains(": 1 chunk, "), stopped.toString());
    assertTrue(stopped.err().contains(", 5 written\n"), "nothing skipped or dead-lettered: " + stopped);
    assertFalse(stopped.err().contains("failed"), stopped.toString());
    assertFalse(stopped.err().contains("dead letters:"), stopped.toString());
    assertEquals("interrupted", runStatus(dir));
    assertFalse(Files.exists(dir.resolve("out.jsonl")), "the target is left as it was");
    JsonNode request = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).get(0);
    assertEquals(0, request.get("failures").asInt(), "an interrupted run is no failure: " + request);

    CliHarness.Result resumed = wiz.run("run", "--resume", "p.yaml");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("1 chunk already committed"), resumed.toString());
    assertEquals(INPUT, Files.readString(dir.resolve("out.jsonl")), "the bytes of an uninterrupted run");
  }

  @ParameterizedTest(name = "onError {0}")
  @CsvSource({"dead-letter", "fail"})
  void cancellingAStepAfterSortLeavesTheSortedOutputForResume(String onError, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 5 }\n"
        + "processors:\n  - id: order\n    type: sort\n    config: { by: [{ key: .id, order: desc }] }\n"
        + "  - id: slow\n    type: exec\n    config: { command: [/bin/sh, -c, '" + STREAM.replace("'", "''") + "'] }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: " + onError + ", workers: 1 }\n");
    CliHarness wiz = new CliHarness(dir);

    CliHarness.Result stopped = cancelOnceStarted(wiz, dir, "run", "p.yaml");
    assertEquals(130, stopped.code(), stopped.toString());
    assertTrue(stopped.err().startsWith("wiz: interrupted in "), stopped.toString());
    assertTrue(stopped.err().startsWith("wiz: interrupted in ") && stopped.err().contains(": 6 chunks, 20 records read, 10 written\n"),
        "the final chunks before the cut are committed, nothing is dead-lettered: " + stopped);
    assertEquals("interrupted", runStatus(dir));

    CliHarness.Result resumed = wiz.run("run", "--resume", "p.yaml");
    assertEquals(0, resumed.code(), resumed.toString());
    String sorted = IntStream.iterate(20, i -> i >= 1, i -> i - 1).mapToObj(i -> "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n"));
    assertEquals(sorted, Files.readString(dir.resolve("out.jsonl")));
  }

  /**
   * Standard input whose writer sends {@code text}, then waits (as {@code sleep 120 | wiz run}):
   * a read blocks until {@link #end} is called. {@code waiting} is counted down when a read blocks.
   */
  private static final class PipeThatWaits extends java.io.InputStream {
    private final java.io.ByteArrayInputStream text;
    final java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    PipeThatWaits(String text) {
      this.text = new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      int n = text.read(b, off, len);
      if (n > 0) return n;
      waiting.countDown();
      try {
        ended.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      return -1;
    }

    void end() {
      ended.countDown();
    }
  }

  @ParameterizedTest(name = "format {0}")
  @CsvSource({"jsonl", "lines", "csv", "json"})
  void aSignalWhileStdinWaitsForInputEndsTheRunAtOnceAsInterrupted(String format, @TempDir Path dir) throws Exception {
    String header = format.equals("csv") ? "id\n" : format.equals("json") ? "[\n" : "";
    String rows = IntStream.rangeClosed(1, 12)
        .mapToObj(i -> format.equals("csv") ? Integer.toString(i) : format.equals("json") ? "{\"id\":" + i + "}," : "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: stdin, format: " + format + " }\n"
        + "chunking: { records: 5 }\nsink: { type: stdout }\nrun: { workers: 1 }\n");
    PipeThatWaits stdin = new PipeThatWaits(header + rows);
    CliHarness wiz = new CliHarness(dir);
    wiz.stdinStream = stdin;
    AtomicBoolean cancelled = new AtomicBoolean();
    wiz.cancelled = cancelled;
    CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(() -> wiz.run("run", "p.yaml"));
    try {
      assertTrue(stdin.waiting.await(30, TimeUnit.SECONDS), "wiz read what was sent and waits for more");
      cancelled.set(true); // SIGTERM
      CliHarness.Result r = run.get(10, TimeUnit.SECONDS);
      assertEquals(130, r.code(), r.toString());
      assertTrue(r.err().startsWith("wiz: interrupted in "), r.toString());
      assertTrue(r.err().contains(": 2 chunks, 10 records read, 10 written\n"), "the chunks read before are kept: " + r);
      String first10 = IntStream.rangeClosed(1, 10)
          .mapToObj(i -> format.equals("csv") ? "{\"id\":\"" + i + "\"}" : format.equals("lines") ? "\"{\\\"id\\\":" + i + "}\"" : "{\"id\":" + i + "}")
          .collect(Collectors.joining("\n", "", "\n"));
      assertEquals(first10, r.out());
      assertEquals("interrupted", runStatus(dir));
    } finally {
      stdin.end();
    }
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.run;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.Harness.Ctx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecTest {
  private static final ExecFactory EXEC = new ExecFactory();

  private static ObjectNode config(String... command) {
    ObjectNode c = Json.mapper().createObjectNode();
    ArrayNode a = c.putArray("command");
    for (String s : command) a.add(s);
    return c;
  }

  private static ObjectNode sh(String script) {
    return config("/bin/sh", "-c", script);
  }

  /**
   * True when the process has ended: not there, or a zombie (Linux: a killed grandchild is a zombie
   * until its new parent reaps it, and {@link ProcessHandle#isAlive} counts zombies as alive).
   */
  private static boolean gone(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return true;
    String s;
    try {
      s = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      return true; // reaped since it was seen alive: /proc says "No such process", or has no such file
    }
    return s.substring(s.lastIndexOf(')') + 1).strip().startsWith("Z");
  }

  private static ProcessorException failure(ObjectNode config, String... records) {
    return assertThrows(ProcessorException.class, () -> run(EXEC, config.toString(), new Ctx(), records));
  }

  @Test
  void catIsTheIdentityForNullsUnicodeAndHugeValues() throws Exception {
    String big = "x".repeat(1_000_000);
    String[] in = {
        "{\"id\":1,\"name\":\"Zoë 🚀 日本語\",\"rtl\":\"שלום\",\"esc\":\"a\\u0000b\\n\\\"\"}",
        "{\"id\":2,\"v\":null,\"missing\":{}}",
        "null",
        "123456789012345678901234567890",
        "[1,\"two\",[3]]",
        "{\"big\":\"" + big + "\"}"};
    List<String> out = run(EXEC, config("cat").toString(), new Ctx(), in);
    assertEquals(List.of(in).stream().map(s -> Harness.json(s).toString()).toList(), out);
    assertEquals(in[3], out.get(3), "big integers keep every digit");
  }

  @Test
  void numbersAProgramPassesThroughKeepTheirText() throws Exception {
    String in = "{\"a\":1e10,\"b\":41.0,\"c\":-0,\"d\":1E+400,\"e\":1.10,\"f\":41.37,\"g\":[5e-324]}";
    assertEquals(List.of(in), run(EXEC, config("cat").toString(), new Ctx(), in));
    ObjectNode out = (ObjectNode) Harness.json("{}");
    out.put("three", 3.0).put("big", 1e19);
    assertEquals(List.of("{\"three\":3,\"big\":1e+19}"), Harness.strings(Harness.runChunks(EXEC, config("cat").toString(),
        new Ctx(), List.of(List.of(out)))), "the program reads computed numbers as jq writes them");
  }

  @Test
  void everyNonBlankStdoutLineIsARecordSoOneInputMayGiveSeveral() throws Exception {
    ObjectNode twice = sh("while IFS= read -r l; do printf '%s\\n\\n%s\\n' \"$l\" \"$l\"; done; printf '   \\n'");
    assertEquals(List.of("{\"a\":1}", "{\"a\":1}", "{\"a\":2}", "{\"a\":2}"),
        run(EXEC, twice.toString(), new Ctx(), "{\"a\":1}", "{\"a\":2}"));
    ObjectNode none = sh("cat >/dev/null");
    assertEquals(List.of(), run(EXEC, none.toString(), new Ctx(), "{\"a\":1}"));
    ObjectNode scalars = sh("cat >/dev/null; echo 1; echo '\"s\"'; echo null; echo true");
    assertEquals(List.of("1", "\"s\"", "null", "true"), run(EXEC, scalars.toString(), new Ctx(), "{}"),
        "with stream, any JSON value is a record, null too");
  }

  @Test
  void anEmptyChunkStartsNoProgramAndGivesAnEmptyChunk() throws Exception {
    assertEquals(List.of(), run(EXEC, sh("echo '{\"made\":1}'").toString(), new Ctx()));
    ObjectNode lines = sh("echo '{\"made\":1}'; cat");
    lines.put("protocol", "line-per-record");
    assertEquals(List.of(), run(EXEC, lines.toString(), new Ctx()));
  }

  @Test
  void aNonZeroExitFailsTheChunkWithTheCodeAndTheStderrTail() {
    ProcessorException e = failure(sh("cat >/dev/null; echo '{\"ok\":1}'; echo first >&2; echo 'it broke' >&2; exit 3"), "{}");
    assertEquals("program '/bin/sh' exited with code 3 after 1 stdout lines; the last lines of its stderr:\n"
        + "  | first\n  | it broke", e.getMessage());
    assertTrue(e.retryable(), "a crash may be passing: the engine retries it per run.maxAttempts");
    ProcessorException quiet = failure(sh("exit 1"), "{}");
    assertEquals("program '/bin/sh' exited with code 1 after 0 stdout lines (its stderr was empty)", quiet.getMessage());
  }

  @Test
  void aProgramKilledBySignalIsNamed() {
    ProcessorException e = failure(sh("kill -9 $$"), "{}");
    assertTrue(e.getMessage().startsWith("program '/bin/sh' exited with code 137 (killed by signal 9 KILL)"), e.getMessage());
  }

  @Test
  void theStderrTailKeepsTheLastTwentyLines() {
    ProcessorException e = failure(sh("cat >/dev/null; i=0; while [ $i -lt 3000 ]; do i=$((i+1)); echo \"line $i\" >&2; done; exit 2"), "{}");
    List<String> tail = e.getMessage().lines().skip(1).toList();
    assertEquals(20, tail.size(), e.getMessage());
    assertEquals("  | line 2981", tail.get(0));
    assertEquals("  | line 3000", tail.get(19));
  }

  @Test
  void aStdoutLineThatIsNotJsonFailsTheChunkWithItsLineNumber() {
    ProcessorException e = failure(sh("cat >/dev/null; echo '{\"a\":1}'; echo; echo 'hello world'; echo oops >&2"), "{}");
    assertTrue(e.getMessage().startsWith(
        "program '/bin/sh' wrote a line that is not JSON (stdout line 3 of the chunk, column 1: 'hello' is not a JSON value "
        + "(true, false, null, a number, a string, an array or an object)): \"hello world\""), e.getMessage());
    assertFalse(e.retryable(), "the same input gives the same garbage");
    ProcessorException trailing = failure(sh("cat >/dev/null; echo '{\"a\":1} {\"b\":2}'"), "{}");
    assertTrue(trailing.getMessage().contains("(stdout line 1 of the chunk, column 9: a second value on the line after the "
        + "first ends at column 7): \"{\\\"a\\\":1} {\\\"b\\\":2}\""), trailing.getMessage());
    ProcessorException wide = failure(sh("cat >/dev/null; printf '{\"\\303\\251\":1,,}\\n'"), "{}"); // é: two bytes, one column
    assertTrue(wide.getMessage().contains("(stdout line 1 of the chunk, column 8: expected a key in double quotes, found ',')"),
        wide.getMessage());
    ProcessorException longLine = failure(sh("cat >/dev/null; printf 'y%.0s' $(seq 1 500); echo"), "{}");
    assertTrue(longLine.getMessage().contains(": \"" + "y".repeat(80) + "…\""), "excerpts are cut at 80 characters: " + longLine.getMessage());
  }

  @Test
  void stdoutThatIsNotUtf8FailsTheChunk() {
    ProcessorException e = failure(sh("cat >/dev/null; echo '\"ok\"'; printf '\"\\377\"\\n'"), "{}");
    assertEquals("program '/bin/sh' wrote a line that is not UTF-8 (stdout line 2 of the chunk): \"\\\"\uFFFD\\\"\""
        + " (its stderr was empty)", e.getMessage());
  }

  @Test
  void aTimeoutKillsTheProgramAndWhatItStarted() throws IOException {
    ObjectNode slow = sh("sleep 30 & echo \"pids $$ $!\" >&2; wait");
    slow.put("timeoutSeconds", 0.3);
    ProcessorException e = failure(slow, "{}");
    assertTrue(e.getMessage().startsWith(
        "program '/bin/sh' timed out: the chunk took longer than timeoutSeconds (0.3) after 0 stdout lines; it was killed"),
        e.getMessage());
    assertTrue(e.retryable());
    Matcher m = Pattern.compile("pids (\\d+) (\\d+)").matcher(e.getMessage());
    assertTrue(m.find(), e.getMessage());
    for (int i = 1; i <= 2; i++) {
      long pid = Long.parseLong(m.group(i));
      assertTrue(eventuallyGone(pid), "process " + pid + " is gone");
    }
  }

  /** SIGKILL is delivered asynchronously: a killed process may take a moment to die. */
  private static boolean eventuallyGone(long pid) throws IOException {
    for (int i = 0; i < 250; i++) {
      if (gone(pid)) return true;
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return gone(pid);
  }

  /** Whether this machine has a /proc, where wiz finds the processes that left a program's tree. */
  private static void assumeProc() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux: /proc lists the processes");
  }

  /** A sleep with an argument no other process has, so that the test finds it by its command line. */
  private static String marker() {
    return "sleep " + (300 + ThreadLocalRandom.current().nextInt(100)) + "." + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
  }

  /** The live processes (not zombies) whose command line is the marker. */
  private static List<Long> running(String marker) throws IOException {
    List<Long> pids = new ArrayList<>();
    for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
      try {
        byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + h.pid() + "/cmdline"));
        if (new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip().equals(marker) && !gone(h.pid())) {
          pids.add(h.pid());
        }
      } catch (IOException e) {
        // gone meanwhile
      }
    }
    return pids;
  }

  /** True when no process runs the marker, at once or soon (SIGKILL is delivered asynchronously). */
  private static boolean noneRunning(String marker) throws Exception {
    for (int i = 0; i < 250 && !running(marker).isEmpty(); i++) Thread.sleep(20);
    return running(marker).isEmpty();
  }

  /** Kills what a test left running when it failed, so that a failure costs no stray sleep. */
  private static void killLeft(String... markers) throws IOException {
    for (String m : markers) {
      for (long pid : running(m)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * A program that exited while a process it started in the background (a daemon, re-parented to
   * init) still holds its stdout: the chunk fails soon after the exit, not at the timeout (the
   * pipe would never end), and that process is killed.
   */
  @Test
  void aBackgroundProcessThatHoldsStdoutAfterTheExitFailsTheChunkSoonAndIsKilled() throws Exception {
    assumeProc();
    String sleep = marker();
    try {
      ObjectNode config = sh("cat; (" + sleep + " &)");
      config.put("timeoutSeconds", 30);
      long start = System.nanoTime();
      ProcessorException e = failure(config, "{\"id\":1}");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(e.getMessage().matches("program '/bin/sh' exited with code 0 after 1 stdout lines, but a process it"
          + " started in the background \\(pid \\d+: '" + sleep + "'\\) still held its stdout open 0.5 s later; wiz killed"
          + " it and keeps no output of the chunk: redirect the output of a background process \\(cmd >/dev/null 2>&1 &\\)"
          + " or wait for it \\(its stderr was empty\\)"), e.getMessage());
      assertFalse(e.retryable(), "the program would do it again");
      assertTrue(seconds < 15, "well before the 30 s timeout: " + seconds + " s");
      assertTrue(noneRunning(sleep), sleep + " was killed");
    } finally {
      killLeft(sleep);
    }
  }

  /**
   * When the program exits, the JDK drains what its stdout has available and closes it, unless a
   * read is in progress: here the reading thread is busy (blocked handing over a full queue of
   * lines, as nobody takes them), and still stdout does not end while the process the program left
   * holds it, so that process is always seen.
   */
  @Test
  void stdoutEndsOnlyOnceEveryProcessHoldingItClosedItWhateverTheReaderDidAtTheExit() throws Exception {
    assumeProc();
    String sleep = marker();
    ChildProcess c = null;
    try {
      // 100 lines, one read each: more batches than the queue holds.
      ObjectNode config = sh("i=0; while [ $i -lt 100 ]; do echo '{}'; sleep 0.01; i=$((i+1)); done; (" + sleep + " &)");
      c = ChildProcess.start(ExecConfig.of(config, Harness.SETUP), "test", ProcessSweep.system());
      c.closeStdin();
      assertEquals(0, c.waitFor(java.util.concurrent.TimeUnit.SECONDS.toNanos(30)));
      Thread.sleep(200); // the JDK's reaper acts on the exit
      int lines = 0;
      ChildProcess.Out o;
      while ((o = c.poll(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300))) instanceof ChildProcess.Line) lines++;
      assertEquals(100, lines);
      assertEquals(null, o, "no end of stdout while " + sleep + " holds it");
      ChildProcess.Cleanup cleanup = c.kill();
      assertEquals(1, cleanup.holders().size(), cleanup.toString());
      assertTrue(c.poll(java.util.concurrent.TimeUnit.SECONDS.toNanos(10)) instanceof ChildProcess.End, "killed, it closed stdout");
    } finally {
      if (c != null) c.end();
      killLeft(sleep);
    }
  }

  @Test
  void whatAProgramLeftRunningIsKilledWhenItExitsAndTheChunkIsKept() throws Exception {
    assumeProc();
    String quiet = marker();
    String stderr = marker();
    try {
      // One detached with its output elsewhere, one that holds stderr only: neither changes the output.
      ObjectNode config = sh("cat; (" + quiet + " >/dev/null 2>&1 &); (" + stderr + " >/dev/null &)");
      assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), run(EXEC, config.toString(), new Ctx(), "{\"id\":1}", "{\"id\":2}"));
      assertTrue(noneRunning(quiet), quiet + " was killed");
      assertTrue(noneRunning(stderr), stderr + " was killed");
    } finally {
      killLeft(quiet, stderr);
    }
  }

  @Test
  void aTimeoutKillsWhatTheProgramStartedEvenOnceItLeftTheProcessTree() throws Exception {
    assumeProc();
    String quiet = marker();
    String holder = marker();
    try {
      ObjectNode slow = sh("(" + quiet + " >/dev/null 2>&1 &); (" + holder + " &); exec sleep 30");
      slow.put("timeoutSeconds", 0.3);
      ProcessorException e = failure(slow, "{}");
      assertEquals("program '/bin/sh' timed out: the chunk took longer than timeoutSeconds (0.3) after 0 stdout lines;"
          + " it was killed (its stderr was empty)", e.getMessage());
      assertTrue(noneRunning(quiet), quiet + " was killed");
      assertTrue(noneRunning(holder), holder + " was killed");
    } finally {
      killLeft(quiet, holder);
    }
  }

  @Test
  void cancellingTheRunKillsWhatTheProgramStartedEvenOnceItLeftTheProcessTree(@TempDir Path dir) throws Exception {
    assumeProc();
    String sleep = marker();
    try {
      Path started = dir.resolve("started");
      ObjectNode config = sh("(" + sleep + " >/dev/null 2>&1 &); touch '" + started + "'; exec sleep 60");
      Ctx ctx = new Ctx();
      ctx.cancelledWhen = () -> Files.exists(started);
      RunCancelledException e = assertThrows(RunCancelledException.class, () -> run(EXEC, config.toString(), ctx, "{}"));
      assertTrue(e.getMessage().startsWith("program '/bin/sh' stopped because the run is being cancelled (after 0 "),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("; it was killed"), e.getMessage());
      assertTrue(noneRunning(sleep), sleep + " was killed");
    } finally {
      killLeft(sleep);
    }
  }

  @Test
  void linePerRecordKillsWhatItsProgramLeftRunningAndSeesAHeldStdout() throws Exception {
    assumeProc();
    String kept = marker();
    String early = marker();
    try {
      ObjectNode echo = sh("(" + kept + " &); while IFS= read -r l; do printf '%s\\n' \"$l\"; done");
      echo.put("protocol", "line-per-record");
      Ctx once = new Ctx();
      once.oneChunk = true;
      assertEquals(List.of("{\"id\":1}"), run(EXEC, echo.toString(), once, "{\"id\":1}"),
          "every record answered: a process that held stdout after the exit changes nothing");
      assertTrue(noneRunning(kept), kept + " was killed");

      ObjectNode one = sh("(" + early + " &); head -n 1");
      one.put("protocol", "line-per-record");
      one.put("timeoutSeconds", 30);
      long start = System.nanoTime();
      ProcessorException e = failure(one, "{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(e.getMessage().matches("program '/bin/sh' exited with code 0 after answering 1 of 3 records \\(pid \\d+: '"
          + early + "', which it started in the background, held its stdout open after it exited; wiz killed it\\)"
          + " \\(its stderr was empty\\)"), e.getMessage());
      assertTrue(seconds < 15, "well before the 30 s timeout: " + seconds + " s");
      assertTrue(noneRunning(early), early + " was killed");
    } finally {
      killLeft(kept, early);
    }
  }

  /**
   * The JDK ends stdout at the program's exit unless the thread that reads it holds its lock, and
   * that thread starts after the program: on a loaded machine it may get on only after a program
   * that was given its input at once had exited, and the process it left holding stdout was never
   * seen (the flake of the test above). No input is written before that thread has the lock: made
   * late by half a second, time enough for this program to exit if it had its input, it still sees
   * the held stdout.
   */
  @Test
  void aStdoutThreadThatGetsOnLateStillSeesAHeldStdout() throws Exception {
    assumeProc();
    String early = marker();
    try {
      ChildProcess.beforeReading = p -> {
        try {
          p.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      };
      ObjectNode one = sh("(" + early + " &); head -n 1");
      one.put("protocol", "line-per-record");
      one.put("timeoutSeconds", 30);
      ProcessorException e = failure(one, "{\"a\":1}", "{\"a\":2}", "{\"a\":3}");
      assertTrue(e.getMessage().matches("program '/bin/sh' exited with code 0 after answering 1 of 3 records \\(pid \\d+: '"
          + early + "', which it started in the background, held its stdout open after it exited; wiz killed it\\)"
          + " \\(its stderr was empty\\)"), e.getMessage());
      assertTrue(noneRunning(early), early + " was killed");
    } finally {
      ChildProcess.beforeReading = null;
      killLeft(early);
    }
  }

  @Test
  void theProgramGetsAFreshTokenAfterTheOnesItWouldInherit() throws Exception {
    ObjectNode config = sh("cat >/dev/null; printf '\"%s\"\\n' \"$WIZ_EXEC_TOKEN\"");
    String first = run(EXEC, config.toString(), new Ctx(), "{}").get(0);
    String second = run(EXEC, config.toString(), new Ctx(), "{}").get(0);
    assertTrue(first.matches("\"[0-9a-f]{32}\""), first);
    assertNotEquals(first, second, "each process has its own");
    config.putObject("env").put("WIZ_EXEC_TOKEN", "outer");
    String nested = run(EXEC, config.toString(), new Ctx(), "{}").get(0);
    assertTrue(nested.matches("\"outer:[0-9a-f]{32}\""), "wiz under an exec step passes its own on: " + nested);
  }

  /**
   * Without /proc the processes that left the program's tree cannot be found: a stdout held open
   * after the exit still fails the chunk soon, saying that the holder may still run.
   */
  @Test
  void withoutProcAHeldStdoutFailsTheChunkSoonAndSaysTheHolderMayStillRun(@TempDir Path dir) throws Exception {
    assumeProc(); // the holder is found for the clean-up by /proc
    String sleep = marker();
    try {
      ObjectNode config = sh("cat; (" + sleep + " &)");
      config.put("timeoutSeconds", 30);
      ProcessSweep none = new ProcessSweep(dir.resolve("no-proc"), ProcessHandle.current().pid());
      try (Processor p = new ExecProcessor(ExecConfig.of(config, Harness.SETUP), none)) {
        p.init(new Ctx());
        long start = System.nanoTime();
        ProcessorException e = assertThrows(ProcessorException.class, () -> p.process(new Chunk("c", 0, records("{}"), 0)));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("program '/bin/sh' exited with code 0 after 1 stdout lines, but a process it started in the background"
            + " still held its stdout open 0.5 s later; wiz keeps no output of the chunk: redirect the output of a"
            + " background process (cmd >/dev/null 2>&1 &) or wait for it; processes it started that left its process"
            + " tree cannot be found without /proc and may still run (its stderr was empty)", e.getMessage());
        assertTrue(seconds < 15, "well before the 30 s timeout: " + seconds + " s");
      }
    } finally {
      killLeft(sleep);
    }
  }

  @Test
  void aChunkThatComesOnceTheRunIsCancelledStartsNoProgram(@TempDir Path dir) {
    Ctx ctx = new Ctx();
    ctx.cancelled = true;
    ObjectNode config = sh("touch '" + dir.resolve("ran") + "'; cat");
    RunCancelledException e = assertThrows(RunCancelledException.class, () -> run(EXEC, config.toString(), ctx, "{}"));
    assertEquals("program '/bin/sh' was not started: the run is being cancelled", e.getMessage());
    assertFalse(Files.exists(dir.resolve("ran")));
  }

  /**
   * Cancelling the run while a chunk waits for its program stops the chunk as cancelled (not as an
   * error: the engine leaves it for --resume) and kills the program and what it started.
   */
  @Test
  void cancellingTheRunStopsWaitingAndKillsTheProgram(@TempDir Path dir) throws Exception {
    for (String protocol : List.of("stream", "line-per-record")) {
      Path pids = dir.resolve(protocol + ".pids");
      ObjectNode config = sh("sleep 60 & echo \"$$ $!\" > '" + pids + ".tmp'; mv '" + pids + ".tmp' '" + pids + "'; wait");
      config.put("protocol", protocol);
      Ctx ctx = new Ctx();
      java.util.concurrent.CompletableFuture<List<String>> chunk = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return run(EXEC, config.toString(), ctx, "{}");
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      while (!Files.exists(pids) && !chunk.isDone()) Thread.sleep(5); // waits for the program to start
      ctx.cancelled = true;
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> chunk.get(10, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof RunCancelledException, protocol + ": " + e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("program '/bin/sh' stopped because the run is being cancelled (after 0 "),
          e.getCause().getMessage());
      for (String pid : Files.readString(pids).strip().split(" ")) {
        assertTrue(eventuallyGone(Long.parseLong(pid)), protocol + ": process " + pid + " is gone");
      }
    }
  }

  /**
   * Ctrl-C signals the terminal's whole process group: the program dies of the signal as wiz
   * marks the run cancelled, and wiz may see the death first. Here the run is marked cancelled
   * 100 ms after the program is seen gone: later than wiz sees it end, within the grace it gets.
   */
  @Test
  void aProgramThatDiesOfTheSignalThatCancelsTheRunIsStoppedNotFailed(@TempDir Path dir) throws Exception {
    for (String protocol : List.of("stream", "line-per-record")) {
      Path pid = dir.resolve(protocol + ".pid");
      ObjectNode config = sh("read -r line; echo $$ > '" + pid + ".tmp'; mv '" + pid + ".tmp' '" + pid + "'; kill -TERM $$");
      config.put("protocol", protocol);
      Ctx ctx = new Ctx();
      java.util.concurrent.atomic.AtomicLong seenGone = new java.util.concurrent.atomic.AtomicLong();
      ctx.cancelledWhen = () -> {
        try {
          if (seenGone.get() == 0 && Files.exists(pid) && gone(Long.parseLong(Files.readString(pid).strip()))) {
            seenGone.set(System.nanoTime());
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return seenGone.get() != 0 && System.nanoTime() - seenGone.get() > 100_000_000L;
      };
      RunCancelledException e = assertThrows(RunCancelledException.class, () -> run(EXEC, config.toString(), ctx, "{}"),
          protocol);
      assertTrue(e.getMessage().startsWith("program '/bin/sh' stopped because the run is being cancelled ("), e.getMessage());
    }
    ProcessorException alone = failure(sh("cat > /dev/null; kill -TERM $$"), "{}");
    assertTrue(alone.getMessage().startsWith("program '/bin/sh' exited with code 143 (killed by signal 15 TERM)"),
        "killed by someone else, in a run that goes on: a failure, " + alone.getMessage());
    assertTrue(alone.retryable());
  }

  @Test
  void aMissingProgramIsFoundByCheckAndByPrepare(@TempDir Path dir) throws Exception {
    ProcessorSetup setup = new ProcessorSetup(dir, v -> v.equals("PATH") ? dir + ":relative/bin" : null);
    List<ConfigProblem> p = EXEC.check(config("no-such-program-wiz", "x"), setup);
    assertEquals(List.of(new ConfigProblem("/command/0", "program 'no-such-program-wiz' was not found in the folders of PATH ("
        + dir + ":relative/bin); give a path with a '/' for a file relative to the pipeline folder")), p);
    ProcessorException e = assertThrows(ProcessorException.class, () -> EXEC.prepare(config("no-such-program-wiz"), setup));
    assertTrue(e.getMessage().startsWith("/command/0: program 'no-such-program-wiz' was not found"), e.getMessage());

    assertEquals("program " + dir.resolve("bin/tool") + " does not exist",
        EXEC.check(config("./bin/tool"), setup).get(0).message());
    Files.createDirectories(dir.resolve("bin"));
    assertEquals("program " + dir.resolve("bin") + " is a folder", EXEC.check(config("bin/"), setup).get(0).message());
    Path tool = Files.writeString(dir.resolve("bin/tool"), "#!/bin/sh\nexec cat\n");
    assertEquals("program " + tool + " is not executable (chmod +x)", EXEC.check(config("bin/tool"), setup).get(0).message());
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertEquals(List.of(), EXEC.check(config("bin/tool"), setup));
    assertEquals(List.of(), EXEC.check(config("tool"), new ProcessorSetup(dir, v -> v.equals("PATH") ? dir.resolve("bin").toString() : null)),
        "found on PATH");
    assertEquals(List.of(), EXEC.check(config("cat"), Harness.SETUP), "PATH unset: the default folders");
    assertTrue(EXEC.check(config("bin"), setup).get(0).message().startsWith("program 'bin' was not found"),
        "a folder on PATH does not count, nor a relative PATH entry");
  }

  @Test
  void aRelativeProgramRunsFromThePipelineFolderWithItsWorkdirAndEnv(@TempDir Path dir) throws Exception {
    Path tool = Files.writeString(Files.createDirectories(dir.resolve("scripts")).resolve("where"),
        "#!/bin/sh\ncat >/dev/null\nprintf '{\"pwd\":\"%s\",\"greeting\":\"%s\",\"home\":\"%s\"}\\n' \"$(pwd -P)\" \"$GREETING\" \"$HOME\"\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    ProcessorSetup setup = new ProcessorSetup(dir, v -> null);
    ObjectNode c = config("./scripts/where");
    c.putObject("env").put("GREETING", "grüß dich");
    c.put("workdir", "scripts");
    assertEquals(List.of(), EXEC.check(c, setup));
    try (Processor p = EXEC.prepare(c, setup).get()) {
      p.init(new Ctx());
      JsonNode out = p.process(new Chunk("c", 0, records("{}"), 0)).records().get(0);
      assertEquals(dir.resolve("scripts").toRealPath().toString(), out.get("pwd").asText());
      assertEquals("grüß dich", out.get("greeting").asText());
      assertEquals(System.getenv().getOrDefault("HOME", ""), out.get("home").asText(), "the rest of the environment is inherited");
    }
    c.put("workdir", "nowhere");
    assertEquals(List.of(new ConfigProblem("/workdir", "working folder " + dir.resolve("nowhere") + " does not exist or is not a folder")),
        EXEC.check(c, setup));
  }

  @Test
  void argumentsWithNulAreConfigProblems() {
    ObjectNode c = config("cat", "a\u0000b");
    c.putObject("env").put("X", "\u0000");
    assertEquals(List.of(new ConfigProblem("/command/1", "a command argument cannot hold a NUL character"),
        new ConfigProblem("/env/X", "an environment value cannot hold a NUL character")), EXEC.check(c, Harness.SETUP));
  }

  @Test
  void twentyThousandRecordsGoThroughWithoutAPipeDeadlock() throws Exception {
    List<String> in = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) in.add("{\"id\":" + i + ",\"pad\":\"" + "p".repeat(100) + "\"}");
    List<String> out = run(EXEC, config("cat").toString(), new Ctx(), in.toArray(String[]::new));
    assertEquals(in, out);
    ObjectNode lines = config("cat");
    lines.put("protocol", "line-per-record");
    assertEquals(in, run(EXEC, lines.toString(), new Ctx(), in.toArray(String[]::new)));
  }

  @Test
  void linePerRecordKeepsOneProcessForEveryChunkOfTheInstanceAndNullDrops() throws Exception {
    ObjectNode counter = sh("n=0; while IFS= read -r l; do n=$((n+1)); case \"$l\" in *drop*) echo null;; *) echo $n;; esac; done");
    counter.put("protocol", "line-per-record");
    List<JsonNode> out = runChunks(EXEC, counter.toString(), new Ctx(),
        List.of(records("{}", "{\"drop\":1}"), records(), records("{}", "{}")));
    assertEquals(List.of("1", "3", "4"), strings(out), "one process counted every record of every chunk");
  }

  @Test
  void linePerRecordEndsItsProcessOnClose() throws Exception {
    ObjectNode pid = sh("IFS= read -r l; echo $$; exec cat");
    pid.put("protocol", "line-per-record");
    List<JsonNode> out = runChunks(EXEC, pid.toString(), new Ctx(), List.of(records("{}", "{\"a\":1}")));
    assertEquals("{\"a\":1}", out.get(1).toString());
    long p = out.get(0).asLong();
    assertTrue(gone(p), "process " + p + " ended with the instance");
  }

  @Test
  void linePerRecordFailsWhenTheProgramStopsAnsweringAndStartsAFreshOneNextTime() throws Exception {
    ObjectNode one = config("head", "-n", "1");
    one.put("protocol", "line-per-record");
    try (Processor p = EXEC.prepare(one, Harness.SETUP).get()) {
      p.init(new Ctx());
      for (int attempt = 0; attempt < 2; attempt++) {
        ProcessorException e = assertThrows(ProcessorException.class,
            () -> p.process(new Chunk("c", 0, records("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), 0)));
        assertEquals("program 'head' exited with code 0 after answering 1 of 3 records (its stderr was empty)", e.getMessage());
        assertTrue(e.retryable());
      }
      assertEquals(List.of("{\"a\":9}"), strings(p.process(new Chunk("d", 1, records("{\"a\":9}"), 0)).records()),
          "a process that ended is replaced");
    }
  }

  @Test
  void linePerRecordNoticesExtraLinesThatHaveArrivedByTheEndOfTheAnswers() throws Exception {
    ObjectNode twice = sh("while IFS= read -r l; do printf '%s\\n%s\\n' \"$l\" \"$l\"; done");
    twice.put("protocol", "line-per-record");
    try (Processor p = EXEC.prepare(twice, Harness.SETUP).get()) {
      p.init(new Ctx());
      // One instance for many chunks (a pool): with two lines per record they pile up, so some
      // chunk soon fails.
      ProcessorException e = assertThrows(ProcessorException.class, () -> {
        for (int i = 0; i < 1000; i++) p.process(new Chunk("c" + i, i, records("{\"i\":" + i + "}"), 0));
      });
      assertTrue(e.getMessage().matches("(?s)program '/bin/sh' wrote \\d+ lines? more than the 1 record of the chunk \\(line 2: .*\\),"
          + " so its answers cannot be paired with the records and none is kept; with protocol line-per-record a program"
          + " must answer every record with exactly one line and write nothing else.*"), e.getMessage());
      assertFalse(e.retryable());
    }
  }

  /** Answers each record with itself, and with a line more for id 1, written before a pause. */
  private static final String EXTRA_AFTER_1 = "while IFS= read -r l; do printf '%s\\n' \"$l\";"
      + " case \"$l\" in *'\"id\":1}'*) echo '{\"extra\":1}'; sleep 0.2;; esac; done";

  @Test
  void aLineTooManyFromAProcessServingOneChunkFailsItHoweverLateItComes() {
    ObjectNode late = sh(EXTRA_AFTER_1);
    late.put("protocol", "line-per-record");
    Ctx once = new Ctx();
    once.oneChunk = true;
    // The extra line takes the place of record 2's answer; record 2's own answer comes after the
    // pause, when the chunk's two answers have been read: it is seen once stdout has ended.
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> run(EXEC, late.toString(), once, "{\"id\":1}", "{\"id\":2}"));
    assertEquals("program '/bin/sh' wrote 1 line more than the 2 records of the chunk before it ended"
        + " (line 3: \"{\\\"id\\\":2}\"), so its answers cannot be paired with the records and none is kept; with protocol"
        + " line-per-record a program must answer every record with exactly one line and write nothing else"
        + " (its stderr was empty)", e.getMessage());
    assertFalse(e.retryable());
  }

  @Test
  void aLineWrittenAtExitFailsTheChunkOfAProcessServingOneChunk() throws Exception {
    ObjectNode bye = sh("while IFS= read -r l; do printf '%s\\n' \"$l\"; done; echo '{\"bye\":1}'; echo done >&2");
    bye.put("protocol", "line-per-record");
    Ctx once = new Ctx();
    once.oneChunk = true;
    ProcessorException e = assertThrows(ProcessorException.class, () -> run(EXEC, bye.toString(), once, "{\"id\":1}"));
    assertEquals("program '/bin/sh' wrote 1 line more than the 1 record of the chunk before it ended"
        + " (line 2: \"{\\\"bye\\\":1}\"), so its answers cannot be paired with the records and none is kept; with protocol"
        + " line-per-record a program must answer every record with exactly one line and write nothing else;"
        + " the last lines of its stderr:\n  | done", e.getMessage());

    ObjectNode pid = sh("while IFS= read -r l; do echo $$; done");
    pid.put("protocol", "line-per-record");
    try (Processor p = EXEC.prepare(pid, Harness.SETUP).get()) {
      p.init(once);
      long first = p.process(new Chunk("c", 0, records("{}", "{}"), 0)).records().get(0).asLong();
      assertTrue(gone(first), "a process serving one chunk ends with it, before the instance is closed");
      long again = p.process(new Chunk("c", 0, records("{}"), 0)).records().get(0).asLong();
      assertTrue(again != first && gone(again), "a retry of the chunk gets a fresh process");
    }
  }

  @Test
  void aLineTooManyThatComesLateToAProcessServingManyChunksFailsTheRun() throws Exception {
    // A surplus line before the answer to the third record: the second chunk's answers are then
    // one line off, which shows only after that chunk was answered.
    ObjectNode shifted = sh("n=0; while IFS= read -r l; do n=$((n+1)); [ $n = 3 ] && echo '{\"late\":1}';"
        + " printf '%s\\n' \"$l\"; done");
    shifted.put("protocol", "line-per-record");
    try (Processor p = EXEC.prepare(shifted, Harness.SETUP).get()) {
      p.init(new Ctx());
      assertEquals(List.of("{\"id\":1}", "{\"id\":2}"),
          strings(p.process(new Chunk("a", 0, records("{\"id\":1}", "{\"id\":2}"), 0)).records()));
      ProcessorException e;
      try {
        p.process(new Chunk("b", 1, records("{\"id\":3}", "{\"id\":4}"), 0));
        e = assertThrows(ProcessorException.class, () -> p.finish(r -> {}));
      } catch (ProcessorException seenInTime) {
        e = seenInTime;
      }
      // Seen right after the second chunk's answers, or when stdout ends at end of input.
      assertTrue(e.outputInDoubt(), "the run fails, and what was passed on is not kept");
      assertTrue(e.getMessage().matches("(?s)program '/bin/sh' wrote 1 line \\((line 3: )?\"\\{\\\\\"id\\\\\":4}\"\\) .*"),
          e.getMessage());
      assertTrue(e.getMessage().contains(": the chunks it had answered before may hold answers paired with the wrong records,"
          + " so the output is not kept (run again once the program is fixed; --resume starts over); with protocol"
          + " line-per-record a program must answer every record with exactly one line and write nothing else"), e.getMessage());
    }
    ObjectNode well = config("cat");
    well.put("protocol", "line-per-record");
    List<JsonNode> out = runChunks(EXEC, well.toString(), new Ctx(), List.of(records("{\"id\":1}"), records("{\"id\":2}")));
    assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), strings(out), "a program that keeps to the protocol passes finish");
  }

  @Test
  void aByteOrderMarkAtTheStartOfALineIsSkippedAsTheJsonlSourceSkipsIt() throws Exception {
    for (String protocol : List.of("line-per-record", "stream")) {
      ObjectNode bom = sh("while IFS= read -r l; do printf '\\357\\273\\277%s\\n' \"$l\"; done");
      bom.put("protocol", protocol);
      assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), run(EXEC, bom.toString(), new Ctx(), "{\"id\":1}", "{\"id\":2}"), protocol);
    }
    ObjectNode bad = sh("while IFS= read -r l; do printf '\\357\\273\\277[1,x]\\n'; done");
    bad.put("protocol", "line-per-record");
    ProcessorException e = failure(bad, "{}");
    assertTrue(e.getMessage().startsWith("program '/bin/sh' wrote a line that is not JSON (stdout line 1 of the chunk, column 5:"
        + " 'x' is not a JSON value"), "the mark counts in the column: " + e.getMessage());
  }

  @Test
  void linePerRecordGarbageNamesTheLineAndATimeoutKills() throws Exception {
    ObjectNode garbage = sh("while IFS= read -r l; do echo '{}'; echo 'not json' ; done");
    garbage.put("protocol", "line-per-record");
    ProcessorException e = failure(garbage, "{}", "{}");
    assertTrue(e.getMessage().startsWith("program '/bin/sh' wrote a line that is not JSON (stdout line 2 of the chunk, column 1: "
        + "'not' is not a JSON value (true, false, null, a number, a string, an array or an object)): \"not json\""),
        e.getMessage());
    ObjectNode silent = sh("echo started >&2; exec sleep 30");
    silent.put("protocol", "line-per-record");
    silent.put("timeoutSeconds", 0.2);
    ProcessorException t = failure(silent, "{}");
    assertEquals("program '/bin/sh' timed out: the chunk took longer than timeoutSeconds (0.2) after 0 of 1 answers; it was killed;"
        + " the last lines of its stderr:\n  | started", t.getMessage());
  }

  @Test
  void theFactorySaysItHasSideEffectsAndSpreadsChunks() {
    assertTrue(EXEC.sideEffects());
    assertTrue(EXEC.loadBalance());
    assertFalse(EXEC.needsSeed());
    assertEquals("exec", EXEC.type());
  }

  @Test
  void exitCodesAboveTheSignalRangeAreJustCodes() {
    assertEquals("exited with code 143 (killed by signal 15 TERM)", ExecProcessor.exited(143));
    assertEquals("exited with code 255", ExecProcessor.exited(255));
    assertEquals("exited with code 128", ExecProcessor.exited(128));
  }
}

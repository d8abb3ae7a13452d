package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What SIGINT/SIGTERM make of the exit code, and which commands wiz waits for. */
class SignalExitTest {
  @Test
  void onlyARunIsWaitedFor() {
    assertTrue(Main.waitsOnSignal(new String[] {"run", "p.yaml"}));
    assertTrue(Main.waitsOnSignal(new String[] {"-q", "run", "p.yaml", "--resume"}));
    assertTrue(Main.waitsOnSignal(new String[] {"@args.txt"}), "an argument file may hold a run");
    assertTrue(Main.waitsOnSignal(new String[] {"--", "run"}));
    assertFalse(Main.waitsOnSignal(new String[] {"validate", "p.yaml"}));
    assertFalse(Main.waitsOnSignal(new String[] {"provenance", "verify", "r"}));
    assertFalse(Main.waitsOnSignal(new String[] {"-v", "requests"}));
  }

  @Test
  void aRunExitsWithTheOutcomeItRecorded() {
    assertEquals(4, Main.exitCode(true, 4, true), "failed before the signal: failed");
    assertEquals(0, Main.exitCode(true, 0, true), "every chunk committed before the signal: success");
    assertEquals(130, Main.exitCode(true, 130, true));
    assertEquals(5, Main.exitCode(true, 5, false));
  }

  @Test
  void anyOtherCommandExits130() {
    assertEquals(130, Main.exitCode(false, 0, true));
    assertEquals(130, Main.exitCode(false, 3, true));
    assertEquals(3, Main.exitCode(false, 3, false));
  }

  @Test
  void sigtermEndsACommandThatIsNotARunAtOnce(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("p.yaml");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0 && Files.exists(fifo), "mkfifo works here");
    String java = ProcessHandle.current().info().command().orElse("java");
    // validate opens a named pipe nobody writes to: it waits in open() until the signal.
    Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.wiz.cli.Main", "validate", fifo.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      waitUntilBlockedOnTheFifo(p);
      p.destroy(); // SIGTERM
      // Before, wiz waited the minute it gives a run to record itself.
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ended well before the minute a run is given");
      assertEquals(130, p.exitValue());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aRunThatDoesNotEndWithinTheGraceIsToldToStopAtOnceThenGivenUpOn() throws Exception {
    AtomicBoolean stopNow = new AtomicBoolean();
    boolean ended = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Main.awaitRun(new CountDownLatch(1), stopNow, 0, 0));
    assertFalse(ended, "it never ended: wiz exits without it");
    assertTrue(stopNow.get(), "told to stop at once when the grace ran out");
  }

  @Test
  void aSecondSignalDoesNotWaitForTheGrace() throws Exception {
    AtomicBoolean stopNow = new AtomicBoolean(true); // the second signal came
    CountDownLatch done = new CountDownLatch(1);
    assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Main.awaitRun(done, stopNow, 3_600_000, 0)));
  }

  @Test
  void aRunThatEndsOnceToldToStopAtOnceIsWaitedFor() throws Exception {
    AtomicBoolean stopNow = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread run = new Thread(() -> {
      while (!stopNow.get()) Thread.onSpinWait();
      done.countDown(); // as a run does once it is told
    });
    run.start();
    assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Main.awaitRun(done, stopNow, 0, 3_600_000)));
    run.join();
  }

  /**
   * A step that cannot be cut short (a regular expression that backtracks for ever: jq's regular
   * expressions do not look at the cancellation) holds a run past the first SIGTERM; the second
   * ends it at once, recorded as interrupted, with the chunk before it committed. The grace after
   * which wiz would stop at once by itself is set far beyond the test, so only the second signal
   * can have ended it (before, the second signal was lost, and wiz gave up after a minute, leaving
   * the run "running").
   */
  @Test
  @Tag("slow")
  void aSecondSignalEndsARunWhoseStepDoesNotStop(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "/proc shows threads");
    Files.writeString(dir.resolve("in.jsonl"), "{\"s\":\"ok\"}\n{\"s\":\"" + "a".repeat(40) + "!\"}\n");
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 1 }\n"
        + "processors:\n  - id: r\n    type: jq\n    config: { program: '.t = (.s | test(\"^(a+)+$\"))' }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 1, commitMillis: 0 }\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Dwiz.stopGraceMillis=3600000",
        "-cp", System.getProperty("java.class.path"), "dev.wiz.cli.Main", "run", "p.yaml")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("wiz.log").toFile())
        .start();
    try {
      // Chunk 0 is committed, and chunk 1's worker is in the regular expression (it has used CPU for a while).
      waitFor(() -> sent(dir) && cpuMillis(p.pid(), "wiz-worker-2") >= 200, p, "chunk 1 in its step");
      p.destroy(); // SIGTERM
      waitFor(() -> hasThread(p.pid(), "wiz-signal"), p, "the signal was heard");
      assertTrue(p.isAlive(), "the step does not stop");
      p.destroy(); // SIGTERM again
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended at the second signal");
      String log = Files.readString(dir.resolve("wiz.log"));
      assertEquals(130, p.exitValue(), log);
      assertTrue(log.startsWith("wiz: interrupted in "), log);
      assertTrue(log.contains(": 1 chunk, "), log);
    } finally {
      p.destroyForcibly();
    }
    try (var runs = Files.list(dir.resolve(".wiz/runs"))) {
      Path run = runs.findFirst().orElseThrow();
      assertEquals("interrupted", dev.wiz.Json.mapper().readTree(Files.readString(run.resolve("run.json"))).path("status").asText());
    }
    CliHarness wiz = new CliHarness(dir);
    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    CliHarness.Result plan = wiz.run("run", "--resume", "--dry-run", "p.yaml");
    assertTrue(plan.err().contains("1 chunk already committed"), plan.toString());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Process p, String what) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertTrue(p.isAlive(), "wiz ended before: " + what);
      assertTrue(System.nanoTime() < until, "waited a minute for: " + what);
      Thread.sleep(20);
    }
  }

  /** Whether the run's provenance log holds a chunk's SEND (with run.commitMillis 0, the chunk is committed). */
  private static boolean sent(Path dir) {
    try (var runs = Files.list(dir.resolve(".wiz/runs"))) {
      for (Path run : (Iterable<Path>) runs::iterator) {
        Path log = run.resolve("provenance.jsonl");
        if (Files.exists(log) && Files.readString(log).contains("\"type\":\"SEND\"")) return true;
      }
      return false;
    } catch (java.io.IOException e) {
      return false; // not there yet
    }
  }

  private static boolean hasThread(long pid, String name) {
    return cpuMillis(pid, name) >= 0;
  }

  /** The CPU time (user and system) of the process's thread of that name, or -1 when it has none (Linux: /proc). */
  private static long cpuMillis(long pid, String name) {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          if (!Files.readString(t.resolve("comm")).strip().equals(name)) continue;
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime + stime, in ticks (USER_HZ 100)
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      // the process ended
    }
    return -1;
  }

  /** Waits until the JVM has started and its main thread sits in open() of the fifo (Linux: /proc). */
  private static void waitUntilBlockedOnTheFifo(Process p) throws InterruptedException, java.io.IOException {
    Path fd = Path.of("/proc", Long.toString(p.pid()), "task");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until && p.isAlive()) {
      if (Files.isDirectory(fd) && blockedInOpen(p.pid())) return;
      Thread.sleep(20);
    }
    assumeTrue(p.isAlive() && Files.isDirectory(fd), "/proc shows the process");
  }

  private static boolean blockedInOpen(long pid) throws java.io.IOException {
    // A thread waiting in open() of a fifo for a writer sits in the kernel's wait_for_partner (fifo_open).
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String wchan = Files.readString(t.resolve("wchan"));
          if (wchan.contains("fifo") || wchan.contains("wait_for_partner")) return true;
        } catch (java.io.IOException e) {
          // the task ended meanwhile
        }
      }
    }
    return false;
  }
}

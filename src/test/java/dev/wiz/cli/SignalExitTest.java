package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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

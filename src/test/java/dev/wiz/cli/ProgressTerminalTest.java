package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The progress line is drawn where stderr is a terminal, and only there. */
class ProgressTerminalTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Function<String, String> xterm = Map.of("TERM", "xterm")::get;

  private Path fd2(String target) throws Exception {
    Path fd = fs.getPath("/proc/self/fd");
    Files.createDirectories(fd);
    Path link = fd.resolve("2");
    Files.deleteIfExists(link);
    return Files.createSymbolicLink(link, fs.getPath(target));
  }

  @Test
  void stderrRedirectedToALogGetsNoProgressWhileStdinAndStdoutAreATerminal() throws Exception {
    assertFalse(Main.progressTerminal(xterm, fd2("/tmp/run.log"), true), "wiz run p.yaml 2> run.log");
    assertFalse(Main.progressTerminal(xterm, fd2("pipe:[1234]"), true), "wiz run p.yaml 2>&1 | tee log");
  }

  @Test
  void stderrOnATerminalGetsProgressWhileStdoutIsRedirected() throws Exception {
    assertTrue(Main.progressTerminal(xterm, fd2("/dev/pts/3"), false), "wiz run p.yaml > summary.json");
    assertTrue(Main.progressTerminal(xterm, fd2("/dev/tty1"), true));
  }

  @Test
  void aDumbTerminalGetsNoProgress() throws Exception {
    assertFalse(Main.progressTerminal(Map.of("TERM", "dumb")::get, fd2("/dev/pts/3"), true));
  }

  @Test
  void withoutProcJavasConsoleDecides() {
    Path none = fs.getPath("/proc/self/fd/2");
    assertTrue(Main.progressTerminal(xterm, none, true));
    assertFalse(Main.progressTerminal(xterm, none, false));
    assertTrue(Main.progressTerminal(k -> null, none, true), "no TERM at all");
  }
}

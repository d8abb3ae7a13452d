package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token sweep over a /proc made up on jimfs: what counts as carrying the token. */
class ProcessSweepTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static final long SELF = 99;

  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path proc = fs.getPath("/proc");

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  /** A process whose environment holds the entries, NUL-separated as in /proc/<pid>/environ. */
  private void process(long pid, String... entries) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    StringBuilder env = new StringBuilder();
    for (String e : entries) env.append(e).append('\0');
    Files.write(dir.resolve("environ"), env.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsExactlyTheProcessesWhoseVariableHoldsTheTokenButNeverThisOne() throws IOException {
    process(SELF, "WIZ_EXEC_TOKEN=" + TOKEN);
    process(10, "PATH=/bin", "WIZ_EXEC_TOKEN=" + TOKEN, "HOME=/root");
    process(11, "WIZ_EXEC_TOKEN=f00d:" + TOKEN);
    process(12, "WIZ_EXEC_TOKEN=" + TOKEN + "0");
    process(13, "WIZ_EXEC_TOKEN=" + TOKEN.substring(1));
    process(14, "XWIZ_EXEC_TOKEN=" + TOKEN);
    process(15, "OTHER=WIZ_EXEC_TOKEN=" + TOKEN);
    process(16, "WIZ_EXEC_TOKEN=" + TOKEN + ":f00d", "WIZ_EXEC_TOKEN_X=1");
    process(17, "WIZ_EXEC_TOKEN=");
    process(18);
    Files.createDirectories(proc.resolve("19"));
    process(20, "BIG=" + "x".repeat(100_000), "WIZ_EXEC_TOKEN=" + TOKEN);
    Files.createDirectories(proc.resolve("self"));
    Files.writeString(proc.resolve("self/environ"), "WIZ_EXEC_TOKEN=" + TOKEN + "\0");
    ProcessSweep sweep = new ProcessSweep(proc, SELF);

    assertTrue(sweep.available());
    assertEquals(List.of(10L, 11L, 16L, 20L), sweep.carrying(TOKEN, 0).stream().sorted().toList(),
        "a whole part of the variable: alone, after an outer wiz's, before an inner one's; in an environment of any size");
    assertTrue(sweep.carries(10, TOKEN));
    assertFalse(sweep.carries(SELF, TOKEN), "never this process");
    assertFalse(sweep.carries(19, TOKEN), "no environment to read: gone, or another user's");
    assertFalse(sweep.carries(12, TOKEN));
    assertEquals(List.of(), sweep.carrying("fedcba9876543210fedcba9876543210", 0));
  }

  @Test
  void aProcessWhoseFolderIsOlderThanTheTokenIsNotRead() throws IOException {
    process(SELF);
    process(10, "WIZ_EXEC_TOKEN=" + TOKEN);
    process(11, "WIZ_EXEC_TOKEN=" + TOKEN);
    process(12, "WIZ_EXEC_TOKEN=" + TOKEN);
    long made = 1_000_000_000_000L;
    Files.setLastModifiedTime(proc.resolve("10"), FileTime.fromMillis(made - ProcessSweep.CLOCK_SLACK_MILLIS - 1));
    Files.setLastModifiedTime(proc.resolve("11"), FileTime.fromMillis(made - ProcessSweep.CLOCK_SLACK_MILLIS));
    Files.setLastModifiedTime(proc.resolve("12"), FileTime.fromMillis(made + 5));
    ProcessSweep sweep = new ProcessSweep(proc, SELF);
    assertEquals(List.of(11L, 12L), sweep.carrying(TOKEN, made).stream().sorted().toList(),
        "a process seen before the token was made cannot carry it; the clock may lag by the slack");
    assertTrue(sweep.carries(10, TOKEN), "checking one process reads it whatever its age");
  }

  @Test
  void withoutProcNothingIsFound() throws IOException {
    Files.createDirectories(proc.resolve("10"));
    ProcessSweep sweep = new ProcessSweep(proc, SELF);
    assertFalse(sweep.available(), "a /proc that does not list this process is none");
    assertEquals(List.of(), sweep.carrying(TOKEN, 0));
    assertEquals("", sweep.commandLine(10));
    assertNull(sweep.descriptor(10, 1));
  }

  @Test
  void commandLinesAndDescriptorsAreRead() throws IOException {
    process(SELF);
    process(10);
    Files.write(proc.resolve("10/cmdline"), "sleep\u0000300\u0000".getBytes(StandardCharsets.UTF_8));
    Path fd = Files.createDirectories(proc.resolve("10/fd"));
    Files.createSymbolicLink(fd.resolve("0"), fs.getPath("/dev/null"));
    Files.createSymbolicLink(fd.resolve("1"), fs.getPath("pipe:[4242]"));
    ProcessSweep sweep = new ProcessSweep(proc, SELF);
    assertEquals("sleep 300", sweep.commandLine(10));
    assertEquals("pipe:[4242]", sweep.descriptor(10, 1));
    assertNull(sweep.descriptor(10, 2));
    assertEquals(Set.of("/dev/null", "pipe:[4242]"), sweep.descriptors(10));
    assertEquals(Set.of(), sweep.ownDescriptors());
  }

  @Test
  void tokensAreFreshAndFollowTheOnesAProgramWouldInherit() {
    String a = ProcessSweep.newToken();
    assertTrue(a.matches("[0-9a-f]{32}"), a);
    assertNotEquals(a, ProcessSweep.newToken());
    assertEquals(a, ProcessSweep.value(null, a));
    assertEquals(a, ProcessSweep.value("", a));
    assertEquals("f00d:" + a, ProcessSweep.value("f00d", a), "under a wiz that runs under an exec step");
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A Java error that reaches the command line ends the command with exit 1 and one line that says what to do. */
class CliJavaErrorTest {
  private record Outcome(int code, String err) {}

  /** Runs wiz with an environment whose lookups throw the error, so a command meets it mid-way. */
  private static Outcome runWith(Error thrown, String... args) throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = Files.createDirectories(fs.getPath("/w"));
      Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nname: ${NAME}\nsource: {type: stdin}\nsink: {type: stdout}\n");
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      StringWriter err = new StringWriter();
      Function<String, String> env = name -> {
        throw thrown;
      };
      CliEnv e = new CliEnv(new ByteArrayInputStream(new byte[0]), stdout,
          new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true), new PrintWriter(err, true),
          env::apply, dir, new AtomicBoolean(), false);
      int code = Cli.execute(e, args);
      return new Outcome(code, err.toString());
    }
  }

  @Test
  void outOfMemorySaysHowToGiveWizMoreHeap() throws Exception {
    Outcome o = runWith(new OutOfMemoryError("Java heap space"), "validate", "p.yaml");
    assertEquals(1, o.code());
    assertEquals("wiz: out of memory (Java heap space): give wiz a larger heap (WIZ_JAVA_OPTS=-Xmx4g bin/wiz ...)\n",
        o.err());
  }

  @Test
  void anyOtherErrorIsAnInternalErrorWithItsTraceOnlyUnderVerbose() throws Exception {
    Outcome quiet = runWith(new AssertionError("broken invariant"), "validate", "p.yaml");
    assertEquals(1, quiet.code());
    assertEquals("wiz: internal error: java.lang.AssertionError: broken invariant (a bug in wiz: please report it"
        + " with --verbose output)\n", quiet.err());
    Outcome verbose = runWith(new AssertionError("broken invariant"), "--verbose", "validate", "p.yaml");
    assertEquals(1, verbose.code());
    assertTrue(verbose.err().contains("\tat dev.wiz."), verbose.err());
    assertFalse(quiet.err().contains("\tat "), "no trace without --verbose");
  }
}

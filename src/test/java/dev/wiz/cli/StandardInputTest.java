package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StandardInputTest {
  private static final Path JAVA_HOME = Path.of("/usr/lib/jvm/java-17");

  @Test
  void aFileOfTheJavaRuntimeOnDescriptorZeroMeansStandardInputWasClosed() {
    assertTrue(StandardInput.closedAtStart(JAVA_HOME.resolve("lib/modules"), JAVA_HOME));
    assertFalse(StandardInput.closedAtStart(Path.of("/home/me/in.jsonl"), JAVA_HOME));
    assertFalse(StandardInput.closedAtStart(Path.of("pipe:[123456]"), JAVA_HOME), "a pipe is no path");
    assertFalse(StandardInput.closedAtStart(Path.of("/usr/lib/jvm/java-17-other/lib/modules"), JAVA_HOME));
    assertFalse(StandardInput.closedAtStart(null, JAVA_HOME), "no /proc: nothing to tell by");
  }

  @Test
  void readingAClosedStandardInputFailsSayingWhyAndLooksOnce() {
    AtomicInteger looks = new AtomicInteger();
    StandardInput in = new StandardInput(new ByteArrayInputStream("PK garbage".getBytes(StandardCharsets.UTF_8)), () -> {
      looks.incrementAndGet();
      return JAVA_HOME.resolve("lib/modules");
    }, JAVA_HOME);
    IOException e = assertThrows(IOException.class, () -> in.read(new byte[10], 0, 10));
    assertEquals(StandardInput.CLOSED, e.getMessage());
    assertThrows(IOException.class, in::read);
    assertEquals(1, looks.get());
  }

  @Test
  void anOpenStandardInputReadsAsItIs() throws IOException {
    StandardInput in = new StandardInput(new ByteArrayInputStream("{}\n".getBytes(StandardCharsets.UTF_8)),
        () -> Path.of("/tmp/in.jsonl"), JAVA_HOME);
    assertEquals("{}\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
  }
}

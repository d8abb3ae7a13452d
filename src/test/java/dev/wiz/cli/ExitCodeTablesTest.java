package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code wiz --help}, the README and {@link ExitCode} list the same exit codes. */
class ExitCodeTablesTest {
  @Test
  void helpListsEveryExitCodeWithItsMeaningOnOneLine() {
    // The footer of the model wiz builds (in code: WizCommand has no annotation to read).
    String[] footer = new WizCommand(null).spec(CommandLine.defaultFactory()).usageMessage().footer();
    List<String> want = new ArrayList<>();
    for (ExitCode c : ExitCode.values()) want.add(String.format(Locale.ROOT, "  %-5d%s", c.code(), c.meaning()));
    assertEquals(want, List.of(footer));
    for (String line : footer) assertTrue(line.length() <= 80, "fits the help's 80 columns: " + line);
  }

  @Test
  void theReadmeHasARowForEveryExitCode() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("README.md"), StandardCharsets.UTF_8);
    List<String> rows = readme.lines().filter(l -> l.matches("\\| \\d+ \\| .*")).map(l -> l.split(" ")[1]).toList();
    List<String> codes = new ArrayList<>();
    for (ExitCode c : ExitCode.values()) codes.add(Integer.toString(c.code()));
    assertEquals(codes, rows);
  }
}

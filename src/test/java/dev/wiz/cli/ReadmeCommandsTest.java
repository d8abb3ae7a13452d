package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The README's Commands block has a line for every command {@code --help} shows, with its options. */
class ReadmeCommandsTest {
  @Test
  void everyCommandAndOptionOfTheHelpIsInTheReadmesCommandsBlock() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("```\n", readme.indexOf("\n## Commands\n")) + 4;
    List<String> block = readme.substring(start, readme.indexOf("```", start)).lines().toList();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    CommandLine cl = Cli.create(new CliEnv(new ByteArrayInputStream(new byte[0]), stdout, new PrintWriter(stdout),
        new PrintWriter(new StringWriter()), k -> null, Path.of("."), new AtomicBoolean(), false));
    List<CommandSpec> leaves = new ArrayList<>();
    collectLeaves(cl, leaves);
    List<String> named = new ArrayList<>();
    for (CommandSpec c : leaves) {
      String prefix = c.qualifiedName(" ") + " ";
      String line = block.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
      assertTrue(line != null, "no README line for '" + c.qualifiedName(" ") + "' in " + block);
      named.add(line);
      for (OptionSpec o : c.options()) {
        if (o.usageHelp() || o.versionHelp() || o.inherited()) continue;
        String want = o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
        String shown = o.required() ? want : "[" + want + "]"; // a required option has no brackets
        assertTrue(line.contains(shown), line + " lacks " + shown);
      }
      for (PositionalParamSpec p : c.positionalParameters()) {
        assertTrue(line.contains(p.paramLabel()), line + " lacks " + p.paramLabel());
      }
    }
    assertEquals(block.size(), named.size(), "every README line is a command of the help: " + block);
  }

  private static void collectLeaves(CommandLine cl, List<CommandSpec> out) {
    if (cl.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) return;
    if (cl.getSubcommands().isEmpty()) {
      out.add(cl.getCommandSpec());
      return;
    }
    for (CommandLine sub : cl.getSubcommands().values()) collectLeaves(sub, out);
  }
}

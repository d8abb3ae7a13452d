package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line's text, byte for byte: the {@code --help} of every command and subcommand, and
 * picocli's usage errors for each command family (stdout, stderr and exit code), against the files
 * under {@code src/test/resources/cli-help/}. They were generated from the annotation-built model;
 * the model built in code must say exactly the same. To regenerate them after a deliberate change:
 * {@code mvn -o test -Dtest=CommandLineTextTest -Dwiz.cliHelp.write=true}, then read the diff.
 */
class CommandLineTextTest extends JimfsCliTest {
  static List<List<String>> commands() {
    return List.of(
        // --help of every command and subcommand.
        List.of("--help"),
        List.of("run", "--help"),
        List.of("validate", "--help"),
        List.of("graph", "--help"),
        List.of("provenance", "--help"),
        List.of("provenance", "show", "--help"),
        List.of("provenance", "list", "--help"),
        List.of("provenance", "verify", "--help"),
        List.of("provenance", "export", "--help"),
        List.of("processors", "--help"),
        List.of("processors", "list", "--help"),
        List.of("processors", "show", "--help"),
        List.of("requests", "--help"),
        List.of("schema", "--help"),
        List.of("init", "--help"),
        List.of("help", "run"),
        List.of("help", "provenance"),
        List.of("help"),
        List.of("run", "-h"),
        List.of("provenance", "list", "-V"),
        // Unknown options.
        List.of("--nope"),
        List.of("--versio"),
        List.of("-x", "run", "p.yaml"),
        List.of("run", "--nope", "p.yaml"),
        List.of("validate", "--nope", "p.yaml"),
        List.of("graph", "--nope", "p.yaml"),
        List.of("provenance", "--nope"),
        List.of("provenance", "show", "--nope", "c"),
        List.of("provenance", "list", "--nope"),
        List.of("provenance", "verify", "--nope"),
        List.of("provenance", "export", "--format", "prov", "--nope"),
        List.of("processors", "list", "--nope"),
        List.of("processors", "show", "--nope", "filter"),
        List.of("requests", "--nope"),
        List.of("schema", "--nope"),
        List.of("init", "--nope"),
        // Missing positional parameters, and too many.
        List.of("run"),
        List.of("validate"),
        List.of("graph"),
        List.of("provenance", "show"),
        List.of("processors", "show"),
        List.of("init", "a.yaml", "b.yaml"),
        List.of("schema", "extra"),
        // Missing subcommands.
        List.of("provenance"),
        List.of("processors"),
        List.of("provenance", "lst"),
        List.of("rn", "p.yaml"), // too short for picocli's own suggestion
        List.of("provenance", "sho", "c"),
        // Bad enum values for --format.
        List.of("run", "--format", "xml", "p.yaml"),
        List.of("validate", "--format", "xml", "p.yaml"),
        List.of("graph", "--format", "png", "p.yaml"),
        List.of("provenance", "show", "--format", "xml", "c"),
        List.of("provenance", "list", "--format", "xml"),
        List.of("provenance", "verify", "--format=xml"),
        List.of("provenance", "export", "--format", "xml"),
        List.of("processors", "list", "--format", "xml"),
        List.of("processors", "show", "--format", "JSON", "filter"),
        List.of("requests", "--format", "xml"),
        // A missing option value, a non-number, a required option.
        List.of("run", "--workers", "many", "p.yaml"),
        List.of("run", "--workers", "p.yaml"),
        List.of("run", "p.yaml", "--state-dir"),
        List.of("validate", "p.yaml", "--type"),
        List.of("provenance", "list", "--run"),
        List.of("provenance", "export"),
        List.of("provenance", "export", "--run", "r"),
        // picocli's "did you mean".
        List.of("run", "--stat-dir", "x", "p.yaml"),
        List.of("validate", "--fromat", "json", "p.yaml"),
        List.of("provenance", "list", "--stat-dir", "x"),
        List.of("requests", "--sate-dir", "x"),
        List.of("init", "--forse"),
        List.of("rnu", "p.yaml"),
        // --format json answers a usage error in JSON.
        List.of("validate", "--format", "json", "--nope", "p.yaml"),
        List.of("run", "--format", "json", "--workers", "x", "p.yaml"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void saysWhatItSaid(List<String> args) throws IOException {
    String actual = wiz.run(args.toArray(String[]::new)).toString();
    String name = "cli-help/" + fileName(args) + ".txt";
    if (Boolean.getBoolean("wiz.cliHelp.write")) {
      Path file = Path.of("src/test/resources", name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertEquals(expected(name), actual, "wiz " + String.join(" ", args));
  }

  /**
   * A description written as several lines is printed line by line: one longer than the help's
   * width is broken by picocli at the width and then again where the line ends, which leaves a
   * stump of a line mid-sentence ("... and record what" / "happened to every chunk ..."). So every
   * line of such a description must fit (a description of one line is one paragraph, wrapped whole).
   */
  @Test
  void everyDescriptionLineFitsTheHelpWidth() {
    CliEnv env = new CliEnv(new java.io.ByteArrayInputStream(new byte[0]), java.io.OutputStream.nullOutputStream(),
        new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter()),
        k -> null, work, new AtomicBoolean(), new AtomicBoolean(), false);
    List<String> tooLong = new ArrayList<>();
    List<picocli.CommandLine> all = new ArrayList<>(List.of(Cli.create(env)));
    for (int i = 0; i < all.size(); i++) {
      picocli.CommandLine c = all.get(i);
      all.addAll(c.getSubcommands().values());
      picocli.CommandLine.Model.UsageMessageSpec usage = c.getCommandSpec().usageMessage();
      for (String line : usage.description()) {
        if (usage.description().length > 1 && line.length() > usage.width()) tooLong.add(c.getCommandSpec().qualifiedName() + ": " + line);
      }
    }
    assertTrue(tooLong.isEmpty(), "description lines longer than the help's width:\n" + String.join("\n", tooLong));
  }

  /** The arguments as a file name: words joined by {@code _}, dashes and {@code =} kept, nothing else. */
  private static String fileName(List<String> args) {
    String name = String.join("_", args).replaceAll("[^A-Za-z0-9._=-]", "");
    return name.isEmpty() ? "none" : name;
  }

  private static String expected(String resource) throws IOException {
    try (InputStream in = CommandLineTextTest.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IOException(resource + ": missing; generate it with -Dwiz.cliHelp.write=true");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line builds only the subcommand its arguments name, and says the same as the full one. */
class CliSubcommandsTest extends JimfsCliTest {
  private static final List<String> ALL = List.of("run", "validate", "graph", "provenance", "processors", "requests", "schema", "init",
      "help");

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "name: p",
        "source: { type: file, path: in.jsonl, format: jsonl }",
        "processors:",
        "  - { id: keep, type: filter, config: { where: '.a > 1' } }",
        "sink: { type: file, path: out.jsonl, format: jsonl }",
        ""));
    Files.writeString(work.resolve("bad.yaml"), "wiz: 1\nname: bad\nsource: { type: nope }\n");
    Files.writeString(work.resolve("in.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
  }

  @Test
  void theSubcommandIsTheFirstWordThatIsNotAnOption() {
    assertEquals("run", Cli.subcommandIn(new String[] {"run", "p.yaml"}));
    assertEquals("run", Cli.subcommandIn(new String[] {"-q", "run", "p.yaml"}));
    assertEquals("validate", Cli.subcommandIn(new String[] {"-qv", "--verbose", "validate", "x"}));
    assertEquals("provenance", Cli.subcommandIn(new String[] {"provenance", "show", "c"}));
    assertEquals("requests", Cli.subcommandIn(new String[] {"requests", "--help"}));
  }

  @Test
  void eachSubcommandIsListedUnderItsOwnCommandName() {
    for (String name : WizCommand.SUBCOMMANDS) {
      // The name its spec declares, not only the one it is added under.
      picocli.CommandLine sub = Cli.create(env(new StringWriter()), new String[] {name}).getSubcommands().get(name);
      assertEquals(name, sub.getCommandSpec().name(), name);
      assertEquals(sub.getCommandSpec().name(), sub.getCommandName(), name);
    }
    assertEquals(ALL, WizCommand.SUBCOMMANDS);
  }

  @Test
  void noSubcommandWhenTheArgumentsNameNoneOrCannotBeSeenInto() {
    assertNull(Cli.subcommandIn(new String[] {}));
    assertNull(Cli.subcommandIn(new String[] {"--help"}));
    assertNull(Cli.subcommandIn(new String[] {"-V"}));
    assertNull(Cli.subcommandIn(new String[] {"runn", "p.yaml"}));
    assertNull(Cli.subcommandIn(new String[] {"help", "run"}));
    assertNull(Cli.subcommandIn(new String[] {"--", "run"}));
    assertNull(Cli.subcommandIn(new String[] {"@args.txt"}));
    assertNull(Cli.subcommandIn(new String[] {"", "run"}));
  }

  @Test
  void onlyTheNamedSubcommandIsBuilt() {
    assertEquals(List.of("run"), subcommands("-q", "run", "p.yaml"));
    assertEquals(List.of("validate"), subcommands("validate", "p.yaml"));
    assertEquals(List.of("provenance"), subcommands("provenance", "list"));
  }

  @Test
  void noSubcommandForTheVersionAlone() {
    assertEquals(List.of(), subcommands("--version"));
    assertEquals(List.of(), subcommands("-q", "-V", "--verbose"));
    assertEquals(ALL, subcommands("--version", "bogus"));
    assertEquals(ALL, subcommands("--version", "--bogus"));
    assertEquals(List.of("run"), subcommands("--version", "run"));
  }

  @Test
  void everySubcommandInHelpOrderOtherwise() {
    assertEquals(ALL, subcommands("--help"));
    assertEquals(ALL, subcommands("help", "run"));
    assertEquals(ALL, subcommands("runn"));
    assertEquals(ALL, subcommands());
    assertEquals(ALL, List.copyOf(Cli.create(env(new StringWriter())).getSubcommands().keySet()));
  }

  @Test
  void saysWhatTheFullCommandLineSays() {
    List<List<String>> cases = List.of(
        List.of(), List.of("--help"), List.of("-V"), List.of("-q", "--version"), List.of("--version", "runn"),
        List.of("--version", "--nope"), List.of("-V", "run", "p.yaml"), List.of("-q"), List.of("help"), List.of("help", "run"),
        List.of("runn", "p.yaml"), List.of("run"), List.of("run", "--help"), List.of("-q", "run", "--nope", "p.yaml"),
        List.of("-q", "run", "p.yaml", "--state-dir", "st"), List.of("run", "-q", "missing.yaml"),
        List.of("validate", "p.yaml"), List.of("-v", "validate", "bad.yaml"), List.of("validate", "--format", "json", "bad.yaml"),
        List.of("provenance"), List.of("provenance", "show", "--help"), List.of("processors", "list"),
        List.of("processors", "show", "filter"), List.of("requests", "--help"), List.of("--", "run", "p.yaml"),
        List.of("run", "p.yaml", "--dry-run"), List.of("graph", "p.yaml"), List.of("graph", "bad.yaml"),
        List.of("schema", "--type", "fitler"), List.of("init", "p.yaml"), List.of("init", "--help"));
    for (List<String> args : cases) {
      String[] a = args.toArray(String[]::new);
      CliHarness lazy = new CliHarness(work);
      CliHarness full = new CliHarness(work);
      full.fullCommandLine = true;
      // Runs write state; each side runs in its own folder so the two cannot refuse each other.
      CliHarness.Result expected = full.run(withStateDir(a, "st-full"));
      CliHarness.Result actual = lazy.run(withStateDir(a, "st-lazy"));
      assertEquals(expected.toString().replace("st-full", "st-lazy"), actual.toString(), String.join(" ", args));
    }
  }

  private static String[] withStateDir(String[] args, String dir) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i].equals("st")) out[i] = dir;
    }
    return out;
  }

  private List<String> subcommands(String... args) {
    Map<String, picocli.CommandLine> subs = Cli.create(env(new StringWriter()), args).getSubcommands();
    return List.copyOf(subs.keySet());
  }

  private CliEnv env(StringWriter err) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    return new CliEnv(new ByteArrayInputStream(new byte[0]), stdout, new PrintWriter(stdout, true),
        new PrintWriter(err, true), k -> null, work, new AtomicBoolean(), false);
  }
}

package dev.wiz.cli;

import dev.wiz.engine.RunService;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code wiz} command: global options and the subcommands. */
@Command(
    name = "wiz",
    mixinStandardHelpOptions = true,
    versionProvider = WizCommand.Version.class,
    description = "Run data pipelines described in YAML, with provenance for every chunk.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0    success",
      "  1    internal error (a bug in wiz: please report it with --verbose output)",
      "  2    usage error: unknown option, missing argument, unreadable file",
      "  3    invalid pipeline or config, unknown run or chunk id, or broken run state",
      "  4    the run failed",
      "  5    the run completed, but records were skipped or dead-lettered",
      "  6    refused by a request rule: already running, succeeded, failed too often",
      "  130  interrupted by SIGINT or SIGTERM",
      "  141  stopped: the reader of stdout closed it (wiz run p.yaml | head)"
    })
final class WizCommand implements Runnable {
  /**
   * The subcommands by name, in the order help lists them; {@link Cli#create} adds them. Each name is
   * its class's {@code @Command} name (CliSubcommandsTest checks): the names are written here so
   * that finding the subcommand in the arguments does not read, at every start, the annotations of
   * classes that will not run.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
      "run", RunCommand.class, "validate", ValidateCommand.class, "graph", GraphCommand.class,
      "provenance", ProvenanceCommand.class, "processors", ProcessorsCommand.class, "requests", RequestsCommand.class,
      "schema", SchemaCommand.class, "init", InitCommand.class, "help", CommandLine.HelpCommand.class);

  private static Map<String, Class<?>> subcommands(Object... nameThenClass) {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenClass.length; i += 2) m.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
    return Collections.unmodifiableMap(m);
  }

  final CliEnv env;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
      description = "Print only results and errors.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
      description = "Print more, including stack traces of internal errors.")
  boolean verbose;

  WizCommand(CliEnv env) {
    this.env = env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'wiz run PIPELINE.yaml' or 'wiz --help'");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"wiz " + RunService.version()};
    }
  }
}

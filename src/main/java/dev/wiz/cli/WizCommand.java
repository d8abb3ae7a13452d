package dev.wiz.cli;

import dev.wiz.engine.RunService;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The top-level {@code wiz} command: global options and the subcommands.
 *
 * <p>Its model is built in code ({@link #spec}), not read from annotations as the subcommands' are:
 * reading annotations makes the JDK generate a proxy class for each annotation type, which was a
 * third of {@code wiz --version}'s time after {@code main} (bench/README.md).
 */
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

  CommandSpec spec;

  /** {@code -q}/{@code --quiet}, inherited by every subcommand. */
  final Flag quiet = new Flag();

  /** {@code -v}/{@code --verbose}, inherited by every subcommand. */
  final Flag verbose = new Flag();

  WizCommand(CliEnv env) {
    this.env = env;
  }

  /** picocli's model of this command: what {@code @Command} and {@code @Option} would declare. */
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = CommandSpec.wrapWithoutInspection(this, factory).name("wiz").versionProvider(new Version());
    s.usageMessage()
        .description("Run data pipelines described in YAML, with provenance for every chunk.")
        .footerHeading("%nExit codes:%n")
        .footer(
            "  0    success",
            "  1    internal error (a bug in wiz: please report it with --verbose output)",
            "  2    usage error: unknown option, missing argument, unreadable file",
            "  3    invalid pipeline or config, unknown run or chunk id, or broken run state",
            "  4    the run failed",
            "  5    the run completed, but records were skipped or dead-lettered",
            "  6    refused by a request rule: already running, succeeded, failed too often",
            "  130  interrupted by SIGINT or SIGTERM",
            "  141  stopped: the reader of stdout closed it (wiz run p.yaml | head)");
    // picocli's standard help options (mixinStandardHelpOptions), with its own descriptions.
    s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
    s.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
    s.addOption(quiet.option("Print only results and errors.", "-q", "--quiet"));
    s.addOption(verbose.option("Print more, including stack traces of internal errors.", "-v", "--verbose"));
    this.spec = s;
    return s;
  }

  /** A flag of wiz's own, that picocli sets wherever it is given (before or after the subcommand). */
  static final class Flag implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
    private boolean on;

    boolean on() {
      return on;
    }

    OptionSpec option(String description, String... names) {
      return OptionSpec.builder(names).type(boolean.class).initialValue(Boolean.FALSE)
          .scopeType(CommandLine.ScopeType.INHERIT).description(description).getter(this).setter(this).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      return (T) Boolean.valueOf(on);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T set(T value) {
      boolean old = on;
      on = (Boolean) value;
      return (T) Boolean.valueOf(old);
    }
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

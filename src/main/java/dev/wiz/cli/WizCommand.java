package dev.wiz.cli;

import dev.wiz.engine.RunService;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The top-level {@code wiz} command: global options and the subcommands.
 *
 * <p>Its model is built in code ({@link #spec}), as every subcommand's is ({@link Subcommand#spec}),
 * not read from annotations: reading annotations makes the JDK generate a proxy class for each
 * annotation type, which was a third of {@code wiz --version}'s time after {@code main}
 * (bench/README.md), and 50-100 ms of building the command line of run, validate or provenance.
 */
final class WizCommand implements Runnable {
  /**
   * The subcommands' names, in the order help lists them; {@link Cli#create} adds them, built by
   * {@link #subcommand}. Each is the name its command's spec declares (CliSubcommandsTest checks):
   * they are written here so that finding the subcommand in the arguments builds no other.
   */
  static final List<String> SUBCOMMANDS =
      List.of("run", "validate", "graph", "provenance", "processors", "requests", "schema", "init", "help");

  final CliEnv env;

  CommandSpec spec;

  /** {@code -q}/{@code --quiet}, inherited by every subcommand. */
  final Value<Boolean> quiet = Value.flag();

  /** {@code -v}/{@code --verbose}, inherited by every subcommand. */
  final Value<Boolean> verbose = Value.flag();

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
    // In the order the annotations gave (the command's own options, then the standard help
    // options): picocli suggests among equally close names in that order (--versio: --verbose, --version).
    s.addOption(quiet.option("-q", "--quiet").scopeType(CommandLine.ScopeType.INHERIT)
        .description("Print only results, warnings and errors.").build());
    s.addOption(verbose.option("-v", "--verbose").scopeType(CommandLine.ScopeType.INHERIT)
        .description("Print more, including stack traces of internal errors.").build());
    Specs.standardHelpOptions(s);
    this.spec = s;
    return s;
  }

  /**
   * The subcommand of this name, bound to this command, with picocli's model built in code; for
   * {@code help}, picocli's own command, read from its annotations.
   */
  CommandLine subcommand(String name, CommandLine.IFactory factory) {
    return switch (name) {
      case "run" -> built(new RunCommand(), factory);
      case "validate" -> built(new ValidateCommand(), factory);
      case "graph" -> built(new GraphCommand(), factory);
      case "provenance" -> built(new ProvenanceCommand(), factory);
      case "processors" -> built(new ProcessorsCommand(), factory);
      case "requests" -> built(new RequestsCommand(), factory);
      case "schema" -> built(new SchemaCommand(), factory);
      case "init" -> built(new InitCommand(), factory);
      case "help" -> new CommandLine(CommandLine.HelpCommand.class, factory);
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  /** A subcommand bound to this command, with its model. */
  private CommandLine built(Subcommand sub, CommandLine.IFactory factory) {
    sub.bind(this);
    return new CommandLine(sub.spec(factory), factory);
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

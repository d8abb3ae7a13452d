package dev.wiz.cli;

import dev.wiz.pipeline.InvalidPipelineException;
import dev.wiz.schema.PipelineValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** The one factory of the command line, used by {@link Main} and by the tests. */
public final class Cli {
  private Cli() {}

  /** A ready {@code wiz} command line over the given environment, with every subcommand. */
  public static CommandLine create(CliEnv env) {
    return create(env, null);
  }

  /**
   * A ready {@code wiz} command line for these arguments: when they name a subcommand, only that
   * one is built (picocli's model of the others costs about 20 ms of every start); otherwise, or
   * when {@code argv} is null, all of them, for help and for picocli's suggestions.
   */
  static CommandLine create(CliEnv env, String[] argv) {
    WizCommand top = new WizCommand(env);
    // Every wiz command's model is built in code and bound to the top command (WizCommand.subcommand);
    // picocli's factory only makes its own help command.
    CommandLine.IFactory factory = CommandLine.defaultFactory();
    CommandLine cl = new CommandLine(top.spec(factory), factory);
    String only = argv == null ? null : subcommandIn(argv);
    // Added before the settings below: picocli passes them on only to subcommands already there.
    // `wiz --version` needs none of them: picocli's model of them is half its start-up.
    if (!onlyVersion(argv)) {
      for (String name : WizCommand.SUBCOMMANDS) {
        if (only == null || only.equals(name)) cl.addSubcommand(name, top.subcommand(name, factory));
      }
    }
    cl.setOut(env.out());
    cl.setErr(env.err());
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // A command asked for --format json that has not answered yet gets the exception's JSON on stdout.
      JsonAnswers.failed(cmd, JsonAnswers.of(e));
      return handle(e, top, env.err());
    });
    cl.setExitCodeExceptionMapper(e -> ExitCode.INTERNAL_ERROR.code());
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = env.err();
      err.println("wiz: " + ex.getMessage());
      // A command asked for --format json answers in JSON whatever the outcome, a bad option too.
      JsonAnswers.usageError(ex.getCommandLine(), args, ex.getMessage(), env.out());
      CommandLine.Help.ColorScheme cs = ex.getCommandLine().getColorScheme();
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err) && !suggestSubcommand(ex, err)) {
        err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
      }
      err.flush();
      return ExitCode.USAGE.code();
    });
    return cl;
  }

  /**
   * "Did you mean" for a mistyped subcommand picocli finds nothing like: its similarity measure
   * passes over short words ({@code wiz rn}), which an edit distance of one catches. Says it as
   * picocli does; returns whether it said anything.
   */
  private static boolean suggestSubcommand(CommandLine.ParameterException ex, PrintWriter err) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return false;
    String word = u.getUnmatched().get(0);
    CommandLine c = ex.getCommandLine();
    if (word.startsWith("-") || c.getSubcommands().isEmpty() || !c.getCommandSpec().positionalParameters().isEmpty()) return false;
    java.util.Optional<String> s = dev.wiz.schema.Suggestions.closest(word, c.getSubcommands().keySet());
    s.ifPresent(name -> err.println("Did you mean: " + c.getCommandName() + " " + name + "?"));
    return s.isPresent();
  }

  /** Runs a command line and returns the exit code (never calls System.exit). */
  public static int execute(CliEnv env, String... args) {
    start(args);
    int code;
    CommandLine cl = null;
    try {
      cl = create(env, args);
      code = cl.execute(args);
    } catch (Error e) {
      // Picocli passes Java errors on; a run's engine turns its own into a failed run.
      code = ExitCode.INTERNAL_ERROR.code();
      if (cl != null) JsonAnswers.failed(JsonAnswers.ran(cl), JsonAnswers.internalError(describe(e)));
      env.out().flush();
      env.err().println("wiz: " + describe(e));
      if (java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v")) e.printStackTrace(env.err());
    }
    env.out().flush();
    code = resultsWritten(env, args, code, cl != null && JsonAnswers.ran(cl).getCommand() instanceof Subcommand sub
        && sub.stdoutIsTheSinks());
    env.err().flush();
    return code;
  }

  /**
   * The exit code of a command that ended with {@code code}, given whether what it printed reached
   * standard output. One that did not (a full disk, {@code > /dev/full}; a closed descriptor) exits
   * 2, saying so, as jq does, rather than 0 with its results cut short; one whose reader went away
   * ({@code | head}) exits 141, as SIGPIPE stops jq. A command that failed already keeps its own
   * code and message, and a run the code of the outcome it recorded (run again, it would be
   * refused): both still say that their JSON answer is lost, unless the reader went away. A run
   * whose sink is stdout ({@code sinkOwnsStdout}) says nothing more: the sink reports the output's
   * fate itself, and its JSON answer went to stderr.
   */
  static int resultsWritten(CliEnv env, String[] args, int code, boolean sinkOwnsStdout) {
    if (sinkOwnsStdout || !env.out().checkError()) return code;
    String sub = subcommandIn(args);
    boolean keeps = code != ExitCode.OK.code() || "run".equals(sub);
    String why;
    try {
      // The buffer still holds what could not be written: flushing it again says why.
      env.stdout().flush();
      why = "the stream refused it";
    } catch (IOException e) {
      if (dev.wiz.io.OutputClosedException.isClosedPipe(e)) return keeps ? code : ExitCode.OUTPUT_CLOSED.code();
      why = e.getMessage();
    }
    env.err().println("wiz: could not write standard output (" + why + "): what " + (sub == null ? "wiz" : sub)
        + " printed there is incomplete");
    return keeps ? code : ExitCode.USAGE.code();
  }

  /**
   * What every command needs first, done as early as it can be ({@link Main} calls it before its
   * own set-up, {@link #execute} again, which starts nothing twice): the root locale, and for a
   * command that checks a pipeline file, its schema compiling on the second core.
   */
  static void start(String[] args) {
    // What wiz writes must not depend on the machine's locale: libraries lower-case and format with
    // the default one (jackson-jq's type names: "strıng" in Turkish).
    java.util.Locale.setDefault(java.util.Locale.ROOT);
    String sub = subcommandIn(args);
    if ("run".equals(sub) || "validate".equals(sub) || "graph".equals(sub)) {
      // Compiling the schema is the longest part of validate's start (Jackson's first ObjectMapper
      // sets up the JDK's locale data, then networknt builds its validators): it runs while
      // picocli reads the command line and the file is read (bench/README.md).
      PipelineValidator.prepare(Subcommand.SCHEMAS);
    }
  }

  /**
   * The subcommand the arguments name: the first that is not an option (wiz's own options take no
   * value), when it is one of {@link WizCommand#SUBCOMMANDS} other than {@code help}; else null.
   * Null too for {@code --} and {@code @file} (picocli's argument files), which it cannot see into.
   */
  static String subcommandIn(String[] args) {
    for (String a : args) {
      if (a.equals("--") || a.startsWith("@")) return null;
      if (a.startsWith("-")) continue;
      return !a.equals("help") && WizCommand.SUBCOMMANDS.contains(a) ? a : null;
    }
    return null;
  }

  /**
   * Whether the arguments ask only for the version: {@code -V} or {@code --version}, with nothing
   * else but wiz's own flags. Anything more (a subcommand, an unknown word or option) builds the
   * subcommands, so picocli can say what it is or suggest one.
   */
  static boolean onlyVersion(String[] args) {
    if (args == null || args.length == 0) return false;
    boolean version = false;
    for (String a : args) {
      switch (a) {
        case "-V", "--version" -> version = true;
        case "-q", "--quiet", "-v", "--verbose" -> { }
        default -> {
          return false;
        }
      }
    }
    return version;
  }

  /** What wiz says of a Java error that ended a command (exit 1). */
  static String describe(Error e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage() + "): give wiz a larger heap (WIZ_JAVA_OPTS=-Xmx4g bin/wiz ...)";
    }
    if (e instanceof StackOverflowError) {
      return "nesting too deep (stack overflow): give wiz a larger stack (WIZ_JAVA_OPTS=-Xss8m bin/wiz ...) or nest"
          + " the pipeline's expressions less";
    }
    return "internal error: " + e + " (a bug in wiz: please report it with --verbose output)";
  }

  static int handle(Exception e, WizCommand top, PrintWriter err) {
    if (e instanceof InvalidPipelineException) {
      ((InvalidPipelineException) e).diagnostics().forEach(d -> err.println(d.format()));
      return ExitCode.INVALID.code();
    }
    ExitCode code = exitCodeOf(e);
    err.println("wiz: " + message(e) + (code == ExitCode.INTERNAL_ERROR && !top.verbose.value() ? " (run with --verbose for details)" : ""));
    if (code == ExitCode.INTERNAL_ERROR && top.verbose.value()) e.printStackTrace(err);
    return code.code();
  }

  /** The exit code of an exception that ended a command. */
  static ExitCode exitCodeOf(Exception e) {
    if (e instanceof InvalidPipelineException || e instanceof dev.wiz.state.BrokenStateException) return ExitCode.INVALID;
    if (e instanceof IOException) return ExitCode.USAGE;
    return ExitCode.INTERNAL_ERROR;
  }

  /** What wiz says of an exception that ended a command, after {@code wiz: }. */
  static String message(Exception e) {
    if (e instanceof NoSuchFileException) return e.getMessage() + ": no such file";
    if (e instanceof AccessDeniedException) return e.getMessage() + ": permission denied";
    if (e instanceof IOException) return e.getMessage();
    return "internal error: " + e;
  }
}

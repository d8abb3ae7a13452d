package dev.wiz.cli;

import dev.wiz.pipeline.InvalidPipelineException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** The one factory of the command line, used by {@link Main} and by the tests. */
public final class Cli {
  private Cli() {}

  /** A ready {@code wiz} command line over the given environment. */
  public static CommandLine create(CliEnv env) {
    WizCommand top = new WizCommand(env);
    CommandLine cl = new CommandLine(top, new Factory(top));
    cl.setOut(env.out());
    cl.setErr(env.err());
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e, top, env.err()));
    cl.setExitCodeExceptionMapper(e -> ExitCode.INTERNAL_ERROR.code());
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = env.err();
      err.println("wiz: " + ex.getMessage());
      CommandLine.Help.ColorScheme cs = ex.getCommandLine().getColorScheme();
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
        err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
      }
      err.flush();
      return ExitCode.USAGE.code();
    });
    return cl;
  }

  /** Runs a command line and returns the exit code (never calls System.exit). */
  public static int execute(CliEnv env, String... args) {
    int code = create(env).execute(args);
    env.out().flush();
    env.err().flush();
    return code;
  }

  static int handle(Exception e, WizCommand top, PrintWriter err) {
    if (e instanceof InvalidPipelineException) {
      ((InvalidPipelineException) e).diagnostics().forEach(d -> err.println(d.format()));
      return ExitCode.INVALID.code();
    }
    if (e instanceof NoSuchFileException) {
      err.println("wiz: " + e.getMessage() + ": no such file");
      return ExitCode.USAGE.code();
    }
    if (e instanceof AccessDeniedException) {
      err.println("wiz: " + e.getMessage() + ": permission denied");
      return ExitCode.USAGE.code();
    }
    if (e instanceof IOException) {
      err.println("wiz: " + e.getMessage());
      return ExitCode.USAGE.code();
    }
    err.println("wiz: internal error: " + e + (top.verbose ? "" : " (run with --verbose for details)"));
    if (top.verbose) e.printStackTrace(err);
    return ExitCode.INTERNAL_ERROR.code();
  }

  /** Gives every subcommand the environment and the top command. */
  private static final class Factory implements CommandLine.IFactory {
    private final WizCommand top;

    Factory(WizCommand top) {
      this.top = top;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == WizCommand.class) return cls.cast(top);
      if (Subcommand.class.isAssignableFrom(cls)) {
        K k = CommandLine.defaultFactory().create(cls);
        ((Subcommand) k).bind(top);
        return k;
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }
}

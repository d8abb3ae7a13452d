package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.pipeline.InvalidPipelineException;
import dev.wiz.state.BrokenStateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a command asked for {@code --format json} answers on stdout when it failed before it could
 * answer itself: a usage error the parser found, an exception that ended it. One JSON value, so a
 * script always reads an answer, never an empty input; the text goes to stderr as ever.
 */
final class JsonAnswers {
  private JsonAnswers() {}

  /**
   * After a usage error the parser found in {@code failed}: {@code {"status":"usage-error","error"}}
   * on stdout when the words ask for {@code --format json} and {@code failed} takes it (or, for
   * wiz, provenance and processors, a command under it does). The option is looked for in the
   * words, as the parser may have stopped before reaching it. Run's is one line, as its summary
   * is, and under {@code --dry-run} indented with {@code "dryRun": true}, as its plan is; every
   * other command's is indented, as its results are.
   */
  static void usageError(CommandLine failed, String[] args, String message, PrintWriter out) {
    String format = null;
    boolean dryRun = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) break;
      if (a.equals("--format") && i + 1 < args.length) format = args[++i];
      else if (a.startsWith("--format=")) format = a.substring("--format=".length());
      else if (a.equals("--dry-run")) dryRun = true;
    }
    if (!"json".equals(format) || !takesJson(failed.getCommandSpec())) return;
    boolean run = failed.getCommand() instanceof RunCommand;
    ObjectNode o = Json.mapper().createObjectNode();
    if (run && dryRun) o.put("dryRun", true);
    o.put("status", "usage-error").put("error", message);
    print(out, o, !run || dryRun);
  }

  /**
   * After an exception or a Java error ended a command: {@code answer} as the command gives its
   * JSON ({@link Subcommand#answerJson}), when it was asked for {@code --format json} and has not
   * answered already.
   */
  static void failed(CommandLine cmd, ObjectNode answer) {
    if (!(cmd.getCommand() instanceof Subcommand)) return;
    Subcommand sub = (Subcommand) cmd.getCommand();
    OptionSpec format = cmd.getCommandSpec().findOption("--format");
    if (sub.answered() || format == null || !"json".equals(String.valueOf((Object) format.getValue()))) return;
    try {
      sub.answerJson(answer);
    } catch (IOException | RuntimeException unwritable) {
      // Then stdout is what failed: the text on stderr still says what happened.
    }
  }

  /** The command a parsed command line ran: the last subcommand its words named. */
  static CommandLine ran(CommandLine cl) {
    CommandLine.ParseResult parsed = cl.getParseResult();
    if (parsed == null) return cl;
    while (parsed.hasSubcommand()) parsed = parsed.subcommand();
    return parsed.commandSpec().commandLine();
  }

  /** {@code {"status":"internal-error","error"}}. */
  static ObjectNode internalError(String message) {
    return Json.mapper().createObjectNode().put("status", "internal-error").put("error", message);
  }

  /**
   * The JSON of an exception that ended a command: {@code invalid} with {@code diagnostics} (as
   * validate --format json gives them), {@code broken-state} with {@code error} and {@code file},
   * else {@code usage-error} (exit 2: a file that cannot be read) or {@code internal-error}
   * (exit 1) with {@code error}, the words wiz says on stderr after {@code wiz: }.
   */
  static ObjectNode of(Exception e) {
    ObjectNode o = Json.mapper().createObjectNode();
    if (e instanceof InvalidPipelineException) {
      o.put("status", "invalid");
      o.set("diagnostics", ValidateCommand.json(((InvalidPipelineException) e).diagnostics()));
    } else if (e instanceof BrokenStateException) {
      o.put("status", "broken-state").put("error", e.getMessage()).put("file", ((BrokenStateException) e).file().toString());
    } else {
      o.put("status", Cli.exitCodeOf(e) == ExitCode.USAGE ? "usage-error" : "internal-error").put("error", Cli.message(e));
    }
    return o;
  }

  /** Whether the command, or one under it, has a {@code --format} that takes {@code json}. */
  static boolean takesJson(CommandSpec spec) {
    OptionSpec format = spec.findOption("--format");
    if (format != null && format.type().isEnum()) {
      for (Object c : format.type().getEnumConstants()) {
        if (((Enum<?>) c).name().equals("json")) return true;
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      if (takesJson(sub.getCommandSpec())) return true;
    }
    return false;
  }

  /** One JSON value, a line of its own, flushed. */
  static void print(PrintWriter out, ObjectNode o, boolean indented) {
    try {
      out.println(indented ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o) : Json.mapper().writeValueAsString(o));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }
}

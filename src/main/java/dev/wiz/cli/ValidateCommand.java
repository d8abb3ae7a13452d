package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.InvalidPipelineException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz validate}: checks a pipeline file (or a processor config) and runs nothing. */
final class ValidateCommand extends Subcommand implements Callable<Integer> {
  final Value<String> file = Value.of(String.class);
  final Value<String> type = Value.of(String.class);
  final Value<String> stateDir = Value.of(String.class);
  final Value<Format> format = Value.of(Format.class);

  /** {@code wiz validate [--type=TYPE] [--state-dir=DIR] [--format=text|json] FILE}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "validate");
    s.usageMessage()
        .header("Check a pipeline file and report every problem at once.")
        .description(
            "Check a pipeline file against its schemas and compile every expression; report",
            "every problem at once as FILE:LINE:COL: /json/pointer: message. A file sink must",
            "not overwrite its input, the pipeline file or the state folder (.wiz, or",
            "--state-dir), nor match a glob source. Runs nothing and writes nothing.",
            "Exit 0 when valid, 3 when not, 2 on a usage error.");
    s.addPositional(file.parameter().paramLabel("FILE")
        .description("The pipeline file, or with --type a processor config file (YAML or JSON).").build());
    s.addOption(type.option("--type").paramLabel("TYPE")
        .description("Check FILE as the config of a processor of this type.").build());
    s.addOption(stateDir.option("--state-dir").paramLabel("DIR")
        .description("The state folder the runs will use, as for wiz run (default: .wiz next to the pipeline file): a sink"
            + " or source inside it is refused.").build());
    s.addOption(format.option("--format").paramLabel("text|json").defaultValue("text")
        .description("text (one problem per line on stderr) or json (an array on stdout). Default: ${DEFAULT-VALUE}.").build());
    return s;
  }

  @Override
  public Integer call() throws IOException {
    List<Diagnostic> problems;
    try {
      if (type.value() != null) {
        problems = service().checkConfig(type.value(), inputFile(file.value()), file.value());
      } else {
        service().check(inputFile(file.value()), file.value(), stateDir.value() == null ? null : path(stateDir.value()));
        problems = List.of();
      }
    } catch (InvalidPipelineException e) {
      problems = e.diagnostics();
    }
    if (format.value() == Format.json) {
      printJson(json(problems));
    } else {
      problems.forEach(d -> env().err().println(d.format()));
      if (!quiet()) {
        env().err().println(problems.isEmpty()
            ? file.value() + ": valid"
            : file.value() + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
      }
    }
    return problems.isEmpty() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }

  /** The problems as {@code validate --format json} prints them: {@code [{file, line, column, pointer, message}]}. */
  static ArrayNode json(List<Diagnostic> problems) {
    ArrayNode arr = Json.mapper().createArrayNode();
    for (Diagnostic d : problems) {
      ObjectNode o = arr.addObject();
      o.put("file", d.file());
      o.put("line", d.line());
      o.put("column", d.column());
      o.put("pointer", d.pointer());
      o.put("message", d.message());
    }
    return arr;
  }
}

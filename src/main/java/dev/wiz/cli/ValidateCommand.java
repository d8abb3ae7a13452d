package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.InvalidPipelineException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wiz validate}: checks a pipeline file (or a processor config) and runs nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    header = "Check a pipeline file and report every problem at once.",
    description = {
      "Check a pipeline file against its schemas and compile every expression; report every problem",
      "at once as FILE:LINE:COL: /json/pointer: message. A file sink must not overwrite its input,",
      "the pipeline file or the state folder (.wiz, or --state-dir), nor match a glob source. Runs nothing",
      "and writes nothing.",
      "Exit 0 when valid, 3 when not, 2 on a usage error."
    })
final class ValidateCommand extends Subcommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "The pipeline file, or with --type a processor config file (YAML or JSON).")
  String file;

  @Option(names = "--type", paramLabel = "TYPE", description = "Check FILE as the config of a processor of this type.")
  String type;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "The state folder the runs will use, as for wiz run (default: .wiz next to the pipeline file): a sink"
          + " or source inside it is refused.")
  String stateDir;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text (one problem per line on stderr) or json (an array on stdout). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Override
  public Integer call() throws IOException {
    List<Diagnostic> problems;
    try {
      if (type != null) {
        problems = service().checkConfig(type, inputFile(file), file);
      } else {
        service().check(inputFile(file), file, stateDir == null ? null : path(stateDir));
        problems = List.of();
      }
    } catch (InvalidPipelineException e) {
      problems = e.diagnostics();
    }
    if (format == Format.json) {
      printJson(json(problems));
    } else {
      problems.forEach(d -> env().err().println(d.format()));
      if (!quiet()) {
        env().err().println(problems.isEmpty()
            ? file + ": valid"
            : file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
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

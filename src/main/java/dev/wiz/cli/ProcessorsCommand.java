package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code wiz processors list}: the processor types this wiz knows. */
@Command(name = "processors", mixinStandardHelpOptions = true,
    description = "The processor types this wiz knows.",
    subcommands = {ProcessorsCommand.ListTypes.class})
final class ProcessorsCommand extends Subcommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list");
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the processor types: type, whether chunks may be spread over parallel instances, whether it needs a seed, what it does.")
  static final class ListTypes extends Subcommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin FormatOption format;

    @Override
    public Integer call() throws IOException {
      ProcessorRegistry registry = ProcessorRegistry.load(ProcessorsCommand.class.getClassLoader());
      if (format.json()) {
        ArrayNode arr = Json.mapper().createArrayNode();
        for (ProcessorFactory f : registry.factories()) {
          ObjectNode o = arr.addObject();
          o.put("type", f.type());
          o.put("description", f.description());
          o.put("version", f.version());
          o.put("loadBalance", f.loadBalance());
          o.put("needsSeed", f.needsSeed());
          o.put("sideEffects", f.sideEffects());
        }
        printJson(arr);
      } else {
        env().out().printf(Locale.ROOT, "%-12s %-12s %-6s %s%n", "TYPE", "LOADBALANCE", "SEED", "DESCRIPTION");
        for (ProcessorFactory f : registry.factories()) {
          env().out().printf(Locale.ROOT, "%-12s %-12s %-6s %s%n", f.type(), f.loadBalance() ? "yes" : "no",
              f.needsSeed() ? "yes" : "no", f.description());
        }
      }
      return ExitCode.OK.code();
    }
  }
}

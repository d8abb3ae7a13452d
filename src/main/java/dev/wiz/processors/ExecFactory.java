package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code exec}: pipes records through an external program as JSON lines on its stdin and stdout.
 * A crash, a non-zero exit, a timeout or output that is not JSON fails the chunk, with the
 * program's last stderr lines; the run goes on as {@code run.onError} says.
 */
public final class ExecFactory implements ProcessorFactory {

  @Override
  public String type() {
    return "exec";
  }

  @Override
  public boolean sideEffects() {
    return true;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return ExecConfig.check(config, setup);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    List<ConfigProblem> problems = ExecConfig.check(config, setup);
    if (!problems.isEmpty()) {
      throw new ProcessorException(problems.get(0).pointer() + ": " + problems.get(0).message());
    }
    ExecConfig exec = ExecConfig.of(config, setup);
    return () -> new ExecProcessor(exec);
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import java.util.List;
import java.util.function.Supplier;

/** {@code jq}: runs a jq program on every record; each output is a record (zero, one or many). */
public final class JqFactory implements ProcessorFactory {
  private static final String PROGRAM = "program";

  @Override
  public String type() {
    return "jq";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return Expression.check(config, PROGRAM);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    Expression query = Expression.require(config, PROGRAM);
    return () -> new JqRecordProcessor(query, "jq") {
      @Override
      void emit(JsonNode record, int index, List<JsonNode> outputs, Outputs out) {
        for (JsonNode v : outputs) out.add(v, index); // each output keeps its input's line
      }
    };
  }
}

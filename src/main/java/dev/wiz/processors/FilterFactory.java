package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code filter}: keeps the records for which a jq expression is truthy (anything but false and
 * null). A record is kept once, whatever the number of outputs, if any output is truthy.
 */
public final class FilterFactory implements ProcessorFactory {
  private static final String WHERE = "where";

  @Override
  public String type() {
    return "filter";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return Expression.check(config, WHERE);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    Expression query = Expression.require(config, WHERE);
    return () -> new JqRecordProcessor(query, "filter") {
      @Override
      void emit(JsonNode record, int index, List<JsonNode> outputs, Outputs out) {
        for (JsonNode v : outputs) {
          if (Expression.truthy(v)) {
            out.add(record, index);
            return;
          }
        }
      }
    };
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code select}: keeps only the listed fields of every record. Nested paths stay nested
 * ({@code a.b} gives {@code {"a":{"b":...}}}) and paths under one object share it; the output's
 * keys follow the list. A field the record lacks is left out.
 */
public final class SelectFactory implements ProcessorFactory {

  @Override
  public String type() {
    return "select";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return Fields.checkList(config);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    List<FieldPath> paths = Fields.list(config);
    return () -> new ObjectRecordProcessor(type()) {
      @Override
      JsonNode apply(ObjectNode record) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (FieldPath p : paths) {
          JsonNode value = p.get(record);
          // the parents in the output are objects this processor made: setting never fails
          if (!value.isMissingNode()) p.set(out, value);
        }
        return out;
      }
    };
  }
}

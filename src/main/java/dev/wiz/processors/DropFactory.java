package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code drop}: removes the listed fields from every record. A field the record lacks is fine; an
 * object emptied by the removal stays, as {@code {}}.
 */
public final class DropFactory implements ProcessorFactory {

  @Override
  public String type() {
    return "drop";
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
        ObjectNode out = null;
        for (FieldPath p : paths) {
          if (!p.exists(out == null ? record : out)) continue; // nothing to remove: no copy
          if (out == null) out = FieldPath.shallowCopy(record);
          p.remove(out);
        }
        return out == null ? record : out;
      }
    };
  }
}

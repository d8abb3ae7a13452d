package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code filter}: keeps the records for which a jq expression is truthy (anything but false and
 * null). A record is kept once, whatever the number of outputs, if any output is truthy.
 */
public final class FilterFactory implements ProcessorFactory {
  static final String WHERE = "where";

  @Override
  public String type() {
    return "filter";
  }

  @Override
  public String description() {
    return "Keep the records for which a jq expression is true (not false or null)";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config) {
    JqSupport.Compiled c = JqSupport.compile(config.path(WHERE).asText(), "/" + WHERE);
    return c.ok() ? List.of() : List.of(c.problem());
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config) throws ProcessorException {
    JqSupport.Compiled c = JqSupport.compile(config.path(WHERE).asText(), "/" + WHERE);
    if (!c.ok()) {
      throw new ProcessorException(c.problem().message());
    }
    JsonQuery query = c.query();
    return () -> new FilterProcessor(query);
  }

  static final class FilterProcessor implements Processor {
    private final JsonQuery query;
    private final Scope scope = JqSupport.newScope();
    private ProcessorContext context;

    FilterProcessor(JsonQuery query) {
      this.query = query;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
    }

    @Override
    public Chunk process(Chunk chunk) {
      List<JsonNode> out = new ArrayList<>(chunk.size());
      boolean[] keep = new boolean[1];
      for (JsonNode record : chunk.records()) {
        keep[0] = false;
        try {
          query.apply(scope, record, v -> keep[0] |= truthy(v));
        } catch (JsonQueryException e) {
          context.reject(record, "filter: " + JqSupport.oneLine(e.getMessage()));
          continue;
        }
        if (keep[0]) out.add(record);
      }
      return chunk.withRecords(out);
    }

    private static boolean truthy(JsonNode v) {
      return !(v == null || v.isNull() || v.isMissingNode() || (v.isBoolean() && !v.booleanValue()));
    }
  }
}

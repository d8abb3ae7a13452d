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

/** {@code jq}: runs a jq program on every record; each output is a record (zero, one or many). */
public final class JqFactory implements ProcessorFactory {
  static final String PROGRAM = "program";

  @Override
  public String type() {
    return "jq";
  }

  @Override
  public String description() {
    return "Run a jq program on every record; each of its outputs is a record (zero, one or many)";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config) {
    JqSupport.Compiled c = JqSupport.compile(config.path(PROGRAM).asText(), "/" + PROGRAM);
    return c.ok() ? List.of() : List.of(c.problem());
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config) throws ProcessorException {
    JqSupport.Compiled c = JqSupport.compile(config.path(PROGRAM).asText(), "/" + PROGRAM);
    if (!c.ok()) {
      throw new ProcessorException(c.problem().message());
    }
    JsonQuery query = c.query();
    return () -> new JqProcessor(query);
  }

  static final class JqProcessor implements Processor {
    private final JsonQuery query;
    private final Scope scope = JqSupport.newScope();
    private ProcessorContext context;

    JqProcessor(JsonQuery query) {
      this.query = query;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
    }

    @Override
    public Chunk process(Chunk chunk) {
      List<JsonNode> out = new ArrayList<>(chunk.size());
      for (JsonNode record : chunk.records()) {
        int mark = out.size();
        try {
          query.apply(scope, record, out::add);
        } catch (JsonQueryException e) {
          out.subList(mark, out.size()).clear();
          context.reject(record, "jq: " + JqSupport.oneLine(e.getMessage()));
        }
      }
      return chunk.withRecords(out);
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A processor that runs one compiled jq query per record: what it does with the outputs is the
 * subclass's; a record the query fails on is rejected with the reason.
 */
abstract class JqRecordProcessor implements Processor {
  private final Expression query;
  private final String label;
  private final JqScope scope = Expression.newScope();
  private ProcessorContext context;

  JqRecordProcessor(Expression query, String label) {
    this.query = query;
    this.label = label;
  }

  @Override
  public void init(ProcessorContext context) {
    this.context = context;
  }

  /** Turns the query's outputs for one record into output records. */
  abstract void emit(JsonNode record, List<JsonNode> outputs, List<JsonNode> out);

  @Override
  public Chunk process(Chunk chunk) {
    List<JsonNode> out = new ArrayList<>(chunk.size());
    List<JsonNode> outputs = new ArrayList<>(4);
    for (JsonNode record : chunk.records()) {
      outputs.clear();
      try {
        query.apply(scope, record, outputs::add);
      } catch (JsonQueryException e) {
        context.reject(record, label + ": " + JqSupport.message(e));
        continue;
      }
      emit(record, outputs, out);
    }
    return chunk.withRecords(out);
  }
}

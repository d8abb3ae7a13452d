package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A processor that runs one compiled jq query per record: what it does with the outputs is the
 * subclass's; a record the query fails on is rejected with the reason, as is one it overflows the
 * stack on ({@link TooDeep}). Stops between records, and in the middle of a long evaluation, once
 * the run is being cancelled.
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
    scope.stopWhenCancelled(context);
  }

  /** Turns the query's outputs for one record, the input's {@code index}th, into output records. */
  abstract void emit(JsonNode record, int index, List<JsonNode> outputs, Outputs out);

  @Override
  public Chunk process(Chunk chunk) throws RunCancelledException {
    Outputs out = new Outputs(chunk.size());
    List<JsonNode> outputs = new ArrayList<>(4);
    List<JsonNode> in = chunk.records();
    for (int i = 0; i < in.size(); i++) {
      Stopping.betweenRecords(context, label, i, in.size());
      JsonNode record = in.get(i);
      outputs.clear();
      try {
        query.apply(scope, record, outputs::add);
      } catch (JsonQueryException e) {
        context.reject(record, label + ": " + JqSupport.message(e));
        continue;
      } catch (StackOverflowError e) {
        context.reject(record, label + ": " + TooDeep.JQ);
        continue;
      }
      emit(record, i, outputs, out);
    }
    return out.of(chunk);
  }
}

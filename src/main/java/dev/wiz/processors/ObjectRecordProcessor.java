package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.RunCancelledException;
import java.util.List;

/**
 * A processor that turns every record, which must be an object, into one record. A record that is
 * not an object, or that {@link #apply} refuses or overflows the stack on ({@link TooDeep}), is
 * rejected with the reason; the others go on.
 * Stops between records once the run is being cancelled.
 */
abstract class ObjectRecordProcessor implements Processor {
  private final String type;
  private ProcessorContext context;

  ObjectRecordProcessor(String type) {
    this.type = type;
  }

  @Override
  public void init(ProcessorContext context) {
    this.context = context;
  }

  /**
   * The output record for one input record; must not modify the input (copy what changes).
   * Throws {@link RunCancelledException} when it stops for the run's cancellation.
   */
  abstract JsonNode apply(ObjectNode record) throws RecordProblem, RunCancelledException;

  @Override
  public Chunk process(Chunk chunk) throws RunCancelledException {
    Outputs out = new Outputs(chunk.size());
    List<JsonNode> in = chunk.records();
    for (int i = 0; i < in.size(); i++) {
      Stopping.betweenRecords(context, type, i, in.size());
      JsonNode record = in.get(i);
      if (!record.isObject()) {
        context.reject(record, type + ": the record is " + JsonKinds.kind(record) + ", not an object");
        continue;
      }
      try {
        out.add(apply((ObjectNode) record), i);
      } catch (RecordProblem p) {
        context.reject(record, type + ": " + p.getMessage());
      } catch (StackOverflowError e) {
        context.reject(record, type + ": " + TooDeep.RECORD);
      }
    }
    return out.of(chunk);
  }

  /** One record cannot be processed: the message says why (it is prefixed with the type). */
  static final class RecordProblem extends Exception {
    RecordProblem(String message) {
      super(message, null, false, false);
    }
  }
}

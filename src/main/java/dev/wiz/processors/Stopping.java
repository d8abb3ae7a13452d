package dev.wiz.processors;

import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.RunCancelledException;

/**
 * Where a processor stops once the run is being cancelled: between two records of a chunk, so a
 * chunk of slow records is not finished first. What it did with the chunk is dropped, and the
 * engine leaves the chunk for {@code --resume}. One read of the run's flag a record.
 */
final class Stopping {
  private Stopping() {}

  /**
   * Throws when the context says the run is being cancelled; {@code done} records of the chunk's
   * {@code of} are done. A null context (a processor used without the engine) never stops.
   */
  static void betweenRecords(ProcessorContext context, String type, int done, int of) throws RunCancelledException {
    if (context != null && context.cancelled()) {
      throw new RunCancelledException(type + ": stopped after " + done + " of " + of + " records of the chunk: the run"
          + " is being cancelled");
    }
  }
}

package dev.wiz.io;

import java.io.IOException;
import java.util.List;

/** Where records come from. Read by one thread; batches are decoded elsewhere. */
public interface Source extends AutoCloseable {
  /**
   * The next batch of at most {@code maxRecords} records, or {@code null} at end of input. A batch
   * may hold fewer records (at the end of a file); it is never empty.
   */
  SourceBatch next(int maxRecords) throws IOException;

  /** What is read, for the request key and the run record: one entry per input file. */
  List<InputFile> inputs();

  @Override
  void close() throws IOException;
}

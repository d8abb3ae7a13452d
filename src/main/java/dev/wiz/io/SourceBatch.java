package dev.wiz.io;

import java.io.IOException;

/**
 * Consecutive input records, cut by the single reader thread and decoded later on a worker, so
 * that decoding runs in parallel. A batch never spans two input files.
 */
public interface SourceBatch {
  /** The input file as the user named it (relative paths as written), or {@code stdin}. */
  String origin();

  /** 1-based first line of the batch in its origin (0 when the format has no lines). */
  long firstLine();

  /** 1-based last line of the batch, inclusive. */
  long lastLine();

  /** Number of records (including undecodable ones) in the batch. */
  int recordCount();

  /** sha-256 of the batch's raw input bytes, as {@code sha256:<hex>}. */
  String inputDigest();

  /** Decodes the batch; called once, from a worker thread. */
  Decoded decode() throws IOException;
}

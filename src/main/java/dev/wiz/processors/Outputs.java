package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records a processor makes of one chunk, each with the index of the input record it was
 * made from, so that it keeps that record's input line (see {@link Chunk#from()}).
 */
final class Outputs {
  private final List<JsonNode> records;
  private int[] from;

  Outputs(int expected) {
    records = new ArrayList<>(expected);
    from = new int[Math.max(4, expected)];
  }

  /** One output record, made from (or being) input record {@code source}. */
  void add(JsonNode record, int source) {
    int n = records.size();
    if (n == from.length) from = Arrays.copyOf(from, n * 2);
    from[n] = source;
    records.add(record);
  }

  /** The chunk of these records. */
  Chunk of(Chunk in) {
    int n = records.size();
    return in.withRecords(records, n == from.length ? from : Arrays.copyOf(from, n));
  }
}

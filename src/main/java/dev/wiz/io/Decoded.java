package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The records of one batch, and the ones that could not be decoded, each in input order.
 *
 * @param records the decoded records
 * @param errors the records that could not be decoded
 * @param lines where each record was read from, when the format is line based; else null
 * @param recordLines the line each record starts on, counted from the batch's first line (0 is
 *     {@link SourceBatch#firstLine()}), so that a record can be named by its own line; null when
 *     the source does not know. Shared, never modified
 */
public record Decoded(List<JsonNode> records, List<RecordError> errors, Lines lines, int[] recordLines) {
  public Decoded {
    records = List.copyOf(records);
    errors = List.copyOf(errors);
    if (lines != null && lines.start().length != records.size()) {
      throw new IllegalArgumentException("lines for " + lines.start().length + " records, got " + records.size());
    }
    if (recordLines != null && recordLines.length != records.size()) {
      throw new IllegalArgumentException("record lines for " + recordLines.length + " records, got " + records.size());
    }
  }

  public Decoded(List<JsonNode> records, List<RecordError> errors) {
    this(records, errors, null, null);
  }

  /**
   * The bytes each record was read from: record {@code i} is {@code bytes[start[i], end[i])}, its
   * line without the line end. Shared, never modified.
   */
  public record Lines(byte[] bytes, int[] start, int[] end) {}
}

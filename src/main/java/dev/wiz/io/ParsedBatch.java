package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.util.List;

/**
 * A batch of records the reader had to parse itself (formats that cannot be cut at line ends:
 * {@code json}, {@code csv}). Its digest is taken over the records as compact JSON lines.
 */
final class ParsedBatch implements SourceBatch {
  private final String origin;
  private final long first;
  private final long last;
  private final List<JsonNode> records;
  private final List<RecordError> errors;
  private final int[] recordLines;
  private volatile String digest;

  /** {@code recordLines}: the line each record starts on, as an offset from {@code first} (see {@link Decoded}). */
  ParsedBatch(String origin, long first, long last, List<JsonNode> records, int[] recordLines, List<RecordError> errors) {
    this.origin = origin;
    this.first = first;
    this.last = last;
    this.records = List.copyOf(records);
    this.recordLines = recordLines;
    this.errors = List.copyOf(errors);
  }

  /** A batch of record errors only. */
  static ParsedBatch errors(String origin, long line, List<RecordError> errors) {
    return new ParsedBatch(origin, line, line, List.of(), new int[0], errors);
  }

  @Override public String origin() { return origin; }
  @Override public long firstLine() { return first; }
  @Override public long lastLine() { return last; }
  @Override public int recordCount() { return records.size() + errors.size(); }

  @Override
  public String inputDigest() {
    String d = digest;
    if (d == null) digest = d = Json.digestLines(records);
    return d;
  }

  @Override
  public Decoded decode() {
    return new Decoded(records, errors, null, recordLines);
  }
}

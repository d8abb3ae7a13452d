package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One chunk's output, encoded on a worker. When the encoding depends on what came before (a CSV
 * header taken from the first record) {@code bytes} is null and {@code deferred} holds the
 * records for the sink's writer thread to encode.
 *
 * @param bytes the encoded records, or null when deferred
 * @param records how many records
 * @param deferred the records when the bytes are deferred, else empty
 */
public record Encoded(byte[] bytes, int records, List<JsonNode> deferred) {
  public Encoded {
    deferred = List.copyOf(deferred);
  }

  public static Encoded of(byte[] bytes, int records) {
    return new Encoded(bytes, records, List.of());
  }

  public static Encoded deferred(List<JsonNode> records) {
    return new Encoded(null, records.size(), records);
  }
}

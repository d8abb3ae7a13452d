package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One chunk's output, encoded on a worker. When the encoding depends on what came before (a CSV
 * header taken from the first record) {@code bytes} is null and {@code deferred} holds the
 * records for the sink's writer thread to encode ({@link Sink#ordered}).
 *
 * @param bytes the encoded records, or null when deferred
 * @param records how many records the bytes hold (when deferred: how many there are to encode)
 * @param deferred the records when the bytes are deferred, else empty
 * @param rejected the records the sink cannot write, left out of the bytes, in chunk order
 * @param stored the bytes as the sink stores them when that is not {@code bytes} (a gzip member of
 *     them, made on the worker), or null: then the sink stores {@code bytes}, or makes what it
 *     stores when it writes them
 */
public record Encoded(byte[] bytes, int records, List<JsonNode> deferred, List<Rejected> rejected, byte[] stored) {
  public Encoded {
    deferred = List.copyOf(deferred);
    rejected = List.copyOf(rejected);
  }

  public Encoded(byte[] bytes, int records, List<JsonNode> deferred, List<Rejected> rejected) {
    this(bytes, records, deferred, rejected, null);
  }

  /** The same chunk, stored as {@code stored}. */
  Encoded withStored(byte[] newStored) {
    return new Encoded(bytes, records, deferred, rejected, newStored);
  }

  /**
   * A record the sink cannot write (a record error: {@code run.onError} decides what happens to
   * it); the other records of its chunk are written.
   *
   * @param index the record's place in the chunk's records
   * @param reason why, in words that say what to do
   */
  public record Rejected(int index, String reason) {}

  public static Encoded of(byte[] bytes, int records) {
    return new Encoded(bytes, records, List.of(), List.of());
  }

  public static Encoded deferred(List<JsonNode> records) {
    return new Encoded(null, records.size(), records, List.of());
  }
}

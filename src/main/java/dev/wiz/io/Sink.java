package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * Where records go. {@link #encode} runs on worker threads in parallel; everything else runs on
 * one thread, in chunk order. A file sink writes to a temporary file in the target folder and moves
 * it into place atomically in {@link #complete}, so a failed run never leaves a half-written file
 * where the complete one should be.
 */
public interface Sink extends AutoCloseable {
  /**
   * Thread-safe. Encodes one chunk's records. A record the sink cannot write is left out and named
   * in {@link Encoded#rejected}; an exception is about the chunk or the sink, not one record.
   */
  Encoded encode(List<JsonNode> records) throws IOException;

  /**
   * In chunk order, before {@link #write}: encodes what depends on the chunks before it (a CSV
   * header and columns taken from the first record written), naming the records it cannot write
   * in {@link Encoded#rejected}. The chunk as it is when nothing was deferred.
   */
  default Encoded ordered(Encoded chunk) throws IOException {
    return chunk;
  }

  /**
   * Appends one chunk ({@link #ordered} already), in chunk order. Returns the bytes as written
   * (with framing such as separators), so the caller can digest exactly what reached the output.
   */
  byte[] write(Encoded chunk) throws IOException;

  /**
   * What one chunk put in the output: the bytes as stored (its offset and length in the file are
   * theirs, and {@code provenance verify} checks them) and the text they hold. The same array for a
   * sink that stores its text as it is; a gzip member of the text for a gzip file.
   */
  record Written(byte[] stored, byte[] text) {}

  /** As {@link #write}, telling the text apart from the bytes stored. */
  default Written writeChunk(Encoded chunk) throws IOException {
    byte[] b = write(chunk);
    return new Written(b, b);
  }

  /** The length and sha-256 ({@code sha256:<hex>}) of the text a compressed output holds, whole. */
  record Text(long bytes, String digest) {}

  /**
   * Once {@link #complete} returned: the text of the whole output when it is stored as other bytes
   * (gzip), what {@code zcat FILE | sha256sum} gives; null for an output stored as text.
   */
  default Text outputText() {
    return null;
  }

  /** The compression of the output ({@code gzip}), or null when it is stored as text. */
  default String compression() {
    return null;
  }

  /** The output's format ({@code jsonl}, {@code json}, {@code csv}, {@code lines}), for messages. */
  default String format() {
    return "jsonl";
  }

  /** The digest of the pipeline's {@code sink} section, named in provenance; null when unknown. */
  default String configDigest() {
    return null;
  }

  /** Makes everything written so far durable (flush and fsync for files; flush for stdout). */
  void commit() throws IOException;

  /** Ends the output (closing brackets) and moves it into place. Returns where it went. */
  String complete() throws IOException;

  /** Gives up: removes the temporary file, leaves any existing target untouched. Never throws. */
  void abort();

  /**
   * Stops without completing: the target is left untouched, and the temporary file keeps what was
   * committed so {@code wiz run --resume} can go on from there. Never throws.
   */
  default void suspend() {
    abort();
  }

  /** Where the output will be, for messages ({@code stdout} or the target path). */
  String target();

  @Override
  void close() throws IOException;
}

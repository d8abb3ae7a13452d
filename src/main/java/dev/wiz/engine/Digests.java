package dev.wiz.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.List;

/**
 * Digests of record lists: sha-256 over the records as compact JSON lines, the bytes a jsonl sink
 * writes (keys in the order the records hold them, which is deterministic for a given pipeline and
 * input). Streamed into the digest, no copy of the bytes is kept.
 */
final class Digests {
  private Digests() {}

  static String of(List<JsonNode> records) {
    MessageDigest md = Json.sha256();
    OutputStream sink = new OutputStream() {
      @Override
      public void write(int b) {
        md.update((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        md.update(b, off, len);
      }
    };
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(sink)) {
      g.setRootValueSeparator(null);
      for (JsonNode r : records) {
        Json.mapper().writeTree(g, r);
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.hex(md);
  }
}

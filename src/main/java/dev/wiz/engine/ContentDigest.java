package dev.wiz.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.io.Decoded;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The digest provenance records for the records between two steps: sha-256 over one line per
 * record, each followed by {@code \n}. As in NiFi, where content is written again only when a
 * processor changes it, a record that reaches a step unchanged from a line of the input (the very
 * object the decoder made, processors never modify their input; or a shared constant such as
 * {@code true} that the decoder gave for a line) counts as the bytes of that line
 * as read (without its line end); any other record as its compact JSON, keys in the record's
 * order. So the same input and pipeline give the same digests, and a step that only drops records
 * (a filter) is digested without writing them out again.
 *
 * <p>Used by one thread at a time, like the chunk it belongs to.
 */
final class ContentDigest {
  private static final int BLOCK = 1 << 16;
  private final List<JsonNode> decoded;
  private final Decoded.Lines lines;
  /** Record to its index in {@link #decoded}; built on the first record not found in order. */
  private IdentityHashMap<JsonNode, Integer> index;

  /** Digests of records read from {@code lines} ({@code decoded} in input order), or none when null. */
  ContentDigest(List<JsonNode> decoded, Decoded.Lines lines) {
    this.decoded = lines == null ? List.of() : decoded;
    this.lines = lines;
  }

  /** For records that come from no input lines: every record is its compact JSON. */
  static final ContentDigest NONE = new ContentDigest(List.of(), null);

  String of(List<JsonNode> records) {
    MessageDigest md = Json.sha256();
    // Lines are gathered into blocks: a digest update per line of ~100 bytes costs more than the
    // copy.
    byte[] block = lines == null ? null : new byte[BLOCK];
    int filled = 0;
    OutputStream into = new DigestOutputStream(OutputStream.nullOutputStream(), md);
    JsonGenerator g = null;
    boolean pending = false; // the generator holds bytes not yet in the digest
    int next = 0; // where the next record is looked for first: outputs mostly keep input order
    try {
      for (JsonNode r : records) {
        int at = find(r, next);
        if (at >= 0) {
          if (pending) {
            g.flush();
            pending = false;
          }
          int from = lines.start()[at];
          int len = lines.end()[at] - from;
          if (filled + len + 1 > block.length) {
            md.update(block, 0, filled);
            filled = 0;
          }
          if (len + 1 > block.length) {
            md.update(lines.bytes(), from, len);
            md.update((byte) '\n');
          } else {
            System.arraycopy(lines.bytes(), from, block, filled, len);
            block[filled + len] = '\n';
            filled += len + 1;
          }
          next = at + 1;
        } else {
          if (filled > 0) {
            md.update(block, 0, filled);
            filled = 0;
          }
          if (g == null) {
            g = Json.records().getFactory().createGenerator(into);
            g.setRootValueSeparator(null);
          }
          Json.records().writeTree(g, r);
          g.writeRaw('\n');
          pending = true;
        }
      }
      if (g != null) g.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (filled > 0) md.update(block, 0, filled);
    return Json.hex(md);
  }

  /** The index of the decoded record that is {@code r}, or -1. */
  private int find(JsonNode r, int from) {
    if (lines == null) return -1;
    // A step that drops records keeps the rest in order: look a few records ahead first.
    for (int i = from, end = Math.min(decoded.size(), from + 16); i < end; i++) {
      if (decoded.get(i) == r) return i;
    }
    if (index == null) {
      index = new IdentityHashMap<>(decoded.size() * 2);
      for (int i = 0; i < decoded.size(); i++) index.putIfAbsent(decoded.get(i), i);
    }
    Integer at = index.get(r);
    return at == null ? -1 : at;
  }
}

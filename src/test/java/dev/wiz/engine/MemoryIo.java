package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.io.Decoded;
import dev.wiz.io.Encoded;
import dev.wiz.io.InputFile;
import dev.wiz.io.RecordError;
import dev.wiz.io.Sink;
import dev.wiz.io.Source;
import dev.wiz.io.SourceBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** In-memory JSON-lines source and sink for engine tests. */
final class MemoryIo {
  private MemoryIo() {}

  /**
   * A source over JSON-lines text; a line that is not JSON becomes a record error. Each record
   * knows its line, as the real sources' do.
   */
  static Source jsonl(String name, List<String> lines) {
    return new Source() {
      int next;

      @Override
      public SourceBatch next(int max) {
        if (next >= lines.size()) return null;
        int from = next;
        int to = Math.min(lines.size(), from + max);
        next = to;
        List<String> slice = lines.subList(from, to);
        return new SourceBatch() {
          @Override public String origin() { return name; }
          @Override public long firstLine() { return from + 1; }
          @Override public long lastLine() { return to; }
          @Override public int recordCount() { return slice.size(); }
          @Override public String inputDigest() { return Json.digest(String.join("\n", slice)); }

          @Override
          public Decoded decode() {
            List<JsonNode> records = new ArrayList<>();
            List<RecordError> errors = new ArrayList<>();
            int[] lines = new int[slice.size()];
            for (int i = 0; i < slice.size(); i++) {
              try {
                records.add(Json.mapper().readTree(slice.get(i)));
                lines[records.size() - 1] = i;
              } catch (IOException e) {
                errors.add(new RecordError(name, from + i + 1, "not JSON", slice.get(i)));
              }
            }
            return new Decoded(records, errors, null, java.util.Arrays.copyOf(lines, records.size()));
          }
        };
      }

      @Override
      public List<InputFile> inputs() {
        return List.of(new InputFile(name, null, -1, -1));
      }

      @Override
      public void close() {}
    };
  }

  /** A JSON-lines sink into memory. */
  static class MemorySink implements Sink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean completed;
    boolean aborted;
    int commits;

    /** The ids of the records it cannot write ("id N cannot be written"). */
    final java.util.Set<Integer> refused = new java.util.HashSet<>();
    /** Whether it encodes in {@link #ordered}, on the writer thread (as csv does), rather than in encode. */
    boolean deferred;

    @Override
    public Encoded encode(List<JsonNode> records) throws IOException {
      return deferred ? Encoded.deferred(records) : encoded(records);
    }

    @Override
    public Encoded ordered(Encoded chunk) throws IOException {
      return chunk.bytes() == null ? encoded(chunk.deferred()) : chunk;
    }

    private Encoded encoded(List<JsonNode> records) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<Encoded.Rejected> rejected = new java.util.ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        JsonNode r = records.get(i);
        if (refused.contains(r.path("id").asInt(-1))) {
          rejected.add(new Encoded.Rejected(i, "id " + r.path("id").asInt() + " cannot be written"));
          continue;
        }
        out.write(Json.mapper().writeValueAsBytes(r));
        out.write('\n');
      }
      return new Encoded(out.toByteArray(), records.size() - rejected.size(), List.of(), rejected);
    }

    @Override
    public byte[] write(Encoded chunk) {
      bytes.writeBytes(chunk.bytes());
      return chunk.bytes();
    }

    @Override public void commit() { commits++; }
    @Override public String complete() throws IOException { completed = true; return "memory"; }
    @Override public void abort() { aborted = true; }
    @Override public String target() { return "memory"; }
    @Override public void close() {}

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}

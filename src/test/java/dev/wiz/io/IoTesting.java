package dev.wiz.io;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shared helpers for the io tests: a jimfs base folder, specs, and draining a source. */
final class IoTesting {
  private IoTesting() {}

  static FileSystem unixFs() {
    return Jimfs.newFileSystem(Configuration.unix());
  }

  /** An IoFactory with empty standard streams. */
  static IoFactory factory() {
    return new IoFactory(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
  }

  static Path write(Path p, String text) throws IOException {
    return write(p, text.getBytes(StandardCharsets.UTF_8));
  }

  static Path write(Path p, byte[] bytes) throws IOException {
    if (p.getParent() != null) Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  /** The names in a folder, sorted. */
  static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A source or sink spec from key/value pairs. */
  static ObjectNode spec(String... kv) {
    ObjectNode o = Json.mapper().createObjectNode();
    for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
    return o;
  }

  /** One value as wiz reads records ({@link TreeReader}: numbers keep their text). */
  static JsonNode json(String s) {
    try {
      return TreeReader.parse(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> jsons(String... s) {
    return Stream.of(s).map(IoTesting::json).toList();
  }

  /** What a source gave: its batches, each decoded once. */
  record Read(List<SourceBatch> batches, List<Decoded> decoded) {
    List<JsonNode> records() {
      return decoded.stream().flatMap(d -> d.records().stream()).toList();
    }

    List<RecordError> errors() {
      return decoded.stream().flatMap(d -> d.errors().stream()).toList();
    }

    /** Each batch as {@code origin:first-last/count}. */
    List<String> spans() {
      return batches.stream()
          .map(b -> b.origin() + ":" + b.firstLine() + "-" + b.lastLine() + "/" + b.recordCount())
          .toList();
    }

    /** Each decoded record as {@code origin:line}, the line it starts on (see {@link Decoded#recordLines()}). */
    List<String> recordPlaces() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        SourceBatch b = batches.get(i);
        int[] lines = decoded.get(i).recordLines();
        assertNotNull(lines, "the lines of the records of " + b.origin());
        for (int line : lines) out.add(b.origin() + ":" + (line < 0 ? "?" : String.valueOf(b.firstLine() + line)));
      }
      return out;
    }

    /** Each error as {@code origin:line}. */
    List<String> errorPlaces() {
      return errors().stream().map(e -> e.origin() + ":" + e.line()).toList();
    }
  }

  /**
   * Reads a source to its end, checking the batch contract on the way: every batch holds between 1
   * and max records, its lines run forwards, and after the end the source keeps answering null.
   * Closes the source.
   */
  static Read readAll(Source source, int max) throws IOException {
    List<SourceBatch> batches = new ArrayList<>();
    List<Decoded> decoded = new ArrayList<>();
    try (source) {
      for (SourceBatch b; (b = source.next(max)) != null; ) {
        assertTrue(b.recordCount() >= 1 && b.recordCount() <= max,
            "batch of " + b.recordCount() + " records, max " + max);
        assertTrue(b.firstLine() <= b.lastLine(), "lines " + b.firstLine() + "-" + b.lastLine());
        Decoded d = b.decode();
        assertTrue(d.records().size() + d.errors().size() <= b.recordCount(), "more decoded than counted");
        assertTrue(b.inputDigest().startsWith("sha256:"), b.inputDigest());
        batches.add(b);
        decoded.add(d);
      }
      assertNull(source.next(max), "the end stays the end");
    }
    return new Read(batches, decoded);
  }
}

package dev.wiz.io;

import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** A gzip file sink: every chunk a gzip member of its own whose text is what the text sink writes. */
class GzipSinkTest {
  private static final List<List<JsonNode>> CHUNKS = List.of(
      jsons("{\"id\": 1, \"user\": \"ann\"}", "{\"id\": 2, \"user\": \"bob\"}"),
      List.of(),
      jsons("{\"id\": 3, \"user\": \"cy \u00e9\"}"),
      jsons("{\"id\": 4, \"user\": \"dee\"}", "{\"id\": 5}"));

  static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** What a sink writes of the chunks to standard output, and what each write returned. */
  private static List<byte[]> write(FormatSink sink, ByteArrayOutputStream out, List<List<JsonNode>> chunks)
      throws IOException {
    List<byte[]> returned = new ArrayList<>();
    for (List<JsonNode> chunk : chunks) returned.add(sink.write(sink.ordered(sink.encode(chunk))));
    sink.commit();
    sink.complete();
    returned.add(out.toByteArray());
    return returned;
  }

  @Test
  void everyFormatWritesGzipWhoseTextIsByteForByteWhatTheTextSinkWrites() throws IOException {
    for (Format f : Format.values()) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      List<byte[]> plain = write(new FormatSink(f, new Target.Stdout(text), ',', null, null), text, CHUNKS);
      List<byte[]> members = write(new FormatSink(f, new Target.Stdout(gz), ',', null, null, 6), gz, CHUNKS);
      byte[] file = members.get(members.size() - 1);
      assertArrayEquals(plain.get(plain.size() - 1), gunzip(file), f + ": the text of the whole file");
      int at = 0;
      for (int i = 0; i < CHUNKS.size(); i++) {
        byte[] member = members.get(i);
        assertArrayEquals(member, Arrays.copyOfRange(file, at, at + member.length), f + " chunk " + i + " is stored as returned");
        at += member.length;
        if (plain.get(i).length == 0) {
          assertEquals(0, member.length, f + " chunk " + i + ": no text, no member");
        } else {
          assertArrayEquals(plain.get(i), gunzip(member), f + " chunk " + i + " is a whole member of its own text");
        }
      }
      byte[] tail = Arrays.copyOfRange(file, at, file.length);
      byte[] textTail = f == Format.JSON ? "\n]\n".getBytes(StandardCharsets.UTF_8) : new byte[0];
      assertArrayEquals(textTail, tail.length == 0 ? new byte[0] : gunzip(tail), f + ": what complete() added");
    }
  }

  @Test
  void aMemberHasAFixedHeaderAndTheSameBytesWhateverTheThread() throws Exception {
    byte[] text = "{\"a\":1}\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    byte[] m = GzipMember.of(text, 6);
    // magic, deflate, no flags, mtime 0, XFL 0, OS 255 (unknown): no name, no time
    assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255}, Arrays.copyOf(m, 10));
    assertEquals(2, GzipMember.of(text, 9)[8], "XFL of the smallest level, as gzip -9 writes it");
    assertEquals(4, GzipMember.of(text, 1)[8], "XFL of the fastest level");
    assertArrayEquals(text, gunzip(m));
    assertTrue(m.length < text.length / 20, "it is compressed: " + m.length);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<byte[]>> again = new ArrayList<>();
      for (int i = 0; i < 8; i++) again.add(pool.submit(() -> GzipMember.of(text, 6)));
      for (Future<byte[]> f : again) assertArrayEquals(m, f.get());
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals(new byte[0], gunzip(GzipMember.of(new byte[0], 6)), "an empty member is valid gzip");
  }

  @Test
  void lineFormatsAreCompressedWhenEncodedAndStoredAsEncoded() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    FormatSink sink = new FormatSink(Format.JSONL, new Target.Stdout(gz), ',', null, null, 6);
    Encoded e = sink.encode(CHUNKS.get(0));
    assertArrayEquals(e.bytes(), gunzip(e.stored()), "made on the worker");
    Sink.Written w = sink.writeChunk(e);
    assertSame(e.stored(), w.stored(), "written as made");
    assertSame(e.bytes(), w.text());
    assertEquals("gzip", sink.compression());
    assertNull(new FormatSink(Format.JSONL, new Target.Stdout(gz), ',', null, null).encode(CHUNKS.get(0)).stored(),
        "a text sink makes nothing more");
  }

  @Test
  void withNoRecordTheFileIsStillGzipOfWhatTheTextSinkWrites() throws IOException {
    for (Format f : Format.values()) {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      List<byte[]> w = write(new FormatSink(f, new Target.Stdout(gz), ',', f == Format.CSV ? List.of("a", "b") : null,
          null, 6), gz, List.of(List.of()));
      String text = new String(gunzip(w.get(1)), StandardCharsets.UTF_8);
      assertEquals(f == Format.JSON ? "[]\n" : f == Format.CSV ? "a,b\n" : "", text, f.toString());
    }
  }

  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  @Test
  void aFileNamedGzIsWrittenAsGzipAndReadBackByTheFileSource() throws IOException {
    IoFactory io = IoTesting.factory();
    List<JsonNode> records = jsons("{\"a\": 1}", "{\"a\": 2, \"b\": \"x\"}", "[3]", "\"s\"");
    for (String name : List.of("out/r.jsonl.gz", "out/r.jsonl.GZIP")) {
      try (Sink sink = io.openSink(spec("type", "file", "path", name).put("level", 9), base, "run1")) {
        assertEquals("gzip", sink.compression());
        for (int i = 0; i < records.size(); i += 3) sink.write(sink.encode(records.subList(i, Math.min(records.size(), i + 3))));
        sink.complete();
      }
      byte[] stored = Files.readAllBytes(base.resolve(name));
      assertEquals("{\"a\":1}\n{\"a\":2,\"b\":\"x\"}\n[3]\n\"s\"\n", new String(gunzip(stored), StandardCharsets.UTF_8));
      assertEquals(2, stored[8], "level 9");
      assertEquals(records, readAll(io.openSource(spec("type", "file", "path", name), base), 3).records(), name);
    }
    try (Sink text = io.openSink(spec("type", "file", "path", "out/r.jsonl"), base, "run1")) {
      assertNull(text.compression());
      text.abort();
    }
  }

  @Test
  void aResumedCsvGzipFileReadsItsHeaderBackThroughGzip() throws IOException {
    Path partial = base.resolve(".r.csv.gz.run0.tmp");
    Files.createDirectories(base);
    byte[] first = GzipMember.of("b,a\n2,1\n".getBytes(StandardCharsets.UTF_8), 6);
    Files.write(partial, first);
    FormatSink sink = new FormatSink(Format.CSV, new Target.Stdout(new ByteArrayOutputStream()), ',', null, null, 6);
    sink.resumeAfter(1, first.length, partial);
    Encoded e = sink.ordered(sink.encode(jsons("{\"a\": 3, \"b\": 4}")));
    assertEquals("4,3\n", new String(e.bytes(), StandardCharsets.UTF_8), "the columns of the header written before, no header again");
  }
}

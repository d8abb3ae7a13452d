package dev.wiz.io;

import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A zstd input, or UTF-16 text, is refused with what to do, in every format, from a file and
 * from stdin (gzip and xz are read: {@link GzipInputTest}, {@link XzInputTest}).
 */
class ForeignInputTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  private IOException readFile(String format, byte[] content) throws IOException {
    write(base.resolve("in.jsonl.gz"), content);
    return assertThrows(IOException.class, () -> readAll(IoTesting.factory()
        .openSource(spec("type", "file", "path", "in.jsonl.gz", "format", format), base), 10));
  }

  @Test
  void compressedDataInsideCompressedDataIsRefusedWithThePipeToUse() throws Exception {
    assertTrue(readFile("lines", GzipInputTest.gzip(CodecInputTest.BZIP2_CLI)).getMessage().startsWith("in.jsonl.gz: the"
        + " text inside its gzip compression is bzip2-compressed (it starts with the bytes 42 5a 68 39"));
    assertEquals("in.jsonl.gz: the text inside its zstd compression is gzip-compressed (it starts with the bytes 1f 8b),"
        + " and wiz reads only uncompressed text: pipe it in with source type: stdin (zstdcat FILE | zcat | wiz run"
        + " PIPELINE)", readFile("jsonl", CodecInputTest.Kind.ZSTD.compress(GzipInputTest.gzip("{}\n"))).getMessage());
    // Text that starts as bzip2's mark does, up to a point, is text.
    write(base.resolve("t.txt"), "BZh91AY&S is no bzip2\nBZ\n");
    assertEquals(2, readAll(IoTesting.factory().openSource(spec("type", "file", "path", "t.txt", "format", "lines"), base), 10)
        .records().size());
  }

  /** A zip archive of one file, stored, as zip(1) writes its local header (the central directory left out). */
  static byte[] zip(String... names) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (String name : names) {
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      byte[] h = new byte[30];
      h[0] = 'P';
      h[1] = 'K';
      h[2] = 3;
      h[3] = 4;
      h[4] = 10;
      h[26] = (byte) n.length;
      b.writeBytes(h);
      b.writeBytes(n);
    }
    b.writeBytes(new byte[] {'P', 'K', 1, 2, 0, 0});
    return b.toByteArray();
  }

  @Test
  void aZipArchiveIsRefusedNamingItsFirstFileAndTheUnzipThatReadsIt() throws Exception {
    for (String format : List.of("lines", "jsonl", "json", "csv")) {
      assertEquals("in.jsonl.gz: the input is a zip archive (its first file is logs/events.jsonl), whose files wiz does"
          + " not read as text: extract the one to read (unzip FILE logs/events.jsonl), or pipe it in with source type:"
          + " stdin (unzip -p FILE logs/events.jsonl | wiz run PIPELINE)",
          readFile(format, zip("logs/", "logs/events.jsonl")).getMessage(), format);
    }
    assertEquals("in.jsonl.gz: the input is an empty zip archive (it starts with the bytes 50 4b 05 06), whose files wiz"
        + " does not read as text, and it holds none: there is nothing to read",
        readFile("lines", new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).getMessage());
    IoFactory io = new IoFactory(new ByteArrayInputStream(zip("a b.csv")), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class,
        () -> readAll(io.openSource(spec("type", "stdin", "format", "csv"), base), 10));
    assertEquals("stdin: the input is a zip archive (its first file is 'a b.csv'), whose files wiz does not read as text:"
        + " save it to a file first (... > FILE.zip), then pipe the one to read in with source type: stdin (unzip -p"
        + " FILE.zip 'a b.csv' | wiz run PIPELINE)", e.getMessage());
    assertEquals("in.jsonl.gz: the text inside its xz compression is a zip archive (its first file is x.jsonl), whose"
        + " files wiz does not read as text: decompress it to a file first (xzcat FILE > FILE.zip), then pipe the one to"
        + " read in with source type: stdin (unzip -p FILE.zip x.jsonl | wiz run PIPELINE)",
        readFile("lines", XzInputTest.xz(new String(zip("x.jsonl"), StandardCharsets.ISO_8859_1),
            StandardCharsets.ISO_8859_1)).getMessage());
  }

  @Test
  void aTarArchiveIsRefusedNamingItsFirstFileAndTheTarThatReadsIt() throws Exception {
    byte[] tar = GzipInputTest.tar("logs/events.jsonl", "{\"a\":1}\n");
    assertEquals("in.jsonl.gz: the input is a tar archive (its first file is logs/events.jsonl), whose files wiz does not"
        + " read as text: extract the one to read (tar -xf FILE logs/events.jsonl), or pipe it in with source type: stdin"
        + " (tar -xOf FILE logs/events.jsonl | wiz run PIPELINE)", readFile("jsonl", tar).getMessage());
    IoFactory io = new IoFactory(new ByteArrayInputStream(tar), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class, () -> readAll(io.openSource(spec("type", "stdin"), base), 10));
    assertEquals("stdin: the input is a tar archive (its first file is logs/events.jsonl), whose files wiz does not read"
        + " as text: extract the one to read on the way in (... | tar -xO logs/events.jsonl | wiz run PIPELINE)",
        e.getMessage());
    assertTrue(readFile("lines", CodecInputTest.Kind.ZSTD.compress(tar)).getMessage().endsWith("extract the"
        + " one to read (tar --zstd -xf FILE logs/events.jsonl), or pipe it in with source type: stdin (tar --zstd -xOf"
        + " FILE logs/events.jsonl | wiz run PIPELINE)"));
    assertTrue(readFile("lines", CodecInputTest.Kind.BZIP2.compress(tar)).getMessage().startsWith(
        "in.jsonl.gz: the text inside its bzip2 compression is a tar archive (its first file is logs/events.jsonl),"
        + " whose files wiz does not read as text: extract the one to read (tar -xjf FILE logs/events.jsonl)"));
    assertTrue(readFile("lines", CodecInputTest.Kind.LZ4.compress(tar)).getMessage().endsWith("(tar -I lz4"
        + " -xOf FILE logs/events.jsonl | wiz run PIPELINE)"));
  }

  /** Gives its parts one read each, then fails: a read past them is a read that would wait for more input. */
  private static java.io.InputStream slow(String... parts) {
    return new java.io.InputStream() {
      private int next;

      @Override
      public int read() {
        throw new AssertionError("one byte read");
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (next == parts.length) throw new AssertionError("read past what the input has given so far");
        byte[] p = parts[next++].getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, b, off, p.length);
        return p.length;
      }
    };
  }

  @Test
  void standardInputIsNotWaitedOnPastItsFirstLineToLookForATarHeader() throws Exception {
    String longLine = "{\"k\":\"" + "v".repeat(150) + "\"}";
    for (String[] parts : List.of(new String[] {"{\"a\":1}\n"}, new String[] {"{\"a\":", "1}\n"},
        new String[] {longLine.substring(0, 120)}, new String[] {"logs/a", "\n"})) {
      java.io.InputStream in = ForeignInput.check(slow(parts), "stdin", true, null);
      String given = String.join("", parts);
      assertEquals(given, new String(in.readNBytes(given.length()), StandardCharsets.UTF_8));
    }
  }

  @Test
  void textThatStartsAsATarNameIsReadAsText() throws Exception {
    // A first line that could be a file name; a long first line; and text with ustar at byte 257.
    String longLine = "{\"k\":\"" + "v".repeat(300) + "\"}";
    for (String text : List.of("logs/events.jsonl\n{}\n", longLine + "\n", "a".repeat(257) + "ustar\n",
        "x\u0000" + "0".repeat(300) + "\n")) {
      write(base.resolve("in.txt"), text);
      assertEquals(text.split("\n").length, readAll(IoTesting.factory()
          .openSource(spec("type", "file", "path", "in.txt", "format", "lines"), base), 10).records().size(), text);
    }
  }

  @Test
  void utf16AndUtf32TextIsRefusedWithTheConversionToMake() throws Exception {
    byte[] le = "\ufeffid,name\n1,Ann\n".getBytes(StandardCharsets.UTF_16LE);
    assertEquals("in.jsonl.gz: the input is UTF-16 text (it starts with the byte order mark ff fe), and wiz reads only"
        + " UTF-8: convert it first (iconv -f UTF-16 -t UTF-8), or pipe it in with source type: stdin"
        + " (iconv -f UTF-16 -t UTF-8 FILE | wiz run PIPELINE)", readFile("csv", le).getMessage());
    byte[] be = "\ufeff{}\n".getBytes(StandardCharsets.UTF_16BE);
    assertEquals("in.jsonl.gz: the input is UTF-16 text (it starts with the byte order mark fe ff), and wiz reads only"
        + " UTF-8: convert it first (iconv -f UTF-16 -t UTF-8), or pipe it in with source type: stdin"
        + " (iconv -f UTF-16 -t UTF-8 FILE | wiz run PIPELINE)", readFile("jsonl", be).getMessage());
    byte[] le32 = {(byte) 0xff, (byte) 0xfe, 0, 0, 'a', 0, 0, 0};
    IoFactory io = new IoFactory(new ByteArrayInputStream(le32), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class,
        () -> readAll(io.openSource(spec("type", "stdin", "format", "lines"), base), 10));
    assertEquals("stdin: the input is UTF-32 text (it starts with the byte order mark ff fe 00 00), and wiz reads only"
        + " UTF-8: convert it on the way in (iconv -f UTF-32 -t UTF-8 FILE | wiz run PIPELINE)", e.getMessage());
    // A UTF-8 byte order mark is UTF-8: read as before.
    write(base.resolve("bom.jsonl"), "\ufeff{\"a\":1}\n");
    assertEquals(1, readAll(IoTesting.factory().openSource(spec("type", "file", "path", "bom.jsonl"), base), 10)
        .records().size());
  }

  @Test
  void textThatStartsLikeAMagicIsReadWhole() throws Exception {
    // '(' starts zstd's magic and 0x1f gzip's; a short input and one that goes on as text are read as they are.
    for (String text : List.of("(", "(x\n", "\u001f", "\u001fA\n", "")) {
      write(base.resolve("in.txt"), text);
      IoTesting.Read r = readAll(IoTesting.factory()
          .openSource(spec("type", "file", "path", "in.txt", "format", "lines"), base), 10);
      List<TextNode> want = text.isEmpty() ? List.of() : List.of(TextNode.valueOf(text.replace("\n", "")));
      assertEquals(want, r.records(), text);
    }
  }
}

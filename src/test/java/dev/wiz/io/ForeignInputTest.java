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
  void aZstdFileIsRefusedInEveryFormatRatherThanReadAsText() throws Exception {
    byte[] zst = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x24, 0x08, 0x41, 0x00};
    for (String format : List.of("lines", "jsonl", "json", "csv")) {
      IOException e = readFile(format, zst);
      assertEquals("in.jsonl.gz: the input is zstd-compressed (it starts with the bytes 28 b5 2f fd), and wiz reads only"
          + " uncompressed, gzip or xz text: decompress it first (unzstd), or pipe it in with source type: stdin"
          + " (zstdcat FILE | wiz run PIPELINE)", e.getMessage(), format);
    }
  }

  @Test
  void bzip2AndLz4FilesAreRefusedInEveryFormatRatherThanReadAsTextThoughBzip2StartsAsText() throws Exception {
    // The first bytes bzip2 -9 and lz4 write (of any text); "BZh91AY&SY" is text, which lines read as a record.
    byte[] bz2 = {'B', 'Z', 'h', '9', '1', 'A', 'Y', '&', 'S', 'Y', (byte) 0xd4, (byte) 0xa3, 0x4c, 0x0a, '\n'};
    byte[] lz4 = {0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, (byte) 0xa7, 0x03, 0x00, 0x00, (byte) 0x80, '\n'};
    for (String format : List.of("lines", "jsonl", "json", "csv")) {
      assertEquals("in.jsonl.gz: the input is bzip2-compressed (it starts with the bytes 42 5a 68 39 31 41 59 26 53 59),"
          + " and wiz reads only uncompressed, gzip or xz text: decompress it first (bunzip2), or pipe it in with source"
          + " type: stdin (bzcat FILE | wiz run PIPELINE)", readFile(format, bz2).getMessage(), format);
      assertEquals("in.jsonl.gz: the input is lz4-compressed (it starts with the bytes 04 22 4d 18), and wiz reads only"
          + " uncompressed, gzip or xz text: decompress it first (unlz4), or pipe it in with source type: stdin"
          + " (lz4 -dc FILE | wiz run PIPELINE)", readFile(format, lz4).getMessage(), format);
    }
    assertTrue(readFile("lines", GzipInputTest.gzip(bz2)).getMessage().startsWith("in.jsonl.gz: the text inside its gzip"
        + " compression is bzip2-compressed (it starts with the bytes 42 5a 68 39"));
    // Text that starts as bzip2's mark does, up to a point, is text.
    write(base.resolve("t.txt"), "BZh91AY&S is no bzip2\nBZ\n");
    assertEquals(2, readAll(IoTesting.factory().openSource(spec("type", "file", "path", "t.txt", "format", "lines"), base), 10)
        .records().size());
  }

  @Test
  void compressedStandardInputIsRefusedWithThePipeToUse() throws Exception {
    byte[] zst = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x24, 0x08, 0x41, 0x00};
    IoFactory io = new IoFactory(new ByteArrayInputStream(zst), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class,
        () -> readAll(io.openSource(spec("type", "stdin", "format", "lines"), base), 10));
    assertEquals("stdin: the input is zstd-compressed (it starts with the bytes 28 b5 2f fd), and wiz reads only"
        + " uncompressed, gzip or xz text: decompress it on the way in (zstdcat FILE | wiz run PIPELINE)", e.getMessage());
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

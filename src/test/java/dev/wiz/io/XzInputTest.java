package dev.wiz.io;

import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * xz input is read as the text it holds, in every format, from a file and from standard input,
 * stream after stream; xz data cut short or corrupt fails the read, naming the input, and is
 * never read as a shorter input.
 */
class XzInputTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  static byte[] xz(String text) throws IOException {
    return xz(text, StandardCharsets.UTF_8);
  }

  static byte[] xz(String text, java.nio.charset.Charset charset) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (XZOutputStream z = new XZOutputStream(b, new LZMA2Options(1))) {
      z.write(text.getBytes(charset));
    }
    return b.toByteArray();
  }

  private IoTesting.Read readFile(String name, byte[] content, String format) throws IOException {
    write(base.resolve(name), content);
    return readAll(IoTesting.factory().openSource(spec("type", "file", "path", name, "format", format), base), 2);
  }

  private IOException failFile(String name, byte[] content) throws IOException {
    write(base.resolve(name), content);
    return assertThrows(IOException.class, () -> readAll(IoTesting.factory()
        .openSource(spec("type", "file", "path", name, "format", "lines"), base), 1000));
  }

  @Test
  void anXzFileIsReadAsItsTextInEveryFormatWithTheLinesOfTheText() throws Exception {
    IoTesting.Read r = readFile("in.jsonl.xz", xz("{\"a\":1}\n\n{\"a\":2}\n{\"a\":3}\n"), "jsonl");
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), r.records());
    assertEquals(List.of("in.jsonl.xz:1-3/2", "in.jsonl.xz:4-4/1"), r.spans());
    r = readFile("in.json.xz", xz("[\n{\"a\":1},\n{\"a\":2}\n]\n"), "json");
    assertEquals(List.of("in.json.xz:2", "in.json.xz:3"), r.recordPlaces());
    r = readFile("in.csv.xz", xz("id,name\n1,Ann\n"), "csv");
    assertEquals(jsons("{\"id\":\"1\",\"name\":\"Ann\"}"), r.records());
    // Found by its bytes, whatever the name.
    assertEquals(jsons("{\"a\":1}"), readFile("in.jsonl", xz("{\"a\":1}\n"), "jsonl").records());
  }

  @Test
  void concatenatedStreamsAndPaddingAreReadWholeAlsoFromStandardInput() throws Exception {
    byte[] xz = GzipInputTest.concat(xz("{\"n\":1}\n{\"n\""), xz(":2}\n"), new byte[8], xz("{\"n\":3}\n"), new byte[4]);
    List<?> want = jsons("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    assertEquals(want, readFile("in.jsonl.xz", xz, "jsonl").records());
    IoFactory io = new IoFactory(new ByteArrayInputStream(xz), new ByteArrayOutputStream());
    assertEquals(want, readAll(io.openSource(spec("type", "stdin"), base), 10).records());
  }

  @Test
  void anXzFileCutAnywhereOrCorruptFailsTheRead() throws Exception {
    byte[] xz = xz("{\"n\":1}\n{\"n\":2}\n".repeat(50));
    for (int cut = 1; cut < xz.length; cut++) {
      IOException e = failFile("cut.jsonl.xz", Arrays.copyOf(xz, cut));
      assertTrue(e instanceof BrokenInputException, cut + ": " + e);
    }
    assertEquals("cut.jsonl.xz: the xz data is cut short: the file ends inside it (after 40 bytes), or goes on with"
        + " bytes that are not xz, so its records from there on are missing (a copy or download that did not finish?):"
        + " get the whole file again (xz -t checks one)", failFile("cut.jsonl.xz", Arrays.copyOf(xz, 40)).getMessage());
    assertTrue(failFile("e.jsonl.xz", new byte[0]).getMessage().startsWith("e.jsonl.xz: the file is empty, and its name"
        + " says xz, whose data is 32 bytes or more"));
    for (int i = 0; i < xz.length; i++) {
      byte[] flipped = xz.clone();
      flipped[i] ^= 0x10;
      if (i < 6) continue; // the magic: not xz then, but text
      assertTrue(failFile("c.xz", flipped) instanceof BrokenInputException, "byte " + i);
    }
    byte[] junk = GzipInputTest.concat(xz, "junk".getBytes(StandardCharsets.US_ASCII));
    assertTrue(failFile("j.xz", junk) instanceof BrokenInputException);
  }

  @Test
  void anXzFileThatAsksForTooMuchMemoryIsRefusedSayingSo() throws Exception {
    byte[] xz = xz("{\"n\":1}\n");
    // The block header starts after the 12-byte stream header: its LZMA2 filter's dictionary byte
    // set to 34 (512 MiB), its CRC-32 made right again.
    int size = ((xz[12] & 0xff) + 1) * 4;
    int filter = -1;
    for (int i = 12; i < 12 + size - 2; i++) {
      if (xz[i] == 0x21 && xz[i + 1] == 0x01) filter = i;
    }
    assertTrue(filter > 0, "an LZMA2 filter");
    xz[filter + 2] = 34;
    CRC32 crc = new CRC32();
    crc.update(xz, 12, size - 4);
    for (int i = 0; i < 4; i++) xz[12 + size - 4 + i] = (byte) (crc.getValue() >> (8 * i));
    assertEquals("big.xz: the xz data asks for 513 MiB of memory to decompress, more than the 256 MiB wiz allows (xz -9"
        + " needs 65 MiB): decompress it with xz on the way in, with source type: stdin (xzcat FILE | wiz run PIPELINE)",
        failFile("big.xz", xz).getMessage());
  }

  @Test
  void anXzFileChangedWhileItIsReadIsSaidToHaveChanged() throws Exception {
    Path a = write(base.resolve("grow.jsonl.xz"), xz("{\"n\":1}\n"));
    Source s = IoTesting.factory().openSource(spec("type", "file", "path", "grow.jsonl.xz"), base);
    long size = s.inputs().get(0).size();
    Files.write(a, "junk".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
    IOException e = assertThrows(IOException.class, () -> readAll(s, 10));
    assertTrue(e.getMessage().startsWith("grow.jsonl.xz changed while it was read (" + size + " bytes when the run"
        + " started, " + (size + 4) + " read"), e.getMessage());
  }
}

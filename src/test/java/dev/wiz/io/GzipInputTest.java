package dev.wiz.io;

import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * gzip input is read as the text it holds, in every format, from a file (whatever its name) and
 * from standard input, member after member; gzip data cut short or corrupt fails the read, naming
 * the input and what is wrong, and is never read as a shorter input.
 */
class GzipInputTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  static byte[] gzip(String text) throws IOException {
    return gzip(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(byte[] text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(text);
    }
    return b.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) b.writeBytes(p);
    return b.toByteArray();
  }

  /** A member with the optional header fields gzip(1) and other tools write: extra field, name, comment, header CRC. */
  private static byte[] memberWithAllHeaderFields(String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 1, 2, 3, 4, 0, 3});
    h.writeBytes(new byte[] {5, 0, 'B', 'C', 2, 0, 0}); // XLEN 5, a subfield as bgzip writes
    h.writeBytes("events.jsonl\0".getBytes(StandardCharsets.ISO_8859_1));
    h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    CRC32 hc = new CRC32();
    hc.update(h.toByteArray());
    h.write((int) hc.getValue() & 0xff);
    h.write((int) (hc.getValue() >> 8) & 0xff);
    Deflater d = new Deflater(9, true);
    d.setInput(t);
    d.finish();
    byte[] out = new byte[t.length + 1024];
    int n = d.deflate(out);
    d.end();
    h.write(out, 0, n);
    CRC32 c = new CRC32();
    c.update(t);
    writeInt(h, c.getValue());
    writeInt(h, t.length);
    return h.toByteArray();
  }

  private static void writeInt(ByteArrayOutputStream b, long v) {
    for (int i = 0; i < 4; i++) b.write((int) (v >> (8 * i)) & 0xff);
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

  /** Standard input as a pipe gives it: a few bytes per read, and nothing said to be available. */
  private static InputStream trickle(byte[] bytes, int step) {
    return new InputStream() {
      private int at;

      @Override
      public int read() {
        return at < bytes.length ? bytes[at++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (at >= bytes.length) return -1;
        int n = Math.min(Math.min(len, step), bytes.length - at);
        System.arraycopy(bytes, at, b, off, n);
        at += n;
        return n;
      }

      @Override
      public int available() {
        return 0;
      }
    };
  }

  @Test
  void aGzipFileIsReadAsItsTextInEveryFormatWithTheLinesOfTheText() throws Exception {
    String jsonl = "{\"a\":1}\n\n{\"a\":2}\n{\"a\":3}\n";
    IoTesting.Read r = readFile("in.jsonl.gz", gzip(jsonl), "jsonl");
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), r.records());
    assertEquals(List.of("in.jsonl.gz:1-3/2", "in.jsonl.gz:4-4/1"), r.spans(), "lines of the text, blank line counted");
    IoTesting.Read plain = readFile("in.jsonl", jsonl.getBytes(StandardCharsets.UTF_8), "jsonl");
    assertEquals(plain.batches().get(0).inputDigest(), r.batches().get(0).inputDigest(), "digests are of the text");

    r = readFile("in.json.gz", gzip("[\n{\"a\":1},\n{\"a\":2}\n]\n"), "json");
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), r.records());
    assertEquals(List.of("in.json.gz:2", "in.json.gz:3"), r.recordPlaces());

    r = readFile("in.csv.gz", gzip("\ufeffid,name\n1,Ann\n2,\"Bo\nB\"\n"), "csv");
    assertEquals(jsons("{\"id\":\"1\",\"name\":\"Ann\"}", "{\"id\":\"2\",\"name\":\"Bo\\nB\"}"), r.records());
    assertEquals(List.of("in.csv.gz:2", "in.csv.gz:3"), r.recordPlaces());

    r = readFile("in.txt.gz", gzip("\ufeffone\r\ntwo\n"), "lines");
    assertEquals(List.of(TextNode.valueOf("one"), TextNode.valueOf("two")), r.records());
  }

  @Test
  void aBadRecordInsideGzipIsNamedByTheLineAndColumnOfTheText() throws Exception {
    IoTesting.Read r = readFile("bad.jsonl.gz", gzip("{\"a\":1}\n{\"a\":1,,}\n"), "jsonl");
    assertEquals(1, r.errors().size());
    RecordError e = r.errors().get(0);
    assertEquals("bad.jsonl.gz:2:8", e.origin() + ":" + e.line() + ":" + e.column(), e.message());
  }

  @Test
  void concatenatedMembersAreReadWholeAsGzipReadsThem() throws Exception {
    // Members cut inside a line and a member of no text, as cat a.gz b.gz and pigz make them.
    byte[] gz = concat(gzip("{\"n\":1}\n{\"n\""), gzip(""), gzip(":2}\n"), memberWithAllHeaderFields("{\"n\":3}\n"));
    IoTesting.Read r = readFile("in.jsonl.gz", gz, "jsonl");
    assertEquals(jsons("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), r.records());
    // From standard input a few bytes at a time, with nothing ever available: every member still.
    IoFactory io = new IoFactory(trickle(gz, 7), new ByteArrayOutputStream());
    assertEquals(r.records(), readAll(io.openSource(spec("type", "stdin"), base), 10).records());
    // Zero bytes after the last member are padding, as gzip -d reads it.
    assertEquals(r.records(), readFile("pad.jsonl.gz", concat(gz, new byte[100]), "jsonl").records());
  }

  @Test
  void gzipDataIsFoundByItsBytesWhateverTheName() throws Exception {
    assertEquals(jsons("{\"a\":1}"), readFile("in.jsonl", gzip("{\"a\":1}\n"), "jsonl").records());
    // A name ending in .gz over plain text (a download a client already decompressed): the name decides, as a
    // sink's does; read as text, a gzip file with a damaged first byte made records of its compressed bytes.
    write(base.resolve("in.jsonl.gz"), "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(BrokenInputException.class, () -> readAll(IoTesting.factory()
        .openSource(spec("type", "file", "path", "in.jsonl.gz"), base), 10));
    assertEquals("in.jsonl.gz: its name says gzip, but the file does not start as gzip data does (1f 8b): it starts"
        + " with 7b 22 61 22 3a 31 7d 0a, the text \"{\\\"a\\\":1}\\n\": if it is text (a download that a client already"
        + " decompressed?), rename it without .gz (mv in.jsonl.gz in.jsonl); if not, get the file again (gzip -t checks"
        + " one)", e.getMessage());
    // .gzip, which a file sink writes as gzip, says gzip too.
    assertEquals(jsons("{\"a\":1}"), readFile("in.jsonl.gzip", gzip("{\"a\":1}\n"), "jsonl").records());
    write(base.resolve("logs/in.jsonl.gzip"), "{\"a\":1}\n".repeat(5).getBytes(StandardCharsets.UTF_8));
    e = assertThrows(BrokenInputException.class, () -> readAll(IoTesting.factory()
        .openSource(spec("type", "file", "path", "logs/in.jsonl.gzip"), base), 10));
    assertTrue(e.getMessage().startsWith("logs/in.jsonl.gzip: its name says gzip, but the file does not start as gzip"
        + " data does (1f 8b): it starts with 7b 22 61 22 3a 31 7d 0a, the text \"{\\\"a\\\":1}\\n\": if it is text"
        + " (a download that a client already decompressed?), rename it without .gzip (mv logs/in.jsonl.gzip"
        + " logs/in.jsonl);"), e.getMessage());
    assertEquals(jsons("{\"a\":1}"), readFile("IN.JSONL.GZ", gzip("{\"a\":1}\n"), "jsonl").records());
  }

  @Test
  void aLargeGzipFileIsReadWholeAcrossManyReads() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100_000; i++) b.append("{\"id\":").append(i).append(",\"s\":\"").append(i * 7919 % 1000).append("\"}\n");
    byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip(text);
    assertTrue(gz.length > GzipInput.BLOCK, "more than one block of compressed bytes: " + gz.length);
    try (InputStream in = new GzipInput(new ByteArrayInputStream(gz), "big.gz", false)) {
      assertArrayEquals(text, in.readAllBytes());
    }
    write(base.resolve("big.jsonl.gz"), gz);
    IoTesting.Read r = readAll(IoTesting.factory().openSource(spec("type", "file", "path", "big.jsonl.gz"), base), 10_000);
    assertEquals(100_000, r.records().size());
  }

  @Test
  void aGzipFileCutAnywhereFailsTheReadAndIsNeverReadAsAShorterInput() throws Exception {
    byte[] gz = concat(gzip("{\"n\":1}\n{\"n\":2}\n".repeat(50)), memberWithAllHeaderFields("{\"n\":3}\n"));
    int boundary = gzip("{\"n\":1}\n{\"n\":2}\n".repeat(50)).length;
    for (int cut = 1; cut < gz.length; cut++) {
      if (cut == boundary) continue; // whole members: a gzip file of its own, as gzip -t says too
      IOException e = failFile("cut.jsonl.gz", Arrays.copyOf(gz, cut));
      assertTrue(e instanceof BrokenInputException, cut + ": " + e);
      String where = cut == 1 ? "1 byte long" : "cut short: the file ends inside ";
      assertTrue(e.getMessage().startsWith("cut.jsonl.gz: the " + (cut == 1 ? "file is " : "gzip data is ") + where),
          cut + ": " + e.getMessage());
    }
    assertEquals("cut.jsonl.gz: the gzip data is cut short: the file ends inside its compressed data (after 30 bytes),"
        + " so its records from there on are missing (a copy or download that did not finish?): get the whole file"
        + " again (gzip -t checks one)", failFile("cut.jsonl.gz", Arrays.copyOf(gz, 30)).getMessage());
    assertEquals("cut.jsonl.gz: the gzip data is cut short: the file ends inside the trailer of its member 1 (after "
        + (boundary - 3) + " bytes), so its records from there on are missing (a copy or download that did not"
        + " finish?): get the whole file again (gzip -t checks one)",
        failFile("cut.jsonl.gz", Arrays.copyOf(gz, boundary - 3)).getMessage());
    assertEquals("cut.jsonl.gz: the gzip data is cut short: the file ends inside the header of its member 2 (after "
        + (boundary + 12) + " bytes), so its records from there on are missing (a copy or download that did not"
        + " finish?): get the whole file again (gzip -t checks one)",
        failFile("cut.jsonl.gz", Arrays.copyOf(gz, boundary + 12)).getMessage());
    // Standard input cut short: the advice is about what wrote it.
    IoFactory io = new IoFactory(new ByteArrayInputStream(Arrays.copyOf(gz, 30)), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class, () -> readAll(io.openSource(spec("type", "stdin"), base), 10));
    assertEquals("stdin: the gzip data is cut short: the input ends inside its compressed data (after 30 bytes), so its"
        + " records from there on are missing (did the command that wrote it stop early?): check what writes it"
        + " (gzip -t checks a file)", e.getMessage());
  }

  @Test
  void anEmptyFileNamedGzIsRefusedAsCutShort() throws Exception {
    assertEquals("e.jsonl.gz: the file is empty, and its name says gzip, whose data is 20 bytes or more (even of no"
        + " text): a copy or download that did not finish? Get the whole file again, or rename it without .gz if it is"
        + " meant to be empty", failFile("e.jsonl.gz", new byte[0]).getMessage());
    // Not named .gz, an empty file is an empty input, and the byte 0x1f alone is text.
    assertEquals(List.of(), readFile("e.jsonl", new byte[0], "jsonl").records());
    assertEquals(List.of(TextNode.valueOf("\u001f")), readFile("e.txt", new byte[] {0x1f}, "lines").records());
  }

  @Test
  void corruptGzipDataFailsTheReadNamingWhatIsWrong() throws Exception {
    String text = "{\"n\":1}\n{\"n\":2}\n";
    byte[] gz = gzip(text);
    byte[] crc = gz.clone();
    crc[gz.length - 8] ^= 1;
    assertEquals("c.gz: the gzip data is corrupt: the text of its member 1 does not match the CRC-32 stored with it ("
        + String.format("%08x", new CRC32() {{ update(text.getBytes(StandardCharsets.UTF_8)); }}.getValue() ^ 1)
        + ", the text gives " + String.format("%08x", new CRC32() {{ update(text.getBytes(StandardCharsets.UTF_8)); }}.getValue())
        + "), so records read from it may be wrong: get the whole file again (gzip -t checks one)",
        failFile("c.gz", crc).getMessage());
    byte[] size = gz.clone();
    size[gz.length - 4] ^= 1;
    assertEquals("c.gz: the gzip data is corrupt: its member 1 gave 16 bytes of text, and the size stored with it is 17"
        + " (modulo 2^32): get the whole file again (gzip -t checks one)", failFile("c.gz", size).getMessage());
    byte[] method = gz.clone();
    method[2] = 7;
    assertEquals("c.gz: gzip member 1 (at byte 0) says compression method 7, and gzip has only deflate (8): the file is"
        + " corrupt, or not made by gzip: get the whole file again (gzip -t checks one)", failFile("c.gz", method).getMessage());
    byte[] flags = gz.clone();
    flags[3] = (byte) 0x80;
    assertTrue(failFile("c.gz", flags).getMessage().startsWith("c.gz: the header of gzip member 1 (at byte 0) has"
        + " reserved flags set (0x80)"));
    byte[] header = memberWithAllHeaderFields(text);
    header[15] ^= 1; // in the file name the header checksum covers
    assertEquals("c.gz: the header of gzip member 1 (at byte 0) does not match its header checksum: the file is corrupt:"
        + " get the whole file again (gzip -t checks one)", failFile("c.gz", header).getMessage());
    // Deflate data that is not deflate: a block of the reserved type 3.
    byte[] data = gz.clone();
    data[10] = (byte) 0x07;
    String m = failFile("c.gz", data).getMessage();
    assertTrue(m.startsWith("c.gz: the gzip data is corrupt (found at byte 11 of the file: invalid block type), so the records"
        + " from there on cannot be read: get the whole file again"), m);
    // Whatever byte is changed, the read fails (a flip in the text is caught by the CRC-32 at the latest).
    for (int i = 2; i < gz.length; i++) {
      if (i >= 4 && i < 10) continue; // time, extra flags and operating system: no checksum covers them
      byte[] flipped = gz.clone();
      flipped[i] ^= 0x10;
      assertTrue(failFile("c.gz", flipped) instanceof BrokenInputException, "byte " + i);
    }
  }

  @Test
  void bytesAfterTheLastMemberThatAreNotGzipFailTheRead() throws Exception {
    byte[] gz = concat(gzip("{\"n\":1}\n"), new byte[3], "junk".getBytes(StandardCharsets.US_ASCII));
    assertEquals("t.gz: after the end of its gzip data (byte " + (gz.length - 7) + ") the file goes on with bytes that"
        + " are not gzip (the first that is not zero is 0x6a): something was added after the compressed data, or the"
        + " header of a member is damaged; gzip -d ignores such bytes with a warning, which may leave records unread,"
        + " and wiz does not: cut them off, or get the file again", failFile("t.gz", gz).getMessage());
    byte[] damaged = concat(gzip("{\"n\":1}\n"), gzip("{\"n\":2}\n"));
    damaged[gzip("{\"n\":1}\n").length + 1] = 0x00; // the second member's magic
    assertTrue(failFile("t.gz", damaged).getMessage().startsWith("t.gz: after the end of its gzip data (byte 28) the"
        + " file goes on with bytes that are not gzip (the first that is not zero is 0x1f)"));
  }

  @Test
  void aGzipFileChangedWhileItIsReadIsSaidToHaveChanged() throws Exception {
    Path a = write(base.resolve("grow.jsonl.gz"), gzip("{\"n\":1}\n"));
    for (byte[] more : List.of(gzip("{\"n\":2}\n"), "junk".getBytes(StandardCharsets.US_ASCII))) {
      write(a, gzip("{\"n\":1}\n"));
      Source s = IoTesting.factory().openSource(spec("type", "file", "path", "grow.jsonl.gz"), base);
      long size = s.inputs().get(0).size();
      Files.write(a, more, java.nio.file.StandardOpenOption.APPEND);
      IOException e = assertThrows(IOException.class, () -> readAll(s, 10));
      assertEquals("grow.jsonl.gz changed while it was read (" + size + " bytes when the run started, "
          + (size + more.length) + " read, it is " + (size + more.length) + " bytes now), so the records read may be cut"
          + " short or mixed with newer ones: run again once nothing writes to it", e.getMessage());
    }
    // Cut while it is read (rewritten shorter): said to have changed, not to be cut short.
    byte[] whole = gzip("{\"n\":1}\n".repeat(1000));
    write(a, whole);
    Source s = IoTesting.factory().openSource(spec("type", "file", "path", "grow.jsonl.gz"), base);
    s.inputs();
    write(a, Arrays.copyOf(whole, whole.length / 2));
    IOException e = assertThrows(IOException.class, () -> readAll(s, 10));
    assertTrue(e.getMessage().startsWith("grow.jsonl.gz changed while it was read (" + whole.length + " bytes when the"
        + " run started, " + whole.length / 2 + " read, it is " + whole.length / 2 + " bytes now)"), e.getMessage());
  }

  /** A tar archive of one file, as tar(1) writes it (POSIX ustar header, content padded, two zero blocks). */
  static byte[] tar(String name, String content) {
    byte[] h = new byte[512];
    byte[] c = content.getBytes(StandardCharsets.UTF_8);
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0001750");
    put(h, 116, "0001750");
    put(h, 124, String.format("%011o", c.length));
    put(h, 136, "15000000000");
    put(h, 148, "        ");
    h[156] = '0';
    put(h, 257, "ustar");
    put(h, 263, "00");
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    put(h, 148, String.format("%06o", sum));
    h[155] = ' ';
    byte[] body = Arrays.copyOf(c, (c.length + 511) / 512 * 512);
    return concat(h, body, new byte[1024]);
  }

  private static void put(byte[] b, int at, String s) {
    byte[] x = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(x, 0, b, at, x.length);
  }

  @Test
  void aTarArchiveInsideGzipOrXzIsRefusedWithTheFileToExtract() throws Exception {
    byte[] tgz = gzip(tar("logs/events.jsonl", "{\"a\":1}\n"));
    assertTrue(ForeignInput.isTarHeader(tar("x", "")), "the test's tar header is one");
    assertEquals("logs.tar.gz: the text inside its gzip compression is a tar archive (its first file is"
        + " logs/events.jsonl), whose files wiz does not read as text: extract the one to read (tar -xzf FILE"
        + " logs/events.jsonl), or pipe it in with source type: stdin (tar -xzOf FILE logs/events.jsonl | wiz run"
        + " PIPELINE)", failFile("logs.tar.gz", tgz).getMessage());
    IoFactory io = new IoFactory(new ByteArrayInputStream(XzInputTest.xz(new String(tar("a b.jsonl", "{}\n"),
        StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class, () -> readAll(io.openSource(spec("type", "stdin"), base), 10));
    assertEquals("stdin: the text inside its xz compression is a tar archive (its first file is 'a b.jsonl'), whose files"
        + " wiz does not read as text: extract the one to read on the way in (... | tar -xJO 'a b.jsonl' | wiz run"
        + " PIPELINE)", e.getMessage());
    // Text that says ustar at byte 257, with no tar checksum: text.
    String text = "{\"s\":\"" + "x".repeat(238) + "\"}\n{\"word\":\"mustard\"}\n" + "{}\n".repeat(200);
    assertEquals("ustar", text.substring(257, 262));
    assertEquals(202, readFile("m.jsonl.gz", gzip(text), "jsonl").records().size());
  }

  /** A tar header of an entry of that type, size and name (and ustar prefix, or none). */
  private static byte[] tarHeader(String name, int size, char type, String prefix) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, "0000644");
    put(h, 108, "0001750");
    put(h, 116, "0001750");
    put(h, 124, String.format("%011o", size));
    put(h, 136, "15000000000");
    put(h, 148, "        ");
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    put(h, 345, prefix);
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    put(h, 148, String.format("%06o", sum));
    h[155] = ' ';
    return h;
  }

  private static byte[] padded(String data) {
    byte[] d = data.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(d, (d.length + 511) / 512 * 512);
  }

  @Test
  void aTarArchiveWithALongFileNameIsRefusedNamingTheFileNotTheEntryThatHoldsItsName() throws Exception {
    String deep = "logs/" + "d".repeat(120) + "/events.jsonl";
    // tar --format=posix: a pax extended header (named .../PaxHeaders/...) holds path=, then the file's own header.
    String record = "path=" + deep + "\n";
    int length = record.length() + 4;
    String pax = length + " " + record;
    assertEquals(length, pax.length());
    byte[] posix = concat(tarHeader("logs/PaxHeaders/events.jsonl", pax.length(), 'x', ""), padded(pax),
        tarHeader("events.jsonl", 3, '0', ""), padded("{}\n"), new byte[1024]);
    assertTrue(failFile("p.tar.gz", gzip(posix)).getMessage().contains("(its first file is " + deep + "), whose files"
        + " wiz does not read as text: extract the one to read (tar -xzf FILE " + deep + ")"));
    // GNU tar: a ././@LongLink entry holds the name of the entry after it.
    byte[] gnu = concat(tarHeader("././@LongLink", deep.length() + 1, 'L', ""), padded(deep + "\0"),
        tarHeader(deep.substring(0, 100), 3, '0', ""), padded("{}\n"), new byte[1024]);
    assertTrue(failFile("g.tar.gz", gzip(gnu)).getMessage().contains("(its first file is " + deep + "), whose"));
    // tar --format=ustar: the name split between the prefix field and the name field.
    byte[] ustar = concat(tarHeader("events.jsonl", 3, '0', deep.substring(0, deep.lastIndexOf('/'))), padded("{}\n"),
        new byte[1024]);
    assertTrue(failFile("u.tar.gz", gzip(ustar)).getMessage().contains("(its first file is " + deep + "), whose"));
  }

  @Test
  void aTarArchiveThatStartsWithFoldersIsRefusedNamingItsFirstFileNotAFolder() throws Exception {
    // tar -cf logs.tar logs: the folders come first; extracting "logs/" would write them all.
    byte[] folders = concat(tarHeader("logs/", 0, '5', ""), tarHeader("logs/2026/", 0, '5', ""),
        tarHeader("logs/2026/events.jsonl", 3, '0', ""), padded("{}\n"), new byte[1024]);
    assertEquals("logs.tar.gz: the text inside its gzip compression is a tar archive (its first file is"
        + " logs/2026/events.jsonl), whose files wiz does not read as text: extract the one to read (tar -xzf FILE"
        + " logs/2026/events.jsonl), or pipe it in with source type: stdin (tar -xzOf FILE logs/2026/events.jsonl | wiz"
        + " run PIPELINE)", failFile("logs.tar.gz", gzip(folders)).getMessage());
    // A folder's long name in a pax header is the folder's, not the file's after it.
    String record = "path=" + "d".repeat(120) + "/\n";
    String pax = (record.length() + 4) + " " + record;
    byte[] posix = concat(tarHeader("PaxHeaders/d", pax.length(), 'x', ""), padded(pax), tarHeader("d/", 0, '5', ""),
        tarHeader("d/e.jsonl", 3, '0', ""), padded("{}\n"), new byte[1024]);
    assertTrue(failFile("p.tar.gz", gzip(posix)).getMessage().contains("(its first file is d/e.jsonl), whose"));
    // Only folders: the first is named.
    byte[] empty = concat(tarHeader("logs/", 0, '5', ""), new byte[1024]);
    assertTrue(failFile("e.tar.gz", gzip(empty)).getMessage().contains("(its first file is logs/), whose"));
  }

  @Test
  void aTarArchiveWithoutTheUstarMagicAsTarFormatV7WritesIsRefusedToo() throws Exception {
    byte[] v7 = tar("logs/events.jsonl", "{\"a\":1}\n");
    Arrays.fill(v7, 257, 265, (byte) 0); // no magic, no version
    Arrays.fill(v7, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) sum += v7[i] & 0xff;
    put(v7, 148, String.format("%06o", sum));
    v7[154] = 0;
    assertEquals("v7.tar.gz: the text inside its gzip compression is a tar archive (its first file is logs/events.jsonl),"
        + " whose files wiz does not read as text: extract the one to read (tar -xzf FILE logs/events.jsonl), or pipe it"
        + " in with source type: stdin (tar -xzOf FILE logs/events.jsonl | wiz run PIPELINE)",
        failFile("v7.tar.gz", gzip(v7)).getMessage());
    write(base.resolve("v7.tar"), v7);
    IOException e = assertThrows(IOException.class, () -> readAll(IoTesting.factory()
        .openSource(spec("type", "file", "path", "v7.tar", "format", "lines"), base), 10));
    assertTrue(e.getMessage().startsWith("v7.tar: the input is a tar archive (its first file is logs/events.jsonl)"),
        e.getMessage());
  }

  @Test
  void textInsideGzipThatIsNotUtf8IsRefusedWithThePipeToUse() throws Exception {
    byte[] utf16 = gzip("\ufeff{}\n".getBytes(StandardCharsets.UTF_16LE));
    assertEquals("u.jsonl.gz: the text inside its gzip compression is UTF-16 text (it starts with the byte order mark"
        + " ff fe), and wiz reads only UTF-8: pipe it in with source type: stdin (zcat FILE | iconv -f UTF-16 -t UTF-8"
        + " | wiz run PIPELINE)", failFile("u.jsonl.gz", utf16).getMessage());
    IoFactory io = new IoFactory(new ByteArrayInputStream(gzip(gzip("{}\n"))), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class, () -> readAll(io.openSource(spec("type", "stdin"), base), 10));
    assertEquals("stdin: the text inside its gzip compression is gzip-compressed (it starts with the bytes 1f 8b), and"
        + " wiz reads only uncompressed text: decompress it on the way in (... | zcat | zcat | wiz run PIPELINE)",
        e.getMessage());
  }
}

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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;

/**
 * zstd, bzip2 and lz4 (frame format) input is read as the text it holds, in every format, from a
 * file and from standard input, frame after frame; data cut short, corrupt or followed by other
 * bytes fails the read naming the input, and is never read as a shorter input.
 */
class CodecInputTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  /** {"a":1}\n{"a":2}\n as zstd 1.5, bzip2 1.0.8 (-9) and lz4 1.9 write it by default (with their checksums). */
  static final byte[] ZSTD_CLI = HexFormat.of().parseHex("28b52ffd04588100007b2261223a317d0a7b2261223a327d0aeeedacf2");
  static final byte[] BZIP2_CLI = HexFormat.of().parseHex("425a6839314159265359229de2e900000659800010100030102000000a2000"
      + "310c0812807a89c226868be2ee48a70a120453bc5d20");
  static final byte[] LZ4_CLI = HexFormat.of().parseHex("04224d186440a7100000807b2261223a317d0a7b2261223a327d0a00000000623ab3db");

  enum Kind {
    ZSTD("zst", "zstd", 4), BZIP2("bz2", "bzip2", 10), LZ4("lz4", "lz4", 4);

    final String ext;
    final String label;
    /** The bytes of its mark: changed, the data is not of this kind but text. */
    final int mark;

    Kind(String ext, String label, int mark) {
      this.ext = ext;
      this.label = label;
      this.mark = mark;
    }

    byte[] cli() {
      return switch (this) {
        case ZSTD -> ZSTD_CLI;
        case BZIP2 -> BZIP2_CLI;
        case LZ4 -> LZ4_CLI;
      };
    }

    /** The text compressed with the library wiz reads it with. */
    byte[] compress(String text) throws IOException {
      return compress(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] compress(byte[] bytes) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (OutputStream z = switch (this) {
        case ZSTD -> new io.airlift.compress.zstd.ZstdOutputStream(b);
        case BZIP2 -> new BZip2CompressorOutputStream(b);
        case LZ4 -> new FramedLZ4CompressorOutputStream(b);
      }) {
        z.write(bytes);
      }
      return b.toByteArray();
    }
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
  void whatTheCommandLineToolsWriteIsReadAsItsTextWhateverTheName() throws Exception {
    for (Kind k : Kind.values()) {
      IoTesting.Read r = readFile("in.jsonl." + k.ext, k.cli(), "jsonl");
      assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), r.records(), k.label);
      assertEquals(List.of("in.jsonl." + k.ext + ":1-2/2"), r.spans(), k.label);
      assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), readFile("in.jsonl", k.cli(), "jsonl").records(), k.label);
    }
  }

  @Test
  void everyFormatIsReadWithTheLinesOfTheText() throws Exception {
    for (Kind k : Kind.values()) {
      IoTesting.Read r = readFile("in.jsonl." + k.ext, k.compress("{\"a\":1}\n\n{\"a\":2}\n{\"a\":3}\n"), "jsonl");
      assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), r.records(), k.label);
      assertEquals(List.of("in.jsonl." + k.ext + ":1-3/2", "in.jsonl." + k.ext + ":4-4/1"), r.spans(), k.label);
      r = readFile("in.json." + k.ext, k.compress("[\n{\"a\":1},\n{\"a\":2}\n]\n"), "json");
      assertEquals(List.of("in.json." + k.ext + ":2", "in.json." + k.ext + ":3"), r.recordPlaces(), k.label);
      r = readFile("in.csv." + k.ext, k.compress("id,name\n1,Ann\n"), "csv");
      assertEquals(jsons("{\"id\":\"1\",\"name\":\"Ann\"}"), r.records(), k.label);
      // No text: no record (bzip2's data of no text starts with another magic than its blocks).
      assertEquals(List.of(), readFile("e." + k.ext, k.compress(""), "lines").records(), k.label);
    }
  }

  @Test
  void concatenatedFramesAreReadWholeAlsoFromStandardInput() throws Exception {
    for (Kind k : Kind.values()) {
      byte[] joined = GzipInputTest.concat(k.compress("{\"n\":1}\n{\"n\""), k.compress(":2}\n"), k.cli());
      List<?> want = jsons("{\"n\":1}", "{\"n\":2}", "{\"a\":1}", "{\"a\":2}");
      assertEquals(want, readFile("in.jsonl." + k.ext, joined, "jsonl").records(), k.label);
      IoFactory io = new IoFactory(new ByteArrayInputStream(joined), new ByteArrayOutputStream());
      assertEquals(want, readAll(io.openSource(spec("type", "stdin"), base), 10).records(), k.label);
    }
  }

  @Test
  void aGlobReadsEachFileAsItsTextWhateverItsCompression() throws Exception {
    write(base.resolve("logs/a.jsonl"), "{\"n\":1}\n");
    write(base.resolve("logs/b.jsonl.zst"), Kind.ZSTD.compress("{\"n\":2}\n"));
    write(base.resolve("logs/c.jsonl.bz2"), Kind.BZIP2.compress("{\"n\":3}\n{\"n\":4}\n"));
    write(base.resolve("logs/d.jsonl.lz4"), Kind.LZ4.compress("{\"n\":5}\n"));
    write(base.resolve("logs/e.jsonl.gz"), GzipInputTest.gzip("{\"n\":6}\n"));
    IoTesting.Read r = readAll(IoTesting.factory().openSource(spec("type", "file", "path", "logs/*.jsonl*"), base), 10);
    assertEquals(jsons("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}", "{\"n\":6}"), r.records());
    assertEquals(List.of("logs/a.jsonl:1-1/1", "logs/b.jsonl.zst:1-1/1", "logs/c.jsonl.bz2:1-2/2", "logs/d.jsonl.lz4:1-1/1",
        "logs/e.jsonl.gz:1-1/1"), r.spans());
  }

  @Test
  void dataCutAnywhereFailsTheReadSayingSo() throws Exception {
    for (Kind k : Kind.values()) {
      byte[] data = k.compress("{\"n\":1}\n{\"n\":2}\n".repeat(50));
      for (int cut = 1; cut < data.length; cut++) {
        IOException e = failFile("cut.jsonl." + k.ext, Arrays.copyOf(data, cut));
        assertTrue(e instanceof BrokenInputException, k.label + " cut at " + cut + ": " + e);
      }
      int cut = data.length - 3;
      assertEquals("cut.jsonl." + k.ext + ": the " + k.label + " data is cut short: the file ends inside it (after " + cut
          + " bytes), so its records from there on are missing (a copy or download that did not finish?): get the whole"
          + " file again (" + k.label + " -t checks one)", failFile("cut.jsonl." + k.ext, Arrays.copyOf(data, cut))
          .getMessage());
    }
    IoFactory io = new IoFactory(new ByteArrayInputStream(Arrays.copyOf(ZSTD_CLI, 20)), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class, () -> readAll(io.openSource(spec("type", "stdin"), base), 10));
    assertEquals("stdin: the zstd data is cut short: the input ends inside it (after 20 bytes), so its records from"
        + " there on are missing (did the command that wrote it stop early?): check what writes it (zstd -t checks a"
        + " file)", e.getMessage());
  }

  @Test
  void anEmptyOrShortFileNamedSoIsDataCutShort() throws Exception {
    assertEquals("e.jsonl.zst: the file is empty, and its name says zstd, whose data is 9 bytes or more (even of no"
        + " text): a copy or download that did not finish? Get the whole file again, or rename it without .zst if it is"
        + " meant to be empty", failFile("e.jsonl.zst", new byte[0]).getMessage());
    assertEquals("e.jsonl.bz2: the file is 4 bytes long, and its name says bzip2, whose data is 14 bytes or more (even"
        + " of no text): a copy or download that did not finish? Get the whole file again, or rename it without .bz2 if"
        + " it is meant to be text", failFile("e.jsonl.bz2", Arrays.copyOf(BZIP2_CLI, 4)).getMessage());
    assertEquals("e.LZ4: the file is 2 bytes long, and its name says lz4, whose data is 11 bytes or more (even of no"
        + " text): a copy or download that did not finish? Get the whole file again, or rename it without .lz4 if it is"
        + " meant to be text", failFile("e.LZ4", Arrays.copyOf(LZ4_CLI, 2)).getMessage());
    // Text named so, that does not start as the data does, is refused: the name decides.
    assertEquals("t.bz2: its name says bzip2, but the file does not start as bzip2 data does (42 5a 68, BZh, then the"
        + " digit of its block size and 31 41 59 26 53 59): it starts with 42 5a 20 69 73 20 74 65, the text \"BZ is"
        + " text\\n\": if it is text (a download that a client already decompressed?), rename it without .bz2 (mv t.bz2"
        + " t); if not, get the file again (bzip2 -t checks one)",
        failFile("t.bz2", "BZ is text\nx\n".getBytes(StandardCharsets.UTF_8)).getMessage());
    // Not named so, it is read as text.
    assertEquals(2, readFile("t.txt", "BZ is text\nx\n".getBytes(StandardCharsets.UTF_8), "lines").records().size());
    // A hidden file named only the ending says nothing: a file sink named .gz writes text there, empty
    // when no record was written, which reads back as no records.
    for (String hidden : List.of(".gz", ".zst", ".bz2", ".lz4", ".xz")) {
      assertEquals(0, readFile(hidden, new byte[0], "jsonl").records().size(), hidden);
    }
  }

  @Test
  void everyByteChangedFailsTheReadOrReadsTheSameTextNeverAnother() throws Exception {
    for (Kind k : Kind.values()) {
      byte[] data = k.cli();
      int failed = 0;
      for (int i = k.mark; i < data.length; i++) {
        byte[] flipped = data.clone();
        flipped[i] ^= 0x10;
        write(base.resolve("c." + k.ext), flipped);
        try {
          // A bit no decoder reads (zstd's unused header bit, bzip2's padding) leaves the same text.
          assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), readAll(IoTesting.factory()
              .openSource(spec("type", "file", "path", "c." + k.ext), base), 10).records(), k.label + " byte " + i);
        } catch (IOException e) {
          failed++;
          assertTrue(e instanceof BrokenInputException && e.getMessage().startsWith("c." + k.ext + ": the " + k.label
              + " data is "), k.label + " byte " + i + ": " + e);
        }
      }
      assertTrue(failed >= data.length - k.mark - 2, k.label + ": " + failed + " of " + (data.length - k.mark));
    }
    byte[] bad = ZSTD_CLI.clone();
    bad[bad.length - 1] ^= 1; // its content checksum
    assertEquals("c.zst: the zstd data is corrupt (found after 29 bytes of the file: Bad checksum. Expected: f3acedee,"
        + " actual: f2acedee), so the records from there on cannot be read: get the whole file again (zstd -t"
        + " checks one)", failFile("c.zst", bad).getMessage());
    bad = LZ4_CLI.clone();
    bad[bad.length - 1] ^= 1;
    assertEquals("c.lz4: the lz4 data is corrupt (found after 35 bytes of the file: content checksum mismatch), so the"
        + " records from there on cannot be read: get the whole file again (lz4 -t checks one)",
        failFile("c.lz4", bad).getMessage());
  }

  @Test
  void bytesAfterTheDataFailTheRead() throws Exception {
    for (Kind k : Kind.values()) {
      byte[] junk = GzipInputTest.concat(k.cli(), "junk\n".getBytes(StandardCharsets.US_ASCII));
      IOException e = failFile("j." + k.ext, junk);
      assertTrue(e instanceof BrokenInputException && e.getMessage().startsWith("j." + k.ext + ": the " + k.label
          + " data is "), k.label + ": " + e);
    }
  }

  @Test
  void zstdWithAWindowBeyond8MiBIsRefusedWithTheCommandThatReadsIt() throws Exception {
    // {"n":1}\n to {"n":12}\n as zstd writes it, its frame header then made to ask for a 128 MiB window
    // (its byte 5: as zstd --long writes it): aircompressor reads a compressed block with at most 8 MiB.
    byte[] longWindow = HexFormat.of().parseHex("28b52ffd0458a50100e07b226e223a317d0a7b226e223a32333435363738393130"
        + "3131327d0a0a00551041848c20339005e40399812c201fc8ecb2a204810a8abd");
    longWindow[5] = (byte) 0x88;
    assertEquals("w.zst: the zstd data was written with a window larger than the 8 MiB wiz's zstd reader supports (zstd"
        + " --long, or --ultra -20 and above): decompress it with zstd on the way in, with source type: stdin (zstdcat"
        + " --long=31 FILE | wiz run PIPELINE)", failFile("w.zst", longWindow).getMessage());
    // The same frame with the 2 MiB window zstd gave it is read.
    longWindow[5] = 0x58;
    assertEquals(12, readFile("w.zst", longWindow, "lines").records().size());
  }

  @Test
  void zstdThatNeedsADictionaryIsRefusedWithTheCommandThatReadsIt() throws Exception {
    // ZSTD_CLI's frame with a dictionary id (1 byte, 0x2a) in its header, as zstd -D writes it.
    byte[] withDict = GzipInputTest.concat(Arrays.copyOf(ZSTD_CLI, 4), new byte[] {0x05, 0x58, 0x2a},
        Arrays.copyOfRange(ZSTD_CLI, 6, ZSTD_CLI.length));
    assertEquals("d.zst: the zstd data was compressed with a dictionary (zstd -D), which wiz's zstd reader cannot take:"
        + " decompress it with zstd and that dictionary on the way in, with source type: stdin (zstd -dc -D DICT FILE |"
        + " wiz run PIPELINE), or first (zstd -d -D DICT FILE)", failFile("d.zst", withDict).getMessage());
    IoFactory io = new IoFactory(new ByteArrayInputStream(withDict), new ByteArrayOutputStream());
    IOException e = assertThrows(IOException.class, () -> readAll(io.openSource(spec("type", "stdin"), base), 10));
    assertEquals("stdin: the zstd data was compressed with a dictionary (zstd -D), which wiz's zstd reader cannot take:"
        + " decompress it with zstd and that dictionary on the way in (... | zstd -dc -D DICT | wiz run PIPELINE)",
        e.getMessage());
  }

  @Test
  void zstdWithSkippableFramesAsPzstdWritesIsRefusedWithTheCommandThatReadsIt() throws Exception {
    byte[] skippable = HexFormat.of().parseHex("502a4d180400000004000000");
    assertEquals("p.zst: the input is zstd data that starts with a skippable frame, as pzstd writes (it starts with the"
        + " bytes 50 2a 4d 18), and wiz reads only zstd data without skippable frames: decompress it first (unzstd), or"
        + " pipe it in with source type: stdin (zstdcat FILE | wiz run PIPELINE)",
        failFile("p.zst", GzipInputTest.concat(skippable, ZSTD_CLI)).getMessage());
    assertEquals("p.zst: the zstd data holds a skippable frame (pzstd writes one before each frame)"
        + ", which wiz's zstd reader does not read: decompress it with zstd on the way in, with source type: stdin"
        + " (zstdcat FILE | wiz run PIPELINE)", failFile("p.zst", GzipInputTest.concat(ZSTD_CLI, skippable, ZSTD_CLI))
        .getMessage());
  }

  @Test
  void lz4InTheLegacyFormatIsRefusedWithTheCommandThatReadsItNotReadAsText() throws Exception {
    // printf '{"a":1}\n{"a":2}\n' | lz4 -l: as text, it was 2 records of compressed bytes.
    byte[] legacy = HexFormat.of().parseHex("02214c1812000000f0017b2261223a317d0a7b2261223a327d0a");
    assertEquals("l.lz4: the input is lz4 data in the legacy format, as lz4 -l writes (it starts with the bytes 02 21 4c"
        + " 18), and wiz reads only lz4 data in its frame format: decompress it first (unlz4), or pipe it in with source"
        + " type: stdin (lz4 -dc FILE | wiz run PIPELINE)", failFile("l.lz4", legacy).getMessage());
    assertEquals("l.lz4: the lz4 data is corrupt (found after 39 bytes of the file: a frame in the legacy format (lz4"
        + " -l) after the ones before it, which wiz does not read), so the records from there on cannot be read: get"
        + " the whole file again (lz4 -t checks one)", failFile("l.lz4", GzipInputTest.concat(LZ4_CLI, legacy))
        .getMessage());
    // Other bytes after its frames: once "the lz4 data" in the message, not twice.
    assertEquals("l.lz4: the lz4 data is corrupt (found after 39 bytes of the file: bytes that are not lz4 after its"
        + " last frame (garbage)), so the records from there on cannot be read: get the whole file again (lz4 -t"
        + " checks one)", failFile("l.lz4", GzipInputTest.concat(LZ4_CLI, "junk".getBytes(StandardCharsets.US_ASCII)))
        .getMessage());
    byte[] version = LZ4_CLI.clone();
    version[4] = 0x24; // a frame header of version 0
    assertEquals("l.lz4: the lz4 data is corrupt (found after 6 bytes of the file: a frame header of version 0, which"
        + " lz4 does not write (damaged)), so the records from there on cannot be read: get the whole file again (lz4 -t"
        + " checks one)", failFile("l.lz4", version).getMessage());
  }

  /**
   * An lz4 frame of 64 KiB blocks, made here (Commons Compress's writer takes seconds for it): each
   * block compressed with aircompressor, the last stored as it is, with block checksums, and with the
   * flag that says blocks may depend on the ones before, or not; a content checksum.
   */
  private static byte[] lz4(String text, boolean blockChecksum, boolean dependent) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] descriptor = {(byte) (0x44 | (dependent ? 0 : 0x20) | (blockChecksum ? 0x10 : 0)), 0x40};
    b.writeBytes(new byte[] {0x04, 0x22, 0x4d, 0x18});
    b.writeBytes(descriptor);
    org.apache.commons.codec.digest.XXHash32 hc = new org.apache.commons.codec.digest.XXHash32();
    hc.update(descriptor, 0, 2);
    b.write((int) (hc.getValue() >> 8) & 0xff);
    io.airlift.compress.lz4.Lz4Compressor lz4 = new io.airlift.compress.lz4.Lz4Compressor();
    for (int at = 0; at < t.length; at += 1 << 16) {
      int n = Math.min(1 << 16, t.length - at);
      byte[] block;
      boolean stored = at + n == t.length;
      if (stored) {
        block = Arrays.copyOfRange(t, at, at + n);
      } else {
        byte[] c = new byte[lz4.maxCompressedLength(n)];
        block = Arrays.copyOf(c, lz4.compress(t, at, n, c, 0, c.length));
      }
      le32(b, block.length | (stored ? 0x80000000 : 0));
      b.writeBytes(block);
      if (blockChecksum) {
        org.apache.commons.codec.digest.XXHash32 h = new org.apache.commons.codec.digest.XXHash32();
        h.update(block, 0, block.length);
        le32(b, (int) h.getValue());
      }
    }
    le32(b, 0);
    org.apache.commons.codec.digest.XXHash32 h = new org.apache.commons.codec.digest.XXHash32();
    h.update(t, 0, t.length);
    le32(b, (int) h.getValue());
    return b.toByteArray();
  }

  private static void le32(ByteArrayOutputStream b, int v) {
    for (int i = 0; i < 4; i++) b.write(v >> (8 * i));
  }

  @Test
  void lz4BlocksWithTheirChecksumsAndBlocksThatDependOnTheOnesBeforeAreReadToo() throws Exception {
    // Several 64 KiB blocks: checked one by one, or each referring to the one before (as Python's lz4.frame writes).
    String text = java.util.stream.IntStream.range(0, 20000).mapToObj(i -> "{\"n\":" + i + "}\n")
        .collect(java.util.stream.Collectors.joining());
    for (boolean dependent : new boolean[] {false, true}) {
      byte[] data = GzipInputTest.concat(lz4(text, true, dependent), lz4("{\"n\":-1}\n", false, false));
      write(base.resolve("b.lz4"), data);
      IoTesting.Read r = readAll(IoTesting.factory().openSource(spec("type", "file", "path", "b.lz4", "format", "lines"),
          base), 5000);
      assertEquals(20001, r.records().size(), "dependent " + dependent);
      assertEquals("{\"n\":-1}", r.records().get(20000).asText());
      for (int cut : new int[] {7, 100, data.length / 2, data.length - 5}) {
        IOException e = failFile("b.lz4", Arrays.copyOf(data, cut));
        assertTrue(e.getMessage().startsWith("b.lz4: the lz4 data is cut short"), dependent + " " + cut + ": " + e);
      }
    }
    byte[] data = lz4(text, true, false);
    byte[] bad = data.clone();
    bad[6] ^= 1; // the header's checksum
    assertEquals("b.lz4: the lz4 data is corrupt (found after 7 bytes of the file: frame header"
        + " checksum mismatch), so the records from there on cannot be read: get the whole file again (lz4 -t checks"
        + " one)", failFile("b.lz4", bad).getMessage());
    bad = data.clone();
    bad[20] ^= 1; // inside the first block: its checksum
    assertTrue(failFile("b.lz4", bad).getMessage().contains("block checksum mismatch"));
  }

  @Test
  void aFileChangedWhileItIsReadIsSaidToHaveChanged() throws Exception {
    for (Kind k : Kind.values()) {
      Path a = write(base.resolve("grow.jsonl." + k.ext), k.cli());
      Source s = IoTesting.factory().openSource(spec("type", "file", "path", "grow.jsonl." + k.ext), base);
      long size = s.inputs().get(0).size();
      Files.write(a, "junk".getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
      IOException e = assertThrows(IOException.class, () -> readAll(s, 10));
      assertTrue(e.getMessage().startsWith("grow.jsonl." + k.ext + " changed while it was read (" + size + " bytes when"
          + " the run started, " + (size + 4) + " read"), k.label + ": " + e.getMessage());
    }
  }
}

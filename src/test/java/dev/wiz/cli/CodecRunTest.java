package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run reads zstd, bzip2 and lz4 input as its text, as it reads gzip ({@link GzipRunTest}): the
 * same output, lines and digests as the plain file, the run record naming the file as stored; data
 * cut short fails the run (exit 4) whatever run.onError says; --resume reads it again.
 */
class CodecRunTest extends JimfsCliTest {
  private static final String TEXT = IntStream.range(0, 40).mapToObj(i -> "{\"id\":" + i + "}")
      .collect(Collectors.joining("\n", "", "\n"));
  private static final String[] EXTS = {"zst", "bz2", "lz4"};

  static byte[] compress(String ext, String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream z = switch (ext) {
      case "zst" -> new io.airlift.compress.zstd.ZstdOutputStream(b);
      case "bz2" -> new BZip2CompressorOutputStream(b);
      default -> new FramedLZ4CompressorOutputStream(b);
    }) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  private static String pipeline(String source, String onError) {
    return "wiz: 1\nname: codec\nsource: " + source + "\nchunking: { records: 10 }\nprocessors:\n"
        + "  - { id: keep, type: filter, config: { where: '.id != 3' } }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 2, onError: " + onError + " }\n";
  }

  @Test
  void eachRunsAsItsTextWouldWithTheSameOutputLinesAndDigests() throws IOException {
    Files.writeString(work.resolve("plain.yaml"), pipeline("{ type: file, path: in.jsonl }", "fail"));
    Files.writeString(work.resolve("in.jsonl"), TEXT);
    CliHarness.Result plain = wiz.run("run", "plain.yaml", "--format", "json");
    assertEquals(0, plain.code(), plain.toString());
    String want = Files.readString(work.resolve("out.jsonl"));
    for (String ext : EXTS) {
      Files.delete(work.resolve("out.jsonl"));
      Files.writeString(work.resolve("p.yaml"), pipeline("{ type: file, path: in.jsonl." + ext + " }", "fail"));
      Files.write(work.resolve("in.jsonl." + ext), compress(ext, TEXT));
      CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
      assertEquals(0, r.code(), r.toString());
      assertEquals(want, Files.readString(work.resolve("out.jsonl")), ext);
      assertEquals(GzipRunTest.creates(GzipRunTest.events(work, plain)).replace("in.jsonl", "in.jsonl." + ext), GzipRunTest.creates(GzipRunTest.events(work, r)),
          ext + ": chunks come from the same lines of the text, with the same digests");
      JsonNode run = Json.mapper().readTree(Files.readString(work.resolve(
          Json.mapper().readTree(r.out()).get("runRecord").asText())));
      assertEquals(Files.size(work.resolve("in.jsonl." + ext)), run.at("/inputs/0/size").asLong(), ext + ": " + run);
    }
  }

  @Test
  void dataCutShortFailsTheRunWhateverOnErrorSaysAlsoOnStandardInput() throws IOException {
    Files.writeString(work.resolve("skip.yaml"), pipeline("{ type: file, path: in.jsonl.bz2 }", "skip"));
    byte[] bz2 = compress("bz2", TEXT);
    Files.write(work.resolve("in.jsonl.bz2"), Arrays.copyOf(bz2, bz2.length - 10));
    CliHarness.Result r = wiz.run("-q", "run", "skip.yaml");
    assertEquals(4, r.code(), r.toString());
    assertEquals("wiz: run failed: reading input: in.jsonl.bz2: the bzip2 data is cut short: the file ends inside it"
        + " (after " + (bz2.length - 10) + " bytes), so its records from there on are missing (a copy or download that"
        + " did not finish?): get the whole file again (bzip2 -t checks one)\n", r.err());
    assertFalse(Files.exists(work.resolve("out.jsonl")), "no output in place: " + r);
    Files.writeString(work.resolve("stdin.yaml"), pipeline("{ type: stdin }", "skip"));
    byte[] zst = compress("zst", TEXT);
    wiz.stdinStream = new ByteArrayInputStream(Arrays.copyOf(zst, zst.length - 1));
    r = wiz.run("-q", "run", "stdin.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: run failed: reading input: stdin: the zstd data is cut short"), r.toString());
    wiz.stdinStream = new ByteArrayInputStream(compress("lz4", TEXT));
    r = wiz.run("-q", "run", "stdin.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals(TEXT.replace("{\"id\":3}\n", ""), Files.readString(work.resolve("out.jsonl")));
  }

  /**
   * A file whose name says it is compressed and whose first byte is damaged fails the run (exit 4)
   * whatever run.onError says, naming what the name says and what the bytes are. It was read as
   * text: records of compressed bytes, all bad, skipped one by one.
   */
  @Test
  void aFileWhoseNameSaysCompressedButWhoseFirstByteIsDamagedFailsTheRun() throws IOException {
    java.util.Map<String, byte[]> data = new java.util.LinkedHashMap<>();
    data.put("gz", GzipRunTest.gzip(TEXT));
    data.put("xz", LimitStopsReadingTest.xz(TEXT));
    for (String ext : EXTS) data.put(ext, compress(ext, TEXT));
    for (java.util.Map.Entry<String, byte[]> e : data.entrySet()) {
      String ext = e.getKey();
      CliHarness.Result r = runWithFirstByteDamaged(ext, e.getValue());
      assertEquals(4, r.code(), ext + ": " + r);
      String codec = java.util.Map.of("gz", "gzip", "zst", "zstd", "bz2", "bzip2").getOrDefault(ext, ext);
      String said = "wiz: run failed: reading input: in.jsonl." + ext + ": its name says " + codec + ", but the file"
          + " does not start as " + codec + " data does (";
      assertTrue(r.err().startsWith(said), ext + ": " + r.err());
      assertTrue(r.err().endsWith(", which is not text either: damaged data (its first bytes overwritten?), or data"
          + " of another kind: get the file again (" + codec + " -t checks one), or, if it really is text, rename it"
          + " without ." + ext + " (mv in.jsonl." + ext + " in.jsonl)\n"), ext + ": " + r.err());
      assertFalse(Files.exists(work.resolve("out.jsonl")), "no output in place: " + r);
    }
    assertEquals("wiz: run failed: reading input: in.jsonl.gz: its name says gzip, but the file does not start as gzip"
        + " data does (1f 8b): it starts with 58 8b 08 00 00 00 00 00, which is not text either: damaged data (its first"
        + " bytes overwritten?), or data of another kind: get the file again (gzip -t checks one), or, if it really is"
        + " text, rename it without .gz (mv in.jsonl.gz in.jsonl)\n", runWithFirstByteDamaged("gz", data.get("gz")).err());
  }

  /** A run with run.onError skip over in.jsonl.EXT holding {@code bytes} with its first byte damaged. */
  private CliHarness.Result runWithFirstByteDamaged(String ext, byte[] bytes) throws IOException {
    byte[] damaged = bytes.clone();
    damaged[0] = 'X';
    Files.write(work.resolve("in.jsonl." + ext), damaged);
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: file, path: in.jsonl." + ext + " }", "skip"));
    return wiz.run("-q", "run", "p.yaml", "--force");
  }

  /** A run that failed half-way on a zstd input, then --resume: the output is the bytes of an uninterrupted run. */
  @Test
  void resumeReadsTheFileAgainAndWritesTheBytesOfAnUninterruptedRun(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("in.jsonl.zst"), compress("zst", TEXT));
    Files.writeString(dir.resolve("boom"), "");
    String step = "d=$(cat); case \"$d\" in *'\"id\":25}'*) [ -e boom ] && exit 3;; esac; printf '%s\\n' \"$d\"";
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nname: zst\nsource: { type: file, path: in.jsonl.zst }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - id: step\n    type: exec\n"
        + "    config: { command: [/bin/sh, -c, '" + step.replace("'", "''") + "'] }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 1, onError: fail, commitMillis: 0 }\n");
    CliHarness cli = new CliHarness(dir);
    CliHarness.Result failed = cli.run("run", "p.yaml");
    assertEquals(4, failed.code(), failed.toString());
    assertTrue(failed.err().contains("in.jsonl.zst:21-30"), "the chunk is named by the lines of the text: " + failed);
    Files.delete(dir.resolve("boom"));
    CliHarness.Result resumed = cli.run("run", "p.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("2 chunks already committed"), resumed.toString());
    assertEquals(TEXT, Files.readString(dir.resolve("out.jsonl")));
  }
}

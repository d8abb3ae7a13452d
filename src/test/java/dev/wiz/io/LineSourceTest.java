package dev.wiz.io;

import static dev.wiz.io.IoTesting.factory;
import static dev.wiz.io.IoTesting.json;
import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The line formats, {@code jsonl} and {@code lines}, read from files on jimfs. */
class LineSourceTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  private Source open(String format, byte[] content) throws IOException {
    write(base.resolve("in.txt"), content);
    return factory().openSource(spec("type", "file", "path", "in.txt", "format", format), base);
  }

  private Source open(String format, String content) throws IOException {
    return open(format, content.getBytes(StandardCharsets.UTF_8));
  }

  private static List<JsonNode> texts(String... s) {
    List<JsonNode> out = new ArrayList<>();
    for (String t : s) out.add(TextNode.valueOf(t));
    return out;
  }

  @Test
  void jsonlGivesOneRecordPerLineInBatchesOfAtMostN() throws Exception {
    IoTesting.Read r = readAll(open("jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n{\"a\":5}\n"), 2);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}", "{\"a\":4}", "{\"a\":5}"), r.records());
    assertEquals(List.of("in.txt:1-2/2", "in.txt:3-4/2", "in.txt:5-5/1"), r.spans());
    assertEquals(List.of(), r.errors());
  }

  @Test
  void aJsonlLineThatOnlyOpensAnArrayOrObjectSaysToReadTheInputAsJson() throws Exception {
    // A pretty-printed JSON file read with the default format: its first line says what to do.
    IoTesting.Read r = readAll(open("jsonl", "[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n \t{ \n{\"a\":[\n"), 100);
    String hint = ": a jsonl line holds one whole JSON value; for one value spread over lines (a JSON array,"
        + " pretty-printed JSON) use format: json";
    assertEquals(List.of(
        "1:2: the line ends inside an array opened at column 1" + hint,
        "5:5: the line ends inside an object opened at column 3" + hint,
        "6:7: the line ends inside an array opened at column 6"),
        r.errors().stream().filter(e -> e.line() != 2 && e.line() != 3 && e.line() != 4)
            .map(e -> e.line() + ":" + e.column() + ": " + e.message()).toList());
  }

  @Test
  void jsonlSkipsBlankLinesButKeepsCountingThem() throws Exception {
    IoTesting.Read r = readAll(open("jsonl", "{\"a\":1}\n\n  \t\n{\"a\":2}\n\r\nnope\n"), 100);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), r.records());
    assertEquals(List.of("in.txt:6"), r.errorPlaces());
    assertEquals(List.of("in.txt:1-6/3"), r.spans(), "three records (one undecodable) on six lines");
  }

  @Test
  void eachRecordKnowsTheLineItStartsOnPastBlankAndUndecodableLinesAndAcrossBatches() throws Exception {
    IoTesting.Read r = readAll(open("jsonl", "{\"a\":1}\n\n{broken\n{\"a\":2}\r\n\n \n{\"a\":3}\n"), 2);
    assertEquals(List.of("in.txt:1-3/2", "in.txt:4-7/2"), r.spans());
    assertEquals(List.of("in.txt:1", "in.txt:4", "in.txt:7"), r.recordPlaces());
    IoTesting.Read lines = readAll(open("lines", "x\n\ny\nz"), 2);
    assertEquals(List.of("in.txt:1", "in.txt:2", "in.txt:3", "in.txt:4"), lines.recordPlaces());
    IoTesting.Read stdin = readAll(new IoFactory(new java.io.ByteArrayInputStream("\n{}\n\n[]\n".getBytes(StandardCharsets.UTF_8)),
        new java.io.ByteArrayOutputStream()).openSource(spec("type", "stdin", "format", "jsonl"), base), 1);
    assertEquals(List.of("stdin:2", "stdin:4"), stdin.recordPlaces());
  }

  @Test
  void blankLinesDoNotCountAgainstAChunksSizeInJsonlButDoInLines() throws Exception {
    String text = "{\"a\":1}\n\n\n\n{\"a\":2}\n  \n{\"a\":3}\n\n";
    IoTesting.Read r = readAll(open("jsonl", text), 2);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), r.records());
    assertEquals(List.of("in.txt:1-5/2", "in.txt:6-8/1"), r.spans(), "two records a chunk, whatever lies between");
    IoTesting.Read lines = readAll(open("lines", text), 2);
    assertEquals(List.of("in.txt:1-2/2", "in.txt:3-4/2", "in.txt:5-6/2", "in.txt:7-8/2"), lines.spans(),
        "in the lines format an empty line is a record");
  }

  @Test
  void undecodableLinesAreErrorsAtTheirExactLineAcrossBatches() throws Exception {
    String text = "{\"a\":1}\n\n{broken\n{\"a\":2}\n\n\n[1,2] 3\n{\"a\":3}\n";
    IoTesting.Read r = readAll(open("jsonl", text), 3);
    assertEquals(List.of("in.txt:3", "in.txt:7"), r.errorPlaces());
    assertEquals(List.of("in.txt:1-4/3", "in.txt:5-8/2"), r.spans());
    RecordError first = r.errors().get(0);
    assertEquals("{broken", first.raw());
    assertFalse(first.message().isBlank());
    assertFalse(first.message().contains("\n"), first.message());
    assertFalse(first.message().contains("[Source:"), first.message());
    assertEquals("[1,2] 3", r.errors().get(1).raw(), "trailing content on a line is an error");
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), r.records());
  }

  @Test
  void crlfLineEndsAreNotPartOfTheRecord() throws Exception {
    IoTesting.Read jsonl = readAll(open("jsonl", "{\"a\":1}\r\n{\"a\":\"x\"}\r\nbad\r\n"), 10);
    assertEquals(jsons("{\"a\":1}", "{\"a\":\"x\"}"), jsonl.records());
    assertEquals("bad", jsonl.errors().get(0).raw());
    assertEquals(3, jsonl.errors().get(0).line());

    IoTesting.Read lines = readAll(open("lines", "one\r\ntwo\r\n\r\nthree"), 10);
    assertEquals(texts("one", "two", "", "three"), lines.records());
  }

  @Test
  void aLastLineWithoutLineEndIsARecord() throws Exception {
    IoTesting.Read r = readAll(open("jsonl", "{\"a\":1}\n{\"a\":2}"), 10);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), r.records());
    assertEquals(List.of("in.txt:1-2/2"), r.spans());

    IoTesting.Read oneByOne = readAll(open("jsonl", "{\"a\":1}\n{\"a\":2}"), 1);
    assertEquals(List.of("in.txt:1-1/1", "in.txt:2-2/1"), oneByOne.spans());

    IoTesting.Read lines = readAll(open("lines", "x\ny"), 2);
    assertEquals(texts("x", "y"), lines.records());
  }

  @Test
  void anEmptyFileHasNoBatches() throws Exception {
    assertEquals(List.of(), readAll(open("jsonl", ""), 10).batches());
    assertEquals(List.of(), readAll(open("lines", ""), 10).batches());
  }

  @Test
  void aJsonlFileOfBlankLinesHasNoRecords() throws Exception {
    IoTesting.Read r = readAll(open("jsonl", "\n \n\r\n"), 10);
    assertEquals(List.of(), r.records());
    assertEquals(List.of(), r.errors());
    assertEquals(List.of(), r.batches(), "no chunk of no records");
    IoTesting.Read tail = readAll(open("jsonl", "{}\n{}\n\n\n"), 2);
    assertEquals(List.of("in.txt:1-2/2"), tail.spans(), "blank lines at the end make no chunk of their own");
  }

  @Test
  void unicodeSurvivesIntact() throws Exception {
    String s = "h\u00e9llo \u2713 \u65e5\u672c \uD83D\uDE00";
    IoTesting.Read jsonl = readAll(open("jsonl", "{\"s\":\"" + s + "\"}\n\"\\u00e9\"\n"), 10);
    assertEquals(s, jsonl.records().get(0).get("s").textValue());
    assertEquals("\u00e9", jsonl.records().get(1).textValue());

    IoTesting.Read lines = readAll(open("lines", s + "\n" + s), 10);
    assertEquals(texts(s, s), lines.records());
  }

  @Test
  void aUtf8ByteOrderMarkIsNotPartOfTheFirstRecord() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] jsonl = concat(bom, "{\"a\":1}\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8));
    IoTesting.Read r = readAll(open("jsonl", jsonl), 10);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), r.records());
    assertEquals(List.of(), r.errors());

    byte[] lines = concat(bom, "first\nsecond\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(texts("first", "second"), readAll(open("lines", lines), 10).records());
    // Only the input's first: one that starts a later line is that line's U+FEFF (README, the lines format).
    byte[] later = concat(bom, "first\n\uFEFFsecond\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(texts("first", "\uFEFFsecond"), readAll(open("lines", later), 1).records());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aLineLongerThanTheReadBlockGrowsTheBuffer() throws Exception {
    String big = "x".repeat(3 * 1024 * 1024 + 17);
    String text = "{\"n\":1}\n{\"big\":\"" + big + "\"}\n{\"n\":3}";
    IoTesting.Read r = readAll(open("jsonl", text), 2);
    assertEquals(3, r.records().size());
    assertEquals(big, r.records().get(1).get("big").textValue());
    assertEquals(json("{\"n\":3}"), r.records().get(2));
    assertEquals(List.of("in.txt:1-2/2", "in.txt:3-3/1"), r.spans());

    IoTesting.Read lines = readAll(open("lines", "a\n" + big + "\nb\n"), 1);
    assertEquals(texts("a", big, "b"), lines.records());
  }

  @Test
  void batchesCutAcrossReadBlocksLoseNoLine() throws Exception {
    // About 2.6 MiB of lines, so batches straddle the 1 MiB read blocks.
    String pad = "p".repeat(60);
    StringBuilder sb = new StringBuilder();
    int n = 40_000;
    for (int i = 1; i <= n; i++) sb.append(i).append(pad).append('\n');
    IoTesting.Read r = readAll(open("lines", sb.toString()), 777);
    List<String> seen = r.records().stream().map(JsonNode::textValue).toList();
    assertEquals(IntStream.rangeClosed(1, n).mapToObj(i -> i + pad).toList(), seen);
    long expectFirst = 1;
    for (SourceBatch b : r.batches()) {
      assertEquals(expectFirst, b.firstLine());
      expectFirst = b.lastLine() + 1;
    }
    assertEquals(n + 1, expectFirst);
  }

  @Test
  void linesGivesEachLineAsAStringEvenWhenItLooksLikeJson() throws Exception {
    IoTesting.Read r = readAll(open("lines", "{\"a\":1}\n\n  padded  \n42\n"), 2);
    assertEquals(texts("{\"a\":1}", "", "  padded  ", "42"), r.records());
    assertEquals(List.of("in.txt:1-2/2", "in.txt:3-4/2"), r.spans());
    assertEquals(List.of(), r.errors());
  }

  @Test
  void theInputDigestIsOverTheBatchesRawBytes() throws Exception {
    IoTesting.Read r = readAll(open("jsonl", "{\"a\":1}\r\n{\"a\":2}\n"), 1);
    assertEquals(Json.digest("{\"a\":1}\r\n".getBytes(StandardCharsets.UTF_8)), r.batches().get(0).inputDigest());
    assertEquals(Json.digest("{\"a\":2}\n".getBytes(StandardCharsets.UTF_8)), r.batches().get(1).inputDigest());
  }

  @Test
  void eachFileStartsAtLineOneAndNoBatchSpansTwoFiles() throws Exception {
    write(base.resolve("d/a.jsonl"), "{\"f\":\"a1\"}\n{\"f\":\"a2\"}\nbad\n");
    write(base.resolve("d/b.jsonl"), "");
    write(base.resolve("d/c.jsonl"), "\n{\"f\":\"c2\"}\noops");
    Source s = factory().openSource(spec("type", "file", "path", "d/*.jsonl"), base);
    IoTesting.Read r = readAll(s, 2);
    assertEquals(jsons("{\"f\":\"a1\"}", "{\"f\":\"a2\"}", "{\"f\":\"c2\"}"), r.records());
    assertEquals(List.of("d/a.jsonl:1-2/2", "d/a.jsonl:3-3/1", "d/c.jsonl:1-3/2"), r.spans());
    assertEquals(List.of("d/a.jsonl:3", "d/c.jsonl:3"), r.errorPlaces());
  }

  /**
   * The decoder reads a batch with one parser and reads a line on its own only when that parser
   * cannot take it: whatever the mix, records, errors and their lines equal reading every line on
   * its own.
   */
  @Test
  void oneParserPerBatchGivesWhatReadingEachLineAloneGives() throws Exception {
    String[] lines = {
        "{\"a\":1}", "7", "  -3.5  ", "7\r", "\"s\"", "[1,", "2]", "{\"a\":1}{\"b\":2}", "1 2", "true",
        "null", "", "  ", "{\"x\": [1, {\"y\": \"\u00e9\\u00e9\"}]}  ", "}", "{\"unterminated", "12345678901234567890",
        "1e400", "\"tab\tinside\"", "{\"a\":1}\r", "0.10", "-", "{\"k\":\"v\"} x", "[]", "{}"};
    String text = String.join("\n", lines);
    for (String end : List.of("", "\n")) {
      IoTesting.Read r = readAll(open("jsonl", text + end), 1000);
      List<String> got = new ArrayList<>();
      for (Decoded d : r.decoded()) {
        for (JsonNode n : d.records()) got.add("record " + n);
      }
      r.errors().forEach(e -> got.add("error " + e.line() + " " + e.raw()));
      List<String> want = new ArrayList<>();
      List<String> wantErrors = new ArrayList<>();
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
        if (line.isBlank()) continue;
        try {
          byte[] b = line.getBytes(StandardCharsets.UTF_8);
          want.add("record " + TreeReader.readWhole(Json.mapper().getFactory(), b, 0, b.length));
        } catch (IOException e) {
          wantErrors.add("error " + (i + 1) + " " + line);
        }
      }
      want.addAll(wantErrors);
      assertEquals(want, got);
      assertTrue(wantErrors.size() >= 6, "the case covers errors: " + wantErrors);
    }
  }

  @Test
  void eachRecordKnowsTheBytesOfItsLine() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] rest = "{\"a\":1}\r\n\nbad\n  [1, 2] \n7".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + rest.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(rest, 0, all, 3, rest.length);
    Decoded d = readAll(open("jsonl", all), 100).decoded().get(0);
    Decoded.Lines l = d.lines();
    List<String> raw = new ArrayList<>();
    for (int i = 0; i < d.records().size(); i++) {
      raw.add(new String(l.bytes(), l.start()[i], l.end()[i] - l.start()[i], StandardCharsets.UTF_8));
    }
    assertEquals(List.of("{\"a\":1}", "  [1, 2] ", "7"), raw);
    assertEquals(3, d.records().size());
  }

  @Test
  void recordErrorCutsLongRawText() {
    RecordError e = new RecordError("f", 1, "m", "y".repeat(RecordError.MAX_RAW + 50));
    assertEquals(RecordError.MAX_RAW + 3, e.raw().length());
    assertTrue(e.raw().endsWith("..."));
  }

  @Test
  void aStringBeyondTheReadLimitIsARecordErrorInWizsWordsWithoutAMadeUpLength() throws Exception {
    String huge = "{\"s\":\"" + "x".repeat(30_000_000) + "\"}\n";
    IoTesting.Read r = readAll(open("jsonl", "{\"a\":1}\n" + huge + "{\"a\":2}\n"), 10);
    assertEquals(2, r.records().size());
    assertEquals(List.of("in.txt:2"), r.errorPlaces());
    assertEquals("a string longer than the 20000000 characters wiz reads in one value", r.errors().get(0).message());
  }

  @Test
  void everyReadLimitIsARecordErrorInWizsWords() throws Exception {
    String text = "[1]\n"
        + "[".repeat(1001) + "]".repeat(1001) + "\n"
        + "{\"a\":".repeat(1001) + "1" + "}".repeat(1001) + "\n"
        + "{\"" + "k".repeat(60_000) + "\":1}\n"
        + "{\"" + "\u00e9".repeat(30_000) + "\":1}\n"
        + "{\"n\":-" + "1".repeat(1001) + "}\n"
        + "[1." + "5".repeat(600) + "e" + "1".repeat(401) + "]\n"
        + "[".repeat(1000) + "]".repeat(1000) + "\n"
        + "{\"" + "k".repeat(50_000) + "\":" + "9".repeat(1000) + "}\n";
    IoTesting.Read r = readAll(open("jsonl", text), 100);
    assertEquals(List.of("in.txt:1", "in.txt:8", "in.txt:9"), r.recordPlaces(), "at the limits: read");
    String deep = "a value nested more than 1000 levels deep: wiz reads at most 1000 levels of arrays and objects";
    String key = "a key longer than the 50000 bytes wiz reads in one key";
    assertEquals(List.of(deep, deep, key, key, "a number of 1001 digits: wiz reads numbers of at most 1000 digits",
            "a number of 1002 digits: wiz reads numbers of at most 1000 digits"),
        r.errors().stream().map(RecordError::message).toList(), "a key is measured in UTF-8 bytes: 30000 \u00e9 are 60000");
    assertEquals(List.of("in.txt:2", "in.txt:3", "in.txt:4", "in.txt:5", "in.txt:6", "in.txt:7"), r.errorPlaces());
  }

  @Test
  void theReadLimitsAreWizsOwnAndTheSameForEveryReader() {
    var limits = Json.mapper().getFactory().streamReadConstraints();
    assertEquals(1000, limits.getMaxNestingDepth());
    assertEquals(50_000, limits.getMaxNameLength());
    assertEquals(20_000_000, limits.getMaxStringLength());
    assertEquals(1000, limits.getMaxNumberLength());
    assertFalse(limits.hasMaxDocumentLength());
    assertFalse(limits.hasMaxTokenCount());
    assertEquals(Json.READ_LIMITS, limits);
  }
}

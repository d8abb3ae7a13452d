package dev.wiz.io;

import static dev.wiz.io.IoTesting.factory;
import static dev.wiz.io.IoTesting.json;
import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code json}: one array of records, or one value as one record. */
class JsonSourceTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  private Source open(byte[] content) throws IOException {
    write(base.resolve("in.json"), content);
    return factory().openSource(spec("type", "file", "path", "in.json", "format", "json"), base);
  }

  private Source open(String content) throws IOException {
    return open(content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anArrayGivesOneRecordPerElementInBatchesOfAtMostN() throws Exception {
    String text = "[\n  {\"a\": 1},\n  {\"a\": 2},\n  {\"a\": 3}\n]\n";
    IoTesting.Read r = readAll(open(text), 2);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), r.records());
    assertEquals(List.of("in.json:2-3/2", "in.json:4-4/1"), r.spans());
    assertEquals(List.of(), r.errors());
  }

  @Test
  void aRecordSpanningLinesReportsItsFirstAndLastLine() throws Exception {
    String text = "[\n{\n\"a\": 1\n},\n{\"b\": [\n2\n]}\n]";
    IoTesting.Read r = readAll(open(text), 10);
    assertEquals(jsons("{\"a\":1}", "{\"b\":[2]}"), r.records());
    assertEquals(List.of("in.json:2-7/2"), r.spans());
  }

  @Test
  void eachElementKnowsTheLineItStartsOn() throws Exception {
    String text = "[\n  {\"a\": 1}, {\"a\": 2},\n\n  {\n    \"a\": 3\n  },\n  4\n]\n";
    IoTesting.Read r = readAll(open(text), 2);
    assertEquals(List.of("in.json:2", "in.json:2", "in.json:4", "in.json:7"), r.recordPlaces());
    assertEquals(List.of("in.json:3"), readAll(open("\n\n{\n\"a\": 1\n}\n"), 10).recordPlaces(), "one value");
  }

  @Test
  void oneValueThatIsNotAnArrayIsOneRecord() throws Exception {
    IoTesting.Read object = readAll(open("{\n\"a\": {\"b\": [1, 2]}\n}\n"), 10);
    assertEquals(jsons("{\"a\":{\"b\":[1,2]}}"), object.records());
    assertEquals(List.of("in.json:1-3/1"), object.spans());

    assertEquals(jsons("42"), readAll(open(" 42 "), 10).records());
    assertEquals(jsons("\"text\""), readAll(open("\"text\""), 10).records());
    assertEquals(List.of(Json.mapper().nullNode()), readAll(open("null"), 10).records());
  }

  @Test
  void nestedArraysAreRecordsThemselves() throws Exception {
    IoTesting.Read r = readAll(open("[[1, 2], [], [[3]], {\"x\": []}]"), 10);
    assertEquals(jsons("[1,2]", "[]", "[[3]]", "{\"x\":[]}"), r.records());
  }

  @Test
  void anEmptyArrayOrAnEmptyFileHasNoBatches() throws Exception {
    assertEquals(List.of(), readAll(open("[]"), 10).batches());
    assertEquals(List.of(), readAll(open(" [\n\n] \n"), 10).batches());
    assertEquals(List.of(), readAll(open(""), 10).batches());
    assertEquals(List.of(), readAll(open("  \n\t\n"), 10).batches());
  }

  @Test
  void anArrayOfExactlyNRecordsEndsWithoutAnEmptyBatch() throws Exception {
    IoTesting.Read r = readAll(open("[1, 2, 3, 4]"), 2);
    assertEquals(List.of("in.json:1-1/2", "in.json:1-1/2"), r.spans());
    assertEquals(jsons("1", "2", "3", "4"), r.records());
  }

  /** The elements a source gives before it fails, and the failure. */
  private record Failed(List<JsonNode> records, List<String> spans, IOException error) {}

  private static Failed readUntilItFails(Source src, int max) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    List<String> spans = new ArrayList<>();
    try (src) {
      while (true) {
        SourceBatch b;
        try {
          b = src.next(max);
        } catch (IOException e) {
          return new Failed(records, spans, e);
        }
        assertNotNull(b, "ended quietly after " + records + ": the rest of the file was never read");
        Decoded d = b.decode();
        assertEquals(List.of(), d.errors());
        records.addAll(d.records());
        spans.add(b.origin() + ":" + b.firstLine() + "-" + b.lastLine() + "/" + b.recordCount());
      }
    }
  }

  @Test
  void aMalformedArrayElementFailsReadingAtItsPlaceRatherThanEndTheFileQuietly() throws Exception {
    String text = "[\n {\"id\":1},\n {\"id\":2,,},\n {\"id\":3},\n {\"id\":4}\n]\n";
    Failed f = readUntilItFails(open(text), 10);
    assertEquals(jsons("{\"id\":1}"), f.records(), "the elements before it are given first");
    assertEquals(List.of("in.json:2-2/1"), f.spans());
    assertTrue(f.error().getMessage().startsWith("in.json:3:10: the rest of the file cannot be read after this array "
        + "element (expected a key in double quotes, found ','); fix the element and run again"), f.error().getMessage());
    Source again = open(text);
    again.next(10);
    assertThrows(IOException.class, () -> again.next(10));
    assertThrows(IOException.class, () -> again.next(10), "it keeps failing: never a quiet end of input");
    again.close();
  }

  @Test
  void aMalformedElementAtTheStartOfABatchFailsAtOnce() throws Exception {
    Failed f = readUntilItFails(open("[\n1,\n2,\n}\n"), 2);
    assertEquals(jsons("1", "2"), f.records());
    assertEquals(List.of("in.json:2-3/2"), f.spans());
    assertTrue(f.error().getMessage().startsWith("in.json:4:1: the rest of the file cannot be read after this array "
        + "element (expected a JSON value (true, false, null, a number, a string, an array or an object), found '}')"),
        f.error().getMessage());
  }

  @Test
  void anElementOverAReadLimitFailsReadingToo() throws Exception {
    String longNumber = "1".repeat(2000);
    Failed f = readUntilItFails(open("[1,\n" + longNumber + ",\n3]"), 10);
    assertEquals(jsons("1"), f.records());
    assertTrue(f.error().getMessage().startsWith("in.json:2:"), f.error().getMessage());
    assertTrue(f.error().getMessage().contains("(a number of 2000 digits: wiz reads numbers of at most 1000 digits); fix "
        + "the element and run again"), f.error().getMessage());

    Failed deep = readUntilItFails(open("[1,\n[" + "[".repeat(1500) + "]".repeat(1500) + "]]"), 10);
    assertEquals("in.json:2:1001: the rest of the file cannot be read after this array element (a value nested more "
        + "than 1000 levels deep: wiz reads at most 1000 levels of arrays and objects); fix the element and run again",
        deep.error().getMessage());
  }

  @Test
  void oneValueOverAReadLimitIsARecordErrorInWizsWords() throws Exception {
    IoTesting.Read key = readAll(open("{\n\"" + "k".repeat(60_000) + "\": 1}"), 10);
    assertEquals(List.of("a key longer than the 50000 bytes wiz reads in one key"),
        key.errors().stream().map(RecordError::message).toList());
    IoTesting.Read string = readAll(open("\"" + "x".repeat(30_000_000) + "\""), 10);
    assertEquals(List.of("a string longer than the 20000000 characters wiz reads in one value"),
        string.errors().stream().map(RecordError::message).toList());
  }

  @Test
  void malformedFirstTokenIsAnErrorAtLineOne() throws Exception {
    IoTesting.Read r = readAll(open("}{"), 10);
    assertEquals(List.of(), r.records());
    assertEquals(List.of("in.json:1"), r.errorPlaces());
  }

  @Test
  void anUnclosedArrayIsAnErrorAtTheEnd() throws Exception {
    IoTesting.Read r = readAll(open("[\n1,\n2\n"), 10);
    assertEquals(jsons("1", "2"), r.records());
    assertEquals(1, r.errors().size());
    assertEquals("in.json", r.errors().get(0).origin());
  }

  @Test
  void contentAfterTheClosingBracketFailsReadingAtItsPlace() throws Exception {
    // What follows cannot be told apart: dropped as one bad record, [3] [4] were lost (sweep 7)
    Failed f = readUntilItFails(open("[1, 2]\n\n{\"x\": 1}\n[3]\n[4]\n"), 10);
    assertEquals(jsons("1", "2"), f.records());
    assertEquals("in.json:3:1: more JSON after the closing ']' of the array: a json input is one array or one value;"
        + " for one value per line use format: jsonl", f.error().getMessage());

    Failed batchEnds = readUntilItFails(open("[1, 2]\n{\"x\": 1}\n"), 2);
    assertEquals(jsons("1", "2"), batchEnds.records());
    assertTrue(batchEnds.error().getMessage().startsWith("in.json:2:1: more JSON after"), batchEnds.error().getMessage());
    Failed empty = readUntilItFails(open("[]\n\n{\"x\": 1}\n"), 2);
    assertTrue(empty.error().getMessage().startsWith("in.json:3:1: more JSON after"), empty.error().getMessage());
  }

  @Test
  void textThatIsNotJsonAfterTheArrayOrValueFailsReadingAsMoreJsonThereDoes() throws Exception {
    // Dropped as one bad record (raw null), the [3,4] after it was lost without a word
    Failed f = readUntilItFails(open("[1,2]x[3,4]"), 10);
    assertEquals(jsons("1", "2"), f.records());
    assertEquals("in.json:1:6: 'x' after the value that ends at line 1, column 5 (a json input holds one value; use format "
        + "jsonl for one value a line)", f.error().getMessage());
    Failed value = readUntilItFails(open("{\"a\":1}\n// more\n{\"b\":2}"), 10);
    assertEquals(jsons("{\"a\":1}"), value.records());
    assertTrue(value.error().getMessage().startsWith("in.json:2:1: '/' after the value"), value.error().getMessage());
    Failed empty = readUntilItFails(open("[]\n\u0000"), 10);
    assertEquals(List.of(), empty.records());
    assertTrue(empty.error().getMessage().startsWith("in.json:2:1: a NUL character (U+0000) outside a string"),
        empty.error().getMessage());
  }

  @Test
  void anInputThatIsOnlyAByteOrderMarkIsEmptyAsAnEmptyInputIs() throws Exception {
    IoTesting.Read r = readAll(open("\uFEFF"), 10);
    assertEquals(List.of(), r.records());
    assertEquals(List.of(), r.errors(), "not 'a byte order mark after the start of the text'");
    assertEquals(jsons("1"), readAll(open("\uFEFF1"), 10).records());
  }

  @Test
  void severalValuesAtTheTopLevelFailReadingAfterTheFirst() throws Exception {
    // A JSON Lines file read as json: the first value is given, then the run fails; none is dropped quietly
    Failed f = readUntilItFails(open("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n"), 10);
    assertEquals(jsons("{\"id\":1}"), f.records());
    assertEquals("in.json:2:1: more than one JSON value at the top level: a json input is one array or one value; for one"
        + " value per line use format: jsonl", f.error().getMessage());
  }

  @Test
  void contentAfterAnArrayFailsInItsOwnFileBeforeTheNextIsRead() throws Exception {
    write(base.resolve("d/a.json"), "[1, 2]\n[3]\n");
    write(base.resolve("d/b.json"), "[4, 5]\n");
    Source s = factory().openSource(spec("type", "file", "path", "d/*.json", "format", "json"), base);
    Failed f = readUntilItFails(s, 2);
    assertEquals(jsons("1", "2"), f.records());
    assertTrue(f.error().getMessage().startsWith("d/a.json:2:1: more JSON after the closing ']'"), f.error().getMessage());
  }

  @Test
  void unicodeAndAByteOrderMarkAreRead() throws Exception {
    byte[] body = "[{\"s\": \"h\u00e9 \u2713 \uD83D\uDE00\"}]".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    assertEquals(jsons("{\"s\":\"h\u00e9 \u2713 \uD83D\uDE00\"}"), readAll(open(body), 10).records());
    assertEquals(jsons("{\"s\":\"h\u00e9 \u2713 \uD83D\uDE00\"}"), readAll(open(withBom), 10).records());
  }

  @Test
  void severalFilesAreReadInOrderEachWithItsOwnLines() throws Exception {
    write(base.resolve("d/1.json"), "[\n{\"f\": 1},\n{\"f\": 2}\n]");
    write(base.resolve("d/2.json"), "[]");
    write(base.resolve("d/3.json"), "\n\n{\"f\": 3}");
    write(base.resolve("d/4.json"), "[\n{\"f\": 4},\n{\"f\": 5}\n"); // cut off: its end is a record error
    write(base.resolve("d/5.json"), "[{\"f\": 6}]");
    Source s = factory().openSource(spec("type", "file", "path", "d/*.json", "format", "json"), base);
    IoTesting.Read r = readAll(s, 10);
    assertEquals(jsons("{\"f\":1}", "{\"f\":2}", "{\"f\":3}", "{\"f\":4}", "{\"f\":5}", "{\"f\":6}"), r.records());
    assertEquals(List.of("d/4.json:4"), r.errorPlaces());
    assertEquals(List.of("d/1.json:2-3/2", "d/3.json:3-3/1", "d/4.json:2-3/2", "d/4.json:4-4/1", "d/5.json:1-1/1"),
        r.spans());
  }

  /** A file cut off just after a comma is cut off as any other: its end is a record error, its elements are read. */
  @Test
  void anArrayCutOffAfterACommaIsARecordErrorAtItsEnd() throws Exception {
    write(base.resolve("d/1.json"), "[\n{\"f\": 1},\n{\"f\": 2},\n");
    write(base.resolve("d/2.json"), "[{\"f\": 3}]");
    Source s = factory().openSource(spec("type", "file", "path", "d/*.json", "format", "json"), base);
    IoTesting.Read r = readAll(s, 10);
    assertEquals(jsons("{\"f\":1}", "{\"f\":2}", "{\"f\":3}"), r.records());
    assertEquals(List.of("d/1.json:4"), r.errorPlaces());
    assertEquals("the input ends inside an array opened at line 1, column 1", r.errors().get(0).message());
  }

  @Test
  void aMalformedElementInOneFileOfSeveralFailsReadingNamingThatFile() throws Exception {
    write(base.resolve("d/1.json"), "[{\"f\": 1}]");
    write(base.resolve("d/2.json"), "[\n{\"f\": 2},\nnope,\n{\"f\": 3}\n]");
    write(base.resolve("d/3.json"), "[{\"f\": 4}]");
    Source s = factory().openSource(spec("type", "file", "path", "d/*.json", "format", "json"), base);
    Failed f = readUntilItFails(s, 10);
    assertEquals(jsons("{\"f\":1}", "{\"f\":2}"), f.records());
    assertTrue(f.error().getMessage().startsWith("d/2.json:3:"), f.error().getMessage());
  }

  @Test
  void theInputDigestIsOverTheRecordsAsJsonLines() throws Exception {
    IoTesting.Read r = readAll(open("[ {\"b\": 1, \"a\": 2} ,\n 3 ]"), 10);
    assertEquals(Json.digestLines(List.of(json("{\"b\":1,\"a\":2}"), json("3"))), r.batches().get(0).inputDigest());
  }
}

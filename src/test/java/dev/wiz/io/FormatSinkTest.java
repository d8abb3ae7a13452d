package dev.wiz.io;

import static dev.wiz.io.IoTesting.json;
import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Each codec as a sink: the bytes it writes, and that reading them back gives the records. */
class FormatSinkTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  /** Everything write() returned, in order. */
  private final ByteArrayOutputStream returned = new ByteArrayOutputStream();

  private FormatSink sink(Format format) {
    return sink(format, ',', null);
  }

  private FormatSink sink(Format format, char delimiter, List<String> columns) {
    return new FormatSink(format, new Target.Stdout(out), delimiter, columns);
  }

  /** Encodes and writes each chunk in order, then completes; returns the output. */
  @SafeVarargs
  private String run(FormatSink sink, List<JsonNode>... chunks) throws IOException {
    for (List<JsonNode> chunk : chunks) {
      Encoded e = sink.ordered(sink.encode(chunk));
      assertEquals(chunk.size(), e.records());
      assertEquals(List.of(), e.rejected());
      returned.writeBytes(sink.write(e));
    }
    sink.commit();
    assertEquals("stdout", sink.complete());
    sink.close();
    return out.toString(StandardCharsets.UTF_8);
  }

  private String returned() {
    return returned.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonlWritesOneCompactValuePerLine() throws Exception {
    String text = run(sink(Format.JSONL), jsons("{\"a\": 1, \"b\": [1, 2]}", "\"s\""), List.of(), jsons("3", "null", "{}"));
    assertEquals("{\"a\":1,\"b\":[1,2]}\n\"s\"\n3\nnull\n{}\n", text);
    assertEquals(text, returned(), "write returns exactly the bytes it appended");
  }

  @Test
  void jsonlKeepsKeyOrderAndUnicode() throws Exception {
    String text = run(sink(Format.JSONL), jsons("{\"z\": \"\u00e9\u2713\", \"a\": \"\\n\", \"e\": \"\uD83D\uDE00\"}"));
    // Characters outside the BMP are written as UTF-8, as jq writes them, not as escapes.
    assertEquals("{\"z\":\"\u00e9\u2713\",\"a\":\"\\n\",\"e\":\"\uD83D\uDE00\"}\n", text);
    assertEquals("\uD83D\uDE00", json(text).get("e").textValue());
  }

  @Test
  void linesWritesStringsAsTheyAreAndOtherValuesAsJson() throws Exception {
    List<JsonNode> records = List.of(TextNode.valueOf("plain"), TextNode.valueOf("say \"hi\" \u00e9"),
        TextNode.valueOf(""), json("{\"a\": 1}"), json("42"), json("[\"x\"]"));
    String text = run(sink(Format.LINES), records);
    assertEquals("plain\nsay \"hi\" \u00e9\n\n{\"a\":1}\n42\n[\"x\"]\n", text);
    assertEquals(text, returned());
  }

  @Test
  void linesRejectsAStringWithALineBreakRatherThanWriteItAsTwoRecords() throws Exception {
    for (String broken : List.of("a\nb", "a\r\nb", "end\n")) {
      FormatSink sink = sink(Format.LINES);
      Encoded e = sink.encode(List.of(TextNode.valueOf("fine"), TextNode.valueOf(broken), json("{\"a\": 1}")));
      assertEquals(List.of(new Encoded.Rejected(1, "the record is a string with a line break, which format lines cannot"
          + " write as one line: use format jsonl, or replace the breaks (jq: gsub(\"\\n\"; \" \"))")), e.rejected());
      assertEquals("fine\n{\"a\":1}\n", new String(e.bytes(), StandardCharsets.UTF_8), "the other records are written");
      assertEquals(2, e.records());
    }
  }

  @Test
  void linesWritesACarriageReturnInsideAStringAsTheLinesSourceReadsItButNotOneAtItsEnd() throws Exception {
    FormatSink sink = sink(Format.LINES);
    Encoded e = sink.encode(List.of(TextNode.valueOf("a\rb"), TextNode.valueOf("end\r"), TextNode.valueOf("\r")));
    assertEquals("a\rb\n", new String(e.bytes(), StandardCharsets.UTF_8), "as jq -r writes it");
    String why = "the record is a string that ends with a carriage return (\\r), which format lines would write as a"
        + " CRLF line end, read back without it: use format jsonl, or take it off (jq: rtrimstr(\"\\r\"))";
    assertEquals(List.of(new Encoded.Rejected(1, why), new Encoded.Rejected(2, why)), e.rejected());
    // Read back, the line is the string again.
    java.nio.file.Path in = IoTesting.write(IoTesting.unixFs().getPath("/w/in.txt"), e.bytes());
    assertEquals(List.of(TextNode.valueOf("a\rb")),
        IoTesting.readAll(IoTesting.factory().openSource(IoTesting.spec("type", "file", "path", "in.txt", "format",
            "lines"), in.getParent()), 10).records());
  }

  /** A value nested {@code depth} levels deep: arrays around {@code 1}. */
  private static JsonNode nested(int depth) {
    JsonNode v = json("1");
    for (int i = 0; i < depth; i++) v = Json.mapper().createArrayNode().add(v);
    return v;
  }

  @Test
  void jsonFormatsRejectARecordNestedDeeperThanWizReadsAndWriteTheRest() throws Exception {
    JsonNode deepest = json("{}").deepCopy();
    ((ObjectNode) deepest).set("v", nested(999)); // 1000 levels with the object: as deep as wiz reads
    JsonNode tooDeep = nested(1001);
    JsonNode deepInside = json("{\"a\": 1}").deepCopy();
    ((ObjectNode) deepInside).set("b", nested(1000));
    List<JsonNode> chunk = List.of(json("{\"i\": 1}"), tooDeep, deepest, deepInside, json("\"s\""));
    String reason = "the record is nested more than 1000 levels deep: wiz writes at most 1000 levels of arrays and"
        + " objects, as many as it reads; flatten it (jq: tojson makes a string of it)";
    List<Encoded.Rejected> rejected = List.of(new Encoded.Rejected(1, reason), new Encoded.Rejected(3, reason));
    String deepText = Json.mapper().writeValueAsString(deepest);
    for (Format f : List.of(Format.JSONL, Format.LINES)) {
      Encoded e = sink(f).encode(chunk);
      assertEquals(rejected, e.rejected(), f.toString());
      assertEquals(3, e.records());
      String last = f == Format.LINES ? "s" : "\"s\"";
      assertEquals("{\"i\":1}\n" + deepText + "\n" + last + "\n", new String(e.bytes(), StandardCharsets.UTF_8), f.toString());
    }
    // format json puts every record in an array, one level more: a record of 1000 levels is one too many
    String inArray = "the record is nested more than 999 levels deep, and format json puts it in an array: wiz writes"
        + " at most 1000 levels of arrays and objects, as many as it reads; flatten it (jq: tojson makes a string of"
        + " it), or use format jsonl";
    Encoded json = sink(Format.JSON).encode(chunk);
    assertEquals(List.of(new Encoded.Rejected(1, inArray), new Encoded.Rejected(2, inArray), new Encoded.Rejected(3, inArray)),
        json.rejected());
    assertEquals("{\"i\":1},\n\"s\"", new String(json.bytes(), StandardCharsets.UTF_8));
    for (List<JsonNode> c : List.of(List.of(tooDeep, json("2")), List.of(json("2"), tooDeep))) {
      Encoded e = sink(Format.JSON).encode(c);
      assertEquals("2", new String(e.bytes(), StandardCharsets.UTF_8), "no separator is left behind");
    }
    JsonNode deepestInArray = nested(999);
    String text = run(sink(Format.JSON), List.of(json("1"), deepestInArray));
    assertEquals(Json.mapper().createArrayNode().add(json("1")).add(deepestInArray), json(text),
        "what it writes, wiz reads back: 999 levels and the array");
    assertEquals(deepest, json(deepText), "what it writes, wiz reads back");
  }

  @Test
  void jsonWritesOneValidArrayAcrossSeveralChunks() throws Exception {
    String text = run(sink(Format.JSON), List.of(), jsons("{\"a\": 1}", "[1]"), List.of(), jsons("\"s\""), jsons("null"));
    assertEquals("[\n{\"a\":1},\n[1],\n\"s\",\nnull\n]\n", text);
    assertEquals(Json.mapper().createArrayNode().addAll(jsons("{\"a\":1}", "[1]", "\"s\"", "null")), json(text));
    assertEquals("[\n{\"a\":1},\n[1],\n\"s\",\nnull", returned(), "the closing bracket comes from complete()");
  }

  @Test
  void jsonWithNoRecordsIsAnEmptyArray() throws Exception {
    assertEquals("[]\n", run(sink(Format.JSON)));
    out.reset();
    assertEquals("[]\n", run(sink(Format.JSON), List.of(), List.of()));
    assertEquals(0, returned.size());
  }

  @Test
  void csvTakesItsHeaderFromTheFirstRecordAndWritesItOnce() throws Exception {
    String text = run(sink(Format.CSV), List.of(), jsons("{\"id\": 1, \"name\": \"ann\"}"), jsons("{\"id\": 2, \"name\": \"bob\"}", "{\"name\": \"cy\"}"));
    assertEquals("id,name\n1,ann\n2,bob\n,cy\n", text);
    assertEquals(text, returned());
  }

  @Test
  void csvEncodingIsDeferredToTheWriter() throws Exception {
    FormatSink sink = sink(Format.CSV);
    Encoded e = sink.encode(jsons("{\"a\": 1}"));
    assertNull(e.bytes());
    assertEquals(jsons("{\"a\": 1}"), e.deferred());
    assertEquals(0, out.size());
  }

  @Test
  void csvQuotesDelimitersQuotesAndLineBreaks() throws Exception {
    String text = run(sink(Format.CSV), jsons("{\"a,b\": \"x, y\", \"q\": \"say \\\"hi\\\"\", \"nl\": \"l1\\nl2\", \"p\": \"plain\"}"));
    assertEquals("\"a,b\",q,nl,p\n\"x, y\",\"say \"\"hi\"\"\",\"l1\nl2\",plain\n", text);
  }

  @Test
  void csvColumnsSetTheOrderAndMissingFieldsAreEmpty() throws Exception {
    String text = run(sink(Format.CSV, ',', List.of("b", "a", "c")), jsons("{\"a\": 1, \"b\": 2}", "{\"c\": 3}", "{}"));
    assertEquals("b,a,c\n2,1,\n,,3\n,,\n", text);
  }

  @Test
  void namedColumnsAreTheOutputsShapeOtherKeysAreLeftOut() throws Exception {
    String text = run(sink(Format.CSV, ',', List.of("id", "name")),
        jsons("{\"id\": 1, \"name\": \"ann\", \"debug\": true}", "{\"extra\": {\"k\": 1}, \"id\": 2}"));
    assertEquals("id,name\n1,ann\n2,\n", text);
  }

  @Test
  void namedColumnsGiveAHeaderEvenWithNoRecordsAndFirstRecordColumnsNothing() throws Exception {
    assertEquals("id,\"a,b\"\n", run(sink(Format.CSV, ',', List.of("id", "a,b")), List.of()));
    out.reset();
    assertEquals("", run(sink(Format.CSV), List.of()), "no record, no columns to name");
  }

  @Test
  void csvWritesScalarsAsTextNullAsEmptyAndNestedValuesAsJson() throws Exception {
    String text = run(sink(Format.CSV), jsons("{\"n\": 1.5, \"t\": true, \"z\": null, \"o\": {\"k\": [1]}}"));
    assertEquals("n,t,z,o\n1.5,true,,\"{\"\"k\"\":[1]}\"\n", text);
  }

  /** Numbers as read keep their text; numbers computed (plain doubles) are written as jq 1.6 writes them. */
  private static List<JsonNode> numbers() {
    ObjectNode computed = Json.mapper().createObjectNode().put("three", 3.0).put("big", 1e19).put("tiny", 1e-7)
        .put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY).put("neg", -0.0);
    return List.of(json("{\"a\": 1e10, \"b\": 1.5e3, \"c\": 100e-2, \"d\": 41.0, \"e\": -0, \"f\": 5e-324, \"g\": 1E+400,"
        + " \"h\": 41.37, \"i\": [1.10, {\"j\": 1e2}]}"), computed);
  }

  @Test
  void everyFormatWritesNumbersAsReadOrAsJqWouldWriteThem() throws Exception {
    String read = "{\"a\":1e10,\"b\":1.5e3,\"c\":100e-2,\"d\":41.0,\"e\":-0,\"f\":5e-324,\"g\":1E+400,\"h\":41.37,"
        + "\"i\":[1.10,{\"j\":1e2}]}";
    String computed = "{\"three\":3,\"big\":1e+19,\"tiny\":1e-07,\"nan\":null,\"inf\":1.7976931348623157e+308,\"neg\":-0}";
    assertEquals(read + "\n" + computed + "\n", run(sink(Format.JSONL), numbers()));
    out.reset();
    assertEquals("[\n" + read + ",\n" + computed + "\n]\n", run(sink(Format.JSON), numbers()));
    out.reset();
    assertEquals(read + "\n" + computed + "\n", run(sink(Format.LINES), numbers()));
    out.reset();
    assertEquals("a,b,c,d,e,f,g,h,i\n1e10,1.5e3,100e-2,41.0,-0,5e-324,1E+400,41.37,\"[1.10,{\"\"j\"\":1e2}]\"\n",
        run(sink(Format.CSV), numbers().subList(0, 1)));
    out.reset();
    assertEquals("three,big,tiny,nan,inf,neg\n3,1e+19,1e-07,,1.7976931348623157e+308,-0\n",
        run(sink(Format.CSV), numbers().subList(1, 2)));
  }

  @Test
  void csvUsesTheDelimiter() throws Exception {
    String text = run(sink(Format.CSV, ';', null), jsons("{\"a\": \"plain\", \"b\": \"x;y\"}"));
    assertEquals("a;b\nplain;\"x;y\"\n", text);
  }

  @Test
  void csvRejectsAnEmptyKeyRatherThanWriteAHeaderColumnWithoutAName() throws Exception {
    // wiz's csv source refuses a header column without a name: the file would not read back.
    FormatSink sink = sink(Format.CSV);
    String reason = "the record {\"\":1,\"x\":2} has an empty key, which cannot name a CSV column (a header"
        + " column without a name, which wiz's csv source refuses): rename it (jq: with_entries(.key |= if . == \"\""
        + " then \"_\" else . end)), or list the columns in the sink's columns";
    Encoded e = sink.ordered(sink.encode(jsons("{\"\": 1, \"x\": 2}", "{\"x\": 3}", "{\"\": 1, \"x\": 2}")));
    assertEquals(List.of(new Encoded.Rejected(0, reason), new Encoded.Rejected(2, reason)), e.rejected());
    assertEquals("x\n3\n", new String(sink.write(e), StandardCharsets.UTF_8));

    FormatSink first = sink(Format.CSV);
    Encoded only = first.ordered(first.encode(jsons("{\"\": 1, \"x\": 2}")));
    assertEquals(List.of(new Encoded.Rejected(0, reason)), only.rejected(), "also before any record made the columns");

    FormatSink named = sink(Format.CSV, ',', List.of("x"));
    Encoded kept = named.ordered(named.encode(jsons("{\"\": 1, \"x\": 2}")));
    assertEquals(List.of(), kept.rejected(), "named columns leave other keys out");
  }

  @Test
  void csvRejectsAFieldThatIsNotAColumnAndANonObjectAndWritesTheRest() throws Exception {
    FormatSink sink = sink(Format.CSV);
    // The columns come from the first object, the header goes before the first row written.
    Encoded first = sink.ordered(sink.encode(jsons("[1, 2]", "{\"a\": 1}", "{\"a\": 2, \"b\": 3}", "{\"a\": 4}")));
    assertEquals(List.of(
        new Encoded.Rejected(0, "a CSV row must be an object, got array [1,2]: make it an object (jq: {value: .})"),
        new Encoded.Rejected(2, "the record {\"a\":2,\"b\":3} has a field 'b' that is not among the CSV columns [a],"
            + " which came from the first record: list the columns in the sink's columns (keys not listed there are"
            + " left out)")), first.rejected());
    assertEquals(2, first.records());
    returned.writeBytes(sink.write(first));
    Encoded second = sink.ordered(sink.encode(jsons("\"s\"", "{\"a\": 5}")));
    assertEquals(1, second.rejected().size());
    returned.writeBytes(sink.write(second));
    assertEquals("a\n1\n4\n5\n", returned());

    FormatSink none = sink(Format.CSV);
    Encoded rejectedAll = none.ordered(none.encode(jsons("[1]", "null")));
    assertEquals(0, rejectedAll.records());
    assertEquals(0, none.write(rejectedAll).length);
    Encoded later = none.ordered(none.encode(jsons("{\"x\": 1}")));
    assertEquals("x\n1\n", new String(none.write(later), StandardCharsets.UTF_8), "the header comes with the first row written");
  }

  @Test
  void csvTakesItsColumnsFromTheFirstRecordWithKeys() throws Exception {
    FormatSink sink = sink(Format.CSV);
    Encoded first = sink.ordered(sink.encode(jsons("{}")));
    assertEquals(List.of(new Encoded.Rejected(0, "the record {} has no fields, and no record before it had any to make"
        + " the CSV columns of: list the columns in the sink's columns")), first.rejected());
    returned.writeBytes(sink.write(first));
    Encoded second = sink.ordered(sink.encode(jsons("{}", "{\"a\": 1, \"b\": 2}", "{}")));
    assertEquals(List.of(new Encoded.Rejected(0, "the record {} has no fields, and no record before it had any to make"
        + " the CSV columns of: list the columns in the sink's columns")), second.rejected(),
        "a {} before the first record with keys is refused in that record's chunk too, as when it is alone in one");
    returned.writeBytes(sink.write(second));
    assertEquals("a,b\n1,2\n,\n", returned(), "once there are columns, {} is a row of empty cells");
  }

  /**
   * Every format, on inputs mixing records each can or cannot write (seeded, so a failure is found
   * again): the bytes written and the records refused, by their place in the stream, are the same
   * whatever the chunks are.
   */
  @Test
  void whatASinkWritesAndRefusesDoesNotDependOnTheChunks() throws Exception {
    List<JsonNode> kinds = jsons("{}", "[1]", "{\"a\": 1}", "{\"b\": 2}", "{\"a\": 3, \"b\": 4}", "{\"\": 5}",
        "\"s\"", "\"x\\ny\"", "null");
    java.util.Random random = new java.util.Random(42);
    for (int input = 0; input < 100; input++) {
      List<JsonNode> records = new ArrayList<>();
      for (int i = random.nextInt(8); i > 0; i--) records.add(kinds.get(random.nextInt(kinds.size())));
      for (Format format : Format.values()) {
        List<List<String>> columnsOrNot = new ArrayList<>();
        columnsOrNot.add(null);
        if (format == Format.CSV) columnsOrNot.add(List.of("a", "b"));
        for (List<String> columns : columnsOrNot) {
          String whole = writtenInChunks(format, columns, records, 1000);
          for (int size : new int[] {1, 2, 3}) {
            assertEquals(whole, writtenInChunks(format, columns, records, size),
                format + " " + columns + " of " + records + " in chunks of " + size);
          }
        }
      }
    }
  }

  /** The output of a sink given the records in chunks of {@code size}, then the records it refused, by index. */
  private static String writtenInChunks(Format format, List<String> columns, List<JsonNode> records, int size)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FormatSink sink = new FormatSink(format, new Target.Stdout(bytes), ',', columns);
    List<Integer> refused = new ArrayList<>();
    for (int from = 0; from < records.size(); from += size) {
      Encoded e = sink.ordered(sink.encode(records.subList(from, Math.min(records.size(), from + size))));
      for (Encoded.Rejected r : e.rejected()) refused.add(from + r.index());
      sink.write(e);
    }
    sink.complete();
    return bytes.toString(StandardCharsets.UTF_8) + "refused " + refused;
  }

  @Test
  void csvWritesADeepValueAsJsonTextInItsCell() throws Exception {
    JsonNode r = json("{}").deepCopy();
    ((ObjectNode) r).set("v", nested(1500));
    FormatSink sink = sink(Format.CSV);
    Encoded e = sink.ordered(sink.encode(List.of(r)));
    assertEquals(List.of(), e.rejected(), "a cell is text, read back as a string whatever it holds");
    assertTrue(new String(e.bytes(), StandardCharsets.UTF_8).startsWith("v\n[[[["), "no delimiter, quote or line break: no quotes");
  }

  @Test
  void encodingOnSeveralThreadsGivesTheSameBytesAsOneThread() throws Exception {
    List<List<JsonNode>> chunks = new ArrayList<>();
    for (int c = 0; c < 40; c++) {
      List<JsonNode> chunk = new ArrayList<>();
      for (int i = 0; i < 50; i++) chunk.add(json("{\"c\": " + c + ", \"i\": " + i + ", \"s\": \"\u00e9\"}"));
      chunks.add(chunk);
    }
    for (Format f : List.of(Format.JSONL, Format.JSON, Format.LINES)) {
      FormatSink one = sink(f);
      List<byte[]> sequential = new ArrayList<>();
      for (List<JsonNode> chunk : chunks) sequential.add(one.encode(chunk).bytes());
      FormatSink many = sink(f);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Encoded>> futures = new ArrayList<>();
        for (List<JsonNode> chunk : chunks) futures.add(pool.submit(() -> many.encode(chunk)));
        for (int i = 0; i < chunks.size(); i++) assertArrayEquals(sequential.get(i), futures.get(i).get().bytes(), f + " chunk " + i);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  // Round trips through real files on jimfs: encode with the sink, decode with the source.

  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  private List<JsonNode> roundTrip(String format, List<JsonNode> records, int chunk) throws IOException {
    IoFactory io = IoTesting.factory();
    try (Sink sink = io.openSink(spec("type", "file", "path", "out/r." + format, "format", format), base, "run1")) {
      for (int i = 0; i < records.size(); i += chunk) {
        sink.write(sink.ordered(sink.encode(records.subList(i, Math.min(records.size(), i + chunk)))));
      }
      assertEquals("/work/p/out/r." + format, sink.complete());
    }
    return readAll(io.openSource(spec("type", "file", "path", "out/r." + format, "format", format), base), 3).records();
  }

  @Test
  void aFullDiskIsSaidToBeFullNamingTheTemporaryFileAndKeepsWhatWasCommitted() throws IOException {
    try (FileSystem small = com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.unix()
        .toBuilder().setBlockSize(1024).setMaxSize(16 * 1024).build())) {
      Path dir = small.getPath("/work");
      List<JsonNode> chunk = jsons("{\"pad\": \"" + "x".repeat(1000) + "\"}", "{\"pad\": \"" + "y".repeat(1000) + "\"}");
      Sink sink = IoTesting.factory().openSink(spec("type", "file", "path", "out.jsonl"), dir, "run1");
      Path temp = small.getPath("/work/.out.jsonl.run1.tmp");
      sink.write(sink.ordered(sink.encode(chunk)));
      sink.commit();
      long committed = Files.size(temp);
      DiskFullException full = assertThrows(DiskFullException.class, () -> {
        for (int i = 0; i < 20; i++) {
          sink.write(sink.ordered(sink.encode(chunk)));
          sink.commit();
        }
      });
      assertEquals(temp.toString(), full.getFile());
      assertEquals("out of disk space", full.systemReason());
      assertTrue(DiskFullException.is(full));
      sink.suspend();
      assertTrue(Files.size(temp) >= committed, "what was committed is kept for --resume");
      assertFalse(Files.exists(dir.resolve("out.jsonl")), "the target is left as it was");
    }
  }

  @Test
  void onlyAFullDiskIsTakenForOne() {
    assertTrue(DiskFullException.is(new IOException("No space left on device")));
    assertTrue(DiskFullException.is(new IOException("Disk quota exceeded")));
    assertTrue(DiskFullException.is(new java.io.UncheckedIOException(new IOException("No space left on device"))));
    assertFalse(DiskFullException.is(new java.nio.file.AccessDeniedException("/out/o.jsonl")));
    assertFalse(DiskFullException.is(new IOException("Read-only file system")));
    IOException other = new IOException("Input/output error");
    assertTrue(DiskFullException.naming(Path.of("/x"), other) == other, "any other error is left as it is");
  }

  private static List<JsonNode> mixedRecords() {
    return jsons("{\"a\": 1, \"b\": [1, {\"c\": null}]}", "{}", "[]", "\"s \u00e9 \uD83D\uDE00\"", "-1.5e3", "true",
        "null", "{\"nl\": \"x\\ny\\r\\n\", \"q\": \"\\\"\", \"tab\": \"\\t\"}", "{\"z\": 1, \"a\": 2}");
  }

  @Test
  void jsonlRoundTrips() throws Exception {
    assertEquals(mixedRecords(), roundTrip("jsonl", mixedRecords(), 2));
  }

  @Test
  void jsonRoundTrips() throws Exception {
    assertEquals(mixedRecords(), roundTrip("json", mixedRecords(), 4));
    assertEquals(List.of(), roundTrip("json", List.of(), 4));
  }

  @Test
  void linesRoundTrips() throws Exception {
    List<JsonNode> texts = List.of(TextNode.valueOf("one"), TextNode.valueOf(""), TextNode.valueOf("  spaced  "),
        TextNode.valueOf("{\"looks\": \"like json\"}"), TextNode.valueOf("\u65e5\u672c \uD83D\uDE00"));
    assertEquals(texts, roundTrip("lines", texts, 2));
  }

  @Test
  void csvRoundTrips() throws Exception {
    List<JsonNode> rows = jsons(
        "{\"id\": \"1\", \"text\": \"plain\", \"empty\": \"\"}",
        "{\"id\": \"2\", \"text\": \"comma, and \\\"quotes\\\"\", \"empty\": \"\"}",
        "{\"id\": \"3\", \"text\": \"two\\nlines\", \"empty\": \"\"}",
        "{\"id\": \"4\", \"text\": \" spaced \", \"empty\": \"\"}",
        "{\"id\": \"5\", \"text\": \"\u00e9l\u00e8ve \u6771\u4eac\", \"empty\": \"\"}");
    assertEquals(rows, roundTrip("csv", rows, 2));
  }

  /** Delimiters a pipeline may choose, the usual ones and odd ones (a letter, a digit, a space, a non-ASCII one). */
  static final String DELIMITERS = ",;|\t :#'\\a0\u00e9\u00a0\u00a7";

  /** Values a CSV writer gets wrong when it quotes too little. */
  static final List<String> TRICKY = List.of("plain", "", " lead", "trail ", "  ", "a,b", "x;y", "p|q", "t\tab",
      "say \"hi\"", "\"start", "end\"", "l1\nl2", "cr\rhere", "crlf\r\n", "\uFEFFbom", "#hash", "1e+19", "-0",
      "2.5", "caf\u00e9", "\ud83d\ude00", "'single'", "back\\slash", "a:b", "nb\u00a0sp", "\u00a7", "a", "0", "=1+2");

  @Test
  void csvQuotesOnlyWhatTheDelimiterQuoteOrALineBreakNeedsWhateverTheDelimiter() throws Exception {
    String[] expected = {"id;name;amount;big\n7;ann;2.5;1e+19\n", "id|name|amount|big\n7|ann|2.5|1e+19\n",
        "id,name,amount,big\n7,ann,2.5,1e+19\n", "id\tname\tamount\tbig\n7\tann\t2.5\t1e+19\n"};
    char[] delimiters = {';', '|', ',', '\t'};
    for (int i = 0; i < delimiters.length; i++) {
      out.reset();
      assertEquals(expected[i], run(sink(Format.CSV, delimiters[i], null),
          jsons("{\"id\":7,\"name\":\"ann\",\"amount\":2.5,\"big\":1e+19}")), "delimiter " + delimiters[i]);
    }
    out.reset();
    assertEquals("a b\n\"x y\" \"\"\"q\"\"\"\n", run(sink(Format.CSV, ' ', null), jsons("{\"a\":\"x y\",\"b\":\"\\\"q\\\"\"}")));
  }

  @Test
  void csvReadsBackAsWrittenForEveryDelimiterAndTrickyValue() throws Exception {
    for (char d : DELIMITERS.toCharArray()) {
      ObjectNode record = Json.mapper().createObjectNode();
      for (int i = 0; i < TRICKY.size(); i++) {
        record.put(i + TRICKY.get(i), TRICKY.get(i)); // every value as a header name too, made unique
      }
      ObjectNode oneColumn = Json.mapper().createObjectNode().put(String.valueOf(d), "");
      assertEquals(List.of(record, record), writeAndRead(d, List.of(record, record)), "delimiter " + d);
      assertEquals(List.of(oneColumn, oneColumn), writeAndRead(d, List.of(oneColumn, oneColumn)), "one column, " + d);
    }
  }

  /** The records written by a csv sink with the delimiter, read back by the csv source. */
  private List<JsonNode> writeAndRead(char delimiter, List<JsonNode> records) throws IOException {
    out.reset();
    String text = run(sink(Format.CSV, delimiter, null), records);
    FileSystem fs = IoTesting.unixFs();
    Path base = fs.getPath("/work/p");
    IoTesting.write(base.resolve("out.csv"), text);
    var spec = spec("type", "file", "path", "out.csv", "format", "csv", "delimiter", String.valueOf(delimiter));
    IoTesting.Read r = readAll(IoTesting.factory().openSource(spec, base), 100);
    assertEquals(List.of(), r.errorPlaces(), text);
    return r.records();
  }
}

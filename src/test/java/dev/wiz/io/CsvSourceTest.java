package dev.wiz.io;

import static dev.wiz.io.IoTesting.factory;
import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code csv}: a header row, then one object of strings per row. */
class CsvSourceTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  private Source open(byte[] content, String... extra) throws IOException {
    write(base.resolve("in.csv"), content);
    var spec = spec("type", "file", "path", "in.csv", "format", "csv");
    spec.setAll(spec(extra));
    return factory().openSource(spec, base);
  }

  private Source open(String content, String... extra) throws IOException {
    return open(content.getBytes(StandardCharsets.UTF_8), extra);
  }

  @Test
  void eachRowIsAnObjectOfStringsInHeaderOrder() throws Exception {
    IoTesting.Read r = readAll(open("id,name,n\n1,ann,10\n2,bob,20\n3,cy,30\n"), 2);
    assertEquals(jsons("{\"id\":\"1\",\"name\":\"ann\",\"n\":\"10\"}", "{\"id\":\"2\",\"name\":\"bob\",\"n\":\"20\"}",
        "{\"id\":\"3\",\"name\":\"cy\",\"n\":\"30\"}"), r.records());
    assertEquals(List.of("id", "name", "n"), fieldNames(r.records().get(0)));
    assertEquals(List.of("in.csv:2-3/2", "in.csv:4-4/1"), r.spans());
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> names = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void quotedFieldsKeepCommasQuotesAndLineBreaks() throws Exception {
    String text = "a,b\n"
        + "\"x, y\",\"say \"\"hi\"\"\"\n"
        + "\"line one\nline two\nline three\",plain\n"
        + "last,row\n";
    IoTesting.Read r = readAll(open(text), 1);
    assertEquals(jsons("{\"a\":\"x, y\",\"b\":\"say \\\"hi\\\"\"}",
        "{\"a\":\"line one\\nline two\\nline three\",\"b\":\"plain\"}",
        "{\"a\":\"last\",\"b\":\"row\"}"), r.records());
    assertEquals(List.of("in.csv:2-2/1", "in.csv:3-5/1", "in.csv:6-6/1"), r.spans(), "a row ends where its quoted line breaks do");
  }

  @Test
  void errorLinesCountTheLinesInsideQuotedFields() throws Exception {
    String text = "a,b\n"
        + "\"multi\nline\",1\n"
        + "too,many,fields\n"
        + "ok,2\n"
        + "\"again\n\nthree\",3\n"
        + "x,y,z\n";
    IoTesting.Read r = readAll(open(text), 10);
    assertEquals(List.of("in.csv:4", "in.csv:9"), r.errorPlaces());
    RecordError e = r.errors().get(0);
    assertEquals("too,many,fields", e.raw());
    assertTrue(e.message().contains("3 fields") && e.message().contains("2"), e.message());
    assertEquals(3, r.records().size());
  }

  @Test
  void eachRecordKnowsTheLineItsRowStartsOnPastQuotedLineBreaksAndErrors() throws Exception {
    String text = "a,b\n"
        + "\"multi\nline\",1\n"
        + "too,many,fields\n"
        + "\n"
        + "ok,2\n"
        + "\"again\n\nthree\",3\n"
        + "last,4";
    assertEquals(List.of("in.csv:2", "in.csv:6", "in.csv:7", "in.csv:10"), readAll(open(text), 10).recordPlaces());
    assertEquals(List.of("in.csv:2", "in.csv:6", "in.csv:7", "in.csv:10"), readAll(open(text), 1).recordPlaces(),
        "the same in batches of one row");
  }

  @Test
  void aChunkEndsOnTheLineItsLastRowEndsOn() throws Exception {
    IoTesting.Read r = readAll(open("id,note\n1,plain\n2,\"multi\nline\nnote\"\n3,x\n4,\"a,b\"\n5,\"y\nz\""), 2);
    assertEquals(List.of("in.csv:2-5/2", "in.csv:6-7/2", "in.csv:8-9/1"), r.spans());
  }

  @Test
  void textAfterAClosingQuoteIsAnErrorWithTheRowsTextItsColumnAndTheFixAndReadingGoesOn() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n0,good\n2,\"bo\"b\n3,\"a\"\"b\"c,x\n4,fine\n"), 2);
    assertEquals(List.of("in.csv:3:7", "in.csv:4:9"), r.errors().stream().map(RecordError::place).toList());
    assertEquals(List.of("2,\"bo\"b", "3,\"a\"\"b\"c,x"), r.errors().stream().map(RecordError::raw).toList(),
        "the row's text, as it is in the file");
    assertEquals("text after the closing quote: a field that holds a quote must be quoted as a whole, with each quote in"
        + " it doubled: \"bo\"\"b\"", r.errors().get(0).message());
    assertTrue(r.errors().get(1).message().endsWith(": \"a\"\"b\"\"c\""), r.errors().get(1).message());
    assertEquals(jsons("{\"a\":\"0\",\"b\":\"good\"}", "{\"a\":\"4\",\"b\":\"fine\"}"), r.records(),
        "the rows after it are read");
    assertEquals(List.of("in.csv:2-3/2", "in.csv:4-5/2"), r.spans());
  }

  @Test
  void aProblemOnALaterLineOfARowIsNamedByLineAndColumnInTheMessage() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n\"x\ny\",\"p\nq\"r\n1,2\n"), 10);
    assertEquals(List.of("in.csv:2"), r.errors().stream().map(RecordError::place).toList());
    assertTrue(r.errors().get(0).message().startsWith("text after the closing quote (line 4, column 3): "),
        r.errors().get(0).message());
    assertEquals("\"x\ny\",\"p\nq\"r", r.errors().get(0).raw());
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}"), r.records());
  }

  @Test
  void aByteThatIsNotUtf8IsARecordErrorAtItsColumnAndReadingGoesOn() throws Exception {
    // A Latin-1 export: é is the byte 0xE9.
    IoTesting.Read r = readAll(open(new byte[] {'i', 'd', ',', 'n', '\n', '1', ',', 'c', 'a', 'f', (byte) 0xE9, '\n',
        '2', ',', 'b', 'o', 'b', '\n'}), 10);
    assertEquals(jsons("{\"id\":\"2\",\"n\":\"bob\"}"), r.records());
    RecordError e = r.errors().get(0);
    assertEquals("in.csv:2:6", e.place());
    assertEquals("a byte that is not UTF-8 (0xE9): wiz reads CSV as UTF-8; convert the input (iconv -f LATIN1 -t UTF-8,"
        + " for one)", e.message());
    assertEquals("1,caf\uFFFD", e.raw(), "the row's text, the bad byte shown as U+FFFD");
  }

  @Test
  void aReplacementCharacterThatIsInTheFileIsText() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n\uFFFD,\"\uFFFD\"\"\"\n"), 10);
    assertEquals(jsons("{\"a\":\"\uFFFD\",\"b\":\"\uFFFD\\\"\"}"), r.records());
    assertEquals(List.of(), r.errors());
  }

  @Test
  void aCustomDelimiterSplitsFields() throws Exception {
    IoTesting.Read semi = readAll(open("a;b\n1,5;x\n\"p;q\";y\n", "delimiter", ";"), 10);
    assertEquals(jsons("{\"a\":\"1,5\",\"b\":\"x\"}", "{\"a\":\"p;q\",\"b\":\"y\"}"), semi.records());

    IoTesting.Read tab = readAll(open("a\tb\n1\t2\n", "delimiter", "\t"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}"), tab.records());

    IoTesting.Read extra = readAll(open("a;b\n1;2;3\n", "delimiter", ";"), 10);
    assertEquals("1;2;3", extra.errors().get(0).raw(), "the raw row is joined with the delimiter");
  }

  private Source openAllowingShortRows(String content) throws IOException {
    write(base.resolve("in.csv"), content);
    var spec = spec("type", "file", "path", "in.csv", "format", "csv");
    spec.put("allowShortRows", true);
    return factory().openSource(spec, base);
  }

  @Test
  void aRowWithFewerFieldsThanTheHeaderIsAnErrorAtItsLastFieldAndReadingGoesOn() throws Exception {
    IoTesting.Read r = readAll(open("a,b,c\n1\n2,\n3,4,5\n6,7,\n"), 10);
    assertEquals(jsons("{\"a\":\"3\",\"b\":\"4\",\"c\":\"5\"}", "{\"a\":\"6\",\"b\":\"7\",\"c\":\"\"}"), r.records(),
        "a trailing delimiter is an empty last field: 6,7, has three");
    assertEquals(List.of("in.csv:2:1", "in.csv:3:3"), r.errors().stream().map(RecordError::place).toList());
    assertEquals("row has 1 field but the header has 3: b and c are missing (is the row cut off?); set allowShortRows: "
        + "true on the source if rows may end early (missing fields are read as null)", r.errors().get(0).message());
    assertEquals("row has 2 fields but the header has 3: c is missing (is the row cut off?); set allowShortRows: "
        + "true on the source if rows may end early (missing fields are read as null)", r.errors().get(1).message());
    assertEquals(List.of("1", "2,"), r.errors().stream().map(RecordError::raw).toList());
    assertEquals(List.of("in.csv:2-5/4"), r.spans(), "every row counts, good or bad");
  }

  @Test
  void aFileCutOffInTheMiddleOfARowEndsWithAnErrorNotAPlausibleRecord() throws Exception {
    IoTesting.Read r = readAll(open("id,name,amount\n1,ann,10\n2,bo"), 10);
    assertEquals(jsons("{\"id\":\"1\",\"name\":\"ann\",\"amount\":\"10\"}"), r.records());
    RecordError e = r.errors().get(0);
    assertEquals("in.csv:3:3", e.place(), "the column of the last field there is, the one cut short");
    assertTrue(e.message().startsWith("row has 2 fields but the header has 3: amount is missing"), e.message());
    assertEquals("2,bo", e.raw());
  }

  @Test
  void aShortRowNamesAtMostFiveMissingColumns() throws Exception {
    IoTesting.Read r = readAll(open("a,b,c,d,e,f,g,h\n1,2\n"), 10);
    assertTrue(r.errors().get(0).message().startsWith(
        "row has 2 fields but the header has 8: c, d, e, f, g and 1 more are missing"), r.errors().get(0).message());
  }

  @Test
  void theColumnOfAMismatchIsLeftOutWhenItIsNotOnTheRowsFirstLine() throws Exception {
    IoTesting.Read r = readAll(open("a,b,c\n\"x\ny\",2\n\"p\nq\",r,s,t\n"), 10);
    assertEquals(List.of("in.csv:2", "in.csv:4"), r.errors().stream().map(RecordError::place).toList());
    // ... and the message names the line and column of the field instead.
    assertTrue(r.errors().get(0).message().endsWith("(missing fields are read as null) (its last field starts on line 3, "
        + "column 4)"), r.errors().get(0).message());
    assertEquals("row has 4 fields but the header has 3 (a, b, c): a field holding ',' must be in double quotes (the first "
        + "extra field starts on line 5, column 8)", r.errors().get(1).message());
  }

  @Test
  void withAllowShortRowsTheMissingFieldsAreNullAndLongRowsAreStillErrors() throws Exception {
    IoTesting.Read r = readAll(openAllowingShortRows("a,b,c\n1\n2,\n\n3,4,5,6\n7,8,9\n"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":null,\"c\":null}", "{\"a\":\"2\",\"b\":\"\",\"c\":null}",
        "{\"a\":\"7\",\"b\":\"8\",\"c\":\"9\"}"), r.records(), "a field there but empty stays \"\"; an empty line is no row");
    assertEquals(List.of("a", "b", "c"), fieldNames(r.records().get(0)), "every record has the header's keys, in order");
    assertEquals(List.of("in.csv:5:7"), r.errors().stream().map(RecordError::place).toList());
    assertEquals(List.of("in.csv:2", "in.csv:3", "in.csv:6"), r.recordPlaces());
  }

  @Test
  void extraFieldsAreAnErrorAtTheFirstExtraFieldAndReadingGoesOn() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n1,2\nSmith, John,3\n4,5\n"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"4\",\"b\":\"5\"}"), r.records());
    assertEquals(List.of("in.csv:3:13"), r.errors().stream().map(RecordError::place).toList());
    assertEquals("row has 3 fields but the header has 2 (a, b): a field holding ',' must be in double quotes",
        r.errors().get(0).message());
    assertEquals(List.of("in.csv:2-4/3"), r.spans());
  }

  @Test
  void anEmptyLineIsNoRowButAQuotedEmptyFieldIsAShortOne() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n\n\"\"\n\r\n1,2\n"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}"), r.records());
    assertEquals(List.of("in.csv:3:1"), r.errors().stream().map(RecordError::place).toList());
    assertEquals("\"\"", r.errors().get(0).raw(), "the row's text");
  }

  @Test
  void withOneColumnEveryLineIsARowAndAnEmptyLineAnEmptyValue() throws Exception {
    // That is how a one-column file writes an empty value, wiz's csv sink included.
    IoTesting.Read r = readAll(open("a\nx\n\n\"\"\ny\n"), 10);
    assertEquals(jsons("{\"a\":\"x\"}", "{\"a\":\"\"}", "{\"a\":\"\"}", "{\"a\":\"y\"}"), r.records());
    assertEquals(List.of(), r.errors());
  }

  @Test
  void aFieldOverTheReadLimitIsAnErrorInWizsWordsAndReadingGoesOn() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n1," + "x".repeat(30_000_000) + "\n2,3\n"), 10);
    assertEquals(jsons("{\"a\":\"2\",\"b\":\"3\"}"), r.records());
    assertEquals(List.of("in.csv:2"), r.errorPlaces());
    assertEquals("a field longer than the 20000000 characters wiz reads in one field", r.errors().get(0).message());
  }

  @Test
  void blankLinesAreSkippedAndLaterLinesStayExact() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n\n1,2\n\n\n3,4,5\n"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}"), r.records());
    assertEquals(List.of("in.csv:6"), r.errorPlaces());
  }

  @Test
  void crlfLineEndsAreNotPartOfTheLastField() throws Exception {
    IoTesting.Read r = readAll(open("a,b\r\n1,2\r\n\"q\r\nr\",3\r\n4,5,6\r\n"), 10);
    assertEquals("2", r.records().get(0).get("b").textValue());
    assertEquals("3", r.records().get(1).get("b").textValue());
    assertEquals(List.of("in.csv:5"), r.errorPlaces());
  }

  @Test
  void anEmptyFileOrAHeaderOnlyHasNoBatches() throws Exception {
    assertEquals(List.of(), readAll(open(""), 10).batches());
    assertEquals(List.of(), readAll(open("a,b\n"), 10).batches());
    assertEquals(List.of(), readAll(open("a,b"), 10).batches());
  }

  @Test
  void aLastRowWithoutLineEndIsARecord() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n1,2\n3,4"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"3\",\"b\":\"4\"}"), r.records());
    assertEquals(List.of("in.csv:2-3/2"), r.spans());
  }

  @Test
  void aBrokenHeaderIsAConfigError() throws Exception {
    IoConfigException dup = assertThrows(IoConfigException.class, () -> readAll(open("a,b,a\n1,2,3\n"), 10));
    assertEquals("in.csv:1: the CSV header names column 'a' twice", dup.getMessage());
    IoConfigException unnamed = assertThrows(IoConfigException.class, () -> readAll(open("a,,c\n1,2,3\n"), 10));
    assertEquals("in.csv:1: column 2 of the CSV header has no name", unnamed.getMessage());
    IoConfigException unreadable = assertThrows(IoConfigException.class, () -> readAll(open("\"a,b\n1,2\n"), 10));
    assertEquals("in.csv:1:1: cannot read the CSV header: the quote that opens this field is never closed: the input ends"
        + " inside it, on line 2; close the field with a quote, or write a quote that is part of the text as \"\"",
        unreadable.getMessage());
  }

  @Test
  void aQuoteNeverClosedIsAnErrorAtTheQuoteAndTheLinesAfterItAreReadAsRows() throws Exception {
    IoTesting.Read r = readAll(open("a,b\n1,2\n\"open,3\n4,5\n"), 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}", "{\"a\":\"4\",\"b\":\"5\"}"), r.records(),
        "one stray quote does not swallow the rest of the file");
    RecordError e = r.errors().get(0);
    assertEquals("in.csv:3:1", e.place(), "where the quote is, not the end of the file");
    assertEquals("the quote that opens this field is never closed: the input ends inside it, on line 4; close the field"
        + " with a quote, or write a quote that is part of the text as \"\" (the lines after line 3 are read as rows)",
        e.message());
    assertEquals("\"open,3", e.raw());
    assertEquals(List.of("in.csv:2-4/3"), r.spans());

    IoTesting.Read second = readAll(open("a,b\n1,2\n\n3,\"open\n4,5\n6,7"), 10);
    assertEquals(List.of("in.csv:4:3"), second.errors().stream().map(RecordError::place).toList());
    assertEquals("3,\"open", second.errors().get(0).raw());
    assertEquals(List.of("in.csv:2", "in.csv:5", "in.csv:6"), second.recordPlaces());

    IoTesting.Read later = readAll(open("a,b\n\"x\ny\",\"open\nz\n"), 10);
    assertEquals(List.of("in.csv:2", "in.csv:4:1"), later.errors().stream().map(RecordError::place).toList(),
        "z is a row of its own (a short one)");
    assertTrue(later.errors().get(0).message().startsWith("the quote (line 3, column 4) that opens this field is never"
        + " closed: the input ends inside it, on line 4;"), later.errors().get(0).message());
    assertEquals("\"x\ny\",\"open", later.errors().get(0).raw(), "the row up to the end of the quote's line");
    assertEquals(List.of("in.csv:2-4/2"), later.spans());
  }

  @Test
  void unicodeAndAByteOrderMarkAreRead() throws Exception {
    byte[] body = "name,city\n\u00e9l\u00e8ve,\u6771\u4eac \uD83D\uDE00\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    List<JsonNode> expected = jsons("{\"name\":\"\u00e9l\u00e8ve\",\"city\":\"\u6771\u4eac \uD83D\uDE00\"}");
    assertEquals(expected, readAll(open(body), 10).records());
    assertEquals(expected, readAll(open(withBom), 10).records());
  }

  @Test
  void eachFileHasItsOwnHeaderAndLines() throws Exception {
    write(base.resolve("d/1.csv"), "a,b\n1,2\n");
    write(base.resolve("d/2.csv"), "");
    write(base.resolve("d/3.csv"), "b,c\n\n3,4\n5,6,7\n");
    Source s = factory().openSource(spec("type", "file", "path", "d/*.csv", "format", "csv"), base);
    IoTesting.Read r = readAll(s, 10);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}", "{\"b\":\"3\",\"c\":\"4\"}"), r.records());
    assertEquals(List.of("d/3.csv:4"), r.errorPlaces());
    assertEquals("d/1.csv", r.batches().get(0).origin());
    assertEquals("d/3.csv", r.batches().get(1).origin());
  }
}

package dev.wiz.io;

import static dev.wiz.io.IoTesting.factory;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Syntax errors in {@code jsonl} and {@code json} inputs: each kind in wiz's words, at the column
 * an editor shows (characters, not bytes).
 */
class JsonErrorsTest {
  private static final String VALUES = "(true, false, null, a number, a string, an array or an object)";
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  /** The error of the second line of a jsonl file whose first line is good, as {@code line:column: message}. */
  private String jsonl(byte[] line) throws IOException {
    byte[] text = new byte[line.length + 9];
    System.arraycopy("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), 0, text, 0, 8);
    System.arraycopy(line, 0, text, 8, line.length);
    text[text.length - 1] = '\n';
    write(base.resolve("in.jsonl"), text);
    IoTesting.Read r = readAll(factory().openSource(spec("type", "file", "path", "in.jsonl", "format", "jsonl"), base), 10);
    assertEquals(1, r.records().size(), "the good line is read");
    assertEquals(1, r.errors().size(), "one error");
    RecordError e = r.errors().get(0);
    return e.place().substring("in.jsonl:".length()) + ": " + e.message();
  }

  private String jsonl(String line) throws IOException {
    return jsonl(line.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachKindOfSyntaxErrorIsNamedInWizsWordsAtItsColumn() throws Exception {
    assertEquals("2:8: expected a key in double quotes, found ','", jsonl("{\"a\":1,,\"b\":2}"));
    assertEquals("2:2: expected a key in double quotes, found 'a'", jsonl("{a:1}"));
    assertEquals("2:2: expected a key in double quotes, found \"'\" (JSON quotes keys with \", not ')", jsonl("{'a':1}"));
    assertEquals("2:6: expected ':' after the key, found '1'", jsonl("{\"a\" 1}"));
    assertEquals("2:8: expected ',' or '}' after a value in an object, found '\"'", jsonl("{\"a\":1 \"b\":2}"));
    assertEquals("2:4: expected ',' or ']' after an array element, found '2'", jsonl("[1 2]"));
    assertEquals("2:4: expected a JSON value " + VALUES + ", found ','", jsonl("[1,,2]"));
    assertEquals("2:2: expected a JSON value " + VALUES + ", found '.' (a number needs a digit before its point: 0.5)",
        jsonl("[.5]"));
    assertEquals("2:7: 'tru' is not a JSON value " + VALUES, jsonl("{\"a\": tru}"));
    assertEquals("2:2: 'True' is not a JSON value " + VALUES + "; JSON writes true in lower case", jsonl("[True]"));
    assertEquals("2:5: the line ends inside an array opened at column 1", jsonl("[1,2"));
    assertEquals("2:10: the line ends inside an array opened at column 6", jsonl("{\"a\":[1,2"));
    assertEquals("2:6: the line ends inside an object opened at column 1", jsonl("{\"a\":"));
    assertEquals("2:5: the line ends inside a string: its closing \" is missing", jsonl("\"abc"));
    assertEquals("2:5: the line ends inside a key: its closing \" is missing", jsonl("{\"ab"));
    assertEquals("2:5: '}' cannot close the array opened at column 1: it needs ']'", jsonl("[1,2}"));
    assertEquals("2:1: ']' closes nothing: no array is open there", jsonl("]"));
    assertEquals("2:3: a trailing comma before ']': JSON allows none, remove it", jsonl("[1,]"));
    assertEquals("2:7: a trailing comma before '}': JSON allows none, remove it", jsonl("{\"a\":1, }"));
    assertEquals("2:8: a tab (U+0009) inside a string: write it as \\t", jsonl("{\"a\":\"x\ty\"}"));
    assertEquals("2:3: a NUL character (U+0000) inside a string: write it as \\u0000", jsonl("[\"\u0000\"]"));
    assertEquals("2:3: '\\x' is not a JSON escape: in a string a backslash starts \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t "
        + "or \\u and four hex digits (write \\\\ for a backslash)", jsonl("[\"\\x\"]"));
    assertEquals("2:8: a \\u escape needs four hex digits (0-9, a-f), found '\"'", jsonl("[\"a\\u12\"]"));
    assertEquals("2:5: '/' where a JSON value should be: JSON has no comments", jsonl("[1, /* one */ 2]"));
  }

  @Test
  void numbersJsonDoesNotAllowAreNamedAtTheirFirstCharacter() throws Exception {
    assertEquals("2:2: NaN is not a JSON value: write null, or \"NaN\" as a string", jsonl("[NaN]"));
    assertEquals("2:6: -Infinity is not a JSON value: write null, or \"-Infinity\" as a string", jsonl("{\"a\":-Infinity}"));
    assertEquals("2:2: Infinity is not a JSON value: write null, or \"Infinity\" as a string", jsonl("[Infinity]"));
    assertEquals("2:2: '007' is not a JSON number: it cannot start with 0 followed by digits; write it without the zeros, "
        + "or as a string to keep them", jsonl("[007]"));
    assertEquals("2:6: '-01' is not a JSON number: it cannot start with 0 followed by digits; write it without the zeros, "
        + "or as a string to keep them", jsonl("{\"a\":-01}"));
    assertEquals("2:2: '1.' is not a JSON number: a decimal point needs a digit after it", jsonl("[1.]"));
    assertEquals("2:2: '1e' is not a JSON number: an exponent needs a digit after its e", jsonl("[1e]"));
    assertEquals("2:2: '+1' is not a JSON number: leave out the plus sign", jsonl("[+1]"));
    assertEquals("2:2: '-' is not a JSON number: a minus sign needs a digit after it", jsonl("[-]"));
  }

  @Test
  void aSecondValueOrOtherContentAfterTheLinesValueIsNamedWhereItStarts() throws Exception {
    assertEquals("2:9: a second value on the line after the first ends at column 7", jsonl("{\"a\":1} {\"b\":2}"));
    assertEquals("2:3: a second value on the line after the first ends at column 1", jsonl("1 2"));
    assertEquals("2:8: 'x' after the value that ends at column 7 (a line holds one JSON value)", jsonl("{\"a\":1}x"));
    assertEquals("2:4: 'x' after the value that ends at column 3 (a line holds one JSON value)", jsonl("123x"));
    assertEquals("2:7: ']' after the value that ends at column 5 (a line holds one JSON value)", jsonl("[1,2] ]"));
    assertEquals("2:8: 'NaN' after the value that ends at column 7 (a line holds one JSON value)", jsonl("{\"a\":1}NaN"));
    assertEquals("2:9: a second value on the line after the first ends at column 7", jsonl("{\"a\":1} \"x\ty\""));
  }

  /** A line whose one value is a bad scalar: what is wrong with it, not content after a value it never finished. */
  @Test
  void aLineThatIsOneBadScalarIsNamedForWhatIsWrongWithIt() throws Exception {
    assertEquals("2:1: NaN is not a JSON value: write null, or \"NaN\" as a string", jsonl("NaN"));
    assertEquals("2:1: Infinity is not a JSON value: write null, or \"Infinity\" as a string", jsonl("Infinity"));
    assertEquals("2:2: -Infinity is not a JSON value: write null, or \"-Infinity\" as a string", jsonl(" -Infinity"));
    assertEquals("2:3: a tab (U+0009) inside a string: write it as \\t", jsonl("\"a\tb\""));
    assertEquals("2:6: a tab (U+0009) inside a string: write it as \\t", jsonl("\"a\\\"b\tc\""));
    assertEquals("2:2: '\\x' is not a JSON escape: in a string a backslash starts \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t "
        + "or \\u and four hex digits (write \\\\ for a backslash)", jsonl("\"\\x\""));
    assertEquals("2:7: a \\u escape needs four hex digits (0-9, a-f), found '\"'", jsonl("\"a\\u12\""));
  }

  @Test
  void theColumnCountsCharactersNotBytes() throws Exception {
    // é is two bytes in UTF-8, the emoji four (and two UTF-16 units): each is one column.
    assertEquals("2:10: expected a key in double quotes, found ','", jsonl("{\"\u00fc\":\"\u00e9\",,}"));
    assertEquals("2:10: expected a key in double quotes, found ','", jsonl("{\"k\":\"\uD83D\uDE00\",,}"));
    assertEquals("2:8: 'tru' is not a JSON value " + VALUES, jsonl("{\"\u00e9\u00e9\": tru}"));
    assertEquals("2:10: the line ends inside an array opened at column 6", jsonl("{\"\u00e9\":[1,2"));
    assertEquals("2:6: a trailing comma before ']': JSON allows none, remove it", jsonl("[\"\u00e9\u00e9\",]"));
  }

  @Test
  void aCarriageReturnInsideAJsonlLineIsACharacterOfTheLineNotALineBreak() throws Exception {
    // A jsonl line ends only at \n: the column counts from its start, through a \r alone.
    assertEquals("2:14: expected ':' after the key, found 'x'", jsonl("{\"a\":1,\r \"b\" x}"));
    assertEquals("2:10: expected ',' or '}' after a value in an object, found 'x'", jsonl("{\"a\":\r 2 x}\r"));
    assertEquals("2:13: the line ends inside an array opened at column 9", jsonl("{\"a\":\r\r [1,2\r"));
    assertEquals("2:5: a trailing comma before ']': JSON allows none, remove it", jsonl("[\"\u00e9\",\r\r\r\r\r]"));
    assertEquals("2:6: a second value on the line after the first ends at column 3", jsonl("[1]\r\r2"));
    // A CRLF line end is no character of the line; characters beyond U+FFFF count one each.
    assertEquals("2:10: expected ',' or '}' after a value in an object, found 'x'", jsonl("{\"\u00e9\uD83D\uDE00\": 1 x}\r"));
    assertEquals("2:10: expected a key in double quotes, found ','", jsonl("{\"k\":\"\uD83D\uDE00\",,}\r"));
    JsonErrors.Problem p = JsonErrors.ofText("{\"a\":\r 2 x}", new IOException("x"), true);
    assertEquals(10, p.column(), "a line a program wrote counts the same way");
  }

  @Test
  void bytesThatAreNotUtf8AndCharactersOutsideAsciiOutsideStringsAreNamed() throws Exception {
    String latin1 = "a byte that is not UTF-8 (0xE9): wiz reads JSON as UTF-8; convert the input (iconv -f LATIN1 -t UTF-8, for one)";
    assertEquals("2:4: " + latin1, jsonl(new byte[] {'[', '"', 'e', (byte) 0xE9, '"', ']'}));
    assertEquals("2:2: a byte that is not UTF-8 (0x80): wiz reads JSON as UTF-8; convert the input (iconv -f LATIN1 -t "
        + "UTF-8, for one)", jsonl(new byte[] {'[', (byte) 0x80, ']'}));
    assertEquals("2:7: '\u00e9' (U+00E9) outside a string: JSON text outside strings is ASCII; put text in double quotes",
        jsonl("[\"\u00fc\", \u00e9]"));
    assertEquals("2:8: a space that is not ASCII (U+00A0): JSON allows only spaces, tabs and line breaks between values",
        jsonl("{\"a\":1}\u00a0"));
    assertEquals("2:4: a byte order mark (U+FEFF) after the start of the text: remove it", jsonl("[1,\uFEFF2]"));
  }

  @Test
  void aControlCharacterBetweenValuesIsNamedAtItsOwnColumn() throws Exception {
    String between = " outside a string: JSON allows only spaces, tabs and line breaks between values; remove it";
    assertEquals("2:4: a NUL character (U+0000)" + between, jsonl("[1,\u0000 2]"));
    assertEquals("2:8: a NUL character (U+0000)" + between, jsonl("{\"a\":1}\u0000"), "a file padded with NULs");
    assertEquals("2:1: a control character (U+0001)" + between, jsonl("\u0001{}"));
    assertEquals("2:6: a control character (U+0001)" + between, jsonl("{\"a\":\u0001 1}"));
    assertEquals("2:9: a control character (U+000C)" + between, jsonl("{\"a\":1} \f"));
    assertEquals("in.json:1:4: the rest of the file cannot be read after this array element (a control character (U+0001)"
        + between + "); fix the element and run again", jsonFails("[1,\u0001 2]").getMessage());
  }

  @Test
  void aByteThatIsNotUtf8OutsideAStringIsNamedAsOne() throws Exception {
    String latin1 = "a byte that is not UTF-8 (0x%02X): wiz reads JSON as UTF-8; convert the input (iconv -f LATIN1 -t UTF-8, for one)";
    assertEquals("2:1: " + String.format(latin1, 0xFF), jsonl(new byte[] {(byte) 0xFF}));
    assertEquals("2:1: " + String.format(latin1, 0xE9), jsonl(new byte[] {(byte) 0xE9, 't', (byte) 0xE9}));
    assertEquals("2:5: " + String.format(latin1, 0xE9), jsonl(new byte[] {'[', '1', ',', ' ', (byte) 0xE9, ']'}));
    assertEquals("2:8: " + String.format(latin1, 0xE9), jsonl(new byte[] {'{', '"', 'a', '"', ':', '1', '}', (byte) 0xE9}));
    // Only up to the problem: a bad byte after it is not its cause.
    assertEquals("2:4: expected a JSON value " + VALUES + ", found ','", jsonl(new byte[] {'[', '1', ',', ',', (byte) 0xE9, ']'}));
  }

  @Test
  void aByteOrderMarkStartingALineAndBlankLinesAreRead() throws Exception {
    write(base.resolve("in.jsonl"), "\uFEFF{\"a\":1}\n\n \t\r\n\uFEFF{\"a\":2}\n");
    IoTesting.Read r = readAll(factory().openSource(spec("type", "file", "path", "in.jsonl", "format", "jsonl"), base), 10);
    assertEquals(2, r.records().size());
    assertEquals(List.of(), r.errors());
    // A line that is a byte order mark and white space is blank too, at the start of the input or after it.
    write(base.resolve("in.jsonl"), "\uFEFF\n{\"a\":1}\n\uFEFF\n\uFEFF \t\r\n{\"a\":2}\n");
    IoTesting.Read marks = readAll(factory().openSource(spec("type", "file", "path", "in.jsonl", "format", "jsonl"), base), 10);
    assertEquals(IoTesting.jsons("{\"a\":1}", "{\"a\":2}"), marks.records());
    assertEquals(List.of(), marks.errors());
    assertEquals(List.of("in.jsonl:1-5/2"), marks.spans(), "blank lines count for lines, not records");
  }

  @Test
  void aBadLineInALongBatchOfGoodOnesHasItsOwnColumn() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 500; i++) text.append(i == 321 ? "{\"\u00e9\":1,,}" : "{\"\u00e9\":" + i + "}").append('\n');
    write(base.resolve("in.jsonl"), text.toString());
    IoTesting.Read r = readAll(factory().openSource(spec("type", "file", "path", "in.jsonl", "format", "jsonl"), base), 1000);
    assertEquals(499, r.records().size());
    assertEquals("in.jsonl:322:8", r.errors().get(0).place());
    assertEquals(8, r.errors().get(0).column());
  }

  @Test
  void standardInputHasTheSameMessagesAndColumns() throws Exception {
    IoFactory io = new IoFactory(new ByteArrayInputStream("{}\n[\"\u00e9\" 2]\n".getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream());
    IoTesting.Read r = readAll(io.openSource(spec("type", "stdin", "format", "jsonl"), base), 10);
    assertEquals(1, r.errors().size());
    assertEquals("stdin:2:6", r.errors().get(0).place());
    assertEquals("expected ',' or ']' after an array element, found '2'", r.errors().get(0).message());

    IoFactory json = new IoFactory(new ByteArrayInputStream("[\"\u00e9\",\n 1]\n x".getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream());
    Source j = json.openSource(spec("type", "stdin", "format", "json"), base);
    IOException e = assertThrows(IOException.class, () -> readAll(j, 10));
    assertEquals("stdin:3:2: 'x' after the value that ends at line 2, column 3 (a json input holds one value; use format "
        + "jsonl for one value a line)", e.getMessage(), "what follows cannot be told apart: reading fails");
  }

  private IOException jsonFails(String text) throws IOException {
    write(base.resolve("in.json"), text);
    Source s = factory().openSource(spec("type", "file", "path", "in.json", "format", "json"), base);
    try (s) {
      return assertThrows(IOException.class, () -> {
        while (s.next(100) != null) {
          // read on to the failure
        }
      });
    }
  }

  @Test
  void aMalformedJsonElementIsNamedInWizsWordsAtItsCharacterColumn() throws Exception {
    assertEquals("in.json:2:14: the rest of the file cannot be read after this array element ('tru' is not a JSON value "
        + VALUES + "); fix the element and run again", jsonFails("[{\"a\":1},\n [\"\u00e9\u00e9\", \"\uD83D\uDE00\", tru]]\n").getMessage());
    assertEquals("in.json:1:5: the rest of the file cannot be read after this array element (a trailing comma before ']': "
        + "JSON allows none, remove it); fix the element and run again", jsonFails("[1,2,\r\n\r\n  ]").getMessage());
    assertEquals("in.json:3:3: the rest of the file cannot be read after this array element ('}' cannot close the array "
        + "opened at line 2, column 7: it needs ']'); fix the element and run again",
        jsonFails("[{\"a\":1},\n {\"\u00e9\":[1,\n 2}]").getMessage());
  }

  @Test
  void aByteOrderMarkAtTheStartOfAJsonInputIsNoColumn() throws Exception {
    assertTrue(jsonFails("\uFEFF[{\"a\":1},x]\n").getMessage().startsWith("in.json:1:10: "), "as without the mark");
    assertTrue(jsonFails("[{\"a\":1},x]\n").getMessage().startsWith("in.json:1:10: "));
  }

  @Test
  void jsonRecordErrorsCarryTheirColumn() throws Exception {
    assertTrue(jsonFails("{\"\u00e9\": 1}\n  {\"b\": 2}\n").getMessage().startsWith("in.json:2:3: more than one JSON value"),
        "a second value fails the input, at its column");

    write(base.resolve("in.json"), "[1,\n 2\n");
    IoTesting.Read open = readAll(factory().openSource(spec("type", "file", "path", "in.json", "format", "json"), base), 10);
    assertEquals("in.json:3:1", open.errors().get(0).place());
    assertEquals("the input ends inside an array opened at line 1, column 1", open.errors().get(0).message());
  }

  @Test
  void aLineLongerThanTheBytesKeptFallsBackToTheParsersByteColumn() throws Exception {
    byte[] text = ("[\"" + "\u00e9".repeat(100) + "\", tru]").getBytes(StandardCharsets.UTF_8);
    RecentBytes few = new RecentBytes(new ByteArrayInputStream(text), 64);
    com.fasterxml.jackson.core.JsonParser p = dev.wiz.Json.mapper().getFactory().createParser(few);
    IOException e = assertThrows(IOException.class, () -> {
      while (p.nextToken() != null) {
        // read on to the failure
      }
    });
    JsonErrors.Problem problem = JsonErrors.ofInput(e, ((JsonProcessingException) e).getLocation(), few);
    assertEquals(206, problem.column(), "the byte column: the line's start is no longer kept");
    assertEquals("'tru' is not a JSON value " + VALUES, problem.message());
    RecentBytes all = new RecentBytes(new ByteArrayInputStream(text), 4096);
    com.fasterxml.jackson.core.JsonParser q = dev.wiz.Json.mapper().getFactory().createParser(all);
    IOException again = assertThrows(IOException.class, () -> {
      while (q.nextToken() != null) {
        // read on to the failure
      }
    });
    assertEquals(106, JsonErrors.ofInput(again, ((JsonProcessingException) again).getLocation(), all).column());
  }

  @Test
  void jacksonsMessageIsCleanedWhereWizHasNoWordsOfItsOwn() {
    String m = JsonErrors.cleaned("Unexpected character (',' (code 44)) in whatever: expected close marker for Array "
        + "(start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 3])"
        + ": enable `JsonReadFeature.ALLOW_X` to allow");
    assertEquals("unexpected character ',' in whatever: expected close marker for Array (start marker at line 1, column 3)", m);
    assertFalse(m.contains("code"), m);
  }

  @Test
  void aMessageThatNamesAnotherPlaceIsNotCutShort() {
    IOException e = new com.fasterxml.jackson.core.JsonParseException(null, "Unexpected end-of-input: expected close marker "
        + "for Array (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, "
        + "column: 1])");
    assertEquals("Unexpected end-of-input: expected close marker for Array (start marker at line 1, column 1)",
        Errors.message(e));
  }

  @Test
  void textGivenToWizIsReadAgainAsBytesForItsColumn() {
    JsonErrors.Problem p = JsonErrors.ofText("{\"\u00e9\":1,,}", new IOException("x"), true);
    assertEquals(8, p.column());
    assertEquals("expected a key in double quotes, found ','", p.message());
    assertTrue(JsonErrors.ofText("[1", new IOException("x"), false).message().startsWith("the text ends inside an array"));
  }
}

package dev.wiz.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CsvRows}: rows, whatever the blocks the input arrives in. */
class CsvRowsTest {
  /** Each row as its line, end line, and its fields or its problem and text. */
  private static List<String> rows(InputStream in, char delimiter) throws IOException {
    return rows(new CsvRows(in, delimiter));
  }

  private static List<String> rows(CsvRows source) throws IOException {
    List<String> out = new ArrayList<>();
    try (CsvRows rows = source) {
      while (rows.next()) {
        out.add(rows.line() + "-" + rows.endLine() + " "
            + (rows.fields() != null ? rows.fields() : rows.problemColumn() + " " + rows.problem() + " <" + rows.raw() + ">"));
      }
    }
    return out;
  }

  /** An input that gives one byte per read, so that every place in a row is once at a block's end. */
  private static InputStream trickle(byte[] b) {
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] dst, int off, int len) {
        return super.read(dst, off, Math.min(len, 1));
      }
    };
  }

  private static void sameInAnyBlocks(String text, char delimiter, List<String> expected) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, rows(new ByteArrayInputStream(b), delimiter));
    assertEquals(expected, rows(trickle(b), delimiter), "read one byte at a time");
  }

  @Test
  void quotesLineEndsAndErrorsReadTheSameOneByteAtATime() throws IOException {
    sameInAnyBlocks("a,b\r\n\"x\r\ny\",\"q\"\"\"\r\n\"bo\"b,2\r3,\"\"\n\"open,4\n5,6", ',', List.of(
        "1-1 [a, b]",
        "2-3 [x\r\ny, q\"]",
        "4-4 5 text after the closing quote: a field that holds a quote must be quoted as a whole, with each quote in it"
            + " doubled: \"bo\"\"b\" <\"bo\"b,2>",
        "5-5 [3, ]",
        "6-6 1 the quote that opens this field is never closed: the input ends inside it, on line 7; close the field with"
            + " a quote, or write a quote that is part of the text as \"\" <\"open,4>",
        "7-7 [5, 6]"));
  }

  @Test
  void aDelimiterOfSeveralBytesSplitsOnlyOnItsWholeSequence() throws IOException {
    // € is E2 82 AC in UTF-8; ₂ (E2 82 82) shares its first two bytes.
    sameInAnyBlocks("a€b\nx₂€\"y€z\"\n€\n", '€', List.of("1-1 [a, b]", "2-2 [x₂, y€z]", "3-3 [, ]"));
    sameInAnyBlocks("a§b\n1§2\n", '§', List.of("1-1 [a, b]", "2-2 [1, 2]"));
  }

  @Test
  void aByteOrderMarkIsNoTextAndABadByteIsNamedAtItsColumn() throws IOException {
    byte[] b = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\n', (byte) 0xC3, (byte) 0xA9, (byte) 0xE9, '\n', 'z'};
    List<String> expected = List.of("1-1 [a]", "2-2 2 a byte that is not UTF-8 (0xE9): wiz reads CSV as UTF-8; convert"
        + " the input (iconv -f LATIN1 -t UTF-8, for one) <\u00e9\uFFFD>", "3-3 [z]");
    assertEquals(expected, rows(new ByteArrayInputStream(b), ','));
    assertEquals(expected, rows(trickle(b), ','));
  }

  @Test
  void aFieldOverTheLimitWhoseEndIsNotInSightIsCutAtTheEndOfItsLine() throws IOException {
    // Read one byte at a time, so that the field is over the limit (8) before its end is read.
    byte[] b = "a,b\n1,\"0123456789\nmore\n2,3\n4,0123456789ab\r\n5,6".getBytes(StandardCharsets.UTF_8);
    assertEquals(List.of(
        "1-1 [a, b]",
        "2-2 3 a field longer than the 8 characters wiz reads in one field <1,\"01234567>",
        "3-3 [more]",
        "4-4 [2, 3]",
        "5-5 3 a field longer than the 8 characters wiz reads in one field <4,012345678>",
        "6-6 [5, 6]"), rows(new CsvRows(trickle(b), ',', 8)),
        "the line is read on to its end, keeping only the text read when the field went over the limit");
    assertEquals(List.of(
        "1-1 [a, b]",
        "2-3 3 a field longer than the 8 characters wiz reads in one field <1,\"0123456789\nmore\">",
        "4-4 [2, 3]",
        "5-5 3 a field longer than the 8 characters wiz reads in one field <4,0123456789ab>",
        "6-6 [5, 6]"),
        rows(new CsvRows(new ByteArrayInputStream(
            "a,b\n1,\"0123456789\nmore\"\n2,3\n4,0123456789ab\r\n5,6".getBytes(StandardCharsets.UTF_8)), ',', 8)),
        "a field whose end is in sight is read whole, and the row is one bad row");
  }
}

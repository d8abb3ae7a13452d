package dev.wiz.io;

import dev.wiz.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a CSV input (RFC 4180), read from its UTF-8 bytes. A row ends at a line break
 * ({@code \n}, {@code \r\n} or {@code \r}) outside quotes; a field that starts with {@code "} is
 * quoted, holds delimiters and line breaks, and writes a quote as {@code ""}. A quote inside an
 * unquoted field is text. Spaces and tabs between a closing quote and the delimiter are allowed.
 *
 * <p>A row that cannot be read is a bad row ({@link #problem()}) with its text ({@link #raw()}),
 * and reading goes on:
 *
 * <ul>
 *   <li>text after a closing quote ({@code "bo"b}), or a byte that is not UTF-8: the row ends where
 *       it would have ended, and the next row starts after it;
 *   <li>a quote that is never closed (the input ends inside the quoted field), or a field longer
 *       than {@link #MAX_FIELD} characters: the bad row is the text up to the end of the line
 *       where that field starts, and the next row starts on the line after it, so one stray quote
 *       does not turn the rest of the file into one field.
 * </ul>
 *
 * <p>Only the rows' bytes are scanned on the hot path; the checks for bad bytes run on a field's
 * text only when decoding it gave a replacement character.
 */
final class CsvRows implements java.io.Closeable {
  /** The longest field read, in characters (the limit wiz has for a JSON string). */
  static final int MAX_FIELD = Json.READ_LIMITS.getMaxStringLength();

  private static final int BLOCK = 1 << 20;
  private static final int NEED_MORE = -1;
  private static final int DONE = 0;
  private static final int CUT = 1; // a bad row cut at the end of the line where its field starts

  private final InputStream in;
  private final int maxField;
  private final byte[] delimiter;
  private final byte d0;
  private byte[] buf = new byte[BLOCK];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;
  /** The line {@code pos} is on. */
  private long line = 1;

  // The row last read: offsets into buf, valid until the next call of next().
  private int rowStart;
  private int rowEnd;
  private int next;
  private long rowLine;
  private int breaks;
  private int count;
  private int[] starts = new int[16];
  private int[] contentStarts = new int[16];
  private int[] contentEnds = new int[16];
  private boolean[] escaped = new boolean[16];
  private boolean[] quoted = new boolean[16];
  /** Where the field being scanned starts, and the line breaks before it in the row. */
  private int fieldAt;
  private int breaksAtField;
  private List<String> fields;
  private boolean cutShort;
  private String problem;
  private int problemColumn;

  CsvRows(InputStream in, char delimiter) {
    this(in, delimiter, MAX_FIELD);
  }

  /** Rows with fields of at most {@code maxField} characters (tests use a small limit). */
  CsvRows(InputStream in, char delimiter, int maxField) {
    this.maxField = maxField;
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || Character.isSurrogate(delimiter)) {
      throw new IllegalArgumentException("not a CSV delimiter: U+" + Integer.toHexString(delimiter));
    }
    this.in = in;
    this.delimiter = String.valueOf(delimiter).getBytes(StandardCharsets.UTF_8);
    this.d0 = this.delimiter[0];
  }

  /** Reads the next row; false at the end of input. */
  boolean next() throws IOException {
    if (!started) {
      started = true;
      while (limit < 3 && !eof) fill();
      if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) pos = 3;
    }
    while (true) {
      if (pos >= limit) {
        if (eof) return false;
        fill();
        continue;
      }
      int r = scan(pos);
      if (r == NEED_MORE) {
        if (limit - fieldAt > maxField && JsonErrors.characters(buf, fieldAt, limit) > maxField) {
          tooLong();
          return true;
        }
        fill();
        continue;
      }
      if (r == DONE) finishRow();
      return true;
    }
  }

  /** The line the row starts on. */
  long line() {
    return rowLine;
  }

  /** The line the row ends on (later than {@link #line()} when a quoted field holds line breaks). */
  long endLine() {
    return rowLine + breaks;
  }

  /** The row's fields, or null for a bad row. */
  List<String> fields() {
    return fields;
  }

  /** Why the row cannot be read, or null. */
  String problem() {
    return problem;
  }

  /**
   * Whether the bad row was cut at the end of the line where its field starts (a quote never
   * closed, a field over the limit): the lines after it are read as rows.
   */
  boolean cutShort() {
    return cutShort;
  }

  /** The column of the problem on the row's first line, or 0 when it is on another line. */
  int problemColumn() {
    return problemColumn;
  }

  /** Whether the row is an empty line: one unquoted field of no characters. */
  boolean emptyLine() {
    return count == 1 && !quoted[0] && rowEnd == rowStart;
  }

  /** The column where field {@code i} starts, or 0 when it is not on the row's first line. */
  int column(int i) {
    return firstLineColumn(starts[Math.min(i, count - 1)]);
  }

  /**
   * Where field {@code i} starts, as {@code line L, column C}, when that is not on the row's first
   * line (a quoted field before it holds a line break); null when it is on the first line.
   */
  String laterPlace(int i) {
    int at = starts[Math.min(i, count - 1)];
    if (firstLineColumn(at) > 0) return null;
    long[] p = place(at);
    return "line " + p[0] + ", column " + p[1];
  }

  /** The row's text without its line end; a long row is cut (the record error cuts it to its length). */
  String raw() {
    int end = Math.min(rowEnd, rowStart + 4 * RecordError.MAX_RAW + 4);
    return new String(buf, rowStart, end - rowStart, StandardCharsets.UTF_8);
  }

  /**
   * Scans the row at {@code s}: DONE with its fields' places, CUT for a row that ends inside a
   * quoted field, or NEED_MORE when its end is not in the buffer yet (nothing is kept then: the
   * row is scanned again from its start).
   */
  private int scan(int s) {
    rowStart = s;
    rowLine = line;
    count = 0;
    breaks = 0;
    problem = null;
    problemColumn = 0;
    fields = null;
    cutShort = false;
    int i = s;
    while (true) {
      fieldAt = i;
      breaksAtField = breaks;
      int end;
      if (i < limit && buf[i] == '"') {
        int j = i + 1;
        boolean esc = false;
        while (true) {
          if (j >= limit) {
            if (!eof) return NEED_MORE;
            unclosed(i);
            return CUT;
          }
          byte b = buf[j];
          if (b == '"') {
            if (j + 1 >= limit && !eof) return NEED_MORE;
            if (j + 1 < limit && buf[j + 1] == '"') {
              esc = true;
              j += 2;
              continue;
            }
            break;
          } else if (b == '\n') {
            breaks++;
          } else if (b == '\r') {
            if (j + 1 >= limit && !eof) return NEED_MORE;
            if (j + 1 >= limit || buf[j + 1] != '\n') breaks++;
          }
          j++;
        }
        add(i, i + 1, j, true, esc);
        end = j + 1;
        // After the closing quote: the delimiter, a line end or the end of input (spaces and tabs
        // before them are allowed); anything else is text after the quote.
        while (true) {
          if (end >= limit) {
            if (!eof) return NEED_MORE;
            break;
          }
          byte b = buf[end];
          if (b == d0 || b == '\n' || b == '\r') {
            int d = b == d0 ? delimiterAt(end) : 0;
            if (d < 0) return NEED_MORE;
            if (d > 0 || b != d0) break;
          }
          if (b == ' ' || b == '\t') {
            end++;
            continue;
          }
          if (problem == null) textAfterQuote(end, j);
          end = unquotedEnd(end);
          if (end < 0) return NEED_MORE;
        }
      } else {
        end = unquotedEnd(i);
        if (end < 0) return NEED_MORE;
        add(i, i, end, false, false);
      }
      if (end >= limit) {
        // The end of input (unquotedEnd asks for more before it).
        rowEnd = end;
        next = end;
        return DONE;
      }
      if (buf[end] == '\n' || buf[end] == '\r') {
        if (buf[end] == '\r' && end + 1 >= limit && !eof) return NEED_MORE;
        rowEnd = end;
        next = buf[end] == '\r' && end + 1 < limit && buf[end + 1] == '\n' ? end + 2 : end + 1;
        return DONE;
      }
      i = end + delimiter.length; // the delimiter
    }
  }

  /** Where the unquoted text at {@code i} ends (at a delimiter, a line break or the end of input), or NEED_MORE. */
  private int unquotedEnd(int i) {
    int j = i;
    while (true) {
      while (j < limit) {
        byte b = buf[j];
        if (b == d0 || b == '\n' || b == '\r') break;
        j++;
      }
      if (j >= limit) return eof ? j : NEED_MORE;
      if (buf[j] != d0) return j;
      int d = delimiterAt(j);
      if (d < 0) return NEED_MORE;
      if (d > 0) return j;
      j++; // the first byte of a delimiter of several bytes, but not the rest of it
    }
  }

  /** 1 when the delimiter is at {@code i}, 0 when it is not, -1 when more input is needed to know. */
  private int delimiterAt(int i) {
    int n = delimiter.length;
    if (n == 1) return 1;
    if (i + n > limit) return eof ? 0 : -1;
    for (int k = 1; k < n; k++) {
      if (buf[i + k] != delimiter[k]) return 0;
    }
    return 1;
  }

  private void add(int start, int from, int to, boolean isQuoted, boolean esc) {
    if (count == starts.length) {
      int n = count * 2;
      starts = Arrays.copyOf(starts, n);
      contentStarts = Arrays.copyOf(contentStarts, n);
      contentEnds = Arrays.copyOf(contentEnds, n);
      escaped = Arrays.copyOf(escaped, n);
      quoted = Arrays.copyOf(quoted, n);
    }
    starts[count] = start;
    contentStarts[count] = from;
    contentEnds[count] = to;
    quoted[count] = isQuoted;
    escaped[count] = esc;
    count++;
  }

  /** A row scanned to its end: its fields decoded, and checked for bytes that are not UTF-8 and for length. */
  private void finishRow() {
    line += breaks + (next > rowEnd ? 1 : 0);
    pos = next;
    List<String> out = new ArrayList<>(count);
    for (int f = 0; f < count; f++) {
      String text = decode(f);
      if (text.indexOf('\uFFFD') >= 0 && problem == null) {
        int bad = firstNotUtf8(contentStarts[f], contentEnds[f]);
        if (bad >= 0) {
          problemAt(bad, String.format("a byte that is not UTF-8 (0x%02X){at}: wiz reads CSV as UTF-8; convert the input"
              + " (iconv -f LATIN1 -t UTF-8, for one)", buf[bad] & 0xFF));
        }
      }
      if (text.length() > maxField && problem == null) {
        problem = tooLongMessage();
        problemColumn = firstLineColumn(starts[f]);
      }
      out.add(text);
    }
    if (problem == null) fields = out;
  }

  private String decode(int f) {
    int from = contentStarts[f];
    int to = contentEnds[f];
    if (!escaped[f]) return new String(buf, from, to - from, StandardCharsets.UTF_8);
    byte[] b = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      b[n++] = buf[i];
      if (buf[i] == '"') i++; // "" is one quote
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private int firstNotUtf8(int from, int to) {
    for (int i = from; i < to; ) {
      int len = JsonErrors.sequence(buf, i, to);
      if (len < 0) return i;
      i += len;
    }
    return -1;
  }

  /** {@code "bo"b}: the quote at {@code close} closes the field at {@code fieldAt}, and text follows at {@code at}. */
  private void textAfterQuote(int at, int close) {
    int fieldEnd = unquotedEnd(at);
    String example = "";
    if (fieldEnd >= 0) {
      String inside = new String(buf, fieldAt + 1, close - (fieldAt + 1), StandardCharsets.UTF_8).replace("\"\"", "\"")
          + "\"" + new String(buf, close + 1, fieldEnd - (close + 1), StandardCharsets.UTF_8);
      String fixed = "\"" + inside.replace("\"", "\"\"") + "\"";
      if (fixed.length() <= 60 && fixed.indexOf('\n') < 0 && fixed.indexOf('\r') < 0) example = ": " + fixed;
    }
    problemAt(at, "text after the closing quote{at}: a field that holds a quote must be quoted as a whole,"
        + " with each quote in it doubled" + example);
  }

  /** The input ends inside the field whose quote is at {@code quote}: the row is cut at the end of that line. */
  private void unclosed(int quote) {
    // The line of the input's last character (a line break at its end starts no line of text).
    long lastLine = line + breaks - (buf[limit - 1] == '\n' || buf[limit - 1] == '\r' ? 1 : 0);
    problemAt(quote, "the quote{at} that opens this field is never closed: the input ends inside it, on line " + lastLine
        + "; close the field with a quote, or write a quote that is part of the text as \"\"");
    cut(quote);
    cutShort = true;
  }

  /**
   * A field (at fieldAt, in the row at pos) longer than the limit, whose end is not in the buffer:
   * the row is cut at the end of the line the field starts on. That line may go on far: it is read
   * on to its end, keeping only the row's first bytes (for its text).
   */
  private void tooLong() throws IOException {
    fields = null;
    problem = tooLongMessage();
    problemColumn = firstLineColumn(fieldAt);
    cutShort = true;
    if (lineBreak(fieldAt) >= 0) {
      cut(fieldAt);
      return;
    }
    int keep = Math.min(limit, rowStart + 4 * RecordError.MAX_RAW + 4);
    int from = limit;
    while (true) {
      int e = lineBreak(from);
      if (e >= 0 && !(buf[e] == '\r' && e + 1 >= limit && !eof)) {
        count = 0;
        breaks = breaksAtField;
        rowEnd = keep;
        next = buf[e] == '\r' && e + 1 < limit && buf[e + 1] == '\n' ? e + 2 : e + 1;
        line += breaks + 1;
        pos = next;
        return;
      }
      if (eof) {
        count = 0;
        breaks = breaksAtField;
        rowEnd = keep;
        limit = keep;
        next = keep;
        pos = keep;
        return;
      }
      // Drop the bytes read past the row's start (a \r at the end is kept, for a \n after it).
      if (e >= 0) {
        buf[keep] = '\r';
        limit = keep + 1;
      } else {
        limit = keep;
      }
      from = keep;
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
  }

  private String tooLongMessage() {
    return "a field longer than the " + maxField + " characters wiz reads in one field";
  }

  /** The offset of the first line break at or after {@code from}, or -1. */
  private int lineBreak(int from) {
    for (int i = from; i < limit; i++) {
      if (buf[i] == '\n' || buf[i] == '\r') return i;
    }
    return -1;
  }

  /**
   * A bad row from rowStart to the end of the line {@code at} is on (its breaksAtField-th after the
   * row's first): the next row starts on the line after it.
   */
  private void cut(int at) {
    breaks = breaksAtField;
    int e = lineBreak(at);
    if (e < 0) {
      rowEnd = limit;
      next = limit;
    } else {
      rowEnd = e;
      next = buf[e] == '\r' && e + 1 < limit && buf[e + 1] == '\n' ? e + 2 : e + 1;
    }
    count = 0;
    fields = null;
    line += breaks + (next > rowEnd ? 1 : 0);
    pos = next;
  }

  /**
   * Sets the problem at byte {@code at}: its column on the row's first line (the record error's
   * place names it), or, on a later line of the row, its line and column in place of {@code {at}}.
   */
  private void problemAt(int at, String message) {
    int column = firstLineColumn(at);
    problemColumn = column;
    if (column > 0) {
      problem = message.replace("{at}", "");
    } else {
      long[] place = place(at);
      problem = message.replace("{at}", " (line " + place[0] + ", column " + place[1] + ")");
    }
  }

  private int firstLineColumn(int at) {
    for (int i = rowStart; i < at; i++) {
      if (buf[i] == '\n' || buf[i] == '\r') return 0;
    }
    return JsonErrors.characters(buf, rowStart, at) + 1;
  }

  /** The line and column of byte {@code at} of the row. */
  private long[] place(int at) {
    long l = rowLine;
    int lineStart = rowStart;
    for (int i = rowStart; i < at; i++) {
      if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= limit || buf[i + 1] != '\n'))) {
        l++;
        lineStart = i + 1;
      }
    }
    return new long[] {l, JsonErrors.characters(buf, lineStart, at) + 1};
  }

  /** Moves the bytes from pos to the buffer's start, growing it when they fill it, and reads more. */
  private void fill() throws IOException {
    int kept = limit - pos;
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, kept);
    } else if (kept == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    pos = 0;
    limit = kept;
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

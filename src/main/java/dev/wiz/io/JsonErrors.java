package dev.wiz.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why JSON text could not be read, in wiz's words, and the column where the problem is. Jackson's
 * exception gives the kind of problem and the byte where the parser stopped; the text around it
 * gives the rest: the offending character or word, and the column counted in characters (Unicode
 * code points: {@code é} and an emoji count one each, as a tab does; a byte that is not UTF-8 counts
 * one). Everything here runs only once a parser has failed: reading never pays for it.
 */
public final class JsonErrors {
  private JsonErrors() {}

  /**
   * What is wrong with JSON text.
   *
   * @param column 1-based column on the line of the problem, or 0 when it is not known
   * @param message what is wrong, in plain words, on one line
   * @param linesBack how many lines before the parser's place the problem is (a trailing comma
   *     on the line before the bracket after it)
   * @param line 1-based line of the problem in the text, given by {@link #ofText}; 0 elsewhere
   */
  public record Problem(int column, String message, int linesBack, long line) {
    Problem(int column, String message) {
      this(column, message, 0, 0);
    }

    Problem(int column, String message, int linesBack) {
      this(column, message, linesBack, 0);
    }
  }

  /** What the text is, for the words of a message: a line of JSON Lines, a whole input, a string. */
  enum Unit {
    LINE("the line", "on the line", "a line holds one JSON value"),
    INPUT("the input", "in the input", "a json input holds one value; use format jsonl for one value a line"),
    TEXT("the text", "in the text", "the text must be one JSON value");

    final String noun;
    final String in;
    final String one;

    Unit(String noun, String in, String one) {
      this.noun = noun;
      this.in = in;
      this.one = one;
    }
  }

  private static final String VALUES = "true, false, null, a number, a string, an array or an object";

  /**
   * The problem on the line {@code bytes[from, to)}, which a parser created over exactly those bytes
   * rejected with {@code e} (or {@link TreeReader#readWhole} did).
   */
  public static Problem ofLine(byte[] bytes, int from, int to, IOException e) {
    return describe(e, Window.ofLine(bytes, from, to, e, true), Unit.LINE);
  }

  /**
   * The problem in {@code text}, one line of JSON a program wrote, or a string given to {@code
   * fromjson}, which {@link TreeReader#parse} rejected: read again, as UTF-8, to find it. Its
   * {@link Problem#line} is the line of the text it is on.
   */
  public static Problem ofText(String text, IOException e, boolean line) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try {
      TreeReader.readWhole(Json.mapper().getFactory(), b, 0, b.length);
    } catch (IOException again) {
      Problem p = describe(again, Window.ofLine(b, 0, b.length, again, line), line ? Unit.LINE : Unit.TEXT);
      JsonLocation loc = location(again);
      long at = loc == null || loc.getLineNr() < 1 ? 0 : Math.max(1, loc.getLineNr() - p.linesBack());
      return new Problem(p.column(), p.message(), 0, at);
    }
    return new Problem(0, cleaned(e)); // read as bytes it is JSON: should not happen
  }

  /** The problem in a {@code json} input where the parser stopped {@code at}; its last bytes read are in {@code recent}. */
  static Problem ofInput(IOException e, JsonLocation at, RecentBytes recent) {
    long offset = at == null ? -1 : at.getByteOffset();
    return describe(e, recent.window(offset, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr()), Unit.INPUT);
  }

  /** The 1-based column of the byte at {@code offset} of a {@code json} input, at {@code location}. */
  static int column(JsonLocation location, RecentBytes recent) {
    Window w = recent.window(location.getByteOffset(), location.getLineNr(), location.getColumnNr());
    return w.column(w.at);
  }

  private static JsonLocation location(IOException e) {
    return e instanceof JsonProcessingException ? ((JsonProcessingException) e).getLocation() : null;
  }

  /**
   * The bytes known around a problem: {@code b[from, to)}, where {@code from} is where the parser
   * started when {@code startKnown}; {@code at} is the index of the byte where the parser stopped
   * (-1 when not known), on its line {@code line} and at byte column {@code byteColumn}, as the
   * parser counts lines (a \r alone ends one too).
   *
   * <p>A window of {@code oneLine} is one line of JSON Lines (or one line a program wrote): its
   * lines end only at \n, so a \r inside it is a character of the line, and a column counts from
   * {@code from}, not from the \r as the parser's column does.
   */
  static final class Window {
    final byte[] b;
    final int from;
    final int to;
    final boolean startKnown;
    final int at;
    final long line;
    final int byteColumn;
    final boolean oneLine;

    Window(byte[] b, int from, int to, boolean startKnown, int at, long line, int byteColumn) {
      this(b, from, to, startKnown, at, line, byteColumn, false);
    }

    private Window(byte[] b, int from, int to, boolean startKnown, int at, long line, int byteColumn, boolean oneLine) {
      this.b = b;
      this.from = from;
      this.to = to;
      this.startKnown = startKnown;
      this.at = at;
      this.line = line;
      this.byteColumn = byteColumn;
      this.oneLine = oneLine;
    }

    static Window ofLine(byte[] b, int from, int to, IOException e, boolean oneLine) {
      JsonLocation loc = location(e);
      int at = -1;
      if (loc != null && loc.getByteOffset() >= 0) at = (int) Math.min(to, from + loc.getByteOffset());
      return new Window(b, from, to, true, at, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
          oneLine);
    }

    byte get(int i) {
      return i >= from && i < to ? b[i] : 0;
    }

    /** The index where the line holding index {@code i} starts, or -1 when it starts before the bytes known. */
    int lineStart(int i) {
      int k = Math.min(i, to);
      while (k > from && b[k - 1] != '\n' && b[k - 1] != '\r') k--;
      return k > from || startKnown ? k : -1;
    }

    /** The 1-based column of index {@code i}, in characters; the parser's byte column when the line's start is not known. */
    int column(int i) {
      if (i < 0) return Math.max(byteColumn, 0);
      int start = oneLine ? from : lineStart(i);
      if (start < 0) return i == at ? Math.max(byteColumn, 0) : 0;
      // A byte order mark at the start of the input is skipped, as at the start of a jsonl line:
      // an editor does not show it, and the columns after it do not count it.
      if (start == from && startKnown && i >= start + 3 && start + 3 <= to && (b[start] & 0xFF) == 0xEF
          && (b[start + 1] & 0xFF) == 0xBB && (b[start + 2] & 0xFF) == 0xBF) {
        start += 3;
      }
      return 1 + characters(b, start, Math.min(i, to));
    }

    /** The index of byte column {@code column} of line {@code line} (numbered as the parser does), or -1. */
    int index(long line, int column) {
      if (at < 0 || line > this.line || column < 1) return -1;
      int start = lineStart(at);
      for (long l = this.line; l > line; l--) {
        if (start <= from) return -1;
        int k = start - 1; // the line break before this line: \n, \r or \r\n
        if (b[k] == '\n' && k > from && b[k - 1] == '\r') k--;
        start = lineStart(k);
        if (start < 0) return -1;
      }
      int i = start + column - 1;
      return i <= to ? i : -1;
    }

    /** The line breaks in {@code b[i, j)}, counted as the parser counts them (\n, \r, \r\n). */
    int breaks(int i, int j) {
      int n = 0;
      for (int k = Math.max(i, from); k < Math.min(j, to); k++) {
        if (b[k] == '\n' ? k == from || b[k - 1] != '\r' : b[k] == '\r') n++;
      }
      return n;
    }

    /** The index of the last byte before {@code i} that is not JSON white space, or -1. */
    int previousNonBlank(int i) {
      int k = i - 1;
      while (k >= from && isBlank(b[k])) k--;
      return k >= from ? k : -1;
    }

    int firstNonBlank() {
      int k = from;
      while (k < to && isBlank(b[k])) k++;
      return k;
    }
  }

  private static boolean isBlank(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** The characters in {@code b[from, to)}: each UTF-8 sequence counts one, as does each byte that begins none. */
  static int characters(byte[] b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; ) {
      int len = sequence(b, i, to);
      i += len > 0 ? len : 1;
      n++;
    }
    return n;
  }

  /** The length of the UTF-8 sequence at {@code i}, or -1 when the byte there begins none. */
  static int sequence(byte[] b, int i, int to) {
    int c = b[i] & 0xFF;
    if (c < 0x80) return 1;
    int len;
    int min2 = 0x80;
    int max2 = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) min2 = 0xA0;
      if (c == 0xED) max2 = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) min2 = 0x90;
      if (c == 0xF4) max2 = 0x8F;
    } else {
      return -1;
    }
    if (i + len > to) return -1;
    int c2 = b[i + 1] & 0xFF;
    if (c2 < min2 || c2 > max2) return -1;
    for (int k = i + 2; k < i + len; k++) {
      if ((b[k] & 0xC0) != 0x80) return -1;
    }
    return len;
  }

  private static final Pattern NON_STANDARD = Pattern.compile("^Non-standard token '([^']*)'");
  private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized token '(.*)': was expecting");
  private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");
  private static final Pattern CONTROL = Pattern.compile("\\(CTRL-CHAR, code (\\d+)\\)");
  private static final Pattern ESCAPE = Pattern.compile("^Unrecognized character escape");

  private static Problem describe(IOException e, Window w, Unit unit) {
    if (e instanceof StreamConstraintsException) return new Problem(w.column(w.at), Errors.message(e));
    String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    if (m == null) m = "";
    int at = w.at;
    if (at < 0) return new Problem(w.column(at), cleaned(e));

    // A byte that is not UTF-8 up to the problem is its cause, whatever the parser made of it
    // (outside a string it may take it for the start of a word, or for a character it waits the
    // rest of).
    Matcher control = CONTROL.matcher(m);
    boolean high = control.find() && Integer.parseInt(control.group(1)) >= 0x80;
    Problem invalid = notUtf8(w, high || m.startsWith("Invalid UTF-8") ? 4 : 1);
    if (invalid != null) return invalid;
    // A character outside ASCII where JSON has only ASCII.
    if (high || m.startsWith("Invalid UTF-8")) {
      Problem p = nonAscii(w);
      if (p != null) return p;
    }
    // A control character between values (inside a string it is "Illegal unquoted character"): the
    // parser's place is just after it.
    if (m.startsWith("Illegal character") && control.find(0) && Integer.parseInt(control.group(1)) < 0x80) {
      int c = Integer.parseInt(control.group(1));
      int i = at > w.from && (w.get(at - 1) & 0xFF) == c ? at - 1 : at;
      return new Problem(w.column(i), controlName(c) + " outside a string: JSON allows only spaces, tabs and line "
          + "breaks between values; remove it");
    }

    if (e instanceof TreeReader.SecondValueException) {
      return new Problem(w.column(at), "a second value " + unit.in + " after the first ends at "
          + place(w, w.previousNonBlank(at), unit));
    }
    if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) return endOfInput(m, e, w, unit);

    JsonStreamContext ctx = context(e);
    Matcher nonStandard = NON_STANDARD.matcher(m);
    // Content after a whole value at the top level; not a problem inside the first value, when that
    // is a scalar (a string with a tab or a bad escape in it, NaN), whose place is past its start too.
    boolean inString = m.startsWith("Illegal unquoted character") || ESCAPE.matcher(m).find()
        || m.contains("expected a hex-digit for character escape");
    // a word the parser read whole (NaN) is named where it starts, not where the parser stopped
    boolean isWord = nonStandard.find();
    int offender = isWord ? tokenStart(w, at, nonStandard.group(1)) : at;
    String shown = isWord ? "'" + nonStandard.group(1) + "'" : show(w, at);
    boolean firstToken = isWord && offender == w.firstNonBlank();
    nonStandard.reset();
    if (ctx != null && ctx.inRoot() && w.firstNonBlank() < at && !m.startsWith("Invalid numeric value")
        && !m.contains("in numeric value") && !firstToken && !(inString && inFirstString(w, at))) {
      return new Problem(w.column(offender), shown + " after the value that ends at "
          + place(w, w.previousNonBlank(offender), unit) + " (" + unit.one + ")");
    }

    if (nonStandard.find()) {
      String token = nonStandard.group(1);
      int start = tokenStart(w, at, token);
      return new Problem(w.column(start), token + " is not a JSON value: write null, or \"" + token + "\" as a string");
    }
    Matcher unrecognized = UNRECOGNIZED.matcher(m);
    if (unrecognized.find()) {
      String word = word(w, at);
      if (word.isEmpty()) word = unrecognized.group(1);
      String lower = word.toLowerCase(java.util.Locale.ROOT);
      String hint = lower.equals("true") || lower.equals("false") || lower.equals("null")
          ? "; JSON writes " + lower + " in lower case" : "";
      return new Problem(w.column(at), quote(word) + " is not a JSON value (" + VALUES + ")" + hint);
    }
    if (m.startsWith("Invalid numeric value") || m.contains("in numeric value")) return number(m, w, at);
    if (m.startsWith("Illegal unquoted character")) {
      int c = control.find(0) ? Integer.parseInt(control.group(1)) : w.get(at);
      return new Problem(w.column(at), controlName(c) + " inside a string: write it as " + escape(c));
    }
    if (ESCAPE.matcher(m).find()) {
      int slash = at > w.from && w.get(at - 1) == '\\' ? at - 1 : at;
      String esc = slash < at ? "\\" + showChar(w, at, false) : "this escape";
      return new Problem(w.column(slash), "'" + esc + "' is not a JSON escape: in a string a backslash starts \\\", \\\\, "
          + "\\/, \\b, \\f, \\n, \\r, \\t or \\u and four hex digits (write \\\\ for a backslash)");
    }
    if (m.contains("expected a hex-digit for character escape")) {
      return new Problem(w.column(at), "a \\u escape needs four hex digits (0-9, a-f), found " + show(w, at));
    }
    Matcher close = CLOSE_MARKER.matcher(m);
    if (close.find()) {
      String opened = "}".equals(close.group(2)) ? "object" : "array";
      return new Problem(w.column(at), show(w, at) + " cannot close the " + opened + " opened at " + opened(w, ctx, unit)
          + ": it needs '" + close.group(2) + "'");
    }
    if (m.startsWith("Unexpected close marker")) {
      return new Problem(w.column(at), show(w, at) + " closes nothing: no " + ("]".equals(showChar(w, at, false)) ? "array" : "object")
          + " is open there");
    }
    if (m.startsWith("Unexpected character")) {
      byte c = w.get(at);
      int comma = w.previousNonBlank(at);
      boolean trailing = ctx != null && (c == '}' ? ctx.inObject() : c == ']' && ctx.inArray())
          && comma >= 0 && w.get(comma) == ',' && w.lineStart(comma) >= 0;
      if (m.contains("double-quote to start field name")) {
        if (trailing) return trailingComma(w, comma, at);
        return new Problem(w.column(at), "expected a key in double quotes, found " + show(w, at)
            + (c == '\'' ? " (JSON quotes keys with \", not ')" : ""));
      }
      if (m.contains("colon to separate field name and value")) {
        return new Problem(w.column(at), "expected ':' after the key, found " + show(w, at));
      }
      if (m.contains("comma to separate Object entries")) {
        return new Problem(w.column(at), "expected ',' or '}' after a value in an object, found " + show(w, at));
      }
      if (m.contains("comma to separate Array entries")) {
        return new Problem(w.column(at), "expected ',' or ']' after an array element, found " + show(w, at));
      }
      if (m.contains("maybe a (non-standard) comment")) {
        return new Problem(w.column(at), "'/' where a JSON value should be: JSON has no comments");
      }
      if (m.contains("expected a valid value") || m.contains("expected a value")) {
        if (trailing) return trailingComma(w, comma, at);
        String hint = c == '\'' ? " (JSON quotes strings with \", not ')"
            : c == '.' ? " (a number needs a digit before its point: 0.5)" : "";
        return new Problem(w.column(at), "expected a JSON value (" + VALUES + "), found " + show(w, at) + hint);
      }
    }
    return new Problem(w.column(at), cleaned(e));
  }

  private static Problem trailingComma(Window w, int comma, int at) {
    return new Problem(w.column(comma), "a trailing comma before " + show(w, at) + ": JSON allows none, remove it",
        w.breaks(comma, at));
  }

  /** Index {@code i} as a message names it: its column, or in a whole input its line and column. */
  private static String place(Window w, int i, Unit unit) {
    // In a text of several lines (a string given to fromjson), the line when it is another one.
    int back = w.breaks(i, w.at);
    if (unit != Unit.INPUT && (unit != Unit.TEXT || back == 0)) return "column " + w.column(i);
    return "line " + (w.line - back) + ", column " + w.column(i);
  }

  /** A problem at the end of the text: an unclosed string, array or object. */
  private static Problem endOfInput(String m, IOException e, Window w, Unit unit) {
    int col = w.column(w.at);
    if (m.contains("in VALUE_STRING")) return new Problem(col, unit.noun + " ends inside a string: its closing \" is missing");
    if (m.contains("in field name")) return new Problem(col, unit.noun + " ends inside a key: its closing \" is missing");
    JsonStreamContext ctx = context(e);
    if (ctx != null && (ctx.inArray() || ctx.inObject())) {
      return new Problem(col, unit.noun + " ends inside " + (ctx.inArray() ? "an array" : "an object") + " opened at "
          + opened(w, ctx, unit));
    }
    if (m.contains("Unexpected end-of-input")) return new Problem(col, unit.noun + " ends in the middle of a value");
    return new Problem(col, cleaned(e));
  }

  /** Where the array or object of {@code ctx} opened: its column, or its line and column in a whole input. */
  private static String opened(Window w, JsonStreamContext ctx, Unit unit) {
    JsonLocation start = ctx == null ? null : ctx.startLocation(ContentReference.unknown());
    if (start == null) return "an earlier place";
    int i = w.index(start.getLineNr(), start.getColumnNr());
    int col = i >= 0 ? w.column(i) : 0;
    if (unit == Unit.INPUT || unit == Unit.TEXT && start.getLineNr() != w.line) {
      return "line " + start.getLineNr() + (col > 0 ? ", column " + col : "");
    }
    return "column " + (col > 0 ? col : start.getColumnNr());
  }

  private static JsonStreamContext context(IOException e) {
    if (!(e instanceof StreamReadException)) return null;
    JsonParser p = ((StreamReadException) e).getProcessor();
    return p == null ? null : p.getParsingContext();
  }

  /** A number JSON does not allow: leading zeros, a point or exponent without digits, a plus sign. */
  private static Problem number(String m, Window w, int at) {
    int start = at;
    while (start > w.from && isNumberByte(w.b[start - 1])) start--;
    int end = at;
    while (end < w.to && isNumberByte(w.b[end])) end++;
    String text = quote(new String(w.b, start, end - start, StandardCharsets.UTF_8));
    String why;
    if (m.contains("Leading zeroes")) {
      why = text + " is not a JSON number: it cannot start with 0 followed by digits; write it without the zeros, "
          + "or as a string to keep them";
    } else if (m.contains("Decimal point not followed by a digit")) {
      why = text + " is not a JSON number: a decimal point needs a digit after it";
    } else if (m.contains("Exponent indicator not followed by a digit")) {
      why = text + " is not a JSON number: an exponent needs a digit after its e";
    } else if (m.contains("to follow minus sign")) {
      why = text + " is not a JSON number: a minus sign needs a digit after it";
    } else if (m.contains("plus sign")) {
      why = text + " is not a JSON number: leave out the plus sign";
    } else {
      why = text + " is not a JSON number (" + cleaned(m) + ")";
    }
    return new Problem(w.column(start), why);
  }

  private static boolean isNumberByte(byte c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  /** The character outside ASCII the parser stopped at (its bytes are UTF-8); null when there is none. */
  private static Problem nonAscii(Window w) {
    int start = w.oneLine ? w.from : w.lineStart(w.at);
    // Valid UTF-8: the character outside ASCII the parser stopped in or just after, outside any string.
    int c = Math.min(w.at, w.to - 1);
    int lineStart = Math.max(start, w.from);
    while (c >= lineStart && (w.b[c] & 0xFF) < 0x80) c--;
    while (c > lineStart && (w.b[c] & 0xC0) == 0x80) c--;
    if (c < lineStart || (w.b[c] & 0xFF) < 0xC0) return null;
    int cp = new String(w.b, c, sequence(w.b, c, w.to), StandardCharsets.UTF_8).codePointAt(0);
    String u = String.format("U+%04X", cp);
    if (cp == 0xFEFF) {
      return new Problem(w.column(c), "a byte order mark (" + u + ") after the start of the text: remove it");
    }
    if (Character.isSpaceChar(cp)) {
      return new Problem(w.column(c), "a space that is not ASCII (" + u + "): JSON allows only spaces, tabs and line "
          + "breaks between values");
    }
    return new Problem(w.column(c), "'" + new String(Character.toChars(cp)) + "' (" + u + ") outside a string: "
        + "JSON text outside strings is ASCII; put text in double quotes");
  }

  /**
   * The first byte that is not UTF-8 on the problem's line, up to {@code slack} bytes from where the
   * parser stopped (more when it complained of UTF-8: it may stop before the sequence it could not
   * read); null when there is none.
   */
  private static Problem notUtf8(Window w, int slack) {
    if (w.at < 0) return null;
    int start = w.oneLine ? w.from : w.lineStart(w.at);
    int scan = start < 0 ? w.from : start;
    int end = Math.min(w.to, w.at + slack);
    // Bytes kept from the middle of a line may begin with the rest of a character.
    while (start < 0 && scan < end && scan < w.from + 3 && (w.b[scan] & 0xC0) == 0x80) scan++;
    for (int i = scan; i < end; ) {
      int len = sequence(w.b, i, w.to);
      if (len < 0) {
        return new Problem(w.column(i), String.format("a byte that is not UTF-8 (0x%02X): wiz reads JSON as UTF-8; "
            + "convert the input (iconv -f LATIN1 -t UTF-8, for one)", w.b[i] & 0xFF));
      }
      i += len;
    }
    return null;
  }

  /** Whether {@code at} is inside a string that is the first value of the window (no closing quote before it). */
  private static boolean inFirstString(Window w, int at) {
    int first = w.firstNonBlank();
    if (first >= w.to || w.b[first] != '"') return false;
    for (int i = first + 1; i < at && i < w.to; i++) {
      if (w.b[i] == '\\') {
        i++;
      } else if (w.b[i] == '"') {
        return false;
      }
    }
    return true;
  }

  /** Where the word {@code token} that ends at (or starts at) {@code at} starts. */
  private static int tokenStart(Window w, int at, String token) {
    byte[] t = token.getBytes(StandardCharsets.UTF_8);
    for (int s : new int[] {at - t.length, at}) {
      if (s >= w.from && s + t.length <= w.to && java.util.Arrays.equals(w.b, s, s + t.length, t, 0, t.length)) return s;
    }
    return at;
  }

  /** The word that starts at {@code at}: up to white space or a JSON delimiter. */
  private static String word(Window w, int at) {
    int end = at;
    while (end < w.to) {
      byte c = w.b[end];
      if (isBlank(c) || c == ',' || c == ':' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"') break;
      end++;
    }
    return new String(w.b, at, end - at, StandardCharsets.UTF_8);
  }

  /** A word quoted for a message, cut with its length told when it is long. */
  private static String quote(String word) {
    if (word.codePointCount(0, word.length()) <= 40) return "'" + word + "'";
    return "'" + word.substring(0, word.offsetByCodePoints(0, 32)) + "...' (" + word.codePointCount(0, word.length())
        + " characters)";
  }

  /** The character at {@code at}, quoted for a message; "the end" past the text. */
  private static String show(Window w, int at) {
    if (at >= w.to) return "the end";
    int c = w.b[at] & 0xFF;
    if (c < 0x20 || c == 0x7F) return controlName(c);
    return c == '\'' ? "\"'\"" : "'" + showChar(w, at, false) + "'";
  }

  private static String showChar(Window w, int at, boolean quoted) {
    if (at < w.from || at >= w.to) return "";
    int len = sequence(w.b, at, w.to);
    String s = new String(w.b, at, len > 0 ? len : 1, StandardCharsets.UTF_8);
    return quoted ? "'" + s + "'" : s;
  }

  private static String controlName(int c) {
    String u = String.format("U+%04X", c);
    switch (c) {
      case '\t': return "a tab (" + u + ")";
      case '\n': return "a line break (" + u + ")";
      case '\r': return "a carriage return (" + u + ")";
      case 0: return "a NUL character (" + u + ")";
      default: return "a control character (" + u + ")";
    }
  }

  private static String escape(int c) {
    switch (c) {
      case '\t': return "\\t";
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\b': return "\\b";
      case '\f': return "\\f";
      default: return String.format("\\u%04x", c);
    }
  }

  private static final Pattern SOURCE = Pattern.compile(
      "\\[Source: .*?; line: (\\d+)(?:, column: (\\d+))?\\]");
  private static final Pattern CODE = Pattern.compile("\\(('.+?') \\(code \\d+(?: / 0x[0-9a-fA-F]+)?\\)\\)");
  private static final Pattern FEATURE = Pattern.compile(":? ?(?:enable|disable) `[^`]*` to (?:allow|accept)[^;]*");

  /** Jackson's message without its class names, codes and source references, never cut. */
  static String cleaned(IOException e) {
    if (e instanceof StreamConstraintsException) return Errors.message(e);
    String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    return cleaned(m == null ? e.getClass().getSimpleName() : m);
  }

  static String cleaned(String m) {
    m = m.replace("\r", " ").replace("\n", " ");
    m = SOURCE.matcher(m).replaceAll(r -> "line " + r.group(1) + (r.group(2) != null ? ", column " + r.group(2) : ""));
    m = CODE.matcher(m).replaceAll("$1");
    m = CONTROL.matcher(m).replaceAll(r -> String.format("U+%04X", Integer.parseInt(r.group(1))));
    m = FEATURE.matcher(m).replaceAll("");
    m = m.replace("(JSON String, Number, Array, Object or token 'null', 'true' or 'false')", "(" + VALUES + ")");
    m = m.replaceAll("\\s+", " ").strip();
    if (!m.isEmpty()) m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
    return m;
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq 1.6's date builtins, which jackson-jq 1.6.0 lacks: {@code gmtime}, {@code mktime}, {@code
 * strftime}, {@code strptime} (here in Java; {@code todate}, {@code fromdate} and their ISO 8601
 * names are defined in jq over them, in {@link JqDefs}). Always UTC, as jq's are: a "broken down
 * time" is jq's array {@code [year, month (0-11), day of month, hours, minutes, seconds (with a
 * fraction), day of week (0 is Sunday), day of year (0-365)]}. The formats are C's {@code
 * strftime} and {@code strptime} specifiers in the C locale (English names). Where jq 1.6 goes by
 * the C library's quirks, these follow jq 1.7: {@code strptime} fails on text left over after the
 * format (jq 1.6 added it as a ninth element), and {@code mktime} takes an array of at least 6
 * numbers (jq 1.6 wanted all 8).
 */
final class JqDates {
  private JqDates() {}

  static void install(Scope root) {
    root.addFunction("gmtime", 0, (scope, args, in, path, output, version) -> output.emit(gmtime(in), null));
    root.addFunction("mktime", 0, (scope, args, in, path, output, version) -> output.emit(LongNode.valueOf(mktime(in)), null));
    root.addFunction("strftime", 1, (scope, args, in, path, output, version) ->
        args.get(0).apply(scope, in, f -> output.emit(TextNode.valueOf(strftime(in, f)), null)));
    root.addFunction("strptime", 1, (scope, args, in, path, output, version) ->
        args.get(0).apply(scope, in, f -> output.emit(strptime(in, f), null)));
  }

  private static final long MAX_SECONDS = 253_402_300_799L * 100; // about year 318,000: far beyond any date in data

  /** Seconds since the epoch as a broken-down time. */
  static JsonNode gmtime(JsonNode in) throws JsonQueryException {
    if (!in.isNumber()) throw new JsonQueryException("gmtime() requires numeric inputs"); // jq 1.6's words
    double t = in.asDouble();
    if (Double.isNaN(t) || Math.abs(t) > MAX_SECONDS) throw new JsonQueryException("gmtime() cannot represent " + dev.wiz.JsonNumbers.text(in));
    double whole = Math.floor(t);
    LocalDateTime d = LocalDateTime.ofEpochSecond((long) whole, 0, ZoneOffset.UTC);
    return broken(d, d.getSecond() + (t - whole));
  }

  private static ArrayNode broken(LocalDateTime d, double seconds) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(8);
    a.add(d.getYear()).add(d.getMonthValue() - 1).add(d.getDayOfMonth()).add(d.getHour()).add(d.getMinute());
    if (seconds == Math.rint(seconds)) a.add((long) seconds);
    else a.add(DoubleNode.valueOf(seconds));
    a.add(d.getDayOfWeek().getValue() % 7).add(d.getDayOfYear() - 1);
    return a;
  }

  /** A broken-down time as seconds since the epoch (out-of-range fields carry over, as C's timegm does). */
  static long mktime(JsonNode in) throws JsonQueryException {
    if (!in.isArray()) throw new JsonQueryException("mktime requires array inputs");
    return time(in, "mktime requires parsed datetime inputs").toEpochSecond(ZoneOffset.UTC);
  }

  /** The date and time of a broken-down time: its first 6 fields, whole seconds. */
  private static LocalDateTime time(JsonNode a, String message) throws JsonQueryException {
    if (a.size() < 6) throw new JsonQueryException(message);
    double[] f = new double[6];
    for (int i = 0; i < 6; i++) {
      JsonNode n = a.get(i);
      if (!n.isNumber() || !Double.isFinite(n.asDouble()) || Math.abs(n.asDouble()) > 1e11) {
        throw new JsonQueryException(message);
      }
      f[i] = n.asDouble();
    }
    try {
      return LocalDateTime.of((int) f[0], 1, 1, 0, 0).plusMonths((long) f[1]).plusDays((long) f[2] - 1).plusHours((long) f[3])
          .plusMinutes((long) f[4]).plusSeconds((long) Math.floor(f[5]));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new JsonQueryException(message);
    }
  }

  static String strftime(JsonNode in, JsonNode format) throws JsonQueryException {
    if (!format.isTextual()) throw new JsonQueryException("strftime/1 requires a string format");
    if (in.isNumber()) in = gmtime(in);
    if (!in.isArray()) throw new JsonQueryException("strftime/1 requires parsed datetime inputs");
    LocalDateTime d = time(in, "strftime/1 requires parsed datetime inputs");
    String f = format.textValue();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (c != '%' || i + 1 == f.length()) {
        b.append(c);
        continue;
      }
      char s = f.charAt(++i);
      // C's E and O modifiers (another era, other digits) are the plain specifier in the C locale.
      if ((s == 'E' || s == 'O') && i + 1 < f.length()) s = f.charAt(++i);
      if (!format(b, s, d)) b.append('%').append(s); // as C's strftime leaves an unknown one
    }
    return b.toString();
  }

  private static boolean format(StringBuilder b, char s, LocalDateTime d) {
    int hour12 = d.getHour() % 12 == 0 ? 12 : d.getHour() % 12;
    switch (s) {
      case 'a': b.append(d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US)); return true;
      case 'A': b.append(d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US)); return true;
      case 'b': case 'h': b.append(d.getMonth().getDisplayName(TextStyle.SHORT, Locale.US)); return true;
      case 'B': b.append(d.getMonth().getDisplayName(TextStyle.FULL, Locale.US)); return true;
      case 'c': return formats(b, "%a %b %e %H:%M:%S %Y", d);
      case 'C': pad(b, Math.floorDiv(d.getYear(), 100), 2, '0'); return true;
      case 'd': pad(b, d.getDayOfMonth(), 2, '0'); return true;
      case 'D': case 'x': return formats(b, "%m/%d/%y", d);
      case 'e': pad(b, d.getDayOfMonth(), 2, ' '); return true;
      case 'F': return formats(b, "%Y-%m-%d", d);
      case 'g': pad(b, Math.floorMod(d.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0'); return true;
      case 'G': b.append(d.get(IsoFields.WEEK_BASED_YEAR)); return true;
      case 'H': pad(b, d.getHour(), 2, '0'); return true;
      case 'I': pad(b, hour12, 2, '0'); return true;
      case 'j': pad(b, d.getDayOfYear(), 3, '0'); return true;
      case 'k': pad(b, d.getHour(), 2, ' '); return true;
      case 'l': pad(b, hour12, 2, ' '); return true;
      case 'm': pad(b, d.getMonthValue(), 2, '0'); return true;
      case 'M': pad(b, d.getMinute(), 2, '0'); return true;
      case 'n': b.append('\n'); return true;
      case 'p': b.append(d.getHour() < 12 ? "AM" : "PM"); return true;
      case 'P': b.append(d.getHour() < 12 ? "am" : "pm"); return true;
      case 'r': return formats(b, "%I:%M:%S %p", d);
      case 'R': return formats(b, "%H:%M", d);
      case 's': b.append(d.toEpochSecond(ZoneOffset.UTC)); return true;
      case 'S': pad(b, d.getSecond(), 2, '0'); return true;
      case 't': b.append('\t'); return true;
      case 'T': case 'X': return formats(b, "%H:%M:%S", d);
      case 'u': b.append(d.getDayOfWeek().getValue()); return true;
      case 'U': pad(b, (d.getDayOfYear() - 1 + 7 - d.getDayOfWeek().getValue() % 7) / 7, 2, '0'); return true;
      case 'V': pad(b, d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0'); return true;
      case 'w': b.append(d.getDayOfWeek().getValue() % 7); return true;
      case 'W': pad(b, (d.getDayOfYear() - 1 + 7 - (d.getDayOfWeek().getValue() - 1)) / 7, 2, '0'); return true;
      case 'y': pad(b, Math.floorMod(d.getYear(), 100), 2, '0'); return true;
      case 'Y': b.append(d.getYear()); return true;
      case 'z': b.append("+0000"); return true;
      case 'Z': b.append("UTC"); return true;
      case '%': b.append('%'); return true;
      default: return false;
    }
  }

  private static boolean formats(StringBuilder b, String format, LocalDateTime d) {
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c == '%') format(b, format.charAt(++i), d);
      else b.append(c);
    }
    return true;
  }

  private static void pad(StringBuilder b, long n, int width, char with) {
    String s = Long.toString(n);
    for (int i = s.length(); i < width; i++) b.append(with);
    b.append(s);
  }

  /** The fields {@code strptime} sets, as C's {@code struct tm} starts: all 0 (year 1900, day 0). */
  private static final class Fields {
    long year = 1900;
    long month;
    long day;
    long hour;
    long minute;
    long second;
    long dayOfYear = -1;
    int hour12 = -1;
    boolean pm;
    Long epoch;
    /** The day of week read (%a, %u, %w), 0 for Sunday; -1 when none was. */
    int weekday = -1;
    /** The week of the year read with %U (weeks start on Sunday) or %W (on Monday); -1 when none was. */
    int week = -1;
    boolean mondayWeeks;
    boolean haveDate;
    /** A year, month or day was read (C's want_xday): only then does C work out the day of the week and of the year. */
    boolean wantDays;
  }

  static JsonNode strptime(JsonNode in, JsonNode format) throws JsonQueryException {
    if (!in.isTextual() || !format.isTextual()) throw new JsonQueryException("strptime/1 requires string inputs and arguments");
    String text = in.textValue();
    String f = format.textValue();
    Fields t = new Fields();
    int at = parse(text, 0, f, t);
    if (at < 0 || at < text.length()) {
      throw new JsonQueryException("date \"" + text + "\" does not match format \"" + f + "\"");
    }
    LocalDateTime d;
    try {
      if (t.epoch != null) {
        d = LocalDateTime.ofEpochSecond(t.epoch, 0, ZoneOffset.UTC);
      } else {
        long hour = t.hour12 >= 0 ? t.hour12 % 12 + (t.pm ? 12 : 0) : t.hour;
        if (t.week >= 0 && t.weekday >= 0 && !t.haveDate && t.dayOfYear < 0) {
          // A week of the year and a day of the week give the date, as C's strptime computes it.
          int offset = t.mondayWeeks ? 1 : 0;
          int jan1 = LocalDate.of((int) t.year, 1, 1).getDayOfWeek().getValue() % 7;
          t.dayOfYear = Math.floorMod(7 - (jan1 - offset), 7) + (t.week - 1) * 7L + Math.floorMod(t.weekday - offset + 7, 7);
        }
        LocalDate date = t.dayOfYear >= 0 && t.month == 0 && t.day == 0
            ? LocalDate.of((int) t.year, 1, 1).plusDays(t.dayOfYear)
            : LocalDate.of((int) t.year, 1, 1).plusMonths(t.month).plusDays(t.day - 1);
        // A leap second (60, or C's 61) stays in its minute, as C's strptime leaves it; mktime carries it over.
        d = date.atStartOfDay().plusHours(hour).plusMinutes(t.minute).plusSeconds(Math.min(t.second, 59));
      }
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new JsonQueryException("date \"" + text + "\" does not match format \"" + f + "\"");
    }
    ArrayNode a = broken(d, d.getSecond());
    // A day of the week read without a date to check it against stays as read.
    if (t.weekday >= 0 && !t.haveDate && t.dayOfYear < 0 && t.epoch == null) a.set(6, LongNode.valueOf(t.weekday));
    // The day of week and of year are the date's; the other fields are as parsed (day 0 stays 0).
    if (t.epoch == null && !(t.dayOfYear >= 0 && t.month == 0 && t.day == 0)) {
      a.set(0, LongNode.valueOf(t.year));
      a.set(1, LongNode.valueOf(t.month));
      a.set(2, LongNode.valueOf(t.day));
      a.set(5, LongNode.valueOf(t.second));
      long firstOfYear = LocalDate.of((int) t.year, 1, 1).toEpochDay();
      a.set(7, LongNode.valueOf(d.toLocalDate().toEpochDay() - firstOfYear));
    }
    if (t.epoch == null && !t.wantDays && !(t.week >= 0 && t.weekday >= 0)) {
      // No year, month or day read: C's strptime leaves the day of the week and of the year as read,
      // and jq 1.6 (and 1.7) its placeholders, 8 and 367, where nothing was ("10:15" with "%H:%M").
      // A day of the year alone (%j) is not made a month and day either.
      a.set(1, LongNode.valueOf(t.month));
      a.set(2, LongNode.valueOf(t.day));
      a.set(6, LongNode.valueOf(t.weekday >= 0 ? t.weekday : 8));
      a.set(7, LongNode.valueOf(t.dayOfYear >= 0 ? t.dayOfYear : 367));
    }
    return a;
  }

  /** Parses {@code text} from {@code at} by {@code f}; returns where it stopped, or -1 when it does not match. */
  private static int parse(String text, int at, String f, Fields t) {
    for (int i = 0; i < f.length() && at >= 0; i++) {
      char c = f.charAt(i);
      if (Character.isWhitespace(c)) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
      } else if (c != '%' || i + 1 == f.length()) {
        if (at >= text.length() || text.charAt(at) != c) return -1;
        at++;
      } else {
        char s = f.charAt(++i);
        if ((s == 'E' || s == 'O') && i + 1 < f.length()) s = f.charAt(++i); // C's modifiers: the plain one here
        at = field(text, at, s, t);
      }
    }
    return at;
  }

  private static int field(String text, int at, char s, Fields t) {
    // Numbers may have leading blanks, as C's strptime allows.
    int from = at;
    if ("dmeHIjMSyYCskuwUWGgV".indexOf(s) >= 0) {
      while (from < text.length() && text.charAt(from) == ' ') from++;
    }
    switch (s) {
      case 'Y': return number(text, from, 4, v -> { t.year = v; t.wantDays = true; }, true);
      case 'C': return number(text, from, 2, 0, 99, v -> { t.year = v * 100 + Math.floorMod(t.year, 100); t.wantDays = true; }, false);
      case 'y': return number(text, from, 2, 0, 99, v -> { t.year = v < 69 ? 2000 + v : 1900 + v; t.wantDays = true; }, false);
      case 'm': return number(text, from, 2, 1, 12, v -> { t.month = v - 1; t.haveDate = true; t.wantDays = true; }, false);
      case 'd': case 'e': return number(text, from, 2, 1, 31, v -> { t.day = v; t.haveDate = true; t.wantDays = true; }, false);
      case 'u': return number(text, from, 1, 1, 7, v -> t.weekday = (int) (v % 7), false);
      case 'w': return number(text, from, 1, 0, 6, v -> t.weekday = (int) (v % 7), false);
      case 'U': return number(text, from, 2, 0, 53, v -> { t.week = (int) v; t.mondayWeeks = false; }, false);
      case 'W': return number(text, from, 2, 0, 53, v -> { t.week = (int) v; t.mondayWeeks = true; }, false);
      case 'G': return number(text, from, 4, v -> { }, true); // read over, as C's strptime does
      case 'g': case 'V': return number(text, from, 2, v -> { }, false);
      case 'H': case 'k': return number(text, from, 2, 0, 23, v -> t.hour = v, false);
      case 'I': return number(text, from, 2, 1, 12, v -> t.hour12 = (int) v, false);
      case 'M': return number(text, from, 2, 0, 59, v -> t.minute = v, false);
      case 'S': return number(text, from, 2, 0, 61, v -> t.second = v, false);
      case 'j': return number(text, from, 3, 1, 366, v -> t.dayOfYear = v - 1, false);
      case 's': return number(text, from, 19, v -> t.epoch = v, true);
      case 'b': case 'B': case 'h': return name(text, at, true, t);
      case 'a': case 'A': return name(text, at, false, t);
      case 'p': case 'P': {
        if (text.regionMatches(true, at, "AM", 0, 2)) return at + 2;
        if (text.regionMatches(true, at, "PM", 0, 2)) {
          t.pm = true;
          return at + 2;
        }
        return -1;
      }
      case 'Z': {
        // A zone's name is read over, as C's strptime does: jq's times are UTC.
        int k = at;
        while (k < text.length() && Character.isLetter(text.charAt(k))) k++;
        return k;
      }
      case 'z': return offset(text, at);
      case 'T': case 'X': return parse(text, at, "%H:%M:%S", t);
      case 'r': return parse(text, at, "%I:%M:%S %p", t);
      case 'c': return parse(text, at, "%a %b %e %H:%M:%S %Y", t);
      case 'x': return parse(text, at, "%m/%d/%y", t);
      case 'D': return parse(text, at, "%m/%d/%y", t);
      case 'F': return parse(text, at, "%Y-%m-%d", t);
      case 'R': return parse(text, at, "%H:%M", t);
      case 'n': case 't': {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
        return at;
      }
      case '%': return at < text.length() && text.charAt(at) == '%' ? at + 1 : -1;
      default: return -1;
    }
  }

  private interface Setter {
    void set(long v);
  }

  private static int number(String text, int at, int digits, Setter set, boolean sign) {
    return number(text, at, digits, Long.MIN_VALUE, Long.MAX_VALUE, set, sign);
  }

  /** A number of at most {@code digits} digits from {@code min} to {@code max}, as C's strptime reads it; -1 when there is none. */
  private static int number(String text, int at, int digits, long min, long max, Setter set, boolean sign) {
    int k = at;
    boolean negative = false;
    if (sign && k < text.length() && (text.charAt(k) == '-' || text.charAt(k) == '+')) {
      negative = text.charAt(k) == '-';
      k++;
    }
    int start = k;
    long v = 0;
    while (k < text.length() && k - start < digits && text.charAt(k) >= '0' && text.charAt(k) <= '9') {
      v = v * 10 + (text.charAt(k) - '0');
      k++;
    }
    if (k == start || (negative ? -v : v) < min || (negative ? -v : v) > max) return -1;
    set.set(negative ? -v : v);
    return k;
  }

  /** A month or weekday name, full or in three letters, in any case. */
  private static int name(String text, int at, boolean month, Fields t) {
    int count = month ? 12 : 7;
    for (int i = 0; i < count; i++) {
      String full = month ? java.time.Month.of(i + 1).getDisplayName(TextStyle.FULL, Locale.US)
          : DayOfWeek.of(i + 1).getDisplayName(TextStyle.FULL, Locale.US);
      for (String n : new String[] {full, full.substring(0, 3)}) {
        if (text.regionMatches(true, at, n, 0, n.length())) {
          if (month) {
            t.month = i;
            t.haveDate = true;
            t.wantDays = true;
          } else {
            t.weekday = (i + 1) % 7;
          }
          return at + n.length();
        }
      }
    }
    return -1;
  }

  /** {@code Z}, or {@code +hh}, {@code +hhmm}, {@code +hh:mm}: read over; jq's {@code mktime} does not apply it. */
  private static int offset(String text, int at) {
    if (at < text.length() && text.charAt(at) == 'Z') return at + 1;
    if (at >= text.length() || (text.charAt(at) != '+' && text.charAt(at) != '-')) return -1;
    int k = at + 1;
    int digits = 0;
    while (k < text.length() && digits < 4) {
      char c = text.charAt(k);
      if (c >= '0' && c <= '9') {
        digits++;
        k++;
      } else if (c == ':' && digits == 2) {
        k++;
      } else {
        break;
      }
    }
    return digits == 2 || digits == 4 ? k : -1;
  }
}

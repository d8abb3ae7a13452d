package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.JsonNumbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;
import java.util.regex.Pattern;

/** The conversions of {@code cast}: each immutable, shared by every instance. */
final class Casts {
  private Casts() {}

  /** Longer strings are not read as numbers (reading a huge one would take long). */
  static final int MAX_NUMBER_TEXT = 10_000;

  /** The most digits of an int: as many as the JSON reader accepts in a number (Jackson's default). */
  static final int MAX_INT_DIGITS = 1000;

  /** ASCII digits only, in JSON's shape plus a leading {@code +} and a bare {@code .5} or {@code 5.}. */
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** One conversion. {@code null} and missing values never reach it. */
  interface Conversion {
    /** The target as messages name it: {@code int}, {@code timestamp with format 'dd/MM/yyyy'}. */
    String target();

    JsonNode convert(JsonNode value) throws CannotConvert;
  }

  /** The value cannot be converted; the detail, if any, says why beyond "cannot convert". */
  static final class CannotConvert extends Exception {
    CannotConvert(String detail) {
      super(detail, null, false, false);
    }
  }

  static Conversion simple(String to) {
    switch (to) {
      case "string":
        return TO_STRING;
      case "int":
        return TO_INT;
      case "float":
        return TO_FLOAT;
      case "bool":
        return TO_BOOL;
      case "timestamp":
        return Timestamp.DEFAULT;
      default:
        throw new IllegalArgumentException("unknown cast target " + to);
    }
  }

  static final Conversion TO_STRING = new Conversion() {
    @Override
    public String target() {
      return "string";
    }

    @Override
    public JsonNode convert(JsonNode v) {
      if (v.isTextual()) return v;
      if (v.isNumber()) return TextNode.valueOf(JsonNumbers.text(v)); // as the sink would write it
      if (v.isBoolean()) return TextNode.valueOf(v.asText());
      return TextNode.valueOf(v.toString()); // objects and arrays: their compact JSON
    }
  };

  static final Conversion TO_INT = new Conversion() {
    @Override
    public String target() {
      return "int";
    }

    @Override
    public JsonNode convert(JsonNode v) throws CannotConvert {
      if (v.isIntegralNumber()) return v;
      if (v.isBoolean()) return IntNode.valueOf(v.booleanValue() ? 1 : 0);
      BigDecimal d = decimal(v);
      if (d.signum() == 0) return IntNode.valueOf(0);
      BigDecimal s = d.stripTrailingZeros();
      if (s.scale() > 0) throw new CannotConvert("it has a fraction");
      if ((long) s.precision() - s.scale() > MAX_INT_DIGITS) throw new CannotConvert("it has more than " + MAX_INT_DIGITS + " digits");
      return integer(s.toBigIntegerExact());
    }
  };

  static final Conversion TO_FLOAT = new Conversion() {
    @Override
    public String target() {
      return "float";
    }

    @Override
    public JsonNode convert(JsonNode v) throws CannotConvert {
      // A float already, spelled as one (41.0, 1e10, 0.5): as it is. Else spelled as a float, so
      // that a reader of the output sees one: 42 becomes 42.0.
      // An infinity (computed, or read as 1e9999999999) is out of range as 1e400 is.
      if ((v.isDouble() || v.isFloat()) && !Double.isInfinite(v.doubleValue()) && looksFloating(JsonNumbers.text(v))) return v;
      if (v.isBoolean()) return JsonNumbers.floating(v.booleanValue() ? 1 : 0);
      double d = v.isDouble() || v.isFloat() ? v.doubleValue() : decimal(v).doubleValue();
      if (Double.isInfinite(d)) throw new CannotConvert("it is out of the range of a float");
      return JsonNumbers.floating(d);
    }
  };

  static final Conversion TO_BOOL = new Conversion() {
    @Override
    public String target() {
      return "bool";
    }

    @Override
    public JsonNode convert(JsonNode v) throws CannotConvert {
      if (v.isBoolean()) return v;
      if (v.isTextual()) {
        switch (v.textValue().strip().toLowerCase(Locale.ROOT)) {
          case "true": case "yes": case "1":
            return BooleanNode.TRUE;
          case "false": case "no": case "0":
            return BooleanNode.FALSE;
          default:
            throw new CannotConvert(null);
        }
      }
      if (v.isNumber()) {
        BigDecimal d = decimal(v);
        if (d.signum() == 0) return BooleanNode.FALSE;
        if (d.compareTo(BigDecimal.ONE) == 0) return BooleanNode.TRUE;
        throw new CannotConvert("only the numbers 0 and 1 are booleans");
      }
      throw new CannotConvert(null);
    }
  };

  /** Has the number text a fraction or an exponent? */
  private static boolean looksFloating(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') return true;
    }
    return false;
  }

  /** The smallest integer node that holds the value, as the JSON reader would make it. */
  static JsonNode integer(BigInteger i) {
    if (i.bitLength() < 32) return IntNode.valueOf(i.intValue());
    if (i.bitLength() < 64) return LongNode.valueOf(i.longValue());
    return BigIntegerNode.valueOf(i);
  }

  /** A number, or a string that holds one (spaces around it allowed); else it cannot convert. */
  static BigDecimal decimal(JsonNode v) throws CannotConvert {
    if (v.isNumber()) {
      if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) throw new CannotConvert(null);
      return v.decimalValue();
    }
    if (v.isTextual()) {
      String s = v.textValue().strip();
      if (s.length() > MAX_NUMBER_TEXT) throw new CannotConvert("it is too long to be a number");
      if (NUMBER.matcher(s).matches()) {
        try {
          return new BigDecimal(s);
        } catch (NumberFormatException e) {
          throw new CannotConvert("its exponent is out of range");
        }
      }
    }
    throw new CannotConvert(null);
  }

  /** Where a timestamp's text or number comes from, and what it becomes. */
  enum Epoch {
    SECONDS("epoch-seconds", 9),
    MILLIS("epoch-millis", 6);

    final String word;
    /** Decimal places from the unit to nanoseconds. */
    final int toNanos;

    Epoch(String word, int toNanos) {
      this.word = word;
      this.toNanos = toNanos;
    }

    static Epoch of(String word) {
      for (Epoch e : values()) if (e.word.equals(word)) return e;
      return null;
    }
  }

  /** The format keyword for ISO-8601 text, which is also the default output. */
  static final String ISO = "iso";

  /**
   * A timestamp from text (ISO-8601 or a {@link DateTimeFormatter} pattern; without an offset in
   * the value, in {@code zone}) or from an epoch number, to ISO-8601 UTC text or an epoch number.
   */
  static final class Timestamp implements Conversion {
    static final Timestamp DEFAULT = new Timestamp(null, null, ZoneOffset.UTC);

    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000L);
    /** Well beyond the range of {@link Instant} in nanoseconds: larger inputs are out of range at once. */
    private static final BigDecimal MAX_NANOS = new BigDecimal("1e30");

    private final String pattern; // null: ISO or epoch
    private final DateTimeFormatter formatter; // null: ISO or epoch
    private final Epoch from; // null: text
    private final ZoneId zone;
    private final Epoch output; // null: ISO text

    /**
     * @param format null or {@code iso}, {@code epoch-seconds}, {@code epoch-millis}, or a pattern
     *     that {@link #patternProblem} accepts
     * @param output null for ISO-8601 text
     */
    Timestamp(String format, Epoch output, ZoneId zone) {
      this.from = format == null ? null : Epoch.of(format);
      this.pattern = format == null || ISO.equals(format) || from != null ? null : format;
      this.formatter = pattern == null ? null : formatter(pattern);
      this.zone = zone;
      this.output = output;
    }

    /**
     * The formatter of a pattern, resolved strictly (so {@code 2024-02-30} is an error, not the
     * 29th) with the era defaulted, so that {@code yyyy} works as people expect.
     */
    static DateTimeFormatter formatter(String pattern) {
      return new DateTimeFormatterBuilder()
          .appendPattern(pattern)
          .parseDefaulting(ChronoField.ERA, 1)
          .toFormatter(Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * What is wrong with a pattern: it does not compile, or what it writes for a known instant
     * does not read back as a full date (a pattern with no day, say). Empty when it is fine.
     */
    static String patternProblem(String pattern) {
      DateTimeFormatter f;
      try {
        f = formatter(pattern);
      } catch (IllegalArgumentException e) {
        return "invalid date-time pattern '" + pattern + "': " + e.getMessage();
      }
      ZonedDateTime sample = ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);
      try {
        TemporalAccessor t = f.parse(f.format(sample));
        if (t.query(TemporalQueries.localDate()) == null && !t.isSupported(ChronoField.INSTANT_SECONDS)) {
          return "date-time pattern '" + pattern + "' does not give a full date (year, month and day)";
        }
        // A pattern that writes a time of day must read one back: otherwise every value would be
        // read as midnight, its time silently lost ('hh' without 'a', minutes without an hour).
        ZonedDateTime afternoon = ZonedDateTime.of(2024, 5, 1, 13, 47, 29, 123_456_789, ZoneOffset.UTC);
        String written = f.format(afternoon);
        if (!written.equals(f.format(sample.withHour(0))) && f.parse(written).query(TemporalQueries.localTime()) == null) {
          return "date-time pattern '" + pattern + "' reads part of a time of day but not the hour of the day, so "
              + "every value would lose its time: use HH for the hour (or hh or KK with a, the AM/PM marker), "
              + "and give the minutes with the hour and the seconds with the minutes";
        }
      } catch (DateTimeException e) {
        return "date-time pattern '" + pattern + "' cannot read the dates it writes ("
            + e.getMessage() + ")";
      }
      return "";
    }

    @Override
    public String target() {
      if (from != null) return "timestamp from " + from.word;
      return pattern == null ? "timestamp" : "timestamp with format '" + pattern + "'";
    }

    @Override
    public JsonNode convert(JsonNode v) throws CannotConvert {
      Instant t = from != null ? fromEpoch(v) : fromText(v);
      if (output == null) return TextNode.valueOf(t.toString());
      BigDecimal n = BigDecimal.valueOf(t.getEpochSecond()).multiply(BILLION).add(BigDecimal.valueOf(t.getNano()))
          .movePointLeft(output.toNanos).stripTrailingZeros();
      return n.scale() <= 0 ? integer(n.toBigIntegerExact()) : DecimalNode.valueOf(n);
    }

    private Instant fromEpoch(JsonNode v) throws CannotConvert {
      BigDecimal n;
      try {
        n = decimal(v);
      } catch (CannotConvert e) {
        throw new CannotConvert(e.getMessage() != null ? e.getMessage() : "expected a number of "
            + (from == Epoch.SECONDS ? "seconds" : "milliseconds") + " since 1970-01-01T00:00:00Z");
      }
      BigDecimal nanos = n.movePointRight(from.toNanos);
      if (nanos.abs().compareTo(MAX_NANOS) > 0) throw new CannotConvert("it is out of the range of a timestamp");
      BigInteger[] sn = nanos.setScale(0, RoundingMode.FLOOR).toBigInteger().divideAndRemainder(BILLION.toBigInteger());
      long seconds = sn[0].longValue();
      long nano = sn[1].longValue();
      if (nano < 0) {
        seconds--;
        nano += 1_000_000_000L;
      }
      try {
        return Instant.ofEpochSecond(seconds, nano);
      } catch (DateTimeException e) {
        throw new CannotConvert("it is out of the range of a timestamp");
      }
    }

    private Instant fromText(JsonNode v) throws CannotConvert {
      if (!v.isTextual()) {
        throw new CannotConvert("expected a string" + (v.isNumber() ? " (for epoch numbers, use format: epoch-seconds or epoch-millis)" : ""));
      }
      String text = v.textValue().strip();
      if (formatter != null) return resolve(parse(formatter, text));
      TemporalAccessor t;
      try {
        t = DateTimeFormatter.ISO_DATE_TIME.parse(text);
      } catch (DateTimeParseException dateTime) {
        try {
          t = DateTimeFormatter.ISO_LOCAL_DATE.parse(text);
        } catch (DateTimeParseException date) {
          // a date alone that reads but is no date (2024-02-30) says so; else where the date-time stops matching
          throw new CannotConvert(why(date.getCause() != null ? date : dateTime));
        }
      }
      return resolve(t);
    }

    private static TemporalAccessor parse(DateTimeFormatter f, String text) throws CannotConvert {
      try {
        return f.parse(text);
      } catch (DateTimeParseException e) {
        throw new CannotConvert(why(e));
      }
    }

    /** Why the text did not parse, without repeating the text (it may be huge). */
    private static String why(DateTimeParseException e) {
      if (e.getCause() != null && e.getCause().getMessage() != null) return e.getCause().getMessage();
      return "it does not match at character " + (e.getErrorIndex() + 1);
    }

    private Instant resolve(TemporalAccessor t) throws CannotConvert {
      try {
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) return Instant.from(t);
        LocalDate date = t.query(TemporalQueries.localDate());
        if (date == null) throw new CannotConvert("it has no full date");
        LocalTime time = t.query(TemporalQueries.localTime());
        ZoneId z = t.query(TemporalQueries.zone());
        return ZonedDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time, z == null ? zone : z).toInstant();
      } catch (DateTimeException e) {
        throw new CannotConvert(e.getMessage());
      }
    }
  }
}

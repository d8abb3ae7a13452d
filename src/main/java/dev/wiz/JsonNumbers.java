package dev.wiz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How wiz spells numbers. A number read from the input keeps the text it was written with
 * ({@link WrittenNumber}, unless that text is the one below anyway); a number computed (by jq, say)
 * is a plain Jackson node and is written as jq 1.6 writes it ({@link #jq(double)}): {@code 3}, not
 * {@code 3.0}; {@code 1e+19}, not {@code 1.0E19}; {@code null} for NaN. Integers and exact
 * decimals are written with their digits.
 */
public final class JsonNumbers {
  private JsonNumbers() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** What jq 1.6 writes for an infinite number: the largest double. */
  private static final String MAX = "1.7976931348623157e+308";

  /**
   * The text jq 1.6 writes for a double: the shortest digits that read back as the same double,
   * laid out as its {@code jvp_dtoa_fmt} does. Plain unless the decimal point is more than 15
   * places past the last digit or more than 3 zeros before the first ({@code 1e+17}, {@code
   * 1e-05}), with an exponent of at least two digits; {@code 3} for 3.0, {@code -0} for -0.0,
   * {@code null} for NaN, ±1.7976931348623157e+308 for the infinities.
   */
  public static String jq(double d) {
    if (d != d) return "null";
    if (d == Double.POSITIVE_INFINITY) return MAX;
    if (d == Double.NEGATIVE_INFINITY) return "-" + MAX;
    // Schubfach: the shortest digits (at least two), in the JDK's layout: plain from 1e-3 to 1e7,
    // and there jq's is the same but for the ".0" of a whole number.
    String s = NumberOutput.toString(d, true);
    int e = s.indexOf('E');
    if (e < 0) return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    return layout(s, e, d);
  }

  /** jq's layout of the JDK's {@code [-]d.dddE[-]n}. */
  private static String layout(String s, int e, double d) {
    boolean negative = s.charAt(0) == '-';
    StringBuilder digits = new StringBuilder(20);
    for (int i = negative ? 1 : 0; i < e; i++) {
      char c = s.charAt(i);
      if (c != '.') digits.append(c);
    }
    while (digits.length() > 1 && digits.charAt(digits.length() - 1) == '0') digits.setLength(digits.length() - 1);
    int decpt = Integer.parseInt(s, e + 1, s.length(), 10) + 1; // digits d1d2... stand for 0.d1d2... * 10^decpt
    if (digits.length() == 2 && Math.abs(d) < Double.MIN_NORMAL) {
      // The JDK gives at least two digits; among the few a subnormal has, one may do (5e-324,
      // where the JDK says 4.9E-324): jq gives the one closest to the double.
      BigDecimal one = new BigDecimal(d).abs().round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (one.doubleValue() == Math.abs(d)) {
        digits.setLength(0);
        digits.append(one.unscaledValue());
        decpt = one.precision() - one.scale();
      }
    }
    StringBuilder out = new StringBuilder(26);
    if (negative) out.append('-');
    int nd = digits.length();
    if (decpt <= -4 || decpt > nd + 15) {
      out.append(digits.charAt(0));
      if (nd > 1) out.append('.').append(digits, 1, nd);
      int x = decpt - 1;
      out.append('e').append(x < 0 ? '-' : '+');
      x = Math.abs(x);
      if (x < 10) out.append('0');
      out.append(x);
    } else if (decpt <= 0) {
      out.append("0.");
      for (int i = decpt; i < 0; i++) out.append('0');
      out.append(digits);
    } else if (decpt >= nd) {
      out.append(digits);
      for (int i = nd; i < decpt; i++) out.append('0');
    } else {
      out.append(digits, 0, decpt).append('.').append(digits, decpt, nd);
    }
    return out.toString();
  }

  /**
   * The text wiz writes for a number node: a written number's own text, a double's as jq writes it,
   * an integer's or a decimal's digits.
   */
  public static String text(JsonNode number) {
    if (number instanceof WrittenNumber) return ((WrittenNumber) number).text();
    if (number.isDouble() || number.isFloat()) return jq(number.doubleValue());
    return number.asText();
  }

  /**
   * A number's value as text, the same for numbers that are equal in jq's sense, as {@code
   * aggregate} and {@code sort} compare them, and different for any others: the digits of its
   * value without trailing zeros, then {@code e} and how many zeros they stand for ({@code 1}, {@code
   * 1.0} and {@code 1e0} are {@code 1}; {@code 100} and {@code 1e2} are {@code 1e2}; {@code 0.25} is
   * {@code 25e-2}); {@code 0} for every zero ({@code -0.0} too); a double taken at its shortest
   * decimal form ({@code 0.1} is {@code 1e-1}); {@code NaN}, {@code Infinity}, {@code -Infinity} for
   * what jq computes.
   */
  public static String valueText(JsonNode number) {
    JsonNode n = number instanceof WrittenNumber ? ((WrittenNumber) number).value() : number;
    if (n.isDouble() || n.isFloat()) {
      double d = n.doubleValue();
      if (d != d) return "NaN";
      if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
      // A whole double below 2^53 is its own shortest decimal form.
      if (d == Math.rint(d) && Math.abs(d) < 0x1p53) return integerText((long) d);
      return decimalText(new BigDecimal(NumberOutput.toString(d, true)));
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong() ? integerText(n.longValue()) : decimalText(new BigDecimal(n.bigIntegerValue()));
    }
    return decimalText(n.decimalValue());
  }

  private static String integerText(long v) {
    if (v == 0) return "0";
    int zeros = 0;
    while (v % 10 == 0) {
      v /= 10;
      zeros++;
    }
    return zeros == 0 ? Long.toString(v) : v + "e" + zeros;
  }

  private static String decimalText(BigDecimal b) {
    if (b.signum() == 0) return "0";
    BigDecimal s = b.stripTrailingZeros();
    return s.scale() == 0 ? s.unscaledValue().toString() : s.unscaledValue() + "e" + (-(long) s.scale());
  }

  /**
   * A double spelled as a floating number, for steps whose output is one by definition (a cast to
   * float, an average): jq's text, unless that would look like an integer; then with {@code .0}
   * ({@code 2.0}), or, past 16 digits, with an exponent as Python writes it ({@code
   * 9.223372036854776e+18}). {@code 0.5} and {@code 1e+20} are jq's.
   */
  public static JsonNode floating(double d) {
    if (!Double.isFinite(d)) return DoubleNode.valueOf(d);
    String jq = jq(d);
    for (int i = 0; i < jq.length(); i++) {
      char c = jq.charAt(i);
      if (c == '.' || c == 'e') return DoubleNode.valueOf(d);
    }
    int sign = jq.charAt(0) == '-' ? 1 : 0;
    int digits = jq.length() - sign;
    if (digits <= 16) return new WrittenNumber(DoubleNode.valueOf(d), jq + ".0");
    int last = jq.length();
    while (jq.charAt(last - 1) == '0') last--;
    StringBuilder b = new StringBuilder(jq.length()).append(jq, 0, sign + 1);
    if (last > sign + 1) b.append('.').append(jq, sign + 1, last);
    return new WrittenNumber(DoubleNode.valueOf(d), b.append("e+").append(digits - 1).toString());
  }

  /**
   * The node for the integer at the parser's current token, as wiz reads numbers: by size; {@code
   * -0} (a double to jq, which writes it as {@code -0}) keeps its text.
   */
  public static JsonNode readInt(JsonParser p) throws IOException {
    switch (p.getNumberType()) {
      case INT: {
        int i = p.getIntValue();
        return i != 0 ? NODES.numberNode(i) : zero(p);
      }
      case LONG:
        return NODES.numberNode(p.getLongValue());
      default:
        return NODES.numberNode(p.getBigIntegerValue());
    }
  }

  /** 0, or -0 kept as written, an integer 0 to wiz. */
  private static JsonNode zero(JsonParser p) throws IOException {
    if (p.getTextCharacters()[p.getTextOffset()] == '-') return new WrittenNumber(NODES.numberNode(0), "-0");
    return NODES.numberNode(0);
  }

  /**
   * The node for the number with a fraction or an exponent at the parser's current token, as wiz
   * reads numbers: a double, unless a double cannot be that number (it would overflow to infinity,
   * vanish to zero, or drop digits: more than the 17 significant digits a double tells apart),
   * when it is kept exact, so {@code 1e400} stays a number and {@code 0.10000000000000000001}
   * keeps its digits. Whatever the value, the number keeps the text it was written with ({@code
   * 1e10}, {@code 41.0}) unless that is the text wiz would write for it anyway ({@code 41.37}):
   * the common case costs what it did.
   */
  public static JsonNode readFloat(JsonParser p) throws IOException {
    char[] text = p.getTextCharacters();
    int off = p.getTextOffset();
    int len = p.getTextLength();
    if (isJqText(text, off, len)) return NODES.numberNode(p.getDoubleValue());
    return new WrittenNumber(value(p), new String(text, off, len));
  }

  /**
   * The value of a number with a fraction or exponent: a double when a double is that number, else
   * the exact decimal; past what an exact decimal holds (an exponent beyond 32 bits: {@code
   * 1e9999999999}, {@code 1e-2147483648}) the double jq 1.6 reads it as, infinite or zero.
   */
  private static NumericNode value(JsonParser p) throws IOException {
    double d = p.getDoubleValue();
    if (Double.isFinite(d) && (p.getTextLength() <= 17 || significantDigits(p) <= 17) && (d != 0 || significantDigits(p) == 0)) {
      return DoubleNode.valueOf(d);
    }
    return exact(p, d);
  }

  /**
   * The exact decimal of the number, or its double {@code d} when no decimal is that number. Its
   * trailing zeros are stripped, so that one value is one decimal however it was written ({@code
   * 12345678901234567.5} and {@code 12345678901234567.50}, {@code 1e400} and {@code 10e399}): its
   * canonical bytes (hash, dedupe) are the value's.
   */
  private static NumericNode exact(JsonParser p, double d) throws IOException {
    try {
      return DecimalNode.valueOf(p.getDecimalValue().stripTrailingZeros());
    } catch (NumberFormatException e) {
      return DoubleNode.valueOf(d); // its scale does not fit an int: infinite or zero, as jq reads it
    }
  }

  /**
   * The digits of the number's text from its first non-zero digit to its last before the exponent
   * (trailing zeros add none: {@code 1.000000000000000000000} is a double, as {@code 1.0} is).
   */
  private static int significantDigits(JsonParser p) throws IOException {
    char[] text = p.getTextCharacters();
    int n = 0;
    int zeros = 0; // since the last non-zero digit
    for (int i = p.getTextOffset(), end = i + p.getTextLength(); i < end; i++) {
      char c = text[i];
      if (c == 'e' || c == 'E') break;
      if (c == '0') {
        if (n > 0) zeros++;
      } else if (c >= '1' && c <= '9') {
        n += zeros + 1;
        zeros = 0;
      }
    }
    return n;
  }

  /**
   * Whether {@link #jq} of the double this JSON number text reads as is the text itself, told from
   * the text alone (false when that would take more): a fraction that does not end in 0, no
   * exponent, at most 15 significant digits (then they are the shortest that read back) and at
   * most 3 zeros after the point before the first digit ({@code 0.0001234} is jq's too, {@code
   * 0.00001234} is {@code 1.234e-05}).
   */
  static boolean isJqText(char[] c, int off, int len) {
    int end = off + len;
    int i = off;
    if (i < end && c[i] == '-') i++;
    int intStart = i;
    while (i < end && c[i] >= '0' && c[i] <= '9') i++;
    int intLen = i - intStart;
    if (intLen == 0 || i >= end || c[i] != '.') return false;
    int fracStart = ++i;
    while (i < end && c[i] >= '0' && c[i] <= '9') i++;
    if (i != end || fracStart == end || c[end - 1] == '0') return false;
    int significant;
    if (intLen == 1 && c[intStart] == '0') {
      int zeros = 0;
      while (c[fracStart + zeros] == '0') zeros++;
      if (zeros > 3) return false;
      significant = end - fracStart - zeros;
    } else {
      if (c[intStart] == '0') return false; // not JSON: the parser never gives it
      significant = intLen + end - fracStart;
    }
    return significant <= 15;
  }
}

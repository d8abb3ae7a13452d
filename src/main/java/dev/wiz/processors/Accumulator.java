package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.wiz.JsonNumbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The state of one aggregate operation for one group. Every operation but {@code count} ignores
 * null and missing values; {@code sum} and {@code avg} accept numbers only (the caller checks with
 * {@link Op#accepts} before adding, so a bad record changes no group).
 */
abstract class Accumulator {

  /** The operations of the {@code aggregate} processor. */
  enum Op {
    COUNT(false),
    SUM(true),
    MIN(true),
    MAX(true),
    AVG(true),
    FIRST(true),
    LAST(true),
    COUNT_DISTINCT(true);

    /** Does it read a value ({@code of})? */
    final boolean needsValue;

    Op(boolean needsValue) {
      this.needsValue = needsValue;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Op of(String label) {
      for (Op op : values()) {
        if (op.label().equals(label)) return op;
      }
      throw new IllegalArgumentException("unknown aggregate operation '" + label + "'");
    }

    /** Why the operation cannot take the value, or null when it can. */
    String refusal(JsonNode v) {
      if (this != SUM && this != AVG) return null;
      if (JsonOrder.isNull(v)) return null;
      if (!v.isNumber()) return label() + " needs numbers, got " + JsonKinds.kind(v);
      return null;
    }

    boolean accepts(JsonNode v) {
      return refusal(v) == null;
    }

    Accumulator create() {
      switch (this) {
        case COUNT: return new Count();
        case SUM: return new Sum(false);
        case AVG: return new Sum(true);
        case MIN: return new Extreme(-1);
        case MAX: return new Extreme(1);
        case FIRST: return new Pick(true);
        case LAST: return new Pick(false);
        default: return new Distinct();
      }
    }
  }

  /** Adds one record's value (MissingNode when the expression had no output, or for count). */
  abstract void add(JsonNode v);

  /** The aggregate of what was added. */
  abstract JsonNode result();

  private static final class Count extends Accumulator {
    private long n;

    @Override
    void add(JsonNode v) {
      n++;
    }

    @Override
    JsonNode result() {
      return JsonNodeFactory.instance.numberNode(n);
    }
  }

  /**
   * An exact sum: a long while it fits, then a BigDecimal; avg divides it by the count. A number
   * beyond the range of a double (infinite or NaN, {@code 1e400}, {@code 1e-400}, {@code
   * 1e99999999}) has no exact sum that costs what other numbers cost (with {@code 1} that of
   * {@code 1e99999999} has 100 million digits): once one is added, the sum is jq's, the doubles of
   * the numbers added in their order, kept alongside from the start.
   */
  private static final class Sum extends Accumulator {
    private final boolean average;
    private long small;
    private BigDecimal big; // once the sum left the long fast path
    private boolean decimal; // a non-integer was added
    private double doubles; // jq's sum: the numbers' doubles
    private boolean inexact; // a number beyond a double's range was added: the sum is jq's
    private long count;

    Sum(boolean average) {
      this.average = average;
    }

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      count++;
      doubles += v.doubleValue();
      if (inexact) return;
      if (big == null && v.isIntegralNumber() && v.canConvertToLong()) {
        long x = v.longValue();
        long r = small + x;
        if (((small ^ r) & (x ^ r)) >= 0) {
          small = r;
          return;
        }
      }
      if (beyondDouble(v)) {
        inexact = true;
        big = null;
        return;
      }
      if (!v.isIntegralNumber()) decimal = true;
      if (big == null) big = BigDecimal.valueOf(small);
      big = big.add(JsonOrder.decimal(v));
    }

    @Override
    JsonNode result() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      if (average) {
        if (count == 0) return NullNode.getInstance();
        if (inexact) return JsonNumbers.floating(doubles / count);
        BigDecimal total = big == null ? BigDecimal.valueOf(small) : big;
        return JsonNumbers.floating(total.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue());
      }
      if (inexact) return JsonNumbers.floating(doubles); // as any decimal sum: 1.0; 1.7976931348623157e+308; null for NaN
      if (big == null) return f.numberNode(small);
      if (!decimal) {
        BigInteger i = big.toBigIntegerExact();
        return i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
      }
      return number(big);
    }
  }

  /**
   * Is the number beyond the range of a double: infinite or NaN, or a decimal a double would make
   * infinite or zero. Integers are not (the reader's limit keeps them to 1000 digits, whose sums
   * cost little): they stay integers at any size.
   */
  static boolean beyondDouble(JsonNode v) {
    if (v.isIntegralNumber()) return false;
    if (v.isBigDecimal()) {
      BigDecimal d = v.decimalValue();
      double x = d.doubleValue();
      return !Double.isFinite(x) || (x == 0 && d.signum() != 0);
    }
    return !Double.isFinite(v.doubleValue());
  }

  /**
   * A decimal as the readers would give it: a double when the double is exactly this value
   * (0.3, 3.0; spelled as a floating number, 3.0 and not 3), else the exact decimal, so no digit
   * of an exact sum is lost.
   */
  static JsonNode number(BigDecimal d) {
    double x = d.doubleValue();
    if (Double.isFinite(x) && new BigDecimal(Double.toString(x)).compareTo(d) == 0) {
      return JsonNumbers.floating(x);
    }
    return DecimalNode.valueOf(d);
  }

  /** min (sign -1) or max (sign 1) in jq's order; the first of equal values is kept. */
  private static final class Extreme extends Accumulator {
    private final int sign;
    private JsonNode best;

    Extreme(int sign) {
      this.sign = sign;
    }

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      if (best == null || JsonOrder.compareValues(v, best) * sign > 0) best = v;
    }

    @Override
    JsonNode result() {
      return best == null ? NullNode.getInstance() : best;
    }
  }

  /** The first or the last value that is not null. */
  private static final class Pick extends Accumulator {
    private final boolean first;
    private JsonNode picked;

    Pick(boolean first) {
      this.first = first;
    }

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      if (!first || picked == null) picked = v;
    }

    @Override
    JsonNode result() {
      return picked == null ? NullNode.getInstance() : picked;
    }
  }

  /** The number of distinct values that are not null; equal in jq's sense is one value (1 and 1.0). */
  private static final class Distinct extends Accumulator {
    private final TreeSet<JsonNode> seen = new TreeSet<>(JsonOrder.INSTANCE);

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      seen.add(v);
    }

    @Override
    JsonNode result() {
      return JsonNodeFactory.instance.numberNode((long) seen.size());
    }
  }
}

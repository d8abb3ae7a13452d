package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.wiz.JsonNumbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The state of one aggregate operation for one group. Every operation but {@code count} ignores
 * null and missing values; some accept numbers only (the caller checks with {@link Spec#refusal}
 * before adding, so a bad record changes no group).
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
    COUNT_DISTINCT(true),
    MEDIAN(true),
    PERCENTILE(true),
    COLLECT(true),
    COLLECT_DISTINCT(true),
    VAR(true),
    STDDEV(true);

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

    /** Is it a quantile (median, percentile), which takes a {@code method}? */
    boolean quantile() {
      return this == MEDIAN || this == PERCENTILE;
    }

    /** Does it keep one of the values it was given (first, last, min, max)? */
    boolean keepsOne() {
      return this == MIN || this == MAX || this == FIRST || this == LAST;
    }

    /** Does it hold the group's values in a {@link Held} list (shared by the operations on one expression)? */
    boolean holds() {
      return quantile() || this == COLLECT;
    }
  }

  /** How median and percentile find their value. */
  enum Method {
    /** Between the two nearest values, as SQL's percentile_cont: numbers only. */
    LINEAR,
    /** The value at rank ceil(p * n), as SQL's percentile_disc: any value, in jq's order. */
    NEAREST_RANK;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Method of(String label) {
      for (Method m : values()) {
        if (m.label().equals(label)) return m;
      }
      throw new IllegalArgumentException("unknown method '" + label + "': give linear or nearest-rank");
    }
  }

  /**
   * An operation with its parameters: for median and percentile, the fraction {@code p} of the
   * values at or below the result (0.5 for median) and the method; null and LINEAR otherwise.
   */
  record Spec(Op op, BigDecimal p, Method method) {
    Spec {
      if (op == Op.MEDIAN) p = new BigDecimal("0.5");
      if (method == null) method = Method.LINEAR;
    }

    static Spec of(Op op) {
      return new Spec(op, null, null);
    }

    /** Why the operation cannot take the value, or null when it can. */
    String refusal(JsonNode v) {
      if (JsonOrder.isNull(v) || v.isNumber()) return null;
      switch (op) {
        case SUM:
        case AVG:
        case VAR:
        case STDDEV:
          return op.label() + " needs numbers, got " + JsonKinds.kind(v);
        case MEDIAN:
        case PERCENTILE:
          if (method == Method.LINEAR) {
            return op.label() + " needs numbers, got " + JsonKinds.kind(v)
                + " (method nearest-rank takes any value, in jq's order)";
          }
          return null;
        default:
          return null;
      }
    }

    /**
     * A new state for one group. An operation that holds values keeps them in {@code held}, which
     * other operations on the same expression share; only its {@code owner} adds to it.
     */
    Accumulator create(Held held, boolean owner) {
      switch (op) {
        case COUNT: return new Count();
        case SUM: return new Sum(false);
        case AVG: return new Sum(true);
        case MIN: return new Extreme(-1);
        case MAX: return new Extreme(1);
        case FIRST: return new Pick(true);
        case LAST: return new Pick(false);
        case COUNT_DISTINCT: return new Distinct();
        case MEDIAN:
        case PERCENTILE: return new Quantile(held, owner, p, method);
        case COLLECT: return new Collect(held, owner);
        case COLLECT_DISTINCT: return new CollectDistinct();
        case VAR: return new Variance(false);
        default: return new Variance(true);
      }
    }
  }

  /** Adds one record's value (MissingNode when the expression had no output, or for count). */
  abstract void add(JsonNode v);

  /** The aggregate of what was added. */
  abstract JsonNode result();

  /**
   * What was added so far, as a JSON value a spill file keeps exactly ({@link SpillFile}): {@link
   * #merge} of it into a new state of the same operation gives this state back. Null for the
   * operations whose values are in a {@link Held} list (written with the group).
   */
  abstract JsonNode state();

  /**
   * Adds the {@link #state} of the same group made from records that came after those added
   * here: the result is the one of adding them all in input order, to the byte.
   */
  abstract void merge(JsonNode state);

  /** How many distinct values it holds in a set of its own (count-distinct, collect-distinct). */
  int distinctValues() {
    return 0;
  }

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

    @Override
    JsonNode state() {
      return JsonNodeFactory.instance.numberNode(n);
    }

    @Override
    void merge(JsonNode state) {
      n += state.longValue();
    }
  }

  /**
   * An exact sum: a long while it fits, then a BigDecimal; avg divides it by the count. A number
   * beyond the range of a double (infinite or NaN, {@code 1e400}, {@code 1e-400}, {@code
   * 1e99999999}) has no exact sum that costs what other numbers cost (with {@code 1} that of
   * {@code 1e99999999} has 100 million digits): it is taken as its double, as jq reads it. One a
   * double makes zero adds nothing (but makes the sum a floating number); an infinity or NaN makes
   * the sum what jq's sum of doubles is, NaN, or an infinity (both infinities make NaN). All of it
   * adds up in any grouping, so states made apart merge to the same sum ({@link #merge}).
   */
  private static final class Sum extends Accumulator {
    private final boolean average;
    private long small;
    private BigDecimal big; // once the sum left the long fast path
    private boolean decimal; // a non-integer was added
    private int beyond; // the infinities and NaN added (see #beyond(JsonNode))
    private long count;

    Sum(boolean average) {
      this.average = average;
    }

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      count++;
      if (big == null && v.isIntegralNumber() && v.canConvertToLong() && addSmall(v.longValue())) return;
      if (beyondDouble(v)) {
        beyond |= beyond(v);
        decimal = true;
        return;
      }
      if (!v.isIntegralNumber()) decimal = true;
      addBig(JsonOrder.decimal(v));
    }

    private boolean addSmall(long x) {
      long r = small + x;
      if (((small ^ r) & (x ^ r)) < 0) return false;
      small = r;
      return true;
    }

    private void addBig(BigDecimal x) {
      if (big == null) big = BigDecimal.valueOf(small);
      big = big.add(x);
    }

    @Override
    JsonNode result() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      if (average && count == 0) return NullNode.getInstance();
      if (beyond != 0) return JsonNumbers.floating(infinite(beyond)); // 1.7976931348623157e+308; null for NaN
      BigDecimal total = big == null ? BigDecimal.valueOf(small) : big;
      if (average) return JsonNumbers.floating(total.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue());
      if (big == null) return decimal ? number(total) : f.numberNode(small);
      if (!decimal) {
        BigInteger i = big.toBigIntegerExact();
        return i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
      }
      return number(big);
    }

    @Override
    JsonNode state() {
      ArrayNode s = JsonNodeFactory.instance.arrayNode(4);
      return s.add(count).add(exact(small, big)).add(decimal).add(beyond);
    }

    @Override
    void merge(JsonNode state) {
      count += state.get(0).longValue();
      JsonNode sum = state.get(1);
      if (big != null || sum.isTextual() || !addSmall(sum.longValue())) addBig(decimal(sum));
      decimal |= state.get(2).booleanValue();
      beyond |= state.get(3).intValue();
    }
  }

  /** {@link Accumulator#beyond(JsonNode)}: an infinity was added. */
  private static final int POSITIVE = 1;
  private static final int NEGATIVE = 2;
  private static final int NAN = 4;

  /**
   * What a number beyond a double's range ({@link #beyondDouble}) is as a double: NAN, POSITIVE
   * or NEGATIVE for NaN and the infinities (a decimal a double makes infinite is one), 0 for one a
   * double makes zero.
   */
  private static int beyond(JsonNode v) {
    double d = v.doubleValue();
    if (Double.isNaN(d)) return NAN;
    if (Double.isInfinite(d)) return d > 0 ? POSITIVE : NEGATIVE;
    return 0;
  }

  /** jq's sum of doubles with these infinities and NaN in it: NaN, or the infinity. */
  private static double infinite(int beyond) {
    if ((beyond & NAN) != 0 || beyond == (POSITIVE | NEGATIVE)) return Double.NaN;
    return beyond == POSITIVE ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
  }

  /** An exact sum in a state: the long while it is one, else the decimal's text (its scale kept). */
  private static JsonNode exact(long small, BigDecimal big) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return big == null ? f.numberNode(small) : f.textNode(big.toString());
  }

  /** An exact sum from a state, as a decimal. */
  private static BigDecimal decimal(JsonNode exact) {
    return exact.isTextual() ? new BigDecimal(exact.textValue()) : BigDecimal.valueOf(exact.longValue());
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

    @Override
    JsonNode state() {
      return result();
    }

    /** The later best replaces this one only when it is strictly beyond it: of equal values the first stays. */
    @Override
    void merge(JsonNode state) {
      add(state);
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

    @Override
    JsonNode state() {
      return result();
    }

    /** The first stays; the last is the later one's when it has one. */
    @Override
    void merge(JsonNode state) {
      add(state);
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

    /** The distinct values, in jq's order. */
    @Override
    JsonNode state() {
      return JsonNodeFactory.instance.arrayNode(seen.size()).addAll(seen);
    }

    @Override
    void merge(JsonNode state) {
      for (JsonNode v : state) seen.add(v);
    }

    @Override
    int distinctValues() {
      return seen.size();
    }
  }

  /**
   * The values that are not null of one expression, in input order: held once per group for
   * every median, percentile and collect of that expression. Sorted in place when no collect needs
   * the input order, else into a copy.
   */
  static final class Held {
    private final boolean keepOrder;
    private ArrayList<JsonNode> values = new ArrayList<>();
    private List<JsonNode> sorted;

    Held(boolean keepOrder) {
      this.keepOrder = keepOrder;
    }

    void add(JsonNode v) {
      values.add(v);
    }

    int size() {
      return values.size();
    }

    /** The values in input order (only when made to keep it). */
    List<JsonNode> inOrder() {
      return values;
    }

    /** The values in jq's order; equal values in input order. */
    List<JsonNode> sorted() {
      if (sorted == null) {
        List<JsonNode> s = keepOrder ? new ArrayList<>(values) : values;
        s.sort(JsonOrder.INSTANCE); // stable
        sorted = s;
      }
      return sorted;
    }

    /** The values in input order, for a spill file. */
    JsonNode state() {
      return JsonNodeFactory.instance.arrayNode(values.size()).addAll(values);
    }

    /** Appends the values held for the same group from later records. */
    void merge(JsonNode state) {
      values.ensureCapacity(values.size() + state.size());
      for (JsonNode v : state) values.add(v);
    }

    /** Lets the values go once the group's results are made. */
    void release() {
      values = new ArrayList<>();
      sorted = null;
    }
  }

  /**
   * median (p 0.5) and percentile. LINEAR: at h = p * (n - 1) in the sorted values, the value at
   * floor(h) plus the fraction of h times the step to the next value, computed exactly (SQL's
   * percentile_cont, Miller's -i, numpy's default); a value that falls on a held value is that
   * value as written. NEAREST_RANK: the value at rank ceil(p * n), at least 1 (SQL's
   * percentile_disc), of any type.
   */
  private static final class Quantile extends Accumulator {
    private final Held held;
    private final boolean owner;
    private final BigDecimal p;
    private final Method method;

    Quantile(Held held, boolean owner, BigDecimal p, Method method) {
      this.held = held;
      this.owner = owner;
      this.p = p;
      this.method = method;
    }

    @Override
    void add(JsonNode v) {
      if (owner && !JsonOrder.isNull(v)) held.add(v);
    }

    /** The values are in the Held list, which the group writes. */
    @Override
    JsonNode state() {
      return null;
    }

    @Override
    void merge(JsonNode state) {}

    @Override
    JsonNode result() {
      List<JsonNode> s = held.sorted();
      int n = s.size();
      if (n == 0) return NullNode.getInstance();
      if (method == Method.NEAREST_RANK) {
        int rank = p.multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).intValueExact();
        return s.get(Math.max(rank, 1) - 1);
      }
      BigDecimal h = p.multiply(BigDecimal.valueOf(n - 1L));
      int i = h.setScale(0, RoundingMode.FLOOR).intValueExact();
      BigDecimal fraction = h.subtract(BigDecimal.valueOf(i));
      JsonNode lo = s.get(i);
      if (fraction.signum() == 0 || i + 1 >= n) return lo;
      JsonNode hi = s.get(i + 1);
      if (JsonOrder.compareValues(lo, hi) == 0) return lo;
      return between(lo, hi, fraction);
    }
  }

  /**
   * lo + fraction * (hi - lo): exact (a double when that is exact, else the exact decimal); in
   * doubles, as jq computes, when either is beyond a double's range (its exact value can have
   * millions of digits).
   */
  static JsonNode between(JsonNode lo, JsonNode hi, BigDecimal fraction) {
    if (beyondDouble(lo) || beyondDouble(hi)) {
      double f = fraction.doubleValue();
      return JsonNumbers.floating((1 - f) * lo.doubleValue() + f * hi.doubleValue());
    }
    BigDecimal a = JsonOrder.decimal(lo);
    // The fraction without the zeros p's spelling or p * (n - 1) gave it (0.50 for p 0.25 of three
    // values): they would end the value, 100000000000000000001.50 for ...1.5.
    BigDecimal f = fraction.stripTrailingZeros();
    return number(a.add(f.multiply(JsonOrder.decimal(hi).subtract(a))));
  }

  /** Every value that is not null, in input order, as an array; [] when there are none. */
  private static final class Collect extends Accumulator {
    private final Held held;
    private final boolean owner;

    Collect(Held held, boolean owner) {
      this.held = held;
      this.owner = owner;
    }

    @Override
    void add(JsonNode v) {
      if (owner && !JsonOrder.isNull(v)) held.add(v);
    }

    /** The values are in the Held list, which the group writes. */
    @Override
    JsonNode state() {
      return null;
    }

    @Override
    void merge(JsonNode state) {}

    @Override
    JsonNode result() {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(held.inOrder().size());
      return a.addAll(held.inOrder());
    }
  }

  /** The distinct values that are not null, in first-seen order; equal in jq's sense is one value (the first kept). */
  private static final class CollectDistinct extends Accumulator {
    private final TreeSet<JsonNode> seen = new TreeSet<>(JsonOrder.INSTANCE);
    private final ArrayNode distinct = JsonNodeFactory.instance.arrayNode();

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      if (seen.add(v)) distinct.add(v);
    }

    @Override
    JsonNode result() {
      return distinct;
    }

    /** The distinct values in first-seen order. */
    @Override
    JsonNode state() {
      return distinct;
    }

    /** The values seen first in the later records come after, in their order; one seen here stays as written here. */
    @Override
    void merge(JsonNode state) {
      for (JsonNode v : state) {
        if (seen.add(v)) distinct.add(v);
      }
    }

    @Override
    int distinctValues() {
      return seen.size();
    }
  }

  /**
   * The sample variance (n - 1) or standard deviation of the numbers: from the exact sum and sum
   * of squares, (n * sum(x^2) - sum(x)^2) / (n * (n - 1)), to 34 significant digits (its square
   * root to as many for stddev), then the nearest double; null for fewer than two numbers. A number
   * beyond a double's range is taken as its double, as {@link Sum} does: one a double makes zero
   * is 0, and an infinity or NaN makes the result NaN (as jq's doubles would: infinity minus
   * infinity), written null.
   */
  private static final class Variance extends Accumulator {
    /** The largest long whose square is a long. */
    private static final long SQUARE_SAFE = 3_037_000_499L;
    private final boolean root;
    private long n;
    private long sum;
    private long squares;
    private BigDecimal bigSum; // once the sums left the long fast path
    private BigDecimal bigSquares;
    private int beyond;

    Variance(boolean root) {
      this.root = root;
    }

    @Override
    void add(JsonNode v) {
      if (JsonOrder.isNull(v)) return;
      n++;
      if (bigSum == null && v.isIntegralNumber() && v.canConvertToLong()) {
        long x = v.longValue();
        // not Math.abs: that of Long.MIN_VALUE is negative
        if (x >= -SQUARE_SAFE && x <= SQUARE_SAFE && addSmall(x, x * x)) return;
      }
      if (beyondDouble(v)) {
        beyond |= beyond(v);
        return;
      }
      BigDecimal x = JsonOrder.decimal(v);
      addBig(x, x.multiply(x));
    }

    private boolean addSmall(long x, long xx) {
      long s = sum + x;
      long q = squares + xx;
      if (((sum ^ s) & (x ^ s)) < 0 || q < 0) return false;
      sum = s;
      squares = q;
      return true;
    }

    private void addBig(BigDecimal x, BigDecimal xx) {
      if (bigSum == null) {
        bigSum = BigDecimal.valueOf(sum);
        bigSquares = BigDecimal.valueOf(squares);
      }
      bigSum = bigSum.add(x);
      bigSquares = bigSquares.add(xx);
    }

    @Override
    JsonNode result() {
      if (n < 2) return NullNode.getInstance();
      if (beyond != 0) return JsonNumbers.floating(Double.NaN);
      BigDecimal s = bigSum == null ? BigDecimal.valueOf(sum) : bigSum;
      BigDecimal q = bigSquares == null ? BigDecimal.valueOf(squares) : bigSquares;
      BigDecimal count = BigDecimal.valueOf(n);
      BigDecimal numerator = count.multiply(q).subtract(s.multiply(s));
      BigDecimal denominator = count.multiply(BigDecimal.valueOf(n - 1));
      BigDecimal var = numerator.divide(denominator, MathContext.DECIMAL128);
      return JsonNumbers.floating((root ? var.sqrt(MathContext.DECIMAL128) : var).doubleValue());
    }

    @Override
    JsonNode state() {
      ArrayNode s = JsonNodeFactory.instance.arrayNode(4);
      return s.add(n).add(exact(sum, bigSum)).add(exact(squares, bigSquares)).add(beyond);
    }

    @Override
    void merge(JsonNode state) {
      n += state.get(0).longValue();
      JsonNode s = state.get(1);
      JsonNode q = state.get(2);
      if (bigSum != null || s.isTextual() || !addSmall(s.longValue(), q.longValue())) addBig(decimal(s), decimal(q));
      beyond |= state.get(3).intValue();
    }
  }
}

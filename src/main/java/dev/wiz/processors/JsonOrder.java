package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * jq's total order of JSON values: {@code null < false < true < numbers < strings < arrays <
 * objects}. Numbers compare by value whatever their form ({@code 1 == 1.0}, integers of any size,
 * decimals exactly; NaN below every other number, {@code -0.0 == 0.0}); strings by Unicode code
 * point (the order of their UTF-8 bytes, not Java's UTF-16 order); arrays element by element, a
 * prefix first; objects first by their sorted key lists, then by the values in sorted key order.
 * A missing value ({@code MissingNode}, Java {@code null}) is {@code null}. Consistent with
 * equals in the jq sense, so it may key a {@code TreeMap}.
 */
final class JsonOrder implements Comparator<JsonNode> {
  static final JsonOrder INSTANCE = new JsonOrder();

  private JsonOrder() {}

  @Override
  public int compare(JsonNode a, JsonNode b) {
    return compareValues(a, b);
  }

  /** The rank of the value's kind: null 0, false 1, true 2, number 3, string 4, array 5, object 6. */
  static int rank(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) return 0;
    if (v.isBoolean()) return v.booleanValue() ? 2 : 1;
    if (v.isNumber()) return 3;
    if (v.isTextual() || v.isBinary() || v.isPojo()) return 4;
    if (v.isArray()) return 5;
    return 6;
  }

  static boolean isNull(JsonNode v) {
    return rank(v) == 0;
  }

  static int compareValues(JsonNode a, JsonNode b) {
    int ra = rank(a);
    int rb = rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    switch (ra) {
      case 3:
        return compareNumbers(a, b);
      case 4:
        return compareStrings(a.asText(), b.asText());
      case 5:
      case 6:
        return compareContainers(a, b);
      default:
        return 0; // null, false, true: one value each
    }
  }

  /** Numbers by value: integers exactly, decimals exactly, NaN lowest, -0.0 equal to 0.0. */
  static int compareNumbers(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      if (a.canConvertToLong() && b.canConvertToLong()) return Long.compare(a.longValue(), b.longValue());
      return a.bigIntegerValue().compareTo(b.bigIntegerValue());
    }
    boolean an = floating(a) && Double.isNaN(a.doubleValue());
    boolean bn = floating(b) && Double.isNaN(b.doubleValue());
    if (an || bn) return an && bn ? 0 : an ? -1 : 1;
    int ia = infinity(a);
    int ib = infinity(b);
    if (ia != 0 || ib != 0) return Integer.compare(ia, ib);
    if (doubleExact(a) && doubleExact(b)) {
      double da = a.doubleValue();
      double db = b.doubleValue();
      return da < db ? -1 : da > db ? 1 : 0; // -0.0 == 0.0
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static boolean floating(JsonNode n) {
    return n.isDouble() || n.isFloat();
  }

  /** -1 for a negative infinite double, 1 for a positive one, 0 for any finite number. */
  private static int infinity(JsonNode n) {
    if (!floating(n) || !Double.isInfinite(n.doubleValue())) return 0;
    return n.doubleValue() > 0 ? 1 : -1;
  }

  /** Is the number's double value the number itself? (doubles and ints: then compare as doubles) */
  private static boolean doubleExact(JsonNode n) {
    return floating(n) || (n.isIntegralNumber() && n.canConvertToInt());
  }

  /**
   * The exact value of a finite number: a double is taken at its shortest decimal form (0.1 is
   * 0.1), Schubfach's, the same on every JDK (JDK 17's {@code Double.toString} is longer for some
   * doubles), as {@link dev.wiz.JsonNumbers#valueText} takes it for {@code dedupe}.
   */
  static BigDecimal decimal(JsonNode n) {
    if (n.isIntegralNumber()) return new BigDecimal(n.bigIntegerValue());
    if (n.isBigDecimal()) return n.decimalValue();
    return new BigDecimal(com.fasterxml.jackson.core.io.NumberOutput.toString(n.doubleValue(), true));
  }

  /** By Unicode code point, which is also the order of the UTF-8 bytes. */
  static int compareStrings(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (ca == cb && !Character.isSurrogate(ca)) {
        i++;
        j++;
        continue;
      }
      int pa = a.codePointAt(i);
      int pb = b.codePointAt(j);
      if (pa != pb) return Integer.compare(pa, pb);
      i += Character.charCount(pa);
      j += Character.charCount(pb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /**
   * Two arrays or two objects, depth first with a stack of its own rather than Java's: a value
   * nested tens of thousands of levels deep (a jq program can build one) compares as any other,
   * where recursion would overflow a worker's stack. Elements are compared in the order the
   * recursive definition takes them, so the first difference found decides.
   */
  private static int compareContainers(JsonNode a, JsonNode b) {
    Pair top = new Pair(a, b);
    if (top.length == 0) return top.verdict;
    ArrayDeque<Pair> below = null;
    while (true) {
      if (top.next == top.length) {
        if (top.verdict != 0 || below == null || below.isEmpty()) return top.verdict;
        top = below.pop();
        continue;
      }
      JsonNode x = top.left();
      JsonNode y = top.right();
      top.next++;
      int rx = rank(x);
      int ry = rank(y);
      if (rx != ry) return Integer.compare(rx, ry);
      if (rx < 5) {
        int c = compareScalars(rx, x, y);
        if (c != 0) return c;
        continue;
      }
      Pair inner = new Pair(x, y);
      if (inner.length == 0) {
        if (inner.verdict != 0) return inner.verdict;
        continue;
      }
      if (below == null) below = new ArrayDeque<>();
      below.push(top);
      top = inner;
    }
  }

  /** Two values of one scalar rank (below 5). */
  private static int compareScalars(int rank, JsonNode a, JsonNode b) {
    switch (rank) {
      case 3:
        return compareNumbers(a, b);
      case 4:
        return compareStrings(a.asText(), b.asText());
      default:
        return 0;
    }
  }

  /**
   * Two arrays or two objects being compared: the elements (an object's values, in sorted key
   * order) still to compare, and the verdict when they are all equal. For objects whose sorted
   * key lists differ, the verdict is that difference and there is nothing to compare.
   */
  private static final class Pair {
    private final JsonNode a;
    private final JsonNode b;
    private final List<String> keys; // sorted; null for arrays
    final int length;
    final int verdict;
    int next;

    Pair(JsonNode a, JsonNode b) {
      this.a = a;
      this.b = b;
      if (a.isArray()) {
        keys = null;
        length = Math.min(a.size(), b.size());
        verdict = Integer.compare(a.size(), b.size());
        return;
      }
      List<String> ka = sortedKeys(a);
      List<String> kb = sortedKeys(b);
      keys = ka;
      int n = Math.min(ka.size(), kb.size());
      int c = 0;
      for (int i = 0; i < n && c == 0; i++) c = compareStrings(ka.get(i), kb.get(i));
      if (c == 0) c = Integer.compare(ka.size(), kb.size());
      verdict = c;
      length = c == 0 ? ka.size() : 0;
    }

    JsonNode left() {
      return keys == null ? a.get(next) : a.get(keys.get(next));
    }

    JsonNode right() {
      return keys == null ? b.get(next) : b.get(keys.get(next));
    }
  }

  private static List<String> sortedKeys(JsonNode o) {
    List<String> keys = new ArrayList<>(o.size());
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) keys.add(it.next());
    keys.sort(JsonOrder::compareStrings);
    return keys;
  }

  /** Lists of values, element by element, a prefix first (group keys, sort keys). */
  static int compareLists(List<JsonNode> a, List<JsonNode> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compareValues(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }
}

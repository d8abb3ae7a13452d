package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * jq 1.6's order and equality of values, as its comparison operators and builtins ({@code sort},
 * {@code group_by}, {@code unique}, {@code min}, {@code index}, {@code contains}, array {@code -},
 * ...) use them. It is {@link JsonOrder}'s order except for numbers: jq holds every number as a
 * double, so numbers compare as doubles, {@code -0.0} equal to {@code 0}, and NaN below every
 * number, itself too ({@code nan < nan} is true and {@code nan == nan} false, as in jq). Strings
 * compare by code point, as jq compares their UTF-8 bytes: jackson-jq's own comparator orders
 * them by UTF-16 unit (U+FF5A after U+1F600) and orders {@code -0.0} below {@code 0}.
 */
final class JqOrder {
  private JqOrder() {}

  /** jq's comparison, as its operators see it: negative, zero or positive. */
  static int compare(JsonNode a, JsonNode b) {
    return compare(a, b, false);
  }

  /** jq's equality ({@code ==}): equal numbers, strings, arrays and objects, never NaN. */
  static boolean equal(JsonNode a, JsonNode b) {
    return compare(a, b, false) == 0;
  }

  /**
   * The same order with NaN equal to NaN, so that it is a total order a sort may use (with NaN
   * below itself a sort could fail on its contract); NaN still sorts below every other number.
   */
  static final Comparator<JsonNode> SORT = (a, b) -> compare(a, b, true);

  private static int compare(JsonNode a, JsonNode b, boolean nanEqual) {
    // The common pairs first, without ranking (a filter compares a field with a literal).
    if (a.isTextual() && b.isTextual()) return JsonOrder.compareStrings(a.textValue(), b.textValue());
    if (a.isNumber() && b.isNumber()) return compareNumbers(a.doubleValue(), b.doubleValue(), nanEqual);
    int ra = JsonOrder.rank(a);
    int rb = JsonOrder.rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    switch (ra) {
      case 3:
        return compareNumbers(a.doubleValue(), b.doubleValue(), nanEqual);
      case 4:
        return JsonOrder.compareStrings(a.asText(), b.asText());
      case 5:
        return compareArrays(a, b, nanEqual);
      case 6:
        return compareObjects(a, b, nanEqual);
      default:
        return 0; // null, false, true: one value each
    }
  }

  private static int compareNumbers(double a, double b, boolean nanEqual) {
    if (Double.isNaN(a)) return nanEqual && Double.isNaN(b) ? 0 : -1;
    if (Double.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0; // -0.0 == 0.0
  }

  private static int compareArrays(JsonNode a, JsonNode b, boolean nanEqual) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compare(a.get(i), b.get(i), nanEqual);
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  /** As jq: first the sorted key lists, as arrays of strings, then the values in key order. */
  private static int compareObjects(JsonNode a, JsonNode b, boolean nanEqual) {
    List<String> ka = sortedKeys(a);
    List<String> kb = sortedKeys(b);
    int n = Math.min(ka.size(), kb.size());
    for (int i = 0; i < n; i++) {
      int c = JsonOrder.compareStrings(ka.get(i), kb.get(i));
      if (c != 0) return c;
    }
    if (ka.size() != kb.size()) return Integer.compare(ka.size(), kb.size());
    for (String k : ka) {
      int c = compare(a.get(k), b.get(k), nanEqual);
      if (c != 0) return c;
    }
    return 0;
  }

  /** An object's keys in jq's order (code point), as {@code keys} gives them. */
  static List<String> sortedKeys(JsonNode o) {
    List<String> keys = new ArrayList<>(o.size());
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) keys.add(it.next());
    keys.sort(JsonOrder::compareStrings);
    return keys;
  }
}

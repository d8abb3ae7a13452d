package dev.wiz.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The numbers YAML reads that JSON cannot hold ({@code .inf}, {@code -.inf}, {@code .nan}, and a
 * float beyond 1.8e308 such as {@code 1e400}, which is read as infinite). The schema validator
 * compares numbers as {@link BigDecimal}s, which such a number has none of: its enum, const and
 * bound checks would throw. They check a stand-in instead.
 */
final class NotFinite {
  private static final Set<String> BOUNDS =
      Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf");

  /** Beyond every double, so above every bound a schema can write (below, for -Infinity). */
  private static final BigDecimal BEYOND = new BigDecimal("1e400");

  private NotFinite() {}

  /** The pointers of the numbers under the value that are NaN or infinite, in document order, with their values. */
  static Map<String, Double> find(JsonNode value) {
    Map<String, Double> found = new LinkedHashMap<>();
    find(value, "", found);
    return found;
  }

  private static void find(JsonNode v, String pointer, Map<String, Double> out) {
    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
      out.put(pointer, v.doubleValue());
    } else if (v.isObject()) {
      v.properties().forEach(e -> find(e.getValue(), ProblemMessages.child(pointer, e.getKey()), out));
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) find(v.get(i), pointer + "/" + i, out);
    }
  }

  /** A copy of the value with every number JSON cannot hold replaced by a {@link StandIn}. */
  static JsonNode standIns(JsonNode v) {
    if (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue())) {
      return new StandIn(v.doubleValue());
    }
    if (v.isObject()) {
      ObjectNode copy = ((ObjectNode) v).objectNode();
      v.properties().forEach(e -> copy.set(e.getKey(), standIns(e.getValue())));
      return copy;
    }
    if (v.isArray()) {
      ArrayNode copy = ((ArrayNode) v).arrayNode();
      v.forEach(item -> copy.add(standIns(item)));
      return copy;
    }
    return v;
  }

  static boolean isBound(String keyword) {
    return BOUNDS.contains(keyword);
  }

  /** What is wrong with such a number where the schema takes a number, or anything. */
  static String message(double v) {
    return (Double.isNaN(v) ? "expected a number, got NaN" : "expected a finite number, got " + (v > 0 ? "" : "-") + "Infinity")
        + " (YAML reads .nan, .inf and a float beyond 1.8e308, such as 1e400, so), which JSON cannot hold: write a number";
  }

  /**
   * The same double, shown and typed as the number it is, whose decimal value is one beyond every
   * double (for NaN too, which no enum or const holds), so a comparison has an answer.
   */
  static final class StandIn extends DoubleNode {
    private static final long serialVersionUID = 1L;

    StandIn(double v) {
      super(v);
    }

    @Override
    public BigDecimal decimalValue() {
      return _value < 0 ? BEYOND.negate() : BEYOND;
    }

    /**
     * NaN's text as its decimal value: the validator's minimum and maximum read a number that is
     * neither infinity from its text ({@code new BigDecimal("NaN")} threw, and the config's other
     * problems were lost with it).
     */
    @Override
    public String asText() {
      return Double.isNaN(_value) ? decimalValue().toString() : super.asText();
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;
import net.thisptr.jackson.jq.internal.operators.MinusOperator;
import net.thisptr.jackson.jq.internal.operators.ModuloOperator;
import net.thisptr.jackson.jq.internal.operators.MultiplyOperator;
import net.thisptr.jackson.jq.internal.operators.PlusOperator;

/**
 * jq's integer arithmetic without jackson-jq's 64-bit wrap-around. jackson-jq 1.6.0 adds,
 * subtracts, multiplies and takes remainders of two integers as {@code long}s with no overflow
 * check, and cuts integers beyond 64 bits to 64 bits first: {@code 9223372036854775807 + 1} gave
 * {@code -9223372036854775808}. jq computes in doubles, so here a result that does not fit a long,
 * or an operand that does not, is computed in doubles as jq does (a remainder of such integers
 * exactly). An array minus an array drops the elements jq counts equal ({@link JqOrder}: {@code
 * [0, 1] - [-0.0]} is {@code [1]}; jackson-jq kept the {@code 0}). Everything else is jackson-jq's
 * own operator, unchanged. {@link JqOperators#patch} puts these in place of jackson-jq's.
 */
final class JqArithmetic implements BinaryOperator {
  private enum Op { PLUS, MINUS, TIMES, MODULO }

  private final BinaryOperator original;
  private final Op op;

  private JqArithmetic(BinaryOperator original, Op op) {
    this.original = original;
    this.op = op;
  }

  @Override
  public JsonNode apply(ObjectMapper mapper, JsonNode l, JsonNode r) throws JsonQueryException {
    if (op == Op.MINUS && l.isArray() && r.isArray()) return without(l, r);
    if (!l.isIntegralNumber() || !r.isIntegralNumber()) return original.apply(mapper, l, r);
    if (l.canConvertToLong() && r.canConvertToLong()) {
      long a = l.longValue();
      long b = r.longValue();
      try {
        switch (op) {
          case PLUS: Math.addExact(a, b); break;
          case MINUS: Math.subtractExact(a, b); break;
          case TIMES: Math.multiplyExact(a, b); break;
          default: break; // a remainder of longs always fits
        }
        return original.apply(mapper, l, r);
      } catch (ArithmeticException overflow) {
        return inDoubles(l, r);
      }
    }
    if (op != Op.MODULO) return inDoubles(l, r);
    BigInteger divisor = r.bigIntegerValue();
    if (divisor.signum() == 0) return original.apply(mapper, l, r); // jackson-jq's error for it
    BigInteger rem = l.bigIntegerValue().remainder(divisor);
    return rem.bitLength() < 64 ? JsonNodeFactory.instance.numberNode(rem.longValue())
        : JsonNodeFactory.instance.numberNode(rem);
  }

  private JsonNode inDoubles(JsonNode l, JsonNode r) {
    double a = l.doubleValue();
    double b = r.doubleValue();
    switch (op) {
      case PLUS: return DoubleNode.valueOf(a + b);
      case MINUS: return DoubleNode.valueOf(a - b);
      default: return DoubleNode.valueOf(a * b);
    }
  }

  /** The elements of {@code l} that equal no element of {@code r}, in order. */
  private static JsonNode without(JsonNode l, JsonNode r) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(l.size());
    for (JsonNode x : l) {
      boolean drop = false;
      for (JsonNode y : r) {
        if (JqOrder.equal(x, y)) {
          drop = true;
          break;
        }
      }
      if (!drop) out.add(x);
    }
    return out;
  }

  @Override
  public String image() {
    return original.image();
  }

  /** The operator that takes the place of a jackson-jq operator, or null when it is not arithmetic. */
  static JqArithmetic replacing(Object operator) {
    Class<?> c = operator.getClass();
    if (c == PlusOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.PLUS);
    if (c == MinusOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.MINUS);
    if (c == MultiplyOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.TIMES);
    if (c == ModuloOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.MODULO);
    return null;
  }
}

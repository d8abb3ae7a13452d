package dev.wiz.processors;

import dev.wiz.JsonNumbers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import dev.wiz.JsonNumbers;
import java.math.BigInteger;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.internal.misc.JsonNodeUtils;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;
import net.thisptr.jackson.jq.internal.operators.DivideOperator;
import net.thisptr.jackson.jq.internal.operators.MinusOperator;
import net.thisptr.jackson.jq.internal.operators.ModuloOperator;
import net.thisptr.jackson.jq.internal.operators.MultiplyOperator;
import net.thisptr.jackson.jq.internal.operators.PlusOperator;
import net.thisptr.jackson.jq.internal.tree.NegativeExpression;
import net.thisptr.jackson.jq.path.Path;

/**
 * jq's integer arithmetic without jackson-jq's 64-bit wrap-around. jackson-jq 1.6.0 adds,
 * subtracts, multiplies and takes remainders of two integers as {@code long}s with no overflow
 * check, and cuts integers beyond 64 bits to 64 bits first: {@code 9223372036854775807 + 1} gave
 * {@code -9223372036854775808}. jq computes in doubles, so here a result that does not fit a long,
 * or an operand that does not, is computed in doubles as jq does (a remainder of such integers
 * exactly). An array minus an array drops the elements jq counts equal ({@link JqOrder}: {@code
 * [0, 1] - [-0.0]} is {@code [1]}; jackson-jq kept the {@code 0}). A whole number computed in
 * doubles stays a double beyond 2^53 ({@link #computed}); the negation of an integer stays exact
 * ({@link #negate}). Everything else is jackson-jq's own
 * operator, unchanged. {@link JqOperators#patch} puts these in place of jackson-jq's.
 */
final class JqArithmetic implements BinaryOperator {
  private enum Op { PLUS, MINUS, TIMES, MODULO, DIVIDE }

  /** 2^53: from here on not every whole number is a double, and jq writes a double's shortest digits. */
  private static final long EXACT = 1L << 53;

  private final BinaryOperator original;
  private final Op op;

  private JqArithmetic(BinaryOperator original, Op op) {
    this.original = original;
    this.op = op;
  }

  @Override
  public JsonNode apply(ObjectMapper mapper, JsonNode l, JsonNode r) throws JsonQueryException {
    if (op == Op.MINUS && l.isArray() && r.isArray()) return without(l, r);
    if (op == Op.TIMES && (l.isTextual() && r.isNumber() || l.isNumber() && r.isTextual())) {
      refuseTooLong(l.isTextual() ? l : r, l.isTextual() ? r : l);
    }
    if (op == Op.DIVIDE || !l.isIntegralNumber() || !r.isIntegralNumber()) return computed(original.apply(mapper, l, r));
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

  /** Java's largest array: a string repeated beyond it made jackson-jq fail with NegativeArraySizeException. */
  private static final long LONGEST = Integer.MAX_VALUE - 8;

  /**
   * A string repeated ({@code "ab" * n}) into more characters than a Java string holds is this
   * record's error, named with its length (jq 1.6 gives null beyond 2^31 repetitions, its int's
   * overflow, and runs out of memory below that).
   */
  private static void refuseTooLong(JsonNode text, JsonNode times) throws JsonQueryException {
    double n = times.doubleValue();
    long length = text.textValue().length();
    if (!(n > 1) || length == 0 || n * length <= LONGEST) return; // NaN too: jackson-jq's answer
    String characters = Double.isInfinite(n) ? "infinitely many"
        : new java.math.BigDecimal(n).multiply(java.math.BigDecimal.valueOf(length))
            .setScale(0, java.math.RoundingMode.CEILING).toPlainString();
    throw new JsonQueryTypeException("%s cannot be repeated " + JsonNumbers.text(times) + " times: that is " + characters
        + " characters, more than a string holds (at most " + LONGEST + ")", text);
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

  /**
   * A number computed in doubles, as jq holds it. jackson-jq turns a whole double into an integer
   * ({@code 3.0} into {@code 3}; so do its division, negation, {@code pow}, {@code tonumber} and
   * {@code length}): below 2^53 the two are the same number and are written alike, but beyond it
   * the integer has digits the double does not ({@code pow(2;60)} is 1152921504606846976 as an
   * integer, 1152921504606847000 as jq writes the double), and 2^63 became 2^63 - 1. So there it
   * is a double again, written and computed on as jq does.
   */
  static JsonNode computed(JsonNode v) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      long x = v.longValue();
      if (x >= EXACT || x <= -EXACT) return DoubleNode.valueOf((double) x); // Long.MAX_VALUE: 2^63 again
    }
    return v;
  }

  /** The builtins that compute in doubles and give {@link #computed} numbers. */
  private static final List<String> COMPUTING = List.of("pow/2", "tonumber/0", "length/0");

  /**
   * Makes negation ({@code -x}) in {@code root} (a compiled query, or a scope with its functions),
   * and in a scope the builtins that compute in doubles, give {@link #computed} numbers.
   */
  static void patchComputed(Object root) {
    List<JqTree.Slot> negations = JqTree.find(root, v -> v instanceof NegativeExpression);
    // Innermost first (a node is found after the one holding it): -(-x) then wraps the new inner one.
    for (int i = negations.size() - 1; i >= 0; i--) {
      JqTree.Slot s = negations.get(i);
      try {
        s.set(new Negation((Expression) FastPath.get(s.value, "value")));
      } catch (ReflectiveOperationException | RuntimeException e) {
        // another jackson-jq: its negation stays
      }
    }
    if (root instanceof Scope) {
      Scope scope = (Scope) root;
      for (String f : COMPUTING) {
        int slash = f.indexOf('/');
        String name = f.substring(0, slash);
        int arity = Integer.parseInt(f.substring(slash + 1));
        Function original = scope.getFunction(name, arity);
        if (original == null) continue;
        scope.addFunction(name, arity, (sc, args, in, path, out, version) ->
            original.apply(sc, args, in, path, (v, p) -> out.emit(computed(v), p), version));
      }
    }
  }

  /**
   * jq's {@code -x} of one value. An integer stays an exact integer when its negation fits 64 bits,
   * as {@code 0 - x} does ({@code -9223372036854775807} is that integer, so {@code
   * (-9223372036854775807 - 1)} is the smallest 64-bit integer); jackson-jq negated every number
   * as a double. Any other number is negated as a double and {@link #computed}. A value that is
   * not a number is named in the error ({@code string ("5") cannot be negated}, as jq says).
   */
  static JsonNode negate(JsonNode v) throws JsonQueryException {
    if (!v.isNumber()) throw new JsonQueryTypeException("%s cannot be negated", v);
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      long x = v.longValue();
      // below 2^53 the double is the same number (and -0 stays jq's -0); -(-2^63) is beyond 64 bits
      if ((x >= EXACT || x <= -EXACT) && x != Long.MIN_VALUE) return LongNode.valueOf(-x);
    }
    return computed(JsonNodeUtils.asNumericNode(-v.asDouble()));
  }

  /**
   * jq's {@code -x} in a program: {@link #negate} of each value, where jackson-jq named the input
   * of the whole expression in its error.
   */
  private static final class Negation implements Expression, JqTree.Walked {
    private final Expression value;

    Negation(Expression value) {
      this.value = value;
    }

    @Override
    public void apply(Scope scope, JsonNode in, Path path, PathOutput output, boolean requirePath) throws JsonQueryException {
      value.apply(scope, in, null, (v, p) -> output.emit(negate(v), null), false);
    }

    @Override
    public String toString() {
      return "-(" + value + ")";
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
    if (c == DivideOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.DIVIDE);
    return null;
  }
}

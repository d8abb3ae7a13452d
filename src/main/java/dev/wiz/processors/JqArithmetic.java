package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
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
 * exactly). Everything else is jackson-jq's own operator, unchanged.
 *
 * <p>jackson-jq gives every {@code +}, {@code -}, {@code *} and {@code %} of a parsed program (its
 * builtins' too, and assignments such as {@code +=}) an operator object of its own; {@link #patch}
 * swaps them in a compiled program or scope for these, finding them by reflection as {@link
 * FastPath} and {@link JqNames} read the tree.
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

  @Override
  public String image() {
    return original.image();
  }

  private static JqArithmetic replacing(Object operator) {
    Class<?> c = operator.getClass();
    if (c == PlusOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.PLUS);
    if (c == MinusOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.MINUS);
    if (c == MultiplyOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.TIMES);
    if (c == ModuloOperator.class) return new JqArithmetic((BinaryOperator) operator, Op.MODULO);
    return null;
  }

  /**
   * Swaps every arithmetic operator reachable from {@code root} (a compiled query, or a scope with
   * its functions) for one that does not wrap. Follows jackson-jq's objects, and the collections,
   * maps and arrays they hold; nothing else. Returns how many it swapped.
   */
  static int patch(Object root) {
    Deque<Object> todo = new ArrayDeque<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    todo.push(root);
    int swapped = 0;
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (seen.put(o, Boolean.TRUE) != null) continue;
      if (o instanceof Collection) {
        for (Object e : (Collection<?>) o) follow(e, todo);
      } else if (o instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
          follow(e.getKey(), todo);
          follow(e.getValue(), todo);
        }
      } else if (o.getClass().isArray()) {
        if (!o.getClass().getComponentType().isPrimitive()) {
          for (int i = 0, n = Array.getLength(o); i < n; i++) follow(Array.get(o, i), todo);
        }
      } else {
        for (Class<?> c = o.getClass(); c != null && jq(c); c = c.getSuperclass()) {
          for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
            Object v = read(f, o);
            if (v == null) continue;
            JqArithmetic exact = BinaryOperator.class.isAssignableFrom(f.getType()) ? replacing(v) : null;
            if (exact != null && write(f, o, exact)) {
              swapped++;
            } else {
              follow(v, todo);
            }
          }
        }
      }
    }
    return swapped;
  }

  private static void follow(Object v, Deque<Object> todo) {
    if (v == null) return;
    if (v instanceof Collection || v instanceof Map || v.getClass().isArray() || jq(v.getClass())) todo.push(v);
  }

  private static boolean jq(Class<?> c) {
    return c.getName().startsWith("net.thisptr.jackson.jq.");
  }

  private static Object read(Field f, Object o) {
    try {
      f.setAccessible(true);
      return f.get(o);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static boolean write(Field f, Object o, Object v) {
    try {
      f.setAccessible(true);
      f.set(o, v);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}

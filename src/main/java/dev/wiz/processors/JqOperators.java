package dev.wiz.processors;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;

/**
 * Puts wiz's operators in place of jackson-jq's: {@link JqArithmetic} for {@code +}, {@code -},
 * {@code *} and {@code %}, {@link JqComparison} for {@code ==}, {@code !=}, {@code <}, {@code <=},
 * {@code >} and {@code >=}. jackson-jq gives every operator of a parsed program (its builtins'
 * too, and assignments such as {@code +=}) an object of its own, in a field of the tree node;
 * {@link #patch} finds them by reflection, as {@link FastPath} and {@link JqNames} read the tree.
 */
final class JqOperators {
  private JqOperators() {}

  /**
   * Swaps every arithmetic and comparison operator reachable from {@code root} (a compiled query,
   * or a scope with its functions) for wiz's. Follows jackson-jq's objects, and the collections,
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
            BinaryOperator ours = BinaryOperator.class.isAssignableFrom(f.getType()) ? replacing(v) : null;
            if (ours != null && write(f, o, ours)) {
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

  private static BinaryOperator replacing(Object operator) {
    BinaryOperator arithmetic = JqArithmetic.replacing(operator);
    return arithmetic != null ? arithmetic : JqComparison.replacing(operator);
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

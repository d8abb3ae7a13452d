package dev.wiz.processors;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The places in a compiled jackson-jq program, or a scope with its functions, that hold a given
 * kind of object, found by reflection (as {@link FastPath} and {@link JqNames} read the tree), so
 * that wiz can put its own objects there. Follows jackson-jq's objects, wiz's own nodes that hold
 * theirs ({@link Walked}), and the collections, maps and arrays they hold; nothing else.
 */
final class JqTree {
  private JqTree() {}

  /**
   * A node of wiz's put into a program in place of, or around, jackson-jq's: its fields are walked
   * into as theirs are, so that what one patch wraps, the next still finds.
   */
  interface Walked {}

  /** A place that holds a value: a field of a jackson-jq object, or an element of a list or array. */
  abstract static class Slot {
    final Object value;

    private Slot(Object value) {
      this.value = value;
    }

    /** Puts {@code v} in the place; false when it cannot hold it there (a final list, a field's type). */
    abstract boolean set(Object v);
  }

  /**
   * Every place reachable from {@code root} whose value is {@code wanted}, each place once; a
   * place inside a wanted value comes after the value's own place. The values found are walked
   * into too.
   */
  static List<Slot> find(Object root, Predicate<Object> wanted) {
    List<Slot> found = new ArrayList<>();
    Deque<Object> todo = new ArrayDeque<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    todo.push(root);
    while (!todo.isEmpty()) {
      Object o = todo.pop();
      if (seen.put(o, Boolean.TRUE) != null) continue;
      if (o instanceof List) {
        List<?> list = (List<?>) o;
        for (int i = 0; i < list.size(); i++) {
          Object e = list.get(i);
          if (e != null && wanted.test(e)) found.add(element(list, i, e));
          follow(e, todo);
        }
      } else if (o instanceof Collection) {
        for (Object e : (Collection<?>) o) follow(e, todo);
      } else if (o instanceof Map) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
          follow(e.getKey(), todo);
          follow(e.getValue(), todo);
        }
      } else if (o.getClass().isArray()) {
        if (!o.getClass().getComponentType().isPrimitive()) {
          for (int i = 0, n = Array.getLength(o); i < n; i++) {
            Object e = Array.get(o, i);
            if (e != null && wanted.test(e)) found.add(element(o, i, e));
            follow(e, todo);
          }
        }
      } else {
        for (Class<?> c = o.getClass(); c != null && jq(c); c = c.getSuperclass()) {
          for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
            Object v = read(f, o);
            if (v == null) continue;
            if (wanted.test(v)) found.add(field(o, f, v));
            follow(v, todo);
          }
        }
      }
    }
    return found;
  }

  private static Slot field(Object owner, Field f, Object value) {
    return new Slot(value) {
      @Override
      boolean set(Object v) {
        if (!f.getType().isInstance(v)) return false;
        try {
          f.setAccessible(true);
          f.set(owner, v);
          return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
          return false;
        }
      }
    };
  }

  private static Slot element(Object listOrArray, int i, Object value) {
    return new Slot(value) {
      @Override
      @SuppressWarnings("unchecked")
      boolean set(Object v) {
        try {
          if (listOrArray instanceof List) {
            ((List<Object>) listOrArray).set(i, v);
          } else {
            Array.set(listOrArray, i, v);
          }
          return true;
        } catch (RuntimeException e) {
          return false; // an unmodifiable list, or an array of another type
        }
      }
    };
  }

  private static void follow(Object v, Deque<Object> todo) {
    if (v == null) return;
    if (v instanceof Collection || v instanceof Map || v.getClass().isArray() || jq(v.getClass())) todo.push(v);
  }

  private static boolean jq(Class<?> c) {
    return c.getName().startsWith("net.thisptr.jackson.jq.") || Walked.class.isAssignableFrom(c);
  }

  private static Object read(Field f, Object o) {
    try {
      f.setAccessible(true);
      return f.get(o);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}

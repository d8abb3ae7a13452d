package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.path.Path;

/**
 * The jq builtins that order or compare values, in {@link JqOrder}'s order, as jq 1.6 defines
 * them: {@code sort_by}, {@code group_by}, {@code min_by}, {@code max_by} (and so {@code sort},
 * {@code unique}, {@code unique_by}, {@code min} and {@code max}, which jq and jackson-jq define
 * with them), {@code indices}, {@code index}, {@code rindex}, {@code contains} (and so {@code
 * inside}) and {@code keys}. jackson-jq's compare with its own comparator, which orders
 * {@code -0.0} below {@code 0} and strings by UTF-16 unit, and keeps it in fields that cannot be
 * swapped, so these take the builtins' place in the root scope.
 *
 * <p>Where the input is not what the builtin works on (an object to {@code sort_by}, a string to
 * {@code index}), jackson-jq's own builtin runs: its errors, and its string search, stay as they
 * were.
 */
final class JqOrderBuiltins {
  private JqOrderBuiltins() {}

  /** A builtin on one kind of input. */
  private interface Body {
    void apply(Scope scope, List<Expression> args, JsonNode in, PathOutput output) throws JsonQueryException;
  }

  static void install(Scope root) {
    onArrays(root, "sort_by", JqOrderBuiltins::sortBy);
    onArrays(root, "group_by", JqOrderBuiltins::groupBy);
    onArrays(root, "min_by", (s, a, in, out) -> minMaxBy(s, a, in, out, true));
    onArrays(root, "max_by", (s, a, in, out) -> minMaxBy(s, a, in, out, false));
    onArraysAndStrings(root, "indices", Found.ALL);
    onArraysAndStrings(root, "index", Found.FIRST);
    onArraysAndStrings(root, "rindex", Found.LAST);
    Function keys = root.getFunction("keys", 0);
    root.addFunction("keys", 0, (scope, args, in, path, output, version) -> {
      if (in.isObject()) {
        keys(in, output);
      } else {
        keys.apply(scope, args, in, path, output, version);
      }
    });
    root.addFunction("contains", 1, (scope, args, in, path, output, version) -> {
      args.get(0).apply(scope, in, b -> output.emit(contains(in, b), null));
    });
  }

  /** Installs {@code body} for arrays, over jackson-jq's builtin, which still takes other inputs. */
  private static void onArrays(Scope root, String name, Body body) {
    Function original = root.getFunction(name, 1);
    if (original == null) throw new IllegalStateException("jackson-jq has no " + name + "/1 to replace");
    root.addFunction(name, 1, (scope, args, in, path, output, version) -> {
      if (in.isArray()) {
        body.apply(scope, args, in, output);
      } else {
        original.apply(scope, args, in, path, output, version);
      }
    });
  }

  /**
   * {@code indices}, {@code index} and {@code rindex}: on arrays as {@link #indices}; on a string
   * with a string argument, where it occurs, counted in characters (code points) as {@code length}
   * and slices count them (jackson-jq counted UTF-16 units and jq 1.6 counts bytes: {@code "😀,"
   * | index(",")} was 2 in one and 4 in the other; here it is 1). Anything else as jackson-jq's.
   */
  private static void onArraysAndStrings(Scope root, String name, Found found) {
    Function original = root.getFunction(name, 1);
    if (original == null) throw new IllegalStateException("jackson-jq has no " + name + "/1 to replace");
    root.addFunction(name, 1, (scope, args, in, path, output, version) -> {
      if (in.isArray()) {
        indices(scope, args, in, output, found);
      } else if (in.isObject()) {
        args.get(0).apply(scope, in, i -> output.emit(ofObject(in, i, found), null));
      } else if (!in.isTextual()) {
        original.apply(scope, args, in, path, output, version);
      } else {
        args.get(0).apply(scope, in, i -> {
          if (i.isTextual()) {
            emit(textPositions(in.textValue(), i.textValue()), found, output);
          } else {
            // jq's words; jackson-jq said "indices() is not applicable to STRING" whatever was called.
            throw new JsonQueryException("Cannot index string with " + i.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
          }
        });
      }
    });
  }

  /**
   * On an object, as jq 1.6 defines them ({@code indices($i)} is {@code .[$i]}, {@code index} that
   * {@code | .[0]}, {@code rindex} that {@code | .[-1:][0]}), with jq's errors: {@code {"b":[5,6]}
   * | index("b")} is 5, {@code {} | index("b")} null, {@code {"b":"x"} | index("b")} fails with
   * {@code Cannot index string with number}.
   */
  private static JsonNode ofObject(JsonNode in, JsonNode key, Found found) throws JsonQueryException {
    if (!key.isTextual()) throw new JsonQueryException("Cannot index object with " + JqErrors.kind(key));
    JsonNode v = in.get(key.textValue());
    if (found == Found.ALL || v == null || v.isNull()) return v == null ? NullNode.getInstance() : v;
    if (v.isArray()) {
      JsonNode e = v.isEmpty() ? null : v.get(found == Found.FIRST ? 0 : v.size() - 1);
      return e == null ? NullNode.getInstance() : e;
    }
    if (found == Found.FIRST || v.isTextual()) {
      // .[0] of anything else fails, and so does that of the string .[-1:] gives of a string
      throw new JsonQueryException("Cannot index " + JqErrors.kind(v) + " with number");
    }
    throw new JsonQueryException("Cannot index " + JqErrors.kind(v) + " with object"); // .[-1:]
  }

  /** Where {@code needle} starts in {@code text}, overlapping ones too, in code points; none for an empty needle. */
  static List<Integer> textPositions(String text, String needle) {
    List<Integer> at = new ArrayList<>();
    if (needle.isEmpty()) return at;
    int units = 0;
    int points = 0;
    for (int j = text.indexOf(needle); j >= 0; j = text.indexOf(needle, j + 1)) {
      points += text.codePointCount(units, j);
      units = j;
      at.add(points);
    }
    return at;
  }

  /** An element and its key: the array of what {@code f} gives on it, as jq's {@code [f]}. */
  private static final class Keyed {
    final JsonNode key;
    final JsonNode value;

    Keyed(JsonNode key, JsonNode value) {
      this.key = key;
      this.value = value;
    }
  }

  private static List<Keyed> keyed(Scope scope, Expression f, JsonNode in) throws JsonQueryException {
    List<Keyed> items = new ArrayList<>(in.size());
    for (JsonNode v : in) {
      ArrayNode key = JsonNodeFactory.instance.arrayNode();
      f.apply(scope, v, key::add);
      items.add(new Keyed(key, v));
    }
    return items;
  }

  /** Sorted by key; a stable sort, as jq's, so equal keys keep their order. */
  private static List<Keyed> sorted(Scope scope, Expression f, JsonNode in) throws JsonQueryException {
    List<Keyed> items = keyed(scope, f, in);
    items.sort((x, y) -> JqOrder.SORT.compare(x.key, y.key));
    return items;
  }

  private static void sortBy(Scope scope, List<Expression> args, JsonNode in, PathOutput output) throws JsonQueryException {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(in.size());
    for (Keyed k : sorted(scope, args.get(0), in)) out.add(k.value);
    output.emit(out, null);
  }

  /**
   * Groups of equal keys, in key order. As jq, an element joins the group when its key equals the
   * group's first key, so elements whose key holds NaN are each a group of their own.
   */
  private static void groupBy(Scope scope, List<Expression> args, JsonNode in, PathOutput output) throws JsonQueryException {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    ArrayNode group = null;
    JsonNode first = null;
    for (Keyed k : sorted(scope, args.get(0), in)) {
      if (group == null || !JqOrder.equal(first, k.key)) {
        group = out.addArray();
        first = k.key;
      }
      group.add(k.value);
    }
    output.emit(out, null);
  }

  /**
   * As jq: the first element whose key is below every key before it ({@code min_by}: the first of
   * equal least keys), or the last whose key is not below the greatest so far ({@code max_by}: the
   * last of equal greatest keys); null for an empty array.
   */
  private static void minMaxBy(Scope scope, List<Expression> args, JsonNode in, PathOutput output, boolean min)
      throws JsonQueryException {
    Keyed best = null;
    for (Keyed k : keyed(scope, args.get(0), in)) {
      if (best == null || (JqOrder.compare(k.key, best.key) < 0) == min) best = k;
    }
    output.emit(best == null ? NullNode.getInstance() : best.value, null);
  }

  private enum Found { ALL, FIRST, LAST }

  /**
   * Where {@code $i} is in the array: where it starts as a sequence when it is an array, else where
   * an element equals it. One output for each output of the argument.
   */
  private static void indices(Scope scope, List<Expression> args, JsonNode in, PathOutput output, Found found)
      throws JsonQueryException {
    args.get(0).apply(scope, in, i -> emit(positions(in, i), found, output));
  }

  private static void emit(List<Integer> at, Found found, PathOutput output) throws JsonQueryException {
    switch (found) {
      case ALL: {
        ArrayNode out = JsonNodeFactory.instance.arrayNode(at.size());
        for (int s : at) out.add(s);
        output.emit(out, null);
        break;
      }
      case FIRST:
        output.emit(at.isEmpty() ? NullNode.getInstance() : IntNode.valueOf(at.get(0)), null);
        break;
      default:
        output.emit(at.isEmpty() ? NullNode.getInstance() : IntNode.valueOf(at.get(at.size() - 1)), null);
        break;
    }
  }

  /**
   * Where {@code i} is in the array {@code in}: where it starts as a sequence when it is an array
   * (nowhere when it is empty), else where an element equals it. As jq's {@code indices} and
   * {@code .[$i]}.
   */
  static List<Integer> positions(JsonNode in, JsonNode i) {
    List<Integer> at = new ArrayList<>();
    if (i.isArray()) {
      if (i.size() > 0) {
        for (int s = 0; s + i.size() <= in.size(); s++) {
          boolean all = true;
          for (int j = 0; j < i.size() && all; j++) all = JqOrder.equal(in.get(s + j), i.get(j));
          if (all) at.add(s);
        }
      }
    } else {
      for (int s = 0; s < in.size(); s++) {
        if (JqOrder.equal(in.get(s), i)) at.add(s);
      }
    }
    return at;
  }

  private static void keys(JsonNode in, PathOutput output) throws JsonQueryException {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(in.size());
    for (String k : JqOrder.sortedKeys(in)) out.add(TextNode.valueOf(k));
    output.emit(out, null);
  }

  /** jq's {@code contains}: the two must be of one kind (true and false are two kinds). */
  private static JsonNode contains(JsonNode a, JsonNode b) throws JsonQueryException {
    if (a.getNodeType() != b.getNodeType() || (a.isBoolean() && a.booleanValue() != b.booleanValue())) {
      throw new JsonQueryTypeException("%s and %s cannot have their containment checked", a, b);
    }
    return BooleanNode.valueOf(contained(a, b));
  }

  /**
   * Is {@code b} in {@code a}: a substring of a string, each element of an array in some element,
   * each field of an object in the same field; any other value equal.
   */
  private static boolean contained(JsonNode a, JsonNode b) {
    if (a.isTextual() && b.isTextual()) return a.textValue().contains(b.textValue());
    if (a.isArray() && b.isArray()) {
      for (JsonNode y : b) {
        boolean found = false;
        for (Iterator<JsonNode> it = a.elements(); it.hasNext() && !found; ) found = contained(it.next(), y);
        if (!found) return false;
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode x = a.get(e.getKey());
        if (x == null || !contained(x, e.getValue())) return false;
      }
      return true;
    }
    return JqOrder.equal(a, b);
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;

/**
 * jq 1.6's messages for a builtin given a value of the wrong type, where jackson-jq's named its
 * own internals: {@code keys is not applicable to NUMBER; expected one of [OBJECT, ARRAY]} for
 * jq's {@code number (1) has no keys}, {@code _match_impl/3} for {@code test}, {@code explode}
 * for {@code ascii_downcase}, {@code sort_by} for {@code sort}. Each builtin here is wrapped in
 * the root scope: when it fails on an input of a type jq refuses, with jackson-jq's type error
 * (not an error of an argument evaluated inside it, which its own builtin has already said),
 * jq's message takes its place, with the value as jq shows it ({@code type (value)}, cut as jq
 * cuts it). Whatever else the builtin does is unchanged. {@code JqErrorsTest} compares every one
 * with jq 1.6's text.
 */
final class JqErrors {
  private JqErrors() {}

  /** What jq says about {@code in} (and the builtin's arguments), or null to keep jackson-jq's error. */
  private interface Says {
    JsonQueryException about(Scope scope, List<Expression> args, JsonNode in) throws JsonQueryException;
  }

  static void install(Scope root) {
    Says noKeys = (s, a, in) -> in.isObject() || in.isArray() ? null : type("%s has no keys", in);
    wrap(root, "keys", 0, noKeys);
    wrap(root, "keys_unsorted", 0, noKeys);
    wrap(root, "has", 1, JqErrors::has);
    // match, test, capture, scan, splits, split/2 and sub/gsub (on jq's side) are built on it
    wrap(root, "_match_impl", 3, JqErrors::match);
    // ascii_downcase and ascii_upcase are built on explode, in jq 1.6 too
    wrap(root, "explode", 0, (s, a, in) -> in.isTextual() ? null : new JqError("explode input must be a string"));
    // These fail on every input that is not an array (through a builtin of jackson-jq's or wiz's
    // that has its own words), so jq's are said first.
    before(root, "sort", 0, (s, a, in) -> in.isArray() ? null : type("%s cannot be sorted, as it is not an array", in));
    Says minMax = (s, a, in) -> in.isArray() ? null : type("%s and %s cannot be iterated over", in, in);
    before(root, "min", 0, minMax);
    before(root, "max", 0, minMax);
    for (String name : List.of("min_by", "max_by")) {
      wrap(root, name, 1, (s, a, in) -> in.isArray() ? null : in.isObject()
          ? type("%s and %s cannot be iterated over", in, mapped(s, a.get(0), in)) : notIterable(in));
    }
    for (String name : List.of("sort_by", "group_by", "unique_by")) {
      wrap(root, name, 1, (s, a, in) -> in.isArray() ? null : in.isObject()
          ? type("%s and %s cannot be sorted, as they are not both arrays", in, mapped(s, null, in)) : notIterable(in));
    }
    before(root, "unique", 0, (s, a, in) -> in.isArray() ? null : in.isObject()
        ? type("%s and %s cannot be sorted, as they are not both arrays", in, mapped(s, null, in)) : notIterable(in));
    for (String name : List.of("indices", "index", "rindex")) {
      wrap(root, name, 1, JqErrors::index);
      onNull(root, name);
    }
    wrap(root, "tonumber", 0, (s, a, in) -> in.isNumber() ? null : type("%s cannot be parsed as a number", in));
    wrap(root, "@sh", 0, JqErrors::shell);
  }

  /**
   * Puts a function in place of {@code name/arity} that runs it and, when it fails with
   * jackson-jq's words and {@code says} has jq's for the input, fails with jq's.
   */
  private static void wrap(Scope root, String name, int arity, Says says) {
    Function original = root.getFunction(name, arity);
    if (original == null) return; // another jackson-jq: its messages stay
    root.addFunction(name, arity, (scope, args, in, path, output, version) -> {
      Downstream later = new Downstream(output);
      try {
        original.apply(scope, args, in, path, later, version);
      } catch (JqError e) {
        throw e; // already jq's
      } catch (JsonQueryException e) {
        JsonQueryException after = later.thrown(e);
        if (after != null) throw after; // not this function's: the rest of the program's
        if (!jacksonJqs(e)) throw e;
        JsonQueryException jq = says.about(scope, args, in);
        if (jq == null) throw e;
        throw jq;
      }
    });
  }

  /**
   * {@code indices}, {@code index} and {@code rindex} of null, as jq gives them ({@code .[$i]} of
   * null): null for each number, string or object the argument gives, and an error for an array,
   * null or a boolean ({@code null | indices([1])}: {@code Cannot index null with array}), where
   * jackson-jq gave null whatever the argument.
   */
  private static void onNull(Scope root, String name) {
    Function original = root.getFunction(name, 1);
    if (original == null) return;
    root.addFunction(name, 1, (scope, args, in, path, output, version) -> {
      if (!in.isNull()) {
        original.apply(scope, args, in, path, output, version);
        return;
      }
      args.get(0).apply(scope, in, k -> {
        if (k.isArray() || k.isNull() || k.isBoolean()) throw new JqError("Cannot index null with " + kind(k));
        output.emit(com.fasterxml.jackson.databind.node.NullNode.getInstance(), null);
      });
    });
  }

  /** Puts a function in place of {@code name/arity} that fails with jq's words where {@code says} has them, before it runs. */
  private static void before(Scope root, String name, int arity, Says says) {
    Function original = root.getFunction(name, arity);
    if (original == null) return;
    root.addFunction(name, arity, (scope, args, in, path, output, version) -> {
      JsonQueryException jq = says.about(scope, args, in);
      if (jq != null) throw jq;
      original.apply(scope, args, in, path, output, version);
    });
  }

  /** Whether an error is one of jackson-jq's own about a type, in its words (or Java's). */
  private static boolean jacksonJqs(JsonQueryException e) {
    String m = e.getMessage();
    return m == null || m.equals("N/A") || m.contains(" is not applicable to ") || m.startsWith("argument 1 of has()")
        || m.startsWith("cannot accept ")
        || m.endsWith("cannot be escaped for shell");
  }

  /** jq's error (marked, so that a wrapper around this one leaves it). */
  private static final class JqError extends JsonQueryException {
    private static final long serialVersionUID = 1L;

    JqError(String message) {
      super(message);
    }
  }

  /** {@code format} with each value as jq shows it in an error: {@code number (1)}. */
  private static JsonQueryException type(String format, JsonNode... values) {
    return new JqError(new JsonQueryTypeException(format, (Object[]) values).getMessage());
  }

  private static JsonQueryException notIterable(JsonNode in) {
    return type("Cannot iterate over %s", in);
  }

  /** jq's {@code map([f])} of an object's values (jq's {@code _by} builtins sort that), {@code f} null for {@code .}. */
  private static JsonNode mapped(Scope scope, Expression f, JsonNode in) throws JsonQueryException {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode v : in) {
      ArrayNode each = out.addArray();
      if (f == null) {
        each.add(v);
      } else {
        f.apply(scope, v, each::add);
      }
    }
    return out;
  }

  /** jq's name of a value's type. */
  static String kind(JsonNode v) {
    if (v.isNull() || v.isMissingNode()) return "null";
    if (v.isBoolean()) return "boolean";
    if (v.isNumber()) return "number";
    if (v.isTextual()) return "string";
    if (v.isArray()) return "array";
    return "object";
  }

  /**
   * {@code _match_impl(re; flags; test)}, under {@code test}, {@code match}, {@code capture},
   * {@code scan}, {@code splits}, {@code split/2}, {@code sub} and {@code gsub}: the input, then
   * the regex and the flags, are strings (the flags may be null).
   */
  private static JsonQueryException match(Scope scope, List<Expression> args, JsonNode in) throws JsonQueryException {
    if (!in.isTextual()) return type("%s cannot be matched, as it is not a string", in);
    for (int i = 0; i < 2 && i < args.size(); i++) {
      List<JsonNode> values = new ArrayList<>();
      args.get(i).apply(scope, in, values::add);
      for (JsonNode v : values) {
        if (!v.isTextual() && !(i == 1 && v.isNull())) return type("%s is not a string", v);
      }
    }
    return null;
  }

  /** {@code has(k)}: an object has string keys, an array number keys, nothing else has keys. */
  private static JsonQueryException has(Scope scope, List<Expression> args, JsonNode in) throws JsonQueryException {
    List<JsonNode> keys = new ArrayList<>();
    args.get(0).apply(scope, in, keys::add);
    for (JsonNode k : keys) {
      boolean fits = in.isObject() ? k.isTextual() : in.isArray() ? k.isNumber() : in.isNull();
      if (!fits) return new JqError("Cannot check whether " + kind(in) + " has a " + kind(k) + " key");
    }
    return null;
  }

  /** {@code indices}, {@code index}, {@code rindex}: jq indexes the input with the argument ({@code .[$i]}). */
  private static JsonQueryException index(Scope scope, List<Expression> args, JsonNode in) throws JsonQueryException {
    if (in.isArray() || in.isTextual() || in.isNull()) return null;
    List<JsonNode> keys = new ArrayList<>();
    args.get(0).apply(scope, in, keys::add);
    if (keys.isEmpty()) return null;
    JsonNode k = keys.get(0);
    if (in.isObject() && k.isTextual()) return null; // jq gives .[k] there: no words of jq's to say it with
    return new JqError("Cannot index " + kind(in) + " with " + (k.isTextual() ? "string \"" + k.textValue() + "\"" : kind(k)));
  }

  /** {@code @sh}: an object or an array inside an array cannot be a shell word. */
  private static JsonQueryException shell(Scope scope, List<Expression> args, JsonNode in) {
    if (in.isContainerNode() && !in.isArray()) return type("%s can not be escaped for shell", in);
    for (JsonNode v : in) {
      if (v.isContainerNode()) return type("%s can not be escaped for shell", v);
    }
    return null;
  }
}

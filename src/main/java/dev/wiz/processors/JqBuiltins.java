package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.io.JsonErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.path.Path;

/**
 * jq builtins that jackson-jq 1.6.0 gets wrong, as jq 1.6 defines them; installed in the root
 * scope over jackson-jq's own.
 *
 * <ul>
 *   <li>{@code implode} made one UTF-16 unit of each code point, so characters beyond U+FFFF
 *       (emoji) vanished, from {@code ascii_downcase} and {@code ascii_upcase} too, which jq
 *       defines with it.
 *   <li>{@code paths} was {@code paths(. != null)}, which leaves out paths to nulls; jq's is
 *       {@code path(..) | select(length > 0)}.
 *   <li>{@code sub} and {@code gsub} (through {@code _sub_impl}, on which jackson-jq builds them)
 *       never ended when the regex matched the empty string: {@link JqSub}.
 *   <li>{@code match} and the builtins built on it ({@code _match_impl}) let a regex that does not
 *       compile through as joni's exception, which failed the whole chunk; decoded the text they
 *       matched in the platform's charset, not UTF-8; and found an empty match again inside a
 *       character's bytes: {@link JqSub#match}.
 *   <li>{@code join} wrote a number with Jackson's text ({@code 1.0E19}); the text of numbers
 *       inside jq: {@link JqNumberText}.
 *   <li>the builtins that order or compare values: {@link JqOrderBuiltins}.
 *   <li>{@code fromjson} said only that a string is not JSON: now also where and why, in the
 *       words and columns the sources use ({@link JsonErrors}).
 * </ul>
 */
final class JqBuiltins {
  private JqBuiltins() {}

  static void install(Scope root) {
    root.addFunction("implode", 0, JqBuiltins::implode);
    Function has = root.getFunction("has", 1);
    if (has != null) root.addFunction("has", 1, (scope, args, in, path, output, version) -> hasIndex(has, scope, args, in, output, version));
    root.addFunction("paths", 0, JqBuiltins::paths);
    root.addFunction("_sub_impl", 3, JqSub::apply);
    root.addFunction("_match_impl", 3, JqSub::match); // match, test, capture, scan, splits, split/2
    // jackson-jq's encoded the text in the platform's charset: under LANG=C, on Java 17, "é" | @base64
    // was "Pw==", a "?". jq encodes its UTF-8 bytes.
    root.addFunction("@base64", 0, (scope, args, in, path, output, version) -> {
      List<JsonNode> text = new ArrayList<>(1);
      JqNumberText.TEXT.apply(scope, in, text::add); // jq's tostring, numbers as written
      output.emit(TextNode.valueOf(Base64.getEncoder().encodeToString(text.get(0).textValue().getBytes(StandardCharsets.UTF_8))), null);
    });
    root.addFunction("@base64d", 0, JqBuiltins::base64d);
    Function fromjson = root.getFunction("fromjson", 0);
    if (fromjson != null) {
      root.addFunction("fromjson", 0, (scope, args, in, path, output, version) -> {
        // A byte order mark before the value is skipped, as jq and wiz's jsonl source skip it.
        JsonNode text = in.isTextual() && in.textValue().startsWith("\uFEFF") ? TextNode.valueOf(in.textValue().substring(1)) : in;
        Downstream later = new Downstream(output);
        try {
          fromjson.apply(scope, args, text, path, later, version);
        } catch (JsonQueryException e) {
          JsonQueryException after = later.thrown(e);
          throw after != null ? after : whyNotJson(e, in);
        }
      });
    }
    // jackson-jq's tostring and tojson wrap what the rest of the program throws at their output
    // (first(tostring) failed with "break", tojson | error("x") said "N/A"): it passes unwrapped.
    for (String name : List.of("tostring", "tojson")) {
      Function original = root.getFunction(name, 0);
      if (original == null) continue;
      root.addFunction(name, 0, (scope, args, in, path, output, version) -> {
        Downstream later = new Downstream(output);
        try {
          original.apply(scope, args, in, path, later, version);
        } catch (JsonQueryException e) {
          JsonQueryException after = later.thrown(e);
          throw after != null ? after : e;
        }
      });
    }
    Function delpaths = root.getFunction("delpaths", 1);
    if (delpaths != null) root.addFunction("delpaths", 1, (scope, args, in, path, output, version) -> args.get(0).apply(scope, in,
        paths -> delpaths.apply(scope, List.of(constant(withoutSlicesOfNull(in, paths))), in, path, output, version)));
    JqDates.install(root);
    JqDebug.install(root);
    JqMath.install(root);
    JqDefs.install(root);
    JqNumberText.installJoin(root);
    JqOrderBuiltins.install(root);
  }

  /**
   * jackson-jq's {@code failed to parse string ("...") as json}, with the column in the string and
   * what is wrong there.
   */
  private static JsonQueryException whyNotJson(JsonQueryException e, JsonNode in) {
    String m = e.getMessage();
    int as = m == null ? -1 : m.indexOf(" as json");
    if (as < 0 || !in.isTextual() || !m.startsWith("failed to parse ")) return e;
    // jackson-jq's own reason after it ("; trailing data", "; empty", ": ..."), said again in wiz's words
    String what = m.substring(0, as + " as json".length());
    if (in.textValue().isBlank()) return new JsonQueryException(what + ": the string holds no JSON value");
    String text = in.textValue().startsWith("\uFEFF") ? in.textValue().substring(1) : in.textValue();
    JsonErrors.Problem p = JsonErrors.ofText(text, new IOException(what), false);
    if (p.message().equals(what)) return new JsonQueryException(m); // nothing more to say than jackson-jq did
    // The byte order mark skipped above is a column of the first line only.
    int column = p.column() > 0 && text != in.textValue() && p.line() <= 1 ? p.column() + 1 : p.column();
    // The line too when the string has several (jq: "at line 4, column 0").
    boolean lines = text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    String place = lines && p.line() > 0 ? "line " + p.line() + (column > 0 ? ", column " + column : "") + ": "
        : column > 0 ? "column " + column + ": " : "";
    return new JsonQueryException(what + ": " + place + p.message());
  }

  /**
   * {@code has($i)} on an array: whether {@code $i}, cut to a whole number toward zero as jq does, is
   * from 0 to the length less one, for a fraction too ({@code [1,2] | has(1.5)} and {@code has(-0.5)}
   * are true; jackson-jq refused a number that is not an integer). Any other input, or a key that is no number, is jackson-jq's (and JqErrors' words).
   */
  private static void hasIndex(Function has, Scope scope, List<Expression> args, JsonNode in, PathOutput output,
      Version version) throws JsonQueryException {
    if (!in.isArray()) {
      has.apply(scope, args, in, null, output, version);
      return;
    }
    List<JsonNode> keys = new java.util.ArrayList<>();
    args.get(0).apply(scope, in, keys::add);
    if (!keys.stream().allMatch(JsonNode::isNumber)) {
      has.apply(scope, args, in, null, output, version); // fails with jq's words at the key that is no number
      return;
    }
    for (JsonNode k : keys) {
      double d = k.doubleValue();
      long i = (long) d; // toward zero, as jq's C cast: has(-0.5) is has(0)
      // NaN is no index (jq's cast makes it the smallest int; Java's made it 0)
      output.emit(com.fasterxml.jackson.databind.node.BooleanNode.valueOf(!Double.isNaN(d) && i >= 0 && i < in.size()), null);
    }
  }

  /**
   * The paths of {@code delpaths} without those that end in a slice of null ({@code del(.a[1:])}
   * where there is no {@code .a}): jq deletes nothing there, jackson-jq failed the record with {@code
   * A slice of an array can only be assigned another array}. Anything else is as it was.
   */
  private static JsonNode withoutSlicesOfNull(JsonNode in, JsonNode paths) {
    if (!paths.isArray()) return paths;
    ArrayNode kept = null;
    for (int i = 0; i < paths.size(); i++) {
      JsonNode p = paths.get(i);
      boolean drop = p.isArray() && p.size() > 0 && p.get(p.size() - 1).isObject() && sliceOfNull(in, p);
      if (drop && kept == null) {
        kept = JsonNodeFactory.instance.arrayNode();
        for (int j = 0; j < i; j++) kept.add(paths.get(j));
      }
      if (!drop && kept != null) kept.add(p);
    }
    return kept == null ? paths : kept;
  }

  /** Whether the value at all but the last element of {@code path} is null or missing. */
  private static boolean sliceOfNull(JsonNode in, JsonNode path) {
    JsonNode at = in;
    for (int i = 0; i < path.size() - 1 && at != null && !at.isNull(); i++) {
      JsonNode k = path.get(i);
      if (k.isTextual() && at.isObject()) {
        at = at.get(k.textValue());
      } else if (k.isIntegralNumber() && at.isArray()) {
        int n = k.intValue();
        at = at.get(n < 0 ? at.size() + n : n);
      } else {
        return false; // a slice or a key of another kind on the way: as it was
      }
    }
    return at == null || at.isNull();
  }

  /** An expression whose one output is {@code value}. */
  private static Expression constant(JsonNode value) {
    return (scope, in, ipath, out, requirePath) -> out.emit(value, null);
  }

  /**
   * {@code @base64d} as jq 1.6 reads the text (a value that is none, as {@code tostring} makes it):
   * up to the first {@code =}, in groups of four characters, and a last group of two or three; the
   * bytes as UTF-8, a byte that is no character as U+FFFD. jackson-jq's (Java's decoder) refused
   * what jq decodes, such as {@code "YQ="} or {@code "YWJjZA=x"} (jq: {@code "a"}, {@code "abcd"}).
   */
  private static void base64d(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output,
      Version version) throws JsonQueryException {
    List<JsonNode> text = new ArrayList<>(1);
    JqNumberText.TEXT.apply(scope, in, text::add);
    String s = text.get(0).textValue();
    int end = s.indexOf('=');
    if (end < 0) end = s.length();
    byte[] bytes = new byte[end / 4 * 3 + 2];
    int n = 0;
    int code = 0;
    int read = 0;
    for (int i = 0; i < end; i++) {
      int v = BASE64.indexOf(s.charAt(i));
      if (v < 0) throw new JsonQueryTypeException("%s is not valid base64 data", text.get(0)); // jq 1.6's words
      code = code << 6 | v;
      if (++read == 4) {
        bytes[n++] = (byte) (code >> 16);
        bytes[n++] = (byte) (code >> 8);
        bytes[n++] = (byte) code;
        code = 0;
        read = 0;
      }
    }
    if (read == 1) throw new JsonQueryTypeException("%s trailing base64 byte found", text.get(0));
    if (read >= 2) bytes[n++] = (byte) (code >> (read == 2 ? 4 : 10));
    if (read == 3) bytes[n++] = (byte) (code >> 2);
    output.emit(TextNode.valueOf(new String(bytes, 0, n, StandardCharsets.UTF_8)), null);
  }

  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private static void implode(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output,
      Version version) throws JsonQueryException {
    if (!in.isArray()) {
      throw new JsonQueryException("implode input must be an array"); // jq 1.6's words
    }
    StringBuilder b = new StringBuilder(in.size());
    for (JsonNode c : in) {
      if (!c.isNumber() || !c.canConvertToInt() || !Character.isValidCodePoint(c.asInt())) {
        throw new JsonQueryException("input to implode() must be a list of codepoints; " + c + " found");
      }
      b.appendCodePoint(c.asInt());
    }
    output.emit(TextNode.valueOf(b.toString()), null);
  }

  private static void paths(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output,
      Version version) throws JsonQueryException {
    walk(in, JsonNodeFactory.instance.arrayNode(), output);
  }

  /** Every path below {@code node}, parents before children and in order, as {@code path(..)} gives them. */
  private static void walk(JsonNode node, ArrayNode at, PathOutput output) throws JsonQueryException {
    if (node.isObject()) {
      for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
        ArrayNode p = at.deepCopy().add(e.getKey());
        output.emit(p, null);
        walk(e.getValue(), p, output);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ArrayNode p = at.deepCopy().add(i);
        output.emit(p, null);
        walk(node.get(i), p, output);
      }
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.JsonNumbers;
import dev.wiz.processor.ConfigProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the field processors ({@code select}, {@code drop}, {@code rename}, {@code set},
 * {@code cast}) share: reading their {@code fields} config, naming values and paths in messages.
 */
final class Fields {
  private Fields() {}

  static final String FIELDS = "fields";

  /** How much of a value a rejection reason shows, in characters. */
  static final int SHOWN = 60;

  /** A JSON pointer token for an object key (RFC 6901: {@code ~} and {@code /} escaped). */
  static String pointerToken(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** The pointer of a key of the {@code fields} map. */
  static String keyPointer(String key) {
    return "/" + FIELDS + "/" + pointerToken(key);
  }

  /**
   * The paths of a {@code fields} list, checked: each must parse, and two entries must not name
   * the same field (written differently, as {@code a.b} and {@code a."b"}).
   */
  static List<ConfigProblem> checkList(JsonNode config) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<FieldPath, Integer> seen = new LinkedHashMap<>();
    JsonNode list = config.path(FIELDS);
    for (int i = 0; i < list.size(); i++) {
      String text = list.get(i).asText();
      String pointer = "/" + FIELDS + "/" + i;
      Optional<String> problem = FieldPath.problem(text);
      if (problem.isPresent()) {
        problems.add(new ConfigProblem(pointer, problem.get()));
        continue;
      }
      Integer first = seen.putIfAbsent(FieldPath.parse(text), i);
      if (first != null) {
        problems.add(new ConfigProblem(pointer, "field '" + text + "' is the same field as '"
            + list.get(first).asText() + "' at /" + FIELDS + "/" + first + ": list it once"));
      }
    }
    return problems;
  }

  /** The parsed paths of a {@code fields} list that passed {@link #checkList}. */
  static List<FieldPath> list(JsonNode config) {
    List<FieldPath> paths = new ArrayList<>();
    for (JsonNode p : config.path(FIELDS)) paths.add(FieldPath.parse(p.asText()));
    return paths;
  }

  /** The entries of the {@code fields} map, in the order the pipeline file has them. */
  /**
   * Checks the keys of the {@code fields} map: each a valid path, none the same field as an
   * earlier one ({@code a.b} and {@code a."b"}). Adds the problems; returns every entry, for the
   * caller's own checks of the values.
   *
   * @param once what to do instead of naming a field twice, e.g. "cast it once"
   */
  static List<Map.Entry<String, JsonNode>> checkKeys(JsonNode config, String once, List<ConfigProblem> problems) {
    List<Map.Entry<String, JsonNode>> all = new java.util.ArrayList<>();
    Map<FieldPath, String> seen = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : entries(config)) {
      String pointer = keyPointer(e.getKey());
      java.util.Optional<String> problem = FieldPath.problem(e.getKey());
      all.add(e);
      if (problem.isPresent()) {
        problems.add(new ConfigProblem(pointer, problem.get()));
        continue;
      }
      String first = seen.putIfAbsent(FieldPath.parse(e.getKey()), e.getKey());
      if (first != null) {
        problems.add(new ConfigProblem(pointer, "field '" + e.getKey() + "' is the same field as '"
            + first + "' at " + keyPointer(first) + ": " + once));
      }
    }
    return all;
  }

  static List<Map.Entry<String, JsonNode>> entries(JsonNode config) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = config.path(FIELDS).fields(); it.hasNext(); ) {
      entries.add(it.next());
    }
    return entries;
  }

  /** True when {@code inner} lies strictly inside {@code outer} ({@code a.b} inside {@code a}). */
  static boolean inside(FieldPath inner, FieldPath outer) {
    List<String> i = inner.segments();
    List<String> o = outer.segments();
    return i.size() > o.size() && i.subList(0, o.size()).equals(o);
  }

  /**
   * How a later path of one step lies to an earlier one when one is inside the other:
   * {@code 'a.b' is inside 'a'} or {@code 'a' holds 'a.b'}; empty when neither is inside the other.
   * The processors that take several paths report such a pair at the later entry.
   */
  static Optional<String> nesting(FieldPath later, FieldPath earlier) {
    if (inside(later, earlier)) return Optional.of("'" + later + "' is inside '" + earlier + "'");
    if (inside(earlier, later)) return Optional.of("'" + later + "' holds '" + earlier + "'");
    return Optional.empty();
  }

  /** The inner path written from the outer one it lies inside ({@code b.c} for {@code a.b.c} in {@code a}). */
  static String relative(FieldPath inner, FieldPath outer) {
    return write(inner.segments().subList(outer.segments().size(), inner.segments().size()));
  }

  /**
   * Checks that no key of the {@code fields} map lies inside another ({@code a} and {@code a.b}),
   * for the processors that change each field: one of the two would undo or hide the other. Each
   * pair is reported once, at the later entry: {@code 'a' holds 'a.b', set at /fields/a.b: ...}.
   * Keys that are not valid paths are skipped ({@link #checkKeys} reports them).
   *
   * @param done how the earlier entry's field is changed, e.g. "set"
   * @param advice what to write instead, from the outer path and the inner one
   */
  static void checkNesting(List<Map.Entry<String, JsonNode>> entries, String done,
      java.util.function.BiFunction<FieldPath, FieldPath, String> advice, List<ConfigProblem> problems) {
    List<FieldPath> paths = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : entries) {
      if (FieldPath.problem(e.getKey()).isPresent()) continue;
      FieldPath later = FieldPath.parse(e.getKey());
      for (int j = 0; j < paths.size(); j++) {
        FieldPath earlier = paths.get(j);
        Optional<String> how = nesting(later, earlier);
        if (how.isPresent()) {
          problems.add(new ConfigProblem(keyPointer(e.getKey()), how.get() + ", " + done + " at "
              + keyPointer(keys.get(j)) + ": " + (inside(later, earlier)
              ? advice.apply(earlier, later) : advice.apply(later, earlier))));
        }
      }
      paths.add(later);
      keys.add(e.getKey());
    }
  }

  /** A value as JSON text, cut after {@link #SHOWN} characters ({@code "abc..."}). */
  static String show(JsonNode v) {
    if (v.isTextual()) {
      String s = v.textValue();
      boolean cut = s.codePointCount(0, s.length()) > SHOWN;
      String head = cut ? s.substring(0, s.offsetByCodePoints(0, SHOWN)) : s;
      String quoted = TextNode.valueOf(head).toString();
      return cut ? quoted.substring(0, quoted.length() - 1) + "...\"" : quoted;
    }
    String text = v.isNumber() ? JsonNumbers.text(v) : v.toString(); // a number as wiz writes it
    if (text.codePointCount(0, text.length()) <= SHOWN) return text;
    return text.substring(0, text.offsetByCodePoints(0, SHOWN)) + "...";
  }

  /** A path written back from its names, quoting those that need it. */
  static String write(List<String> segments) {
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      if (b.length() > 0) b.append('.');
      if (s.isEmpty() || s.indexOf('.') >= 0 || s.indexOf('"') >= 0) {
        b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      } else {
        b.append(s);
      }
    }
    return b.toString();
  }

  /**
   * Why {@link FieldPath#set} refused the path on this record: the first field on the way that
   * holds something other than an object (or null), as {@code 'user' holds a string}.
   */
  static String blocked(JsonNode root, FieldPath path) {
    JsonNode n = root;
    List<String> segments = path.segments();
    for (int i = 0; i < segments.size() - 1; i++) {
      n = n.get(segments.get(i));
      if (n == null || n.isNull()) break;
      if (!n.isObject()) {
        return "'" + write(segments.subList(0, i + 1)) + "' holds " + JsonKinds.kind(n) + ", not an object";
      }
    }
    return "a field on the way is not an object";
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.processor.ConfigProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code flatten} and {@code unflatten} share: their {@code separator}, {@code fields} and
 * {@code indexBase}, and how a message names a place in a record.
 */
final class FlatKeys {
  private FlatKeys() {}

  static final String SEPARATOR = "separator";
  static final String FIELDS = "fields";
  static final String INDEX_BASE = "indexBase";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The separator: {@code .} unless the config names another. */
  static String separator(JsonNode config) {
    return config.path(SEPARATOR).asText(".");
  }

  /** The number of the first element of an array: 0 unless the config says 1. */
  static int indexBase(JsonNode config) {
    return config.path(INDEX_BASE).asInt(0);
  }

  /** The top-level keys listed in {@code fields}, in order, or null when every key is meant. */
  static Set<String> fields(JsonNode config) {
    if (!config.has(FIELDS)) return null;
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode f : config.path(FIELDS)) names.add(f.asText());
    return Set.copyOf(names);
  }

  /**
   * An empty separator is refused (keys joined by nothing could not be told apart), and then
   * nothing is said of {@code fields}, which is checked against the separator. Each name of
   * {@code fields} is a top-level key, never a path: one that holds the separator is refused, as a
   * path written by mistake would match nothing.
   *
   * @param what what the separator does, after {@code it}: {@code joins the names into one key}
   * @param advice what listing the part before the separator does, after {@code list 'a'}
   */
  static List<ConfigProblem> checkSeparatorAndFields(JsonNode config, String what, String advice) {
    List<ConfigProblem> problems = new ArrayList<>();
    String sep = separator(config);
    if (sep.isEmpty()) {
      problems.add(new ConfigProblem("/" + SEPARATOR, "must not be empty: it " + what
          + "; give one no key holds, such as '.', '_' or ':'"));
      return problems;
    }
    JsonNode list = config.path(FIELDS);
    for (int i = 0; i < list.size(); i++) {
      String name = list.get(i).asText();
      int at = name.indexOf(sep);
      if (at < 0) continue;
      String pointer = "/" + FIELDS + "/" + i;
      String start = "'" + name + "' holds the separator '" + sep + "': fields names top-level keys, not paths; ";
      problems.add(new ConfigProblem(pointer, start + (at == 0 ? "set another separator"
          : "list '" + name.substring(0, at) + "' " + advice + ", or set another separator")));
    }
    return problems;
  }

  /**
   * A place in a record in jq's path syntax, from the record down: {@code .user.name},
   * {@code .tags[0]}, {@code ."a.b"}. Each step is a {@code String} key or an {@code Integer}
   * array index (from 0, as jq counts).
   */
  static String jqPath(List<Object> steps) {
    StringBuilder b = new StringBuilder();
    for (Object s : steps) {
      if (s instanceof Integer i) {
        if (b.length() == 0) b.append('.');
        b.append('[').append(i).append(']');
      } else {
        String key = (String) s;
        b.append('.').append(IDENTIFIER.matcher(key).matches() ? key : TextNode.valueOf(key).toString());
      }
    }
    return b.length() == 0 ? "." : b.toString();
  }
}

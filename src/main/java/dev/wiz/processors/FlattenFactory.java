package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code flatten}: nested objects and arrays into one level of keys joined by a separator
 * ({@code {"user":{"name":"Ada"},"tags":["x"]}} to {@code {"user.name":"Ada","tags.0":"x"}}), so
 * a {@code csv} sink gets a column per nested value. The flattened keys take the place of their
 * field, in the record's order. An empty object or array is kept as it is, written as the text
 * {@code {}} or {@code []}, or left out, as {@code empty} says; with {@code arrays: false} an array
 * is a value, kept whole (a csv cell holds its JSON text). Two places that would make the
 * same key (a key that holds the separator) reject the record rather than lose one value.
 */
public final class FlattenFactory implements ProcessorFactory {
  static final String EMPTY = "empty";
  static final String ARRAYS = "arrays";

  /** What becomes of an empty object or array. */
  enum Empty {
    /** The value stays {@code {}} or {@code []} (a csv cell shows it as that text). */
    KEEP,
    /** The string {@code "{}"} or {@code "[]"}, as Miller writes it. */
    TEXT,
    /** Left out. */
    DROP;

    static Empty of(JsonNode config) {
      return valueOf(config.path(EMPTY).asText("keep").toUpperCase(Locale.ROOT));
    }
  }

  @Override
  public String type() {
    return "flatten";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>(FlatKeys.checkSeparatorAndFields(config, "joins the names on the way down into one key",
        "(everything inside it is flattened)"));
    if (config.has(FlatKeys.INDEX_BASE) && !config.path(ARRAYS).asBoolean(true)) {
      problems.add(new ConfigProblem("/" + FlatKeys.INDEX_BASE, "indexBase numbers the elements of the arrays that"
          + " flatten spreads, and arrays: false spreads none: remove indexBase, or set arrays: true"));
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    Flattener f = new Flattener(FlatKeys.separator(config), FlatKeys.fields(config),
        FlatKeys.indexBase(config), config.path(ARRAYS).asBoolean(true), Empty.of(config));
    return () -> new ObjectRecordProcessor(type()) {
      @Override
      JsonNode apply(ObjectNode record) throws RecordProblem {
        return f.flatten(record);
      }
    };
  }

  /** The flattening of one config; immutable, shared by the instances. */
  private static final class Flattener {
    private final String separator;
    private final Set<String> fields; // null: every field
    private final int indexBase;
    private final boolean arrays; // false: an array is a value, kept whole
    private final Empty empty;

    Flattener(String separator, Set<String> fields, int indexBase, boolean arrays, Empty empty) {
      this.separator = separator;
      this.fields = fields;
      this.indexBase = indexBase;
      this.arrays = arrays;
      this.empty = empty;
    }

    /** Is the value spread into keys (or, when empty, handled as {@code empty} says)? */
    private boolean spread(JsonNode v) {
      return v.isObject() || (arrays && v.isArray());
    }

    private boolean selected(String key) {
      return fields == null || fields.contains(key);
    }

    /** Does this value change? A non-empty container is flattened; an empty one unless kept. */
    private boolean changes(JsonNode v) {
      return spread(v) && (v.size() > 0 || empty != Empty.KEEP);
    }

    ObjectNode flatten(ObjectNode record) throws ObjectRecordProcessor.RecordProblem {
      boolean any = false;
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext() && !any; ) {
        Map.Entry<String, JsonNode> e = it.next();
        any = selected(e.getKey()) && changes(e.getValue());
      }
      if (!any) return record; // nothing nested: the record as it came, no copy
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (selected(e.getKey())) {
          into(out, e.getKey(), e.getValue(), record);
        } else {
          put(out, e.getKey(), e.getValue(), record);
        }
      }
      return out;
    }

    /** Puts the value under the key, or, for a container, each value inside it under its own. */
    private void into(ObjectNode out, String key, JsonNode v, ObjectNode record)
        throws ObjectRecordProcessor.RecordProblem {
      if (!spread(v)) {
        put(out, key, v, record);
      } else if (v.size() == 0) {
        switch (empty) {
          case KEEP -> put(out, key, v, record);
          case TEXT -> put(out, key, TextNode.valueOf(v.isArray() ? "[]" : "{}"), record);
          case DROP -> { }
        }
      } else if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) into(out, key + separator + (i + indexBase), v.get(i), record);
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          into(out, key + separator + e.getKey(), e.getValue(), record);
        }
      }
    }

    private void put(ObjectNode out, String key, JsonNode v, ObjectNode record)
        throws ObjectRecordProcessor.RecordProblem {
      if (out.has(key)) {
        List<String> places = new ArrayList<>(2);
        origins(record, key, new ArrayList<>(), "", true, places);
        throw new ObjectRecordProcessor.RecordProblem(String.join(" and ", places) + " would both be the key '" + key
            + "': set a separator that no key of the record holds");
      }
      out.set(key, v);
    }

    /**
     * The places of the record, in jq's path syntax, that are written under {@code key}: found
     * again only when two collide, so the work of naming them is never done for a good record.
     */
    private void origins(JsonNode v, String key, List<Object> steps, String prefix, boolean top, List<String> found) {
      if (found.size() == 2) return;
      boolean flat = !steps.isEmpty() && (!spread(v) || (v.size() == 0 && empty != Empty.DROP)
          || (top && !selected((String) steps.get(0))));
      if (flat) {
        if (prefix.equals(key)) found.add(FlatKeys.jqPath(steps));
        return;
      }
      if (!steps.isEmpty() && !key.startsWith(prefix)) return; // nothing under here makes the key
      String head = steps.isEmpty() ? "" : prefix + separator;
      if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) {
          steps.add(i);
          origins(v.get(i), key, steps, head + (i + indexBase), false, found);
          steps.remove(steps.size() - 1);
        }
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          steps.add(e.getKey());
          origins(e.getValue(), key, steps, head + e.getKey(), steps.size() == 1, found);
          steps.remove(steps.size() - 1);
        }
      }
    }
  }
}

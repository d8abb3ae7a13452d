package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code unflatten}, the inverse of {@code flatten}: a key that holds the separator becomes nested
 * objects ({@code {"user.name":"Ada"}} to {@code {"user":{"name":"Ada"}}}); an object it made whose
 * keys are the numbers {@code indexBase, indexBase+1, ...} becomes an array; the strings
 * {@code "{}"} and {@code "[]"} become an empty object and array. Keys that cannot all be placed
 * (both {@code a} and {@code a.b}, with {@code a} a number) reject the record rather than lose one.
 */
public final class UnflattenFactory implements ProcessorFactory {
  static final String ARRAYS = "arrays";
  static final String EMPTY_STRINGS = "emptyStrings";

  @Override
  public String type() {
    return "unflatten";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>(
        FlatKeys.checkSeparatorAndFields(config, "separates the names in a key",
            "(the keys that start with it and the separator are unflattened)"));
    if (config.has(FlatKeys.INDEX_BASE) && !config.path(ARRAYS).asBoolean(true)) {
      problems.add(new ConfigProblem("/" + FlatKeys.INDEX_BASE, "indexBase numbers the elements of the arrays that"
          + " unflatten makes, and arrays: false makes none: remove indexBase, or set arrays: true"));
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    Unflattener u = new Unflattener(FlatKeys.separator(config), FlatKeys.fields(config), FlatKeys.indexBase(config),
        config.path(ARRAYS).asBoolean(true), config.path(EMPTY_STRINGS).asBoolean(true));
    return () -> new ObjectRecordProcessor(type()) {
      // The records of a chunk mostly share their keys: each is split once per instance.
      private final Map<String, List<String>> paths = new HashMap<>();

      @Override
      JsonNode apply(ObjectNode record) throws RecordProblem {
        return u.unflatten(record, paths);
      }
    };
  }

  /** The unflattening of one config; immutable, shared by the instances. */
  private static final class Unflattener {
    private final String separator;
    private final Set<String> fields; // null: every key
    private final int indexBase;
    private final boolean arrays;
    private final boolean emptyStrings;

    Unflattener(String separator, Set<String> fields, int indexBase, boolean arrays, boolean emptyStrings) {
      this.separator = separator;
      this.fields = fields;
      this.indexBase = indexBase;
      this.arrays = arrays;
      this.emptyStrings = emptyStrings;
    }

    /**
     * Where a key goes: the names between its separators, or the key alone when it holds none,
     * when it is not selected by {@code fields}, or when a name would be empty (it starts or ends
     * with the separator, or holds two in a row: {@code a..b}), which is left as it is.
     */
    private List<String> path(String key) {
      if (!splits(key)) return List.of(key);
      List<String> names = new ArrayList<>();
      int from = 0;
      while (true) {
        int next = key.indexOf(separator, from);
        String name = next < 0 ? key.substring(from) : key.substring(from, next);
        if (name.isEmpty()) return List.of(key);
        names.add(name);
        if (next < 0) return names;
        from = next + separator.length();
      }
    }

    /** How many keys an instance remembers the paths of: enough for any one shape of record. */
    private static final int REMEMBERED = 4096;

    /** {@link #path}, remembered in {@code paths}. */
    private List<String> path(String key, Map<String, List<String>> paths) {
      List<String> p = paths.get(key);
      if (p == null) {
        p = path(key);
        if (paths.size() < REMEMBERED) paths.put(key, p);
      }
      return p;
    }

    /** Does {@link #path} split the key? Without making anything: most keys of most records do not. */
    private boolean splits(String key) {
      int at = key.indexOf(separator);
      if (at <= 0 || (fields != null && !fields.contains(key.substring(0, at)))) return false;
      int n = separator.length();
      for (int next = key.indexOf(separator, at + n); ; next = key.indexOf(separator, at + n)) {
        if (next < 0) return at + n < key.length(); // the last name is not empty
        if (next == at + n) return false; // two separators in a row
        at = next;
      }
    }

    /** Is the key's value read as {@code {}} or {@code []} when it is that text? */
    private boolean revives(String key, JsonNode v) {
      if (!emptyStrings || !v.isTextual() || !(v.textValue().equals("{}") || v.textValue().equals("[]"))) return false;
      if (fields == null) return true;
      int at = key.indexOf(separator);
      return fields.contains(at < 0 ? key : key.substring(0, at));
    }

    private static JsonNode revived(JsonNode v) {
      return v.textValue().equals("{}") ? JsonNodeFactory.instance.objectNode() : JsonNodeFactory.instance.arrayNode();
    }

    ObjectNode unflatten(ObjectNode record, Map<String, List<String>> paths) throws ObjectRecordProcessor.RecordProblem {
      boolean any = false;
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext() && !any; ) {
        Map.Entry<String, JsonNode> e = it.next();
        any = path(e.getKey(), paths).size() > 1 || revives(e.getKey(), e.getValue());
      }
      if (!any) return record; // nothing to do: the record as it came, no copy
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      // The objects of the output this step may change: true for one it made (which may become an
      // array), false for its copy of an object of the record (never changed in place).
      Map<JsonNode, Boolean> owned = new IdentityHashMap<>(8);
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        JsonNode value = revives(key, e.getValue()) ? revived(e.getValue()) : e.getValue();
        List<String> path = path(key, paths);
        if (path.size() > 1 || out.has(key)) {
          place(out, path, value, owned, record, key);
        } else {
          out.set(key, value); // a key of its own: nothing can be in its way yet
        }
      }
      if (arrays) finish(out, owned);
      return out;
    }

    private void place(ObjectNode out, List<String> path, JsonNode value, Map<JsonNode, Boolean> owned,
        ObjectNode record, String key) throws ObjectRecordProcessor.RecordProblem {
      ObjectNode n = out;
      for (int i = 0; i < path.size() - 1; i++) {
        String name = path.get(i);
        JsonNode child = n.get(name);
        if (child == null) {
          ObjectNode made = JsonNodeFactory.instance.objectNode();
          owned.put(made, Boolean.TRUE);
          n.set(name, made);
          n = made;
        } else if (child.isObject()) {
          n = own(n, name, (ObjectNode) child, owned);
        } else {
          List<String> at = path.subList(0, i + 1);
          throw problem("the key '" + key + "' puts a field inside '" + write(at) + "', which the key '"
              + earlier(record, key, at) + "' sets to " + JsonKinds.kind(child));
        }
      }
      String leaf = path.get(path.size() - 1);
      JsonNode existing = n.get(leaf);
      if (existing == null) {
        n.set(leaf, value);
      } else if (existing.isObject() && value.isObject()) {
        ObjectNode target = own(n, leaf, (ObjectNode) existing, owned);
        owned.put(target, Boolean.FALSE); // an object of the record is in it: it stays an object
        merge(target, (ObjectNode) value, path, owned, record, key);
      } else if (existing.isObject()) {
        throw problem("the key '" + key + "' sets '" + write(path) + "' to " + JsonKinds.kind(value)
            + ", which the key '" + earlier(record, key, path) + "' makes an object");
      } else {
        throw problem("the keys '" + earlier(record, key, path) + "' and '" + key + "' both set '" + write(path) + "'");
      }
    }

    /** Puts the fields of an object of the record into one of the output at the same place. */
    private void merge(ObjectNode target, ObjectNode given, List<String> at, Map<JsonNode, Boolean> owned,
        ObjectNode record, String key) throws ObjectRecordProcessor.RecordProblem {
      for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode existing = target.get(e.getKey());
        List<String> here = new ArrayList<>(at);
        here.add(e.getKey());
        if (existing == null) {
          target.set(e.getKey(), e.getValue());
        } else if (existing.isObject() && e.getValue().isObject()) {
          ObjectNode inner = own(target, e.getKey(), (ObjectNode) existing, owned);
          owned.put(inner, Boolean.FALSE);
          merge(inner, (ObjectNode) e.getValue(), here, owned, record, key);
        } else {
          throw problem("the keys '" + earlier(record, key, here) + "' and '" + key + "' both set '" + write(here) + "'");
        }
      }
    }

    /** The object at {@code parent.name}, made this step's own: a copy of one of the record's. */
    private static ObjectNode own(ObjectNode parent, String name, ObjectNode child, Map<JsonNode, Boolean> owned) {
      if (owned.containsKey(child)) return child;
      ObjectNode copy = FieldPath.shallowCopy(child);
      owned.put(copy, Boolean.FALSE);
      parent.set(name, copy);
      return copy;
    }

    /** Turns each object this step made whose keys are the numbers of its elements into an array. */
    private JsonNode finish(ObjectNode node, Map<JsonNode, Boolean> owned) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode child = e.getValue();
        if (child.isObject() && owned.containsKey(child)) {
          JsonNode done = finish((ObjectNode) child, owned);
          if (done != child) e.setValue(done); // the same key, another value: the order stays
        }
      }
      return Boolean.TRUE.equals(owned.get(node)) ? arrayOf(node) : node;
    }

    /** The object as an array when its keys are exactly indexBase .. indexBase+n-1, in any order; else itself. */
    private JsonNode arrayOf(ObjectNode node) {
      JsonNode[] slots = new JsonNode[node.size()];
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int i = index(e.getKey()) - indexBase;
        if (i < 0 || i >= slots.length || slots[i] != null) return node;
        slots[i] = e.getValue();
      }
      ArrayNode array = JsonNodeFactory.instance.arrayNode(slots.length);
      for (JsonNode v : slots) array.add(v);
      return array;
    }

    /** The number a key spells as flatten writes one (digits, no sign, no leading zero), or -1. */
    private static int index(String key) {
      int n = key.length();
      if (n == 0 || n > 9 || (n > 1 && key.charAt(0) == '0')) return -1;
      int v = 0;
      for (int i = 0; i < n; i++) {
        char c = key.charAt(i);
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
      }
      return v;
    }

    private String write(List<String> names) {
      return String.join(separator, names);
    }

    /**
     * The first key before {@code key} whose place overlaps {@code at} (one lies inside the other,
     * or they are the same): the one that put there what {@code key} meets. Found only for a message.
     */
    private String earlier(ObjectNode record, String key, List<String> at) {
      for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (k.equals(key)) break;
        List<String> p = path(k);
        int common = Math.min(p.size(), at.size());
        if (p.subList(0, common).equals(at.subList(0, common))) return k;
      }
      return "?";
    }

    private static ObjectRecordProcessor.RecordProblem problem(String what) {
      return new ObjectRecordProcessor.RecordProblem(what + ": rename one of the two first");
    }
  }
}

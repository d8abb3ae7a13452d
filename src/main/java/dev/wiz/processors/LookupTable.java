package dev.wiz.processors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.Json;
import dev.wiz.JsonNumbers;
import dev.wiz.WrittenNumber;
import dev.wiz.io.RecordFile;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ReferenceFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * The records of a {@code lookup} file by key: read once per run, then only read (by every
 * instance, on every worker). Keys are held in a canonical form ({@link #keyOf}) whose equality is
 * the key equality {@code keyAs} says.
 */
final class LookupTable {

  /** What becomes of a record whose key the file does not have. */
  enum Unmatched { KEEP, DROP, REJECT }

  /** How many records are read between two looks at the heap ({@link HeapAfterGc}). */
  private static final int MEMORY_CHECK_EVERY = 8192;

  /**
   * Whether the heap is nearly full of live objects: some pool that holds long-lived objects was
   * more than {@value #FULL} full right after its last collection. A table that does not fit is
   * then refused at once, rather than after minutes of the collector running for ever less room
   * before the Java runtime gives up (measured: 44 to 86 s for a heap of 500 or 128 MB).
   */
  static final class HeapAfterGc {
    private static final double FULL = 0.92;

    private HeapAfterGc() {}

    static boolean nearlyFull() {
      for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() != java.lang.management.MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()) continue;
        java.lang.management.MemoryUsage after = pool.getCollectionUsage();
        if (after == null || after.getMax() <= 0) continue;
        String name = pool.getName().toLowerCase(Locale.ROOT);
        boolean old = name.contains("old") || name.contains("tenured");
        if (old && after.getUsed() > FULL * after.getMax()) return true;
      }
      return false;
    }
  }

  /** What two records of the file with one key are: an error, one of them, or all (a one-to-many join). */
  enum Duplicates { ERROR, FIRST, LAST, ALL }

  /** What a file without records is: refused, or a table every record misses. */
  enum Empty { ERROR, ALLOW }

  /**
   * One lookup's config.
   *
   * @param into the field the match goes under, or null to merge its fields
   * @param fields the fields of the match taken, in order, or null for all
   */
  record Settings(String file, String format, char delimiter, Expression key, Expression fileKey, boolean keyAsString,
      String into, List<String> fields, Unmatched unmatched, Duplicates duplicates, Empty empty) {
    Settings {
      Objects.requireNonNull(file, "file");
      fields = fields == null ? null : List.copyOf(fields);
    }

    static Settings of(JsonNode config, Expression key, Expression fileKey) {
      String d = config.path("delimiter").asText(",");
      List<String> fields = null;
      if (config.has("fields")) {
        fields = new ArrayList<>();
        for (JsonNode f : config.get("fields")) fields.add(f.asText());
      }
      return new Settings(config.path(LookupFactory.FILE).asText(), config.path("format").asText("jsonl"),
          d.isEmpty() ? ',' : d.charAt(0), key, fileKey, "string".equals(config.path("keyAs").asText("json")),
          config.has("into") ? config.get("into").asText() : null, fields,
          Unmatched.valueOf(config.path("unmatched").asText("keep").toUpperCase(Locale.ROOT)),
          Duplicates.valueOf(config.path("duplicates").asText("error").toUpperCase(Locale.ROOT)),
          Empty.valueOf(config.path("empty").asText("error").toUpperCase(Locale.ROOT)));
    }
  }

  /**
   * A record of the file as it is used (its fields taken), and the line it starts on. An object is
   * held as its field names and values, not as an {@link ObjectNode}: the names are one array
   * shared by the records that have the same ones (every row of a csv file), and no map is kept per
   * record. That is about half the memory of the node, and as much less copying for the collector
   * while the file is read, which was most of the reading time (measured: 5 of 7.7 s for 1,000,000
   * csv rows).
   */
  static final class Row {
    /** The field names of an object, or null when {@link #values} is the record itself. */
    private final String[] names;
    /**
     * The values of the fields named (an {@code Object[]} of a {@link String} for a string, as it
     * is the most of a table, else the {@link JsonNode}), or the record itself.
     */
    private final Object values;
    final long line;
    /** With {@code duplicates: all}, the next record of the file with the same key, in file order. */
    private Row next;

    private Row(String[] names, Object values, long line) {
      this.names = names;
      this.values = values;
      this.line = line;
    }

    /** The row of a record; {@code lastNames[0]} holds the names of the row before, shared when equal. */
    static Row of(JsonNode record, long line, String[][] lastNames) {
      if (!record.isObject()) return new Row(null, record, line);
      int n = record.size();
      Object[] values = new Object[n];
      String[] names = lastNames[0];
      boolean same = names != null && names.length == n;
      int i = 0;
      for (Map.Entry<String, JsonNode> e : record.properties()) {
        JsonNode v = e.getValue();
        values[i] = v.isTextual() ? v.textValue() : v;
        same = same && names[i].equals(e.getKey());
        i++;
      }
      if (!same) {
        names = new String[n];
        i = 0;
        for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) names[i++] = it.next();
        lastNames[0] = names;
      }
      return new Row(names, values, line);
    }

    /** The next record of the file with this key (with {@code duplicates: all}), or null. */
    Row next() {
      return next;
    }

    /** The chain from this row, which was built last first, in file order. */
    private Row reversed() {
      Row done = null;
      for (Row r = this, after; r != null; r = after) {
        after = r.next;
        r.next = done;
        done = r;
      }
      return done;
    }

    /** The record, as a node of its own (an object is built again, its fields in their order). */
    JsonNode node() {
      if (names == null) return (JsonNode) values;
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      Object[] v = (Object[]) values;
      for (int i = 0; i < names.length; i++) o.set(names[i], value(v[i]));
      return o;
    }

    /** Adds to {@code o} the fields of this object it does not have, in their order. */
    void addMissingTo(ObjectNode o) {
      Object[] v = (Object[]) values;
      for (int i = 0; i < names.length; i++) {
        if (!o.has(names[i])) o.set(names[i], value(v[i]));
      }
    }

    private static JsonNode value(Object v) {
      return v instanceof String ? TextNode.valueOf((String) v) : (JsonNode) v;
    }
  }

  /** The key of a number, with keys compared as JSON: its value ({@link JsonNumbers#valueText}). */
  private record NumberKey(String value) {}

  /** The key of an array or object: its canonical JSON ({@link Json#keyBytes}). */
  private record TreeKey(String json) {}

  private final Settings settings;
  private final Map<Object, Row> byKey;
  private final ReferenceFile reference;
  /** Whether the keyAs hint was logged in this run (once is enough). */
  final AtomicBoolean hinted = new AtomicBoolean();

  private LookupTable(Settings settings, Map<Object, Row> byKey, ReferenceFile reference) {
    this.settings = settings;
    this.byKey = byKey;
    this.reference = reference;
  }

  Settings settings() {
    return settings;
  }

  /** The file, as the run records it. */
  ReferenceFile reference() {
    return reference;
  }

  int size() {
    return byKey.size();
  }

  /** What a record with the key (in its canonical form) gets, or null when no record of the file has it. */
  Row find(Object key) {
    return byKey.get(key);
  }

  /**
   * Reads the file. Every problem (the file, a line of it, a key, a duplicate key, a table larger
   * than the memory) is a {@link ProcessorException} at the config's {@code file}.
   */
  static LookupTable load(Settings s, Path baseDir) throws ProcessorException {
    Map<Object, Row> byKey = new HashMap<>();
    String[][] lastNames = new String[1][];
    JqScope scope = Expression.newScope();
    List<JsonNode> outputs = new ArrayList<>(2);
    long[] count = new long[1];
    RecordFile.Read read;
    try {
      read = RecordFile.read(baseDir, s.file(), s.format(), s.delimiter(), (record, line) -> {
        if (++count[0] % MEMORY_CHECK_EVERY == 0 && HeapAfterGc.nearlyFull()) throw new OutOfMemoryError("heap");
        String at = s.file() + ":" + line + ": ";
        outputs.clear();
        try {
          s.fileKey().apply(scope, record, outputs::add);
        } catch (JsonQueryException e) {
          throw new RecordFile.Problem(at + "fileKey " + s.fileKey().source() + ": " + JqSupport.message(e));
        } catch (StackOverflowError e) {
          throw new RecordFile.Problem(at + "fileKey " + s.fileKey().source() + ": " + TooDeep.JQ);
        } catch (dev.wiz.processor.RunCancelledException e) {
          throw new RecordFile.Problem(at + e.getMessage());
        }
        if (outputs.size() > 1) {
          throw new RecordFile.Problem(at + "fileKey " + s.fileKey().source() + " gives " + outputs.size()
              + " values; a key is one value (several fields make one as an array: [.a, .b])");
        }
        Object key = outputs.isEmpty() ? null : keyOf(outputs.get(0), s.keyAsString());
        if (key == null) {
          throw new RecordFile.Problem(at + "the record has no key (fileKey " + s.fileKey().source() + " is "
              + (outputs.isEmpty() ? "empty" : "null") + "): every record of a lookup file needs one; remove the line"
              + " or give it a key" + (s.fileKey() == s.key() ? ", or set fileKey if the file names it otherwise" : ""));
        }
        JsonNode value = value(s, record, at);
        Row before = byKey.get(key);
        if (before != null) {
          switch (s.duplicates()) {
            case ERROR -> throw new RecordFile.Problem(at + "the key " + shown(outputs.get(0)) + " is also the key of line "
                + before.line + ": remove one, or say which to keep with duplicates: first or duplicates: last");
            case FIRST -> { return; }
            case LAST -> { }
            case ALL -> {
              // Chained last first, which costs nothing however many share a key; put in file order below.
              Row row = Row.of(value, line, lastNames);
              row.next = before;
              byKey.put(key, row);
              return;
            }
          }
        }
        byKey.put(key, Row.of(value, line, lastNames));
      });
    } catch (RecordFile.Problem p) {
      throw ProcessorException.inConfig("/" + LookupFactory.FILE, "lookup file " + p.getMessage());
    } catch (OutOfMemoryError e) {
      byKey.clear();
      long max = Runtime.getRuntime().maxMemory() >> 20;
      throw ProcessorException.inConfig("/" + LookupFactory.FILE, "lookup file '" + s.file() + "' does not fit in"
          + " memory: the Java heap (at most " + max + " MB) was full after " + count[0] + " records; give wiz more (e.g."
          + " WIZ_JAVA_OPTS=-Xmx4g bin/wiz ...), or keep fewer: list only the fields needed in fields");
    }
    if (s.duplicates() == Duplicates.ALL) byKey.replaceAll((k, r) -> r.next == null ? r : r.reversed());
    if (read.records() == 0 && s.empty() == Empty.ERROR) {
      // Most likely the wrong file (or one not written yet): every record would miss, quietly.
      throw ProcessorException.inConfig("/" + LookupFactory.FILE, "lookup file " + s.file() + " holds no records ("
          + (read.bytes() == 0 ? "0 bytes" : switch (s.format()) {
            case "csv" -> "a header and no rows";
            case "json" -> "an empty array";
            default -> "no line holds a record";
          })
          + "), so no record would match" + switch (s.unmatched()) {
            case KEEP -> " and every one would pass unchanged";
            case DROP -> " and every one would be dropped";
            case REJECT -> " and every one would be rejected";
          } + ": name the file that holds the table, or set empty: allow if a table without records is meant");
    }
    ReferenceFile ref = new ReferenceFile(null, s.file(), read.path(), read.bytes(), read.digest(), read.records());
    return new LookupTable(s, byKey, ref);
  }

  /** What a record of the file gives a matching record: itself, or the fields taken, in their order. */
  private static JsonNode value(Settings s, JsonNode record, String at) throws RecordFile.Problem {
    if (s.into() != null && s.fields() == null) return record;
    if (!record.isObject()) {
      throw new RecordFile.Problem(at + "the record is " + JsonKinds.kind(record) + ", not an object: "
          + (s.fields() != null ? "fields are taken" : "fields are merged") + " from objects only (with into and no"
          + " fields, the value is put as it is)");
    }
    if (s.fields() == null) return record;
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (String f : s.fields()) {
      JsonNode v = record.get(f);
      if (v != null) o.set(f, v);
    }
    return o;
  }

  /** A key as a message shows it: its JSON text, cut when long. */
  static String shown(JsonNode key) {
    String t;
    try {
      t = Json.records().writeValueAsString(key);
    } catch (JsonProcessingException e) {
      t = key.toString();
    }
    return t.length() > 80 ? t.substring(0, 77) + "..." : t;
  }

  /**
   * The canonical form of a key: equal forms are equal keys. Null for no key (null or missing).
   * A string is its text (the very {@link String} of the node: a table's keys cost no memory of
   * their own); with {@code asString} a number or boolean is that too, with the text it is written
   * as (a number's as read: {@code 1.0} stays {@code 1.0}); else a number is a {@link NumberKey} of
   * its value in jq's sense ({@link JsonNumbers#valueText}: {@code 1}, {@code 1.0}, {@code 1e0}
   * alike) and a boolean a {@link Boolean}. An array or object is a {@link TreeKey} of its
   * canonical JSON ({@link Json#keyBytes}: keys sorted, numbers by value), after, with {@code
   * asString}, every number and boolean in it was made a string. No two kinds share a form.
   */
  static Object keyOf(JsonNode v, boolean asString) {
    if (v == null || v.isNull() || v.isMissingNode()) return null;
    if (v.isTextual()) return v.textValue();
    if (v.isNumber()) return asString ? numberText(v) : new NumberKey(JsonNumbers.valueText(v));
    if (v.isBoolean()) return asString ? Boolean.toString(v.booleanValue()) : Boolean.valueOf(v.booleanValue());
    return new TreeKey(new String(Json.keyBytes(asString ? texts(v) : v), StandardCharsets.UTF_8));
  }

  /** A number's text as a record writes it. */
  static String numberText(JsonNode n) {
    if (n instanceof WrittenNumber) return ((WrittenNumber) n).text();
    if (n.isIntegralNumber() && n.canConvertToLong()) return Long.toString(n.longValue());
    try {
      return Json.records().writeValueAsString(n);
    } catch (JsonProcessingException e) {
      return n.asText();
    }
  }

  /** The value with every number and boolean in it, at any depth, made the string of its text. */
  private static JsonNode texts(JsonNode v) {
    if (v.isNumber()) return TextNode.valueOf(numberText(v));
    if (v.isBoolean()) return TextNode.valueOf(Boolean.toString(v.booleanValue()));
    if (v.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode a = JsonNodeFactory.instance.arrayNode(v.size());
      for (JsonNode e : v) a.add(texts(e));
      return a;
    }
    if (v.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      v.fields().forEachRemaining(e -> o.set(e.getKey(), texts(e.getValue())));
      return o;
    }
    return v;
  }

  /**
   * With keys compared as JSON: whether the file has the key as the other kind, a string for a
   * number or a number for a string ({@code "42"} for {@code 42}): then {@code keyAs: string} is
   * what the user wants, and a message says so. Looked at only for a record without a match.
   */
  boolean hasAsOtherKind(JsonNode key) {
    if (settings.keyAsString() || key == null) return false;
    if (key.isNumber()) return byKey.containsKey(numberText(key));
    if (key.isTextual()) {
      // Only an integer as a number is written ("42", not " 42", "1.0" or "1e0"): keyAs: string
      // compares texts, so it would not match those with the file's 42 either, and must not be offered.
      String t = key.textValue();
      if (!isIntegerText(t)) return false;
      try {
        JsonNode n = dev.wiz.TreeReader.parse(t);
        return n.isNumber() && byKey.containsKey(new NumberKey(JsonNumbers.valueText(n)));
      } catch (java.io.IOException | RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  /** Whether the text is an integer as JSON writes one: {@code 0}, {@code 42}, {@code -7}, no sign, space or leading zero else. */
  private static boolean isIntegerText(String t) {
    int start = t.startsWith("-") ? 1 : 0;
    if (t.length() == start || t.length() - start > 1 && t.charAt(start) == '0') return false;
    for (int i = start; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') return false;
    }
    return true;
  }
}

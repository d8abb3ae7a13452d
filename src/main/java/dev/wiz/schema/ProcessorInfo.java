package dev.wiz.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What users read about a processor type, taken from its config schema (and from the factory
 * only what the engine itself acts on: load balancing, seeds, forking, side effects), so nothing
 * is written twice.
 *
 * @param summary the first sentence of the schema's description
 * @param description the schema's whole description
 * @param fields the config fields, in schema order
 * @param sample the sample config (the schema's first example), or {@code null}
 */
public record ProcessorInfo(String type, String version, String summary, String description, boolean loadBalance,
    boolean needsSeed, boolean forks, boolean sideEffects, List<Field> fields, JsonNode sample) {

  public ProcessorInfo {
    fields = List.copyOf(fields);
  }

  /** One config field: name, a readable type, required or not, the default if any, what it does. */
  public record Field(String name, String type, boolean required, JsonNode defaultValue, String description) {}

  public static ProcessorInfo of(ProcessorFactory f, SchemaCatalog catalog) {
    JsonNode schema = catalog.exists(f.schemaResource()) ? catalog.raw(f.schemaResource()) : null;
    String description = schema == null ? "" : schema.path("description").asText("");
    List<Field> fields = new ArrayList<>();
    JsonNode sample = null;
    if (schema != null) {
      Set<String> required = new TreeSet<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode p = e.getValue();
        fields.add(new Field(e.getKey(), typeOf(p, schema), required.contains(e.getKey()),
            p.get("default"), p.path("description").asText("")));
      }
      JsonNode examples = schema.path("examples");
      if (examples.isArray() && !examples.isEmpty()) sample = examples.get(0);
    }
    return new ProcessorInfo(f.type(), f.version(), firstSentence(description), description, f.loadBalance(),
        f.needsSeed(), f.forks(), f.sideEffects(), fields, sample);
  }

  /** The first sentence: up to the first ". " (or the whole text). */
  static String firstSentence(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    int dot = t.indexOf(". ");
    String s = dot < 0 ? t : t.substring(0, dot + 1);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** A readable type: string, integer, array of string, one of [a, b], object, string or object ... */
  static String typeOf(JsonNode p, JsonNode root) {
    if (p.has("$ref") && !p.has("type")) { // a reference that says its type beside it is read as that type
      String ref = p.get("$ref").asText();
      if (ref.startsWith("#/")) {
        JsonNode target = root.at(ref.substring(1));
        if (!target.isMissingNode()) return typeOf(target, root);
      }
      return "object";
    }
    if (p.has("enum")) {
      List<String> values = new ArrayList<>();
      p.get("enum").forEach(v -> values.add(v.isTextual() ? v.asText() : v.toString()));
      return "one of " + String.join(", ", values);
    }
    if (p.has("const")) return "the value " + p.get("const");
    JsonNode t = p.get("type");
    if (t != null && t.isTextual()) {
      String type = t.asText();
      if (type.equals("array") && p.has("items")) return "array of " + typeOf(p.get("items"), root);
      if (type.equals("object") && p.has("additionalProperties") && p.get("additionalProperties").isObject()) {
        return "map of " + typeOf(p.get("additionalProperties"), root);
      }
      return type;
    }
    if (t != null && t.isArray()) {
      List<String> types = new ArrayList<>();
      t.forEach(x -> types.add(x.asText()));
      return String.join(" or ", types);
    }
    for (String k : List.of("oneOf", "anyOf")) {
      if (p.has(k)) {
        Set<String> types = new java.util.LinkedHashSet<>();
        p.get(k).forEach(x -> types.add(typeOf(x, root)));
        return String.join(" or ", types);
      }
    }
    return "any";
  }
}

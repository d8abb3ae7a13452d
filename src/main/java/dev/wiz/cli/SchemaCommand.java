package dev.wiz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.schema.SchemaCatalog;
import dev.wiz.schema.Suggestions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz schema}: the JSON Schema of the pipeline file, or of one processor, source or sink type. */
final class SchemaCommand extends Subcommand implements Callable<Integer> {
  static final String PIPELINE_SCHEMA = "/schemas/pipeline.schema.json";
  /** The {@code $id} prefix of the bundled schemas, which maps to the class-path folder {@code /schemas/}. */
  static final String ID_PREFIX = "https://wiz.dev/schemas/";
  /** Where the output of {@code wiz schema} is kept in the repository, for the bundled pipelines' editors. */
  static final String EDITOR_SCHEMA = "editor/pipeline.schema.json";

  final Value<String> type = Value.of(String.class);

  /** {@code wiz schema [--type=TYPE]}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "schema");
    s.usageMessage()
        .header("Print the JSON Schema of the pipeline file or of one type.")
        .description(
            "Print a JSON Schema (draft 2020-12) on stdout. By default the pipeline file's,",
            "with the schema of every processor, source and sink type joined in: an editor",
            "pointed at it checks and completes each processor's config and the source's",
            "and sink's keys by their type (wiz schema > pipeline.schema.json). With --type,",
            "the config schema of a processor type (jq), or of a source or sink type",
            "(source/file, sink/stdout; stdin and stdout need no prefix). These are the",
            "schemas validate checks against, as bundled; what they use of the shared",
            "definitions is copied in, so the output stands alone.",
            "Exit 0; 3 for an unknown type (the known ones are listed); 2 if ambiguous.");
    s.addOption(type.option("--type").paramLabel("TYPE")
        .description("A processor type (as 'wiz processors list' names it), or source/TYPE or sink/TYPE.").build());
    return s;
  }

  @Override
  public Integer call() throws IOException {
    String type = this.type.value();
    ClassLoader cl = SchemaCommand.class.getClassLoader();
    SchemaCatalog catalog = new SchemaCatalog(cl);
    ProcessorRegistry registry = ProcessorRegistry.load(cl);
    if (type == null) {
      printJson(forEditors(catalog, registry));
      return ExitCode.OK.code();
    }
    Map<String, String> known = knownTypes(catalog, registry);
    String found = known.get(type);
    if (found == null) {
      List<String> kinds = kindsOf(known, type);
      if (kinds.size() > 1) {
        env().err().println("wiz: '" + type + "' is a " + String.join(" and a ", kinds) + " type: say "
            + String.join(" or ", kinds.stream().map(k -> k + "/" + type).toList()));
        return ExitCode.USAGE.code();
      }
      found = kinds.size() == 1 ? known.get(kinds.get(0) + "/" + type) : null;
    }
    if (found == null) {
      StringBuilder m = new StringBuilder("wiz: unknown type '").append(type).append("'");
      List<String> candidates = new ArrayList<>(known.keySet());
      known.keySet().stream().filter(k -> k.contains("/")).map(k -> k.substring(k.indexOf('/') + 1)).distinct()
          .forEach(candidates::add);
      Suggestions.closest(type, candidates).ifPresent(s -> m.append(" (did you mean '").append(s).append("'?)"));
      m.append("; known: processors ").append(String.join(", ", registry.types()));
      m.append("; sources ").append(String.join(", ", prefixed(known, "source/")));
      m.append("; sinks ").append(String.join(", ", prefixed(known, "sink/")));
      env().err().println(m);
      return ExitCode.INVALID.code();
    }
    printJson(standalone(catalog, found));
    return ExitCode.OK.code();
  }

  /**
   * Every name {@code --type} takes, with its schema resource: processor types, and source and sink
   * types as {@code source/file} and {@code sink/file} (those the pipeline schema names as examples
   * of {@code type} that have a schema, as validate lists them).
   */
  static Map<String, String> knownTypes(SchemaCatalog catalog, ProcessorRegistry registry) {
    Map<String, String> known = new LinkedHashMap<>();
    for (ProcessorFactory f : registry.factories()) {
      if (catalog.exists(f.schemaResource())) known.put(f.type(), f.schemaResource());
    }
    JsonNode pipeline = catalog.raw(PIPELINE_SCHEMA);
    for (String kind : List.of("source", "sink")) {
      for (JsonNode example : pipeline.at("/properties/" + kind + "/properties/type/examples")) {
        String name = example.asText();
        String resource = "/schemas/" + kind + "s/" + name + ".schema.json";
        if (name.matches("[a-z0-9][a-z0-9_-]{0,62}") && catalog.exists(resource)) known.put(kind + "/" + name, resource);
      }
    }
    return known;
  }

  /** The kinds (source, sink) that have a type of this bare name. */
  private static List<String> kindsOf(Map<String, String> known, String bare) {
    List<String> kinds = new ArrayList<>();
    for (String kind : List.of("source", "sink")) {
      if (known.containsKey(kind + "/" + bare)) kinds.add(kind);
    }
    return kinds;
  }

  private static List<String> prefixed(Map<String, String> known, String prefix) {
    return known.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
  }

  /**
   * The pipeline schema with the schema of every type joined in, for an editor: a processor's
   * {@code config} is checked against its type's schema ({@code if} the type is this one {@code
   * then} that), and so are a source and a sink as a whole; {@code type} lists the known types.
   * validate checks the same, in two passes (the pipeline, then each type's schema), so that the
   * bundled pipeline schema does not report a config's problems a second time.
   */
  static JsonNode forEditors(SchemaCatalog catalog, ProcessorRegistry registry) {
    ObjectNode root = (ObjectNode) catalog.raw(PIPELINE_SCHEMA);
    String base = root.path("$id").asText();
    root.put("$id", ID_PREFIX + EDITOR_SCHEMA);
    root.put("description", root.path("description").asText() + " This schema is made by 'wiz schema' from "
        + "schemas/pipeline.schema.json and the schema of every type, which it joins in: to change it, change those.");
    Map<String, String> known = knownTypes(catalog, registry);
    ObjectNode processor = (ObjectNode) root.path("$defs").path("processor");
    ArrayNode processorTypes = JsonNodeFactory.instance.arrayNode();
    ArrayNode processorRules = JsonNodeFactory.instance.arrayNode();
    for (ProcessorFactory f : registry.factories()) {
      String resource = known.get(f.type());
      if (resource == null || !resource.equals(f.schemaResource())) continue;
      processorTypes.add(f.type());
      ObjectNode then = JsonNodeFactory.instance.objectNode();
      then.putObject("properties").putObject("config").put("$ref", relative(resource))
          .put("description", "The config of a " + f.type() + " processor: " + catalog.raw(resource).path("description").asText());
      // validate checks a processor without config as {}: one whose type wants keys must have it.
      if (!catalog.check(resource, JsonNodeFactory.instance.objectNode()).isEmpty()) then.putArray("required").add("config");
      processorRules.add(when("processor", f.type(), then));
    }
    ((ObjectNode) processor.path("properties").path("type")).set("enum", processorTypes);
    processor.set("allOf", processorRules);
    for (String kind : List.of("source", "sink")) {
      ObjectNode at = (ObjectNode) root.path("properties").path(kind);
      ArrayNode types = JsonNodeFactory.instance.arrayNode();
      ArrayNode rules = JsonNodeFactory.instance.arrayNode();
      known.forEach((name, resource) -> {
        if (!name.startsWith(kind + "/")) return;
        String bare = name.substring(kind.length() + 1);
        types.add(bare);
        ObjectNode then = JsonNodeFactory.instance.objectNode();
        then.put("$ref", relative(resource));
        rules.add(when(kind, bare, then));
      });
      ((ObjectNode) at.path("properties").path("type")).set("enum", types);
      at.set("allOf", rules);
    }
    JsonNode whole = allowVariables(standalone(catalog, root, base));
    ObjectNode defs = (ObjectNode) whole.get("$defs");
    ObjectNode exact = defs.putObject(VARIABLE);
    exact.put("description", "A ${VAR} or ${VAR:-default} alone, replaced from the environment when the pipeline is read; "
        + "a plain (unquoted) value is typed after that, so it may stand for a number or true/false. validate checks the value.");
    exact.put("type", "string").put("pattern", "^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-.*)?\\}$");
    ObjectNode inside = defs.putObject(WITH_VARIABLE);
    inside.put("description", "A string with ${VAR} or ${VAR:-default} in it, replaced from the environment when the pipeline "
        + "is read. validate checks the value.");
    inside.put("type", "string").put("pattern", "\\$\\{[A-Za-z_]");
    return whole;
  }

  private static final String VARIABLE = "variable";
  private static final String WITH_VARIABLE = "withVariable";
  private static final List<String> ANNOTATIONS = List.of("title", "description", "default", "examples", "deprecated");

  /**
   * Lets an editor take {@code ${VAR}} where validate takes it, since validate checks the values
   * after they are replaced: in every schema of a number, an integer or a boolean ({@code workers:
   * ${WORKERS:-4}}), and of a string with an {@code enum} or a {@code pattern} ({@code format:
   * ${FORMAT:-jsonl}}), which becomes {@code anyOf} it and a reference to {@code ${...}} (its
   * description and examples kept outside, for the editor to show). Returns the schema, or what
   * is to replace it.
   */
  private static JsonNode allowVariables(JsonNode schema) {
    if (!(schema instanceof ObjectNode o)) return schema;
    for (String map : List.of("properties", "$defs", "dependentSchemas", "patternProperties")) {
      if (o.get(map) instanceof ObjectNode m) {
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(names::add);
        for (String name : names) m.set(name, allowVariables(m.get(name)));
      }
    }
    for (String one : List.of("items", "additionalProperties", "not", "contains", "then", "else")) {
      if (o.has(one)) o.set(one, allowVariables(o.get(one)));
    }
    for (String many : List.of("allOf", "anyOf", "oneOf", "prefixItems")) {
      if (o.get(many) instanceof ArrayNode a) {
        for (int i = 0; i < a.size(); i++) a.set(i, allowVariables(a.get(i)));
      }
    }
    String type = o.path("type").asText("");
    String alternative = switch (type) {
      case "integer", "number", "boolean" -> VARIABLE;
      case "string", "" -> o.has("enum") || (type.equals("string") && o.has("pattern")) ? WITH_VARIABLE : null;
      default -> null;
    };
    if (alternative == null) return o;
    ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
    for (String a : ANNOTATIONS) {
      if (o.has(a)) wrapper.set(a, o.remove(a));
    }
    ArrayNode any = wrapper.putArray("anyOf");
    any.add(o);
    any.addObject().put("$ref", "#/$defs/" + alternative);
    return wrapper;
  }

  /** {@code {"if": {type is NAME}, "then": THEN}}. */
  private static ObjectNode when(String kind, String type, ObjectNode then) {
    ObjectNode rule = JsonNodeFactory.instance.objectNode();
    ObjectNode test = rule.putObject("if");
    test.putObject("properties").putObject("type").put("const", type)
        .put("description", "The " + kind + " type " + type + ".");
    test.putArray("required").add("type");
    rule.set("then", then);
    return rule;
  }

  /** A bundled schema's resource as a reference from the pipeline schema ({@code processors/jq.schema.json}). */
  private static String relative(String resource) {
    return resource.substring("/schemas/".length());
  }

  /**
   * The schema at the resource with every {@code $ref} to another bundled schema replaced by a
   * reference to a copy of its target under this schema's {@code $defs} (named after the file and
   * the definition: {@code codec.format}; a whole document after its folder and file:
   * {@code processors.jq}), so the result needs nothing else.
   */
  static JsonNode standalone(SchemaCatalog catalog, String resource) {
    ObjectNode root = (ObjectNode) catalog.raw(resource);
    return standalone(catalog, root, root.path("$id").asText(ID_PREFIX + resource.substring("/schemas/".length())));
  }

  /** The root with its references rewritten; a relative reference starts at {@code base}. */
  private static JsonNode standalone(SchemaCatalog catalog, ObjectNode root, String base) {
    Map<String, String> copied = new LinkedHashMap<>(); // absolute ref -> name under $defs
    Map<String, JsonNode> added = new LinkedHashMap<>();
    rewrite(root, URI.create(base), true, catalog, copied, added, root);
    if (!added.isEmpty()) {
      ObjectNode defs = root.has("$defs") ? (ObjectNode) root.get("$defs") : root.putObject("$defs");
      added.forEach(defs::set);
    }
    return root;
  }

  /**
   * Rewrites the references in a node. In the root document a {@code #...} reference stays; in a
   * copied definition every reference is relative to the document it was copied from.
   */
  private static void rewrite(JsonNode node, URI base, boolean inRoot, SchemaCatalog catalog, Map<String, String> copied,
      Map<String, JsonNode> added, ObjectNode root) {
    if (node.isArray()) {
      for (JsonNode item : node) rewrite(item, base, inRoot, catalog, copied, added, root);
      return;
    }
    if (!node.isObject()) return;
    ObjectNode o = (ObjectNode) node;
    JsonNode ref = o.get("$ref");
    if (ref != null && ref.isTextual() && !(inRoot && ref.asText().startsWith("#"))) {
      String absolute = base.resolve(ref.asText()).toString();
      String name = copied.get(absolute);
      if (name == null) {
        int hash = absolute.indexOf('#');
        String doc = hash < 0 ? absolute : absolute.substring(0, hash);
        String pointer = hash < 0 ? "" : absolute.substring(hash + 1);
        Optional<JsonNode> target = doc.startsWith(ID_PREFIX)
            ? Optional.of("/schemas/" + doc.substring(ID_PREFIX.length())).filter(catalog::exists)
                .map(r -> catalog.raw(r).at(pointer)).filter(t -> !t.isMissingNode())
            : Optional.empty();
        if (target.isPresent()) {
          name = defName(doc, pointer, root, added);
          copied.put(absolute, name);
          JsonNode copy = target.get().deepCopy();
          if (pointer.isEmpty() && copy.isObject()) {
            // An $id inside the document would make its #/$defs/... references its own.
            ((ObjectNode) copy).remove(List.of("$id", "$schema"));
          }
          added.put(name, copy);
          rewrite(copy, URI.create(doc), false, catalog, copied, added, root);
        }
      }
      if (name != null) o.set("$ref", TextNode.valueOf("#/$defs/" + name));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("$ref")) rewrite(e.getValue(), base, inRoot, catalog, copied, added, root);
    }
  }

  /** {@code codec.format} for {@code .../defs/codec.schema.json#/$defs/format}; made unique. */
  private static String defName(String doc, String pointer, ObjectNode root, Map<String, JsonNode> added) {
    String file = pointer.isEmpty() && doc.startsWith(ID_PREFIX)
        ? doc.substring(ID_PREFIX.length()).replace(".schema.json", "").replace('/', '.')
        : doc.substring(doc.lastIndexOf('/') + 1).replace(".schema.json", "");
    String last = pointer.isEmpty() ? "" : "." + pointer.substring(pointer.lastIndexOf('/') + 1);
    String name = (file + last).replaceAll("[^A-Za-z0-9._-]", "_");
    String unique = name;
    for (int i = 2; root.path("$defs").has(unique) || added.containsKey(unique); i++) unique = name + "-" + i;
    return unique;
  }
}

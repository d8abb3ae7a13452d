package dev.wiz.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.Interpolation;
import dev.wiz.pipeline.LocatedTree;
import dev.wiz.pipeline.Location;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a pipeline file, or one processor config, against the packaged schemas and the processor
 * types' own checks, and reports every problem at once, located in the file. Runs nothing, writes
 * nothing; bad input never makes it throw.
 */
public final class PipelineValidator {
  static final String PIPELINE_SCHEMA = "/schemas/pipeline.schema.json";

  /** What a source or sink type must look like before it is turned into a resource name. */
  private static final Pattern TYPE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private final SchemaCatalog catalog;
  private final ProcessorRegistry processors;

  public PipelineValidator(SchemaCatalog catalog, ProcessorRegistry processors) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.processors = Objects.requireNonNull(processors, "processors");
  }

  /**
   * Starts compiling the pipeline schema in the background ({@link SchemaCatalog#compileInBackground}),
   * for a {@link #validate} after the file is read.
   */
  public PipelineValidator prepare() {
    prepare(catalog);
    return this;
  }

  /** Starts compiling the pipeline schema of the catalog in the background (see {@link #prepare()}). */
  public static void prepare(SchemaCatalog catalog) {
    catalog.compileInBackground(PIPELINE_SCHEMA);
  }

  /** Every problem of the pipeline, sorted by position; empty when it is valid. */
  public List<Diagnostic> validate(LocatedTree pipeline, ProcessorSetup setup) {
    Findings findings = new Findings(pipeline);
    JsonNode root = pipeline.root();
    findings.addAll("", catalog.check(PIPELINE_SCHEMA, root));
    if (root.isObject()) {
      checkTyped(root.get("source"), "/source", Kind.SOURCE, findings);
      checkTyped(root.get("sink"), "/sink", Kind.SINK, findings);
      checkProcessors(root.get("processors"), setup, findings);
    }
    return findings.sorted();
  }

  /**
   * Every problem of a config for one processor type (what {@code wiz validate --type} checks), with
   * pointers relative to the config; empty when it is valid.
   */
  public List<Diagnostic> validateConfig(String processorType, LocatedTree config, ProcessorSetup setup) {
    Findings findings = new Findings(config);
    Optional<ProcessorFactory> factory = processors.find(processorType);
    if (factory.isEmpty()) {
      findings.add("", unknownProcessor(processorType), false);
    } else {
      checkConfig(factory.get(), config.root(), "", setup, findings);
    }
    return findings.sorted();
  }

  /** Source or sink: checked against its type's schema, or reported as an unknown type. */
  private void checkTyped(JsonNode node, String at, Kind kind, Findings findings) {
    if (node != null && node.isObject() && !node.has("type")) {
      misspeltType(node, at, kind, findings);
    }
    if (node == null || !node.isObject() || !node.path("type").isTextual()) {
      return; // the pipeline schema has said what is wrong
    }
    String type = node.get("type").asText();
    String resource = kind.resource(type);
    if (TYPE_NAME.matcher(type).matches() && catalog.exists(resource)) {
      findings.addAll(at, catalog.check(resource, node));
      return;
    }
    List<String> known = knownTypes(kind);
    StringBuilder message =
        new StringBuilder("unknown ").append(kind.word).append(" type '").append(Visible.of(type)).append("' (");
    Suggestions.closest(type, known)
        .ifPresent(s -> message.append("did you mean '").append(s).append("'? "));
    message.append("known: ").append(String.join(", ", known)).append(')');
    findings.add(at + "/type", message.toString(), false);
  }

  /**
   * With no {@code type}, the keys of no source (or sink) type are checked by none: the one that is
   * {@code type} misspelt ({@code tpye}, {@code types}) is said to be, beside the missing key the
   * pipeline schema reports.
   */
  private void misspeltType(JsonNode node, String at, Kind kind, Findings findings) {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (String type : knownTypes(kind)) {
      catalog.raw(kind.resource(type)).path("properties").fieldNames().forEachRemaining(known::add);
    }
    node.fieldNames().forEachRemaining(key -> {
      if (!known.contains(key) && Suggestions.closest(key, List.of("type")).isPresent()) {
        findings.add(at + "/" + key.replace("~", "~0").replace("/", "~1"),
            "unknown key '" + Visible.of(key) + "' (did you mean 'type'?)", true);
      }
    });
  }

  /**
   * The source or sink types to name in a hint: those the pipeline schema lists as examples of
   * {@code type} that have a schema of their own.
   */
  private List<String> knownTypes(Kind kind) {
    List<String> known = new ArrayList<>();
    JsonNode examples =
        catalog.raw(PIPELINE_SCHEMA).at("/properties/" + kind.word + "/properties/type/examples");
    for (JsonNode example : examples) {
      String type = example.asText();
      if (TYPE_NAME.matcher(type).matches() && catalog.exists(kind.resource(type))) {
        known.add(type);
      }
    }
    return known;
  }

  private void checkProcessors(JsonNode list, ProcessorSetup setup, Findings findings) {
    if (list == null || !list.isArray()) {
      return;
    }
    Map<String, Integer> firstById = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject()) {
        continue;
      }
      String at = "/processors/" + i;
      JsonNode id = item.get("id");
      if (id != null && id.isTextual()) {
        Integer first = firstById.putIfAbsent(id.asText(), i);
        if (first != null) {
          findings.add(at + "/id", duplicateId(findings.tree, id.asText(), first), false);
        }
      }
      JsonNode type = item.get("type");
      if (type == null || !type.isTextual()) {
        continue;
      }
      Optional<ProcessorFactory> factory = processors.find(type.asText());
      if (factory.isEmpty()) {
        findings.add(at + "/type", unknownProcessor(type.asText()), false);
        continue;
      }
      JsonNode config = item.has("config") ? item.get("config") : JsonNodeFactory.instance.objectNode();
      if (config.isObject()) { // otherwise the pipeline schema has said so
        checkConfig(factory.get(), config, at + "/config", setup, findings);
      }
    }
  }

  private static String duplicateId(LocatedTree tree, String id, int first) {
    Location firstAt = tree.locate("/processors/" + first + "/id");
    String where = firstAt.known() ? "on line " + firstAt.line() : "at /processors/" + first;
    return "duplicate processor id '" + id + "' (first used " + where + "): ids must be unique";
  }

  private String unknownProcessor(String type) {
    StringBuilder message = new StringBuilder("unknown processor type '").append(Visible.of(type)).append("' (");
    Suggestions.closest(type, processors.types())
        .ifPresent(s -> message.append("did you mean '").append(s).append("'? "));
    return message.append("see 'wiz processors list')").toString();
  }

  /**
   * The config against the type's schema, then the type's own check: of the whole config when it
   * passed, else of what is left when the values the schema refused are taken out.
   */
  private void checkConfig(ProcessorFactory factory, JsonNode config, String at, ProcessorSetup setup,
      Findings findings) {
    String resource = factory.schemaResource();
    List<SchemaProblem> problems;
    try {
      if (!catalog.exists(resource)) {
        findings.add(at, "processor type '" + factory.type() + "' has no config schema " + resource
            + ": its plug-in is broken", false);
        return;
      }
      problems = catalog.check(resource, config);
    } catch (RuntimeException e) {
      Map<String, Double> notFinite = NotFinite.find(config);
      if (!notFinite.isEmpty()) { // should the schema library still fail on one
        notFinite.forEach((p, v) -> findings.add(at + p, NotFinite.message(v), false));
        return;
      }
      findings.add(at, "cannot check the config of processor type '" + factory.type()
          + "': its schema " + resource + " is broken (" + e.getMessage() + ")", false);
      return;
    }
    // A rule the type's check makes too is its to report (in words the schema cannot say); the
    // schema's words only when the check says nothing there.
    List<SchemaProblem> byType = problems.stream().filter(SchemaProblem::byType).toList();
    problems = problems.stream().filter(p -> !p.byType()).toList();
    findings.addAll(at, problems);
    JsonNode checkable = config;
    List<String> pruned = List.of();
    if (!problems.isEmpty()) {
      Pruned rest = pruned(config, problems, resource);
      if (rest == null) {
        findings.addAll(at, byType);
        return;
      }
      checkable = rest.config();
      pruned = rest.pointers();
    }
    List<ConfigProblem> checked;
    try {
      checked = factory.check(checkable, setup);
    } catch (RuntimeException e) {
      if (pruned.isEmpty()) {
        findings.add(at, "processor type '" + factory.type() + "' failed to check its config: " + e, false);
      }
      findings.addAll(at, byType);
      return;
    }
    Set<String> spoken = new HashSet<>();
    for (ConfigProblem p : checked == null ? List.<ConfigProblem>of() : checked) {
      String pointer = p.pointer() == null ? "" : p.pointer();
      if (aboutPruned(pointer, pruned)) {
        continue;
      }
      String message = p.message() == null ? "invalid config" : p.message();
      findings.addInText(at + pointer, p.offset(), message);
      spoken.add(pointer);
    }
    // Nor where a value the schema refused was taken out: that refusal speaks there, as before.
    List<String> refused = pruned;
    findings.addAll(at, byType.stream().filter(p -> !spoken.contains(p.pointer()) && !aboutPruned(p.pointer(), refused))
        .toList());
  }

  /** A config with the values its schema refused taken out, and their pointers. */
  private record Pruned(JsonNode config, List<String> pointers) {}

  /** Rounds of taking out what the schema refuses (taking out a required value makes its object refused). */
  private static final int PRUNE_ROUNDS = 4;

  /**
   * The config without the values its schema refused, when what is left passes the schema, so the
   * type's own check can see every other field (a jq program is compiled whatever its neighbours
   * hold); null when that cannot be: a problem of the whole config, or of an array's item (taking
   * it out would move the items after it, and the pointers of their problems).
   */
  private Pruned pruned(JsonNode config, List<SchemaProblem> problems, String resource) {
    JsonNode rest = config.deepCopy();
    List<String> pointers = new ArrayList<>();
    List<SchemaProblem> left = problems;
    for (int round = 0; round < PRUNE_ROUNDS && !left.isEmpty(); round++) {
      for (SchemaProblem p : left) {
        if (p.pointer().isEmpty()) {
          return null;
        }
        com.fasterxml.jackson.core.JsonPointer ptr = com.fasterxml.jackson.core.JsonPointer.compile(p.pointer());
        JsonNode parent = rest.at(ptr.head());
        if (parent.isArray()) {
          return null;
        }
        if (parent.isObject()) {
          ((com.fasterxml.jackson.databind.node.ObjectNode) parent).remove(ptr.last().getMatchingProperty());
          pointers.add(p.pointer());
        }
      }
      try {
        left = catalog.check(resource, rest).stream().filter(p -> !p.byType()).toList();
      } catch (RuntimeException e) {
        return null;
      }
    }
    return left.isEmpty() ? new Pruned(rest, List.copyOf(pointers)) : null;
  }

  /** Whether a problem the type's check found is about a taken-out value or a place that held one. */
  private static boolean aboutPruned(String pointer, List<String> pruned) {
    for (String p : pruned) {
      if (p.equals(pointer) || p.startsWith(pointer + "/") || pointer.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  private enum Kind {
    SOURCE("source", "sources"),
    SINK("sink", "sinks");

    /** The word in messages, which is also the key in the pipeline file. */
    final String word;
    final String folder;

    Kind(String word, String folder) {
      this.word = word;
      this.folder = folder;
    }

    String resource(String type) {
      return "/schemas/" + folder + "/" + type + ".schema.json";
    }
  }

  /** Problems collected for one tree, turned into located diagnostics. */
  private static final class Findings {
    final LocatedTree tree;
    private final TreeSet<Diagnostic> diagnostics = new TreeSet<>();

    Findings(LocatedTree tree) {
      this.tree = tree;
    }

    void addAll(String prefix, List<SchemaProblem> problems) {
      for (SchemaProblem p : problems) {
        add(prefix + p.pointer(), p.message(), p.atKey());
      }
    }

    /**
     * Drops a problem of a value that could not be interpolated (its unset variable is reported
     * already, and the text as written is no real value), and never quotes a value from the
     * environment.
     */
    void add(String pointer, String message, boolean atKey) {
      if (tree.isUnresolved(pointer)) return;
      Location at = atKey ? tree.locateKey(pointer) : tree.locate(pointer);
      String m = quotedSubstitution(pointer) && message.startsWith("expected ") && message.contains(", got string ")
          ? message + ": a quoted ${...} stays a string; write it unquoted to have it typed (inside { } that needs"
              + " block style, one key per line)"
          : message.startsWith("expected a string") ? message + unquotedFlow(pointer) : message;
      diagnostics.add(Diagnostic.at(tree.file(), at, pointer, tree.redact(pointer, m)));
    }

    /**
     * Why a value that should be text is a mapping or a list, when it reads as one written in flow
     * style: a jq program such as {@code {id, user}} or {@code [.a, .b]} left unquoted. Else empty.
     */
    private String unquotedFlow(String pointer) {
      JsonNode v = tree.root().at(pointer);
      if (!v.isObject() && !v.isArray()) return "";
      String key = pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
      String text = "...";
      if (v.isObject() && v.size() > 0) {
        // {id, user} reads as {"id": null, "user": null}: its keys give the text back.
        List<String> keys = new ArrayList<>();
        boolean shorthand = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          shorthand &= e.getValue().isNull();
          keys.add(e.getKey());
        }
        if (shorthand) text = "{" + String.join(", ", keys) + "}";
      }
      boolean item = tree.root().at(pointer.substring(0, pointer.lastIndexOf('/'))).isArray();
      return ": YAML reads an unquoted value that starts with { or [ as a mapping or a list; quote it to have it as"
          + " text (single quotes suit jq programs): " + (item ? "" : key + ": ") + "'" + text + "'";
    }

    /** Whether the string at the pointer was written as exactly one {@code ${...}}, in quotes. */
    private boolean quotedSubstitution(String pointer) {
      Interpolation i = tree.interpolations().get(pointer);
      return i != null && i.quotedWhole();
    }

    /**
     * A problem at a character offset inside a string value (a jq syntax error, say). In an
     * interpolated value, an "at column N" (or "at line L, column N") the message gives for that
     * offset counts in the text as written, as the position does.
     */
    void addInText(String pointer, int offset, String message) {
      if (tree.isUnresolved(pointer)) return;
      Location at = offset >= 0 ? tree.locateInText(pointer, offset) : tree.locate(pointer);
      Interpolation written = tree.interpolations().get(pointer);
      String m = message;
      if (written != null && offset >= 0 && offset <= written.value().length()) {
        boolean lines = ConfigProblem.hasLines(written.value());
        m = replacePosition(m, "at " + ConfigProblem.position(written.value(), offset, lines),
            "at " + ConfigProblem.position(written.written(), written.writtenOffset(offset), lines));
      }
      diagnostics.add(Diagnostic.at(tree.file(), at, pointer, tree.redact(pointer, m)));
    }

    /** The message with its first {@code said} that no digit follows replaced by {@code meant}. */
    private static String replacePosition(String message, String said, String meant) {
      for (int i = message.indexOf(said); i >= 0; i = message.indexOf(said, i + 1)) {
        int end = i + said.length();
        if (end == message.length() || !Character.isDigit(message.charAt(end))) {
          return message.substring(0, i) + meant + message.substring(end);
        }
      }
      return message;
    }

    List<Diagnostic> sorted() {
      return List.copyOf(diagnostics);
    }
  }
}

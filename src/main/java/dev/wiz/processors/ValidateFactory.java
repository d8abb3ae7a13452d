package dev.wiz.processors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.RunCancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code validate}: checks every record against a JSON Schema given inline ({@code schema}) or in
 * a JSON file ({@code schemaPath}, relative to the pipeline file's folder). Valid records pass
 * unchanged; an invalid one is rejected with every error as {@code pointer: message}.
 *
 * <p>The user's schema is checked against its dialect's meta-schema (draft 2020-12 unless its
 * {@code $schema} names another) and compiled once per run, in a registry of its own that never
 * fetches anything over the network. The compiled {@link Schema} is shared by every instance: the
 * networknt validator documents schemas as thread-safe once built, provided their configuration is
 * not changed, and nothing here changes it.
 */
public final class ValidateFactory implements ProcessorFactory {
  static final String SCHEMA = "schema";
  static final String SCHEMA_PATH = "schemaPath";
  /** At most this many errors are listed in a rejection; the rest are counted. */
  static final int MAX_ERRORS = 20;

  @Override
  public String type() {
    return "validate";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    Loaded loaded = load(config, setup);
    if (loaded.problem() != null) return List.of(loaded.problem());
    return compile(loaded).problems();
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    Loaded loaded = load(config, setup);
    if (loaded.problem() != null) throw failure(loaded.problem());
    Compiled compiled = compile(loaded);
    if (!compiled.problems().isEmpty()) throw failure(compiled.problems().get(0));
    Schema schema = compiled.schema();
    JsonNode document = loaded.schema();
    return () -> new Validate(schema, document);
  }

  private static ProcessorException failure(ConfigProblem p) {
    return new ProcessorException(p.pointer() + ": " + p.message());
  }

  /** The user's schema document and where it came from (the config pointer, and a file name). */
  private record Loaded(JsonNode schema, String pointer, String file, ConfigProblem problem) {
    static Loaded problem(String pointer, String message) {
      return new Loaded(null, pointer, null, new ConfigProblem(pointer, message));
    }

    /** Where a place inside the schema is, in messages. */
    String at(String inside) {
      return file == null ? "" : "schema file " + file + (inside.isEmpty() ? "" : " at " + inside) + ": ";
    }
  }

  private record Compiled(Schema schema, List<ConfigProblem> problems) {}

  private static Loaded load(JsonNode config, ProcessorSetup setup) {
    boolean inline = config.has(SCHEMA);
    if (inline == config.has(SCHEMA_PATH)) {
      return Loaded.problem("", "give exactly one of 'schema' (the JSON Schema inline) and 'schemaPath' (a JSON file)");
    }
    if (inline) return new Loaded(config.get(SCHEMA), "/" + SCHEMA, null, null);
    String written = config.get(SCHEMA_PATH).asText();
    String pointer = "/" + SCHEMA_PATH;
    Path file;
    try {
      file = setup.resolve(written);
    } catch (InvalidPathException e) {
      return Loaded.problem(pointer, "'" + written + "' is not a valid path: " + e.getReason());
    }
    String shown = "'" + written + "'";
    if (Files.isDirectory(file)) {
      return Loaded.problem(pointer, shown + " is a folder, not a JSON Schema file (looked at " + file + ")");
    }
    JsonNode schema;
    try (InputStream in = Files.newInputStream(file)) {
      schema = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(in);
    } catch (NoSuchFileException e) {
      return Loaded.problem(pointer, "schema file " + shown + " does not exist (looked for " + file + ")");
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      return Loaded.problem(pointer, "schema file " + shown + " is not JSON" + at + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      return Loaded.problem(pointer, "cannot read schema file " + shown + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    if (schema == null || schema.isMissingNode()) {
      return Loaded.problem(pointer, "schema file " + shown + " is empty: it must hold a JSON Schema");
    }
    return new Loaded(schema, pointer, shown, null);
  }

  private static Compiled compile(Loaded loaded) {
    JsonNode node = loaded.schema();
    String pointer = loaded.pointer();
    if (!node.isObject() && !node.isBoolean()) {
      return failed(pointer, loaded.at("") + "a JSON Schema is an object or a boolean, got " + JsonKinds.kind(node));
    }
    SpecificationVersion version = SpecificationVersion.DRAFT_2020_12;
    JsonNode dialect = node.path("$schema");
    if (!dialect.isMissingNode()) {
      Optional<SpecificationVersion> named =
          dialect.isTextual() ? SpecificationVersion.fromDialectId(dialect.asText()) : Optional.empty();
      if (named.isEmpty()) {
        String inside = loaded.file() == null ? pointer + "/$schema" : pointer;
        return failed(inside, loaded.at("/$schema") + "unknown dialect " + dialect
            + ": use https://json-schema.org/draft/2020-12/schema (the default), "
            + "https://json-schema.org/draft/2019-09/schema or http://json-schema.org/draft-07/schema#, -06 or -04");
      }
      version = named.get();
    }
    String notFinite = notFinite(node, "");
    if (notFinite != null) {
      return failed(loaded.file() == null ? pointer + notFinite : pointer, loaded.at(notFinite)
          + "a JSON Schema's numbers are finite, this one is " + (Double.isNaN(node.at(notFinite).doubleValue()) ? "NaN" : "infinite")
          + " (YAML reads .inf, .nan and a float beyond 1.8e308, such as 1e400, so): write a number within that range");
    }
    SchemaRegistry registry = registry();
    Schema meta = registry.getSchema(SchemaLocation.of(version.getDialectId()));
    List<Error> errors = meta.validate(node);
    if (!errors.isEmpty()) {
      Map<String, List<String>> byPlace = new LinkedHashMap<>();
      for (Error e : errors) {
        byPlace.computeIfAbsent(e.getInstanceLocation().toString(), k -> new ArrayList<>()).add(e.getMessage());
      }
      List<ConfigProblem> problems = new ArrayList<>();
      for (Map.Entry<String, List<String>> e : byPlace.entrySet()) {
        problems.add(new ConfigProblem(
            loaded.file() == null ? pointer + e.getKey() : pointer,
            loaded.at(e.getKey()) + "not a valid JSON Schema (" + name(version) + "): "
                + String.join("; ", e.getValue().stream().distinct().toList())));
      }
      return new Compiled(null, problems);
    }
    // What the library would find only while compiling (and log as it does), found first and placed.
    List<ConfigProblem> inside = new SchemaWalk(loaded).problems(node);
    if (!inside.isEmpty()) return new Compiled(null, inside);
    try {
      Schema schema = registry.getSchema(node);
      schema.initializeValidators();
      return new Compiled(schema, List.of());
    } catch (RuntimeException e) {
      return failed(pointer, loaded.at("") + "the schema cannot be compiled: " + JqSupport.oneLine(cause(e)));
    }
  }

  /**
   * The regular expressions ({@code pattern}, the names under {@code patternProperties}) and local
   * references ({@code $ref: '#/...'}) of a schema that passed its meta-schema, checked where they
   * are: a pattern that does not compile (with {@code java.util.regex}, the library's default) or
   * a reference to nothing is a problem at its own place, as a compiler would put it. Only the
   * keywords whose values are schemas are walked, so a {@code pattern} inside {@code const},
   * {@code enum}, {@code default} or {@code examples} (data, not a schema) is left alone.
   */
  private static final class SchemaWalk {
    /** Keywords whose value is one schema. */
    private static final java.util.Set<String> ONE = java.util.Set.of("items", "additionalItems", "not", "if", "then",
        "else", "additionalProperties", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties",
        "contentSchema");
    /** Keywords whose value is an array of schemas. */
    private static final java.util.Set<String> MANY = java.util.Set.of("allOf", "anyOf", "oneOf", "prefixItems", "items");
    /** Keywords whose value is an object of schemas by name. */
    private static final java.util.Set<String> NAMED = java.util.Set.of("properties", "patternProperties", "$defs",
        "definitions", "dependentSchemas", "dependencies");

    private final Loaded loaded;
    private final List<ConfigProblem> problems = new ArrayList<>();

    SchemaWalk(Loaded loaded) {
      this.loaded = loaded;
    }

    List<ConfigProblem> problems(JsonNode root) {
      walk(root, "", root);
      return problems;
    }

    /** A schema at {@code at} (a pointer inside the user's schema); {@code resource}: where {@code #/...} starts. */
    private void walk(JsonNode schema, String at, JsonNode resource) {
      if (!schema.isObject()) return;
      JsonNode base = schema.path("$id").isTextual() ? schema : resource;
      for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        JsonNode value = e.getValue();
        String here = at + "/" + escape(key);
        if (key.equals("pattern") && value.isTextual()) {
          regex(value.asText(), here, true);
        } else if (key.equals("$ref") && value.isTextual()) {
          ref(value.asText(), here, base);
        }
        if (ONE.contains(key)) walk(value, here, base);
        if (MANY.contains(key) && value.isArray()) {
          for (int i = 0; i < value.size(); i++) walk(value.get(i), here + "/" + i, base);
        }
        if (NAMED.contains(key) && value.isObject()) {
          for (Iterator<Map.Entry<String, JsonNode>> named = value.fields(); named.hasNext(); ) {
            Map.Entry<String, JsonNode> n = named.next();
            String nameAt = here + "/" + escape(n.getKey());
            if (key.equals("patternProperties")) regex(n.getKey(), nameAt, false);
            walk(n.getValue(), nameAt, base);
          }
        }
      }
    }

    /** A regular expression at {@code at}: the value there ({@code inValue}), or the key that ends it. */
    private void regex(String regex, String at, boolean inValue) {
      try {
        java.util.regex.Pattern.compile(regex);
      } catch (java.util.regex.PatternSyntaxException e) {
        int index = ConfigProblem.regexIndex(regex, e);
        boolean lines = ConfigProblem.hasLines(regex);
        String where = index < 0 ? "" : " at " + ConfigProblem.position(regex, index, lines) + (lines ? " of the pattern" : "");
        String message = "regular expression error" + where + ": " + ConfigProblem.regexDescription(regex, e) + " in "
            + ConfigProblem.quote(regex, index, "pattern");
        add(at, message, inValue && index >= 0 ? Math.min(index, regex.length()) : -1);
      }
    }

    /**
     * A {@code $ref} to a place in the same document ({@code #/...}) that holds nothing. Other
     * references (anchors, other documents, percent-encoded pointers) are left to the library.
     */
    private void ref(String ref, String at, JsonNode base) {
      if (!ref.startsWith("#/") || ref.indexOf('%') >= 0) return;
      String target = ref.substring(1);
      if (!base.at(target).isMissingNode()) return;
      int slash = target.lastIndexOf('/');
      JsonNode parent = base.at(target.substring(0, slash));
      String last = target.substring(slash + 1).replace("~1", "/").replace("~0", "~");
      StringBuilder message = new StringBuilder("reference '").append(ref).append("' cannot be resolved: the schema");
      message.append(base == loaded.schema() ? "" : " resource (its $id)").append(" has nothing at ").append(target);
      if (parent.isObject()) {
        List<String> names = new ArrayList<>();
        parent.fieldNames().forEachRemaining(names::add);
        dev.wiz.schema.Suggestions.closest(last, names).ifPresent(n -> message.append(" (did you mean '#")
            .append(target, 0, slash + 1).append(n.replace("~", "~0").replace("/", "~1")).append("'?)"));
      }
      add(at, message.toString(), -1);
    }

    private void add(String inside, String message, int offset) {
      boolean file = loaded.file() != null;
      problems.add(new ConfigProblem(file ? loaded.pointer() : loaded.pointer() + inside, loaded.at(inside) + message,
          file ? -1 : offset));
    }

    private static String escape(String key) {
      return key.replace("~", "~0").replace("/", "~1");
    }
  }

  /** Where the first infinite or NaN number in the value is (a JSON pointer below {@code at}), or null. */
  private static String notFinite(JsonNode n, String at) {
    if (n.isNumber()) return (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue()) ? at : null;
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        String found = notFinite(n.get(i), at + "/" + i);
        if (found != null) return found;
      }
    } else if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String found = notFinite(e.getValue(), at + "/" + e.getKey().replace("~", "~0").replace("/", "~1"));
        if (found != null) return found;
      }
    }
    return null;
  }

  private static String cause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t instanceof java.io.FileNotFoundException ? "cannot resolve " + m + " (references are never fetched)" : m;
  }

  private static Compiled failed(String pointer, String message) {
    return new Compiled(null, List.of(new ConfigProblem(pointer, message)));
  }

  private static String name(SpecificationVersion v) {
    return switch (v) {
      case DRAFT_4 -> "draft-04";
      case DRAFT_6 -> "draft-06";
      case DRAFT_7 -> "draft-07";
      case DRAFT_2019_09 -> "draft 2019-09";
      case DRAFT_2020_12 -> "draft 2020-12";
    };
  }

  /**
   * A registry of its own for one user schema: draft 2020-12 by default, English messages, no
   * network; numbers checked by value ({@link ValidateNumbers}).
   */
  private static SchemaRegistry registry() {
    SchemaRegistryConfig config = SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build();
    return SchemaRegistry.withDialects(ValidateNumbers.dialects(), b -> b.schemaRegistryConfig(config));
  }

  /** One rejection reason: every error as {@code pointer: message}, sorted, at most {@link #MAX_ERRORS}. */
  static String reason(List<Error> errors, JsonNode document) {
    List<String> lines = errors.stream()
        .map(e -> {
          String at = e.getInstanceLocation().toString();
          return (at.isEmpty() ? "(root)" : at) + ": " + ValidateMessages.message(e, document);
        })
        .distinct()
        .sorted(Comparator.naturalOrder())
        .toList();
    StringBuilder out = new StringBuilder("validate: ");
    out.append(String.join("; ", lines.subList(0, Math.min(MAX_ERRORS, lines.size()))));
    if (lines.size() > MAX_ERRORS) out.append("; and ").append(lines.size() - MAX_ERRORS).append(" more");
    return out.toString();
  }

  private static final class Validate implements Processor {
    private final Schema schema;
    /** The schema as written, where a message looks up what it names. */
    private final JsonNode document;
    private ProcessorContext context;

    Validate(Schema schema, JsonNode document) {
      this.schema = schema;
      this.document = document;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
    }

    @Override
    public Chunk process(Chunk chunk) throws RunCancelledException {
      Outputs out = new Outputs(chunk.size());
      List<JsonNode> in = chunk.records();
      for (int i = 0; i < in.size(); i++) {
        Stopping.betweenRecords(context, "validate", i, in.size());
        JsonNode record = in.get(i);
        List<Error> errors;
        try {
          errors = schema.validate(ValidateNumbers.finite(record));
        } catch (StackOverflowError e) {
          context.reject(record, "validate: " + TooDeep.RECORD);
          continue;
        }
        if (errors.isEmpty()) {
          out.add(record, i);
        } else {
          context.reject(record, reason(errors, document));
        }
      }
      return out.of(chunk);
    }
  }
}

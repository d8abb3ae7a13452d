package dev.wiz.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.wiz.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The JSON schemas packaged with wiz (classpath resources {@code /schemas/...}), loaded and
 * compiled on first use and cached. Every schema's {@code $id} is {@code https://wiz.dev/schemas/}
 * followed by its path below {@code /schemas/}; one draft 2020-12 registry maps that prefix back to
 * the class path, so {@code $ref} between the schemas works without any network access. Safe for
 * concurrent use.
 */
public final class SchemaCatalog {
  /** The {@code $id} prefix of every wiz schema. */
  static final String ID_PREFIX = "https://wiz.dev/schemas/";

  static final String RESOURCE_PREFIX = "/schemas/";

  /** The keyword under which a schema may give its own message for a failing keyword. */
  static final String ERROR_MESSAGE_KEYWORD = "errorMessage";

  /**
   * Marks a {@code then} whose rule the type's own check makes too, in more precise words (a rule
   * that depends on another key's value, there so that an editor flags it): an annotation the
   * validator ignores; {@link SchemaProblem#byType()} tells the problems it brings.
   */
  static final String CHECKED_BY_TYPE_KEYWORD = "x-checked-by-type";

  private final ClassLoader loader;
  private final Object registryLock = new Object();
  private volatile SchemaRegistry registry;
  private final ConcurrentMap<String, Schema> compiled = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Optional<JsonNode>> documents = new ConcurrentHashMap<>();
  /** The schemas {@link #compileInBackground} was asked for, each compiled by one thread at most. */
  private final Set<String> compiling = ConcurrentHashMap.newKeySet();

  /** How {@link #compileInBackground} starts its thread (a test makes it fail). */
  private final java.util.function.Consumer<Thread> starter;

  public SchemaCatalog(ClassLoader loader) {
    this(loader, new StartThread());
  }

  SchemaCatalog(ClassLoader loader, java.util.function.Consumer<Thread> starter) {
    this.loader = Objects.requireNonNull(loader, "loader");
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  private static final class StartThread implements java.util.function.Consumer<Thread> {
    @Override
    public void accept(Thread t) {
      t.start();
    }
  }

  /**
   * Checks an instance against the schema at the resource (e.g. {@code
   * "/schemas/pipeline.schema.json"}). Returns every problem, sorted by pointer; empty when the
   * instance is valid.
   *
   * @throws IllegalArgumentException if there is no such schema (check {@link #exists} first)
   * @throws com.networknt.schema.SchemaException if the schema itself is broken
   */
  public List<SchemaProblem> check(String resource, JsonNode instance) {
    Schema schema = compiled(resource);
    JsonNode checked = instance == null ? NullNode.getInstance() : instance;
    // YAML's .inf, .nan and 1e400 are numbers JSON cannot hold, which the validator's enum, const and
    // bound checks cannot compare (they throw): it checks stand-ins that compare, and a problem with
    // one names the number as written.
    Map<String, Double> notFinite = NotFinite.find(checked);
    if (!notFinite.isEmpty()) {
      checked = NotFinite.standIns(checked);
    }
    List<Error> errors = schema.validate(checked);
    ProblemMessages messages = new ProblemMessages(this::document);
    Set<SchemaProblem> problems = new LinkedHashSet<>();
    // A bound problem of such a number only when nothing else is wrong with it (an integer wanted).
    Set<SchemaProblem> outOfBounds = new LinkedHashSet<>();
    for (Error error : errors) {
      String pointer = ProblemMessages.pointer(error.getInstanceLocation());
      Double v = notFinite.get(pointer);
      if (v == null) {
        SchemaProblem p = messages.problem(error);
        problems.add(messages.checkedByType(error) ? p.markedByType() : p);
      } else if (!NotFinite.isBound(String.valueOf(error.getKeyword()))) {
        problems.add(messages.problem(error, DoubleNode.valueOf(v)));
      } else {
        // NaN is above no bound and below none: what is wrong is that it is no number
        outOfBounds.add(v.isNaN() ? new SchemaProblem(pointer, NotFinite.message(v), false)
            : messages.problem(error, DoubleNode.valueOf(v)));
      }
    }
    for (SchemaProblem p : outOfBounds) {
      if (problems.stream().noneMatch(q -> q.pointer().equals(p.pointer()))) {
        problems.add(p);
      }
    }
    return problems.stream()
        .sorted(Comparator.comparing(SchemaProblem::pointer).thenComparing(SchemaProblem::message))
        .toList();
  }

  /**
   * Starts compiling the schema at the resource on a thread of its own, for a {@link #check} to
   * come: a command that reads its pipeline file meanwhile finds the schema ready, on the second
   * core (bench/README.md, 2026-12-05). A check that comes sooner waits for it. A failure here is
   * left for that check, which compiles the schema again and reports what went wrong.
   */
  public void compileInBackground(String resource) {
    if (compiled.containsKey(resource) || !compiling.add(resource)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        if (exists(resource)) {
          compiled(resource);
        }
      } catch (RuntimeException | LinkageError e) {
        // check meets it again and reports it.
      }
    }, "wiz-schema");
    t.setDaemon(true);
    try {
      starter.accept(t);
    } catch (OutOfMemoryError | InternalError e) {
      // No thread to be had (a limit on the process's threads, "unable to create native thread"):
      // nothing is lost but time, check compiles the schema when it needs it. This runs first in
      // main, before the command line has a place to report a Java error.
      compiling.remove(resource);
    }
  }

  /** Whether the schema at the resource is compiled (for tests). */
  boolean isCompiled(String resource) {
    return compiled.containsKey(resource);
  }

  /** True when the resource names a packaged schema. */
  public boolean exists(String resource) {
    return name(resource) != null && documentAt(resource).isPresent();
  }

  /**
   * The schema document itself, as written (a copy: changing it changes nothing here).
   *
   * @throws IllegalArgumentException if there is no such schema
   */
  public JsonNode raw(String resource) {
    return documentAt(resource)
        .orElseThrow(() -> new IllegalArgumentException("no schema " + resource))
        .deepCopy();
  }

  private Schema compiled(String resource) {
    if (!exists(resource)) {
      throw new IllegalArgumentException("no schema " + resource);
    }
    return compiled.computeIfAbsent(
        resource,
        r -> registry().getSchema(SchemaLocation.of(ID_PREFIX + r.substring(RESOURCE_PREFIX.length()))));
  }

  private SchemaRegistry registry() {
    SchemaRegistry r = registry;
    if (r == null) {
      synchronized (registryLock) {
        r = registry;
        if (r == null) {
          r = newRegistry();
          registry = r;
        }
      }
    }
    return r;
  }

  private SchemaRegistry newRegistry() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder().errorMessageKeyword(ERROR_MESSAGE_KEYWORD).build();
    return SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12,
        builder ->
            builder
                .schemaRegistryConfig(config)
                .schemaLoader(
                    schemaLoader ->
                        schemaLoader.resourceLoaders(
                            loaders ->
                                loaders.add(
                                    iri -> {
                                      String id = iri.toString();
                                      if (!id.startsWith(ID_PREFIX)) {
                                        return null;
                                      }
                                      String name = name(RESOURCE_PREFIX + id.substring(ID_PREFIX.length()));
                                      if (name == null) {
                                        return null;
                                      }
                                      return () -> open(name);
                                    }))));
  }

  private InputStream open(String name) throws IOException {
    InputStream in = loader.getResourceAsStream(name);
    if (in == null) {
      throw new java.io.FileNotFoundException("no schema /" + name + " on the class path");
    }
    return in;
  }

  /** The schema document whose {@code $id} is the IRI, if it is one of ours. */
  Optional<JsonNode> document(String iri) {
    if (iri == null || !iri.startsWith(ID_PREFIX)) {
      return Optional.empty();
    }
    return documentAt(RESOURCE_PREFIX + iri.substring(ID_PREFIX.length()));
  }

  private Optional<JsonNode> documentAt(String resource) {
    String name = name(resource);
    if (name == null) {
      return Optional.empty();
    }
    return documents.computeIfAbsent(name, this::read);
  }

  private Optional<JsonNode> read(String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(Json.mapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema /" + name, e);
    }
  }

  /**
   * The class-loader name ({@code schemas/x.schema.json}) of a resource ({@code
   * /schemas/x.schema.json}), or null when it does not name a file below {@code /schemas/}.
   */
  private static String name(String resource) {
    if (resource == null || !resource.startsWith(RESOURCE_PREFIX)) {
      return null;
    }
    String rest = resource.substring(RESOURCE_PREFIX.length());
    if (rest.isEmpty() || rest.endsWith("/") || rest.contains("//") || rest.contains("\\")) {
      return null;
    }
    for (String segment : rest.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return null;
      }
    }
    return resource.substring(1);
  }
}

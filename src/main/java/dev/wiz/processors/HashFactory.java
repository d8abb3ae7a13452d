package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code hash}: replaces fields with the lower-case hex sha-256 of their value, or, with
 * {@code saltEnv}, the HMAC-SHA256 keyed by an environment variable's value; with {@code suffix}
 * the hash goes to a new field next to the original ({@code email} -> {@code email_hash}) instead.
 * A string is hashed as its UTF-8 bytes, anything else as its canonical JSON text.
 *
 * <p>The salt is read in {@link #prepare} and lives only in the {@link SecretKeySpec} the instances
 * share; no message, exception or {@code toString} here contains it, only the variable's name.
 */
public final class HashFactory implements ProcessorFactory {
  static final String FIELDS = "fields";
  static final String SALT_ENV = "saltEnv";
  static final String SUFFIX = "suffix";
  private static final String HMAC = "HmacSHA256";

  @Override
  public String type() {
    return "hash";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<FieldPath> paths = new ArrayList<>();
    List<Integer> places = new ArrayList<>();
    String suffix = config.has(SUFFIX) ? config.get(SUFFIX).asText() : null;
    JsonNode fields = config.path(FIELDS);
    for (int i = 0; i < fields.size(); i++) {
      String text = fields.get(i).asText();
      Optional<String> p = FieldPath.problem(text);
      if (p.isPresent()) {
        problems.add(new ConfigProblem("/fields/" + i, p.get()));
        continue;
      }
      FieldPath path = FieldPath.parse(text);
      int before = paths.indexOf(path);
      if (before >= 0) {
        problems.add(new ConfigProblem("/fields/" + i, "'" + text + "' names the same field as '" + paths.get(before)
            + "': list each field once"));
      }
      if (before < 0) checkNesting(path, i, paths, places, suffix, problems);
      paths.add(path);
      places.add(i);
    }
    if (suffix != null && problems.isEmpty()) {
      for (FieldPath path : paths) {
        FieldPath target = target(path, suffix);
        if (paths.contains(target)) {
          problems.add(new ConfigProblem("/suffix", "the hash of '" + path + "' would go to '" + dev.wiz.processors.Fields.write(target.segments())
              + "', which is itself hashed: choose another suffix"));
        }
      }
    }
    if (config.has(SALT_ENV)) {
      saltProblem(config.get(SALT_ENV).asText(), setup).ifPresent(m -> problems.add(new ConfigProblem("/saltEnv", m)));
    }
    return problems;
  }

  /**
   * Reports a field whose hash would go inside the place of an earlier field's hash, or hold it
   * ({@code a} and {@code a.b}): one hash would overwrite the other, or find no object to go in.
   */
  private static void checkNesting(FieldPath path, int index, List<FieldPath> paths, List<Integer> places,
      String suffix, List<ConfigProblem> problems) {
    for (int j = 0; j < paths.size(); j++) {
      FieldPath earlier = paths.get(j);
      String at = "/fields/" + places.get(j);
      if (suffix == null) {
        FieldPath outer = dev.wiz.processors.Fields.inside(path, earlier) ? earlier : path;
        dev.wiz.processors.Fields.nesting(path, earlier).ifPresent(how -> problems.add(new ConfigProblem("/fields/" + index,
            how + ", hashed at " + at + ": the hash of '" + outer + "' would leave no place for the hash inside it; "
            + "list '" + outer + "' alone (its hash covers all of it)")));
      } else {
        FieldPath to = target(path, suffix);
        FieldPath other = target(earlier, suffix);
        if (dev.wiz.processors.Fields.nesting(to, other).isPresent()) {
          String mine = dev.wiz.processors.Fields.write(to.segments());
          String theirs = dev.wiz.processors.Fields.write(other.segments());
          problems.add(new ConfigProblem("/fields/" + index, "the hash of '" + path + "' would go to '" + mine + "', "
              + (dev.wiz.processors.Fields.inside(to, other) ? "inside '" : "which holds '") + theirs
              + "', where the hash of '" + earlier + "' at " + at + " goes: one hash would overwrite the other; "
              + "choose another suffix"));
        }
      }
    }
  }

  @Override
  public List<String> variables(JsonNode config) {
    return config.hasNonNull(SALT_ENV) ? List.of(config.get(SALT_ENV).asText()) : List.of();
  }

  /** What is wrong with the salt variable, naming it and never its value. */
  private static Optional<String> saltProblem(String name, ProcessorSetup setup) {
    Optional<String> value = setup.variable(name);
    if (value.isEmpty()) {
      return Optional.of("environment variable " + name + " is not set: the HMAC salt is read from it");
    }
    if (value.get().isEmpty()) {
      return Optional.of("environment variable " + name + " is empty: the HMAC salt needs at least one character");
    }
    return Optional.empty();
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    String suffix = config.has(SUFFIX) ? config.get(SUFFIX).asText() : null;
    List<FieldPath> sources = new ArrayList<>();
    List<FieldPath> targets = new ArrayList<>();
    for (JsonNode f : config.path(FIELDS)) {
      FieldPath path;
      try {
        path = FieldPath.parse(f.asText());
      } catch (IllegalArgumentException e) {
        throw new ProcessorException("/fields: " + e.getMessage());
      }
      sources.add(path);
      targets.add(suffix == null ? path : target(path, suffix));
    }
    SecretKeySpec key = null;
    if (config.has(SALT_ENV)) {
      String name = config.get(SALT_ENV).asText();
      Optional<String> problem = saltProblem(name, setup);
      if (problem.isPresent()) throw new ProcessorException("/saltEnv: " + problem.get());
      key = new SecretKeySpec(setup.variable(name).orElseThrow().getBytes(StandardCharsets.UTF_8), HMAC);
    }
    Fields fields = new Fields(List.copyOf(sources), List.copyOf(targets), suffix != null);
    SecretKeySpec shared = key;
    return () -> new Hash(fields, shared);
  }

  /** The field next to {@code path} whose name is the last name plus the suffix. */
  static FieldPath target(FieldPath path, String suffix) {
    List<String> segments = new ArrayList<>(path.segments());
    segments.set(segments.size() - 1, path.leaf() + suffix);
    return Segments.path(segments);
  }

  private record Fields(List<FieldPath> sources, List<FieldPath> targets, boolean copy) {}

  private static final class Hash implements Processor {
    private final Fields fields;
    private final MessageDigest sha;
    private final Mac mac;

    Hash(Fields fields, SecretKeySpec key) {
      this.fields = fields;
      if (key == null) {
        sha = Json.sha256();
        mac = null;
      } else {
        sha = null;
        try {
          mac = Mac.getInstance(HMAC);
          mac.init(key);
        } catch (GeneralSecurityException e) {
          // every JDK has HmacSHA256 and accepts any non-empty key; never show the key
          throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getClass().getSimpleName());
        }
      }
    }

    private ProcessorContext context;

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
    }

    @Override
    public Chunk process(Chunk chunk) {
      Outputs out = new Outputs(chunk.size());
      List<JsonNode> in = chunk.records();
      for (int r = 0; r < in.size(); r++) {
        JsonNode record = in.get(r);
        if (!record.isObject()) {
          // Passed on as it was, a string record ("a@b.c") would leave the step unhashed.
          context.reject(record, "hash: the record is " + JsonKinds.kind(record) + ", not an object, so it has no fields"
              + " to hash: make it an object (jq: {value: .}) or leave it out before this step");
          continue;
        }
        ObjectNode copy = null;
        for (int i = 0; i < fields.sources().size(); i++) {
          JsonNode value = fields.sources().get(i).get(record);
          if (value.isMissingNode() || (value.isNull() && !fields.copy())) continue;
          JsonNode hashed = value.isNull() ? NullNode.getInstance() : TextNode.valueOf(hash(value));
          if (copy == null) copy = FieldPath.shallowCopy(record);
          fields.targets().get(i).set(copy, hashed);
        }
        out.add(copy == null ? record : copy, r);
      }
      return out.of(chunk);
    }

    private String hash(JsonNode value) {
      byte[] bytes = value.isTextual()
          ? value.textValue().getBytes(StandardCharsets.UTF_8)
          : Json.hashBytes(value);
      byte[] digest = mac != null ? mac.doFinal(bytes) : sha.digest(bytes);
      return HexFormat.of().formatHex(digest);
    }
  }
}

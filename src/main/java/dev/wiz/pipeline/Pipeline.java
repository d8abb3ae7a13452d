package dev.wiz.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A validated pipeline file. Built only from a tree that passed {@code wiz validate}'s checks, so
 * every field here has the type and range its schema promises.
 *
 * @param file the pipeline file
 * @param baseDir the folder relative paths resolve against (the file's folder)
 * @param tree the located tree the pipeline came from (after interpolation)
 */
public record Pipeline(
    Path file,
    Path baseDir,
    String name,
    JsonNode source,
    int chunkRecords,
    List<ProcessorSpec> processors,
    JsonNode sink,
    RunSettings run,
    LocatedTree tree) {

  public static final int DEFAULT_CHUNK_RECORDS = 10_000;

  public Pipeline {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(baseDir, "baseDir");
    processors = List.copyOf(processors);
  }

  /** Builds the model from a tree that passed validation. */
  public static Pipeline from(Path file, LocatedTree tree) {
    JsonNode root = tree.root();
    Path base = file.toAbsolutePath().getParent();
    String name = root.hasNonNull("name") ? root.get("name").asText() : defaultName(file);
    int chunk = root.path("chunking").path("records").asInt(DEFAULT_CHUNK_RECORDS);
    List<ProcessorSpec> procs = new ArrayList<>();
    JsonNode list = root.path("processors");
    for (int i = 0; i < list.size(); i++) {
      JsonNode p = list.get(i);
      JsonNode config = p.hasNonNull("config") ? p.get("config") : Json.mapper().createObjectNode();
      JsonNode w = p.path("workers");
      int pool = "pool".equals(w.path("model").asText()) ? w.path("size").asInt(-1) : 0;
      procs.add(new ProcessorSpec(i, p.path("id").asText(), p.path("type").asText(), config, pool));
    }
    JsonNode r = root.path("run");
    RunSettings run =
        new RunSettings(
            r.path("workers").asInt(0),
            r.hasNonNull("onError") ? OnError.parse(r.get("onError").asText()) : OnError.FAIL,
            r.path("maxAttempts").asInt(RunSettings.DEFAULT_MAX_ATTEMPTS),
            r.path("maxFailures").asInt(RunSettings.DEFAULT_MAX_FAILURES),
            r.path("seed").asLong(0),
            r.path("commitMillis").asInt(RunSettings.DEFAULT_COMMIT_MILLIS));
    return new Pipeline(file, base, name, root.path("source"), chunk, procs, root.path("sink"), run, tree);
  }

  /** The file name without its extension, made safe for chunk ids. */
  static String defaultName(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    if (dot > 0) n = n.substring(0, dot);
    n = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    return n.isEmpty() ? "pipeline" : n;
  }

  /**
   * The canonical form of the pipeline (after interpolation), for digests, the request key and the
   * chunk ids. {@code run.workers} and {@code run.commitMillis} are left out: they change how the
   * work is done, never its output, so the same work with another worker count is the same request with the same chunk
   * ids and seeds.
   */
  public byte[] canonicalBytes() {
    JsonNode root = tree.root();
    if (root.path("run").has("workers") || root.path("run").has("commitMillis")) {
      com.fasterxml.jackson.databind.node.ObjectNode copy = root.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("run")).remove(List.of("workers", "commitMillis"));
      root = copy;
    }
    return Json.canonicalBytes(root);
  }

  public Pipeline withRun(RunSettings newRun) {
    return new Pipeline(file, baseDir, name, source, chunkRecords, processors, sink, newRun, tree);
  }
}

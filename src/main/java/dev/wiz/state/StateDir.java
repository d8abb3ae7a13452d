package dev.wiz.state;

import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The run-state folder (DESIGN section 6):
 *
 * <pre>
 * requests/&lt;key&gt;/record.json    runs/&lt;run-id&gt;/run.json, provenance.jsonl, dead-letter.jsonl
 * chunks/&lt;chunk-id&gt;              the id of the latest run that committed the chunk
 * </pre>
 */
public final class StateDir {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StateDir.class);
  public static final String DEFAULT_NAME = ".wiz";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

  private final Path root;

  public StateDir(Path root) {
    this.root = root;
  }

  /** For {@code run}: {@code .wiz} next to the pipeline file. */
  public static StateDir nextTo(Path pipelineFile) {
    return new StateDir(pipelineFile.toAbsolutePath().getParent().resolve(DEFAULT_NAME));
  }

  /** For the other commands: {@code .wiz} in the folder or its nearest parent that has one. */
  public static Optional<StateDir> findFrom(Path folder) {
    for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve(DEFAULT_NAME);
      if (Files.isDirectory(candidate)) return Optional.of(new StateDir(candidate));
    }
    return Optional.empty();
  }

  /** True for ids that are safe as file names (so a typed id never walks out of the folder). */
  public static boolean safeId(String id) {
    return SAFE_ID.matcher(id).matches();
  }

  public Path root() {
    return root;
  }

  public Path runDir(String runId) {
    return root.resolve("runs").resolve(runId);
  }

  public Path runRecord(String runId) {
    return runDir(runId).resolve("run.json");
  }

  public Path provenance(String runId) {
    return runDir(runId).resolve("provenance.jsonl");
  }

  public Path deadLetters(String runId) {
    return runDir(runId).resolve("dead-letter.jsonl");
  }

  /** The scratch folder of a run's processors (a sort's spill files): live only while the run is. */
  public Path dataDir(String runId) {
    return runDir(runId).resolve("data");
  }

  /**
   * Removes a run's scratch folder and what is in it, once no process uses it: at the end of the
   * run, or when a later run finds it crashed. What cannot be removed is left, and said; a missing
   * folder is nothing to do. Returns the bytes removed.
   */
  public long removeDataDir(String runId) {
    Path dir = dataDir(runId);
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return 0;
    long[] bytes = {0};
    try {
      Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs)
            throws IOException {
          Files.delete(file);
          bytes[0] += attrs.size();
          return java.nio.file.FileVisitResult.CONTINUE;
        }

        @Override
        public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          if (e != null) throw e;
          Files.delete(d);
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("could not remove the scratch folder {} of run {}: {}", dir, runId, e.getMessage());
    }
    return bytes[0];
  }

  /** The folder of a request; the key's {@code sha256:} prefix is left out of the name. */
  public Path requestDir(String key) {
    return root.resolve("requests").resolve(key.startsWith("sha256:") ? key.substring(7) : key);
  }

  public Path chunkIndex(String chunkId) {
    return root.resolve("chunks").resolve(chunkId);
  }

  /** Creates the run's folder; the run id must be new. */
  public Path createRun(String runId) throws IOException {
    Files.createDirectories(root.resolve("runs"));
    return Files.createDirectory(runDir(runId));
  }

  public void writeRunRecord(RunRecord record) throws IOException {
    AtomicFiles.write(runRecord(record.runId()), (StateJson.pretty(record) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The run's record; empty when the id is not one wiz makes or the run has no record. A record
   * that cannot be read, or that is not the record of this run, is a {@link BrokenStateException}.
   */
  public Optional<RunRecord> readRunRecord(String runId) throws IOException {
    if (!safeId(runId)) return Optional.empty();
    Path file = runRecord(runId);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BrokenStateException(file, RUN_RECORD, e); // a folder in its place, ...
    }
    RunRecord r = parse(file, RUN_RECORD, bytes, RunRecord.class);
    if (!r.runId().equals(runId)) {
      throw new BrokenStateException(file, RUN_RECORD, "its runId is '" + r.runId() + "', not the name of its folder");
    }
    return Optional.of(r);
  }

  private static final String RUN_RECORD = "run record";
  private static final String REQUEST_RECORD = "request record";

  /**
   * A state file's content as {@code type}: never null; anything else wiz would not write is named.
   * What wiz writes is read by {@link StateJson}; anything else by databind, which says what is wrong.
   */
  static <T> T parse(Path file, String what, byte[] bytes, Class<T> type) throws BrokenStateException {
    T value = StateJson.read(bytes, type);
    if (value != null) return value;
    try {
      value = Json.mapper().readValue(bytes, type);
    } catch (IOException e) {
      throw new BrokenStateException(file, what, e);
    }
    if (value == null) throw new BrokenStateException(file, what, "it holds null, not an object");
    return value;
  }

  /** Every run with a readable record, oldest first. */
  public List<RunRecord> runs() throws IOException {
    Path dir = root.resolve("runs");
    List<RunRecord> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        try {
          readRunRecord(p.getFileName().toString()).ifPresent(out::add);
        } catch (IOException unreadable) {
          // A run whose record is torn (killed while writing it) is not listed.
        }
      }
    }
    out.sort(Comparator.comparing(RunRecord::startedAt).thenComparing(RunRecord::runId));
    return out;
  }

  /** The request's record, if any run of it was recorded. */
  public Optional<RequestRecord> readRequest(String key) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(requestRecord(key));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BrokenStateException(requestRecord(key), REQUEST_RECORD, e); // a folder in its place, ...
    }
    RequestRecord r = parse(requestRecord(key), REQUEST_RECORD, bytes, RequestRecord.class);
    if (!requestDir(r.key()).equals(requestDir(key))) {
      throw new BrokenStateException(requestRecord(key), REQUEST_RECORD, "its key is '" + r.key() + "', not the one its folder is named by");
    }
    return Optional.of(r);
  }

  /** Adds or updates one attempt of a request. Call it only while holding the request's lock. */
  public RequestRecord recordAttempt(String key, String pipeline, RequestRecord.Attempt attempt) throws IOException {
    RequestRecord r = readRequest(key)
        // A record made when a run was found dead before it recorded itself has no pipeline yet.
        .map(found -> found.pipeline() == null && pipeline != null
            ? new RequestRecord(found.schema(), found.key(), pipeline, found.status(), found.attempts()) : found)
        .orElse(new RequestRecord(RequestRecord.SCHEMA, key, pipeline, attempt.status(), List.of()))
        .with(attempt);
    writeRequest(r);
    return r;
  }

  /** Replaces a request's record. Call it only while holding the request's lock. */
  public void writeRequest(RequestRecord r) throws IOException {
    AtomicFiles.write(requestRecord(r.key()), (StateJson.pretty(r) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The request's lock file. */
  public Path requestLock(String key) {
    return requestDir(key).resolve("lock");
  }

  /** Every request with a readable record, in key order. */
  public List<RequestRecord> requests() throws IOException {
    return requests(new ArrayList<>());
  }

  /**
   * Every request with a readable record, in key order; the errors of records that cannot be read
   * (records are written whole, so one that cannot be read was changed by something else) are
   * added to {@code broken}.
   */
  public List<RequestRecord> requests(List<BrokenStateException> broken) throws IOException {
    Path dir = root.resolve("requests");
    List<RequestRecord> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        try {
          readRequest("sha256:" + p.getFileName()).ifPresent(out::add);
        } catch (BrokenStateException unreadable) {
          broken.add(unreadable);
        }
      }
    }
    out.sort(Comparator.comparing(RequestRecord::key));
    broken.sort(Comparator.comparing(Exception::getMessage));
    return out;
  }

  public Path requestRecord(String key) {
    return requestDir(key).resolve("record.json");
  }

  /** Points every chunk id at the run that committed it last. */
  public void indexChunks(List<String> chunkIds, String runId) throws IOException {
    Path dir = root.resolve("chunks");
    Files.createDirectories(dir);
    byte[] content = (runId + "\n").getBytes(StandardCharsets.UTF_8);
    for (String id : chunkIds) {
      // Plain writes: the index is a cache that `provenance show` can rebuild by scanning runs.
      Files.write(dir.resolve(id), content);
    }
    AtomicFiles.forceDirectory(dir);
  }

  /** The run that committed the chunk last, from the index. */
  public Optional<String> runOfChunk(String chunkId) throws IOException {
    if (!safeId(chunkId)) return Optional.empty();
    String runId;
    try {
      runId = Files.readString(chunkIndex(chunkId), StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BrokenStateException(chunkIndex(chunkId), "chunk index entry", e);
    }
    if (!safeId(runId)) {
      String shown = runId.length() > 60 ? runId.substring(0, 60) + "..." : runId;
      throw new BrokenStateException(chunkIndex(chunkId), "chunk index entry",
          "it holds '" + shown.replaceAll("\\s+", " ") + "', not a run id");
    }
    return Optional.of(runId);
  }
}

package dev.wiz.engine;

import dev.wiz.Json;
import dev.wiz.io.InputFile;
import dev.wiz.io.IoConfigException;
import dev.wiz.io.IoFactory;
import dev.wiz.io.Sink;
import dev.wiz.io.Source;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.InvalidPipelineException;
import dev.wiz.pipeline.LoadLimits;
import dev.wiz.pipeline.LocatedTree;
import dev.wiz.pipeline.Pipeline;
import dev.wiz.pipeline.YamlLoader;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.provenance.ProvenanceLog;
import dev.wiz.schema.PipelineValidator;
import dev.wiz.schema.SchemaCatalog;
import dev.wiz.state.RequestLock;
import dev.wiz.state.RequestRecord;
import dev.wiz.state.RunRecord;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What {@code wiz run} and {@code wiz validate} do, without the command line: load and check a
 * pipeline file, then run it with a run record and a provenance log under the state folder.
 */
public final class RunService {
  private final ProcessorRegistry registry;
  private final SchemaCatalog catalog;
  private final Function<String, String> env;
  private final IoFactory io;
  private final Clock clock;

  public RunService(ProcessorRegistry registry, SchemaCatalog catalog, Function<String, String> env,
      InputStream stdin, OutputStream stdout, Clock clock) {
    this.registry = registry;
    this.catalog = catalog;
    this.env = env;
    this.io = new IoFactory(stdin, stdout);
    this.clock = clock;
  }

  /** How to run. {@code workers} 0 keeps the pipeline's setting; {@code stateDir} null means {@code .wiz} next to the file. */
  public record Options(int workers, Path stateDir, boolean force) {
    public Options(int workers, Path stateDir) {
      this(workers, stateDir, false);
    }
  }

  /** A request rule refused the run (exit 6): it is running, it succeeded, or it failed too often. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The outcome of a run that started. */
  public record Result(String runId, String requestKey, RunReport report, Path runDir, Path provenance, Path deadLetters) {}

  /** A problem found after the pipeline was valid but before the run could start (a missing input file). */
  public static final class SetupException extends Exception {
    private final Diagnostic diagnostic;

    public SetupException(Diagnostic diagnostic) {
      super(diagnostic.format(), null, false, false);
      this.diagnostic = diagnostic;
    }

    public Diagnostic diagnostic() {
      return diagnostic;
    }
  }

  /** Parses and checks a pipeline file; every problem at once. */
  public LocatedTree check(Path file, String displayName) throws InvalidPipelineException, IOException {
    LocatedTree tree = new YamlLoader(LoadLimits.defaults(), env).load(file, displayName);
    List<Diagnostic> problems = new PipelineValidator(catalog, registry).validate(tree, setupFor(file));
    if (!problems.isEmpty()) throw new InvalidPipelineException(problems);
    return tree;
  }

  /** Checks a standalone processor config file against the type's schema and expression compiler. */
  public List<Diagnostic> checkConfig(String type, Path file, String displayName) throws InvalidPipelineException, IOException {
    LocatedTree tree = new YamlLoader(LoadLimits.defaults(), env).load(file, displayName);
    return new PipelineValidator(catalog, registry).validateConfig(type, tree, setupFor(file));
  }

  /** Relative paths in a file's configs resolve against the file's folder. */
  private ProcessorSetup setupFor(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return new ProcessorSetup(dir, env);
  }

  /** Runs a checked pipeline. */
  public Result run(Pipeline pipeline, Options options, BooleanSupplier cancelled, Engine.Progress progress)
      throws SetupException, Refused, IOException {
    LocatedTree tree = pipeline.tree();
    List<Step> steps;
    try {
      steps = Step.prepare(pipeline.processors(), registry, new ProcessorSetup(pipeline.baseDir(), env));
    } catch (ProcessorException e) {
      throw new SetupException(tree.diagnostic("/processors", e.getMessage()));
    }
    String runId = UUID.randomUUID().toString();
    Source source;
    try {
      source = io.openSource(pipeline.source(), pipeline.baseDir());
    } catch (IoConfigException e) {
      throw new SetupException(tree.diagnostic("/source" + e.pointer(), e.getMessage()));
    }
    try (source) {
      Sink sink;
      try {
        sink = io.openSink(pipeline.sink(), pipeline.baseDir(), runId);
      } catch (IoConfigException e) {
        throw new SetupException(tree.diagnostic("/sink" + e.pointer(), e.getMessage()));
      }
      try (sink) {
        return run(pipeline, options, cancelled, progress, steps, runId, source, sink);
      }
    }
  }

  private Result run(Pipeline pipeline, Options options, BooleanSupplier cancelled, Engine.Progress progress,
      List<Step> steps, String runId, Source source, Sink sink) throws IOException, Refused {
    String requestKey = requestKey(pipeline, source.inputs());
    StateDir state = options.stateDir() != null ? new StateDir(options.stateDir()) : StateDir.nextTo(pipeline.file());
    long pid = ProcessHandle.current().pid();
    RequestLock.Outcome taken = RequestLock.tryAcquire(state.requestLock(requestKey),
        new RequestLock.Holder(runId, pid, clock.instant().toString()));
    if (taken instanceof RequestLock.Held) {
      RequestLock.Held held = (RequestLock.Held) taken;
      throw new Refused("request " + shortKey(requestKey) + " is already running"
          + held.holder().map(h -> " as run " + h.runId() + " (pid " + h.pid() + ", started " + h.startedAt() + ")").orElse("")
          + ": wait for it to end, or stop it first");
    }
    RequestLock.Acquired acquired = (RequestLock.Acquired) taken;
    try (RequestLock lock = acquired.lock()) {
      if (acquired.crashed().isPresent()) recordCrash(state, requestKey, acquired.crashed().get());
      boolean forced = checkRules(state, requestKey, pipeline, options.force());
      return runLocked(pipeline, options, cancelled, progress, steps, runId, source, sink, requestKey, state, forced);
    }
  }

  private static String shortKey(String key) {
    String hex = key.startsWith("sha256:") ? key.substring(7) : key;
    return hex.substring(0, Math.min(12, hex.length()));
  }

  /** The previous holder of the lock died without ending its run: say so in its records. */
  private void recordCrash(StateDir state, String key, RequestLock.Holder dead) throws IOException {
    String now = clock.instant().toString();
    String why = "the process (pid " + dead.pid() + ") ended without finishing the run";
    Optional<RequestRecord> request = state.readRequest(key);
    RequestRecord.Attempt before = request.flatMap(r -> r.attempt(dead.runId()))
        .orElse(new RequestRecord.Attempt(dead.runId(), "running", dead.startedAt(), null, null));
    if (!before.status().equals("running")) return; // it ended after all
    state.recordAttempt(key, request.map(RequestRecord::pipeline).orElse(null), before.ended("crashed", now, why));
    Optional<RunRecord> run = state.readRunRecord(dead.runId());
    if (run.isPresent() && run.get().status().equals("running")) {
      state.writeRunRecord(run.get().crashed(now, why));
    }
  }

  /**
   * The request rules: refused when the request succeeded before or failed too often, unless
   * forced. Returns whether a rule was overridden with --force (the record says so).
   */
  private boolean checkRules(StateDir state, String key, Pipeline pipeline, boolean force) throws IOException, Refused {
    Optional<RequestRecord> found = state.readRequest(key);
    if (found.isEmpty()) return false;
    RequestRecord r = found.get();
    List<RequestRecord.Attempt> attempts = r.attempts();
    Optional<RequestRecord.Attempt> success = attempts.stream()
        .filter(a -> a.status().equals("success") || a.status().equals("completed-with-errors")).reduce((a, b) -> b);
    if (success.isPresent()) {
      if (force) return true;
      String output = state.readRunRecord(success.get().runId())
          .map(RunRecord::output).map(RunRecord.Output::target).orElse("its output");
      throw new Refused("request " + shortKey(key) + " already succeeded in run " + success.get().runId()
          + " (ended " + success.get().endedAt() + ", output " + output + "): --force runs it again");
    }
    int max = pipeline.run().maxFailures();
    long failures = r.failures();
    if (failures >= max) {
      if (force) return true;
      if (!"dead-lettered".equals(r.status())) state.writeRequest(r.withStatus("dead-lettered"));
      StringBuilder m = new StringBuilder("request " + shortKey(key) + " failed " + failures + " times (run.maxFailures is "
          + max + ") and is dead-lettered; --force runs it again. Attempts:");
      for (RequestRecord.Attempt a : attempts) {
        if (a.status().equals("failed") || a.status().equals("crashed")) {
          m.append("\n  ").append(a.runId()).append(" ").append(a.status()).append(": ").append(a.error());
        }
      }
      throw new Refused(m.toString());
    }
    return false;
  }

  private Result runLocked(Pipeline pipeline, Options options, BooleanSupplier cancelled, Engine.Progress progress,
      List<Step> steps, String runId, Source source, Sink sink, String requestKey, StateDir state, boolean forced)
      throws IOException {
    state.createRun(runId);
    int workers = options.workers() > 0 ? options.workers() : pipeline.run().effectiveWorkers();
    Instant start = clock.instant();
    RunRecord.PipelineInfo info = new RunRecord.PipelineInfo(
        pipeline.file().toAbsolutePath().toString(), pipeline.name(), Json.digest(pipeline.canonicalBytes()));
    List<RunRecord.Input> inputs = new ArrayList<>();
    for (InputFile f : source.inputs()) inputs.add(new RunRecord.Input(f.name(), f.path(), f.size(), f.modified()));
    Map<String, String> environment = environmentDigests(pipeline.tree());
    state.writeRunRecord(new RunRecord(RunRecord.SCHEMA, runId, requestKey, "running", null, info, versions(),
        start.toString(), null, null, workers, pipeline.chunkRecords(), pipeline.run().onError().label(),
        pipeline.run().seed(), ProcessHandle.current().pid(), inputs, null, environment, null, null, null));
    state.recordAttempt(requestKey, info.file(), new RequestRecord.Attempt(runId, "running", start.toString(), null, null, forced));

    String prefix = pipeline.name() + "-" + requestKey.substring("sha256:".length(), "sha256:".length() + 8);
    RunReport report;
    List<String> chunkIds = new ArrayList<>();
    try (ProvenanceLog log = ProvenanceLog.create(state.provenance(runId), runId, requestKey, clock);
        DeadLetterLog dead = new DeadLetterLog(state.deadLetters(runId))) {
      Engine engine = new Engine(
          new Engine.Options(workers, pipeline.chunkRecords(), pipeline.run().onError(),
              pipeline.run().maxAttempts(), pipeline.run().seed(), 1000),
          new Engine.Context(prefix, log, dead, state.dataDir(runId), cancelled),
          progress);
      report = engine.run(source, sink, steps);
      for (long i = 0; i < report.chunks(); i++) chunkIds.add(Engine.chunkId(prefix, i));
    }
    state.indexChunks(chunkIds, runId);
    Instant end = clock.instant();
    double seconds = Duration.between(start, end).toMillis() / 1000.0;
    boolean hasDeadLetters = report.deadLettered() > 0;
    state.writeRunRecord(new RunRecord(RunRecord.SCHEMA, runId, requestKey, report.status().label(), report.error(),
        info, versions(), start.toString(), end.toString(), seconds, workers, pipeline.chunkRecords(),
        pipeline.run().onError().label(), pipeline.run().seed(), ProcessHandle.current().pid(), inputs,
        new RunRecord.Output(report.output(), report.bytesWritten(), report.recordsWritten()), environment,
        new RunRecord.Counts(report.chunks(), report.recordsRead(), report.decodeErrors(), report.recordsWritten(),
            report.skipped(), report.deadLettered()),
        report.processors(),
        new RunRecord.ProvenanceInfo(state.provenance(runId).toString(), report.events(), report.provenanceHead(),
            hasDeadLetters ? state.deadLetters(runId).toString() : null)));
    state.recordAttempt(requestKey, info.file(),
        new RequestRecord.Attempt(runId, report.status().label(), start.toString(), end.toString(), report.error(), forced));
    return new Result(runId, requestKey, report, state.runDir(runId), state.provenance(runId),
        hasDeadLetters ? state.deadLetters(runId) : null);
  }

  /**
   * The identity of the work: sha-256 over the canonical pipeline (after interpolation) and every
   * input's name, size and modification time.
   */
  static String requestKey(Pipeline pipeline, List<InputFile> inputs) {
    MessageDigest md = Json.sha256();
    md.update(pipeline.canonicalBytes());
    for (InputFile f : inputs) {
      md.update(("\n" + f.name() + "\0" + f.path() + "\0" + f.size() + "\0" + f.modified()).getBytes(StandardCharsets.UTF_8));
    }
    return Json.hex(md);
  }

  /** The names of interpolated variables with the digests of their values (never the values). */
  private Map<String, String> environmentDigests(LocatedTree tree) {
    Map<String, String> out = new TreeMap<>();
    for (String name : tree.interpolated()) {
      String v = env.apply(name);
      out.put(name, v == null ? "unset" : Json.digest(v));
    }
    return out;
  }

  public static Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    v.put("wiz", version());
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  /** The wiz version from the jar manifest, or {@code dev} when run from classes. */
  public static String version() {
    String v = RunService.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

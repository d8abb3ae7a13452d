package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.io.InputFile;
import dev.wiz.io.IoConfigException;
import dev.wiz.io.IoFactory;
import dev.wiz.io.PathOverlaps;
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
import dev.wiz.processor.ReferenceFile;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.ProvenanceLog;
import dev.wiz.provenance.ProvenanceReader;
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
  /**
   * The logger, made on first use: logging starts up in 10-20 ms (a service lookup through every
   * jar, a properties file), which `wiz --version` (through {@link #version()}) need not pay.
   */
  private static final class Log {
    static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunService.class);
  }

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
  public record Options(int workers, Path stateDir, boolean force, boolean resume, boolean checksum) {
    public Options(int workers, Path stateDir) {
      this(workers, stateDir, false, false, false);
    }
  }

  /**
   * A request rule refused the run (exit 6): it is running, it succeeded, or it failed too often;
   * or {@code --resume} cannot go on from the run it would resume.
   */
  public static final class Refused extends Exception {
    /** Why a run was refused. */
    public enum Rule {
      ALREADY_RUNNING("already-running"),
      ALREADY_SUCCEEDED("already-succeeded"),
      FAILED_TOO_OFTEN("failed-too-often"),
      CANNOT_RESUME("cannot-resume");

      private final String label;

      Rule(String label) {
        this.label = label;
      }

      public String label() {
        return label;
      }
    }

    private final Rule rule;
    private final String requestKey;
    private final String runId;
    private final String output;

    /**
     * @param requestKey the request's key, null when it is not known (a run of standard input)
     * @param runId the run the refusal is about (the one alive, the one that succeeded, the one
     *     --resume would go on from), null when there is none
     * @param output that run's output (the one that succeeded), null when not known
     */
    public Refused(Rule rule, String message, String requestKey, String runId, String output) {
      super(message, null, false, false);
      this.rule = rule;
      this.requestKey = requestKey;
      this.runId = runId;
      this.output = output;
    }

    public Rule rule() {
      return rule;
    }

    public String requestKey() {
      return requestKey;
    }

    public String runId() {
      return runId;
    }

    public String output() {
      return output;
    }
  }

  /** The outcome of a run that started. */
  /**
   * How a run went. {@code outputDiscarded}: what it wrote was thrown away, not kept for
   * {@code --resume}, because it may be wrong ({@link dev.wiz.processor.ProcessorException#outputInDoubt}).
   * {@code partialOutput}: the temporary file a run that did not finish keeps for {@code --resume}
   * (what it committed; on a full disk, the file it could not write), null when it kept none.
   */
  public record Result(String runId, String requestKey, RunReport report, Path runDir, Path provenance, Path deadLetters,
      String resumeNote, boolean outputDiscarded, List<RunRecord.Reference> references, Path partialOutput) {
    public Result {
      references = List.copyOf(references);
    }
  }

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

  /**
   * A run that started could not write its state (its provenance log, run record or request
   * record: a full or read-only disk): it ended without a record of its end, and its lock names
   * it, so the next run of the request records it as crashed and {@code --resume} goes on from
   * the chunks its log holds.
   */
  public static final class StateNotWritten extends IOException {
    private final String runId;

    public StateNotWritten(String message, String runId, Throwable cause) {
      super(message, cause);
      this.runId = runId;
    }

    public String runId() {
      return runId;
    }
  }

  /**
   * Parses and checks a pipeline file; every problem at once. A value with an unset variable does
   * not stop the checks of everything else.
   */
  public LocatedTree check(Path file, String displayName) throws InvalidPipelineException, IOException {
    return check(file, displayName, null);
  }

  /**
   * As {@link #check(Path, String)}, for a run whose state folder is {@code stateDir} (null: {@code
   * .wiz} next to the file): also refuses a sink that would overwrite its input, the pipeline file
   * or a state folder, a glob source that would read the sink's output back, and a source inside a
   * state folder.
   */
  public LocatedTree check(Path file, String displayName, Path stateDir) throws InvalidPipelineException, IOException {
    PipelineValidator validator = new PipelineValidator(catalog, registry).prepare();
    Loaded loaded = load(file, displayName);
    LocatedTree tree = loaded.tree();
    List<Diagnostic> problems = new ArrayList<>(loaded.problems());
    for (Diagnostic d : validator.validate(tree, setupFor(file))) {
      String hint = tree.root().isObject() && d.message().startsWith("unknown key")
          ? dev.wiz.io.SinkCompression.stdoutHint(tree.root().get("sink"), d.pointer()) : null;
      problems.add(hint == null ? d : new Diagnostic(d.file(), d.line(), d.column(), d.pointer(), d.message() + hint));
    }
    // A path with an unset variable is no path yet: its own problem is reported.
    boolean unresolved = tree.isUnresolved("/source/path") || tree.isUnresolved("/sink/path");
    if (tree.root().isObject() && !unresolved) {
      for (PathOverlaps.Problem p : PathOverlaps.check(tree.root().get("source"), tree.root().get("sink"), file, stateDir,
          processorReads(tree))) {
        problems.add(tree.diagnostic(p.pointer(), p.message()));
      }
    }
    if (tree.root().isObject() && !tree.isUnresolved("/sink/path")) {
      for (PathOverlaps.Problem p : dev.wiz.io.SinkCompression.check(tree.root().get("sink"))) {
        problems.add(tree.diagnostic(p.pointer(), p.message()));
      }
    }
    if (!problems.isEmpty()) throw new InvalidPipelineException(problems);
    return loaded.tree();
  }

  /**
   * The files the pipeline's processors read whole ({@link dev.wiz.processor.ProcessorFactory#files}),
   * leaving out a path with an unset variable (its own problem is reported) and what the schema refuses.
   */
  private List<PathOverlaps.Read> processorReads(LocatedTree tree) {
    List<PathOverlaps.Read> out = new ArrayList<>();
    JsonNode processors = tree.root().get("processors");
    if (processors == null || !processors.isArray()) return out;
    for (int i = 0; i < processors.size(); i++) {
      JsonNode p = processors.get(i);
      JsonNode config = p.get("config");
      if (!p.path("type").isTextual() || config == null || !config.isObject()) continue;
      Optional<dev.wiz.processor.ProcessorFactory> f = registry.find(p.get("type").asText());
      if (f.isEmpty()) continue;
      for (Map.Entry<String, String> e : new TreeMap<>(f.get().files(config)).entrySet()) {
        String pointer = "/processors/" + i + "/config" + e.getKey();
        if (tree.isUnresolved(pointer)) continue;
        out.add(new PathOverlaps.Read(pointer, e.getValue(), "the " + f.get().type() + " file of processor '"
            + p.path("id").asText() + "'"));
      }
    }
    return out;
  }

  /**
   * Whether the pipeline file's sink is standard output, as far as the file can be read (false
   * when it cannot): where a run that did not start says so, for a file that did not pass {@link #check}.
   */
  public boolean sinkIsStdout(Path file, String displayName) {
    try {
      return "stdout".equals(load(file, displayName).tree().root().path("sink").path("type").asText());
    } catch (InvalidPipelineException | IOException | RuntimeException e) {
      return false;
    }
  }

  /** Checks a standalone processor config file against the type's schema and expression compiler. */
  public List<Diagnostic> checkConfig(String type, Path file, String displayName) throws InvalidPipelineException, IOException {
    Loaded loaded = load(file, displayName);
    List<Diagnostic> problems = new ArrayList<>(loaded.problems());
    problems.addAll(new PipelineValidator(catalog, registry).validateConfig(type, loaded.tree(), setupFor(file)));
    return problems.stream().sorted().toList();
  }

  /** A loaded file, and what kept some of its values from being interpolated. */
  private record Loaded(LocatedTree tree, List<Diagnostic> problems) {}

  private Loaded load(Path file, String displayName) throws InvalidPipelineException, IOException {
    try {
      return new Loaded(new YamlLoader(LoadLimits.defaults(), env).load(file, displayName), List.of());
    } catch (InvalidPipelineException e) {
      if (e.partial().isEmpty()) throw e;
      return new Loaded(e.partial().get(), e.diagnostics());
    }
  }

  /** Relative paths in a file's configs resolve against the file's folder. */
  private ProcessorSetup setupFor(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return new ProcessorSetup(dir, env);
  }

  /** Runs a checked pipeline that is never told to stop at once. */
  public Result run(Pipeline pipeline, Options options, BooleanSupplier cancelled, Engine.Progress progress)
      throws SetupException, Refused, IOException {
    return run(pipeline, options, cancelled, () -> false, progress);
  }

  /**
   * Runs a checked pipeline. {@code cancelled} asks it to stop (it ends interrupted once its
   * chunks in flight stopped or were written); {@code stopNow}, once it is cancelled, asks it to
   * end at once with what it wrote (see {@link Engine.Context}).
   */
  public Result run(Pipeline pipeline, Options options, BooleanSupplier cancelled, BooleanSupplier stopNow,
      Engine.Progress progress) throws SetupException, Refused, IOException {
    LocatedTree tree = pipeline.tree();
    List<Step> steps = prepare(pipeline);
    String runId = UUID.randomUUID().toString();
    StateDir state = stateDir(pipeline, options);
    // A read of standard input stops when the run is cancelled; one that waits for more, also
    // when a limit passed its count (the run then reads no more). One that has input at hand is
    // not cut then, so that what is read does not depend on when the limit filled.
    java.util.concurrent.atomic.AtomicBoolean readingStopped = new java.util.concurrent.atomic.AtomicBoolean();
    Source source = openSource(pipeline, state, cancelled, readingStopped::get);
    try (source) {
      refuseResumeOfStdin(options, source);
      String requestKey = requestKey(pipeline, source.inputs(), options.checksum(), runId, variableDigests(pipeline),
          Step.references(steps));
      long pid = ProcessHandle.current().pid();
      checkStateFolder(state);
      RequestLock.Outcome taken;
      try {
        taken = RequestLock.tryAcquire(state.requestLock(requestKey), new RequestLock.Holder(runId, pid, clock.instant().toString()));
      } catch (dev.wiz.state.BrokenStateException e) {
        throw e;
      } catch (IOException e) {
        throw cannotWriteState(state, e);
      }
      if (taken instanceof RequestLock.Held) {
        throw alreadyRunning(requestKey, ((RequestLock.Held) taken).holder());
      }
      RequestLock.Acquired acquired = (RequestLock.Acquired) taken;
      try (RequestLock lock = acquired.lock()) {
        Optional<RequestLock.Holder> dead = acquired.crashed();
        if (dead.isEmpty()) dead = runningWithoutHolder(state, requestKey, state.readRequest(requestKey));
        if (dead.isPresent()) {
          try {
            recordCrash(state, requestKey, dead.get());
          } catch (dev.wiz.state.BrokenStateException e) {
            throw e;
          } catch (IOException e) {
            throw cannotWriteState(state, e); // before anything of the run that crashed was changed
          }
        }
        Optional<RequestRecord> request = state.readRequest(requestKey);
        boolean forced = checkRules(state, requestKey, request, pipeline, options.force(), options.resume(), true);
        Resume resume = options.resume()
            ? resumePoint(state, requestKey, request, pipeline, true, source.inputs(), options.checksum(), steps) : Resume.NONE;
        Sink sink;
        try {
          sink = io.openSink(pipeline.sink(), pipeline.baseDir(), runId, resume.partial());
        } catch (IoConfigException e) {
          throw new SetupException(tree.diagnostic("/sink" + e.pointer(), e.getMessage()));
        }
        try (sink) {
          return runLocked(pipeline, options, cancelled, stopNow, () -> readingStopped.set(true), progress, steps, runId,
              source, sink, requestKey, state, forced, resume);
        } catch (StateNotWritten e) {
          lock.abandon(); // the next run records this one as crashed, so --resume can go on from it
          throw e;
        }
      }
    }
  }

  /**
   * What {@link #run} would do, found by every check it makes before it starts (processors
   * compiled, source opened, request key, request rules, resume point, sink target), without
   * writing anything: no run folder, lock, record, temporary file or output.
   *
   * @param requestKey null when the source is standard input (every such run is a request of its own)
   * @param sinkTarget the absolute path of the output file, or {@code stdout}
   * @param forced true when a request rule is passed only because of --force (or a forced run is resumed)
   * @param crashed a run whose process died holding the request: the run would record it as crashed
   * @param resume the run it would go on from and how many chunks it would take over, when --resume has one
   * @param resumeNote what --resume would say (also when there is nothing to resume)
   * @param gzipLevel the gzip level of a file sink that writes gzip, else 0
   * @param references the files processors read whole to prepare (lookup tables), with their digests
   * @param stateSpace a warning that the state folder's disk is (nearly) full, null when it has room or cannot be told
   */
  public record Plan(String requestKey, List<InputFile> inputs, Path stateDir, String sinkTarget, String sinkFormat,
      int workers, int chunkRecords, boolean forced, RequestLock.Holder crashed, RunRecord.Resumed resume,
      String resumeNote, int gzipLevel, List<ReferenceFile> references, String stateSpace) {
    public Plan {
      inputs = List.copyOf(inputs);
      references = List.copyOf(references);
    }
  }

  /** The checks of {@link #run} before it starts, read-only: what it would do, or why it would not start. */
  public Plan plan(Pipeline pipeline, Options options) throws SetupException, Refused, IOException {
    List<Step> steps = prepare(pipeline);
    StateDir state = stateDir(pipeline, options);
    Source source = openSource(pipeline, state, () -> false, () -> false);
    try (source) {
      refuseResumeOfStdin(options, source);
      int workers = options.workers() > 0 ? options.workers() : pipeline.run().effectiveWorkers();
      String format = pipeline.sink().path("format").asText("jsonl");
      checkStateFolder(state);
      String stateSpace = stateSpace(state);
      if (source.inputs().stream().anyMatch(f -> f.path() == null)) {
        // A run of standard input is a request of its own: no lock or record of it can exist yet.
        return new Plan(null, source.inputs(), state.root(), sinkTarget(pipeline), format, workers,
            pipeline.chunkRecords(), false, null, null, null, dev.wiz.io.SinkCompression.gzipLevel(pipeline.sink()),
            Step.references(steps), stateSpace);
      }
      String requestKey = requestKey(pipeline, source.inputs(), options.checksum(), null, variableDigests(pipeline),
          Step.references(steps));
      Path lockFile = state.requestLock(requestKey);
      // Read before looking whether it is held: a run starting in between writes its own holder.
      Optional<RequestLock.Holder> holder = Optional.empty();
      dev.wiz.state.BrokenStateException broken = null;
      try {
        holder = RequestLock.lastHolder(lockFile);
      } catch (dev.wiz.state.BrokenStateException e) {
        broken = e;
      }
      if (RequestLock.isHeld(lockFile)) throw alreadyRunning(requestKey, RequestLock.holder(lockFile));
      if (broken != null) throw broken;
      Optional<RequestRecord> request = state.readRequest(requestKey);
      if (holder.isEmpty()) holder = runningWithoutHolder(state, requestKey, request);
      RequestLock.Holder crashed = null;
      if (holder.isPresent()) {
        Optional<RequestRecord> after = crashRecorded(request, requestKey, holder.get(), clock.instant().toString());
        if (after.isPresent()) {
          crashed = holder.get();
          request = after;
        }
      }
      boolean forced = checkRules(state, requestKey, request, pipeline, options.force(), options.resume(), false);
      Resume resume = options.resume()
          ? resumePoint(state, requestKey, request, pipeline, false, source.inputs(), options.checksum(), steps) : Resume.NONE;
      // Last, as the run opens its sink only once the rules let it start.
      String target = sinkTarget(pipeline);
      return new Plan(requestKey, source.inputs(), state.root(), target, format, workers, pipeline.chunkRecords(),
          forced, crashed, resume.record(), resume.note(), dev.wiz.io.SinkCompression.gzipLevel(pipeline.sink()),
            Step.references(steps), stateSpace);
    }
  }

  /** Below this many usable bytes, a dry run warns that the state folder's disk is (nearly) full. */
  static final long LOW_STATE_SPACE = 1024 * 1024;

  /**
   * A dry run's warning that the disk of the state folder (of the nearest existing folder when it
   * does not exist yet) has less than {@link #LOW_STATE_SPACE} bytes usable, where the run's first
   * writes (its lock, request record, run.json, provenance log) could fail for a full disk; null
   * when it has more, or when the file system does not say. A warning, not a failure: the space
   * usable is that of an unprivileged user (root may write into the reserved blocks), and what is
   * free when the run starts may be more or less. A real run does not look: its writes find out.
   */
  private static String stateSpace(StateDir state) {
    Path existing = state.root().toAbsolutePath().normalize();
    while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
    if (existing == null) return null;
    long usable;
    try {
      usable = java.nio.file.Files.getFileStore(existing).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return null; // a store that does not say: the run finds out
    }
    if (usable < 0 || usable >= LOW_STATE_SPACE) return null;
    return "the disk of the state folder " + state.root().toAbsolutePath().normalize() + " has "
        + (usable == 0 ? "no room left (0 bytes usable)" : "only " + usable + " bytes usable")
        + ": the run would likely fail when it fills up (exit 4); free space on that disk, or name another folder"
        + " with --state-dir";
  }

  private List<Step> prepare(Pipeline pipeline) throws SetupException {
    try {
      return Step.prepare(pipeline.processors(), registry, new ProcessorSetup(pipeline.baseDir(), env));
    } catch (ProcessorException e) {
      throw new SetupException(pipeline.tree().diagnostic(e.pointer() != null ? e.pointer() : "/processors", e.getMessage()));
    }
  }

  /**
   * The pipeline's source; reading standard input stops once {@code cancelled} says the run is
   * being cancelled, and a read of it that waits once {@code stopWaiting} says no more is needed.
   */
  private Source openSource(Pipeline pipeline, StateDir state, BooleanSupplier cancelled, BooleanSupplier stopWaiting)
      throws SetupException, IOException {
    try {
      return io.openSource(pipeline.source(), pipeline.baseDir(), state.root(), cancelled, stopWaiting);
    } catch (IoConfigException e) {
      throw new SetupException(pipeline.tree().diagnostic("/source" + e.pointer(), e.getMessage()));
    }
  }

  private static void refuseResumeOfStdin(Options options, Source source) throws Refused {
    if (options.resume() && source.inputs().stream().anyMatch(f -> f.path() == null)) {
      throw new Refused(Refused.Rule.CANNOT_RESUME, "a run that reads standard input cannot be resumed (what it read is gone): "
          + "run it again without --resume", null, null, null);
    }
  }

  private static StateDir stateDir(Pipeline pipeline, Options options) {
    return options.stateDir() != null ? new StateDir(options.stateDir()) : StateDir.nextTo(pipeline.file());
  }

  /**
   * Refuses, before anything is written, a state folder the run could not write: a file where the
   * folder (or a folder above it) would be, or a folder on a read-only file system or without
   * write permission (the nearest existing folder when it does not exist yet).
   */
  private static void checkStateFolder(StateDir state) throws SetupException {
    Path root = state.root().toAbsolutePath().normalize();
    Path existing = root;
    while (existing != null && !java.nio.file.Files.exists(existing)) existing = existing.getParent();
    if (existing == null) return; // nothing to look at (a file system without roots): the run says what it meets
    String it = existing.equals(root) ? "it" : existing.toString();
    if (!java.nio.file.Files.isDirectory(existing)) {
      throw new SetupException(stateProblem(root, it + " is a file, not a folder", "move it away"));
    }
    if (!java.nio.file.Files.isWritable(existing)) {
      throw new SetupException(stateProblem(root, readOnly(existing) ? it + " is on a read-only file system"
          : "permission denied" + (existing.equals(root) ? "" : " in " + existing), "make it writable"));
    }
  }

  private static boolean readOnly(Path p) {
    try {
      return java.nio.file.Files.getFileStore(p).isReadOnly();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Diagnostic stateProblem(Path root, String why, String fix) {
    return new Diagnostic(root.toString(), 0, 0, "", "cannot write the run state here (" + why + "): " + fix
        + ", or name another folder with --state-dir");
  }

  /** An error taking the request's lock (creating its folder) before the run started: it does not start. */
  private static SetupException cannotWriteState(StateDir state, IOException e) {
    String why = e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null
        ? ((java.nio.file.FileSystemException) e).getFile() + ": " + ((java.nio.file.FileSystemException) e).getReason()
        : e.getMessage();
    if (dev.wiz.io.DiskFullException.is(e)) {
      return new SetupException(stateProblem(state.root().toAbsolutePath().normalize(), "the disk is full: " + why,
          "free space on that disk"));
    }
    return new SetupException(stateProblem(state.root().toAbsolutePath().normalize(), why, "make room or make it writable"));
  }

  private static Refused alreadyRunning(String requestKey, Optional<RequestLock.Holder> holder) {
    return new Refused(Refused.Rule.ALREADY_RUNNING, "request " + shortKey(requestKey) + " is already running"
        + holder.map(h -> " as run " + h.runId() + " (pid " + h.pid() + ", started " + h.startedAt() + ")").orElse("")
        + ": wait for it to end, or stop it first", requestKey, holder.map(RequestLock.Holder::runId).orElse(null), null);
  }

  /**
   * Where the sink of a dry run would write, with the checks {@link IoFactory#openSink} makes
   * before it creates anything ({@link IoFactory#sinkFile}: a symbolic link followed, the target
   * not a folder, pipe or device), and the nearest existing folder above it can be written.
   */
  private static String sinkTarget(Pipeline pipeline) throws SetupException {
    if ("stdout".equals(pipeline.sink().path("type").asText())) return "stdout";
    String path = pipeline.sink().path("path").asText();
    Path p;
    try {
      p = IoFactory.sinkFile(pipeline.sink(), pipeline.baseDir());
    } catch (IoConfigException e) {
      throw new SetupException(pipeline.tree().diagnostic("/sink" + e.pointer(), e.getMessage()));
    }
    Path parent = p.getParent();
    while (parent != null && !java.nio.file.Files.exists(parent)) parent = parent.getParent();
    if (parent != null && !java.nio.file.Files.isWritable(parent)) {
      throw new SetupException(pipeline.tree().diagnostic("/sink/path", "cannot write '" + path + "' (permission denied)"));
    }
    return p.toAbsolutePath().normalize().toString();
  }

  /**
   * Where a resumed run starts: the chunks the run it resumes committed (in order from the first),
   * its partial output cut to them, and whether a torn last line of its provenance log was cut.
   * {@code deadLetterSources} names, for each chunk taken over, the run whose log it was found in,
   * whose dead-letter file holds its dead letters (the run it resumes, or, for a chunk that run
   * took over without logging that, a run before it).
   */
  record Resume(String fromRun, Map<String, Engine.Reused> reused, IoFactory.Partial partial, long tornBytes,
      String note, Map<String, String> deadLetterSources) {
    static final Resume NONE = new Resume(null, Map.of(), null, 0, null);

    Resume(String fromRun, Map<String, Engine.Reused> reused, IoFactory.Partial partial, long tornBytes, String note) {
      this(fromRun, reused, partial, tornBytes, note, Map.of());
    }

    RunRecord.Resumed record() {
      return fromRun == null ? null : new RunRecord.Resumed(fromRun, reused.size(), tornBytes);
    }
  }

  /**
   * Where --resume goes on from, given the request's record. With {@code write} false nothing is
   * changed: a torn last line of the provenance log is measured and left out, not cut.
   */
  private Resume resumePoint(StateDir state, String key, Optional<RequestRecord> request, Pipeline pipeline,
      boolean write, List<InputFile> inputs, boolean checksum, List<Step> steps) throws IOException, Refused {
    Optional<RequestRecord.Attempt> last = request.flatMap(r -> r.attempts().isEmpty()
        ? Optional.empty() : Optional.of(r.attempts().get(r.attempts().size() - 1)));
    if (last.isEmpty() || !List.of("failed", "crashed", "interrupted").contains(last.get().status())) {
      return new Resume(null, Map.of(), null, 0, "nothing to resume: no failed, crashed or interrupted run of this request"
          + unfinishedElsewhere(state, key, pipeline, inputs, checksum, steps));
    }
    String from = last.get().runId();
    Optional<Path> partialFile = IoFactory.partialFile(pipeline.sink(), pipeline.baseDir(), from);
    if (partialFile.isEmpty()) {
      throw new Refused(Refused.Rule.CANNOT_RESUME,
          "run " + from + " wrote to stdout, which cannot be taken back: run it again without --resume", key, from, "stdout");
    }
    // Another wiz may write the same records as other bytes (a number's spelling, say): its
    // chunks and ours would not make the output an uninterrupted run writes.
    Map<String, String> made = state.readRunRecord(from).map(RunRecord::versions).orElse(null);
    String other = made == null ? null : otherWiz(made, versions());
    if (other != null) {
      throw new Refused(Refused.Rule.CANNOT_RESUME, "cannot resume run " + from + ": it was run by " + other
          + ", which may write the same records as other bytes: resume it with that wiz, or run again without --resume"
          + " to start over", key, from, null);
    }
    Path log = state.provenance(from);
    boolean hasLog = java.nio.file.Files.exists(log);
    Torn torn = !hasLog ? Torn.NONE : write ? new Torn(ProvenanceReader.cutTornTail(log), java.util.Set.of()) : Torn.of(log);
    // Without its torn tail (cut, or measured and left out), the log must chain whole: a line
    // changed, removed or added after the run would make the new run take over counts, digests
    // and places in the output that the run never logged, and its own verify could not tell.
    Logged logged = !hasLog ? Logged.empty()
        : Logged.scan(log, torn.hashes(), write ? Long.MAX_VALUE : java.nio.file.Files.size(log) - torn.bytes());
    if (logged.bad().isPresent()) {
      throw new Refused(Refused.Rule.CANNOT_RESUME, "cannot resume run " + from + ": its provenance log " + log + ":"
          + logged.bad().get().line() + ": " + logged.bad().get().message() + ": the log was changed after the run"
          + "; run again without --resume to start over", key, from, null);
    }
    String prefix = chunkPrefix(pipeline, key);
    // A run that has no record was killed (or could not write the state folder) before it wrote
    // one, so before it wrote any output: it goes on from the run before it, whose partial output
    // it may have taken over (renamed) already, or not yet.
    Map<String, String> before = unfinishedBefore(request);
    boolean recorded = state.readRunRecord(from).isPresent();
    Path partial = partialFile.get();
    String partialRun = from;
    java.util.Set<String> unrecorded = new java.util.HashSet<>();
    for (String r = from; before.containsKey(r) && unrecorded.add(r) && !recordedRun(state, r); ) {
      r = before.get(r);
      Optional<Path> earlierFile = IoFactory.partialFile(pipeline.sink(), pipeline.baseDir(), r);
      if (earlierFile.isPresent() && java.nio.file.Files.exists(earlierFile.get())) {
        partial = earlierFile.get();
        partialRun = r;
      }
    }
    Map<String, Map<String, List<Map.Entry<String, ChunkCounts>>>> earlier = new java.util.HashMap<>();
    List<Taken> taken = List.of();
    int own = 0; // the chunks the run's own log says it committed; after them, those it took over without logging that
    if (java.nio.file.Files.exists(partial)) {
      taken = committed(state, from, logged, prefix, earlier);
      own = taken.size();
      taken = withTakenOver(state, from, taken, prefix, earlier, before, new java.util.HashSet<>(List.of(from)), write);
    }
    if (!taken.isEmpty()) {
      long size = java.nio.file.Files.size(partial);
      long ownBytes = own == 0 ? 0 : taken.get(own - 1).end();
      if (size < ownBytes) {
        throw new Refused(Refused.Rule.CANNOT_RESUME, "cannot resume run " + from + ": its partial output "
            + partial + " has " + size + " bytes, fewer than the " + ownBytes + " its " + own
            + " committed chunks wrote (was it cut?): run again without --resume to start over", key, from, null);
      }
      // The chunks it took over without logging that are taken as far as the file holds them, and
      // as they check out: the others are processed again, as when they were never committed.
      int holds = own;
      while (holds < taken.size() && taken.get(holds).end() <= size) holds++;
      taken = checkCommittedBytes(partial, key, from, taken.subList(0, holds), own);
      // The dead letters of the chunks taken over are copied into the new run's file: they must be
      // what the run logged, or the new run would carry an edit as its own, which verify could not see.
      List<Event> copied = new ArrayList<>();
      for (int i = 0; i < own; i++) copied.addAll(taken.get(i).deadLetters());
      Optional<String> problem = dev.wiz.provenance.DeadLetterCheck.checkEach(state.deadLetters(from), copied);
      if (problem.isPresent()) {
        throw new Refused(Refused.Rule.CANNOT_RESUME, "cannot resume run " + from + ": its dead letters "
            + state.deadLetters(from) + ": " + problem.get() + "; run again without --resume to start over", key, from, null);
      }
      for (int i = own; i < taken.size(); i++) {
        Taken t = taken.get(i);
        if (dev.wiz.provenance.DeadLetterCheck.checkEach(state.deadLetters(t.loggedBy()), t.deadLetters()).isPresent()) {
          taken = taken.subList(0, i);
          break;
        }
      }
    }
    Map<String, Engine.Reused> reused = new java.util.HashMap<>();
    Map<String, String> deadLetterSources = new java.util.HashMap<>();
    java.util.Set<String> loggedBefore = new java.util.TreeSet<>();
    long bytes = 0;
    long records = 0;
    for (Taken t : taken) {
      reused.put(t.id(), t.reused());
      deadLetterSources.put(t.id(), t.loggedBy());
      if (!t.loggedBy().equals(from)) loggedBefore.add("run " + t.loggedBy());
      bytes = t.end();
      records += t.reused().recordsOut();
    }
    boolean notKept = reused.isEmpty() && !logged.sends().isEmpty() && !java.nio.file.Files.exists(partial);
    String note = "resumed run " + from + ": " + (notKept ? "it kept no output, so every chunk is processed again"
        : reused.size() + (reused.size() == 1 ? " chunk" : " chunks") + " already committed")
        + (reused.size() > own ? ", " + (reused.size() - own) + " of them as " + String.join(" and ", loggedBefore)
            + " logged them (run " + from + (recorded ? " took them over, but ended before it logged that)"
                : " ended before it wrote its record)") : "")
        + (torn.bytes() > 0 ? "; a torn last line of its provenance log (" + torn.bytes() + " bytes) "
            + (write ? "was cut" : "would be cut") : "");
    return new Resume(from, reused, reused.isEmpty() ? null : new IoFactory.Partial(partialRun, bytes, records),
        torn.bytes(), note, deadLetterSources);
  }

  /** Whether the run has a record (one that cannot be read counts as one: nothing is taken from it). */
  private static boolean recordedRun(StateDir state, String runId) {
    try {
      return state.readRunRecord(runId).isPresent();
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * For each attempt of the request, the attempt before it, when that one did not finish (failed,
   * crashed or interrupted): the run a run killed before it wrote its record went on from, if it was
   * a --resume, and whose partial output it left in place otherwise.
   */
  private static Map<String, String> unfinishedBefore(Optional<RequestRecord> request) {
    Map<String, String> out = new java.util.HashMap<>();
    List<RequestRecord.Attempt> attempts = request.map(RequestRecord::attempts).orElse(List.of());
    for (int i = 1; i < attempts.size(); i++) {
      RequestRecord.Attempt prev = attempts.get(i - 1);
      if (List.of("failed", "crashed", "interrupted").contains(prev.status()) && StateDir.safeId(prev.runId())) {
        out.put(attempts.get(i).runId(), prev.runId());
      }
    }
    return out;
  }

  /**
   * What a run's provenance log says of its chunks: the SEND or REUSED of each chunk, the counts of
   * the chunks it processed, the chunks that forked and into what, and the DEAD_LETTER and REUSED
   * events with dead letters; {@code bad} is the first line that breaks its hash chain or is no event.
   */
  private record Logged(Map<String, Event> sends, Map<String, ChunkCounts> counts, Map<String, List<String>> forks,
      List<Event> deadLetters, Optional<ProvenanceReader.BadLine> bad) {
    static Logged empty() {
      return new Logged(Map.of(), Map.of(), Map.of(), List.of(), Optional.empty());
    }

    /** The log up to {@code limit} bytes, leaving out the events whose hash is in {@code leftOut} (a torn tail). */
    static Logged scan(Path log, java.util.Set<String> leftOut, long limit) throws IOException {
      ProvenanceReader.Selection selected = ProvenanceReader.select(log, e -> !leftOut.contains(e.hash())
          && (e.type() == EventType.SEND || e.type() == EventType.REUSED || e.type() == EventType.FORK
              || e.type() == EventType.DEAD_LETTER || ChunkCounts.counts(e)), limit);
      Optional<ProvenanceReader.BadLine> bad = selected.chainBreak().isPresent() ? selected.chainBreak()
          : selected.unreadable() == 0 ? Optional.empty()
          : Optional.of(new ProvenanceReader.BadLine(selected.firstUnreadable(), "not a provenance event (an edited line)"));
      Map<String, Event> sends = new java.util.HashMap<>();
      Map<String, ChunkCounts> counts = new java.util.HashMap<>();
      Map<String, List<String>> forks = new java.util.HashMap<>(); // a forked chunk -> its children
      List<Event> deadLetters = new ArrayList<>();
      for (Event e : selected.kept()) {
        if (e.deadLetters() != null && (e.type() == EventType.DEAD_LETTER || e.type() == EventType.REUSED)) {
          deadLetters.add(e);
        }
        if (e.type() == EventType.SEND || e.type() == EventType.REUSED) {
          sends.put(e.chunk(), e);
        } else if (e.type() == EventType.FORK) {
          if (e.children() != null) forks.put(e.chunk(), e.children());
        } else {
          counts.computeIfAbsent(e.chunk(), c -> new ChunkCounts()).add(e);
        }
      }
      return new Logged(sends, counts, forks, deadLetters, bad);
    }
  }

  /**
   * A chunk a run committed, in the order of the output: what a resumed run takes over of it,
   * the SENDs of the chunks it forked into (null when it did not fork), the run whose log says
   * so (whose dead-letter file holds its dead letters), and that log's events with them.
   */
  private record Taken(String id, Engine.Reused reused, List<Event> forkedParts, String loggedBy,
      List<Event> deadLetters) {
    long end() {
      return reused.offset() + reused.bytes();
    }

    Taken with(Engine.Reused checked) {
      return new Taken(id, checked, forkedParts, loggedBy, deadLetters);
    }
  }

  /** The chunks the log of run {@code run} says were committed, from the first, in order, up to the first that was not. */
  private static List<Taken> committed(StateDir state, String run, Logged logged, String prefix,
      Map<String, Map<String, List<Map.Entry<String, ChunkCounts>>>> earlier) {
    List<Taken> out = new ArrayList<>();
    for (long i = 0; ; i++) {
      String id = Engine.chunkId(prefix, i);
      Event send = logged.sends().get(id);
      if (send == null && logged.forks().containsKey(id)) {
        // Forked (explode): committed when every chunk it forked into was sent, one after another.
        List<Event> parts = forkedSends(id, logged.forks(), logged.sends());
        if (parts == null) break;
        ChunkCounts c = familyCounts(id, logged.forks(), logged.counts());
        long start = parts.get(0).sink().offset();
        long length = 0;
        int outRecords = 0;
        for (Event part : parts) {
          length += part.sink().bytes();
          outRecords += nz(part.recordsOut());
        }
        // Its output digest, of the bytes its children wrote, is taken when they are checked.
        long[] fc = c.filteredCreated();
        out.add(new Taken(id, new Engine.Reused(run, c.recordsIn, outRecords, c.read, c.undecodable, c.inputDigest, null,
            start, length, c.skipped, c.deadLettered, fc[0], fc[1]), parts, run, new ArrayList<>()));
        continue;
      }
      if (send == null || send.sink() == null) break;
      boolean again = send.type() == EventType.REUSED;
      String fromRun = again ? dev.wiz.provenance.ReusedFrom.of(send).map(dev.wiz.provenance.ReusedFrom::run).orElse(run) : run;
      // A chunk reused before was processed by an earlier run: its counts are in that run's log.
      // (With what the chunks it forked into dropped, when it forked there.)
      ChunkCounts c = !again ? logged.counts().get(id)
          : prefixCounts(id, earlier.computeIfAbsent(fromRun, r -> byChunk(countsIn(state, r))));
      if (c == null) c = new ChunkCounts();
      int in = again ? nz(send.recordsIn()) : c.recordsIn;
      String inDigest = again ? send.inputDigest() : c.inputDigest;
      long[] fc = c.filteredCreated();
      out.add(new Taken(id, new Engine.Reused(fromRun, in, nz(send.recordsOut()), c.read, c.undecodable, inDigest,
          send.outputDigest(), send.sink().offset(), send.sink().bytes(), c.skipped, c.deadLettered, fc[0], fc[1],
          send.sink().text()), null, run, new ArrayList<>()));
    }
    if (!out.isEmpty() && !logged.deadLetters().isEmpty()) {
      Map<String, Taken> byId = new java.util.HashMap<>();
      for (Taken t : out) byId.put(t.id(), t);
      for (Event e : logged.deadLetters()) {
        String chunk = e.chunk() == null ? null : takenOver(e.chunk(), byId.keySet());
        if (chunk != null) byId.get(chunk).deadLetters().add(e);
      }
    }
    return out;
  }

  /**
   * The chunks {@code run} committed ({@code logged}, from its own log), followed, when it was a
   * resumed run that ended before it logged every chunk it took over (killed, or failed, before it
   * committed them), by those of the rest it took over as the run it resumed logged them: its
   * partial output holds them, where that run wrote them (it writes a chunk of its own only after
   * every chunk it took over). Runs whose record or log cannot be read, or do not chain, add nothing.
   * A torn last line of their log is cut ({@code write}), or measured and left out.
   */
  private static List<Taken> withTakenOver(StateDir state, String run, List<Taken> logged, String prefix,
      Map<String, Map<String, List<Map.Entry<String, ChunkCounts>>>> earlier, Map<String, String> before,
      java.util.Set<String> seen, boolean write) {
    RunRecord.Resumed resumed;
    try {
      Optional<RunRecord> record = state.readRunRecord(run);
      // A run without a record wrote no output: what it has is the run's before it, as far as it holds it.
      resumed = record.isPresent() ? record.get().resumed()
          : before.containsKey(run) ? new RunRecord.Resumed(before.get(run), Long.MAX_VALUE, 0) : null;
    } catch (IOException | RuntimeException e) {
      return logged;
    }
    if (resumed == null || resumed.fromRun() == null || logged.size() >= resumed.chunksTakenOver()
        || !StateDir.safeId(resumed.fromRun()) || !seen.add(resumed.fromRun())) {
      return logged;
    }
    String earlierRun = resumed.fromRun();
    Path log = state.provenance(earlierRun);
    List<Taken> base;
    try {
      Map<String, String> made = state.readRunRecord(earlierRun).map(RunRecord::versions).orElse(null);
      if (made != null && otherWiz(made, versions()) != null) return logged; // it may have written other bytes
      // Its torn tail was cut when it was resumed, before its output was taken over, unless the run
      // that resumed it was killed before that (and before it wrote its record).
      Logged scanned = Logged.empty();
      if (java.nio.file.Files.exists(log)) {
        Torn torn = write ? new Torn(ProvenanceReader.cutTornTail(log), java.util.Set.of()) : Torn.of(log);
        scanned = Logged.scan(log, torn.hashes(), write ? Long.MAX_VALUE : java.nio.file.Files.size(log) - torn.bytes());
      }
      if (scanned.bad().isPresent()) {
        Log.LOG.debug("not taking over the chunks of run {}: its log {}:{}: {}", earlierRun, log,
            scanned.bad().get().line(), scanned.bad().get().message());
        return logged;
      }
      base = withTakenOver(state, earlierRun, committed(state, earlierRun, scanned, prefix, earlier), prefix, earlier,
          before, seen, write);
    } catch (IOException | RuntimeException e) {
      Log.LOG.debug("not taking over the chunks of run {}: {}", earlierRun, e.toString());
      return logged;
    }
    List<Taken> out = new ArrayList<>(logged);
    for (int i = logged.size(); i < resumed.chunksTakenOver() && i < base.size(); i++) {
      Taken t = base.get(i);
      if (i > 0 && t.reused().offset() != out.get(i - 1).end()) break; // not right after the one before
      out.add(t);
    }
    return out;
  }

  /**
   * Refuses to go on from a partial output whose committed bytes are not what the run logged: each
   * of the first {@code own} chunks taken over (those the run's own log names) must hash, where it
   * was written, to the digest of its SEND event (a file changed, or cut and filled again, after
   * the run). The chunks after them (taken over from a run before, as that run logged them) end
   * at the first that does not hash to its digest: those are processed again. Reads the committed
   * part once. Returns the chunks taken over, a forked one with the digest of all it wrote.
   */
  private static List<Taken> checkCommittedBytes(Path partial, String key, String from, List<Taken> taken, int own)
      throws IOException, Refused {
    List<Taken> out = new ArrayList<>(taken.size());
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(partial)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
      for (int i = 0; i < taken.size(); i++) {
        Taken t = taken.get(i);
        boolean refuse = i < own;
        String id = t.id();
        Engine.Reused r = t.reused();
        if (t.forkedParts() != null) {
          Engine.Reused checked = checkForked(ch, buf, partial, key, from, id, r, t.forkedParts(), refuse);
          if (checked == null) break;
          out.add(t.with(checked));
          continue;
        }
        if (r.outputDigest() != null) { // else logged without digests
          long end = r.offset() + r.bytes();
          String found = Json.hex(hashRange(ch, buf, r.offset(), end, Json.sha256(), null));
          if (!found.equals(r.outputDigest())) {
            if (!refuse) break;
            throw new Refused(Refused.Rule.CANNOT_RESUME, "cannot resume run " + from + ": its partial output " + partial
                + " does not hold what chunk "
                + id + " wrote (bytes " + r.offset() + "-" + end + " hash to " + found.substring(0, 19) + "..., the run"
                + " logged " + r.outputDigest().substring(0, Math.min(19, r.outputDigest().length())) + "...): the file"
                + " was changed after the run; run again without --resume to start over", key, from, null);
          }
        }
        out.add(t);
      }
    }
    return out;
  }

  /**
   * The torn tail of a provenance log: what {@link ProvenanceReader#cutTornTail} cuts, in bytes,
   * and the hashes of events on it that parse anyway (a last line that lost only its newline),
   * which a run that did not cut must leave out.
   */
  private record Torn(long bytes, java.util.Set<String> hashes) {
    static final Torn NONE = new Torn(0, java.util.Set.of());

    /** Measured as cutTornTail measures it, without cutting. */
    static Torn of(Path log) throws IOException {
      byte[] all = java.nio.file.Files.readAllBytes(log);
      dev.wiz.provenance.EventReader reader = new dev.wiz.provenance.EventReader();
      int end = all.length;
      while (end > 0) {
        if (all[end - 1] != '\n') {
          end = lastNewline(all, end - 1) + 1;
          continue;
        }
        int start = lastNewline(all, end - 2) + 1;
        try {
          reader.read(all, start, end - start);
          break;
        } catch (IOException torn) {
          end = start;
        }
      }
      java.util.Set<String> hashes = new java.util.HashSet<>();
      for (String line : new String(all, end, all.length - end, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) continue;
        try {
          Event e = reader.read(line);
          if (e != null && e.hash() != null) hashes.add(e.hash());
        } catch (IOException unparsed) {
          // ProvenanceReader skips it too
        }
      }
      return new Torn(all.length - end, hashes);
    }

    private static int lastNewline(byte[] b, int from) {
      for (int i = from; i >= 0; i--) {
        if (b[i] == '\n') return i;
      }
      return -1;
    }
  }

  /**
   * Which other wiz made a run, as a message says it ({@code wiz 0.1.0, and this is wiz 0.2.0}),
   * or null when it was this one: the same version and, when this one runs from a jar, the same
   * build (a run that recorded none was made by a wiz from before builds were recorded, or one
   * that ran from classes).
   */
  static String otherWiz(Map<String, String> made, Map<String, String> ours) {
    String version = made.get("wiz");
    if (version == null) return null; // not recorded: nothing to tell
    if (!version.equals(ours.get("wiz"))) return "wiz " + version + ", and this is wiz " + ours.get("wiz");
    String build = made.get("build");
    String ourBuild = ours.get("build");
    if (ourBuild != null && !ourBuild.equals(build)) {
      return "another build of wiz " + version + " (" + (build == null ? "one that did not record its build" : build)
          + "; this is " + ourBuild + ")";
    }
    return null;
  }

  /**
   * When another request of the same pipeline file ended unfinished: what changed makes it another
   * request, so it is said rather than resumed.
   */
  private String unfinishedElsewhere(StateDir state, String key, Pipeline pipeline, List<InputFile> inputs,
      boolean checksum, List<Step> steps) throws IOException {
    String file = pipeline.file().toAbsolutePath().toString();
    String changed = "";
    for (RequestRecord r : state.requests()) {
      if (r.key().equals(key) || !file.equals(r.pipeline()) || r.attempts().isEmpty()) continue;
      RequestRecord.Attempt a = r.attempts().get(r.attempts().size() - 1);
      boolean dead = a.status().equals("running") && !RequestLock.isHeld(state.requestLock(r.key()));
      if (dead || List.of("failed", "crashed", "interrupted").contains(a.status())) {
        String ended = " (run " + a.runId() + " of this pipeline file ended " + (a.status().equals("running") ? "unfinished" : a.status());
        if (sameWork(state, a.runId(), pipeline, inputs, steps)) {
          // Nothing it records changed: only how inputs are told apart can make it another request.
          String other = checksum ? "without" : "with";
          return ended + ", on the same pipeline and inputs, but it was run " + other + " --checksum, which makes this"
              + " another request; starting over: run again " + other + " --checksum to resume it)";
        }
        if (changed.isEmpty()) {
          // A file a processor reads whole (a lookup table) is an input of the run too.
          List<String> what = whatChanged(state, a.runId(), pipeline, inputs, steps);
          changed = ended + ", but " + (what.isEmpty() ? "the pipeline or an input has"
              : what.size() == 1 ? what.get(0) + " has"
              : String.join(", ", what.subList(0, what.size() - 1)) + " and " + what.get(what.size() - 1) + " have")
              + " changed since, which makes this another request; starting over)";
        }
      }
    }
    return changed;
  }

  /**
   * What differs between the run's record and this run, as a message names it: {@code the
   * pipeline}, {@code input in.jsonl}, {@code variable OUT}, {@code lookup file users.csv} (at most
   * four, then how many more). Empty when the record cannot be read or nothing it records differs.
   */
  private List<String> whatChanged(StateDir state, String runId, Pipeline pipeline, List<InputFile> inputs,
      List<Step> steps) {
    Optional<RunRecord> read;
    try {
      read = state.readRunRecord(runId);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    if (read.isEmpty()) return List.of();
    RunRecord run = read.get();
    List<String> what = new ArrayList<>();
    if (run.pipeline().digest() != null && !Json.digest(pipeline.canonicalBytes()).equals(run.pipeline().digest())) {
      what.add("the pipeline");
    }
    Map<String, RunRecord.Input> before = new java.util.LinkedHashMap<>();
    for (RunRecord.Input i : run.inputs()) before.put(i.path() == null ? i.name() : i.path(), i);
    for (InputFile f : inputs) {
      RunRecord.Input was = before.remove(f.path() == null ? f.name() : f.path());
      if (was == null || was.size() != f.size() || was.modified() != f.modified()) what.add("input " + f.name());
    }
    for (RunRecord.Input gone : before.values()) what.add("input " + gone.name());
    Map<String, String> envBefore = run.environment() == null ? Map.of() : run.environment();
    Map<String, String> envNow = environmentDigests(pipeline);
    java.util.Set<String> names = new java.util.TreeSet<>(envBefore.keySet());
    names.addAll(envNow.keySet());
    for (String name : names) {
      if (!java.util.Objects.equals(envBefore.get(name), envNow.get(name))) what.add("variable " + name);
    }
    Map<String, String> refsBefore = new java.util.LinkedHashMap<>();
    if (run.references() != null) {
      for (RunRecord.Reference r : run.references()) refsBefore.put(r.processor() + "\u0000" + r.name(), r.digest());
    }
    for (RunRecord.Reference r : references(steps)) {
      String was = refsBefore.remove(r.processor() + "\u0000" + r.name());
      if (!r.digest().equals(was)) what.add("lookup file " + r.name());
    }
    for (String gone : refsBefore.keySet()) what.add("lookup file " + gone.substring(gone.indexOf('\u0000') + 1));
    if (what.size() > 4) {
      int more = what.size() - 3;
      what = new ArrayList<>(what.subList(0, 3));
      what.add(more + " more");
    }
    return what;
  }

  /**
   * Whether a run's record names the same pipeline (its digest), inputs (path, size and time),
   * variables and files processors read (their digests) as this run's: then the request differs
   * only by {@code --checksum}.
   */
  private boolean sameWork(StateDir state, String runId, Pipeline pipeline, List<InputFile> inputs, List<Step> steps) {
    Optional<RunRecord> run;
    try {
      run = state.readRunRecord(runId);
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (run.isEmpty() || !Json.digest(pipeline.canonicalBytes()).equals(run.get().pipeline().digest())) return false;
    List<RunRecord.Input> now = new ArrayList<>();
    for (InputFile f : inputs) now.add(new RunRecord.Input(f.name(), f.path(), f.size(), f.modified()));
    Map<String, String> environment = run.get().environment() == null ? Map.of() : run.get().environment();
    List<RunRecord.Reference> refs = run.get().references() == null ? List.of() : run.get().references();
    return now.equals(run.get().inputs()) && environmentDigests(pipeline).equals(environment)
        && references(steps).equals(refs);
  }

  /** What the run that processed a chunk read of it, skipped and dead-lettered, from its events. */
  private static final class ChunkCounts {
    int recordsIn;
    String inputDigest;
    long read;
    long undecodable;
    long skipped;
    long deadLettered;

    /**
     * Per step (processor id): records in less records out, the records it rejected, and what it
     * both filtered and created beyond that net (the smaller of its logged filtered and created:
     * 0 when the event has no such fields, as in logs written before wiz counted per record).
     */
    private final Map<String, long[]> steps = new java.util.HashMap<>();

    static boolean counts(Event e) {
      return e.type() == EventType.CREATE || e.type() == EventType.DROP || e.type() == EventType.DEAD_LETTER
          || ((e.type() == EventType.CONTENT_MODIFIED || e.type() == EventType.FILTERED) && e.processor() != null);
    }

    void add(Event e) {
      if (e.type() == EventType.CREATE) {
        recordsIn = nz(e.recordsIn());
        inputDigest = e.inputDigest();
        read += nz(e.recordsOut());
        return;
      }
      if (e.type() == EventType.CONTENT_MODIFIED || e.type() == EventType.FILTERED) {
        long[] step = steps.computeIfAbsent(e.processor().id(), k -> new long[3]);
        step[0] += (long) nz(e.recordsIn()) - nz(e.recordsOut());
        if (e.filtered() != null && e.created() != null) step[2] += Math.min(e.filtered(), e.created());
        return;
      }
      long n = nz(e.recordsIn());
      if (e.processor() == null) undecodable += n; // at reading, before any processor
      // The sink is no step: what it could not write is in the totals, as the engine counts it.
      if (e.processor() != null && !"sink".equals(e.processor().type())) {
        steps.computeIfAbsent(e.processor().id(), k -> new long[3])[1] += n;
      }
      if (e.type() == EventType.DROP) {
        skipped += n;
      } else {
        deadLettered += n;
      }
    }

    /** Adds the step counts of chunk {@code id} (itself, or a chunk it forked into), each step of each chunk apart. */
    void addSteps(String id, ChunkCounts other) {
      for (Map.Entry<String, long[]> e : other.steps.entrySet()) {
        long[] mine = steps.computeIfAbsent(id + "\u0000" + e.getKey(), k -> new long[3]);
        mine[0] += e.getValue()[0];
        mine[1] += e.getValue()[1];
        mine[2] += e.getValue()[2];
      }
    }

    /**
     * What its steps filtered and created, as the engine counts them: each step's records in less
     * rejected less out, on each chunk, and what its event says it both filtered and created
     * beyond that (counted per record). {-1, -1} when the log has no step of it: then the engine
     * takes the chunk's net.
     */
    long[] filteredCreated() {
      if (steps.isEmpty()) return new long[] {-1, -1};
      long filtered = 0;
      long created = 0;
      for (long[] step : steps.values()) {
        long net = step[0] - step[1];
        if (net >= 0) {
          filtered += net;
        } else {
          created -= net;
        }
        filtered += step[2];
        created += step[2];
      }
      return new long[] {filtered, created};
    }
  }

  /**
   * The SEND of every chunk a forked chunk ended as (its children, and theirs when a later step
   * forked them again), in the order they were written; null unless each was sent, with its place
   * in the output, right after the one before.
   */
  private static List<Event> forkedSends(String id, Map<String, List<String>> forks, Map<String, Event> sends) {
    List<Event> out = new ArrayList<>();
    if (!collectSends(id, forks, sends, out, 0) || out.isEmpty()) return null;
    for (int k = 1; k < out.size(); k++) {
      Event.SinkRef before = out.get(k - 1).sink();
      if (out.get(k).sink().offset() != before.offset() + before.bytes()) return null;
    }
    return out;
  }

  private static boolean collectSends(String id, Map<String, List<String>> forks, Map<String, Event> sends,
      List<Event> out, int depth) {
    List<String> children = forks.get(id);
    if (children == null) {
      Event send = sends.get(id);
      if (send == null || send.type() != EventType.SEND || send.sink() == null) return false;
      out.add(send);
      return true;
    }
    if (depth > 64) return false; // not a log wiz wrote
    for (String child : children) {
      if (!collectSends(child, forks, sends, out, depth + 1)) return false;
    }
    return true;
  }

  /** A forked chunk's counts: its own (read, and what its steps before the fork dropped) and its children's. */
  private static ChunkCounts familyCounts(String id, Map<String, List<String>> forks, Map<String, ChunkCounts> counts) {
    ChunkCounts total = new ChunkCounts();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(id));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      ChunkCounts c = counts.get(next);
      if (c != null) {
        if (next.equals(id)) {
          total.recordsIn = c.recordsIn;
          total.inputDigest = c.inputDigest;
          total.read = c.read;
        }
        total.undecodable += next.equals(id) ? c.undecodable : 0;
        total.skipped += c.skipped;
        total.deadLettered += c.deadLettered;
        total.addSteps(next, c);
      }
      todo.addAll(forks.getOrDefault(next, List.of()));
    }
    return total;
  }

  /**
   * The counts of a chunk and of every chunk named {@code <id>.<...>} (what it forked into), from
   * a run's counts {@linkplain #byChunk grouped by chunk}.
   */
  private static ChunkCounts prefixCounts(String id, Map<String, List<Map.Entry<String, ChunkCounts>>> counts) {
    ChunkCounts total = new ChunkCounts();
    for (Map.Entry<String, ChunkCounts> e : counts.getOrDefault(id, List.of())) {
      if (e.getKey().equals(id)) {
        total.recordsIn = e.getValue().recordsIn;
        total.inputDigest = e.getValue().inputDigest;
        total.read = e.getValue().read;
        total.undecodable = e.getValue().undecodable;
      }
      total.skipped += e.getValue().skipped;
      total.deadLettered += e.getValue().deadLettered;
      total.addSteps(e.getKey(), e.getValue());
    }
    return total;
  }

  /**
   * Values by chunk id, grouped by the chunk read from the input that they are of: {@code
   * p-000007}, and {@code p-000007.0}, {@code p-000007.0.1} (the chunks it forked into) under
   * {@code p-000007}. Built once per run, so that taking over 10,000 chunks of a resumed run looks
   * at each of its chunks once, not at all of them for each (which took 8 s of --resume there).
   */
  static <T> Map<String, List<Map.Entry<String, T>>> byChunk(Map<String, T> values) {
    Map<String, List<Map.Entry<String, T>>> out = new java.util.HashMap<>();
    for (Map.Entry<String, T> e : values.entrySet()) {
      String id = e.getKey();
      int dot = id.indexOf('.', Math.max(0, id.lastIndexOf('-'))); // the index after the last '-' has no '-'
      out.computeIfAbsent(dot < 0 ? id : id.substring(0, dot), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  /** Hashes bytes {@code from} to {@code end} of the file into {@code md} (and {@code also}, when given); returns md. */
  private static java.security.MessageDigest hashRange(java.nio.channels.FileChannel ch, java.nio.ByteBuffer buf,
      long from, long end, java.security.MessageDigest md, java.security.MessageDigest also) throws IOException {
    long pos = from;
    while (pos < end) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n < 0) break;
      md.update(buf.array(), 0, n);
      if (also != null) also.update(buf.array(), 0, n);
      pos += n;
    }
    return md;
  }

  /**
   * Checks the bytes each child of a forked chunk wrote against its SEND's digest, and gives the
   * chunk taken over with the digest of all of them, as one range of the output. A child whose
   * bytes do not match refuses the resume, or, unless {@code refuse}, gives null.
   */
  private static Engine.Reused checkForked(java.nio.channels.FileChannel ch, java.nio.ByteBuffer buf, Path partial,
      String key, String from, String id, Engine.Reused r, List<Event> parts, boolean refuse) throws IOException, Refused {
    java.security.MessageDigest whole = Json.sha256();
    for (Event part : parts) {
      long end = part.sink().offset() + part.sink().bytes();
      String found = Json.hex(hashRange(ch, buf, part.sink().offset(), end, Json.sha256(), whole));
      if (part.outputDigest() != null && !found.equals(part.outputDigest())) {
        if (!refuse) return null;
        throw new Refused(Refused.Rule.CANNOT_RESUME, "cannot resume run " + from + ": its partial output " + partial
            + " does not hold what chunk " + part.chunk() + " (forked from " + id + ") wrote (bytes "
            + part.sink().offset() + "-" + end + " hash to " + found.substring(0, 19) + "..., the run logged "
            + part.outputDigest().substring(0, Math.min(19, part.outputDigest().length())) + "...): the file was"
            + " changed after the run; run again without --resume to start over", key, from, null);
      }
    }
    return new Engine.Reused(r.fromRun(), r.recordsIn(), r.recordsOut(), r.read(), r.undecodable(), r.inputDigest(),
        Json.hex(whole), r.offset(), r.bytes(), r.skipped(), r.deadLettered(), r.filtered(), r.created(),
        forkedText(ch, parts));
  }

  /**
   * The text a forked chunk's children wrote as gzip members, one after another (checked against
   * their digests already): its length and sha-256, as its REUSED event logs them, which the
   * children's own cannot give (a sha-256 is not made of the sha-256 of its parts). Null when a
   * child logged no text (a text sink, or a log written before wiz logged it).
   */
  private static Event.SinkText forkedText(java.nio.channels.FileChannel ch, List<Event> parts) throws IOException {
    for (Event part : parts) if (part.sink().text() == null) return null;
    java.security.MessageDigest md = Json.sha256();
    long length = 0;
    byte[] buf = new byte[1 << 16];
    for (Event part : parts) {
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(
          new RangeInput(ch, part.sink().offset(), part.sink().offset() + part.sink().bytes()), 1 << 16)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
          length += n;
        }
      }
    }
    return new Event.SinkText(length, Json.hex(md));
  }

  /** The bytes of a file from one offset to another, read where they are (the channel is shared). */
  private static final class RangeInput extends java.io.InputStream {
    private final java.nio.channels.FileChannel ch;
    private long pos;
    private final long end;

    RangeInput(java.nio.channels.FileChannel ch, long from, long end) {
      this.ch = ch;
      this.pos = from;
      this.end = end;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= end) return -1;
      int n = ch.read(java.nio.ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
      if (n < 0) return -1;
      pos += n;
      return n;
    }
  }

  /** The counts of every chunk in a run's log (none when it cannot be read). */
  private static Map<String, ChunkCounts> countsIn(StateDir state, String runId) {
    Map<String, ChunkCounts> out = new java.util.HashMap<>();
    try {
      for (Event e : ProvenanceReader.read(state.provenance(runId), ChunkCounts::counts)) {
        out.computeIfAbsent(e.chunk(), c -> new ChunkCounts()).add(e);
      }
    } catch (IOException | RuntimeException e) {
      Log.LOG.debug("cannot read the counts of run {}: {}", runId, e.getMessage());
    }
    return out;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  /** Chunk ids start with the pipeline's name and the request key, so reruns give the same ids. */
  static String chunkPrefix(Pipeline pipeline, String requestKey) {
    return pipeline.name() + "-" + requestKey.substring("sha256:".length(), "sha256:".length() + 8);
  }

  private static String shortKey(String key) {
    String hex = key.startsWith("sha256:") ? key.substring(7) : key;
    return hex.substring(0, Math.min(12, hex.length()));
  }

  /** The previous holder of the lock died without ending its run: say so in its records. */
  private void recordCrash(StateDir state, String key, RequestLock.Holder dead) throws IOException {
    String now = clock.instant().toString();
    Optional<RequestRecord> after = crashRecorded(state.readRequest(key), key, dead, now);
    if (after.isEmpty()) return; // it ended after all
    state.writeRequest(after.get());
    Optional<RunRecord> run = state.readRunRecord(dead.runId());
    if (run.isPresent() && run.get().status().equals("running")) {
      state.writeRunRecord(run.get().crashed(now, crashReason(dead)));
    }
    state.removeDataDir(dead.runId()); // a resume rebuilds what its processors held from the chunks
  }

  /**
   * The run the request's record says is running when the lock, which no live run holds, names no
   * holder: its lock file was removed or emptied after the run died (a process that dies leaves
   * its holder there). That run crashed, and --resume goes on from it. Empty when the last attempt
   * ended. One whose process is still alive (its lock file removed while it ran: the lock no longer
   * keeps a second run out) is refused as running.
   */
  private static Optional<RequestLock.Holder> runningWithoutHolder(StateDir state, String key,
      Optional<RequestRecord> request) throws IOException, Refused {
    Optional<RequestRecord.Attempt> last = request.flatMap(r -> r.attempts().isEmpty()
        ? Optional.empty() : Optional.of(r.attempts().get(r.attempts().size() - 1)));
    if (last.isEmpty() || !last.get().status().equals("running") || !StateDir.safeId(last.get().runId())) {
      return Optional.empty();
    }
    Optional<RunRecord> run = state.readRunRecord(last.get().runId());
    String startedAt = last.get().startedAt() != null ? last.get().startedAt()
        : run.map(RunRecord::startedAt).orElse(java.time.Instant.EPOCH.toString());
    RequestLock.Holder holder = new RequestLock.Holder(last.get().runId(), run.map(RunRecord::pid).orElse(0L), startedAt);
    if (alive(holder)) throw alreadyRunning(key, Optional.of(holder));
    return Optional.of(holder);
  }

  /**
   * Whether the holder's process is alive: a process of that id, not this one, started no later
   * than the run, running the program this one runs (java). One that runs another program has the
   * id of a process of another machine or container, whose state folder was copied or mounted here
   * (pid 1 of a container is /sbin/init here), or of a process started since.
   */
  private static boolean alive(RequestLock.Holder holder) {
    if (holder.pid() <= 0 || holder.pid() == ProcessHandle.current().pid()) return false;
    Optional<ProcessHandle> process = ProcessHandle.of(holder.pid()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) return false;
    Optional<String> program = program(process.get());
    Optional<String> ours = program(ProcessHandle.current());
    if (program.isPresent() && ours.isPresent() && !program.get().equals(ours.get())) return false;
    Optional<java.time.Instant> started = process.get().info().startInstant();
    try {
      return started.isEmpty() || !started.get().isAfter(java.time.Instant.parse(holder.startedAt()));
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  /**
   * The last name of the path of the program a process runs ({@code java} of {@code
   * /usr/lib/jvm/17/bin/java}), from its command, or the first word of its command line when the
   * command cannot be read (a process of another user); empty when neither can.
   */
  private static Optional<String> program(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    Optional<String> command = info.command()
        .or(() -> info.commandLine().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+", 2)[0]));
    return command.map(c -> c.substring(Math.max(c.lastIndexOf('/'), c.lastIndexOf('\\')) + 1));
  }

  /** The request's record with the dead holder's attempt ended as crashed; empty when it had ended. */
  private static Optional<RequestRecord> crashRecorded(Optional<RequestRecord> request, String key,
      RequestLock.Holder dead, String now) {
    RequestRecord.Attempt before = request.flatMap(r -> r.attempt(dead.runId()))
        .orElse(new RequestRecord.Attempt(dead.runId(), "running", dead.startedAt(), null, null));
    if (!before.status().equals("running")) return Optional.empty();
    RequestRecord.Attempt crashed = before.ended("crashed", now, crashReason(dead));
    return Optional.of(request.orElse(new RequestRecord(RequestRecord.SCHEMA, key, null, crashed.status(), List.of()))
        .with(crashed));
  }

  private static String crashReason(RequestLock.Holder dead) {
    if (dead.pid() <= 0) return "its process ended without finishing the run";
    return "the process (pid " + dead.pid() + ") ended without finishing the run";
  }

  /**
   * The request rules, on the request's record: refused when the request succeeded before or
   * failed too often, unless forced. Returns whether a rule was overridden with --force (the record
   * says so). With {@code write} false, a request refused for its failures is not marked
   * dead-lettered.
   */
  private boolean checkRules(StateDir state, String key, Optional<RequestRecord> found, Pipeline pipeline,
      boolean force, boolean resume, boolean write) throws IOException, Refused {
    if (found.isEmpty()) return false;
    RequestRecord r = found.get();
    List<RequestRecord.Attempt> attempts = r.attempts();
    Optional<RequestRecord.Attempt> success = attempts.stream()
        .filter(a -> a.status().equals("success") || a.status().equals("completed-with-errors")).reduce((a, b) -> b);
    if (success.isPresent()) {
      if (force) return true;
      RequestRecord.Attempt last = attempts.get(attempts.size() - 1);
      if (resume && last.forced() && List.of("failed", "crashed", "interrupted").contains(last.status())) {
        return true; // goes on with a forced run that did not finish: forced as well
      }
      String output = state.readRunRecord(success.get().runId())
          .map(RunRecord::output).map(RunRecord.Output::target).orElse(null);
      String ended = success.get().status().equals("success") ? "succeeded"
          : "completed with errors (records skipped or dead-lettered)";
      throw new Refused(Refused.Rule.ALREADY_SUCCEEDED, "request " + shortKey(key) + " already " + ended + " in run "
          + success.get().runId() + " (ended " + success.get().endedAt() + ", output " + (output == null ? "its output" : output)
          + "): --force runs it again", key, success.get().runId(), output);
    }
    int max = pipeline.run().maxFailures();
    long failures = r.failures();
    if (failures >= max) {
      if (force) return true;
      RequestRecord.Attempt last = attempts.get(attempts.size() - 1);
      if (resume && last.forced() && List.of("failed", "crashed", "interrupted").contains(last.status())) {
        return true; // goes on with the forced run past the budget
      }
      if (write && !"dead-lettered".equals(r.status())) state.writeRequest(r.withStatus("dead-lettered"));
      StringBuilder m = new StringBuilder("request " + shortKey(key) + " failed " + failures + " times (run.maxFailures is "
          + max + ") and is dead-lettered; --force runs it again. Attempts:");
      for (RequestRecord.Attempt a : attempts) {
        if (a.status().equals("failed") || a.status().equals("crashed")) {
          m.append("\n  ").append(a.runId()).append(" ").append(a.status()).append(": ").append(a.error());
        }
      }
      throw new Refused(Refused.Rule.FAILED_TOO_OFTEN, m.toString(), key, attempts.get(attempts.size() - 1).runId(), null);
    }
    return false;
  }

  /**
   * Runs with the request's lock held. A file of the state folder it cannot write (a full disk)
   * ends it with {@link StateNotWritten}: what it could not record, the next run records.
   */
  private Result runLocked(Pipeline pipeline, Options options, BooleanSupplier cancelled, BooleanSupplier stopNow,
      Runnable stopReading, Engine.Progress progress, List<Step> steps, String runId, Source source, Sink sink,
      String requestKey, StateDir state, boolean forced, Resume resume) throws IOException {
    try {
      return runWithState(pipeline, options, cancelled, stopNow, stopReading, progress, steps, runId, source, sink,
          requestKey, state, forced, resume);
    } catch (dev.wiz.state.BrokenStateException e) {
      throw e;
    } catch (IOException e) {
      String what = e instanceof java.nio.file.FileSystemException ? e.getMessage()
          : state.root().toAbsolutePath().normalize() + ": " + e.getMessage();
      boolean full = dev.wiz.io.DiskFullException.is(e);
      throw new StateNotWritten("cannot write the run state (" + (full ? "the disk is full: " : "") + what + "): run "
          + runId + " ends without a record of its end; " + (full ? "free space on that disk" : "make room (or make"
          + " the folder writable)") + ", then run again with --resume: it records this run as crashed and goes on"
          + " from the chunks it committed, which are kept", runId, e);
    }
  }

  private Result runWithState(Pipeline pipeline, Options options, BooleanSupplier cancelled, BooleanSupplier stopNow,
      Runnable stopReading, Engine.Progress progress, List<Step> steps, String runId, Source source, Sink sink, String requestKey, StateDir state, boolean forced,
      Resume resume) throws IOException {
    state.createRun(runId);
    int workers = options.workers() > 0 ? options.workers() : pipeline.run().effectiveWorkers();
    Instant start = clock.instant();
    RunRecord.PipelineInfo info = new RunRecord.PipelineInfo(
        pipeline.file().toAbsolutePath().toString(), pipeline.name(), Json.digest(pipeline.canonicalBytes()));
    List<RunRecord.Input> inputs = new ArrayList<>();
    for (InputFile f : source.inputs()) inputs.add(new RunRecord.Input(f.name(), f.path(), f.size(), f.modified()));
    Map<String, String> environment = environmentDigests(pipeline);
    List<RunRecord.Reference> references = references(steps);
    List<RunRecord.Reference> refs = references.isEmpty() ? null : references;
    String partial = IoFactory.partialFile(pipeline.sink(), pipeline.baseDir(), runId).map(Path::toString).orElse(null);
    state.writeRunRecord(new RunRecord(RunRecord.SCHEMA, runId, requestKey, "running", null, info, versions(),
        start.toString(), null, null, workers, pipeline.chunkRecords(), pipeline.run().onError().label(),
        pipeline.run().seed(), ProcessHandle.current().pid(), inputs, null, environment, null, null, null,
        resume.record(), partial, null, refs));
    state.recordAttempt(requestKey, info.file(), new RequestRecord.Attempt(runId, "running", start.toString(), null, null, forced));

    String prefix = chunkPrefix(pipeline, requestKey);
    RunReport report;
    List<String> chunkIds = new ArrayList<>();
    // What the run says goes through this: a message may quote a value from the environment.
    java.util.function.UnaryOperator<String> redact = pipeline.tree().valueRedactor();
    try (ProvenanceLog log = ProvenanceLog.create(state.provenance(runId), runId, requestKey, clock);
        DeadLetterLog dead = new DeadLetterLog(state.deadLetters(runId), redact)) {
      log.redactErrors(redact);
      if (resume.fromRun() != null) copyDeadLetters(state, resume, dead);
      Engine engine = new Engine(
          new Engine.Options(workers, pipeline.chunkRecords(), pipeline.run().onError(),
              pipeline.run().maxAttempts(), pipeline.run().seed(), pipeline.run().commitMillis(), resume.reused()),
          new Engine.Context(prefix, log, dead, state.dataDir(runId), cancelled, stopNow, stopReading),
          progress);
      report = engine.run(source, sink, steps);
      if (report.error() != null) report = report.withError(redact.apply(report.error()));
      for (long i = 0; i < report.chunks(); i++) chunkIds.add(Engine.chunkId(prefix, i));
    } finally {
      state.removeDataDir(runId); // the processors are closed; nothing in it is read again, not even by --resume
    }
    state.indexChunks(chunkIds, runId);
    Instant end = clock.instant();
    double seconds = Duration.between(start, end).toMillis() / 1000.0;
    boolean hasDeadLetters = report.deadLettered() > 0 && java.nio.file.Files.exists(state.deadLetters(runId));
    // A run that did not finish keeps its partial output for --resume, unless what it wrote was
    // not kept (it may be wrong: ProcessorException.outputInDoubt): then run.json names none.
    boolean finished = COMPLETED.contains(report.status().label());
    boolean discarded = !finished && partial != null
        && !java.nio.file.Files.exists(pipeline.baseDir().getFileSystem().getPath(partial));
    state.writeRunRecord(new RunRecord(RunRecord.SCHEMA, runId, requestKey, report.status().label(), report.error(),
        info, versions(), start.toString(), end.toString(), seconds, workers, pipeline.chunkRecords(),
        pipeline.run().onError().label(), pipeline.run().seed(), ProcessHandle.current().pid(), inputs,
        discarded ? new RunRecord.Output(report.output(), 0, 0)
            : new RunRecord.Output(report.output(), report.bytesWritten(), report.recordsWritten(),
                report.outputText() == null ? null
                    : new RunRecord.Text(report.outputText().bytes(), report.outputText().digest())), environment,
        new RunRecord.Counts(report.chunks(), report.recordsRead(), report.decodeErrors(), report.recordsWritten(),
            report.skipped(), report.deadLettered()),
        report.processors(),
        new RunRecord.ProvenanceInfo(state.provenance(runId).toString(), report.events(), report.provenanceHead(),
            hasDeadLetters ? state.deadLetters(runId).toString() : null), resume.record(), discarded ? null : partial,
        report.readStop(), refs));
    state.recordAttempt(requestKey, info.file(),
        new RequestRecord.Attempt(runId, report.status().label(), start.toString(), end.toString(), report.error(), forced));
    removeStalePartials(state, requestKey, pipeline, runId);
    Path kept = finished || partial == null ? null : pipeline.baseDir().getFileSystem().getPath(partial);
    return new Result(runId, requestKey, report, state.runDir(runId), state.provenance(runId),
        hasDeadLetters ? state.deadLetters(runId) : null, resume.note(), discarded, references,
        kept != null && java.nio.file.Files.exists(kept) ? kept : null);
  }

  /**
   * The chunk taken over that a dead letter's chunk is, or was forked from ({@code c.0}, {@code
   * c.0.1} are of {@code c}); null when it is none.
   */
  static String takenOver(String chunk, java.util.Set<String> reused) {
    for (String c = chunk; ; c = c.substring(0, c.lastIndexOf('.'))) {
      if (reused.contains(c)) return c;
      if (c.lastIndexOf('.') < 0) return null;
    }
  }

  /**
   * The dead letters of the chunks taken over (and of the chunks they forked into), from the
   * dead-letter file of the run whose log each chunk was found in.
   */
  private static void copyDeadLetters(StateDir state, Resume resume, DeadLetterLog dead) throws IOException {
    Map<String, List<com.fasterxml.jackson.databind.node.ObjectNode>> keep = new java.util.LinkedHashMap<>();
    for (String run : new java.util.TreeSet<>(resume.deadLetterSources().isEmpty() ? List.of(resume.fromRun())
        : resume.deadLetterSources().values())) {
      Path old = state.deadLetters(run);
      if (!java.nio.file.Files.exists(old)) continue;
      for (String line : java.nio.file.Files.readAllLines(old, StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        com.fasterxml.jackson.databind.JsonNode n;
        try {
          n = dev.wiz.TreeReader.parse(line); // numbers keep their text, as the first run wrote them
        } catch (IOException torn) {
          continue; // a line torn by the crash: its chunk was not committed
        }
        String taken = n.isObject() ? takenOver(n.path("chunk").asText(), resume.reused().keySet()) : null;
        // Only from the file of the run whose log the chunk was found in: another may hold copies
        // of its dead letters that were never committed.
        if (taken != null && run.equals(resume.deadLetterSources().getOrDefault(taken, resume.fromRun()))) {
          keep.computeIfAbsent(taken, k -> new ArrayList<>()).add((com.fasterxml.jackson.databind.node.ObjectNode) n);
        }
      }
    }
    dead.appendCopied(keep);
    dead.commit();
  }

  /**
   * Once a run has ended, the temporary outputs next to its target that no run can go on from go:
   * those of the other runs of this request (it holds the lock, and --resume goes on only from
   * its last run, now this one), and those of runs of other requests in this state folder that
   * are not their request's last run, or whose request's last run completed, when no run of
   * that request is alive. A file of a run this state folder has no record of is left alone (a
   * run of another state folder, or one that is just starting), as is the partial output of a
   * request's last unfinished run: that is what --resume goes on from.
   */
  private static void removeStalePartials(StateDir state, String key, Pipeline pipeline, String runId) {
    Optional<Path> mine = IoFactory.partialFile(pipeline.sink(), pipeline.baseDir(), runId);
    if (mine.isEmpty()) return;
    try {
      for (IoFactory.PartialFile p : IoFactory.partialFiles(mine.get())) {
        if (p.runId().equals(runId)) continue;
        if (stalePartial(state, key, p.runId())) java.nio.file.Files.deleteIfExists(p.path());
      }
    } catch (IOException | RuntimeException e) {
      // Leftover temporary files are untidy, not wrong; `wiz requests` lists them.
      Log.LOG.debug("cannot remove stale temporary outputs: {}", e.getMessage());
    }
  }

  /** Whether no run can go on from the partial output of the run (see {@link #removeStalePartials}). */
  private static boolean stalePartial(StateDir state, String key, String runId) throws IOException {
    Optional<RunRecord> run = state.readRunRecord(runId);
    // A run of this request (by its record, or by the attempt recorded when its process was found
    // dead: a run killed before it wrote its record): this run holds the lock and is the last.
    if (run.map(r -> key.equals(r.requestKey())).orElse(false)) return true;
    if (state.readRequest(key).flatMap(r -> r.attempt(runId)).isPresent()) return true;
    if (run.isEmpty() || run.get().requestKey() == null) return false;
    String other = run.get().requestKey();
    if (RequestLock.isHeld(state.requestLock(other))) return false;
    Optional<RequestRecord> request = state.readRequest(other);
    if (request.isEmpty() || request.get().attempt(runId).isEmpty()) return false;
    return !resumableRuns(state, request.get()).contains(runId);
  }

  /**
   * The runs of a request whose partial output --resume may go on from: its last run, when it did
   * not finish (or is recorded running: its process may have died), and, while a run has no record
   * (it was killed before it wrote one, and so before it wrote any output), the unfinished run
   * before it, whose partial output it may not have taken over yet.
   */
  public static java.util.Set<String> resumableRuns(StateDir state, RequestRecord request) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    List<RequestRecord.Attempt> attempts = request.attempts();
    for (int i = attempts.size() - 1; i >= 0; i--) {
      RequestRecord.Attempt a = attempts.get(i);
      boolean unfinished = List.of("failed", "crashed", "interrupted").contains(a.status())
          || (i == attempts.size() - 1 && a.status().equals("running"));
      if (!unfinished || !StateDir.safeId(a.runId())) break;
      out.add(a.runId());
      if (recordedRun(state, a.runId())) break;
    }
    return out;
  }

  private static final List<String> COMPLETED = List.of("success", "completed-with-errors");

  /**
   * The request's key: sha-256 over the canonical pipeline (after interpolation) and each input's
   * fingerprint (name, size and modification time, or, with {@code checksum}, its content). Standard
   * input has none that could tell two runs' data apart before reading it, so a run that reads it
   * is a request of its own (the run id stands in for the fingerprint): it is never refused as
   * already succeeded or failed by what other data did.
   */
  static String requestKey(Pipeline pipeline, List<InputFile> inputs, boolean checksum, String runId,
      Map<String, String> variables, List<ReferenceFile> references) throws IOException {
    MessageDigest md = Json.sha256();
    md.update(pipeline.canonicalBytes());
    // The variables processors read (a hash salt): another value is other work. None: as before.
    variables.forEach((name, digest) -> md.update(("\nvariable\0" + name + "\0" + digest).getBytes(StandardCharsets.UTF_8)));
    // The files processors read whole (a lookup table), by content: another table is other work.
    for (ReferenceFile r : references) {
      md.update(("\nreference\0" + r.processor() + "\0" + r.name() + "\0" + r.digest()).getBytes(StandardCharsets.UTF_8));
    }
    for (InputFile f : inputs) {
      if (f.path() == null) {
        md.update(("\n" + f.name() + "\0(standard input of run " + runId + ")").getBytes(StandardCharsets.UTF_8));
      } else if (checksum) {
        md.update(("\n" + f.name() + "\0" + f.path() + "\0" + contentDigest(pipeline.baseDir().getFileSystem().getPath(f.path())))
            .getBytes(StandardCharsets.UTF_8));
      } else {
        md.update(("\n" + f.name() + "\0" + f.path() + "\0" + f.size() + "\0" + f.modified()).getBytes(StandardCharsets.UTF_8));
      }
    }
    return Json.hex(md);
  }

  private static String contentDigest(Path file) throws IOException {
    MessageDigest md = Json.sha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = java.nio.file.Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }
    return Json.hex(md);
  }

  /** The files the steps read to prepare, as run.json lists them. */
  private static List<RunRecord.Reference> references(List<Step> steps) {
    List<RunRecord.Reference> out = new ArrayList<>();
    for (ReferenceFile r : Step.references(steps)) {
      out.add(new RunRecord.Reference(r.processor(), r.name(), r.path(), r.bytes(), r.digest(), r.records()));
    }
    return out;
  }

  /**
   * The names of interpolated variables and of those processors read ({@link
   * dev.wiz.processor.ProcessorFactory#variables}), with the digests of their values (never the values).
   */
  private Map<String, String> environmentDigests(Pipeline pipeline) {
    Map<String, String> out = new TreeMap<>();
    for (String name : pipeline.tree().interpolated()) out.put(name, variableDigest(name));
    out.putAll(variableDigests(pipeline));
    return out;
  }

  /** The variables the pipeline's processors read, with the digests of their values, by name. */
  private Map<String, String> variableDigests(Pipeline pipeline) {
    Map<String, String> out = new TreeMap<>();
    for (dev.wiz.pipeline.ProcessorSpec p : pipeline.processors()) {
      registry.find(p.type()).ifPresent(f -> f.variables(p.config()).forEach(name -> out.put(name, variableDigest(name))));
    }
    return out;
  }

  private String variableDigest(String name) {
    String v = env.apply(name);
    return v == null ? "unset" : Json.digest(v);
  }

  public static Map<String, String> versions() {
    Map<String, String> v = new TreeMap<>();
    v.put("wiz", version());
    String build = Build.ID;
    if (build != null) v.put("build", build);
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  /**
   * What tells this build of wiz from another with the same version (every build of a snapshot
   * has one): the size and modification time of wiz's jar, in hex ({@code c2da2-19ae6a5c3b8}).
   * Null when wiz does not run from a jar (from the classes of a build folder, in tests).
   */
  private static final class Build {
    static final String ID = compute();

    private static String compute() {
      try {
        java.security.CodeSource source = RunService.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        Path jar = Path.of(source.getLocation().toURI());
        // The jar's size and time, one look at the file system: reading its bytes or its
        // directory to digest them costs 5 to 15 ms at every run, before the JIT compiles it. So
        // a rebuild of the same code is another build too, which errs on the safe side.
        java.nio.file.attribute.BasicFileAttributes a =
            java.nio.file.Files.readAttributes(jar, java.nio.file.attribute.BasicFileAttributes.class);
        if (!a.isRegularFile()) return null; // a folder of classes
        return Long.toHexString(a.size()) + "-" + Long.toHexString(a.lastModifiedTime().toMillis());
      } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
        Log.LOG.debug("no build id: {}", e.toString());
        return null;
      }
    }
  }

  /** The wiz version from the jar manifest, or {@code dev} when run from classes. */
  public static String version() {
    String v = RunService.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}

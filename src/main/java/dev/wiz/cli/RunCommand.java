package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.engine.RunReport;
import dev.wiz.engine.RunService;
import dev.wiz.io.InputFile;
import dev.wiz.pipeline.InvalidPipelineException;
import dev.wiz.pipeline.LocatedTree;
import dev.wiz.pipeline.Pipeline;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz run}: validates, then runs a pipeline with a run record and provenance. */
final class RunCommand extends Subcommand implements Callable<Integer> {
  final Value<String> file = Value.of(String.class);
  final Value<Integer> workers = Value.of(Integer.class);
  final Value<String> stateDir = Value.of(String.class);
  final Value<Boolean> resume = Value.flag();
  final Value<Boolean> checksum = Value.flag();
  final Value<Boolean> force = Value.flag();
  final Value<Format> format = Value.of(Format.class);
  final Value<Boolean> dryRun = Value.flag();

  /**
   * {@code wiz run [--workers=N] [--state-dir=DIR] [--resume] [--checksum] [--force]
   * [--format=text|json] [--dry-run] PIPELINE}.
   */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "run");
    s.usageMessage()
        .header("Run a pipeline and record what happened to every chunk.")
        .description(
            "Run a pipeline: read the source, process every chunk, write the sink, and record",
            "what happened to every chunk under the state folder (.wiz next to the pipeline",
            "file). Results go to stdout only when the sink is stdout; the summary goes to",
            "stderr.");
    s.addPositional(file.parameter().paramLabel("PIPELINE").description("The pipeline file (YAML or JSON).").build());
    s.addOption(workers.option("--workers").paramLabel("N")
        .description("Workers at once (default: run.workers, else the number of cores).").build());
    s.addOption(stateDir.option("--state-dir").paramLabel("DIR")
        .description("Where run records and provenance go (default: .wiz next to the pipeline file).").build());
    s.addOption(resume.option("--resume")
        .description("Go on from the last failed, crashed or interrupted run of the same request: the chunks it committed are"
            + " taken over (REUSED in provenance), the rest is processed, and the output is the same bytes as an"
            + " uninterrupted run's.").build());
    s.addOption(checksum.option("--checksum")
        .description("Identify the request's inputs by a sha-256 of their content instead of their size and modification time"
            + " (slower: every input is read once more).").build());
    s.addOption(force.option("--force")
        .description("Run even when a request rule would refuse: the same request already succeeded, or failed"
            + " run.maxFailures times. The request record says the run was forced.").build());
    s.addOption(format.option("--format").paramLabel("text|json").defaultValue("text")
        .description("The closing summary as text (stderr) or json (stdout, or stderr when the sink is stdout); json gives"
            + " one object in every outcome, also when the run is refused, invalid or cannot start. Default: ${DEFAULT-VALUE}.")
        .build());
    s.addOption(dryRun.option("--dry-run")
        .description("Make every check a run makes before it starts (the pipeline as validate checks it, the source, the"
            + " request key, the request rules with --force and --resume, the output's folder), say what the run would do,"
            + " and stop: exit 0 when it would start, 3, 4 or 6 as the run would. Writes nothing: no run folder, lock,"
            + " record, temporary file or output. The plan goes to stderr, or as JSON to stdout.").build());
    return s;
  }

  /** Where the JSON of the outcome goes: stdout, or stderr when the sink is stdout (null until known). */
  private Boolean sinkIsStdout;

  @Override
  public Integer call() throws Exception {
    try {
      return execute();
    } catch (Exception e) {
      // A script that asked for JSON gets it whatever happened; the text goes to stderr as ever.
      if (format.value() == Format.json) notStarted(e);
      throw e;
    }
  }

  private int execute() throws Exception {
    Integer workers = this.workers.value();
    if (workers != null && (workers < 1 || workers > dev.wiz.pipeline.RunSettings.MAX_WORKERS)) {
      String message = "--workers must be from 1 to " + dev.wiz.pipeline.RunSettings.MAX_WORKERS + ", got " + workers;
      env().err().println("wiz: " + message);
      if (format.value() == Format.json) printOutcome(outcome("usage-error").put("error", message));
      return ExitCode.USAGE.code();
    }
    RunService service = service();
    Path pipelineFile = inputFile(file.value());
    LocatedTree tree;
    try {
      tree = service.check(pipelineFile, file.value(), stateDir.value() == null ? null : path(stateDir.value()));
    } catch (InvalidPipelineException e) {
      if (format.value() == Format.json) sinkIsStdout = service.sinkIsStdout(pipelineFile, file.value());
      throw e;
    }
    Pipeline pipeline = Pipeline.from(pipelineFile, tree);
    sinkIsStdout = "stdout".equals(pipeline.sink().path("type").asText());
    RunService.Options options = new RunService.Options(workers == null ? 0 : workers,
        stateDir.value() == null ? null : path(stateDir.value()), force.value(), resume.value(), checksum.value());
    if (dryRun.value()) return dryRun(service, pipeline, options);
    Progress progress = new Progress(env().err(), env().terminal() && !quiet());
    if (dev.wiz.provenance.ProvenanceLog.MEASURING_WITHOUT) {
      // Said even with -q: such a run has no provenance and cannot be resumed.
      env().err().println("wiz: measuring without provenance (wiz.measure.provenance=off): no digests, an empty "
          + "provenance log; this run cannot be shown, verified or resumed");
    }
    RunService.Result result;
    try {
      result = service.run(pipeline, options, env().cancelled()::get, env().stopNow()::get, progress);
    } catch (RunService.SetupException e) {
      return cannotStart(e);
    } catch (RunService.Refused e) {
      return refused(e);
    } catch (RunService.StateNotWritten e) {
      progress.clear();
      return stateNotWritten(e);
    } finally {
      progress.clear();
    }
    env().out().flush();
    report(result, sinkIsStdout);
    return exitCode(result.report());
  }

  /** A problem found before the run could start (a missing input, an output folder that cannot be written): exit 4. */
  private int cannotStart(RunService.SetupException e) throws IOException {
    env().err().println(e.diagnostic().format());
    if (format.value() == Format.json) {
      ObjectNode o = outcome("not-started").put("error", e.diagnostic().format());
      o.set("diagnostics", ValidateCommand.json(java.util.List.of(e.diagnostic())));
      printOutcome(o);
    }
    return ExitCode.RUN_FAILED.code();
  }

  /**
   * A run that could not write its state (a full disk): it failed (exit 4), with no summary, as
   * its counts were not recorded; JSON {@code {status: failed, error, runId}}.
   */
  private int stateNotWritten(RunService.StateNotWritten e) throws IOException {
    env().err().println("wiz: run failed: " + e.getMessage());
    if (format.value() == Format.json) printOutcome(outcome("failed").put("error", e.getMessage()).put("runId", e.runId()));
    return ExitCode.RUN_FAILED.code();
  }

  /** A request rule refused the run: exit 6, with the run it is about. */
  private int refused(RunService.Refused e) throws IOException {
    env().err().println("wiz: refused: " + e.getMessage());
    if (format.value() == Format.json) {
      printOutcome(outcome("refused").put("rule", e.rule().label()).put("error", e.getMessage())
          .put("requestKey", e.requestKey()).put("runId", e.runId()).put("output", e.output()));
    }
    return ExitCode.REFUSED.code();
  }

  @Override
  boolean stdoutIsTheSinks() {
    return !dryRun.value() && Boolean.TRUE.equals(sinkIsStdout);
  }

  /** The JSON of a command that ended with an exception before a run could start (its text is Cli's). */
  private void notStarted(Exception e) throws IOException {
    answerJson(JsonAnswers.of(e));
  }

  /** Where a run's outcome goes ({@link #printOutcome}), with {@code "dryRun": true} first under --dry-run. */
  @Override
  void answerJson(ObjectNode answer) throws IOException {
    ObjectNode o = outcome(answer.path("status").asText());
    o.setAll(answer);
    printOutcome(o);
  }

  /** The start of the JSON of an outcome other than a run's summary. */
  private ObjectNode outcome(String status) {
    ObjectNode o = Json.mapper().createObjectNode();
    if (dryRun.value()) o.put("dryRun", true);
    o.put("status", status);
    return o;
  }

  /**
   * One JSON document where the summary or the plan would go: a run's compact, on stdout or, when
   * the sink is stdout, on stderr; a dry run's indented, on stdout.
   */
  private void printOutcome(ObjectNode o) throws IOException {
    PrintWriter to = !dryRun.value() && Boolean.TRUE.equals(sinkIsStdout) ? env().err() : env().out();
    noteAnswered();
    to.println(dryRun.value() ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(o) : Json.mapper().writeValueAsString(o));
    to.flush();
  }

  /** {@code --dry-run}: the checks before a run, and what it would do. */
  private int dryRun(RunService service, Pipeline pipeline, RunService.Options options) throws IOException {
    RunService.Plan plan;
    try {
      plan = service.plan(pipeline, options);
    } catch (RunService.SetupException e) {
      return cannotStart(e);
    } catch (RunService.Refused e) {
      return refused(e);
    }
    java.util.List<String> warnings = new java.util.ArrayList<>();
    for (dev.wiz.processor.ReferenceFile r : plan.references()) {
      if (r.records() == 0) warnings.add(emptyTable(r.name(), r.processor(), true));
    }
    if (plan.stateSpace() != null) warnings.add(plan.stateSpace());
    warn(warnings);
    if (format.value() == Format.json) {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("dryRun", true);
      o.put("pipeline", pipeline.file().toAbsolutePath().toString());
      o.put("requestKey", plan.requestKey());
      ArrayNode inputs = o.putArray("inputs");
      for (InputFile f : plan.inputs()) {
        ObjectNode i = inputs.addObject();
        i.put("name", f.name());
        i.put("path", f.path());
        if (f.size() >= 0) i.put("size", f.size());
        else i.putNull("size");
      }
      if (!plan.references().isEmpty()) o.set("references", Json.mapper().valueToTree(plan.references()));
      o.put("output", plan.sinkTarget());
      o.put("format", plan.sinkFormat());
      if (plan.gzipLevel() > 0) o.put("compression", "gzip").put("level", plan.gzipLevel());
      o.put("workers", plan.workers());
      o.put("chunkRecords", plan.chunkRecords());
      o.put("stateDir", plan.stateDir().toString());
      o.put("forced", plan.forced());
      o.put("crashedRun", plan.crashed() == null ? null : plan.crashed().runId());
      if (plan.resume() == null) {
        o.putNull("resumeFrom");
      } else {
        o.putObject("resumeFrom").put("runId", plan.resume().fromRun()).put("chunks", plan.resume().chunksTakenOver())
            .put("tornBytes", plan.resume().tornBytesCut());
      }
      o.put("resume", plan.resumeNote());
      o.set("warnings", Json.mapper().valueToTree(warnings));
      printJson(o);
      return ExitCode.OK.code();
    }
    if (quiet()) return ExitCode.OK.code();
    PrintWriter err = env().err();
    err.println("wiz: dry run: the run would start" + (plan.forced() ? " (forced past a request rule)" : "")
        + "; nothing was written");
    err.println("  request:      " + (plan.requestKey() == null
        ? "a new one (a run that reads standard input is a request of its own)" : plan.requestKey()));
    for (InputFile f : plan.inputs()) {
      err.println("  input:        " + (f.path() == null ? f.name()
          : shown(env().cwd().getFileSystem().getPath(f.path())) + " (" + plural(f.size(), "byte") + ")"));
    }
    if (plan.inputs().isEmpty()) err.println("  input:        (no file matches)");
    for (dev.wiz.processor.ReferenceFile r : plan.references()) {
      err.println("  lookup:       " + r.name() + " of '" + r.processor() + "' (" + plural(r.records(), "record") + ", "
          + plural(r.bytes(), "byte") + ", " + r.digest() + ")");
    }
    err.println("  output:       " + ("stdout".equals(plan.sinkTarget()) ? "stdout"
        : shown(env().cwd().getFileSystem().getPath(plan.sinkTarget()))) + " (" + plan.sinkFormat()
        + (plan.gzipLevel() > 0 ? ", gzip level " + plan.gzipLevel() : "") + ")");
    err.println("  workers:      " + plan.workers() + ", chunks of " + plural(plan.chunkRecords(), "record"));
    if (plan.crashed() != null) {
      err.println("  crashed run:  " + plan.crashed().runId() + " (pid " + plan.crashed().pid()
          + ") ended without finishing; the run would record it as crashed");
    }
    if (plan.resumeNote() != null) {
      err.println("  resume:       " + (plan.resume() == null ? plan.resumeNote()
          : "from run " + plan.resume().fromRun() + ", " + plural(plan.resume().chunksTakenOver(), "chunk") + " already committed"
              + (plan.resume().tornBytesCut() > 0 ? " (a torn last line of its provenance log would be cut)" : "")));
    }
    err.println("  state:        " + shown(plan.stateDir()));
    return ExitCode.OK.code();
  }

  static int exitCode(RunReport r) {
    switch (r.status()) {
      case SUCCESS:
        return ExitCode.OK.code();
      case COMPLETED_WITH_ERRORS:
        return ExitCode.COMPLETED_WITH_ERRORS.code();
      case INTERRUPTED:
        return r.outputClosed() ? ExitCode.OUTPUT_CLOSED.code() : ExitCode.INTERRUPTED.code();
      case FAILED:
      default:
        return r.internal() ? ExitCode.INTERNAL_ERROR.code() : ExitCode.RUN_FAILED.code();
    }
  }

  /** The summary's {@code reading:} line of a run that stopped reading its input early. */
  static String readStopped(RunReport.ReadStop stop) {
    String why = "limit '" + stop.step() + "' passed its count";
    if (stop.origin() == null) return "none: " + why.replace("passed its count", "passes no record") + " (count 0)";
    return "stopped after " + stop.origin() + ":" + stop.line() + " (" + plural(stop.records(), "record") + "): " + why
        + "; the rest of the input was not read";
  }

  private void report(RunService.Result result, boolean sinkIsStdout) throws IOException {
    RunReport r = result.report();
    PrintWriter err = env().err();
    if (r.error() != null && r.status() == RunReport.Status.FAILED) {
      err.println("wiz: run failed: " + r.error());
    }
    java.util.List<String> warnings = new java.util.ArrayList<>();
    for (dev.wiz.state.RunRecord.Reference f : result.references()) {
      // Allowed (empty: allow), but a table without records is worth a look: nothing matched it.
      if (f.records() == 0) warnings.add(emptyTable(f.name(), f.processor(), false));
    }
    warn(warnings);
    if (format.value() == Format.json) {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("runId", result.runId());
      o.put("status", r.status().label());
      o.put("error", r.error());
      o.put("output", r.output());
      // Whether the output is in place: a failed or interrupted run leaves the target as it was.
      o.put("outputComplete", r.status() == RunReport.Status.SUCCESS || r.status() == RunReport.Status.COMPLETED_WITH_ERRORS);
      // What a run that did not finish wrote was thrown away, not kept for --resume: it may be wrong.
      o.put("outputDiscarded", result.outputDiscarded());
      // The temporary file that keeps what a run that did not finish committed, for --resume.
      o.put("partialOutput", result.partialOutput() == null ? null : result.partialOutput().toString());
      o.put("runRecord", result.runDir().resolve("run.json").toString());
      o.put("provenance", result.provenance().toString());
      o.put("deadLetters", result.deadLetters() == null ? null : result.deadLetters().toString());
      o.put("provenanceHead", r.provenanceHead());
      o.put("chunks", r.chunks());
      o.put("read", r.recordsRead());
      o.put("written", r.recordsWritten());
      o.put("decodeErrors", r.decodeErrors());
      o.put("skipped", r.skipped());
      o.put("deadLettered", r.deadLettered());
      o.put("sinkSkipped", r.sinkSkipped());
      o.put("sinkDeadLettered", r.sinkDeadLettered());
      o.put("firstSkip", r.firstSkip());
      o.put("filtered", r.filtered());
      o.put("created", r.created());
      // What a sort or an aggregate still held when the run stopped before its end (0 otherwise).
      o.put("held", r.held());
      o.set("processors", Json.mapper().valueToTree(r.processors()));
      o.put("millis", r.millis());
      o.put("reusedChunks", r.reusedChunks());
      o.put("resumed", result.resumeNote());
      o.set("readStopped", r.readStop() == null ? null : Json.mapper().valueToTree(r.readStop()));
      // The lookup tables read, with their records (0: every record missed: empty: allow).
      if (!result.references().isEmpty()) o.set("references", Json.mapper().valueToTree(result.references()));
      // What stderr said as "wiz: warning: ..." (also under -q), in its words.
      o.set("warnings", Json.mapper().valueToTree(warnings));
      String json = Json.mapper().writeValueAsString(o);
      noteAnswered();
      (sinkIsStdout ? err : env().out()).println(json);
      return;
    }
    if (quiet()) return;
    if (result.resumeNote() != null) err.println("wiz: " + result.resumeNote());
    err.printf(Locale.ROOT, "wiz: %s in %.2f s: %s, %s read, %d written%s%s%n",
        r.status().label(), r.millis() / 1000.0, plural(r.chunks(), "chunk"), plural(r.recordsRead(), "record"),
        r.recordsWritten(), r.skipped() > 0 ? ", " + r.skipped() + " skipped" : "",
        r.deadLettered() > 0 ? ", " + r.deadLettered() + " dead-lettered" : "");
    boolean completed = r.status() == RunReport.Status.SUCCESS || r.status() == RunReport.Status.COMPLETED_WITH_ERRORS;
    for (RunReport.StepCounts c : r.processors()) {
      err.printf(Locale.ROOT, "  %-13s %s%s%s%s%n", c.id() + ":", stepWords(c, completed),
          c.skipped() > 0 ? ", " + c.skipped() + " skipped" : "",
          c.deadLettered() > 0 ? ", " + c.deadLettered() + " dead-lettered" : "",
          c.held() > 0 ? ", " + c.held() + " held when the run stopped" : "");
    }
    if (r.sinkSkipped() + r.sinkDeadLettered() > 0) {
      // Records the sink could not write: counted in the totals, but no processor's.
      err.printf(Locale.ROOT, "  %-13s %s%s%s (records it could not write)%n", "sink:",
          r.sinkSkipped() > 0 ? r.sinkSkipped() + " skipped" : "",
          r.sinkSkipped() > 0 && r.sinkDeadLettered() > 0 ? ", " : "",
          r.sinkDeadLettered() > 0 ? r.sinkDeadLettered() + " dead-lettered" : "");
    }
    if (r.firstSkip() != null) {
      // Skipped records leave no dead letter: without this, only the provenance log says why.
      err.println("  first skip:   " + r.firstSkip());
    }
    String read = r.recordsRead() + " read" + (r.decodeErrors() > 0 ? " + " + r.decodeErrors() + " undecodable" : "")
        + (r.created() > 0 ? " + " + r.created() + " created" : "");
    StringBuilder held = new StringBuilder();
    for (RunReport.StepCounts c : r.processors()) {
      if (c.held() > 0) held.append(" + ").append(c.held()).append(" held by ").append(c.type()).append(" '").append(c.id()).append("'");
    }
    String went = r.recordsWritten() + " written + " + r.filtered() + " filtered" + held + " + " + r.skipped()
        + " skipped + " + r.deadLettered() + " dead-lettered";
    if (completed || r.recordsRead() + r.decodeErrors() + r.created()
        == r.recordsWritten() + r.filtered() + r.held() + r.skipped() + r.deadLettered()) {
      err.println("  records:      " + read + " = " + went);
    } else {
      // Chunks in flight when the run stopped were read but never finished: they are in no count.
      err.println("  records:      " + read + "; " + went + " before the run stopped (the rest were in chunks it did not finish)");
    }
    if (r.reusedChunks() > 0) {
      err.println("  reused:       " + plural(r.reusedChunks(), "chunk") + " committed by an earlier run");
    }
    if (r.readStop() != null) {
      err.println("  reading:      " + readStopped(r.readStop()));
    }
    String output = "stdout".equals(r.output()) ? "stdout" : shown(env().cwd().getFileSystem().getPath(r.output()));
    if (completed) {
      err.println("  output:       " + output);
    } else if ("stdout".equals(r.output())) {
      err.println("  output:       stdout, " + plural(r.recordsWritten(), "record") + " before the run stopped"
          + (r.outputClosed() ? " (its reader closed it)" : ""));
    } else if (result.outputDiscarded() && r.recordsWritten() > 0) {
      err.println("  output:       (none written: " + output + " left as it was; the " + plural(r.recordsWritten(), "record")
          + " written before the run stopped " + (r.recordsWritten() == 1 ? "was" : "were")
          + " thrown away, as they may be wrong)");
    } else {
      // The temporary file kept for --resume: on a full disk, the one the error line names.
      err.println("  output:       (none written: " + output + " left as it was"
          + (result.partialOutput() == null ? "" : "; what the run committed is kept in " + shown(result.partialOutput())
              + " for --resume") + ")");
    }
    err.println("  run record:   " + shown(result.runDir().resolve("run.json")));
    err.println("  provenance:   " + shown(result.provenance()));
    if (result.deadLetters() != null) {
      err.println("  dead letters: " + shown(result.deadLetters()));
    }
    err.println("  head hash:    " + r.provenanceHead());
    Path state = result.runDir().getParent().getParent();
    boolean found = StateDir.findFrom(env().cwd()).map(d -> d.root().equals(state)).orElse(false);
    err.println("  chunks:       wiz provenance list" + (found ? "" : " --state-dir " + dev.wiz.Shell.quote(shown(state))));
  }

  /**
   * The warning of a lookup table without records that {@code empty: allow} let through: the run
   * goes on, but nothing can match it, which a script should learn even under {@code -q}.
   */
  static String emptyTable(String name, String processor, boolean dryRun) {
    return "lookup file " + name + " of '" + processor + "' has no records (empty: allow): no record "
        + (dryRun ? "would match" : "matched");
  }

  /** Warnings go to stderr whatever {@code -q} and {@code --format} say: {@code wiz: warning: ...}. */
  private void warn(java.util.List<String> warnings) {
    for (String w : warnings) env().err().println("wiz: warning: " + w);
  }

  private static String plural(long n, String noun) {
    return dev.wiz.provenance.ProvenanceReader.plural(n, noun);
  }

  /** A path relative to the current folder when it is below it, else absolute. */
  private String shown(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path cwd = env().cwd().toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  /**
   * A one-line progress display on a terminal, and what a signal makes the run do; nothing
   * otherwise. Told from the sink thread and from the run's own thread.
   */
  static final class Progress implements dev.wiz.engine.Engine.Progress {
    private final PrintWriter err;
    private final boolean on;
    private long last;

    Progress(PrintWriter err, boolean on) {
      this.err = err;
      this.on = on;
    }

    @Override
    public synchronized void committed(long chunks, long read, long written) {
      if (!on) return;
      long now = System.nanoTime();
      if (now - last < 200_000_000L) return;
      last = now;
      err.print("\rwiz: " + chunks + " chunks, " + read + " records read, " + written + " written");
      err.flush();
    }

    @Override
    public void interrupting(int chunksInFlight) {
      say("wiz: interrupting" + (chunksInFlight == 0 ? "" : ": waiting for " + inFlight(chunksInFlight))
          + " (Ctrl-C again to stop at once)");
    }

    @Override
    public void stoppingAtOnce(int chunksInFlight) {
      say("wiz: stopping at once" + (chunksInFlight == 0 ? ""
          : ": " + inFlight(chunksInFlight) + (chunksInFlight == 1 ? " is" : " are") + " left for --resume"));
    }

    private static String inFlight(int n) {
      return plural(n, "chunk") + " in flight";
    }

    /** A line of its own: the progress line is cleared first, and the next one starts below it. */
    private synchronized void say(String line) {
      if (!on) return;
      err.print("\r\033[K" + line + "\n");
      err.flush();
      last = 0;
    }

    synchronized void clear() {
      if (on && last != 0) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }

  /**
   * What a processor did, in its own terms: records in and out, then what it filtered and created
   * (counted per record). A sort that reached its end of input sorted what it took in; an
   * aggregate's records out are groups, and what it filtered are the records folded into them.
   */
  static String stepWords(RunReport.StepCounts c, boolean completed) {
    String filtered = c.filtered() > 0 ? ", " + c.filtered() + " filtered" : "";
    String created = c.created() > 0 ? ", " + c.created() + " created" : "";
    if (completed && c.held() == 0 && "sort".equals(c.type()) && c.filtered() == 0 && c.created() == 0) {
      return c.in() + " in, " + c.out() + " out, sorted";
    }
    if (completed && c.held() == 0 && "aggregate".equals(c.type())) {
      return c.in() + " in, " + plural(c.out(), "group") + " out"
          + (c.filtered() > 0 ? filtered + " (folded into the groups)" : "")
          + (c.created() > 0 ? created + " (a group of no records)" : "");
    }
    return c.in() + " in, " + c.out() + " out" + filtered + created;
  }
}

package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.state.RequestLock;
import dev.wiz.state.RequestRecord;
import dev.wiz.state.RunRecord;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz requests}: every request (a pipeline on given inputs) with its status and attempts. */
final class RequestsCommand extends Subcommand implements Callable<Integer> {
  final Value<String> stateDir = Value.of(String.class);
  final FormatOption format = new FormatOption();

  /** {@code wiz requests [--state-dir=DIR] [--format=text|json]}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "requests");
    s.usageMessage()
        .header("List the requests of a state folder with their status and runs.")
        .description(
            "List the requests of a state folder: a request is a pipeline (after",
            "interpolation) on given inputs; the request rules (never twice at once, never",
            "again after success, at most run.maxFailures failures) act on it. Also lists the",
            "partial outputs (.<name>.<run-id>.tmp) of runs that did not finish, and whether",
            "--resume still goes on from them.");
    s.addOption(stateDir.option("--state-dir").paramLabel("DIR")
        .description("The state folder (default: .wiz in this folder or its nearest parent).").build());
    s.addOption(format.option());
    return s;
  }

  @Override
  public Integer call() throws IOException {
    String stateDir = this.stateDir.value();
    Optional<StateDir> state;
    if (stateDir != null) {
      Path p = path(stateDir);
      if (!Files.isDirectory(p)) {
        String message = Files.exists(p) ? p + " is a file, not a state folder: name the folder with --state-dir"
            : "no state folder at " + p;
        env().err().println("wiz: " + message);
        // A script that asked for JSON reads an answer, as provenance list answers a missing state folder.
        if (format.json()) printJson(Json.mapper().createObjectNode().put("stateDir", stateDir).put("error", message));
        return ExitCode.INVALID.code();
      }
      state = Optional.of(new StateDir(p));
    } else {
      state = StateDir.findFrom(env().cwd());
    }
    List<RequestRecord> requests = new java.util.ArrayList<>();
    List<dev.wiz.state.BrokenStateException> broken = new java.util.ArrayList<>();
    for (RequestRecord r : state.isPresent() ? state.get().requests(broken) : List.<RequestRecord>of()) {
      // A run killed with SIGKILL never wrote its end: its lock, which the OS dropped, tells.
      RequestRecord.Attempt last = r.attempts().isEmpty() ? null : r.attempts().get(r.attempts().size() - 1);
      if (last != null && last.status().equals("running") && !RequestLock.isHeld(state.get().requestLock(r.key()))) {
        r = r.with(last.ended("crashed", null, "its process is gone without finishing the run (the next run records it)"));
      }
      requests.add(r);
    }
    // A run record that cannot be read hides whether its run left a partial output: named too.
    List<dev.wiz.state.BrokenStateException> brokenRuns = new java.util.ArrayList<>();
    List<Partial> partials = state.isPresent() ? partials(state.get(), requests, brokenRuns) : List.of();
    if (format.json()) {
      ArrayNode arr = Json.mapper().createArrayNode();
      for (RequestRecord r : requests) {
        ObjectNode o = arr.addObject();
        o.put("key", r.key());
        o.put("pipeline", r.pipeline());
        o.put("status", r.status());
        o.put("attempts", r.attempts().size());
        o.put("failures", r.failures());
        RequestRecord.Attempt last = r.attempts().isEmpty() ? null : r.attempts().get(r.attempts().size() - 1);
        o.put("lastRun", last == null ? null : last.runId());
        o.put("lastStarted", last == null ? null : last.startedAt());
        o.set("runs", Json.mapper().valueToTree(r.attempts()));
        o.put("superseded", superseded(r, requests));
        ArrayNode ps = o.putArray("partialOutputs");
        for (Partial p : partials) {
          if (!p.key().equals(r.key())) continue;
          ps.addObject().put("runId", p.runId()).put("path", p.path().toString()).put("bytes", p.bytes())
              .put("resumable", p.resumable()).put("live", p.live());
        }
      }
      for (dev.wiz.state.BrokenStateException b : broken) {
        // Listed too, so a script reading only stdout does not take it for "no requests".
        ObjectNode o = arr.addObject();
        o.put("key", "sha256:" + b.file().getParent().getFileName());
        o.put("status", "unreadable");
        o.put("error", b.getMessage());
      }
      printJson(arr);
      return reportBroken(broken, brokenRuns);
    }
    if (requests.isEmpty()) {
      if (!quiet() && broken.isEmpty()) {
        env().err().println("wiz: no requests" + state.map(s -> " in " + s.root()).orElse(": no .wiz folder here or above"));
      }
      return reportBroken(broken, brokenRuns);
    }
    env().out().printf(Locale.ROOT, "%-14s %-22s %-8s %-36s %s%n", "REQUEST", "STATUS", "ATTEMPTS", "LAST RUN", "PIPELINE");
    for (RequestRecord r : requests) {
      RequestRecord.Attempt last = r.attempts().isEmpty() ? null : r.attempts().get(r.attempts().size() - 1);
      String key = r.key().startsWith("sha256:") ? r.key().substring(7, 19) : r.key();
      env().out().printf(Locale.ROOT, "%-14s %-22s %-8d %-36s %s%n", key, r.status(), r.attempts().size(),
          last == null ? "-" : last.runId(), r.pipeline() == null ? "-" : r.pipeline());
    }
    if (!partials.isEmpty()) {
      env().out().println();
      env().out().println("Partial outputs (temporary files of runs that did not finish):");
      for (Partial p : partials) {
        RequestRecord r = requests.stream().filter(q -> q.key().equals(p.key())).findFirst().orElseThrow();
        String why = p.live() ? "being written by run " + p.runId() + ", which is still running: leave it (the run"
                + " moves it into place or keeps it for --resume when it ends)"
            : !p.resumable() ? "no run can go on from it" + (p.fromStdin() ? " (its run read standard input)" : "") + ": rm it"
            : superseded(r, requests) ? "kept for --resume, but a later request of this pipeline file superseded"
                + " it: rm it unless you will resume"
            : "kept for --resume: rm it if you will not resume";
        env().out().printf(Locale.ROOT, "%-14s %s (%s): %s%n", shortKey(p.key()), p.path(),
            dev.wiz.provenance.ProvenanceReader.plural(p.bytes(), "byte"), why);
      }
    }
    return reportBroken(broken, brokenRuns);
  }

  private static String shortKey(String key) {
    return key.startsWith("sha256:") ? key.substring(7, 19) : key;
  }

  /**
   * A run's temporary output that is still on disk. {@code live}: its run is still running (its
   * process holds the request's lock) and writes it, so it is not to be removed, nor resumed yet.
   */
  private record Partial(String key, String runId, Path path, long bytes, boolean resumable, boolean fromStdin,
      boolean live) {}

  /**
   * The temporary outputs of the requests' runs that are still there, by request and run.
   * Resumable: the request's last run, which did not finish (what --resume goes on from), or
   * the one before it when that run was killed before it wrote its record.
   */
  private static List<Partial> partials(StateDir state, List<RequestRecord> requests,
      List<dev.wiz.state.BrokenStateException> broken) throws IOException {
    List<Partial> out = new java.util.ArrayList<>();
    for (RequestRecord r : requests) {
      java.util.Set<String> goesOnFrom = dev.wiz.engine.RunService.resumableRuns(state, r);
      for (int i = 0; i < r.attempts().size(); i++) {
        RequestRecord.Attempt a = r.attempts().get(i);
        if (!StateDir.safeId(a.runId())) continue;
        Optional<RunRecord> run;
        try {
          run = state.readRunRecord(a.runId());
        } catch (dev.wiz.state.BrokenStateException unreadable) {
          broken.add(unreadable);
          continue;
        }
        Optional<Path> partial = run.flatMap(x -> partialOf(x, state.root().getFileSystem()));
        if (partial.isEmpty() || !Files.isRegularFile(partial.get())) continue;
        // A run that read standard input cannot be resumed: what it read is gone.
        boolean fromStdin = run.get().inputs().stream().anyMatch(in -> in.path() == null);
        boolean last = i == r.attempts().size() - 1;
        // The caller marked a last run whose process is gone crashed: one still running is alive.
        boolean live = last && a.status().equals("running");
        // (Or an earlier one, when the runs after it were killed before they wrote their record.)
        boolean resumable = !live && goesOnFrom.contains(a.runId()) && !fromStdin;
        out.add(new Partial(r.key(), a.runId(), partial.get(), Files.size(partial.get()), resumable, fromStdin, live));
      }
    }
    return out;
  }

  /** Where a run wrote before its output was complete: as its record says, or next to its output. */
  private static Optional<Path> partialOf(RunRecord run, java.nio.file.FileSystem fs) {
    if (run.partialOutput() != null) return Optional.of(fs.getPath(run.partialOutput()));
    if (run.output() == null || run.output().target() == null || "stdout".equals(run.output().target())) {
      return Optional.empty();
    }
    Path target = fs.getPath(run.output().target());
    return Optional.of(target.resolveSibling("." + target.getFileName() + "." + run.runId() + ".tmp"));
  }

  /** Whether a later request of the same pipeline file (by its last run's start) exists. */
  private static boolean superseded(RequestRecord r, List<RequestRecord> all) {
    String started = lastStarted(r);
    if (r.pipeline() == null || started == null) return false;
    for (RequestRecord o : all) {
      String other = lastStarted(o);
      if (o != r && r.pipeline().equals(o.pipeline()) && other != null && other.compareTo(started) > 0) return true;
    }
    return false;
  }

  private static String lastStarted(RequestRecord r) {
    return r.attempts().isEmpty() ? null : r.attempts().get(r.attempts().size() - 1).startedAt();
  }

  /** Names every request record and run record that could not be read; exit 3 when there is one. */
  private int reportBroken(List<dev.wiz.state.BrokenStateException> broken, List<dev.wiz.state.BrokenStateException> runs) {
    for (dev.wiz.state.BrokenStateException b : broken) env().err().println("wiz: " + b.getMessage());
    for (dev.wiz.state.BrokenStateException b : runs) env().err().println("wiz: " + b.getMessage());
    return broken.isEmpty() && runs.isEmpty() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }
}

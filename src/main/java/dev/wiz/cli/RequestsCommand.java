package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.state.RequestLock;
import dev.wiz.state.RequestRecord;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wiz requests}: every request (a pipeline on given inputs) with its status and attempts. */
@Command(name = "requests", mixinStandardHelpOptions = true,
    header = "List the requests of a state folder with their status and runs.",
    description = {
      "List the requests of a state folder: a request is a pipeline (after interpolation) on given",
      "inputs; the request rules (never twice at once, never again after success, at most",
      "run.maxFailures failures) act on it."
    })
final class RequestsCommand extends Subcommand implements Callable<Integer> {
  @Option(names = "--state-dir", paramLabel = "DIR", description = "The state folder (default: .wiz in this folder or its nearest parent).")
  String stateDir;

  @Mixin FormatOption format;

  @Override
  public Integer call() throws IOException {
    Optional<StateDir> state;
    if (stateDir != null) {
      Path p = path(stateDir);
      if (!Files.isDirectory(p)) {
        env().err().println("wiz: no state folder at " + p);
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
      }
      for (dev.wiz.state.BrokenStateException b : broken) {
        // Listed too, so a script reading only stdout does not take it for "no requests".
        ObjectNode o = arr.addObject();
        o.put("key", "sha256:" + b.file().getParent().getFileName());
        o.put("status", "unreadable");
        o.put("error", b.getMessage());
      }
      printJson(arr);
      return reportBroken(broken);
    }
    if (requests.isEmpty()) {
      if (!quiet() && broken.isEmpty()) {
        env().err().println("wiz: no requests" + state.map(s -> " in " + s.root()).orElse(": no .wiz folder here or above"));
      }
      return reportBroken(broken);
    }
    env().out().printf(Locale.ROOT, "%-14s %-22s %-8s %-36s %s%n", "REQUEST", "STATUS", "ATTEMPTS", "LAST RUN", "PIPELINE");
    for (RequestRecord r : requests) {
      RequestRecord.Attempt last = r.attempts().isEmpty() ? null : r.attempts().get(r.attempts().size() - 1);
      String key = r.key().startsWith("sha256:") ? r.key().substring(7, 19) : r.key();
      env().out().printf(Locale.ROOT, "%-14s %-22s %-8d %-36s %s%n", key, r.status(), r.attempts().size(),
          last == null ? "-" : last.runId(), r.pipeline());
    }
    return reportBroken(broken);
  }

  /** Names every request record that could not be read; exit 3 when there is one. */
  private int reportBroken(List<dev.wiz.state.BrokenStateException> broken) {
    for (dev.wiz.state.BrokenStateException b : broken) env().err().println("wiz: " + b.getMessage());
    return broken.isEmpty() ? ExitCode.OK.code() : ExitCode.INVALID.code();
  }
}

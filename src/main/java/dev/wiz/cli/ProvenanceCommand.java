package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.ProvenanceReader;
import dev.wiz.state.RunRecord;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wiz provenance}: what happened to a chunk, the chunk ids of a run, the hash chain. */
@Command(name = "provenance", mixinStandardHelpOptions = true,
    description = "Query the provenance log of a run.",
    subcommands = {ProvenanceCommand.Show.class, ProvenanceCommand.ListChunks.class, ProvenanceCommand.Verify.class})
final class ProvenanceCommand extends Subcommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: show CHUNK-ID, list or verify");
  }

  /** Options shared by the subcommands. */
  abstract static class Query extends Subcommand {
    @Option(names = "--run", paramLabel = "RUN-ID", description = "The run (default: the latest run that has the chunk, or the latest run).")
    String run;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The state folder (default: .wiz in this folder or its nearest parent).")
    String stateDir;

    /** The state folder, or an error message and exit 3. */
    StateDir state() throws Refusal {
      if (stateDir != null) {
        Path p = path(stateDir);
        if (!Files.isDirectory(p)) throw new Refusal("no state folder at " + p);
        return new StateDir(p);
      }
      return StateDir.findFrom(env().cwd()).orElseThrow(() -> new Refusal(
          "no .wiz folder in " + env().cwd() + " or its parents: run a pipeline first, or pass --state-dir"));
    }

    /** The run named by --run, or the latest. */
    RunRecord runRecord(StateDir state) throws IOException, Refusal {
      if (run != null) {
        return state.readRunRecord(run).orElseThrow(() -> new Refusal(
            "unknown run id '" + run + "': 'ls " + state.root().resolve("runs") + "' lists the runs"));
      }
      List<RunRecord> runs = state.runs();
      if (runs.isEmpty()) throw new Refusal("no runs in " + state.root());
      return runs.get(runs.size() - 1);
    }
  }

  /** A lookup that found nothing: exit 3 with the message. */
  static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  static int refused(PrintWriter err, Refusal r) {
    err.println("wiz: " + r.getMessage());
    return ExitCode.INVALID.code();
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print where a chunk came from, every step with its state changes, timings, counts and digests, and where it went.")
  static final class Show extends Query implements Callable<Integer> {
    @Parameters(paramLabel = "CHUNK-ID")
    String chunk;

    @picocli.CommandLine.Mixin FormatOption format;

    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        String runId = run;
        if (runId == null) {
          runId = state.runOfChunk(chunk).orElse(null);
        }
        if (runId == null) {
          runId = scanForChunk(state);
        }
        if (runId == null) {
          throw new Refusal("unknown chunk id '" + chunk + "': 'wiz provenance list' lists the chunk ids of the latest run");
        }
        String id = runId;
        RunRecord record = state.readRunRecord(id).orElseThrow(() -> new Refusal("unknown run id '" + id + "'"));
        List<Event> events = ProvenanceReader.read(state.provenance(id), e -> chunk.equals(e.chunk()));
        if (events.isEmpty()) {
          throw new Refusal("unknown chunk id '" + chunk + "' in run " + id
              + ": 'wiz provenance list --run " + id + "' lists its chunk ids");
        }
        if (format.json()) {
          ObjectNode o = Json.mapper().createObjectNode();
          o.put("chunk", chunk);
          o.put("run", id);
          o.put("pipeline", record.pipeline().name());
          o.set("events", Json.mapper().valueToTree(events));
          printJson(o);
        } else {
          printText(env().out(), record, events);
        }
        return ExitCode.OK.code();
      } catch (Refusal r) {
        return refused(env().err(), r);
      }
    }

    private String scanForChunk(StateDir state) throws IOException {
      List<RunRecord> runs = state.runs();
      for (int i = runs.size() - 1; i >= 0; i--) {
        String id = runs.get(i).runId();
        Path log = state.provenance(id);
        if (Files.exists(log) && !ProvenanceReader.read(log, e -> chunk.equals(e.chunk())).isEmpty()) return id;
      }
      return null;
    }

    private void printText(PrintWriter out, RunRecord record, List<Event> events) {
      out.println("chunk " + chunk);
      out.println("  run       " + record.runId() + " (" + record.pipeline().name() + ", " + record.status() + ", started " + record.startedAt() + ")");
      Map<String, List<Event>> states = new LinkedHashMap<>();
      for (Event e : events) {
        if (e.type() == EventType.STATE) {
          states.computeIfAbsent(e.processor().id(), k -> new ArrayList<>()).add(e);
        }
      }
      int step = 0;
      for (Event e : events) {
        switch (e.type()) {
          case CREATE:
            out.printf(Locale.ROOT, "  from      %s lines %d-%d: %d records (%s)%n", e.source().file(),
                e.source().firstLine(), e.source().lastLine(), nz(e.recordsOut()), e.inputDigest());
            break;
          case JOIN:
            out.printf(Locale.ROOT, "  from      end of input of '%s': %d records%n", e.processor().id(), nz(e.recordsOut()));
            break;
          case FORK:
            if (e.parents() != null && !e.parents().isEmpty()) {
              out.printf(Locale.ROOT, "  from      chunk %s, forked by '%s': %d records (%s)%n", String.join(", ", e.parents()),
                  e.processor().id(), nz(e.recordsOut()), e.outputDigest());
            } else {
              out.printf(Locale.ROOT, "  fork      at '%s': %d records into %s%n", e.processor().id(), nz(e.recordsIn()),
                  String.join(", ", e.children() == null ? List.of() : e.children()));
            }
            break;
          case FILTERED:
          case CONTENT_MODIFIED:
            step++;
            Event.ProcessorRef p = e.processor();
            out.printf(Locale.ROOT, "  step %-4s %s (%s v%s, config %s)%n", step + ".", p.id(), p.type(), p.version(), shortDigest(p.configDigest()));
            out.println("            states  " + path(states.getOrDefault(p.id(), List.of())));
            out.printf(Locale.ROOT, "            records %d in, %d out (%s) in %.3f ms%n", nz(e.recordsIn()), nz(e.recordsOut()),
                e.type().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.durationMicros() / 1000.0);
            out.println("            seed    " + e.seed());
            out.println("            in      " + e.inputDigest());
            out.println("            out     " + e.outputDigest());
            break;
          case DROP:
          case DEAD_LETTER:
            out.printf(Locale.ROOT, "  %-9s %d records%s: %s%n", e.type() == EventType.DROP ? "skipped" : "dead",
                nz(e.recordsIn()), e.processor() == null ? " (source)" : " at '" + e.processor().id() + "'", e.error());
            break;
          case SEND:
            out.printf(Locale.ROOT, "  to        %s at byte %d: %d bytes, %d records (%s)%n", e.sink().target(),
                e.sink().offset(), e.sink().bytes(), nz(e.recordsOut()), e.outputDigest());
            break;
          default:
            break;
        }
      }
      if (events.stream().noneMatch(e -> e.type() == EventType.SEND || (e.type() == EventType.FORK && e.children() != null))) {
        out.println("  to        nowhere: the chunk was not committed (the run " + record.status() + ")");
      }
    }

    private static String path(List<Event> states) {
      if (states.isEmpty()) return "(not recorded)";
      StringBuilder sb = new StringBuilder(states.get(0).state().from());
      for (Event e : states) {
        sb.append(" -").append(e.state().event()).append("-> ").append(e.state().to());
      }
      return sb.toString();
    }

    private static int nz(Integer i) {
      return i == null ? 0 : i;
    }

    private static String shortDigest(String d) {
      return d == null ? "-" : d.substring(0, Math.min(d.length(), "sha256:".length() + 12));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the chunk ids of a run (the latest by default).")
  static final class ListChunks extends Query implements Callable<Integer> {
    @picocli.CommandLine.Mixin FormatOption format;

    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        RunRecord record = runRecord(state);
        List<Event> created = ProvenanceReader.read(state.provenance(record.runId()),
            e -> e.type() == EventType.CREATE || e.type() == EventType.JOIN || e.type() == EventType.SEND
                || e.type() == EventType.FORK);
        Map<String, ObjectNode> chunks = new LinkedHashMap<>();
        for (Event e : created) {
          ObjectNode o = chunks.computeIfAbsent(e.chunk(), k -> {
            ObjectNode n = Json.mapper().createObjectNode();
            n.put("chunk", k);
            return n;
          });
          if (e.type() == EventType.CREATE) {
            o.put("file", e.source().file());
            o.put("firstLine", e.source().firstLine());
            o.put("lastLine", e.source().lastLine());
            o.put("recordsIn", e.recordsOut());
          } else if (e.type() == EventType.SEND) {
            o.put("recordsOut", e.recordsOut());
          } else if (e.type() == EventType.JOIN) {
            o.put("joinedBy", e.processor().id());
            o.put("recordsIn", e.recordsOut());
          } else if (e.type() == EventType.FORK && e.parents() != null) {
            o.put("parent", String.join(",", e.parents()));
            o.put("recordsIn", e.recordsOut());
          } else if (e.type() == EventType.FORK) {
            o.put("recordsOut", e.recordsOut());
            o.put("forked", true);
          }
        }
        if (format.json()) {
          ArrayNode arr = Json.mapper().createArrayNode();
          chunks.values().forEach(arr::add);
          printJson(arr);
        } else {
          for (ObjectNode o : chunks.values()) {
            String from = o.has("file")
                ? o.path("file").asText() + ":" + o.path("firstLine").asLong() + "-" + o.path("lastLine").asLong()
                : o.has("parent") ? "forked from " + o.path("parent").asText()
                : o.has("joinedBy") ? "end of input of '" + o.path("joinedBy").asText() + "'" : "-";
            String to = !o.has("recordsOut") ? "not committed"
                : o.path("recordsIn").asLong() + " -> " + o.path("recordsOut").asLong() + " records"
                    + (o.path("forked").asBoolean() ? " (forked)" : "");
            env().out().println(o.path("chunk").asText() + "\t" + from + "\t" + to);
          }
          if (!quiet()) {
            env().err().println(chunks.size() + " chunks in run " + record.runId() + " (" + record.status() + ")");
          }
        }
        return ExitCode.OK.code();
      } catch (Refusal r) {
        return refused(env().err(), r);
      }
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the hash chain of a run's provenance log (the latest by default): exit 0 when intact, 3 naming the first bad line.")
  static final class Verify extends Query implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        RunRecord record = runRecord(state);
        Path log = state.provenance(record.runId());
        Optional<ProvenanceReader.BadLine> bad = ProvenanceReader.verify(log);
        if (bad.isPresent()) {
          env().err().println(log + ":" + bad.get().line() + ": " + bad.get().message());
          return ExitCode.INVALID.code();
        }
        long lines;
        try (var s = Files.lines(log)) {
          lines = s.count();
        }
        String head = record.provenance() == null ? null : record.provenance().head();
        if (head != null && lines > 0 && !Objects.equals(head, lastHash(log))) {
          env().err().println(log + ": the last event's hash is not the head recorded in run.json (" + head + "): events were cut off the end");
          return ExitCode.INVALID.code();
        }
        env().out().println("intact: " + lines + " events, head " + lastHash(log));
        return ExitCode.OK.code();
      } catch (Refusal r) {
        return refused(env().err(), r);
      }
    }

    private static String lastHash(Path log) throws IOException {
      List<Event> all = ProvenanceReader.read(log, e -> true);
      return all.isEmpty() ? null : all.get(all.size() - 1).hash();
    }
  }
}

package dev.wiz.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.provenance.ChunkGraph;
import dev.wiz.provenance.DeadLetterCheck;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.JoinInputs;
import dev.wiz.provenance.OpenLineageExport;
import dev.wiz.provenance.ProvJsonExport;
import dev.wiz.provenance.ProvenanceReader;
import dev.wiz.provenance.ReusedFrom;
import dev.wiz.provenance.RunInfo;
import dev.wiz.state.BrokenStateException;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code wiz provenance}: what happened to a chunk, the chunk ids of a run, the hash chain. */
final class ProvenanceCommand extends Subcommand implements Runnable {
  private CommandSpec spec;

  /** {@code wiz provenance show|list|verify|export}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "provenance");
    s.usageMessage().description("Query the provenance log of a run.");
    s.addSubcommand("show", subcommand(new Show(), factory));
    s.addSubcommand("list", subcommand(new ListChunks(), factory));
    s.addSubcommand("verify", subcommand(new Verify(), factory));
    s.addSubcommand("export", subcommand(new Export(), factory));
    this.spec = s;
    return s;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: show CHUNK-ID, list, verify or export");
  }

  /** Options shared by the subcommands. */
  abstract static class Query extends Subcommand {
    /** The run given with --run, or null; each subcommand declares the option ({@link #runOption}), as their defaults differ. */
    final Value<String> run = Value.of(String.class);

    /** What --run defaults to in the commands that take no chunk. */
    static final String LATEST_RUN = "The run (default: the latest run).";

    final Value<String> stateDir = Value.of(String.class);

    /** A subcommand of provenance with the options they share: {@code --state-dir=DIR}. */
    CommandSpec query(CommandLine.IFactory factory, String name, String description) {
      CommandSpec s = Specs.command(this, factory, name);
      s.usageMessage().description(description);
      s.addOption(stateDir.option("--state-dir").paramLabel("DIR")
          .description("The state folder (default: .wiz in this folder or its nearest parent).").build());
      return s;
    }

    /** {@code --run=RUN-ID}, with what it defaults to in this subcommand. */
    OptionSpec runOption(String description) {
      return run.option("--run").paramLabel("RUN-ID").description(description).build();
    }

    /** The run this command is about once one is chosen (by --run, as the latest, by a chunk), and its record once read. */
    private String chosenRun;
    private RunRecord chosenRecord;

    /** The state folder, or an error message and exit 3. */
    StateDir state() throws Refusal {
      if (stateDir.value() != null) {
        Path p = path(stateDir.value());
        if (!Files.isDirectory(p)) {
          throw new Refusal(Files.exists(p) ? p + " is a file, not a state folder: name the folder with --state-dir"
              : "no state folder at " + p);
        }
        return new StateDir(p);
      }
      return StateDir.findFrom(env().cwd()).orElseThrow(() -> new Refusal(
          "no .wiz folder in " + env().cwd() + " or its parents: run a pipeline first, or pass --state-dir"));
    }

    /** The run named by --run, or the latest (saying which runs were left out because their record is unreadable). */
    RunRecord runRecord(StateDir state) throws IOException, Refusal {
      if (run.value() != null) return namedRun(state, run.value());
      List<RunRecord> runs = readableRuns(state);
      if (runs.isEmpty()) throw new Refusal("no runs in " + state.root());
      chosenRecord = observed(state, runs.get(runs.size() - 1));
      chosenRun = chosenRecord.runId();
      return chosenRecord;
    }

    /** The run's record; a missing or unreadable run.json of a run whose folder is there is named as such. */
    RunRecord namedRun(StateDir state, String id) throws IOException, Refusal {
      chosenRun = id;
      if (!StateDir.safeId(id) || !Files.isDirectory(state.runDir(id))) {
        throw new Refusal("unknown run id '" + id + "': 'ls " + state.root().resolve("runs") + "' lists the runs");
      }
      Path file = state.runRecord(id);
      try {
        chosenRecord = state.readRunRecord(id).orElseThrow(() -> new Refusal(file
            + ": missing: the run's folder is there but not its record, so its provenance cannot be checked or shown"));
        chosenRecord = observed(state, chosenRecord);
        return chosenRecord;
      } catch (BrokenStateException e) {
        throw new Refusal(e.getMessage());
      }
    }

    /**
     * The record as the run is now: one recorded running whose request's lock no live run holds
     * died without ending it (kill -9, a power cut) and is shown crashed, as {@code wiz requests}
     * shows it (the next run of the request records it so), not as a run that has not ended yet.
     */
    static RunRecord observed(StateDir state, RunRecord r) {
      if (!"running".equals(r.status()) || r.requestKey() == null) return r;
      try {
        if (dev.wiz.state.RequestLock.isHeld(state.requestLock(r.requestKey()))) return r;
      } catch (IOException | RuntimeException e) {
        return r; // cannot tell: as recorded
      }
      return r.crashed(null, "its process is gone without finishing the run (the next run records it)");
    }

    /** Every run with a readable record, oldest first; a warning names each run folder left out. */
    List<RunRecord> readableRuns(StateDir state) throws IOException {
      List<RunRecord> runs = state.runs();
      Path dir = state.root().resolve("runs");
      if (!Files.isDirectory(dir)) return runs;
      java.util.Set<String> readable = new java.util.HashSet<>();
      for (RunRecord r : runs) readable.add(r.runId());
      List<Path> folders;
      try (var s = Files.list(dir)) {
        folders = s.filter(Files::isDirectory).sorted().toList();
      }
      for (Path f : folders) {
        String id = f.getFileName().toString();
        if (readable.contains(id)) continue;
        Path file = state.runRecord(id);
        String why;
        if (!Files.exists(file)) {
          why = file + ": missing";
        } else {
          try {
            state.readRunRecord(id);
            continue; // written since the listing
          } catch (BrokenStateException e) {
            why = e.problem();
          }
        }
        env().err().println("wiz: warning: " + why + ": run " + id + " is left out");
      }
      return runs;
    }

    /** The run's provenance log; a missing one is named, with what run.json says it should hold. */
    Path log(StateDir state, RunRecord record) throws Refusal {
      Path log = state.provenance(record.runId());
      if (!Files.exists(log)) {
        RunRecord.ProvenanceInfo p = record.provenance();
        throw new Refusal(log + ": missing" + (p == null ? "" : ", but run.json records "
            + ProvenanceReader.plural(p.events(), "event") + " ending in head " + p.head()));
      }
      return log;
    }

    /**
     * Holds what was read of the log against its hash chain and the number of events and the head
     * run.json recorded when the run ended; says on stderr when they disagree. True when they
     * agree, or the run did not end and the chain holds (then run.json has nothing to hold the log
     * against).
     */
    boolean matchesRecord(Path log, RunRecord record, ProvenanceReader.Selection read) {
      RunRecord.ProvenanceInfo p = record.provenance();
      // A line that is no event explains any count it is short by; "cut off the end" would not.
      // A run that did not end may have left its last line torn: only a broken chain says more.
      Optional<String> wrong = read.unreadable() > 0 && p != null
          ? Optional.of("line " + read.firstUnreadable() + " is not a provenance event (torn or edited line)"
              + (read.unreadable() > 1 ? ", nor are " + (read.unreadable() - 1) + " more" : "")
              + "; what is shown leaves " + (read.unreadable() == 1 ? "it" : "them") + " out")
          : read.chainBreak().isPresent()
          ? Optional.of("line " + read.chainBreak().get().line() + ": " + read.chainBreak().get().message()
              + "; what is shown is what the log says now, not what the run logged")
          : p == null ? Optional.empty()
          : ProvenanceReader.mismatch(read.events(), read.head(), p.events(), p.head());
      wrong.ifPresent(w -> env().err().println("wiz: " + log + ": " + w + " ('wiz provenance verify --run "
          + record.runId() + "' checks the log)"));
      return wrong.isEmpty();
    }

    /**
     * A refusal of a command asked for {@code --format json}: the text on stderr as ever, and on
     * stdout {@code {run, error}} plus what {@code fields} adds, so a script reads an answer, not
     * an empty input. {@code run} is the run the command was about once one was chosen (named by
     * --run, the latest, or the one that has the chunk), even when its record or log is missing
     * or broken; null when none was.
     */
    int refusedJson(Refusal r, java.util.function.Consumer<ObjectNode> fields) throws IOException {
      int code = refused(env().err(), r);
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("run", chosenRun != null ? chosenRun : run.value());
      fields.accept(o);
      printJson(o);
      return code;
    }

    /** What the chosen run's record says its log ends in; null when no record was read or the run did not end. */
    RunRecord.ProvenanceInfo recorded() {
      return chosenRecord == null ? null : chosenRecord.provenance();
    }

    /** {@code --state-dir DIR} when one was given, for the commands this one suggests. */
    String stateDirOption() {
      return stateDir.value() == null ? "" : " --state-dir " + dev.wiz.Shell.quote(stateDir.value());
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

  static final class Show extends Query implements Callable<Integer> {
    /** Chunks listed by name under "fed by" in text; --format json lists them all. */
    static final int FED_BY_SHOWN = 10;

    /** The forms {@code show} prints a chunk's history in. */
    enum ShowFormat { text, json, dot, mermaid }

    final Value<String> chunk = Value.of(String.class);
    final Value<ShowFormat> format = Value.of(ShowFormat.class);

    /** {@code wiz provenance show [--state-dir=DIR] [--run=RUN-ID] [--format=text|json|dot|mermaid] CHUNK-ID}. */
    @Override
    CommandSpec spec(CommandLine.IFactory factory) {
      CommandSpec s = query(factory, "show",
          "Print where a chunk came from, every step with its state changes, timings, counts and digests, and where it went. "
              + "Exit 3 when the chunk or run is unknown, or the log's hash chain is broken or it does not match the run's record (run.json).");
      s.addOption(runOption("The run (default: the latest run that has the chunk)."));
      s.addPositional(chunk.parameter().paramLabel("CHUNK-ID").build());
      s.addOption(format.option("--format").paramLabel("text|json|dot|mermaid").defaultValue("text")
          .description("text for people, json for scripts, dot (Graphviz) or mermaid (a flowchart) for a graph."
              + " Default: ${DEFAULT-VALUE}.").build());
      return s;
    }

    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        String runId = run.value();
        if (runId == null) {
          runId = state.runOfChunk(chunk.value()).orElse(null);
        }
        if (runId == null) {
          runId = scanForChunk(state);
        }
        if (runId == null) {
          throw new Refusal("unknown chunk id '" + chunk.value() + "': 'wiz provenance list' lists the chunk ids of the latest run");
        }
        String id = runId;
        RunRecord record = namedRun(state, id);
        Path log = log(state, record);
        List<Event> joinedInto = new ArrayList<>();
        ProvenanceReader.Selection read = ProvenanceReader.select(log, e -> {
          if (feeds(chunk.value(), e)) joinedInto.add(e);
          return chunk.value().equals(e.chunk());
        });
        boolean matches = matchesRecord(log, record, read);
        List<Event> events = read.kept();
        if (events.isEmpty()) {
          throw new Refusal("unknown chunk id '" + chunk.value() + "' in run " + id
              + ": 'wiz provenance list --run " + id + "' lists its chunk ids");
        }
        Optional<Event> join = events.stream().filter(e -> e.type() == EventType.JOIN && e.processor() != null).findFirst();
        JoinInputs inputs = join.isPresent() ? JoinInputs.of(log, join.get().processor().id()) : null;
        if (format.value() == ShowFormat.dot || format.value() == ShowFormat.mermaid) {
          ChunkGraph graph = ChunkGraph.of(chunk.value(), id, events, related(log, events), joinedInto, record.status());
          env().out().print(format.value() == ShowFormat.dot ? graph.toDot() : graph.toMermaid());
          env().out().flush();
        } else if (format.value() == ShowFormat.json) {
          ObjectNode o = Json.mapper().createObjectNode();
          o.put("chunk", chunk.value());
          o.put("run", id);
          o.put("pipeline", record.pipeline().name());
          for (Event e : events) {
            ReusedFrom.of(e).ifPresent(r -> o.set("reusedFrom", Json.mapper().valueToTree(r)));
          }
          if (inputs != null) o.set("joinInputs", Json.mapper().valueToTree(inputs));
          if (record.references() != null) o.set("references", Json.mapper().valueToTree(record.references()));
          if (!joinedInto.isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode into = o.putArray("joinedInto");
            for (Event j : joinedInto) {
              into.addObject().put("chunk", j.chunk()).put("processor", j.processor().id())
                  .put("records", recordsReaching(events, j.processor().id()));
            }
          }
          o.set("events", Json.mapper().valueToTree(events));
          printJson(o);
        } else {
          printText(env().out(), state, record, events, inputs, joinedInto);
        }
        return matches ? ExitCode.OK.code() : ExitCode.INVALID.code();
      } catch (Refusal r) {
        if (format.value() == ShowFormat.json) return refusedJson(r, o -> o.put("chunk", chunk.value()).put("error", r.getMessage()));
        return refused(env().err(), r);
      }
    }

    /**
     * Whether {@code e} is the JOIN of a chunk that a processor emitted at end of input from what
     * {@code chunk} brought it (a JOIN naming it among its parents), not the later part of an
     * end-of-input chunk, whose JOIN names the first part.
     */
    static boolean feeds(String chunk, Event e) {
      if (e.type() != EventType.JOIN || e.processor() == null || e.parents() == null || chunk.equals(e.chunk())
          || !e.parents().contains(chunk)) {
        return false;
      }
      String firstPart = e.chunk().substring(0, e.chunk().lastIndexOf('-') + 1) + "0";
      return !(e.parents().size() == 1 && chunk.equals(firstPart));
    }

    /** How many of the chunk's records reached the processor: what its step there took in. */
    private static int recordsReaching(List<Event> events, String processor) {
      for (Event e : events) {
        if ((e.type() == EventType.FILTERED || e.type() == EventType.CONTENT_MODIFIED) && e.processor() != null
            && e.processor().id().equals(processor)) {
          return nz(e.recordsIn());
        }
      }
      return 0;
    }

    /**
     * The events a graph needs of the chunks the chunk names as parents or children: where they
     * came from, what reached the processor that joined them, where they went.
     */
    /** True when run.json says the processor held records when the run stopped (a sort, an aggregate). */
    private static boolean heldBy(RunRecord record, String processor) {
      if (record.processors() == null) return false;
      for (dev.wiz.engine.RunReport.StepCounts c : record.processors()) {
        if (c.id().equals(processor) && c.held() > 0) return true;
      }
      return false;
    }

    private static List<Event> related(Path log, List<Event> events) throws IOException {
      java.util.Set<String> ids = new java.util.HashSet<>();
      java.util.Set<String> joiners = new java.util.HashSet<>();
      for (Event e : events) {
        if (e.parents() != null) ids.addAll(e.parents());
        if (e.children() != null) ids.addAll(e.children());
        if (e.type() == EventType.JOIN && e.processor() != null) joiners.add(e.processor().id());
      }
      if (ids.isEmpty()) return List.of();
      return ProvenanceReader.read(log, e -> ids.contains(e.chunk()) && (e.type() == EventType.CREATE
          || e.type() == EventType.REUSED || e.type() == EventType.SEND || e.type() == EventType.FORK
          || ((e.type() == EventType.FILTERED || e.type() == EventType.CONTENT_MODIFIED)
              && e.processor() != null && joiners.contains(e.processor().id()))));
    }

    private String scanForChunk(StateDir state) throws IOException {
      List<RunRecord> runs = readableRuns(state);
      for (int i = runs.size() - 1; i >= 0; i--) {
        String id = runs.get(i).runId();
        Path log = state.provenance(id);
        if (Files.exists(log) && !ProvenanceReader.read(log, e -> chunk.value().equals(e.chunk())).isEmpty()) return id;
      }
      return null;
    }

    private void printText(PrintWriter out, StateDir state, RunRecord record, List<Event> events, JoinInputs inputs,
        List<Event> joinedInto) throws IOException {
      out.println("chunk " + chunk.value());
      out.println("  run       " + record.runId() + " (" + record.pipeline().name() + ", " + record.status() + ", started " + record.startedAt() + ")");
      Map<String, List<Event>> states = new LinkedHashMap<>();
      for (Event e : events) {
        if (e.type() == EventType.STATE) {
          states.computeIfAbsent(e.processor().id(), k -> new ArrayList<>()).add(e);
        }
      }
      int step = 0;
      for (Event e : stepOrder(events)) {
        switch (e.type()) {
          case CREATE:
            out.printf(Locale.ROOT, "  from      %s lines %d-%d: %s (%s)%n", e.source().file(),
                e.source().firstLine(), e.source().lastLine(), records(e.recordsOut()), e.inputDigest());
            break;
          case REUSED:
            printReused(out, state, e);
            break;
          case JOIN:
            Event.ProcessorRef by = e.processor();
            out.printf(Locale.ROOT, "  from      end of input of '%s' (%s v%s, config %s): %s%n", by.id(), by.type(), by.version(),
                shortDigest(by.configDigest()), records(e.recordsOut()));
            List<String> parents = e.parents() == null ? List.of() : e.parents();
            String firstPart = e.chunk().substring(0, e.chunk().lastIndexOf('-') + 1) + "0";
            if (parents.size() == 1 && parents.get(0).equals(firstPart) && !e.chunk().equals(firstPart)) {
              out.println("  parents   " + parents.get(0) + " (this part goes on from it)");
            } else if (inputs != null) {
              printJoinInputs(out, inputs, parents);
            }
            break;
          case FORK:
            if (e.parents() != null && !e.parents().isEmpty()) {
              out.printf(Locale.ROOT, "  from      chunk %s, forked by '%s': %s (%s)%n", String.join(", ", e.parents()),
                  e.processor().id(), records(e.recordsOut()), e.outputDigest());
            } else {
              List<String> children = e.children() == null ? List.of() : e.children();
              out.printf(Locale.ROOT, "  fork      at '%s': %s into %s%n", e.processor().id(), records(e.recordsIn()),
                  children.isEmpty() ? "no chunk" : String.join(", ", children));
            }
            break;
          case FILTERED:
          case CONTENT_MODIFIED:
            step++;
            Event.ProcessorRef p = e.processor();
            out.printf(Locale.ROOT, "  step %-4s %s (%s v%s, config %s)%n", step + ".", p.id(), p.type(), p.version(), shortDigest(p.configDigest()));
            out.println("            states  " + path(states.getOrDefault(p.id(), List.of())));
            // A step that both dropped and added records says how many of each (counted per record).
            String both = e.filtered() == null || e.created() == null ? ""
                : ": " + e.filtered() + " filtered, " + e.created() + " created";
            out.printf(Locale.ROOT, "            records %d in, %d out (%s%s) in %.3f ms%n", nz(e.recordsIn()), nz(e.recordsOut()),
                e.type().name().toLowerCase(Locale.ROOT).replace('_', '-'), both, e.durationMicros() / 1000.0);
            out.println("            seed    " + e.seed());
            if (record.references() != null) {
              for (RunRecord.Reference r : record.references()) {
                if (r.processor().equals(p.id())) {
                  out.printf(Locale.ROOT, "            file    %s: %s, %s (%s)%n", r.name(),
                      ProvenanceReader.plural(r.records(), "record"), ProvenanceReader.plural(r.bytes(), "byte"), r.digest());
                }
              }
            }
            out.println("            in      " + e.inputDigest());
            out.println("            out     " + e.outputDigest());
            boolean joined = false;
            for (Event j : joinedInto) {
              if (j.processor().id().equals(p.id())) {
                joined = true;
                out.printf(Locale.ROOT, "  joined    %s into %s, which '%s' emitted at end of input%n",
                    records(e.recordsIn()), j.chunk(), p.id());
              }
            }
            if (!joined && e.type() == EventType.FILTERED && heldBy(record, p.id())) {
              out.printf(Locale.ROOT, "  held      %s by '%s', for its end of input, which the run did not reach (%s):"
                  + " not filtered%n", records(nz(e.recordsIn()) - nz(e.recordsOut())), p.id(), ended(record.status()));
            }
            break;
          case DROP:
          case DEAD_LETTER:
            out.printf(Locale.ROOT, "  %-9s %s%s: %s%n", e.type() == EventType.DROP ? "skipped" : "dead",
                records(e.recordsIn()), e.processor() == null ? " (source)" : " at '" + e.processor().id() + "'", e.error());
            if (e.deadLetters() != null) {
              out.printf(Locale.ROOT, "            to      %s at byte %d: %s (%s)%n", state.deadLetters(record.runId()),
                  e.deadLetters().offset(), ProvenanceReader.plural(e.deadLetters().bytes(), "byte"), e.deadLetters().digest());
            }
            break;
          case SEND:
            printTo(out, e);
            if (e.sink() != null && outputDiscarded(record)) {
              out.println("            not kept: the run threw its output away (" + ended(record.status()) + ": see its error)");
            }
            break;
          default:
            break;
        }
      }
      if (events.stream().noneMatch(e -> e.type() == EventType.SEND || e.type() == EventType.REUSED
          || (e.type() == EventType.FORK && e.children() != null))) {
        out.println("  to        nowhere: the chunk was not committed (" + ended(record.status()) + ")");
      }
    }

    /**
     * The events in log order, but for the records a step skipped or dead-lettered: those are
     * logged before the step's own event, and come right after it, as the graph hangs them on it.
     */
    static List<Event> stepOrder(List<Event> events) {
      Map<Integer, List<Event>> after = new java.util.HashMap<>();
      java.util.Set<Integer> moved = new java.util.HashSet<>();
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        if ((e.type() != EventType.DROP && e.type() != EventType.DEAD_LETTER) || e.processor() == null) continue;
        for (int j = i + 1; j < events.size(); j++) {
          Event next = events.get(j);
          boolean isStep = next.type() == EventType.FILTERED || next.type() == EventType.CONTENT_MODIFIED;
          if (isStep && next.processor() != null && next.processor().id().equals(e.processor().id())) {
            after.computeIfAbsent(j, k -> new ArrayList<>()).add(e);
            moved.add(i);
            break;
          }
          if (isStep) break;
        }
      }
      List<Event> ordered = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        if (!moved.contains(i)) ordered.add(events.get(i));
        ordered.addAll(after.getOrDefault(i, List.of()));
      }
      return ordered;
    }

    /** A chunk an earlier run committed and a resumed run took over: from, by whom, and to. */
    private void printReused(PrintWriter out, StateDir state, Event e) throws IOException {
      if (e.source() != null) {
        out.printf(Locale.ROOT, "  from      %s lines %d-%d: %s (%s)%n", e.source().file(),
            e.source().firstLine(), e.source().lastLine(), records(e.recordsIn()), e.inputDigest());
      }
      Optional<ReusedFrom> from = ReusedFrom.of(e);
      if (from.isPresent()) {
        String earlier = from.get().run();
        String status;
        try {
          status = state.readRunRecord(earlier).map(r -> ", " + r.status()).orElse(", its record is gone");
        } catch (BrokenStateException unreadable) {
          status = ", its record is unreadable";
        }
        out.println("  reused    committed by run " + earlier + " (" + status.substring(2) + "); this run took it over on --resume");
        out.println("            its steps: wiz provenance show " + chunk.value() + " --run " + earlier + stateDirOption());
        long[] dropped = from.get().skipped() != null
            ? new long[] {from.get().skipped(), from.get().deadLettered() == null ? 0 : from.get().deadLettered()}
            : droppedBy(state, earlier);
        if (dropped[0] > 0 || dropped[1] > 0) {
          out.println("            that run skipped " + records(dropped[0]) + " and dead-lettered "
              + records(dropped[1]) + " of it");
        }
      } else {
        out.println("  reused    committed by an earlier run: " + e.error());
      }
      if (e.deadLetters() != null) {
        // The dead letters it brought (with those of the chunks it forked into), copied into this run's file.
        out.printf(Locale.ROOT, "  dead      copied to %s at byte %d: %s (%s)%n", state.deadLetters(e.run()),
            e.deadLetters().offset(), ProvenanceReader.plural(e.deadLetters().bytes(), "byte"), e.deadLetters().digest());
      }
      printTo(out, e);
    }

    /** What the run that committed this chunk skipped and dead-lettered of it, from its log (none when gone). */
    private long[] droppedBy(StateDir state, String run) {
      long[] n = new long[2];
      Path log = state.provenance(run);
      if (!java.nio.file.Files.exists(log)) return n;
      try {
        // With what the chunks it forked into dropped (c.0, c.0.1 are of c).
        for (Event d : ProvenanceReader.read(log, d -> d.chunk() != null
            && (chunk.value().equals(d.chunk()) || d.chunk().startsWith(chunk.value() + "."))
            && (d.type() == EventType.DROP || d.type() == EventType.DEAD_LETTER))) {
          n[d.type() == EventType.DROP ? 0 : 1] += d.recordsIn() == null ? 0 : d.recordsIn();
        }
      } catch (IOException | RuntimeException unreadable) {
        // show says what this log says; verify tells what is wrong with the other one
      }
      return n;
    }

    private static void printTo(PrintWriter out, Event e) {
      if (e.sink() == null) return;
      // A chunk whose error sent nothing logs no digest (not the empty text's).
      out.printf(Locale.ROOT, "  to        %s at byte %d: %s, %s%s%n", e.sink().target(),
          e.sink().offset(), ProvenanceReader.plural(e.sink().bytes(), "byte"), records(e.recordsOut()),
          e.outputDigest() == null ? "" : " (" + e.outputDigest() + ")");
      if (e.sink().text() != null) {
        // A gzip file: the offset and bytes are of the file as stored, a gzip member of the text.
        out.printf(Locale.ROOT, "            a gzip member (offset and bytes of the compressed file) of %s of text (%s)%n",
            ProvenanceReader.plural(e.sink().text().bytes(), "byte"), e.sink().text().digest());
      }
    }

    /** The chunks whose records a processor drew on for what it emitted at end of input. */
    /**
     * The chunks that fed an end-of-input chunk: those its JOIN event names, else those whose step
     * at the processor took records in (logs written before JOIN events named them).
     */
    private void printJoinInputs(PrintWriter out, JoinInputs inputs, List<String> parents) {
      java.util.Map<String, JoinInputs.Input> stepped = new java.util.HashMap<>();
      for (JoinInputs.Input c : inputs.chunks()) stepped.put(c.chunk(), c);
      List<String> ids = new ArrayList<>();
      if (parents.isEmpty()) {
        for (JoinInputs.Input c : inputs.chunks()) ids.add(c.chunk());
      } else {
        ids.addAll(parents);
      }
      long records = 0;
      for (String id : ids) records += stepped.containsKey(id) ? stepped.get(id).records() : 0;
      out.printf(Locale.ROOT, "  fed by    %s from %s that reached '%s'%s%s%n", records(records),
          ProvenanceReader.plural(ids.size(), "chunk"), inputs.processor(),
          parents.isEmpty() ? " (as its steps in this log show)" : "", ids.isEmpty() ? "" : ":");
      for (int i = 0; i < ids.size() && i < FED_BY_SHOWN; i++) {
        JoinInputs.Input c = stepped.get(ids.get(i));
        out.printf(Locale.ROOT, "            %s%n", c == null
            ? ids.get(i) + ": taken over from an earlier run (its steps are in the run that committed it)"
            : c.chunk() + ": " + records(c.records()) + " (" + c.digest() + ")");
      }
      if (ids.size() > FED_BY_SHOWN) {
        out.println("            and " + ProvenanceReader.plural(ids.size() - FED_BY_SHOWN, "more chunk")
            + " (--format json lists them all)");
      }
      if (parents.isEmpty() && !inputs.reused().isEmpty()) {
        out.println("            and the " + ProvenanceReader.plural(inputs.reused().size(), "chunk")
            + " this run took over, which went through it again (their steps are in the runs that committed them)");
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

    /**
     * Whether the run threw away what it wrote (a processor found it may be wrong: exec.md): it
     * did not finish, and its record names no partial output and no bytes of output.
     */
    static boolean outputDiscarded(RunRecord r) {
      return List.of("failed", "interrupted", "crashed").contains(r.status()) && r.partialOutput() == null
          && r.output() != null && r.output().bytes() == 0;
    }

    /** Why a chunk was not committed, from its run's status. */
    static String ended(String status) {
      switch (status) {
        case "success":
          return "the run succeeded";
        case "completed-with-errors":
          return "the run completed with errors";
        case "failed":
          return "the run failed";
        case "crashed":
          return "the run crashed";
        case "interrupted":
          return "the run was interrupted";
        case "running":
          return "the run has not ended";
        default:
          return "the run's status is '" + status + "'";
      }
    }

    private static int nz(Integer i) {
      return i == null ? 0 : i;
    }

    private static String records(Integer n) {
      return records((long) nz(n));
    }

    private static String records(long n) {
      return ProvenanceReader.plural(n, "record");
    }

    private static String shortDigest(String d) {
      return d == null ? "-" : d.substring(0, Math.min(d.length(), "sha256:".length() + 12));
    }
  }

  static final class ListChunks extends Query implements Callable<Integer> {
    final FormatOption format = new FormatOption();

    /** {@code wiz provenance list [--state-dir=DIR] [--run=RUN-ID] [--format=text|json]}. */
    @Override
    CommandSpec spec(CommandLine.IFactory factory) {
      CommandSpec s = query(factory, "list",
          "List the chunk ids of a run (the latest by default), with where each came from and how many records went in and out. "
              + "Exit 3 when the run is unknown, or its log's hash chain is broken or it does not match its record (run.json).");
      s.addOption(format.option());
      s.addOption(runOption(LATEST_RUN));
      return s;
    }

    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        RunRecord record = runRecord(state);
        Path log = log(state, record);
        boolean discarded = Show.outputDiscarded(record);
        ProvenanceReader.Selection read = ProvenanceReader.select(log,
            e -> e.type() == EventType.CREATE || e.type() == EventType.JOIN || e.type() == EventType.SEND
                || e.type() == EventType.FORK || e.type() == EventType.REUSED);
        boolean matches = matchesRecord(log, record, read);
        Map<String, ObjectNode> chunks = new LinkedHashMap<>();
        java.util.Set<String> reusedFrom = new java.util.LinkedHashSet<>();
        int reused = 0;
        for (Event e : read.kept()) {
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
          } else if (e.type() == EventType.REUSED) {
            if (e.source() != null) {
              o.put("file", e.source().file());
              o.put("firstLine", e.source().firstLine());
              o.put("lastLine", e.source().lastLine());
            }
            o.put("recordsIn", e.recordsIn());
            o.put("recordsOut", e.recordsOut());
            o.put("reused", true);
            reused++;
            Optional<ReusedFrom> from = ReusedFrom.of(e);
            if (from.isPresent()) {
              o.put("committedBy", from.get().run());
              reusedFrom.add(from.get().run());
            }
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
                ? oneField(o.path("file").asText()) + ":" + o.path("firstLine").asLong() + "-" + o.path("lastLine").asLong()
                : o.has("parent") ? "forked from " + o.path("parent").asText()
                : o.has("joinedBy") ? "end of input of '" + o.path("joinedBy").asText() + "'" : "-";
            String to = !o.has("recordsOut") ? "not committed"
                : o.path("recordsIn").asLong() + " -> " + ProvenanceReader.plural(o.path("recordsOut").asLong(), "record")
                    + (o.path("forked").asBoolean() ? " (forked)" : "")
                    + (discarded && !o.path("reused").asBoolean() ? " (not kept)" : "")
                    + (o.path("reused").asBoolean() ? " (reused: committed by run " + o.path("committedBy").asText("?") + ")" : "");
            env().out().println(o.path("chunk").asText() + "\t" + from + "\t" + to);
          }
          if (!quiet()) {
            env().err().println(ProvenanceReader.plural(chunks.size(), "chunk") + " in run " + record.runId() + " (" + record.status()
                + (discarded ? "; what it wrote was not kept" : "") + ")"
                + (reused == 0 ? "" : ", " + reused + " of them reused from "
                    + (reusedFrom.size() == 1 ? "run " : "runs ") + String.join(", ", reusedFrom))
                + (record.readStopped() == null ? "" : "; " + RunCommand.readStopped(record.readStopped())));
          }
        }
        return matches ? ExitCode.OK.code() : ExitCode.INVALID.code();
      } catch (Refusal r) {
        if (format.json()) return refusedJson(r, o -> o.put("error", r.getMessage()));
        return refused(env().err(), r);
      }
    }
  }

  static final class Verify extends Query implements Callable<Integer> {
    final FormatOption format = new FormatOption();

    /** {@code wiz provenance verify [--state-dir=DIR] [--run=RUN-ID] [--format=text|json]}. */
    @Override
    CommandSpec spec(CommandLine.IFactory factory) {
      CommandSpec s = query(factory, "verify",
          "Check the hash chain of a run's provenance log (the latest by default), that it ends where the run's record "
              + "(run.json) says, that the output of a run that completed is the bytes the log says it wrote, and that its"
              + " dead-letter file is the dead letters the log says it wrote: exit 0 when"
              + " intact, 3 naming the first bad line, or what does not match, or a missing or unreadable run.json."
              + " A lookup file changed or removed since the run is said (the output is still intact: exit 0).");
      s.addOption(format.option());
      s.addOption(runOption(LATEST_RUN));
      return s;
    }

    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        RunRecord record = runRecord(state);
        Path log = log(state, record);
        List<Event> sent = new ArrayList<>();
        ProvenanceReader.Chain chain = ProvenanceReader.chain(log,
            e -> e.type() == EventType.SEND || e.type() == EventType.REUSED || e.type() == EventType.DEAD_LETTER, sent);
        RunRecord.ProvenanceInfo recorded = record.provenance();
        if (!chain.intact()) {
          env().err().println(log + ":" + chain.bad().get().line() + ": " + chain.bad().get().message());
          if (format.json()) printJson(report(record, chain, recorded, chain.bad().get().line(), chain.bad().get().message()));
          return ExitCode.INVALID.code();
        }
        if (recorded != null) {
          Optional<String> wrong = ProvenanceReader.mismatch(chain.events(), chain.head(), recorded.events(), recorded.head());
          if (wrong.isPresent()) {
            env().err().println(log + ": " + wrong.get());
            if (format.json()) printJson(report(record, chain, recorded, null, wrong.get()));
            return ExitCode.INVALID.code();
          }
        }
        Path output = completedOutput(state, record);
        if (output != null) {
          Optional<String> wrong = dev.wiz.provenance.OutputCheck.check(output, record.output().bytes(), sent);
          RunRecord.Text text = record.output().text();
          if (wrong.isEmpty() && text != null) {
            wrong = dev.wiz.provenance.OutputCheck.checkText(output, text.bytes(), text.digest());
          }
          if (wrong.isPresent()) {
            env().err().println(output + ": " + wrong.get());
            if (format.json()) {
              ObjectNode o = report(record, chain, recorded, null, wrong.get());
              ((ObjectNode) o.get("problem")).put("file", output.toString());
              printJson(o);
            }
            return ExitCode.INVALID.code();
          }
        }
        Path deadLetters = state.deadLetters(record.runId());
        DeadLetterCheck.Result dead = DeadLetterCheck.check(deadLetters, sent,
            !List.of("running", "crashed").contains(record.status()));
        if (dead.problem().isPresent()) {
          env().err().println(deadLetters + ": " + dead.problem().get());
          if (format.json()) {
            ObjectNode o = report(record, chain, recorded, null, dead.problem().get());
            ((ObjectNode) o.get("problem")).put("file", deadLetters.toString());
            printJson(o);
          }
          return ExitCode.INVALID.code();
        }
        List<Looked> lookups = lookups(state, record);
        if (format.json()) {
          ObjectNode o = report(record, chain, recorded, null, null);
          if (!lookups.isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode refs = o.putArray("references");
            for (Looked l : lookups) {
              ObjectNode r = Json.mapper().valueToTree(l.file());
              ObjectNode now = r.putObject("now").put("state", l.now().state().label());
              if (l.now().digest() != null) now.put("bytes", l.now().bytes()).put("digest", l.now().digest());
              if (l.now().why() != null) now.put("why", l.now().why());
              refs.add(r);
            }
          }
          if (dead.any()) {
            ObjectNode d = o.putObject("deadLetters").put("file", deadLetters.toString()).put("checked", dead.checked());
            if (dead.checked()) {
              d.put("bytes", dead.bytes());
            } else {
              d.put("why", DeadLetterCheck.NOT_RECORDED);
            }
          }
          printJson(o);
          return ExitCode.OK.code();
        }
        env().out().println("intact: " + ProvenanceReader.plural(chain.events(), "event") + ", head " + chain.head()
            + (recorded != null ? "" : " (run.json records no head because " + Show.ended(record.status())
                + ", so events cut off the end cannot be detected)")
            + (output == null ? "" : "; output " + output + ": " + ProvenanceReader.plural(record.output().bytes(), "byte")
                + " as logged" + (record.output().text() == null ? ""
                    : ", gzip of " + ProvenanceReader.plural(record.output().text().bytes(), "byte") + " of text ("
                        + record.output().text().digest() + ") as recorded"))
            + (!dead.any() ? "" : "; dead letters " + deadLetters + ": " + (dead.checked()
                ? ProvenanceReader.plural(dead.bytes(), "byte") + " as logged" : "not checked: " + DeadLetterCheck.NOT_RECORDED)));
        for (Looked l : lookups) env().out().println(l.line());
        return ExitCode.OK.code();
      } catch (Refusal r) {
        if (format.json()) {
          return refusedJson(r, o -> {
            o.put("intact", false);
            RunRecord.ProvenanceInfo recorded = recorded();
            if (recorded != null) o.putObject("recorded").put("events", recorded.events()).put("head", recorded.head());
            o.putObject("problem").put("message", r.getMessage());
          });
        }
        return refused(env().err(), r);
      }
    }

    /** A file the run read whole (a lookup table), and what it is now. */
    private record Looked(RunRecord.Reference file, dev.wiz.provenance.ReferenceCheck.Result now) {
      /**
       * What verify says of it: the output does not depend on it being there now, so none of this
       * makes the run other than intact; but output made from a table that changed since is not
       * what a run on the table as it is would write.
       */
      String line() {
        String was = ProvenanceReader.plural(file.bytes(), "byte") + ", " + file.digest();
        String head = "lookup " + file.name() + " of '" + file.processor() + "': ";
        switch (now.state()) {
          case UNCHANGED:
            return head + "unchanged since the run (" + was + ")";
          case CHANGED:
            return head + "changed since the run (" + was + " then, " + ProvenanceReader.plural(now.bytes(), "byte") + ", "
                + now.digest() + " now): the output is intact, but it was made from the table as it was; run the"
                + " pipeline again for output from the table as it is";
          case MISSING:
            return head + file.path() + " is gone since the run (" + was + " then): the output is intact, but the"
                + " table it was made from can no longer be held against it";
          default:
            return head + "not checked: " + file.path() + " cannot be read now (" + now.why() + ")";
        }
      }
    }

    /** The files the run read whole, each read again and held against its digest in run.json. */
    private static List<Looked> lookups(StateDir state, RunRecord record) {
      List<Looked> out = new ArrayList<>();
      if (record.references() == null) return out;
      for (RunRecord.Reference f : record.references()) {
        Path p = f.path() == null ? null : state.root().getFileSystem().getPath(f.path());
        out.add(new Looked(f, p == null ? new dev.wiz.provenance.ReferenceCheck.Result(
            dev.wiz.provenance.ReferenceCheck.State.UNREADABLE, -1, null, "run.json names no path")
            : dev.wiz.provenance.ReferenceCheck.check(p, f.digest())));
      }
      return out;
    }

    /**
     * The output file a run completed (it succeeded or completed with errors, into a file, not
     * stdout), to hold against the log; null when there is none to check.
     */
    private static Path completedOutput(StateDir state, RunRecord record) {
      RunRecord.Output out = record.output();
      if (out == null || out.target() == null || "stdout".equals(out.target())
          || !List.of("success", "completed-with-errors").contains(record.status())) {
        return null;
      }
      return state.root().getFileSystem().getPath(out.target());
    }

    /**
     * {@code {run, intact, events, head, recorded?, problem?: {line?, file?, message}}}: events and head
     * of the intact part of the chain (all of it when intact); recorded, what run.json says the
     * log ends in (absent for a run that did not end); problem, the first bad line or what does
     * not match run.json.
     */
    private static ObjectNode report(RunRecord record, ProvenanceReader.Chain chain, RunRecord.ProvenanceInfo recorded,
        Long line, String problem) {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("run", record.runId());
      o.put("intact", problem == null);
      o.put("events", chain.events());
      o.put("head", chain.head());
      if (recorded != null) {
        o.putObject("recorded").put("events", recorded.events()).put("head", recorded.head());
      }
      if (problem != null) {
        ObjectNode p = o.putObject("problem");
        if (line != null) p.put("line", line);
        p.put("message", problem);
      }
      return o;
    }
  }

  static final class Export extends Query implements Callable<Integer> {
    /** The export formats. */
    enum ExportFormat { openlineage, prov }

    final Value<ExportFormat> format = Value.of(ExportFormat.class);

    /** {@code wiz provenance export [--state-dir=DIR] [--run=RUN-ID] --format=openlineage|prov}. */
    @Override
    CommandSpec spec(CommandLine.IFactory factory) {
      CommandSpec s = query(factory, "export",
          "Write a run's provenance (the latest run by default) to stdout as OpenLineage run events (JSON Lines: START, "
              + "then COMPLETE, FAIL or ABORT once the run ended) or as one W3C PROV-JSON document. "
              + "Exit 3 when the run is unknown, or its log's hash chain is broken or it does not match its record (run.json).");
      s.addOption(runOption(LATEST_RUN));
      s.addOption(format.option("--format").paramLabel("openlineage|prov").required(true)
          .description("openlineage: OpenLineage RunEvents, one JSON object a line; prov: a W3C PROV-JSON document.").build());
      return s;
    }

    @Override
    public Integer call() throws IOException {
      try {
        StateDir state = state();
        RunRecord record = runRecord(state);
        Path log = log(state, record);
        // What the log holds now: a run that goes on appends to it while it is read again below.
        long bytes = Files.size(log);
        RunInfo info = runInfo(record);
        if (format.value() == ExportFormat.openlineage) {
          OpenLineageExport.Seen seen = new OpenLineageExport.Seen();
          boolean matches = matchesRecord(log, record, ProvenanceReader.select(log, seen, bytes));
          com.fasterxml.jackson.databind.ObjectWriter w = Json.mapper().writer();
          for (ObjectNode e : OpenLineageExport.events(info, seen)) env().out().println(w.writeValueAsString(e));
          return matches ? ExitCode.OK.code() : ExitCode.INVALID.code();
        }
        ProvJsonExport prov = ProvJsonExport.of(info, ProvenanceReader.events(log, bytes));
        boolean matches = matchesRecord(log, record, ProvenanceReader.select(log, prov.firstPass(), bytes));
        // Streamed, as printJson would print the document: indented, then a line break.
        JsonGenerator g = Json.mapper().writerWithDefaultPrettyPrinter().createGenerator(env().out());
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        prov.write(g);
        g.close();
        env().out().println();
        return matches ? ExitCode.OK.code() : ExitCode.INVALID.code();
      } catch (Refusal r) {
        return refused(env().err(), r);
      }
    }

    static RunInfo runInfo(RunRecord r) {
      List<RunInfo.Input> inputs = new ArrayList<>();
      if (r.inputs() != null) {
        for (RunRecord.Input i : r.inputs()) inputs.add(new RunInfo.Input(i.name(), i.path()));
      }
      // A lookup table the run read whole is one of its input datasets too: once, though a source
      // or several lookups read it (a self-join), as OpenLineage and PROV name a dataset once.
      if (r.references() != null) {
        java.util.Set<String> named = new java.util.HashSet<>();
        for (RunInfo.Input i : inputs) named.add(i.path() == null ? "\0" + i.name() : i.path());
        for (RunRecord.Reference f : r.references()) {
          if (named.add(f.path() == null ? "\0" + f.name() : f.path())) inputs.add(new RunInfo.Input(f.name(), f.path()));
        }
      }
      RunRecord.Output out = r.output();
      return new RunInfo(r.runId(), r.pipeline().name(), r.status(), r.startedAt(), r.endedAt(), r.error(),
          r.versions() == null ? null : r.versions().get("wiz"), inputs, out == null ? null : out.target(),
          out == null ? null : out.records(), out == null ? null : out.bytes(),
          r.provenance() == null ? null : r.provenance().deadLetters(),
          out == null || out.text() == null ? null : new Event.SinkText(out.text().bytes(), out.text().digest()));
    }
  }

  /**
   * A file name as one field of a tab-separated line: a tab, line break or other control
   * character is written as {@code \t}, {@code \n}, {@code \r} or {@code \xNN}, so that every
   * chunk stays one line of three fields ({@code --format json} has the name as it is).
   */
  static String oneField(String name) {
    if (name.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) return name;
    StringBuilder b = new StringBuilder(name.length() + 8);
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c == '\t') {
        b.append("\\t");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        b.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.wiz.Json;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventSource;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.ProvJsonExport;
import dev.wiz.provenance.ProvJsonTreeExport;
import dev.wiz.provenance.ProvenanceReader;
import dev.wiz.provenance.RunInfo;
import dev.wiz.state.RunRecord;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wiz provenance export --format prov} streams the document: byte for byte the document the
 * tree of the whole log gave ({@link ProvJsonTreeExport}), for runs that fork, join, dead-letter and
 * resume, and for logs that declare an id twice.
 */
class ProvJsonStreamTest extends JimfsCliTest {
  private static final String SHAPES = String.join("\n",
      "wiz: 1",
      "name: shapes",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 7 }",
      "processors:",
      "  - { id: keep-ok, type: filter, config: { where: '.status == \"ok\"' } }",
      "  - { id: items, type: explode, config: { field: items, as: item } }",
      "  - { id: cents, type: jq, config: { program: '.cents = (.item * 100)' } }",
      "  - { id: sample, type: sample, config: { fraction: 0.5 } }",
      "sink: { type: file, path: out/shapes.jsonl }",
      "run: { workers: 2, onError: dead-letter, seed: 7 }",
      "");

  private static final String REPORT = String.join("\n",
      "wiz: 1",
      "name: report",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 9 }",
      "processors:",
      "  - { id: keep-ok, type: filter, config: { where: '.status == \"ok\"' } }",
      "  - id: per-country",
      "    type: aggregate",
      "    config: { groupBy: { country: .country }, aggregates: { n: { op: count } } }",
      "  - { id: by-n, type: sort, config: { by: [ { key: .n, order: desc } ] } }",
      "sink: { type: file, path: out/report.json, format: json }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    // Every ninth record's items is a string: explode rejects it, and run.onError dead-letters it.
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 60)
        .mapToObj(i -> "{\"id\":" + i + ",\"country\":\"" + (i % 3 == 0 ? "DE" : "NG") + "\",\"status\":\""
            + (i % 4 == 0 ? "error" : "ok") + "\",\"items\":" + (i % 9 == 0 ? "\"x\"" : "[" + i % 4 + "," + i % 5 + "]") + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(work.resolve("shapes.yaml"), SHAPES);
    Files.writeString(work.resolve("report.yaml"), REPORT);
  }

  private String lastRun() throws IOException {
    StateDir state = new StateDir(work.resolve(".wiz"));
    List<RunRecord> runs = state.runs();
    return runs.get(runs.size() - 1).runId();
  }

  /** The document the tree of the whole log gives, as printJson printed it. */
  private String treeDocument(String runId) throws IOException {
    StateDir state = new StateDir(work.resolve(".wiz"));
    RunRecord record = state.readRunRecord(runId).orElseThrow();
    List<Event> log = ProvenanceReader.read(state.provenance(runId), e -> true);
    return Json.mapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(ProvJsonTreeExport.document(ProvenanceCommand.Export.runInfo(record), log)) + "\n";
  }

  private void assertStreamedAsTheTree(String runId, String kinds) throws IOException {
    CliHarness.Result r = wiz.run("provenance", "export", "--format", "prov", "--run", runId);
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    for (String kind : kinds.split(",")) {
      assertTrue(r.out().contains("\"$\" : \"wiz:" + kind + "\""), kind + " in " + r.out());
    }
    assertEquals(treeDocument(runId), r.out());
  }

  @Test
  void aRunThatForksAndDeadLettersIsExportedAsTheTreeOfItsLogWas() throws IOException {
    assertEquals(5, wiz.run("-q", "run", "shapes.yaml").code());
    assertStreamedAsTheTree(lastRun(), "CREATE,FORK,FILTERED,CONTENT_MODIFIED,DEAD_LETTER,SEND,DeadLetters");
  }

  @Test
  void aRunThatJoinsAtEndOfInputIsExportedAsTheTreeOfItsLogWas() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    assertStreamedAsTheTree(lastRun(), "CREATE,JOIN,SEND");
  }

  @Test
  void aResumedRunIsExportedAsTheTreeOfItsLogWas() throws IOException {
    String crashed = StagedCrash.after(wiz, work, "shapes.yaml", "out/shapes.jsonl", 3, 5);
    assertEquals(crashed, lastRun());
    assertEquals(5, wiz.run("-q", "run", "shapes.yaml", "--resume").code());
    assertStreamedAsTheTree(lastRun(), "REUSED,CREATE,SEND");
    assertStreamedAsTheTree(crashed, "CREATE,SEND");
  }

  // ---- logs wiz does not write, exported as the tree did ---------------------------------------

  private static final RunInfo RUN = new RunInfo("r1", "p", "success", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", null,
      "1.0", List.of(new RunInfo.Input("in.jsonl", "/w/in.jsonl")), "/w/out.jsonl", 3L, 30L, "/w/.wiz/runs/r1/dead-letter.jsonl");

  private static long seq;

  private static Event chained(Event.Builder b) {
    Event e = b.build();
    seq++;
    return e.chained(seq, "r1-" + seq, "2026-01-01T00:00:00." + seq + "Z", "r1", "k", "p" + seq, "h" + seq);
  }

  private static String streamed(List<Event> log) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.mapper().writerWithDefaultPrettyPrinter().createGenerator(out)) {
      ProvJsonExport.write(RUN, EventSource.of(log), g);
    }
    return out.toString();
  }

  private static String tree(List<Event> log) throws IOException {
    return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(ProvJsonTreeExport.document(RUN, log));
  }

  @Test
  void idsALogDeclaresTwiceKeepTheirFirstPlaceWithTheirLastContentAsTheTreeKeptThem() throws IOException {
    Event.ProcessorRef p = new Event.ProcessorRef("f", "filter", "1", "sha256:c");
    Event.SinkRef sink = new Event.SinkRef("/w/out.jsonl", 0, 10);
    List<Event> log = new ArrayList<>();
    // A JOIN that names a stage of a chunk before the chunk's own events make it.
    log.add(chained(Event.of(EventType.JOIN, "c-9").processor(p).parents(List.of("c-1")).records(2, 1)));
    log.add(chained(Event.of(EventType.CREATE, "c-1").records(0, 4)
        .source(new Event.SourceRef("in.jsonl", 1, 4)).digests("sha256:a", null)));
    // Two CREATEs and two SENDs of one chunk, a FORK twice.
    log.add(chained(Event.of(EventType.CREATE, "c-1").records(0, 5).source(new Event.SourceRef("other", 1, 5))));
    log.add(chained(Event.of(EventType.FILTERED, "c-1").processor(p).records(5, 3).digests("sha256:a", "sha256:b").seed(-1L)));
    log.add(chained(Event.of(EventType.FORK, "c-1").processor(p).children(List.of("c-1-0", "c-1-1")).records(3, 3)));
    log.add(chained(Event.of(EventType.FORK, "c-1").processor(p).children(List.of("c-1-0")).records(3, 2)));
    log.add(chained(Event.of(EventType.FORK, "c-1-0").parents(List.of("c-1")).recordsOut(2)));
    log.add(chained(Event.of(EventType.DEAD_LETTER, "c-1-0").processor(p).records(1, 0).error("bad")));
    log.add(chained(Event.of(EventType.SEND, "c-1-0").recordsOut(1).digests(null, "sha256:d").sink(sink)));
    log.add(chained(Event.of(EventType.SEND, "c-1-0").recordsOut(2).digests(null, "sha256:e").sink(sink)));
    log.add(chained(Event.of(EventType.REUSED, "c-2").records(4, 4).committedBy("r0")
        .source(new Event.SourceRef("in.jsonl", 5, 8)).sink(new Event.SinkRef("/w/out.jsonl", 10, 20))));
    log.add(chained(Event.of(EventType.REUSED, "c-2").records(4, 3).committedBy("r1")));
    log.add(chained(Event.of(EventType.JOIN, "c-9").processor(p).parents(List.of("c-1", "c-2")).records(2, 2)));
    log.add(chained(Event.of(EventType.CONTENT_MODIFIED, "c-9").processor(p).records(2, 2).digests("sha256:j", "sha256:k")));
    log.add(chained(Event.of(EventType.DROP, "c%9 é").records(1, 0).error("x")));
    String tree = tree(log);
    assertTrue(tree.contains("\"wiz:records\" : 5"), "the second CREATE's count: " + tree);
    assertEquals(tree, streamed(log));
    assertEquals(tree(List.of()), streamed(List.of()), "an empty log");
  }

  // ---- how often the log is read, and the bytes of a fixed log -----------------------------------

  /**
   * The document of a run's log as wiz wrote it before the statements were kept in files while
   * the log is read (bin/wiz provenance export --format prov of the run in the resources, made
   * with a run that forks, dead-letters and joins): byte for byte the same.
   */
  @Test
  void theDocumentOfAFixedLogIsByteForByteTheOneWizWroteWhenItReadTheLogOnceForEachMember() throws IOException {
    String dir = "/dev/wiz/provenance/prov-export/";
    String runId = resource(dir + "run-id").trim();
    Path run = Files.createDirectories(work.resolve(".wiz/runs/" + runId));
    for (String f : List.of("run.json", "provenance.jsonl", "dead-letter.jsonl")) Files.writeString(run.resolve(f), resource(dir + f));
    CliHarness.Result r = wiz.run("provenance", "export", "--format", "prov", "--run", runId);
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    assertEquals(resource(dir + "expected.prov.json"), r.out());
  }

  private static String resource(String name) throws IOException {
    try (java.io.InputStream in = ProvJsonStreamTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** A log in memory that counts how often it is read. */
  private static final class Counted implements EventSource {
    private final EventSource log;
    int reads;

    Counted(List<Event> events) {
      log = EventSource.of(events);
    }

    @Override
    public void forEach(java.util.Set<EventType> types, java.util.function.Consumer<Event> visit) throws IOException {
      reads++;
      log.forEach(types, visit);
    }
  }

  /**
   * The log is read twice: once for what the statements depend on (a JOIN's digest is in the step
   * after it), once for the statements; once when the caller gave the first pass every event. It
   * was read 9 times (8 after the caller's pass): once more to count, then once for each member.
   */
  @Test
  void theLogIsReadOnceForTheStatementsAfterTheFirstPass() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    StateDir state = new StateDir(work.resolve(".wiz"));
    String runId = lastRun();
    List<Event> events = ProvenanceReader.read(state.provenance(runId), e -> true);
    RunInfo info = ProvenanceCommand.Export.runInfo(state.readRunRecord(runId).orElseThrow());
    String want = treeDocument(runId);
    Counted log = new Counted(events);
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.mapper().writerWithDefaultPrettyPrinter().createGenerator(out)) {
      ProvJsonExport.write(info, log, g);
    }
    assertEquals(want, out + "\n");
    assertEquals(2, log.reads);
    Counted again = new Counted(events);
    ProvJsonExport prov = ProvJsonExport.of(info, again);
    java.util.function.Predicate<Event> first = prov.firstPass();
    events.forEach(first::test);
    out = new StringWriter();
    try (JsonGenerator g = Json.mapper().writerWithDefaultPrettyPrinter().createGenerator(out)) {
      prov.write(g);
    }
    assertEquals(want, out + "\n");
    assertEquals(1, again.reads);
    // Not indented: the same document, compact.
    out = new StringWriter();
    try (JsonGenerator g = Json.mapper().createGenerator(out)) {
      ProvJsonExport.write(info, EventSource.of(events), g);
    }
    assertEquals(Json.mapper().readTree(want), Json.mapper().readTree(out.toString()));
    assertEquals(Json.mapper().writeValueAsString(Json.mapper().readTree(want)), out.toString());
  }
}

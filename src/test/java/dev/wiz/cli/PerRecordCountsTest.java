package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.provenance.ProvenanceLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A processor's filtered and created are counted per record (an input record that gave no output
 * was filtered, one that gave n created n - 1), so they are the same at any chunk size and number
 * of workers; a sort or an aggregate says what it did over the run, in its own terms.
 */
class PerRecordCountsTest extends JimfsCliTest {
  private static final String IN = "{\"a\":2,\"xs\":[1,2]}\n{\"a\":1,\"xs\":[]}\n{\"a\":3,\"xs\":[5]}\n";

  private void pipeline(String name, int chunk, String... steps) throws IOException {
    Files.writeString(work.resolve(name + ".yaml"), "wiz: 1\nname: " + name + "\n"
        + "source: { type: file, path: in.jsonl, format: jsonl }\nchunking: { records: " + chunk + " }\nprocessors:\n"
        + Stream.of(steps).map(s -> "  - " + s + "\n").collect(Collectors.joining())
        + "sink: { type: file, path: out.jsonl, format: jsonl }\n");
  }

  /** Each processor's id, in, out, filtered and created, then the run's filtered and created. */
  private static String counts(JsonNode o) {
    StringBuilder b = new StringBuilder();
    for (JsonNode p : o.get("processors")) {
      b.append(p.get("id").asText()).append(' ').append(p.get("in")).append(' ').append(p.get("out")).append(' ')
          .append(p.get("filtered")).append(' ').append(p.get("created")).append("; ");
    }
    return b.append("total ").append(o.get("filtered")).append(' ').append(o.get("created")).toString();
  }

  private JsonNode lastRunJson() throws IOException {
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      Path newest = runs.max((x, y) -> {
        try {
          return Files.getLastModifiedTime(x.resolve("run.json")).compareTo(Files.getLastModifiedTime(y.resolve("run.json")));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).orElseThrow();
      return Json.mapper().readTree(Files.readAllBytes(newest.resolve("run.json")));
    }
  }

  @Test
  void anExplodeAfterASortCountsTheSameAtEveryChunkSizeAndNumberOfWorkers() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), IN);
    for (int chunk : new int[] {1, 2, 1000}) {
      for (int workers : new int[] {1, 2}) {
        pipeline("t1", chunk, "{ id: s, type: sort, config: { by: [{key: .a}] } }",
            "{ id: x, type: explode, config: { field: xs } }");
        String at = "chunks of " + chunk + ", " + workers + " workers";
        CliHarness.Result r = wiz.run("run", "t1.yaml", "--force", "--workers=" + workers, "--format", "json");
        assertEquals(0, r.code(), at + ": " + r);
        JsonNode o = Json.mapper().readTree(r.out());
        // The record with [] was filtered, the one with [1, 2] gave one record more.
        assertEquals("s 3 3 0 0; x 3 3 1 1; total 1 1", counts(o), at + ": " + o);
        assertEquals(o.get("processors"), lastRunJson().get("processors"), at + ": run.json has the same counts");
        assertEquals("{\"a\":2,\"xs\":1}\n{\"a\":2,\"xs\":2}\n{\"a\":3,\"xs\":5}\n", Files.readString(work.resolve("out.jsonl")));

        CliHarness.Result text = wiz.run("run", "t1.yaml", "--force", "--workers=" + workers);
        assertEquals(0, text.code(), at + ": " + text);
        assertTrue(text.err().contains("\n  s:            3 in, 3 out, sorted\n"
            + "  x:            3 in, 3 out, 1 filtered, 1 created\n"
            + "  records:      3 read + 1 created = 3 written + 1 filtered + 0 skipped + 0 dead-lettered\n"), at + ": " + text.err());
        CliHarness.Result verify = wiz.run("provenance", "verify");
        assertEquals(0, verify.code(), at + ": " + verify);
      }
    }
  }

  @Test
  void aJqProgramWithSeveralOutputsCountsEachRecordsOutputs() throws IOException {
    // Record i has i % 4 elements: 0 gives no record (filtered), 2 and 3 give 1 and 2 records more.
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 40)
        .mapToObj(i -> "{\"xs\":" + IntStream.range(0, i % 4).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]")) + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    for (int chunk : new int[] {1, 3, 4, 7, 1000}) {
      pipeline("j", chunk, "{ id: each, type: jq, config: { program: '.xs[] | {x: .}' } }");
      CliHarness.Result r = wiz.run("run", "j.yaml", "--force", "--format", "json");
      assertEquals(0, r.code(), r.toString());
      JsonNode o = Json.mapper().readTree(r.out());
      // 40 in: 10 with none, 10 with one, 10 with two, 10 with three: 60 out, 10 filtered, 30 created.
      assertEquals("each 40 60 10 30; total 10 30", counts(o), "chunks of " + chunk + ": " + o);
      assertEquals(0, wiz.run("provenance", "verify").code());
    }
    // A chunk whose step both filtered and created records says how many of each.
    String chunk = Json.mapper().readTree(wiz.run("provenance", "list", "--format", "json").out()).at("/0/chunk").asText();
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("records 40 in, 60 out (content-modified: 10 filtered, 30 created) in "), show.out());
    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "show", chunk, "--format", "json").out());
    assertTrue(json.toString().contains("\"recordsIn\":40,\"recordsOut\":60,\"filtered\":10,\"created\":30"), json.toString());
  }

  @Test
  void anAggregateSaysItsRecordsOutAreGroupsAndASampleWhatItDidNotKeep() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 200)
        .mapToObj(i -> "{\"id\":" + i + ",\"n\":" + (i % 7) + "}").collect(Collectors.joining("\n", "", "\n")));
    for (int chunk : new int[] {1, 10, 1000}) {
      pipeline("g", chunk, "{ id: per-n, type: aggregate, config: { groupBy: { n: '.n' }, aggregates: { c: { op: count } } } }");
      CliHarness.Result r = wiz.run("run", "g.yaml", "--force", "--format", "json");
      assertEquals(0, r.code(), r.toString());
      assertEquals("per-n 200 7 193 0; total 193 0", counts(Json.mapper().readTree(r.out())), "chunks of " + chunk);
      CliHarness.Result text = wiz.run("run", "g.yaml", "--force");
      assertTrue(text.err().contains("\n  per-n:        200 in, 7 groups out, 193 filtered (folded into the groups)\n"
          + "  records:      200 read = 7 written + 193 filtered + 0 skipped + 0 dead-lettered\n"), text.err());

      pipeline("r", chunk, "{ id: ten, type: sample, config: { size: 10 } }");
      CliHarness.Result s = wiz.run("run", "r.yaml", "--force", "--format", "json");
      assertEquals(0, s.code(), s.toString());
      assertEquals("ten 200 10 190 0; total 190 0", counts(Json.mapper().readTree(s.out())), "chunks of " + chunk);
    }
  }

  @Test
  void aSortOfNothingSaysItSortedNothing() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), "");
    pipeline("e", 10, "{ id: s, type: sort, config: { by: [{key: .a}] } }");
    CliHarness.Result text = wiz.run("run", "e.yaml");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.err().contains("\n  s:            0 in, 0 out, sorted\n"), text.err());
  }

  private static final String EXPLODE = "{ id: x, type: explode, config: { field: xs } }";

  /** Six records in chunks of two: the first and the last filter one, the first and the second create one. */
  private void explodeInput() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), IN + IN);
    pipeline("x", 2, EXPLODE);
  }

  @Test
  void aResumedRunTakesOverThePerRecordCountsOfTheChunksItReuses() throws IOException {
    explodeInput();
    CliHarness.Result whole = wiz.run("run", "x.yaml", "--format", "json");
    assertEquals(0, whole.code(), whole.toString());
    assertEquals("x 6 6 2 2; total 2 2", counts(Json.mapper().readTree(whole.out())));
    for (Path p : List.of(work.resolve(".wiz"), work.resolve("out.jsonl"))) deleteAll(p);

    StagedCrash.after(wiz, work, "x.yaml", "out.jsonl", 1);
    CliHarness.Result resumed = wiz.run("run", "x.yaml", "--resume", "--format", "json");
    assertEquals(0, resumed.code(), resumed.toString());
    JsonNode o = Json.mapper().readTree(resumed.out());
    assertEquals(1, o.get("reusedChunks").asInt(), o.toString());
    assertEquals(2, o.get("filtered").asLong(), "those of a run never stopped: " + o);
    assertEquals(2, o.get("created").asLong(), o.toString());
    assertEquals(0, wiz.run("provenance", "verify").code());
  }

  /**
   * A log as a wiz that counted per chunk wrote it (no filtered and created in its events) still
   * shows, verifies, exports and resumes: the chunks it takes over are counted by their net, as then.
   */
  @Test
  void aLogWithoutPerRecordCountsStillReadsVerifiesAndResumes() throws IOException {
    explodeInput();
    assertEquals(0, wiz.run("-q", "run", "x.yaml").code());
    Path run;
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    assertTrue(Files.readString(run.resolve("provenance.jsonl")).contains("\"filtered\":1,\"created\":1"));
    asAnOlderWizWroteIt(run);
    assertFalse(Files.readString(run.resolve("provenance.jsonl")).contains("\"created\""));
    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    String chunk = Json.mapper().readTree(wiz.run("provenance", "list", "--format", "json").out()).at("/0/chunk").asText();
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("records 2 in, 2 out (content-modified) in "), show.out());
    for (String format : List.of("prov", "openlineage")) {
      CliHarness.Result export = wiz.run("provenance", "export", "--format", format);
      assertEquals(0, export.code(), format + ": " + export);
    }

    for (Path p : List.of(work.resolve(".wiz"), work.resolve("out.jsonl"))) deleteAll(p);
    String crashed = StagedCrash.after(wiz, work, "x.yaml", "out.jsonl", 1);
    asAnOlderWizWroteIt(work.resolve(".wiz/runs/" + crashed));
    CliHarness.Result resumed = wiz.run("run", "x.yaml", "--resume", "--format", "json");
    assertEquals(0, resumed.code(), resumed.toString());
    JsonNode o = Json.mapper().readTree(resumed.out());
    assertEquals(1, o.get("reusedChunks").asInt(), o.toString());
    // The chunk taken over is counted by its net, as the run that wrote the log counted it (2 in,
    // 2 out: none, where per record it filtered one and created one); the others per record.
    assertEquals("x 4 4 1 1; total 1 1", counts(o), o.toString());
    assertEquals("{\"a\":2,\"xs\":1}\n{\"a\":2,\"xs\":2}\n{\"a\":3,\"xs\":5}\n".repeat(2),
        Files.readString(work.resolve("out.jsonl")));
    assertEquals(0, wiz.run("provenance", "verify").code());
  }

  /** The log without the per-record counts, chained again, with run.json's head to match. */
  private static void asAnOlderWizWroteIt(Path run) throws IOException {
    Path log = run.resolve("provenance.jsonl");
    List<String> out = new ArrayList<>();
    String prev = ProvenanceLog.GENESIS;
    for (String line : Files.readAllLines(log)) {
      ObjectNode e = (ObjectNode) Json.mapper().readTree(line);
      e.remove(List.of("filtered", "created", "hash"));
      e.put("prev", prev);
      String hash = Json.digest(e);
      e.put("hash", hash);
      out.add(Json.mapper().writeValueAsString(e));
      prev = hash;
    }
    Files.write(log, out);
    ObjectNode record = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    if (record.get("provenance") instanceof ObjectNode p) p.put("head", prev);
    Files.writeString(run.resolve("run.json"), record.toString());
  }

  private static void deleteAll(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(q);
    }
  }
}

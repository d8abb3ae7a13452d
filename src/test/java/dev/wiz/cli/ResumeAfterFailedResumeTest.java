package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --resume} (run B) that took over the output and committed chunks of a run killed with
 * {@code kill -9} (run A), and then did not finish (killed too, or failed), leaves the next
 * {@code --resume} (run C) every chunk A or B committed: also those B took over but had not logged
 * as taken over when it ended. C redid them before, to the same bytes.
 */
class ResumeAfterFailedResumeTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: again",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "sink: { type: file, path: out.jsonl }",
      "run: { workers: 1, onError: dead-letter, commitMillis: 0, maxFailures: 10 }",
      "");

  /** 600 lines, every 7th not JSON (dead-lettered): 60 chunks, each with dead letters or next to one with. */
  private static final String INPUT = IntStream.range(0, 600)
      .mapToObj(i -> i % 7 == 3 ? "bad " + i : "{\"id\":" + i + "}")
      .collect(Collectors.joining("\n", "", "\n"));

  private static CliHarness setUp(Path dir, String pipeline, String input) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.yaml"), pipeline);
    Files.writeString(dir.resolve("in.jsonl"), input);
    return new CliHarness(dir);
  }

  /** The output and dead letters of an uninterrupted run. */
  private record Reference(byte[] output, byte[] deadLetters) {}

  private static Reference reference(Path dir, String pipeline, String input, int exitCode) throws IOException {
    CliHarness.Result r = setUp(dir, pipeline, input).run("run", "p.yaml", "--format", "json");
    assertEquals(exitCode, r.code(), r.toString());
    Path dead = dir.resolve(".wiz/runs").resolve(Json.mapper().readTree(r.out()).get("runId").asText())
        .resolve("dead-letter.jsonl");
    return new Reference(Files.readAllBytes(dir.resolve("out.jsonl")), Files.exists(dead) ? Files.readAllBytes(dead) : null);
  }

  /** Runs {@code --resume}; returns its JSON summary. */
  private static JsonNode resume(CliHarness wiz, int exitCode) throws IOException {
    CliHarness.Result r = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(exitCode, r.code(), r.toString());
    return Json.mapper().readTree(r.out());
  }

  /**
   * Turns what the run {@code runId} (which ran to its end) left into what {@code kill -9} leaves
   * once its log committed the events of its first {@code chunks} chunks: its log cut after the
   * SEND or REUSED of the last of them, its whole output (written further than it committed) in its
   * temporary file, its dead letters as they are, and the run and its attempt recorded as crashed.
   */
  static void killedAfter(Path dir, String runId, int chunks) throws IOException {
    killedAfter(dir, runId, chunks, "out.jsonl");
  }

  /** As {@link #killedAfter(Path, String, int)}, for a run whose output is {@code output}. */
  static void killedAfter(Path dir, String runId, int chunks, String output) throws IOException {
    Path run = dir.resolve(".wiz/runs").resolve(runId);
    Path log = run.resolve("provenance.jsonl");
    List<String> lines = Files.readAllLines(log);
    int end = 0;
    for (int done = 0; done < chunks; end++) {
      String type = Json.mapper().readTree(lines.get(end)).get("type").asText();
      if (type.equals("SEND") || type.equals("REUSED")) done++;
    }
    Files.writeString(log, lines.subList(0, end).stream().map(l -> l + "\n").collect(Collectors.joining()));
    Files.move(dir.resolve(output), dir.resolve("." + output + "." + runId + ".tmp"));
    ObjectNode record = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    record.put("status", "crashed");
    record.remove(List.of("provenance", "counts", "output", "processors", "endedAt", "seconds", "readStopped", "error"));
    Files.writeString(run.resolve("run.json"), record.toString());
    markCrashed(dir, runId);
  }

  /** The run's attempt, and the request, recorded as crashed. */
  private static void markCrashed(Path dir, String runId) throws IOException {
    try (Stream<Path> requests = Files.list(dir.resolve(".wiz/requests"))) {
      Path file = requests.findFirst().orElseThrow().resolve("record.json");
      ObjectNode request = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
      request.put("status", "crashed");
      for (JsonNode a : request.get("attempts")) {
        if (a.get("runId").asText().equals(runId)) ((ObjectNode) a).put("status", "crashed");
      }
      Files.writeString(file, request.toString());
    }
  }

  /** The REUSED events of a run's log: for each, the run it names as having committed the chunk. */
  private static List<String> reusedFrom(Path dir, String runId) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(".wiz/runs").resolve(runId).resolve("provenance.jsonl"))) {
      JsonNode e = Json.mapper().readTree(line);
      if (e.get("type").asText().equals("REUSED")) out.add(e.get("committedBy").asText());
    }
    return out;
  }

  private static List<String> times(int n, String run) {
    return java.util.Collections.nCopies(n, run);
  }

  private static String anyRequest(String deadLetter) {
    return deadLetter.replaceFirst("^\\{\"chunk\":\"([a-z]+)-[0-9a-f]{8}-", "{\"chunk\":\"$1-*-");
  }

  /** The last run's output and dead letters are the uninterrupted run's, and every log of the state folder verifies. */
  private static void assertAsUninterrupted(Reference expected, Path dir, CliHarness wiz, String lastRun) throws IOException {
    assertArrayEquals(expected.output(), Files.readAllBytes(dir.resolve("out.jsonl")), "the output's bytes");
    if (expected.deadLetters() != null) {
      // The chunk ids name the request, whose key has the input's path: the reference's is elsewhere.
      List<String> want = new String(expected.deadLetters(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .map(ResumeAfterFailedResumeTest::anyRequest).toList();
      List<String> got = Files.readAllLines(dir.resolve(".wiz/runs").resolve(lastRun).resolve("dead-letter.jsonl"))
          .stream().map(ResumeAfterFailedResumeTest::anyRequest).toList();
      int same = 0;
      while (same < Math.min(want.size(), got.size()) && want.get(same).equals(got.get(same))) same++;
      assertTrue(same == want.size() && same == got.size(), "the dead letters: " + got.size() + " lines, not " + want.size()
          + "; the first " + same + " are the same" + (same < got.size() ? ", then " + got.get(same) : ""));
    }
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      for (Path run : runs.toList()) {
        CliHarness.Result verify = wiz.run("provenance", "verify", "--run", run.getFileName().toString());
        assertEquals(0, verify.code(), run + ": " + verify);
      }
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
          "no temporary output is left");
    }
  }

  @Test
  void aResumeKilledBeforeItLoggedEveryChunkItTookOverLeavesThemAllToTheNext(@TempDir Path tmp) throws IOException {
    Reference expected = reference(tmp.resolve("ref"), PIPELINE, INPUT, 5);
    Path dir = tmp.resolve("run");
    CliHarness wiz = setUp(dir, PIPELINE, INPUT);
    String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl", 40, 5);
    JsonNode b = resume(wiz, 5);
    assertEquals(40, b.get("reusedChunks").asLong(), b.toString());
    killedAfter(dir, b.get("runId").asText(), 15); // 15 of the 40 REUSED events committed

    CliHarness.Result c = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(5, c.code(), c.toString());
    JsonNode summary = Json.mapper().readTree(c.out());
    assertEquals(40, summary.get("reusedChunks").asLong(), "every chunk run " + a + " committed: " + c);
    assertEquals("resumed run " + b.get("runId").asText() + ": 40 chunks already committed, 25 of them as run " + a
        + " logged them (run " + b.get("runId").asText() + " took them over, but ended before it logged that)",
        summary.get("resumed").asText(), c.out());
    assertEquals(times(40, a), reusedFrom(dir, summary.get("runId").asText()), "each chunk names the run that committed it");
    assertEquals(514, summary.get("read").asLong(), summary.toString());
    assertEquals(86, summary.get("deadLettered").asLong(), summary.toString());
    assertAsUninterrupted(expected, dir, wiz, summary.get("runId").asText());
  }

  @Test
  void aResumeKilledBeforeItsFirstCommitLeavesWhatTheRunBeforeItCommitted(@TempDir Path tmp) throws IOException {
    Reference expected = reference(tmp.resolve("ref"), PIPELINE, INPUT, 5);
    Path dir = tmp.resolve("run");
    CliHarness wiz = setUp(dir, PIPELINE, INPUT);
    String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl", 40, 5);
    JsonNode b = resume(wiz, 5);
    killedAfter(dir, b.get("runId").asText(), 0); // its log is empty

    JsonNode c = resume(wiz, 5);
    assertEquals(40, c.get("reusedChunks").asLong(), c.toString());
    assertEquals(times(40, a), reusedFrom(dir, c.get("runId").asText()));
    assertAsUninterrupted(expected, dir, wiz, c.get("runId").asText());
  }

  @Test
  void aResumeKilledAfterChunksOfItsOwnLeavesThemWithThoseItTookOver(@TempDir Path tmp) throws IOException {
    Reference expected = reference(tmp.resolve("ref"), PIPELINE, INPUT, 5);
    Path dir = tmp.resolve("run");
    CliHarness wiz = setUp(dir, PIPELINE, INPUT);
    String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl", 40, 5);
    JsonNode b = resume(wiz, 5);
    String bId = b.get("runId").asText();
    killedAfter(dir, bId, 55); // the 40 it took over and 15 of its own

    JsonNode c = resume(wiz, 5);
    assertEquals(55, c.get("reusedChunks").asLong(), c.toString());
    List<String> from = new ArrayList<>(times(40, a));
    from.addAll(times(15, bId));
    assertEquals(from, reusedFrom(dir, c.get("runId").asText()));
    assertAsUninterrupted(expected, dir, wiz, c.get("runId").asText());
  }

  @Test
  void twoResumesKilledOneAfterTheOtherLeaveEveryChunkToTheThird(@TempDir Path tmp) throws IOException {
    Reference expected = reference(tmp.resolve("ref"), PIPELINE, INPUT, 5);
    Path dir = tmp.resolve("run");
    CliHarness wiz = setUp(dir, PIPELINE, INPUT);
    String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl", 40, 5);
    JsonNode b = resume(wiz, 5);
    killedAfter(dir, b.get("runId").asText(), 15);
    JsonNode c = resume(wiz, 5);
    assertEquals(40, c.get("reusedChunks").asLong(), c.toString());
    killedAfter(dir, c.get("runId").asText(), 5); // took over 40 (15 as B logged them, 25 as A did), logged 5

    JsonNode d = resume(wiz, 5);
    assertEquals(40, d.get("reusedChunks").asLong(), d.toString());
    assertEquals(times(40, a), reusedFrom(dir, d.get("runId").asText()));
    assertAsUninterrupted(expected, dir, wiz, d.get("runId").asText());
  }

  @Test
  void aResumeKilledBeforeItWroteItsRecordLeavesWhatTheRunBeforeItCommitted(@TempDir Path tmp) throws IOException {
    Reference expected = reference(tmp.resolve("ref"), PIPELINE, INPUT, 5);
    for (boolean renamed : new boolean[] {true, false}) {
      Path dir = tmp.resolve(renamed ? "renamed" : "not-yet");
      CliHarness wiz = setUp(dir, PIPELINE, INPUT);
      String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl", 40, 5);
      // A --resume killed once it took the lock (its holder stays in the lock file) and renamed run
      // A's partial output to its own (or before it did), before it wrote its record.
      String b = java.util.UUID.randomUUID().toString();
      try (Stream<Path> requests = Files.list(dir.resolve(".wiz/requests"))) {
        Files.writeString(requests.findFirst().orElseThrow().resolve("lock"),
            "{\"runId\":\"" + b + "\",\"pid\":2000000000,\"startedAt\":\"" + java.time.Instant.now() + "\"}\n");
      }
      if (renamed) {
        Files.move(dir.resolve(".out.jsonl." + a + ".tmp"), dir.resolve(".out.jsonl." + b + ".tmp"));
      } else {
        // Its attempt recorded as crashed (as a run of another request that found it dead would):
        // run A's partial output is still what --resume goes on from.
        try (Stream<Path> requests = Files.list(dir.resolve(".wiz/requests"))) {
          Path file = requests.findFirst().orElseThrow().resolve("record.json");
          ObjectNode request = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
          ((com.fasterxml.jackson.databind.node.ArrayNode) request.get("attempts")).addObject()
              .put("runId", b).put("status", "crashed").put("startedAt", java.time.Instant.now().toString());
          Files.writeString(file, request.toString());
        }
        CliHarness.Result listed = wiz.run("requests", "--format", "json");
        assertEquals(0, listed.code(), listed.toString());
        JsonNode partials = Json.mapper().readTree(listed.out()).get(0).get("partialOutputs");
        assertEquals(1, partials.size(), listed.out());
        assertEquals(a, partials.get(0).get("runId").asText(), listed.out());
        assertTrue(partials.get(0).get("resumable").asBoolean(), "--resume goes on from it: " + listed.out());
        // Killed before it cut a torn last line of run A's log, too.
        Files.writeString(dir.resolve(".wiz/runs").resolve(a).resolve("provenance.jsonl"), "{\"schema\":1,\"seq\":4",
            java.nio.file.StandardOpenOption.APPEND);
      }

      JsonNode c = resume(wiz, 5);
      assertEquals(40, c.get("reusedChunks").asLong(), "renamed " + renamed + ": " + c);
      assertEquals("resumed run " + b + ": 40 chunks already committed, 40 of them as run " + a + " logged them (run " + b
          + " ended before it wrote its record)", c.get("resumed").asText());
      assertEquals(times(40, a), reusedFrom(dir, c.get("runId").asText()));
      assertAsUninterrupted(expected, dir, wiz, c.get("runId").asText());
    }
  }

  /** Each chunk forks into two (explode), each written as a gzip member of its own. */
  private static final String FORKING = String.join("\n",
      "wiz: 1",
      "name: forks",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "processors:",
      "  - { id: x, type: explode, config: { field: xs, as: x } }",
      "sink: { type: file, path: out.jsonl.gz }",
      "run: { workers: 1, onError: dead-letter, commitMillis: 0, maxFailures: 10 }",
      "");

  @Test
  void forkedChunksInGzipMembersAreTakenOverThroughAResumeKilledBeforeItLoggedThem(@TempDir Path tmp) throws IOException {
    String input = IntStream.range(0, 200).mapToObj(i -> i % 9 == 4 ? "bad " + i : "{\"id\":" + i + ",\"xs\":[" + i + ","
        + (i + 1) + "]}").collect(Collectors.joining("\n", "", "\n"));
    Path ref = tmp.resolve("ref");
    CliHarness.Result whole = setUp(ref, FORKING, input).run("run", "p.yaml");
    assertEquals(5, whole.code(), whole.toString());
    byte[] expected = Files.readAllBytes(ref.resolve("out.jsonl.gz"));
    Path dir = tmp.resolve("run");
    CliHarness wiz = setUp(dir, FORKING, input);
    String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl.gz", 24, 5); // 24 SENDs: 12 chunks, two members each
    JsonNode b = resume(wiz, 5);
    assertEquals(12, b.get("reusedChunks").asLong(), b.toString());
    killedAfter(dir, b.get("runId").asText(), 4, "out.jsonl.gz");

    JsonNode c = resume(wiz, 5);
    assertEquals(12, c.get("reusedChunks").asLong(), c.toString());
    assertEquals(times(12, a), reusedFrom(dir, c.get("runId").asText()));
    assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out.jsonl.gz")), "the same gzip bytes");
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      for (Path run : runs.toList()) {
        CliHarness.Result verify = wiz.run("provenance", "verify", "--run", run.getFileName().toString());
        assertEquals(0, verify.code(), run + ": " + verify);
      }
    }
  }

  /**
   * A step that keeps state (dedupe) makes a resumed run process the chunks it takes over again;
   * the exec step fails the chunk of the record the file {@code boom} holds.
   */
  private static final String FAILING = String.join("\n",
      "wiz: 1",
      "name: fails",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "processors:",
      "  - { id: once, type: dedupe, config: { key: .id } }",
      "  - id: e",
      "    type: exec",
      "    config:",
      "      protocol: line-per-record",
      "      command: [/bin/sh, -c, 'while IFS= read -r l; do if [ -e boom ] && [ \"$l\" = \"$(cat boom)\" ]; then exit 3;"
          + " fi; printf \"%s\\n\" \"$l\"; done']",
      "sink: { type: file, path: out.jsonl }",
      "run: { workers: 1, onError: fail, maxAttempts: 1, commitMillis: 0, maxFailures: 10 }",
      "");

  private static final String IDS = IntStream.range(0, 100).mapToObj(i -> "{\"id\":" + i + "}")
      .collect(Collectors.joining("\n", "", "\n"));

  @Test
  void aResumeThatFailsAfterItTookTheOutputOverLeavesEveryChunkToTheNext(@TempDir Path tmp) throws IOException {
    Reference expected = reference(tmp.resolve("ref"), FAILING, IDS, 0);
    for (int failAt : new int[] {25, 5}) { // after it committed two chunks it took over; before it committed any
      Path dir = tmp.resolve("fail-at-" + failAt);
      CliHarness wiz = setUp(dir, FAILING, IDS);
      String a = StagedCrash.after(wiz, dir, "p.yaml", "out.jsonl", 8, 0);
      Files.writeString(dir.resolve("boom"), "{\"id\":" + failAt + "}");
      CliHarness.Result b = wiz.run("run", "p.yaml", "--resume", "--format", "json");
      assertEquals(4, b.code(), b.toString());
      JsonNode failed = Json.mapper().readTree(b.out());
      assertEquals(failAt / 10, failed.get("reusedChunks").asLong(), "the chunks before the one that failed: " + b);
      Files.delete(dir.resolve("boom"));

      JsonNode c = resume(wiz, 0);
      assertEquals(8, c.get("reusedChunks").asLong(), "fail at " + failAt + ": every chunk run " + a + " committed: " + c);
      assertEquals(times(8, a), reusedFrom(dir, c.get("runId").asText()));
      assertAsUninterrupted(expected, dir, wiz, c.get("runId").asText());
    }
  }
}

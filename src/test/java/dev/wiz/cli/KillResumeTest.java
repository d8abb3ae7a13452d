package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.provenance.ProvenanceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-safety harness: {@code wiz run} in a process of its own is killed with SIGKILL at 20
 * moments spread over its run, then {@code --resume}d. Every final output must be the bytes of an
 * uninterrupted run, and every provenance log must verify. The runs are cut into 200 chunks (the
 * moments are spread over them) of 100 records each: what is checked depends on the chunks, not on
 * their size, and each kill costs a whole run (the killed part and the resumed rest).
 */
@Tag("slow")
class KillResumeTest {
  private static final int KILLS = 20;
  /** 20,000 lines in chunks of 100. */
  private static final int CHUNKS = 200;
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: crash",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 100 }",
      "processors:",
      "  - { id: ok, type: filter, config: { where: '.status == \"ok\"' } }",
      "  - { id: shape, type: jq, config: { program: '{id, user, cents: (.amount * 100)}' } }",
      "sink: { type: file, path: out/result.json, format: json }",
      "run: { workers: 2, onError: dead-letter, seed: 1, commitMillis: 20 }",
      "");

  private static String input() {
    return IntStream.range(0, 20_000)
        .mapToObj(i -> i == 777 ? "not json"
            : "{\"id\":" + i + ",\"user\":\"u" + (i * 7919 % 1000) + "\",\"status\":\"" + (i % 5 == 0 ? "error" : "ok")
                + "\",\"amount\":" + (i % 97) + "." + (i % 10) + "}")
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static Path setUp(Path dir, String input) throws IOException {
    return setUp(dir, input, PIPELINE);
  }

  private static Path setUp(Path dir, String input, String pipeline) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.yaml"), pipeline);
    Files.writeString(dir.resolve("in.jsonl"), input);
    return dir;
  }

  private static Process start(Path dir) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "dev.wiz.cli.Main", "-q", "run", "p.yaml")
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /**
   * Waits until the run in {@code dir} has logged at least {@code sends} SEND events (chunks whose
   * bytes went to the output), or has ended.
   */
  private static void waitForSends(Path dir, Process victim, int sends) throws IOException, InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (victim.isAlive() && sendsLogged(dir) < sends) {
      assertTrue(System.nanoTime() < until, "the run sent " + sends + " chunks within 2 minutes");
      Thread.sleep(2);
    }
  }

  private static long sendsLogged(Path dir) throws IOException {
    Path runs = dir.resolve(".wiz/runs");
    if (!Files.isDirectory(runs)) return 0;
    long n = 0;
    try (Stream<Path> list = Files.list(runs)) {
      for (Path run : list.toList()) {
        Path log = run.resolve("provenance.jsonl");
        if (!Files.exists(log)) continue;
        String text;
        try {
          text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1); // a torn last line is no error
        } catch (java.nio.file.NoSuchFileException e) {
          continue;
        }
        for (int i = text.indexOf("\"type\":\"SEND\""); i >= 0; i = text.indexOf("\"type\":\"SEND\"", i + 1)) n++;
      }
    }
    return n;
  }

  @Test
  void resumeAfterSigkillAtTwentyMomentsGivesTheBytesOfAnUninterruptedRun(@TempDir Path tmp) throws Exception {
    String input = input();
    Path ref = setUp(tmp.resolve("reference"), input);
    Process p = start(ref);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the reference run ends");
    assertEquals(5, p.exitValue(), "one undecodable line is dead-lettered: completed with errors");
    byte[] expected = Files.readAllBytes(ref.resolve("out/result.json"));

    TreeSet<Long> takenOver = new TreeSet<>();
    List<String> report = new ArrayList<>();
    for (int k = 0; k < KILLS; k++) {
      Path dir = setUp(tmp.resolve("kill-" + k), input);
      Process victim = start(dir);
      // Killed once the run has sent k/19 of its chunks (0: as soon as it starts; 19: all, while it
      // finishes), whatever the machine's speed: the moments are spread by the run's progress, not
      // by a clock.
      waitForSends(dir, victim, k * CHUNKS / (KILLS - 1));
      if (victim.isAlive()) {
        victim.destroyForcibly(); // SIGKILL
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "kill " + k + ": the process ends");
      }
      CliHarness wiz = new CliHarness(dir);
      CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume", "--format", "json");
      if (resumed.code() == 6) {
        // Killed too late: the run had already succeeded, and the rule says so.
        assertTrue(resumed.err().contains("already succeeded"), resumed.toString());
        report.add(k + ": finished before the kill");
      } else {
        assertEquals(5, resumed.code(), "kill " + k + ": " + resumed);
        JsonNode summary = Json.mapper().readTree(resumed.out());
        takenOver.add(summary.get("reusedChunks").asLong());
        report.add(k + ": " + summary.get("reusedChunks").asLong() + " chunks taken over");
        assertEquals(1, summary.get("deadLettered").asLong(), "kill " + k + ": the bad line is dead-lettered once");
        // Every record of the input is accounted for once, reused chunks included.
        assertEquals(19_999, summary.get("read").asLong(), "kill " + k + ": " + summary);
        assertEquals(1, summary.get("decodeErrors").asLong(), "kill " + k + ": " + summary);
        assertEquals(15_999, summary.get("written").asLong(), "kill " + k + ": " + summary);
        assertEquals(4_000, summary.get("filtered").asLong(), "kill " + k + ": " + summary);
        assertEquals(0, summary.get("created").asLong() + summary.get("skipped").asLong(), "kill " + k + ": " + summary);
      }
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out/result.json")),
          "kill " + k + " (" + report.get(report.size() - 1) + "): the output is byte-identical");
      try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
        for (Path run : runs.toList()) {
          Path log = run.resolve("provenance.jsonl");
          if (!Files.exists(log)) continue;
          Optional<ProvenanceReader.BadLine> bad = ProvenanceReader.verify(log);
          assertTrue(bad.isEmpty(), "kill " + k + ": " + log + " verifies: " + bad);
        }
      }
      try (Stream<Path> left = Files.list(dir.resolve("out"))) {
        assertEquals(List.of("result.json"), left.map(f -> f.getFileName().toString()).toList(),
            "kill " + k + ": no partial output is left behind once the output is complete");
      }
    }
    assertTrue(takenOver.size() >= 5 && takenOver.last() > 0,
        "the kills hit many moments of the run: " + report);
  }

  /** The same job into a gzip file: each chunk a member of its own. */
  private static final String GZIP = PIPELINE.replace("path: out/result.json, format: json", "path: out/result.json.gz, format: json");

  @Test
  void aGzipOutputResumedAfterSigkillIsTheBytesOfAnUninterruptedRun(@TempDir Path tmp) throws Exception {
    String input = input();
    Path ref = setUp(tmp.resolve("reference"), input, GZIP);
    Process p = start(ref);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the reference run ends");
    assertEquals(5, p.exitValue(), "one undecodable line is dead-lettered: completed with errors");
    byte[] expected = Files.readAllBytes(ref.resolve("out/result.json.gz"));
    TreeSet<Long> takenOver = new TreeSet<>();
    int kills = 4;
    for (int k = 0; k < kills; k++) {
      Path dir = setUp(tmp.resolve("kill-" + k), input, GZIP);
      Process victim = start(dir);
      waitForSends(dir, victim, (k + 1) * CHUNKS / (kills + 1));
      if (victim.isAlive()) {
        victim.destroyForcibly(); // SIGKILL
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "kill " + k + ": the process ends");
      }
      CliHarness wiz = new CliHarness(dir);
      CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume", "--format", "json");
      if (resumed.code() == 6) continue; // finished before the kill
      assertEquals(5, resumed.code(), "kill " + k + ": " + resumed);
      takenOver.add(Json.mapper().readTree(resumed.out()).get("reusedChunks").asLong());
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out/result.json.gz")), "kill " + k + ": the same bytes");
      CliHarness.Result verify = wiz.run("provenance", "verify");
      assertEquals(0, verify.code(), "kill " + k + ": " + verify);
    }
    assertTrue(!takenOver.isEmpty() && takenOver.last() > 0, "chunks were taken over: " + takenOver);
  }

  /** 10,000 lines in chunks of 100, each exploded into two records, so each chunk forks into two. */
  private static final String FORKING = String.join("\n",
      "wiz: 1",
      "name: forks",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 100 }",
      "processors:",
      "  - { id: x, type: explode, config: { field: xs, as: x } }",
      "  - { id: some, type: filter, config: { where: '.x % 3 != 0' } }",
      "sink: { type: file, path: out/result.jsonl }",
      "run: { workers: 2, onError: dead-letter, commitMillis: 20 }",
      "");

  @Test
  void aPipelineThatForksItsChunksIsResumedFromWhatItCommittedToo(@TempDir Path tmp) throws Exception {
    String input = IntStream.range(0, 10_000)
        .mapToObj(i -> i == 777 ? "not json" : i % 1_000 == 5 ? "{\"id\":" + i + ",\"xs\":\"none\"}"
            : "{\"id\":" + i + ",\"xs\":[" + i + "," + (i + 1) + "]}")
        .collect(Collectors.joining("\n", "", "\n"));
    Path ref = setUp(tmp.resolve("reference"), input, FORKING);
    CliHarness.Result whole = new CliHarness(ref).run("run", "p.yaml", "--format", "json");
    assertEquals(5, whole.code(), whole.toString());
    JsonNode expected = Json.mapper().readTree(whole.out());
    byte[] bytes = Files.readAllBytes(ref.resolve("out/result.jsonl"));
    TreeSet<Long> takenOver = new TreeSet<>();
    int kills = 6;
    for (int k = 0; k < kills; k++) {
      Path dir = setUp(tmp.resolve("kill-" + k), input, FORKING);
      Process victim = start(dir);
      waitForSends(dir, victim, (k + 1) * 200 / (kills + 1)); // 200 SENDs: two children a chunk
      if (victim.isAlive()) {
        victim.destroyForcibly(); // SIGKILL
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "kill " + k + ": the process ends");
      }
      CliHarness.Result resumed = new CliHarness(dir).run("run", "p.yaml", "--resume", "--format", "json");
      if (resumed.code() == 6) continue; // finished before the kill
      assertEquals(5, resumed.code(), "kill " + k + ": " + resumed);
      JsonNode summary = Json.mapper().readTree(resumed.out());
      takenOver.add(summary.get("reusedChunks").asLong());
      for (String count : List.of("read", "decodeErrors", "written", "filtered", "created", "skipped", "deadLettered")) {
        assertEquals(expected.get(count).asLong(), summary.get(count).asLong(),
            "kill " + k + ": " + count + " as in the run that was not killed: " + summary);
      }
      assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("out/result.jsonl")), "kill " + k + ": the same bytes");
      try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
        for (Path run : runs.toList()) {
          Path log = run.resolve("provenance.jsonl");
          if (Files.exists(log)) assertTrue(ProvenanceReader.verify(log).isEmpty(), "kill " + k + ": " + log + " verifies");
        }
      }
    }
    assertTrue(!takenOver.isEmpty() && takenOver.last() > 0, "forked chunks were taken over: " + takenOver);
  }

  /** The same input grouped by its unique id, the groups spilled to disk many times over. */
  private static final String SPILLING = String.join("\n",
      "wiz: 1",
      "name: spills",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 100 }",
      "processors:",
      "  - { id: ok, type: filter, config: { where: '.status == \"ok\"' } }",
      "  - id: by-id",
      "    type: aggregate",
      "    config:",
      "      groupBy: { id: '.id' }",
      "      aggregates: { n: { op: count }, cents: { op: sum, of: '.amount * 100' }, user: { op: first, of: '.user' } }",
      "      memoryBytes: 200000",
      "sink: { type: file, path: out/result.jsonl }",
      "run: { workers: 2, onError: dead-letter, seed: 1, commitMillis: 20 }",
      "");

  private static long spillFiles(Path dir) throws IOException {
    Path runs = dir.resolve(".wiz/runs");
    if (!Files.isDirectory(runs)) return 0;
    try (Stream<Path> all = Files.walk(runs)) {
      return all.filter(f -> f.getFileName().toString().startsWith("aggregate-")).count();
    } catch (java.io.UncheckedIOException e) {
      return 0; // a file went away while it was listed
    }
  }

  @Test
  void anAggregateKilledWhileItSpillsOrEmitsIsResumedToTheBytesOfAnUninterruptedRun(@TempDir Path tmp) throws Exception {
    String input = input();
    Path ref = setUp(tmp.resolve("reference"), input, SPILLING);
    CliHarness.Result whole = new CliHarness(ref).run("run", "p.yaml", "--format", "json");
    assertEquals(5, whole.code(), whole.toString());
    byte[] bytes = Files.readAllBytes(ref.resolve("out/result.jsonl"));
    assertEquals(15_999, new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().count());
    List<String> report = new ArrayList<>();
    // Killed once it spilled (1 and 4 files, while it reads), then once it sent 1, 60 and 150 of its 160 chunks.
    int[][] moments = {{1, 0}, {4, 0}, {0, 1}, {0, 60}, {0, 150}};
    for (int k = 0; k < moments.length; k++) {
      Path dir = setUp(tmp.resolve("kill-" + k), input, SPILLING);
      Process victim = start(dir);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (victim.isAlive() && (spillFiles(dir) < moments[k][0] || sendsLogged(dir) < moments[k][1])) {
        assertTrue(System.nanoTime() < until, "kill " + k + ": the moment comes within 2 minutes");
        Thread.sleep(2);
      }
      String when = victim.isAlive() ? spillFiles(dir) + " spill files, " + sendsLogged(dir) + " chunks sent" : "ended";
      if (victim.isAlive()) {
        victim.destroyForcibly(); // SIGKILL
        assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "kill " + k + ": the process ends");
      }
      report.add(k + ": " + when);
      CliHarness.Result resumed = new CliHarness(dir).run("run", "p.yaml", "--resume", "--format", "json");
      if (resumed.code() == 6) continue; // finished before the kill
      assertEquals(5, resumed.code(), "kill " + k + " (" + when + "): " + resumed);
      assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("out/result.jsonl")), "kill " + k + " (" + when + "): the same bytes");
      assertEquals(0, spillFiles(dir), "kill " + k + ": no spill file is left, the killed run's neither");
      assertEquals(0, new CliHarness(dir).run("provenance", "verify").code(), "kill " + k);
    }
    assertTrue(report.stream().filter(r -> r.contains("spill files")).count() >= 3, "the kills hit the run: " + report);
  }
}

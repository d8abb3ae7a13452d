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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --resume} after the state folder was changed between a crash and the resume. */
class DamagedStateResumeTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: locks",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "processors:",
      "  - { id: ids, type: jq, config: { program: '{id}' } }",
      "sink: { type: file, path: out.jsonl }",
      "");

  private byte[] uninterrupted;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE);
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 100).mapToObj(i -> "{\"id\":" + i + ",\"x\":1}")
        .collect(Collectors.joining("\n", "", "\n")));
  }

  /** What kill -9 after 4 chunks leaves (the run and its attempt still recorded running), then the lock file as given. */
  private String crashedThenLock(String lock, long pid) throws IOException {
    String id = StagedCrash.after(wiz, work, "p.yaml", "out.jsonl", 4);
    Path run = work.resolve(".wiz/runs").resolve(id);
    ObjectNode record = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    record.put("status", "running").put("pid", pid);
    Files.writeString(run.resolve("run.json"), record.toString());
    Path dir;
    try (Stream<Path> requests = Files.list(work.resolve(".wiz/requests"))) {
      dir = requests.findFirst().orElseThrow();
    }
    ObjectNode request = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(dir.resolve("record.json")));
    request.put("status", "running");
    ((ObjectNode) request.get("attempts").get(0)).put("status", "running").remove("endedAt");
    Files.writeString(dir.resolve("record.json"), request.toString());
    if (lock == null) {
      Files.deleteIfExists(dir.resolve("lock"));
    } else {
      Files.writeString(dir.resolve("lock"), lock);
    }
    return id;
  }

  @Test
  void aResumeGoesOnFromADeadRunWhoseLockFileWasRemovedOrEmptied() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    uninterrupted = Files.readAllBytes(work.resolve("out.jsonl"));
    for (String lock : new String[] {null, ""}) {
      deleteState();
      String dead = crashedThenLock(lock, ProcessHandle.current().pid());
      CliHarness.Result r = wiz.run("run", "p.yaml", "--resume");
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.err().startsWith("wiz: resumed run " + dead + ": 4 chunks already committed\n"), r.err());
      assertArrayEquals(uninterrupted, Files.readAllBytes(work.resolve("out.jsonl")));
      JsonNode req = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).get(0);
      assertEquals("crashed", req.at("/runs/0/status").asText(), req.toString());
      assertEquals("the process (pid " + ProcessHandle.current().pid() + ") ended without finishing the run",
          req.at("/runs/0/error").asText());
      assertEquals("crashed", Json.mapper().readTree(Files.readAllBytes(work.resolve(".wiz/runs").resolve(dead)
          .resolve("run.json"))).get("status").asText());
      assertEquals(0, wiz.run("provenance", "verify").code());
    }
  }

  @Test
  void aRunWhoseProcessIsAliveIsRefusedAsRunningThoughItsLockFileWasRemoved() throws Exception {
    // A java process started before the run (it waits for its source file on a pipe we hold
    // open): the run it is recorded as is alive.
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process other = new ProcessBuilder(java, "--source", "17", "/dev/stdin").redirectErrorStream(true).start();
    try {
      Thread.sleep(20); // started before the run's startedAt, to the clock's tick
      String live = crashedThenLock(null, other.pid());
      for (String[] args : new String[][] {{"run", "p.yaml", "--resume"}, {"run", "p.yaml"}, {"run", "p.yaml", "--dry-run"}}) {
        CliHarness.Result r = wiz.run(args);
        assertEquals(6, r.code(), String.join(" ", args) + ": " + r);
        assertTrue(r.err().startsWith("wiz: refused: request "), r.err());
        assertTrue(r.err().contains(" is already running as run " + live + " (pid " + other.pid() + ", started "), r.err());
        assertTrue(r.err().endsWith("): wait for it to end, or stop it first\n"), r.err());
      }
      assertTrue(Files.exists(work.resolve("." + "out.jsonl." + live + ".tmp")), "its partial output is left to it");
    } finally {
      other.destroyForcibly().waitFor();
    }
  }

  @Test
  void aRunRecordedWithThePidOfAnotherProgramIsTakenForDeadAndResumed() throws IOException {
    // pid 1 runs another program (init, or the state folder came from a container whose wiz was
    // pid 1), started before any run: it is not the run, which crashed, and --resume goes on.
    java.util.Optional<String> init = ProcessHandle.of(1).flatMap(h -> h.info().commandLine());
    org.junit.jupiter.api.Assumptions.assumeTrue(init.isPresent() && !init.get().split(" ")[0].endsWith("java"), "pid 1 is " + init);
    String dead = crashedThenLock(null, 1);
    CliHarness.Result r = wiz.run("run", "p.yaml", "--resume");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("resumed run " + dead + ": 4 chunks already committed"), r.err());
  }

  @Test
  void aResumeRefusesALogChangedAfterTheCrashRatherThanTakeOverWhatTheRunNeverLogged() throws IOException {
    String crashed = StagedCrash.after(wiz, work, "p.yaml", "out.jsonl", 4);
    Path log = work.resolve(".wiz/runs").resolve(crashed).resolve("provenance.jsonl");
    java.util.List<String> lines = Files.readAllLines(log);
    int send = 0;
    while (!lines.get(send).contains("\"type\":\"SEND\"")) send++;
    java.util.Map<String, String> edits = new java.util.LinkedHashMap<>();
    java.util.List<String> changed = new java.util.ArrayList<>(lines);
    changed.set(send, lines.get(send).replace("\"recordsOut\":10", "\"recordsOut\":110"));
    edits.put(String.join("\n", changed) + "\n", ":" + (send + 1) + ": hash does not match the event (the line was changed)");
    changed = new java.util.ArrayList<>(lines);
    changed.remove(1);
    edits.put(String.join("\n", changed) + "\n", ":2: sequence number 3 where 2 was expected (a line was removed, inserted or reordered)");
    changed = new java.util.ArrayList<>(lines);
    changed.set(2, "{" + lines.get(2));
    edits.put(String.join("\n", changed) + "\n", ":3: not a provenance event (an edited line)");
    for (java.util.Map.Entry<String, String> edit : edits.entrySet()) {
      Files.writeString(log, edit.getKey());
      for (String[] args : new String[][] {{"run", "p.yaml", "--resume"}, {"run", "p.yaml", "--resume", "--dry-run"}}) {
        CliHarness.Result r = wiz.run(args);
        assertEquals(6, r.code(), String.join(" ", args) + ": " + r);
        assertEquals("wiz: refused: cannot resume run " + crashed + ": its provenance log " + log + edit.getValue()
            + ": the log was changed after the run; run again without --resume to start over\n", r.err());
      }
    }
    Files.write(log, lines);
    assertEquals(0, wiz.run("-q", "run", "p.yaml", "--resume").code(), "put back, it resumes");
    assertEquals(0, wiz.run("provenance", "verify").code());
  }

  private void deleteState() throws IOException {
    if (!Files.exists(work.resolve(".wiz"))) return;
    try (Stream<Path> all = Files.walk(work.resolve(".wiz"))) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    Files.deleteIfExists(work.resolve("out.jsonl"));
  }
}

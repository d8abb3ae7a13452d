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

/**
 * A request whose last run is recorded running while its lock file names no holder: the lock file
 * was removed (or emptied) after the run's process died, or while it ran.
 */
class LockFileRemovedTest extends JimfsCliTest {
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
  void aRunWhoseProcessIsAliveIsRefusedAsRunningThoughItsLockFileWasRemoved() throws IOException {
    // pid 1 is alive and started before any run: the run it is recorded as is alive.
    String live = crashedThenLock(null, 1);
    for (String[] args : new String[][] {{"run", "p.yaml", "--resume"}, {"run", "p.yaml"}, {"run", "p.yaml", "--dry-run"}}) {
      CliHarness.Result r = wiz.run(args);
      assertEquals(6, r.code(), String.join(" ", args) + ": " + r);
      assertTrue(r.err().startsWith("wiz: refused: request "), r.err());
      assertTrue(r.err().contains(" is already running as run " + live + " (pid 1, started "), r.err());
      assertTrue(r.err().endsWith("): wait for it to end, or stop it first\n"), r.err());
    }
    assertTrue(Files.exists(work.resolve("." + "out.jsonl." + live + ".tmp")), "its partial output is left to it");
  }

  private void deleteState() throws IOException {
    if (!Files.exists(work.resolve(".wiz"))) return;
    try (Stream<Path> all = Files.walk(work.resolve(".wiz"))) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    Files.deleteIfExists(work.resolve("out.jsonl"));
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Temporary outputs ({@code .<name>.<run-id>.tmp}) of runs that did not finish: those no run can
 * go on from are removed when a run ends, the one --resume needs is kept, and {@code wiz requests}
 * lists what is left.
 */
class PartialOutputsTest extends JimfsCliTest {
  private static final String UNKNOWN = "0b0e5c1e-1111-4222-8333-123456789abc";

  @BeforeEach
  void setUp() throws IOException {
    // 500 records, the 251st not JSON: a run commits chunks 0 and 1, then fails.
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 500)
        .mapToObj(i -> i == 250 ? "not json" : "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n")));
    pipeline("partial");
  }

  private void pipeline(String name) throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: " + name + "\nsource: { type: file, path: in.jsonl }\n"
        + "chunking: { records: 100 }\nsink: { type: file, path: out.jsonl }\n"
        + "run: { workers: 1, onError: fail, maxFailures: 10, commitMillis: 0 }\n");
  }

  /** Runs and returns the run id. */
  private String run(int expectedCode, String... more) throws IOException {
    String[] args = Stream.concat(Stream.of("run", "p.yaml", "--format", "json"), Stream.of(more)).toArray(String[]::new);
    CliHarness.Result r = wiz.run(args);
    assertEquals(expectedCode, r.code(), r.toString());
    return Json.mapper().readTree(r.out()).get("runId").asText();
  }

  private Path temp(String runId) {
    return work.resolve(".out.jsonl." + runId + ".tmp");
  }

  /** The temporary files of the runs, in name order (as {@link #temps} lists them; run ids are random). */
  private static List<String> names(String... runIds) {
    return Stream.of(runIds).map(id -> ".out.jsonl." + id + ".tmp").sorted().toList();
  }

  private List<String> temps() throws IOException {
    try (Stream<Path> s = Files.list(work)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
    }
  }

  @Test
  void onlyThePartialOutputThatResumeNeedsIsKept() throws IOException {
    String first = run(4);
    assertTrue(Files.size(temp(first)) > 0, "a failed run keeps its partial output for --resume");
    Files.writeString(temp(UNKNOWN), "{}\n"); // a run this state folder has no record of

    String second = run(4); // the same request again, without --resume: it starts over
    assertEquals(names(UNKNOWN, second), temps(),
        "the first run's file is no request's last: gone; the unknown one is left alone");

    pipeline("changed"); // another request of the same pipeline file
    Files.writeString(temp(first), "left by an older wiz\n");
    String third = run(4);
    assertTrue(Files.notExists(temp(first)), "not the last run of its request, whose lock is free");
    assertTrue(Files.exists(temp(second)), "the last run of the superseded request: --resume still goes on from it");
    assertTrue(Files.exists(temp(third)));

    JsonNode requests = Json.mapper().readTree(wiz.run("requests", "--format", "json").out());
    JsonNode old = null;
    for (JsonNode r : requests) if (r.get("lastRun").asText().equals(second)) old = r;
    assertEquals(true, old.get("superseded").asBoolean(), requests.toString());
    assertEquals(second, old.at("/partialOutputs/0/runId").asText());
    assertEquals(true, old.at("/partialOutputs/0/resumable").asBoolean());
    assertEquals(1, old.get("partialOutputs").size());
    CliHarness.Result text = wiz.run("requests");
    assertTrue(text.out().contains("\nPartial outputs (temporary files of runs that did not finish):\n"), text.out());
    assertTrue(text.out().contains(temp(second) + " (" + Files.size(temp(second)) + " bytes): kept for --resume, but a"
        + " later request of this pipeline file superseded it: rm it unless you will resume\n"), text.out());
    assertTrue(text.out().contains(temp(third) + " (" + Files.size(temp(third)) + " bytes): kept for --resume: rm it"
        + " if you will not resume\n"), text.out());

    // Back to the first pipeline, the bad record fixed in place under the same size and time: the
    // superseded request is reached again, and its kept file is what --resume goes on from.
    pipeline("partial");
    Path in = work.resolve("in.jsonl");
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(in);
    Files.writeString(in, Files.readString(in).replace("not json", "\"abcdef\""));
    Files.setLastModifiedTime(in, time);
    CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(0, resumed.code(), resumed.toString());
    assertEquals(2, Json.mapper().readTree(resumed.out()).get("reusedChunks").asInt(), "the chunks the kept file holds");
    assertEquals(500, Files.readAllLines(work.resolve("out.jsonl")).size());
    assertEquals(names(UNKNOWN, third), temps(),
        "the other request's last run is still resumable; the unknown file is left alone");
  }

  @Test
  void theFileOfARunThatReadStandardInputIsNeverKeptForResume() throws IOException {
    Files.writeString(work.resolve("p.yaml"), Files.readString(work.resolve("p.yaml"))
        .replace("{ type: file, path: in.jsonl }", "{ type: stdin }"));
    wiz.stdin = Files.readString(work.resolve("in.jsonl"));
    String failed = run(4);
    assertTrue(Files.size(temp(failed)) > 0, "what the failed run wrote is kept");
    CliHarness.Result refused = wiz.run("run", "p.yaml", "--resume");
    assertEquals(6, refused.code(), "a run of standard input cannot be resumed: " + refused);

    JsonNode requests = Json.mapper().readTree(wiz.run("requests", "--format", "json").out());
    assertEquals(false, requests.at("/0/partialOutputs/0/resumable").asBoolean(), requests.toString());
    CliHarness.Result text = wiz.run("requests");
    assertTrue(text.out().contains(temp(failed) + " (" + Files.size(temp(failed)) + " bytes): no run can go on from it"
        + " (its run read standard input): rm it\n"), text.out());
  }

  @Test
  void theFileOfARunKilledBeforeItWroteItsRecordGoesWhenTheRequestRunsAgain() throws IOException {
    String first = run(4);
    Path requests = work.resolve(".wiz/requests");
    Path lock;
    try (Stream<Path> keys = Files.list(requests)) {
      lock = keys.findFirst().orElseThrow().resolve("lock");
    }
    // What SIGKILL leaves between the temporary file's creation and the run's record: the lock
    // names the dead run, the temporary file exists, there is no runs/<id>/run.json.
    Files.writeString(lock, "{\"runId\":\"" + UNKNOWN + "\",\"pid\":2147483000,\"startedAt\":\"2026-12-05T00:00:00Z\"}");
    Files.writeString(temp(UNKNOWN), "");
    assertTrue(Files.notExists(work.resolve(".wiz/runs/" + UNKNOWN + "/run.json")));

    String second = run(4, "--resume");
    assertEquals(List.of(".out.jsonl." + second + ".tmp"), temps(),
        "the killed run is recorded as crashed, and its file goes with the first run's");
    JsonNode attempts = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).get(0).get("runs");
    assertEquals(UNKNOWN, attempts.get(1).get("runId").asText(), attempts.toString());
    assertEquals("crashed", attempts.get(1).get("status").asText(), attempts.toString());
    assertTrue(Files.notExists(temp(first)));
  }

  @Test
  void theFileOfALiveRunIsNotOfferedForRemovalOrResume() throws IOException {
    String live = run(4);
    Path request;
    try (Stream<Path> keys = Files.list(work.resolve(".wiz/requests"))) {
      request = keys.findFirst().orElseThrow();
    }
    // What a run leaves while it is alive: its attempt and record say running, its process holds the lock.
    Path record = request.resolve("record.json");
    Files.writeString(record, Files.readString(record).replace("\"failed\"", "\"running\""));
    Path run = work.resolve(".wiz/runs/" + live + "/run.json");
    Files.writeString(run, Files.readString(run).replace("\"failed\"", "\"running\""));
    dev.wiz.state.RequestLock.Outcome taken = dev.wiz.state.RequestLock.tryAcquire(request.resolve("lock"),
        new dev.wiz.state.RequestLock.Holder(live, ProcessHandle.current().pid(), "2026-12-05T00:00:00Z"));
    try (dev.wiz.state.RequestLock lock = ((dev.wiz.state.RequestLock.Acquired) taken).lock()) {
      CliHarness.Result text = wiz.run("requests");
      assertEquals(0, text.code(), text.toString());
      assertTrue(text.out().contains(temp(live) + " (" + Files.size(temp(live)) + " bytes): being written by run " + live
          + ", which is still running: leave it (the run moves it into place or keeps it for --resume when it ends)\n"),
          text.out());
      JsonNode partial = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).at("/0/partialOutputs/0");
      assertEquals(live, partial.get("runId").asText(), partial.toString());
      assertEquals(false, partial.get("resumable").asBoolean(), "--resume is refused while the run is alive");
      assertEquals(true, partial.get("live").asBoolean(), partial.toString());
    }
    JsonNode dead = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).at("/0/partialOutputs/0");
    assertEquals(true, dead.get("resumable").asBoolean(), "its process gone, --resume goes on from it: " + dead);
    assertEquals(false, dead.get("live").asBoolean(), dead.toString());
  }

  @Test
  void aRunOfAnotherRequestKeepsThePartialOutputOfTheLastRunOfEach() throws IOException {
    String first = run(4);
    assertTrue(Files.exists(temp(first)));
    Files.writeString(work.resolve("in.jsonl"), Files.readString(work.resolve("in.jsonl")).replace("not json", "{}"));
    pipeline("partial");
    run(0); // another request (the input changed), complete; the first run is still the last of its own
    assertTrue(Files.exists(temp(first)), "kept: --resume of its request could still go on from it");
    assertEquals(List.of(".out.jsonl." + first + ".tmp"), temps());
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.state.RequestLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request rules of DESIGN section 6, through the command line. */
class RequestRulesTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: rules",
      "source: { type: file, path: in.jsonl }",
      "processors:",
      "  - { id: ids, type: jq, config: { program: '.id' } }",
      "sink: { type: file, path: out.jsonl }",
      "run: { onError: fail, maxFailures: 2 }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE);
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 500).mapToObj(i -> "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n")));
  }

  private JsonNode requests() throws IOException {
    CliHarness.Result r = wiz.run("requests", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    return Json.mapper().readTree(r.out());
  }

  @Test
  void aRequestThatSucceededIsRefusedNamingItsRunAndOutputUntilForced() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    String first = requests().get(0).get("lastRun").asText();
    CliHarness.Result again = wiz.run("run", "p.yaml");
    assertEquals(6, again.code(), again.toString());
    assertEquals("", again.out());
    assertTrue(again.err().startsWith("wiz: refused: request "), again.err());
    assertTrue(again.err().contains("already succeeded in run " + first + " "), again.err());
    assertTrue(again.err().contains("output /work/out.jsonl): --force runs it again"), again.err());
    CliHarness.Result forced = wiz.run("-q", "run", "p.yaml", "--force");
    assertEquals(0, forced.code(), forced.toString());
    JsonNode req = requests().get(0);
    assertEquals(2, req.get("attempts").asInt(), "the refused run is not an attempt");
    assertFalse(req.at("/runs/0/forced").asBoolean());
    assertTrue(req.at("/runs/1/forced").asBoolean(), req.toString());
    assertEquals("success", req.get("status").asText());
  }

  @Test
  void aRequestThatCompletedWithErrorsIsRefusedSayingSoNotThatItSucceeded() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("onError: fail", "onError: skip"));
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n{\"id\":\n");
    assertEquals(5, wiz.run("-q", "run", "p.yaml").code());
    String first = requests().get(0).get("lastRun").asText();
    CliHarness.Result again = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(6, again.code(), again.toString());
    assertTrue(again.err().contains(" already completed with errors (records skipped or dead-lettered) in run " + first
        + " "), again.err());
    JsonNode answer = Json.mapper().readTree(again.out());
    assertEquals("already-succeeded", answer.get("rule").asText(), "the rule is the same: it does not run twice");
    assertTrue(answer.get("error").asText().contains(" already completed with errors "), answer.toString());
  }

  @Test
  void changedInputIsANewRequest() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n");
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    assertEquals(2, requests().size());
  }

  @Test
  void withChecksumTheSameContentIsTheSameRequestWhateverItsTimestamp() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "p.yaml", "--checksum").code());
    Files.setLastModifiedTime(work.resolve("in.jsonl"), java.nio.file.attribute.FileTime.fromMillis(86_400_000L));
    CliHarness.Result same = wiz.run("run", "p.yaml", "--checksum");
    assertEquals(6, same.code(), "touched, same content: the same request, which succeeded: " + same);
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code(), "without --checksum a touched file is new work");
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n");
    assertEquals(0, wiz.run("-q", "run", "p.yaml", "--checksum").code(), "other content: another request");
  }

  @Test
  void afterMaxFailuresTheRequestIsDeadLetteredWithEveryAttemptsError() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\nnot json\n");
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    CliHarness.Result third = wiz.run("run", "p.yaml");
    assertEquals(6, third.code(), third.toString());
    assertTrue(third.err().contains("failed 2 times (run.maxFailures is 2) and is dead-lettered; --force runs it again"), third.err());
    assertEquals(2, third.err().split("in.jsonl:2:1: ", -1).length - 1, "both attempts' errors are listed: " + third.err());
    JsonNode req = requests().get(0);
    assertEquals("dead-lettered", req.get("status").asText());
    assertEquals(2, req.get("failures").asInt());
    assertTrue(req.at("/runs/0/error").asText().contains("in.jsonl:2"), req.toString());
    assertEquals(4, wiz.run("-q", "run", "p.yaml", "--force").code(), "--force tries once more");
  }

  /** A run of 500 records in chunks of 100 that fails at record 451, after committing 4 chunks; its id. */
  private String runThatFailsAtItsFifthChunk() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("run: {", "chunking: { records: 100 }\nrun: { workers: 1, commitMillis: 0,"));
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 500).mapToObj(i -> i == 450 ? "not json" : "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    return requests().get(0).at("/runs/0/runId").asText();
  }

  @Test
  void resumeOntoAPartialOutputChangedAfterTheRunIsRefusedAndKeepsIt() throws IOException {
    String failed = runThatFailsAtItsFifthChunk();
    Path partial = work.resolve(".out.jsonl." + failed + ".tmp");
    // Same size, other bytes, in the second chunk: the line 150 becomes 951.
    String changed = Files.readString(partial).replace("\n150\n", "\n951\n");
    assertTrue(changed.contains("\n951\n"));
    Files.writeString(partial, changed);

    CliHarness.Result r = wiz.run("-q", "run", "p.yaml", "--resume");
    assertEquals(6, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: refused: cannot resume run " + failed + ": its partial output " + partial
        + " does not hold what chunk "), r.err());
    assertTrue(r.err().contains("-000001 wrote (bytes "), "the changed chunk is named: " + r.err());
    assertTrue(r.err().endsWith("the file was changed after the run; run again without --resume to start over\n"), r.err());
    assertEquals(changed, Files.readString(partial), "left as it was");
  }

  @Test
  void aRunMadeByAnotherWizIsNotResumed() throws IOException {
    String failed = runThatFailsAtItsFifthChunk();
    Path partial = work.resolve(".out.jsonl." + failed + ".tmp");
    String kept = Files.readString(partial);
    Path record = work.resolve(".wiz/runs").resolve(failed).resolve("run.json");
    JsonNode run = Json.mapper().readTree(Files.readString(record));
    String ours = run.get("versions").get("wiz").asText();
    ((com.fasterxml.jackson.databind.node.ObjectNode) run.get("versions")).put("wiz", "0.0.9");
    Files.writeString(record, run.toString());

    CliHarness.Result r = wiz.run("-q", "run", "p.yaml", "--resume");
    assertEquals(6, r.code(), r.toString());
    assertEquals("wiz: refused: cannot resume run " + failed + ": it was run by wiz 0.0.9, and this is wiz " + ours
        + ", which may write the same records as other bytes: resume it with that wiz, or run again without --resume"
        + " to start over\n", r.err());
    assertEquals(kept, Files.readString(partial), "left as it was");

    ((com.fasterxml.jackson.databind.node.ObjectNode) run.get("versions")).put("wiz", ours);
    Files.writeString(record, run.toString());
    assertEquals(4, wiz.run("-q", "run", "p.yaml", "--resume").code(), "the same wiz resumes, and meets the bad record again");
  }

  @Test
  void resumeOntoAPartialOutputCutShorterThanItsCommittedChunksIsRefusedAndKeepsIt() throws IOException {
    String failed = runThatFailsAtItsFifthChunk();
    Path partial = work.resolve(".out.jsonl." + failed + ".tmp");
    assertTrue(Files.size(partial) > 1000, "the failed run committed its first chunks");
    byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(partial), 1000);
    Files.write(partial, cut);

    CliHarness.Result r = wiz.run("-q", "run", "p.yaml", "--resume");
    assertEquals(6, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: refused: cannot resume run " + failed + ": its partial output " + partial
        + " has 1000 bytes, fewer than the "), r.err());
    assertTrue(r.err().endsWith("(was it cut?): run again without --resume to start over\n"), r.err());
    assertEquals(java.util.Arrays.toString(cut), java.util.Arrays.toString(Files.readAllBytes(partial)), "left as it was");

    Files.writeString(work.resolve("in.jsonl"), Files.readString(work.resolve("in.jsonl")).replace("not json", "{\"id\":450}"));
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
  }

  @Test
  void aForcedRunThatDidNotFinishCanBeResumedWithoutForce() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    String key = requests().get(0).get("key").asText();
    Path record = work.resolve(".wiz/requests").resolve(key.substring(7)).resolve("record.json");
    JsonNode rec = Json.mapper().readTree(Files.readString(record));
    // What a forced run stopped with SIGTERM leaves in the record.
    ((com.fasterxml.jackson.databind.node.ArrayNode) rec.get("attempts")).addObject()
        .put("runId", "forced-run").put("status", "interrupted").put("startedAt", "2026-11-23T09:00:00Z")
        .put("endedAt", "2026-11-23T09:00:01Z").put("forced", true);
    Files.writeString(record, rec.toString());

    assertEquals(6, wiz.run("-q", "run", "p.yaml").code(), "a plain run is still refused: it succeeded before");
    CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    JsonNode last = requests().get(0).at("/runs/2");
    assertEquals("success", last.get("status").asText(), last.toString());
    assertTrue(last.get("forced").asBoolean(), "it goes on with a forced run: " + last);
    assertEquals(6, wiz.run("-q", "run", "p.yaml", "--resume").code(), "nothing unfinished is left to go on with");
  }

  @Test
  void resumeAfterTheInputChangedSaysWhyThereIsNothingToResume() throws IOException {
    String key = keyAfterOneFailedRun();
    String failed = requests().get(0).at("/runs/0/runId").asText();
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n");
    CliHarness.Result r = wiz.run("run", "p.yaml", "--resume");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: nothing to resume: no failed, crashed or interrupted run of this request (run "
        + failed + " of this pipeline file ended failed, but input in.jsonl has changed since, which makes "
        + "this another request; starting over)\n"), r.err());
    assertTrue(requests().toString().contains(key), "the other request is still listed");
  }

  @Test
  void resumeAfterThePipelineAndTheInputChangedNamesBoth() throws IOException {
    keyAfterOneFailedRun();
    String failed = requests().get(0).at("/runs/0/runId").asText();
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n");
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("maxFailures: 2", "maxFailures: 3"));
    CliHarness.Result r = wiz.run("run", "p.yaml", "--resume");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: nothing to resume: no failed, crashed or interrupted run of this request (run "
        + failed + " of this pipeline file ended failed, but the pipeline and input in.jsonl have changed since, which makes "
        + "this another request; starting over)\n"), r.err());
  }

  @Test
  void aRequestRecordThatCannotBeReadIsNamedNotHidden() throws IOException {
    String key = keyAfterOneFailedRun();
    Path record = work.resolve(".wiz/requests").resolve(key.substring(7)).resolve("record.json");
    Files.writeString(record, "garbage");
    String said = "wiz: " + record + ":1:1: not a readable request record (Unrecognized token 'garbage'";

    CliHarness.Result list = wiz.run("requests");
    assertEquals(3, list.code(), list.toString());
    assertTrue(list.err().startsWith(said), list.err());
    assertTrue(list.err().trim().endsWith("; move it away to start afresh"), list.err());

    CliHarness.Result run = wiz.run("run", "p.yaml");
    assertEquals(3, run.code(), run.toString());
    assertTrue(run.err().startsWith(said), run.err());

    JsonNode listed = Json.mapper().readTree(wiz.run("requests", "--format", "json").out());
    assertEquals("unreadable", listed.get(0).get("status").asText(), "stdout says so too: " + listed);
    assertEquals(key, listed.get(0).get("key").asText());

    Map<String, String> whatIsWrong = new java.util.LinkedHashMap<>();
    whatIsWrong.put("{}", ": not a readable request record (no schema)");
    whatIsWrong.put("{\"status\":\"bogus\"}", ": not a readable request record (no schema)");
    whatIsWrong.put("[]", ":1:1: not a readable request record (expected an object)");
    whatIsWrong.put("null", ": not a readable request record (it holds null, not an object)");
    whatIsWrong.put("{\"schema\":1,\"key\":\"" + key + "\",\"status\":\"failed\"}", ": not a readable request record (no attempts)");
    whatIsWrong.put("{\"schema\":1,\"key\":\"" + key + "\",\"status\":\"failed\",\"attempts\":[{\"status\":\"failed\"}]}",
        ": not a readable request record (/attempts/0: no runId)");
    whatIsWrong.put("{\"schema\":1,\"key\":\"" + key + "\",\"status\":\"failed\",\"attempts\":{}}",
        ":1:" + (51 + key.length()) + ": not a readable request record (/attempts: expected an array)");
    whatIsWrong.put("{\"schema\":1,\"key\":\"sha256:0123\",\"status\":\"failed\",\"attempts\":[]}",
        ": not a readable request record (its key is 'sha256:0123', not the one its folder is named by)");
    for (Map.Entry<String, String> c : whatIsWrong.entrySet()) {
      Files.writeString(record, c.getKey());
      CliHarness.Result r = wiz.run("run", "p.yaml");
      assertEquals(3, r.code(), r.toString());
      assertEquals("wiz: " + record + c.getValue() + "; move it away to start afresh\n", r.err(),
          "what is wrong, and no Java class names, for " + c.getKey());
      CliHarness.Result lists = wiz.run("requests");
      assertEquals(3, lists.code(), lists.toString());
      assertEquals("wiz: " + record + c.getValue() + "; move it away to start afresh\n", lists.err());
    }
    Files.delete(record);
    Files.createDirectory(record);
    CliHarness.Result folder = wiz.run("requests");
    assertEquals(3, folder.code(), folder.toString());
    assertTrue(folder.err().startsWith("wiz: " + record + ": not a readable request record ("), folder.err());

    Files.delete(record);
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code(), "moved away, the request starts afresh");
  }

  @Test
  void resumeRefusesToTakeOverAChunkWhoseInputChangedUnderTheSameSizeAndTime() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("run: {", "chunking: { records: 100 }\nrun: { workers: 1, commitMillis: 0,"));
    Path in = work.resolve("in.jsonl");
    Files.writeString(in, IntStream.range(0, 500).mapToObj(i -> i == 450 ? "not json" : "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    String failed = requests().get(0).at("/runs/0/runId").asText();
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(in);
    Files.writeString(in, Files.readString(in).replace("{\"id\":5}", "{\"id\":6}"));
    Files.setLastModifiedTime(in, time);

    CliHarness.Result r = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: run failed: in.jsonl:1-100: the input of chunk rules-"), r.err());
    JsonNode summary = Json.mapper().readTree(r.out());
    assertEquals("failed", summary.get("status").asText(), summary.toString());
    assertFalse(summary.get("outputComplete").asBoolean(), "a failed run's output is not in place: " + summary);
    assertFalse(summary.get("outputDiscarded").asBoolean(true), "a failed run keeps what it wrote for --resume: " + summary);
    assertTrue(r.err().contains(" is not what run " + failed + " read (its digest differs), so its output cannot be taken over"),
        r.err());
    assertEquals(2, requests().get(0).get("attempts").asInt(), "the same request: size and time did not change");
  }

  private String keyAfterOneFailedRun() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("maxFailures: 2", "maxFailures: 5"));
    Files.writeString(work.resolve("in.jsonl"), "not json\n");
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    return requests().get(0).get("key").asText();
  }

  @Test
  void aRunOfARequestThatIsRunningIsRefusedNamingTheLiveRunAndPid() throws IOException {
    String key = keyAfterOneFailedRun();
    Path lock = work.resolve(".wiz/requests").resolve(key.substring(7)).resolve("lock");
    RequestLock.Outcome held = RequestLock.tryAcquire(lock, new RequestLock.Holder("live-run", 4242, "2026-11-23T10:00:00Z"));
    RequestLock.Acquired acquired = assertInstanceOf(RequestLock.Acquired.class, held);
    try (RequestLock l = acquired.lock()) {
      CliHarness.Result r = wiz.run("run", "p.yaml");
      assertEquals(6, r.code(), r.toString());
      assertTrue(r.err().contains("is already running as run live-run (pid 4242, started 2026-11-23T10:00:00Z)"), r.err());
      JsonNode rec = Json.mapper().readTree(Files.readString(lock.resolveSibling("record.json")));
      ((com.fasterxml.jackson.databind.node.ArrayNode) rec.get("attempts")).addObject()
          .put("runId", "live-run").put("status", "running").put("startedAt", "2026-11-23T10:00:00Z");
      ((com.fasterxml.jackson.databind.node.ObjectNode) rec).put("status", "running");
      Files.writeString(lock.resolveSibling("record.json"), rec.toString());
      assertEquals("running", requests().get(0).get("status").asText(), "a live run holds the lock");
    }
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code(), "free again once the live run let go");
  }

  @Test
  void aRunWhoseProcessDiedIsRecordedAsCrashedByTheNextRun() throws IOException {
    String key = keyAfterOneFailedRun();
    Path dir = work.resolve(".wiz/requests").resolve(key.substring(7));
    // What a process killed with SIGKILL leaves: its holder line in the lock file, its attempt running.
    Files.writeString(dir.resolve("lock"), "{\"runId\":\"dead-run\",\"pid\":99999999,\"startedAt\":\"2026-11-23T09:00:00Z\"}");
    String record = Files.readString(dir.resolve("record.json"));
    JsonNode rec = Json.mapper().readTree(record);
    ((com.fasterxml.jackson.databind.node.ArrayNode) rec.get("attempts")).addObject()
        .put("runId", "dead-run").put("status", "running").put("startedAt", "2026-11-23T09:00:00Z");
    Files.writeString(dir.resolve("record.json"), rec.toString());
    // and the spill files of its sort
    Path spill = Files.createDirectories(work.resolve(".wiz/runs/dead-run/data/s")).resolve("sort-run-0");
    Files.writeString(spill, "{}\n");
    JsonNode listed = requests().get(0);
    assertEquals("crashed", listed.get("status").asText(), "no live run holds the lock: " + listed);
    assertEquals("crashed", listed.at("/runs/1/status").asText(), listed.toString());
    assertEquals(2, listed.get("failures").asInt(), listed.toString());
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    JsonNode req = requests().get(0);
    JsonNode dead = null;
    for (JsonNode a : req.get("runs")) if (a.get("runId").asText().equals("dead-run")) dead = a;
    assertEquals("crashed", dead.get("status").asText(), req.toString());
    assertEquals("the process (pid 99999999) ended without finishing the run", dead.get("error").asText());
    assertEquals(3, req.get("failures").asInt(), "a crash counts against run.maxFailures");
    assertEquals("", Files.readString(dir.resolve("lock")), "a run that ends cleanly empties the lock file");
    assertFalse(Files.exists(work.resolve(".wiz/runs/dead-run/data")), "the crashed run's scratch files are removed");
  }

  @Test
  void aRunRemovesItsScratchFolderWhenItEndsWhateverTheOutcome() throws IOException {
    // a sort that spills 500 records in runs of 100, then a failure at end of input or not
    for (String records : List.of("", "not json\n")) {
      Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("  - { id: ids, type: jq, config: { program: '.id' } }",
          "  - { id: s, type: sort, config: { by: [{ key: .id }], memoryRecords: 100 } }").replace("maxFailures: 2", "maxFailures: 9"));
      Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 500).mapToObj(i -> "{\"id\":" + (i * 7 % 500) + "}")
          .collect(Collectors.joining("\n", "", "\n")) + records);
      CliHarness.Result r = wiz.run("run", "p.yaml", "--force", "--format", "json");
      assertEquals(records.isEmpty() ? 0 : 4, r.code(), r.toString());
      String runId = Json.mapper().readTree(r.out()).get("runId").asText();
      assertTrue(Files.isDirectory(work.resolve(".wiz/runs").resolve(runId)), r.out());
      assertFalse(Files.exists(work.resolve(".wiz/runs").resolve(runId).resolve("data")), "removed at the end of " + r);
    }
  }

  @Test
  void aLockFileThatHoldsNoHolderIsNamedRatherThanCrashOrPassForNoCrash() throws IOException {
    String key = keyAfterOneFailedRun();
    Path lock = work.resolve(".wiz/requests").resolve(key.substring(7)).resolve("lock");
    Map<String, String> whatIsWrong = new java.util.LinkedHashMap<>();
    whatIsWrong.put("null", ": not a readable request lock (it holds null, not an object)");
    whatIsWrong.put("{}", ": not a readable request lock (no runId)");
    whatIsWrong.put("[]", ":1:1: not a readable request lock (expected an object)");
    whatIsWrong.put("{\"runId\":\"../../x\",\"pid\":1,\"startedAt\":\"t\"}",
        ": not a readable request lock (runId '../../x' is not a run id)");
    whatIsWrong.put("{\"runId\":\"r\",\"pid\":\"one\",\"startedAt\":\"t\"}", ":1:20: not a readable request lock (/pid: expected a number)");
    for (Map.Entry<String, String> c : whatIsWrong.entrySet()) {
      Files.writeString(lock, c.getKey());
      for (String[] args : List.of(new String[] {"run", "p.yaml"}, new String[] {"run", "p.yaml", "--dry-run"})) {
        CliHarness.Result r = wiz.run(args);
        assertEquals(3, r.code(), c.getKey() + ": " + String.join(" ", args) + "\n" + r);
        assertEquals("wiz: " + lock + c.getValue() + "; move it away to start afresh\n", r.err(), String.join(" ", args));
      }
    }
    Files.delete(lock);
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code(), "moved away, the request goes on");
  }

  @Test
  void tenRunsStartedAtOnceRunOnce() throws Exception {
    int n = 10;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<CliHarness.Result>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(pool.submit(() -> {
        go.await();
        return new CliHarness(work).run("-q", "run", "p.yaml");
      }));
    }
    go.countDown();
    int ok = 0;
    int refused = 0;
    for (Future<CliHarness.Result> f : results) {
      CliHarness.Result r = f.get();
      if (r.code() == 0) ok++;
      if (r.code() == 6) refused++;
      assertTrue(r.code() == 0 || r.code() == 6, r.toString());
    }
    pool.shutdown();
    assertEquals(1, ok);
    assertEquals(n - 1, refused);
    assertEquals(1, requests().get(0).get("attempts").asInt());
  }

  @Test
  void aRunKilledBeforeItRecordedItselfLeavesARecordThatNamesThePipeline() throws IOException {
    CliHarness.Result plan = wiz.run("run", "p.yaml", "--dry-run", "--format", "json");
    String key = Json.mapper().readTree(plan.out()).get("requestKey").asText().substring("sha256:".length());
    // What SIGKILL leaves between taking the lock and recording the attempt: a lock that names the
    // dead run, no request record.
    Path lock = Files.createDirectories(work.resolve(".wiz/requests/" + key)).resolve("lock");
    String dead = "0b0e5c1e-1111-4222-8333-123456789abc";
    Files.writeString(lock, "{\"runId\":\"" + dead + "\",\"pid\":2147483000,\"startedAt\":\"2026-12-05T00:00:00Z\"}");

    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    JsonNode request = requests().get(0);
    assertEquals("/work/p.yaml", request.get("pipeline").asText(), request.toString());
    assertEquals("crashed", request.at("/runs/0/status").asText(), request.toString());
    assertEquals(dead, request.at("/runs/0/runId").asText(), request.toString());
    CliHarness.Result text = wiz.run("requests");
    assertTrue(text.out().contains(" /work/p.yaml\n"), text.out());
  }
}

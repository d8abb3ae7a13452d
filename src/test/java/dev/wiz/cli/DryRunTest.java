package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.state.RequestLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wiz run --dry-run}: every check a run makes before it starts, and nothing written. */
class DryRunTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: dry",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 100 }",
      "processors:",
      "  - { id: ids, type: jq, config: { program: '.id' } }",
      "sink: { type: file, path: out/ids.jsonl }",
      "run: { workers: 3, onError: fail, maxFailures: 2, commitMillis: 0 }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE);
    writeInput(-1);
  }

  /** 500 records; the one at {@code bad} (if any) is not JSON, so a run fails there. */
  private void writeInput(int bad) throws IOException {
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 500)
        .mapToObj(i -> i == bad ? "not json" : "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n")));
  }

  /** Every file and folder under /work with its content, to hold against a later listing. */
  private List<String> snapshot() throws IOException {
    try (Stream<Path> all = Files.walk(fs.getPath("/"))) {
      return all.sorted().map(p -> {
        try {
          return Files.isDirectory(p) ? p + "/" : p + " " + Json.hex(digest(Files.readAllBytes(p)))
              + " " + Files.getLastModifiedTime(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  private static java.security.MessageDigest digest(byte[] bytes) {
    java.security.MessageDigest md = Json.sha256();
    md.update(bytes);
    return md;
  }

  /** Runs a dry run and checks that it changed nothing on the file system. */
  private CliHarness.Result dry(String... args) throws IOException {
    List<String> before = snapshot();
    String[] all = Stream.concat(Stream.of("run", "p.yaml", "--dry-run"), Stream.of(args)).toArray(String[]::new);
    CliHarness.Result r = wiz.run(all);
    assertEquals(before, snapshot(), "a dry run writes nothing: " + r);
    return r;
  }

  private JsonNode requests() throws IOException {
    CliHarness.Result r = wiz.run("requests", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    return Json.mapper().readTree(r.out());
  }

  @Test
  void aDryRunSaysWhatTheRunWouldDoAndCreatesNoStateFolderOrOutput() throws IOException {
    CliHarness.Result r = dry();
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.out(), "text goes to stderr");
    assertTrue(r.err().startsWith("wiz: dry run: the run would start; nothing was written\n"), r.err());
    assertTrue(r.err().contains("\n  input:        in.jsonl (" + Files.size(work.resolve("in.jsonl")) + " bytes)\n"), r.err());
    assertTrue(r.err().contains("\n  output:       out/ids.jsonl (jsonl)\n"), r.err());
    assertTrue(r.err().contains("\n  workers:      3, chunks of 100 records\n"), r.err());
    assertTrue(r.err().endsWith("\n  state:        .wiz\n"), r.err());
    assertTrue(Files.notExists(work.resolve(".wiz")) && Files.notExists(work.resolve("out")));

    String key = r.err().lines().filter(l -> l.startsWith("  request:")).findFirst().orElseThrow().substring(16);
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    assertEquals(requests().get(0).get("key").asText(), key, "the key the run then had");
  }

  /** {@code --dry-run=$FLAG} with an empty variable must not run for real (picocli read it as false). */
  @Test
  void anEmptyFlagValueIsAUsageErrorThatRunsNothing() throws IOException {
    List<String> before = snapshot();
    for (String flag : List.of("--dry-run=", "--force=", "--resume=", "--checksum=", "-q=")) {
      CliHarness.Result r = wiz.run("run", "p.yaml", flag);
      assertEquals(2, r.code(), flag + ": " + r);
      String name = flag.equals("-q=") ? "--quiet" : flag.substring(0, flag.length() - 1);
      assertEquals("wiz: Invalid value for option '" + name + "': '' is not a boolean\nTry 'wiz run --help' for more.\n",
          r.err(), flag);
      assertEquals(before, snapshot(), flag + " wrote nothing");
    }
    CliHarness.Result json = wiz.run("run", "p.yaml", "--format", "json", "--dry-run=");
    assertEquals(2, json.code(), json.toString());
    assertEquals("usage-error", Json.mapper().readTree(json.out()).get("status").asText(), json.out());
    assertEquals(before, snapshot());
    CliHarness.Result explicit = wiz.run("run", "p.yaml", "--dry-run=true");
    assertEquals(0, explicit.code(), "true and false stay accepted: " + explicit);
    assertTrue(explicit.err().startsWith("wiz: dry run: the run would start; nothing was written\n"), explicit.err());
    assertEquals(before, snapshot());
  }

  @Test
  void jsonPlanOnStdoutWithWorkersFromTheCommandLine() throws IOException {
    CliHarness.Result r = dry("--format", "json", "--workers", "2");
    assertEquals(0, r.code(), r.toString());
    JsonNode plan = Json.mapper().readTree(r.out());
    assertTrue(plan.get("dryRun").asBoolean());
    assertTrue(plan.get("requestKey").asText().matches("sha256:[0-9a-f]{64}"), plan.toString());
    assertEquals("/work/in.jsonl", plan.at("/inputs/0/path").asText());
    assertEquals(Files.size(work.resolve("in.jsonl")), plan.at("/inputs/0/size").asLong());
    assertEquals("/work/out/ids.jsonl", plan.get("output").asText());
    assertEquals(2, plan.get("workers").asInt());
    assertEquals(100, plan.get("chunkRecords").asInt());
    assertEquals("/work/.wiz", plan.get("stateDir").asText());
    assertTrue(plan.get("resumeFrom").isNull());
    assertEquals(false, plan.get("forced").asBoolean());
  }

  @Test
  void aRequestThatSucceededIsRefusedWithTheRunsMessageUnlessForced() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    CliHarness.Result real = wiz.run("run", "p.yaml");
    assertEquals(6, real.code(), real.toString());
    CliHarness.Result r = dry();
    assertEquals(real.toString(), r.toString(), "the same refusal, the same exit code");

    CliHarness.Result forced = dry("--force");
    assertEquals(0, forced.code(), forced.toString());
    assertTrue(forced.err().startsWith("wiz: dry run: the run would start (forced past a request rule)"), forced.err());
    assertEquals(1, requests().get(0).get("attempts").asInt());
  }

  @Test
  void aRequestOverItsFailureBudgetIsRefusedButNotMarkedDeadLettered() throws IOException {
    writeInput(450);
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    assertEquals("failed", requests().get(0).get("status").asText());
    CliHarness.Result r = dry();
    assertEquals(6, r.code(), r.toString());
    assertTrue(r.err().contains("failed 2 times (run.maxFailures is 2) and is dead-lettered; --force runs it again"), r.err());
    assertEquals("failed", requests().get(0).get("status").asText(), "only a real run records the verdict");
    CliHarness.Result real = wiz.run("run", "p.yaml");
    assertEquals(real.toString(), r.toString());
    assertEquals("dead-lettered", requests().get(0).get("status").asText());
  }

  @Test
  void resumeSaysWhichRunAndHowManyChunksTheRunThenTakesOver() throws IOException {
    writeInput(450);
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    String failed = requests().get(0).at("/runs/0/runId").asText();
    writeInput(-1);
    // The input changed: another request, nothing to resume; said as the run says it.
    CliHarness.Result other = dry("--resume");
    assertEquals(0, other.code(), other.toString());
    assertTrue(other.err().contains("\n  resume:       nothing to resume: no failed, crashed or interrupted run of this "
        + "request (run " + failed + " of this pipeline file ended failed"), other.err());

    writeInput(450);
    Files.setLastModifiedTime(work.resolve("in.jsonl"), requestInputTime(failed));
    // A log whose last line lost its newline (killed mid-write): the run cuts that line, the dry run only says so.
    Path log = work.resolve(".wiz/runs").resolve(failed).resolve("provenance.jsonl");
    byte[] bytes = Files.readAllBytes(log);
    Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    CliHarness.Result r = dry("--resume", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode plan = Json.mapper().readTree(r.out());
    assertEquals(failed, plan.at("/resumeFrom/runId").asText(), plan.toString());
    long chunks = plan.at("/resumeFrom/chunks").asLong();
    assertTrue(chunks >= 1 && chunks <= 4, plan.toString());
    CliHarness.Result text = dry("--resume");
    assertTrue(text.err().contains("\n  resume:       from run " + failed + ", " + chunks + " chunk"), text.err());
    assertTrue(text.err().contains(" already committed (a torn last line of its provenance log would be cut)\n"), text.err());
    long torn = plan.at("/resumeFrom/tornBytes").asLong();
    String lastLine = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().reduce((a, b) -> b).orElseThrow();
    assertEquals(lastLine.length(), torn, "the whole last line, which parses but has no newline");

    CliHarness.Result real = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(4, real.code(), "the bad line is still there: " + real);
    JsonNode runJson = Json.mapper().readTree(Files.readString(
        work.resolve(".wiz/runs").resolve(Json.mapper().readTree(real.out()).get("runId").asText()).resolve("run.json")));
    assertEquals(chunks, runJson.at("/resumed/chunksTakenOver").asLong(), runJson.toString());
    assertEquals(torn, runJson.at("/resumed/tornBytesCut").asLong(), runJson.toString());
  }

  /** The modification time the failed run recorded for its input (so the request is the same again). */
  private java.nio.file.attribute.FileTime requestInputTime(String runId) throws IOException {
    JsonNode run = Json.mapper().readTree(Files.readString(work.resolve(".wiz/runs").resolve(runId).resolve("run.json")));
    return java.nio.file.attribute.FileTime.fromMillis(run.at("/inputs/0/modified").asLong());
  }

  @Test
  void aLiveRunOfTheRequestIsReportedWithoutTouchingItsLock() throws IOException {
    JsonNode plan = Json.mapper().readTree(dry("--format", "json").out());
    String key = plan.get("requestKey").asText();
    Path lock = work.resolve(".wiz/requests").resolve(key.substring(7)).resolve("lock");
    RequestLock.Acquired acquired = assertInstanceOf(RequestLock.Acquired.class,
        RequestLock.tryAcquire(lock, new RequestLock.Holder("live-run", 4242, "2026-11-23T10:00:00Z")));
    try (RequestLock l = acquired.lock()) {
      CliHarness.Result r = dry();
      assertEquals(6, r.code(), r.toString());
      assertEquals("wiz: refused: request " + key.substring(7, 19) + " is already running as run live-run (pid 4242, "
          + "started 2026-11-23T10:00:00Z): wait for it to end, or stop it first\n", r.err());
      assertTrue(RequestLock.isHeld(lock), "the live run still holds its lock");
    }
  }

  @Test
  void aRunWhoseProcessDiedIsCountedAsTheRunWouldRecordIt() throws IOException {
    writeInput(450);
    assertEquals(4, wiz.run("-q", "run", "p.yaml").code());
    String key = requests().get(0).get("key").asText();
    Path dir = work.resolve(".wiz/requests").resolve(key.substring(7));
    Files.writeString(dir.resolve("lock"), "{\"runId\":\"dead-run\",\"pid\":99999999,\"startedAt\":\"2026-11-23T09:00:00Z\"}");
    JsonNode rec = Json.mapper().readTree(Files.readString(dir.resolve("record.json")));
    ((com.fasterxml.jackson.databind.node.ArrayNode) rec.get("attempts")).addObject()
        .put("runId", "dead-run").put("status", "running").put("startedAt", "2026-11-23T09:00:00Z");
    Files.writeString(dir.resolve("record.json"), rec.toString());

    // One failure and the crash make two: the budget (maxFailures 2) is spent.
    CliHarness.Result r = dry();
    assertEquals(6, r.code(), r.toString());
    assertTrue(r.err().contains("failed 2 times (run.maxFailures is 2)"), r.err());
    assertTrue(r.err().contains("\n  dead-run crashed: the process (pid 99999999) ended without finishing the run"), r.err());

    CliHarness.Result forced = dry("--force");
    assertEquals(0, forced.code(), forced.toString());
    assertTrue(forced.err().contains("\n  crashed run:  dead-run (pid 99999999) ended without finishing; the run would "
        + "record it as crashed\n"), forced.err());
    // The dead run wrote no record, so no output either: --resume goes on from the 4 chunks the failed run committed.
    CliHarness.Result resume = dry("--force", "--resume");
    assertTrue(resume.err().contains("\n  resume:       from run dead-run, 4 chunks already committed"), resume.err());
  }

  @Test
  void anInvalidPipelineGivesValidatesDiagnosticsAndExit3() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("type: jq", "type: jqq"));
    CliHarness.Result validate = wiz.run("validate", "p.yaml");
    CliHarness.Result r = dry();
    assertEquals(3, r.code(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("p.yaml:6:22: /processors/0/type: unknown processor type 'jqq' (did you mean 'jq'?"), r.err());
    assertTrue(validate.err().startsWith(r.err()), validate.err());
  }

  @Test
  void anOutputThatIsAFolderFailsAsTheRunWould() throws IOException {
    Files.createDirectories(work.resolve("out/ids.jsonl"));
    CliHarness.Result real = wiz.run("run", "p.yaml");
    Files.walk(work.resolve(".wiz")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
      try {
        Files.delete(p);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    CliHarness.Result r = dry();
    assertEquals(4, r.code(), r.toString());
    assertEquals(real.toString(), r.toString());
    assertTrue(r.err().contains("/sink/path: 'out/ids.jsonl' is a folder: name the file to write"), r.err());

    Files.delete(work.resolve("out/ids.jsonl"));
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    Files.delete(work.resolve("out/ids.jsonl"));
    Files.createDirectories(work.resolve("out/ids.jsonl"));
    CliHarness.Result refused = wiz.run("run", "p.yaml");
    assertEquals(6, refused.code(), "the rules come before the output: " + refused);
    assertEquals(refused.toString(), dry().toString());
  }

  @Test
  void standardInputIsANewRequestAndCannotBeResumed() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("{ type: file, path: in.jsonl }", "{ type: stdin }"));
    wiz.stdin = "{\"id\":1}\n";
    CliHarness.Result r = dry();
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("\n  request:      a new one (a run that reads standard input is a request of its own)\n"
        + "  input:        stdin\n"), r.err());
    CliHarness.Result resume = dry("--resume");
    assertEquals(6, resume.code(), resume.toString());
    assertTrue(resume.err().startsWith("wiz: refused: a run that reads standard input cannot be resumed"), resume.err());
  }
}

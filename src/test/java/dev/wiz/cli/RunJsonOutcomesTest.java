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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wiz run --format json} gives one JSON document in every outcome, not only when a run
 * started: refused, not started, invalid, broken state, usage error.
 */
class RunJsonOutcomesTest extends JimfsCliTest {
  static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "source: { type: file, path: in.jsonl }",
      "processors:",
      "  - { id: ids, type: jq, config: { program: '.id' } }",
      "sink: { type: file, path: out/ids.jsonl }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    writePipeline(work);
  }

  /** p.yaml, a jq step writing the ids of in.jsonl's two records to out/ids.jsonl; shared with JsonAnswersTest. */
  static void writePipeline(java.nio.file.Path work) throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE);
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n{\"id\":2}\n");
  }

  /** The one JSON document on stdout; fails when stdout holds anything else. */
  static JsonNode onlyJson(String out) throws IOException {
    JsonNode doc = onlyJsonValue(out);
    assertTrue(doc.isObject(), out);
    return doc;
  }

  /** The one JSON value on stdout, of any kind; fails when stdout holds anything else. */
  static JsonNode onlyJsonValue(String out) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser p = Json.mapper().createParser(out)) {
      JsonNode doc = Json.mapper().readTree(p);
      assertEquals(null, p.nextToken(), "one document, nothing after it: " + out);
      assertTrue(doc != null && !doc.isMissingNode(), out);
      return doc;
    }
  }

  private JsonNode succeeded() throws IOException {
    CliHarness.Result first = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, first.code(), first.toString());
    return onlyJson(first.out());
  }

  @Test
  void aRefusedRunSaysWhichRuleAndNamesTheRunThatSucceededAndItsOutput() throws IOException {
    JsonNode first = succeeded();
    for (boolean dry : List.of(false, true)) {
      CliHarness.Result r = dry ? wiz.run("run", "p.yaml", "--format", "json", "--dry-run") : wiz.run("run", "p.yaml", "--format", "json");
      assertEquals(6, r.code(), r.toString());
      JsonNode o = onlyJson(r.out());
      assertEquals("refused", o.get("status").asText(), o.toString());
      assertEquals("already-succeeded", o.get("rule").asText());
      assertEquals(first.get("runId").asText(), o.get("runId").asText(), "the run that succeeded");
      assertEquals("/work/out/ids.jsonl", o.get("output").asText());
      assertTrue(o.get("requestKey").asText().matches("sha256:[0-9a-f]{64}"), o.toString());
      assertTrue(o.get("error").asText().startsWith("request " + o.get("requestKey").asText().substring(7, 19)
          + " already succeeded in run "), o.toString());
      assertEquals(dry, o.path("dryRun").asBoolean(false), o.toString());
      assertTrue(r.err().startsWith("wiz: refused: request "), "the text is still on stderr: " + r.err());
    }
  }

  @Test
  void aRunRefusedBecauseTheRequestIsRunningNamesTheLiveRun() throws IOException {
    JsonNode first = succeeded();
    Path lock = work.resolve(".wiz/requests").resolve(keyOf(first)).resolve("lock");
    RequestLock.Outcome held = RequestLock.tryAcquire(lock, new RequestLock.Holder("live-run", 4242, "2026-11-23T10:00:00Z"));
    try (RequestLock l = assertInstanceOf(RequestLock.Acquired.class, held).lock()) {
      CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json", "--force");
      assertEquals(6, r.code(), r.toString());
      JsonNode o = onlyJson(r.out());
      assertEquals("already-running", o.get("rule").asText(), o.toString());
      assertEquals("live-run", o.get("runId").asText(), o.toString());
      assertTrue(o.get("output").isNull(), o.toString());
    }
  }

  private String keyOf(JsonNode summary) throws IOException {
    JsonNode record = Json.mapper().readTree(Files.readString(fs.getPath(summary.get("runRecord").asText())));
    return record.get("requestKey").asText().substring(7);
  }

  @Test
  void aRunThatCannotStartGivesTheDiagnosticAsValidateShapesIt() throws IOException {
    Files.delete(work.resolve("in.jsonl"));
    for (boolean dry : List.of(false, true)) {
      CliHarness.Result r = dry ? wiz.run("run", "p.yaml", "--format", "json", "--dry-run") : wiz.run("run", "p.yaml", "--format", "json");
      assertEquals(4, r.code(), r.toString());
      JsonNode o = onlyJson(r.out());
      assertEquals("not-started", o.get("status").asText(), o.toString());
      JsonNode d = o.at("/diagnostics/0");
      assertEquals("p.yaml", d.get("file").asText());
      assertEquals(2, d.get("line").asInt());
      assertEquals("/source/path", d.get("pointer").asText());
      assertTrue(d.get("message").asText().startsWith("no such file: 'in.jsonl'"), d.toString());
      assertEquals(r.err().strip(), o.get("error").asText());
    }
  }

  @Test
  void anInvalidPipelineGivesTheDiagnosticsValidateGives() throws IOException {
    Files.writeString(work.resolve("bad.yaml"), "wiz: 1\nsource: { type: fiel, path: in.jsonl }\nsink: { type: stdout }\n");
    CliHarness.Result validate = wiz.run("validate", "bad.yaml", "--format", "json");
    for (boolean dry : List.of(false, true)) {
      CliHarness.Result r = dry ? wiz.run("run", "bad.yaml", "--format", "json", "--dry-run") : wiz.run("run", "bad.yaml", "--format", "json");
      assertEquals(3, r.code(), r.toString());
      // The sink is stdout: a run's JSON goes to stderr (one line among the diagnostics' text); a dry run's to stdout.
      String json = dry ? r.out() : r.err().lines().filter(l -> l.startsWith("{")).findFirst().orElse(r.err());
      if (!dry) assertEquals("", r.out());
      JsonNode o = onlyJson(json);
      assertEquals("invalid", o.get("status").asText(), o.toString());
      assertEquals(Json.mapper().readTree(validate.out()), o.get("diagnostics"));
    }
  }

  @Test
  void aBrokenStateFileAMissingPipelineAndABadOptionAreJsonToo() throws IOException {
    JsonNode first = succeeded();
    Path runJson = fs.getPath(first.get("runRecord").asText());
    Files.writeString(runJson, "null");
    CliHarness.Result broken = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(3, broken.code(), broken.toString());
    JsonNode b = onlyJson(broken.out());
    assertEquals("broken-state", b.get("status").asText(), b.toString());
    assertEquals(runJson.toString(), b.get("file").asText());
    assertTrue(b.get("error").asText().contains("not a readable run record (it holds null, not an object)"), b.toString());

    CliHarness.Result missing = wiz.run("run", "nope.yaml", "--format", "json");
    assertEquals(2, missing.code(), missing.toString());
    assertEquals(Json.mapper().readTree("{\"status\":\"usage-error\",\"error\":\"nope.yaml: no such file\"}"), onlyJson(missing.out()));

    CliHarness.Result workers = wiz.run("run", "p.yaml", "--format", "json", "--workers", "0");
    assertEquals(2, workers.code(), workers.toString());
    assertEquals("usage-error", onlyJson(workers.out()).get("status").asText());
  }

  @Test
  void anOptionPicocliRefusesIsAUsageErrorInJsonToo() throws IOException {
    for (List<String> args : List.of(
        List.of("run", "p.yaml", "--format", "json", "--workers", "two"),
        List.of("run", "p.yaml", "--wokers", "2", "--format=json"),
        List.of("run", "--format", "json"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.toString());
      JsonNode o = onlyJson(r.out());
      assertEquals("usage-error", o.get("status").asText(), o.toString());
      assertTrue(r.err().startsWith("wiz: " + o.get("error").asText() + "\n"), "the same words on stderr: " + r);
    }
    CliHarness.Result dry = wiz.run("run", "p.yaml", "--dry-run", "--format", "json", "--workers", "two");
    assertEquals(2, dry.code(), dry.toString());
    assertEquals(Json.mapper().readTree("{\"dryRun\":true,\"status\":\"usage-error\","
        + "\"error\":\"Invalid value for option '--workers': 'two' is not an int\"}"), onlyJson(dry.out()));
    CliHarness.Result text = wiz.run("run", "p.yaml", "--workers", "two");
    assertEquals(2, text.code(), text.toString());
    assertEquals("", text.out(), "text stays off stdout");
  }

  @Test
  void textStaysTheDefaultAndPrintsNothingOnStdout() throws IOException {
    succeeded();
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(6, r.code(), r.toString());
    assertEquals("", r.out());
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      assertEquals(1, runs.count(), "a refused run leaves no run behind");
    }
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.provenance.ChunkGraphTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wiz provenance show|list|verify} on logs that were tampered with, resumed runs and end-of-input chunks. */
class ProvenanceCommandTest extends JimfsCliTest {
  private static final String EVENTS = String.join("\n",
      "wiz: 1",
      "name: events",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 50 }",
      "processors:",
      "  - { id: keep-ok, type: filter, config: { where: '.status == \"ok\"' } }",
      "  - { id: shape, type: jq, config: { program: '{id, country, cents: (.amount * 100)}' } }",
      "sink: { type: file, path: out/events.jsonl }",
      "run: { workers: 2 }",
      "");

  private static final String REPORT = String.join("\n",
      "wiz: 1",
      "name: report",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 50 }",
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
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 250)
        .mapToObj(i -> "{\"id\":" + i + ",\"country\":\"" + (i % 3 == 0 ? "DE" : "NG") + "\",\"status\":\""
            + (i % 4 == 0 ? "error" : "ok") + "\",\"amount\":" + (i % 30) + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(work.resolve("events.yaml"), EVENTS);
    Files.writeString(work.resolve("report.yaml"), REPORT);
  }

  private Path onlyRun() throws IOException {
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      return runs.findFirst().orElseThrow();
    }
  }

  private static void assertNoStackTrace(CliHarness.Result r) {
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.toString());
  }

  // ---- 1. a log that run.json does not vouch for ------------------------------------------------

  @Test
  void verifyAndListSayAnEmptiedLogDoesNotMatchRunJson() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    long events = Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json"))).at("/provenance/events").asLong();
    assertTrue(events > 10, "run.json records the events: " + events);
    Files.write(run.resolve("provenance.jsonl"), new byte[0]);

    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(3, verify.code(), verify.toString());
    assertEquals("", verify.out(), "not 'intact'");
    assertTrue(verify.err().contains("provenance.jsonl: the log is empty, but run.json records " + events
        + " events ending in head sha256:"), verify.err());

    CliHarness.Result list = wiz.run("provenance", "list");
    assertEquals(3, list.code(), list.toString());
    assertTrue(list.err().contains("the log is empty, but run.json records " + events + " events"), list.err());
    assertTrue(list.err().contains("'wiz provenance verify --run " + run.getFileName() + "' checks the log"), list.err());
  }

  @Test
  void verifyHoldsTheEventCountAndHeadOfRunJsonAgainstTheLog() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    Path log = run.resolve("provenance.jsonl");
    List<String> lines = Files.readAllLines(log);
    CliHarness.Result intact = wiz.run("provenance", "verify");
    assertEquals(0, intact.code(), intact.toString());
    assertTrue(intact.out().startsWith("intact: " + lines.size() + " events, head sha256:"), intact.out());

    Files.write(log, lines.subList(0, lines.size() - 2));
    CliHarness.Result cut = wiz.run("provenance", "verify");
    assertEquals(3, cut.code(), cut.toString());
    assertTrue(cut.err().contains(": the log has " + (lines.size() - 2) + " events, but run.json records " + lines.size()
        + " events ending in head "), cut.err());
    assertTrue(cut.err().contains("events were cut off the end"), cut.err());

    // run.json that says fewer events than the log has: events were added after the run ended.
    Files.write(log, lines);
    ObjectNode record = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    ((ObjectNode) record.get("provenance")).put("events", lines.size() - 1);
    Files.writeString(run.resolve("run.json"), record.toString());
    CliHarness.Result added = wiz.run("provenance", "verify");
    assertEquals(3, added.code(), added.toString());
    assertTrue(added.err().contains(": the log has " + lines.size() + " events, but run.json records " + (lines.size() - 1)
        + " events ending in head "), added.err());
  }

  @Test
  void verifyHoldsTheOutputAgainstTheDigestsItsLogRecorded() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path out = work.resolve("out/events.jsonl");
    byte[] bytes = Files.readAllBytes(out);
    CliHarness.Result intact = wiz.run("provenance", "verify");
    assertEquals(0, intact.code(), intact.toString());
    assertTrue(intact.out().endsWith("; output /work/out/events.jsonl: " + bytes.length + " bytes as logged\n"), intact.out());

    byte[] edited = bytes.clone();
    int at = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf("\"DE\"") + 1;
    edited[at] = 'F'; // "DE" -> "FE": one byte, the same size
    Files.write(out, edited);
    CliHarness.Result changed = wiz.run("provenance", "verify");
    assertEquals(3, changed.code(), changed.toString());
    assertEquals("", changed.out());
    assertTrue(changed.err().matches("/work/out/events\\.jsonl: the \\d+ bytes at byte 0 \\(chunk events-[0-9a-f]{8}-000000, 37"
        + " records\\) hash to sha256:[0-9a-f]{64}, not to the sha256:[0-9a-f]{64} the log recorded for them: they were"
        + " changed after the run \\(by hand, or by a later run that wrote the same file\\)\n"), changed.err());
    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "verify", "--format", "json").out());
    assertFalse(json.get("intact").asBoolean(), json.toString());
    assertEquals("/work/out/events.jsonl", json.at("/problem/file").asText(), json.toString());
    assertTrue(json.at("/problem/message").asText().startsWith("the "), json.toString());

    Files.write(out, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    CliHarness.Result cut = wiz.run("provenance", "verify");
    assertEquals(3, cut.code(), cut.toString());
    assertTrue(cut.err().contains(": " + (bytes.length - 10) + " bytes, but the run wrote " + bytes.length + " bytes: it was cut"
        + " after the run"), cut.err());
    Files.write(out, (new String(bytes, java.nio.charset.StandardCharsets.UTF_8) + "{}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(wiz.run("provenance", "verify").err().contains(": bytes were added after the run"));
    Files.delete(out);
    CliHarness.Result missing = wiz.run("provenance", "verify");
    assertEquals(3, missing.code(), missing.toString());
    assertEquals("/work/out/events.jsonl: missing, but the run wrote " + bytes.length + " bytes there\n", missing.err());
    Files.write(out, bytes);
    assertEquals(0, wiz.run("provenance", "verify").code());
  }

  @Test
  void verifyOfAJsonArrayOutputTakesItsClosingBracketAsWritten() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    CliHarness.Result intact = wiz.run("provenance", "verify");
    assertEquals(0, intact.code(), intact.toString());
    Path out = work.resolve("out/report.json");
    String text = Files.readString(out);
    assertTrue(text.endsWith("\n]\n"), text);
    Files.writeString(out, text.substring(0, text.length() - 2) + "}\n");
    assertEquals(3, wiz.run("provenance", "verify").code(), "another last line than the array's close");
  }

  @Test
  void verifyOfARunThatWroteNoRecordTakesTheHeaderItsSinkWroteAsWritten() throws IOException {
    for (String format : List.of("json", "csv, columns: [id]")) {
      Files.writeString(work.resolve("none.yaml"), String.join("\n",
          "wiz: 1",
          "name: none",
          "source: { type: file, path: in.jsonl }",
          "processors:",
          "  - { id: none, type: filter, config: { where: 'false' } }",
          "sink: { type: file, path: out/none.txt, format: " + format + " }", ""));
      assertEquals(0, wiz.run("-q", "run", "--force", "none.yaml").code());
      Path out = work.resolve("out/none.txt");
      assertTrue(Files.size(out) > 0, format);
      CliHarness.Result r = wiz.run("provenance", "verify");
      assertEquals(0, r.code(), format + ": " + r);
      assertTrue(r.out().endsWith("; output /work/out/none.txt: 0 bytes as logged\n"), r.out());
      Files.writeString(out, Files.readString(out) + "1\n");
      assertEquals(3, wiz.run("provenance", "verify").code(), format + ": a record added");
    }
  }

  @Test
  void listAndShowNameALineThatIsNoEventInsteadOfBlamingTheEnd() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path log = onlyRun().resolve("provenance.jsonl");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
    String chunk = Json.mapper().readTree(lines.get(0)).get("chunk").asText();
    lines.set(0, "garbage");
    Files.write(log, lines);
    for (String[] args : List.of(new String[] {"provenance", "list"}, new String[] {"provenance", "show", chunk})) {
      CliHarness.Result r = wiz.run(args);
      assertEquals(3, r.code(), r.toString());
      assertTrue(r.err().contains("provenance.jsonl: line 1 is not a provenance event (torn or edited line); what is shown"
          + " leaves it out ('wiz provenance verify --run "), r.err());
      assertFalse(r.err().contains("cut off"), r.err());
    }
    lines.set(2, lines.get(2).replace("\"seq\"", "\"sequence\""));
    Files.write(log, lines);
    CliHarness.Result two = wiz.run("provenance", "list");
    assertTrue(two.err().contains(": line 1 is not a provenance event (torn or edited line), nor are 1 more; what is"
        + " shown leaves them out"), two.err());
  }

  @Test
  void aMissingOrUnreadableRunJsonIsNamedWithExit3AndNoStackTrace() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    String id = run.getFileName().toString();
    Files.writeString(run.resolve("run.json"), "{\"schema\": 1, broken");

    CliHarness.Result named = wiz.run("provenance", "verify", "--run", id);
    assertEquals(3, named.code(), named.toString());
    assertTrue(named.err().startsWith("wiz: /work/.wiz/runs/" + id + "/run.json:1:15: not a readable run record (Unexpected character ('b'"), named.err());
    assertNoStackTrace(named);

    CliHarness.Result latest = wiz.run("provenance", "list");
    assertEquals(3, latest.code(), latest.toString());
    assertTrue(latest.err().startsWith("wiz: warning: /work/.wiz/runs/" + id + "/run.json:1:15: not a readable run record ("),
        latest.err());
    assertTrue(latest.err().contains(": run " + id + " is left out\nwiz: no runs in /work/.wiz\n"), latest.err());
    assertNoStackTrace(latest);

    Files.delete(run.resolve("run.json"));
    CliHarness.Result missing = wiz.run("provenance", "verify", "--run", id);
    assertEquals(3, missing.code(), missing.toString());
    assertEquals("wiz: /work/.wiz/runs/" + id + "/run.json: missing: the run's folder is there but not its record,"
        + " so its provenance cannot be checked or shown\n", missing.err());

    CliHarness.Result unknown = wiz.run("provenance", "verify", "--run", "no-such-run");
    assertEquals(3, unknown.code(), unknown.toString());
    assertTrue(unknown.err().startsWith("wiz: unknown run id 'no-such-run'"), unknown.err());
  }

  @Test
  void anUnknownRunOrChunkInJsonIsAnAnswerOnStdoutNotNothing() throws IOException {
    CliHarness.Result noState = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(3, noState.code(), noState.toString());
    assertEquals(false, Json.mapper().readTree(noState.out()).get("intact").asBoolean(), noState.out());
    assertTrue(Json.mapper().readTree(noState.out()).get("run").isNull(), noState.out());

    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    CliHarness.Result verify = wiz.run("provenance", "verify", "--run", "no-such-run", "--format", "json");
    assertEquals(3, verify.code(), verify.toString());
    String message = verify.err().substring("wiz: ".length()).strip();
    assertTrue(message.startsWith("unknown run id 'no-such-run'"), verify.err());
    assertEquals(Json.mapper().createObjectNode().put("run", "no-such-run").put("intact", false)
        .set("problem", Json.mapper().createObjectNode().put("message", message)), Json.mapper().readTree(verify.out()));

    CliHarness.Result list = wiz.run("provenance", "list", "--run", "no-such-run", "--format", "json");
    assertEquals(3, list.code(), list.toString());
    assertEquals(Json.mapper().createObjectNode().put("run", "no-such-run").put("error", message),
        Json.mapper().readTree(list.out()));

    CliHarness.Result show = wiz.run("provenance", "show", "no-such-chunk", "--format", "json");
    assertEquals(3, show.code(), show.toString());
    JsonNode s = Json.mapper().readTree(show.out());
    assertEquals("no-such-chunk", s.get("chunk").asText(), show.out());
    assertTrue(s.get("error").asText().startsWith("unknown chunk id 'no-such-chunk'"), show.out());

    CliHarness.Result text = wiz.run("provenance", "list", "--run", "no-such-run");
    assertEquals("", text.out(), "text stays off stdout");
  }

  @Test
  void aRunJsonThatParsesButIsNoRunRecordIsNamedWithWhatIsWrongAndExit3() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    String id = run.getFileName().toString();
    ObjectNode good = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    java.util.Map<String, String> whatIsWrong = new java.util.LinkedHashMap<>();
    whatIsWrong.put("{}", ": not a readable run record (no schema)");
    whatIsWrong.put("null", ": not a readable run record (it holds null, not an object)");
    whatIsWrong.put("[]", ":1:1: not a readable run record (expected an object)");
    whatIsWrong.put("{\"schema\": 1}", ": not a readable run record (no runId)");
    whatIsWrong.put(good.deepCopy().put("runId", "another-run").toString(),
        ": not a readable run record (its runId is 'another-run', not the name of its folder)");
    whatIsWrong.put(good.deepCopy().put("startedAt", (String) null).toString(), ": not a readable run record (no startedAt)");
    ObjectNode noPipelineName = good.deepCopy();
    ((ObjectNode) noPipelineName.get("pipeline")).remove("name");
    whatIsWrong.put(noPipelineName.toString(), ": not a readable run record (/pipeline: no name)");
    ObjectNode badInputs = good.deepCopy();
    badInputs.putArray("inputs").addNull();
    whatIsWrong.put(badInputs.toString(), ": not a readable run record (/inputs/0: null)");
    whatIsWrong.put(good.deepCopy().put("workers", "two").toString().replace(" ", ""), null);
    for (java.util.Map.Entry<String, String> c : whatIsWrong.entrySet()) {
      Files.writeString(run.resolve("run.json"), c.getKey());
      String file = "/work/.wiz/runs/" + id + "/run.json";
      String problem = c.getValue() == null ? null : file + c.getValue();
      for (String[] args : List.of(new String[] {"provenance", "verify", "--run", id},
          new String[] {"provenance", "list", "--run", id}, new String[] {"provenance", "export", "--format", "prov", "--run", id},
          new String[] {"run", "events.yaml"})) {
        CliHarness.Result r = wiz.run(args);
        assertEquals(3, r.code(), c.getKey() + ": " + String.join(" ", args) + "\n" + r);
        if (problem != null) {
          assertEquals("wiz: " + problem + "; move it away to start afresh\n", r.err(), String.join(" ", args));
        } else {
          assertTrue(r.err().matches("wiz: " + file + ":1:\\d+: not a readable run record \\(/workers: expected a number\\); "
              + "move it away to start afresh\n"), r.err());
        }
        assertNoStackTrace(r);
      }
      CliHarness.Result latest = wiz.run("provenance", "list");
      assertEquals(3, latest.code(), latest.toString());
      assertTrue(latest.err().startsWith("wiz: warning: " + (problem != null ? problem : file + ":1:")), latest.err());
      assertTrue(latest.err().endsWith(": run " + id + " is left out\nwiz: no runs in /work/.wiz\n"), latest.err());

      CliHarness.Result requests = wiz.run("requests");
      assertEquals(3, requests.code(), "a run record that cannot be read hides its partial output\n" + requests);
      assertTrue(requests.err().startsWith("wiz: " + (problem != null ? problem : file + ":1:")), requests.err());
    }
  }

  @Test
  void listShowAndExportSayWhenTheChainIsBrokenInsteadOfShowingAnEditedLogAsFact() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    Path log = run.resolve("provenance.jsonl");
    List<String> lines = Files.readAllLines(log);
    int step = 0;
    while (!lines.get(step).contains("\"type\":\"FILTERED\"")) step++;
    String chunk = Json.mapper().readTree(lines.get(step)).get("chunk").asText();
    String[][] commands = {{"provenance", "list"}, {"provenance", "show", chunk},
        {"provenance", "export", "--format", "prov"}};

    // One byte of a step's count changed: the line still parses, the counts and the head still match run.json.
    List<String> edited = new java.util.ArrayList<>(lines);
    edited.set(step, lines.get(step).replaceFirst("\"recordsOut\":(\\d)", "\"recordsOut\":9$1"));
    assertNotEquals(lines.get(step), edited.get(step));
    Files.write(log, edited);
    for (String[] args : commands) {
      CliHarness.Result r = wiz.run(args);
      assertEquals(3, r.code(), r.toString());
      assertTrue(r.err().contains("provenance.jsonl: line " + (step + 1) + ": hash does not match the event (the line was"
          + " changed); what is shown is what the log says now, not what the run logged ('wiz provenance verify --run "
          + run.getFileName() + "' checks the log)"), r.err());
    }

    // Two lines swapped: as many events, the same last one.
    List<String> swapped = new java.util.ArrayList<>(lines);
    java.util.Collections.swap(swapped, 3, 4);
    Files.write(log, swapped);
    CliHarness.Result reordered = wiz.run("provenance", "list");
    assertEquals(3, reordered.code(), reordered.toString());
    assertTrue(reordered.err().contains(": line 4: sequence number 5 where 4 was expected (a line was removed, inserted or"
        + " reordered)"), reordered.err());

    // A line removed in the middle is named, not blamed on the end.
    List<String> removed = new java.util.ArrayList<>(lines);
    removed.remove(3);
    Files.write(log, removed);
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(3, show.code(), show.toString());
    assertTrue(show.err().contains(": line 4: sequence number 5 where 4 was expected"), show.err());
    assertFalse(show.err().contains("cut off the end"), show.err());

    Files.write(log, lines);
    for (String[] args : commands) {
      CliHarness.Result r = wiz.run(args);
      assertEquals(0, r.code(), r.toString());
    }
  }

  @Test
  void aProvenanceLogLineThatParsesButIsNoEventIsAMismatchNotACrash() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path log = onlyRun().resolve("provenance.jsonl");
    List<String> lines = Files.readAllLines(log);
    for (String line : List.of("null", "{}", "[]", "{\"seq\": 3, \"type\": \"CREATE\"}")) {
      List<String> edited = new java.util.ArrayList<>(lines);
      edited.set(2, line);
      Files.write(log, edited);
      CliHarness.Result list = wiz.run("provenance", "list");
      assertEquals(3, list.code(), line + "\n" + list);
      assertTrue(list.err().contains(": line 3 is not a provenance event (torn or edited line)"), list.err());
      CliHarness.Result verify = wiz.run("provenance", "verify");
      assertEquals(3, verify.code(), line + "\n" + verify);
      assertTrue(verify.err().contains("provenance.jsonl:3: "), verify.toString());
      assertNoStackTrace(list);
      assertNoStackTrace(verify);
    }
  }

  @Test
  void aChunkIndexEntryThatIsNoRunIdIsNamed() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path entry;
    try (Stream<Path> chunks = Files.list(work.resolve(".wiz/chunks"))) {
      entry = chunks.sorted().findFirst().orElseThrow();
    }
    Files.writeString(entry, "../../elsewhere\n");
    CliHarness.Result r = wiz.run("provenance", "show", entry.getFileName().toString());
    assertEquals(3, r.code(), r.toString());
    assertEquals("wiz: " + entry + ": not a readable chunk index entry (it holds '../../elsewhere', not a run id); "
        + "move it away to start afresh\n", r.err());
  }

  @Test
  void aMissingLogIsNamedWithWhatRunJsonRecords() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Files.delete(onlyRun().resolve("provenance.jsonl"));
    CliHarness.Result r = wiz.run("provenance", "verify");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().matches("wiz: /work/\\.wiz/runs/[0-9a-f-]+/provenance\\.jsonl: missing, but run\\.json records \\d+ events"
        + " ending in head sha256:[0-9a-f]{64}\n"), r.err());
  }

  @Test
  void aFolderWhereTheLogShouldBeIsBrokenStateNamedWithItsPath() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path log = onlyRun().resolve("provenance.jsonl");
    Files.delete(log);
    Files.createDirectory(log);
    // Java said only "Is a directory", as a usage error
    for (String command : List.of("verify", "list")) {
      CliHarness.Result r = wiz.run("provenance", command);
      assertEquals(3, r.code(), r.toString());
      assertEquals("wiz: " + log + ": not a readable provenance log (it is a folder); move it away to start afresh\n", r.err());
    }
  }

  @Test
  void theRunOptionSaysWhatItDefaultsToInEachSubcommand() {
    for (String command : List.of("list", "verify", "export")) {
      CliHarness.Result help = wiz.run("provenance", command, "--help");
      assertEquals(0, help.code(), help.toString());
      assertTrue(help.out().contains("--run=RUN-ID         The run (default: the latest run).\n")
          || help.out().contains("--run=RUN-ID      The run (default: the latest run).\n"), help.out());
      assertFalse(help.out().contains("chunk)"), command + " takes no chunk: " + help.out());
    }
    CliHarness.Result show = wiz.run("provenance", "show", "--help");
    assertTrue(show.out().contains("The run (default: the latest run that has the chunk).\n"), show.out());
  }

  @Test
  void aMissingLogInJsonNamesTheRunItChoseAndWhatRunJsonRecords() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    String id = run.getFileName().toString();
    JsonNode recorded = Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json"))).get("provenance");
    String chunk = wiz.run("provenance", "list").out().split("\t", 2)[0];
    Files.delete(run.resolve("provenance.jsonl"));
    String message = run.resolve("provenance.jsonl") + ": missing, but run.json records "
        + recorded.get("events").asLong() + " events ending in head " + recorded.get("head").asText();

    for (List<String> latestOrNamed : List.of(List.<String>of(), List.of("--run", id))) {
      List<String> verifyArgs = new java.util.ArrayList<>(List.of("provenance", "verify", "--format", "json"));
      verifyArgs.addAll(latestOrNamed);
      CliHarness.Result verify = wiz.run(verifyArgs.toArray(String[]::new));
      ObjectNode expected = Json.mapper().createObjectNode().put("run", id).put("intact", false);
      expected.putObject("recorded").put("events", recorded.get("events").asLong()).put("head", recorded.get("head").asText());
      expected.putObject("problem").put("message", message);
      assertEquals(new CliHarness.Result(3, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(expected) + "\n",
          "wiz: " + message + "\n").toString(), verify.toString(), latestOrNamed.toString());

      List<String> listArgs = new java.util.ArrayList<>(List.of("provenance", "list", "--format", "json"));
      listArgs.addAll(latestOrNamed);
      CliHarness.Result list = wiz.run(listArgs.toArray(String[]::new));
      assertEquals(3, list.code(), list.toString());
      assertEquals(Json.mapper().createObjectNode().put("run", id).put("error", message), Json.mapper().readTree(list.out()));
    }

    CliHarness.Result show = wiz.run("provenance", "show", chunk, "--format", "json");
    assertEquals(3, show.code(), show.toString());
    assertEquals(Json.mapper().createObjectNode().put("run", id).put("chunk", chunk).put("error", message),
        Json.mapper().readTree(show.out()), "the run that has the chunk, found by its index");

    CliHarness.Result export = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(new CliHarness.Result(3, "", "wiz: " + message + "\n").toString(), export.toString());
  }

  @Test
  void aMissingRunJsonInJsonNamesTheRunTheChunkLedTo() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    String id = run.getFileName().toString();
    String chunk = wiz.run("provenance", "list").out().split("\t", 2)[0];
    Files.delete(run.resolve("run.json"));
    String message = run.resolve("run.json") + ": missing: the run's folder is there but not its record,"
        + " so its provenance cannot be checked or shown";

    CliHarness.Result show = wiz.run("provenance", "show", chunk, "--format", "json");
    assertEquals(3, show.code(), show.toString());
    assertEquals("wiz: " + message + "\n", show.err());
    assertEquals(Json.mapper().createObjectNode().put("run", id).put("chunk", chunk).put("error", message),
        Json.mapper().readTree(show.out()));

    CliHarness.Result verify = wiz.run("provenance", "verify", "--format", "json", "--run", id);
    assertEquals(3, verify.code(), verify.toString());
    assertEquals(Json.mapper().createObjectNode().put("run", id).put("intact", false)
        .set("problem", Json.mapper().createObjectNode().put("message", message)), Json.mapper().readTree(verify.out()));

    CliHarness.Result latest = wiz.run("provenance", "list", "--format", "json");
    assertEquals(3, latest.code(), latest.toString());
    assertEquals(Json.mapper().createObjectNode().putNull("run").put("error", "no runs in /work/.wiz"),
        Json.mapper().readTree(latest.out()), "no run was chosen: its record is missing, so it is left out");
  }

  // ---- 2. chunks a resumed run took over ---------------------------------------------------------

  /** What {@code kill -9} leaves after the first {@code committed} chunks of events.yaml (see {@link StagedCrash}). */
  private String crashAfter(int committed) throws IOException {
    return StagedCrash.after(wiz, work, "events.yaml", "out/events.jsonl", committed);
  }

  @Test
  void showAndListTellWhereAReusedChunkCameFromWhoCommittedItAndWhereItWent() throws IOException {
    String crashed = crashAfter(3);
    CliHarness.Result resumed = wiz.run("run", "events.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("3 chunks already committed"), resumed.err());

    CliHarness.Result list = wiz.run("provenance", "list");
    assertEquals(0, list.code(), list.toString());
    List<String> rows = list.out().lines().toList();
    assertEquals(5, rows.size(), "the reused chunks are listed too: " + list.out());
    assertTrue(rows.get(0).matches("events-[0-9a-f]{8}-000000\tin\\.jsonl:1-50\t50 -> 37 records \\(reused: committed by run "
        + crashed + "\\)"), rows.get(0));
    assertTrue(rows.get(3).matches("events-[0-9a-f]{8}-000003\tin\\.jsonl:151-200\t50 -> 38 records"), rows.get(3));
    assertTrue(list.err().matches("5 chunks in run [0-9a-f-]{36} \\(success\\), 3 of them reused from run " + crashed + "\n"),
        list.err());
    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "list", "--format", "json").out());
    assertTrue(json.get(1).get("reused").asBoolean(), json.toString());
    assertEquals(crashed, json.get(1).get("committedBy").asText());
    assertFalse(json.get(3).has("reused"), json.toString());

    String chunk = rows.get(1).split("\t")[0];
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(0, show.code(), show.toString());
    List<String> lines = show.out().lines().toList();
    assertEquals("chunk " + chunk, lines.get(0));
    assertTrue(lines.get(2).matches("  from      in\\.jsonl lines 51-100: 50 records \\(sha256:[0-9a-f]{64}\\)"), show.out());
    assertEquals("  reused    committed by run " + crashed + " (crashed); this run took it over on --resume", lines.get(3));
    assertEquals("            its steps: wiz provenance show " + chunk + " --run " + crashed, lines.get(4));
    assertTrue(lines.get(5).matches("  to        /work/out/events\\.jsonl at byte \\d+: \\d+ bytes, 38 records \\(sha256:[0-9a-f]{64}\\)"),
        show.out());
    assertEquals(6, lines.size(), show.out());
    assertFalse(show.out().contains("nowhere"), show.out());

    CliHarness.Result history = wiz.run("provenance", "show", chunk, "--run", crashed);
    assertEquals(0, history.code(), history.toString());
    assertTrue(history.out().contains("step 2.   shape (jq v1"), history.out());
    assertTrue(history.out().contains(lines.get(2).substring(12)), "the same source and digest: " + history.out());
    assertTrue(history.out().contains(lines.get(5).substring(12)), "the same bytes at the same place: " + history.out());

    JsonNode shown = Json.mapper().readTree(wiz.run("provenance", "show", chunk, "--format", "json").out());
    assertEquals(crashed, shown.at("/reusedFrom/run").asText(), shown.toString());
  }

  @Test
  void theResumedRunsOutputIsTheUninterruptedOneAndItsLogVerifies() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    byte[] expected = Files.readAllBytes(work.resolve("out/events.jsonl"));
    deleteTree(work.resolve(".wiz"));
    deleteTree(work.resolve("out"));
    String crashed = crashAfter(2);
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--resume").code());
    assertArrayEquals(expected, Files.readAllBytes(work.resolve("out/events.jsonl")), "the staged crash is a faithful one");
    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    // A REUSED event names the committing run in a field of its own, and is no error.
    Path runs = work.resolve(".wiz/runs");
    List<dev.wiz.provenance.Event> reused = new java.util.ArrayList<>();
    try (Stream<Path> all = Files.list(runs)) {
      for (Path run : all.toList()) {
        Path log = run.resolve("provenance.jsonl");
        if (Files.exists(log)) {
          reused.addAll(dev.wiz.provenance.ProvenanceReader.read(log, e -> e.type() == dev.wiz.provenance.EventType.REUSED));
        }
      }
    }
    assertEquals(2, reused.size(), reused.toString());
    for (dev.wiz.provenance.Event e : reused) {
      assertEquals(crashed, e.committedBy());
      assertEquals(null, e.error());
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
  }

  @Test
  void verifyOfACrashedRunSaysItsEndCannotBeChecked() throws IOException {
    String crashed = crashAfter(2);
    CliHarness.Result r = wiz.run("provenance", "verify", "--run", crashed);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().endsWith(" (run.json records no head because the run crashed, so events cut off the end cannot be detected)\n"),
        r.out());
  }

  @Test
  void aRunKilledBeforeAnyRunRecordedItsCrashIsShownCrashedNotAsARunThatHasNotEnded() throws IOException {
    String killed = crashAfter(2);
    // As kill -9 leaves it: recorded running, and its lock, which the OS dropped, held by no one.
    Path record = work.resolve(".wiz/runs").resolve(killed).resolve("run.json");
    Files.writeString(record, Files.readString(record).replace("\"status\":\"crashed\"", "\"status\":\"running\""));
    CliHarness.Result verify = wiz.run("provenance", "verify", "--run", killed);
    assertEquals(0, verify.code(), verify.toString());
    assertTrue(verify.out().endsWith(" (run.json records no head because the run crashed, so events cut off the end cannot be"
        + " detected)\n"), verify.out());
    CliHarness.Result list = wiz.run("provenance", "list", "--run", killed);
    assertEquals(0, list.code(), list.toString());
    assertTrue(list.err().startsWith("2 chunks in run " + killed + " (crashed)"), list.err());

    // While a live run holds the request's lock, it is running.
    String key = Json.mapper().readTree(Files.readAllBytes(record)).get("requestKey").asText();
    Path lock = work.resolve(".wiz/requests").resolve(key.substring("sha256:".length())).resolve("lock");
    dev.wiz.state.RequestLock.Outcome taken = dev.wiz.state.RequestLock.tryAcquire(lock,
        new dev.wiz.state.RequestLock.Holder(killed, 1, "2026-11-23T10:00:00Z"));
    try (dev.wiz.state.RequestLock alive = ((dev.wiz.state.RequestLock.Acquired) taken).lock()) {
      CliHarness.Result running = wiz.run("provenance", "list", "--run", killed);
      assertTrue(running.err().startsWith("2 chunks in run " + killed + " (running)"), running.err());
    }
  }

  // ---- 3. what an aggregate or sort emitted at end of input -------------------------------------

  @Test
  void showOfAnEndOfInputChunkNamesTheChunksThatFedTheProcessor() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    CliHarness.Result list = wiz.run("provenance", "list");
    List<String> rows = list.out().lines().toList();
    String aggregated = rows.get(5).split("\t")[0];
    String sorted = rows.get(6).split("\t")[0];
    assertTrue(aggregated.endsWith("-final-per-country-0") && sorted.endsWith("-final-by-n-0"), list.out());

    CliHarness.Result show = wiz.run("provenance", "show", aggregated);
    assertEquals(0, show.code(), show.toString());
    List<String> lines = show.out().lines().toList();
    assertTrue(lines.get(2).matches("  from      end of input of 'per-country' \\(aggregate v1, config sha256:[0-9a-f]{12}\\): 2 records"),
        show.out());
    assertEquals("  fed by    187 records from 5 chunks that reached 'per-country':", lines.get(3), "the chunks its JOIN names");
    assertTrue(lines.get(4).matches("            report-[0-9a-f]{8}-000000: 37 records \\(sha256:[0-9a-f]{64}\\)"), show.out());
    assertTrue(lines.get(8).matches("            report-[0-9a-f]{8}-000004: 37 records \\(sha256:[0-9a-f]{64}\\)"), show.out());
    assertTrue(lines.get(9).startsWith("  step 1.   by-n (sort v1"), show.out());

    CliHarness.Result last = wiz.run("provenance", "show", sorted);
    assertEquals(0, last.code(), last.toString());
    assertTrue(last.out().contains("  fed by    2 records from 1 chunk that reached 'by-n':\n"
        + "            " + aggregated + ": 2 records (sha256:"), last.out());
    assertTrue(last.out().contains("  to        /work/out/report.json at byte 0: "), last.out());

    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "show", aggregated, "--format", "json").out());
    assertEquals(5, json.at("/joinInputs/chunks").size(), json.toString());
    assertEquals("per-country", json.at("/joinInputs/processor").asText());
  }

  @Test
  void showOfAChunkThatFedAnEndOfInputProcessorNamesTheChunkItsRecordsWentInto() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    List<String> rows = wiz.run("provenance", "list").out().lines().toList();
    String first = rows.get(0).split("\t")[0];
    String aggregated = rows.get(5).split("\t")[0];
    String sorted = rows.get(6).split("\t")[0];

    CliHarness.Result show = wiz.run("provenance", "show", first);
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("\n  joined    37 records into "
        + aggregated + ", which 'per-country' emitted at end of input\n  step 3.   by-n (sort"), show.out());
    CliHarness.Result fed = wiz.run("provenance", "show", aggregated);
    assertTrue(fed.out().contains("  joined    2 records into " + sorted + ", which 'by-n' emitted at end of input\n"),
        fed.out());
    assertFalse(wiz.run("provenance", "show", sorted).out().contains("joined"), "the last chunk fed no end-of-input chunk");

    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "show", first, "--format", "json").out());
    assertEquals(Json.mapper().readTree("[{\"chunk\":\"" + aggregated + "\",\"processor\":\"per-country\",\"records\":37}]"),
        json.get("joinedInto"), json.toString());
    assertFalse(Json.mapper().readTree(wiz.run("provenance", "show", sorted, "--format", "json").out()).has("joinedInto"));

    ChunkGraphTest.Parsed g = ChunkGraphTest.parseMermaid(wiz.run("provenance", "show", first, "--format", "mermaid").out());
    assertEquals(aggregated + "\nend of input of 'per-country'", g.nodes().get("n5"), g.nodes().toString());
    assertEquals(List.of("n1 -> n2: CREATE", "n2 -> n3", "n3 -> n4", "n4 -> n5: JOIN 37 records", "n4 -> n6",
        "n6 -> n7: SEND 0 records"), g.edges());
    ChunkGraphTest.Parsed dot = ChunkGraphTest.parseDot(wiz.run("provenance", "show", first, "--format", "dot").out());
    assertEquals(g.nodes(), dot.nodes());
    assertEquals(g.edges(), dot.edges());
  }

  @Test
  void showPrintsWhatAStepDeadLetteredAfterThatStepNotBeforeIt() throws IOException {
    Files.writeString(work.resolve("n.jsonl"), "{\"n\":1}\n{\"n\":\"x\"}\n{\"n\":3}\n");
    Files.writeString(work.resolve("types.yaml"), String.join("\n",
        "wiz: 1",
        "name: types",
        "source: { type: file, path: n.jsonl }",
        "processors:",
        "  - { id: keep, type: filter, config: { where: 'true' } }",
        "  - { id: types, type: cast, config: { fields: { n: int } } }",
        "sink: { type: file, path: out/n.jsonl }",
        "run: { onError: dead-letter }", ""));
    assertEquals(5, wiz.run("-q", "run", "types.yaml").code());
    String chunk = wiz.run("provenance", "list").out().lines().toList().get(0).split("\t")[0];
    List<String> heads = wiz.run("provenance", "show", chunk).out().lines()
        .filter(l -> l.startsWith("  ") && !l.startsWith("   ")).map(l -> l.substring(2, 12).trim()).toList();
    assertEquals(List.of("run", "from", "step 1.", "step 2.", "dead", "to"), heads);
  }

  @Test
  void showOfAChunkForkedIntoNoChunkSaysSo() throws IOException {
    Files.writeString(work.resolve("empty.jsonl"), "{\"id\":1,\"tags\":[]}\n");
    Files.writeString(work.resolve("tags.yaml"), String.join("\n",
        "wiz: 1",
        "name: tags",
        "source: { type: file, path: empty.jsonl }",
        "processors:",
        "  - { id: boom, type: explode, config: { field: tags } }",
        "sink: { type: file, path: out/tags.jsonl }", ""));
    assertEquals(0, wiz.run("-q", "run", "tags.yaml").code());
    String chunk = wiz.run("provenance", "list").out().lines().toList().get(0).split("\t")[0];
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertTrue(show.out().endsWith("  fork      at 'boom': 0 records into no chunk\n"), show.out());
  }

  // ---- 4. the history of a chunk as a graph -----------------------------------------------------

  @Test
  void showDrawsAChunksSourceStepsAndSinkAsDotAndMermaid() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    String chunk = wiz.run("provenance", "list").out().lines().toList().get(1).split("\t")[0];
    CliHarness.Result dot = wiz.run("provenance", "show", chunk, "--format", "dot");
    assertEquals(0, dot.code(), dot.toString());
    assertEquals("", dot.err());
    ChunkGraphTest.Parsed g = ChunkGraphTest.parseDot(dot.out());
    assertEquals("in.jsonl\nlines 51-100", g.nodes().get("n1"));
    assertTrue(g.nodes().get("n2").matches(java.util.regex.Pattern.quote(chunk) + "\n50 records\nsha256:[0-9a-f]{12}"), g.nodes().toString());
    assertEquals("keep-ok (filter v1)\nFILTERED: 50 in, 38 out", g.nodes().get("n3"));
    assertEquals("shape (jq v1)\nCONTENT_MODIFIED: 38 in, 38 out", g.nodes().get("n4"));
    assertTrue(g.nodes().get("n5").matches("/work/out/events\\.jsonl\nat byte \\d+, \\d+ bytes"), g.nodes().toString());
    assertEquals(5, g.nodes().size());
    assertEquals(List.of("n1 -> n2: CREATE", "n2 -> n3", "n3 -> n4", "n4 -> n5: SEND 38 records"), g.edges());
    assertEquals(dot.out(), wiz.run("provenance", "show", chunk, "--format", "dot").out(), "same log, same bytes");

    CliHarness.Result mermaid = wiz.run("provenance", "show", chunk, "--format", "mermaid");
    assertEquals(0, mermaid.code(), mermaid.toString());
    assertTrue(mermaid.out().startsWith("flowchart LR\n"), mermaid.out());
    ChunkGraphTest.Parsed m = ChunkGraphTest.parseMermaid(mermaid.out());
    assertEquals(g.nodes(), m.nodes());
    assertEquals(g.edges(), m.edges());
  }

  @Test
  void showDrawsForkedChildrenTheirParentAndWhatWasDeadLettered() throws IOException {
    String dir = "da\"ta #1 <x>|y";
    Files.createDirectories(work.resolve(dir));
    Files.writeString(work.resolve(dir).resolve("in\\N.jsonl"), String.join("\n",
        "{\"id\":1,\"tags\":[\"a\",\"b\"],\"n\":1}",
        "{\"id\":2,\"tags\":[\"c\",\"d\"],\"n\":\"x\"}",
        "{\"id\":3,\"tags\":[\"e\"],\"n\":3}", ""));
    Files.writeString(work.resolve("tags.yaml"), String.join("\n",
        "wiz: 1",
        "name: tags",
        "source: { type: file, path: 'da\"ta #1 <x>|y/in\\N.jsonl' }",
        "chunking: { records: 3 }",
        "processors:",
        "  - { id: boom, type: explode, config: { field: tags, as: tag } }",
        "  - { id: types, type: cast, config: { fields: { n: int } } }",
        "sink: { type: file, path: out/tags.jsonl }",
        "run: { onError: dead-letter }", ""));
    assertEquals(5, wiz.run("-q", "run", "tags.yaml").code());
    List<String> rows = wiz.run("provenance", "list").out().lines().toList();
    String parent = rows.get(0).split("\t")[0];
    assertEquals(parent + ".0", rows.get(1).split("\t")[0], wiz.run("provenance", "list").out());
    assertEquals(parent + ".1", rows.get(2).split("\t")[0]);

    ChunkGraphTest.Parsed fork = ChunkGraphTest.parseMermaid(wiz.run("provenance", "show", parent, "--format", "mermaid").out());
    assertEquals(dir + "/in\\N.jsonl\nlines 1-3", fork.nodes().get("n1"), "the path comes back whole from its escapes");
    assertEquals("boom (explode v1)\nFORK: 5 records into 2 chunks", fork.nodes().get("n4"));
    assertTrue(fork.nodes().get("n5").startsWith(parent + ".0\n3 records\nto /work/out/tags.jsonl at byte 0"), fork.nodes().toString());
    assertTrue(fork.nodes().get("n6").startsWith(parent + ".1\n2 records\nto /work/out/tags.jsonl at byte "), fork.nodes().toString());
    assertEquals(List.of("n1 -> n2: CREATE", "n2 -> n3", "n3 -> n4", "n4 -> n5: FORK", "n4 -> n6: FORK"), fork.edges());

    ChunkGraphTest.Parsed child = ChunkGraphTest.parseDot(wiz.run("provenance", "show", parent + ".1", "--format", "dot").out());
    assertEquals(parent + "\n" + dir + "/in\\N.jsonl lines 1-3", child.nodes().get("n1"));
    assertEquals("types (cast v1)\nFILTERED: 2 in, 1 out", child.nodes().get("n3"));
    assertTrue(child.nodes().get("n4").startsWith("dead-lettered: 1 record\nat 'types'\n" + dir + "/in\\N.jsonl:2: cast: field 'n':"
        + " cannot convert \"x\" to int"), "the record by its line, after the fork: " + child.nodes());
    assertEquals(List.of("n1 -> n2: FORK at 'boom'", "n2 -> n3", "n3 -> n4: DEAD_LETTER (side)", "n3 -> n5: SEND 1 record"),
        child.edges());
  }

  @Test
  void showDrawsTheChunksThatFedAnEndOfInputChunk() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    List<String> rows = wiz.run("provenance", "list").out().lines().toList();
    String aggregated = rows.get(5).split("\t")[0];
    ChunkGraphTest.Parsed g = ChunkGraphTest.parseDot(wiz.run("provenance", "show", aggregated, "--format", "dot").out());
    assertEquals("per-country (aggregate v1)\nJOIN: 187 in, 2 out", g.nodes().get("n1"));
    for (int i = 0; i < 5; i++) {
      String parent = rows.get(i).split("\t")[0];
      assertEquals(parent + "\nin.jsonl lines " + (i * 50 + 1) + "-" + (i * 50 + 50) + "\n" + (i == 1 || i == 3 ? 38 : 37)
          + " records into 'per-country'", g.nodes().get("n" + (i + 2)));
      assertEquals("n" + (i + 2) + " -> n1: parent", g.edges().get(i));
    }
    assertEquals(aggregated + "\n2 records", g.nodes().get("n7"));
    assertEquals(List.of("n1 -> n7: JOIN", "n7 -> n8"), g.edges().subList(5, 7));
    assertEquals("by-n (sort v1)\nFILTERED: 2 in, 0 out", g.nodes().get("n8"));
  }

  @Test
  void showDrawsAReusedChunkWithTheRunThatCommittedIt() throws IOException {
    String crashed = crashAfter(3);
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--resume").code());
    String chunk = wiz.run("provenance", "list").out().lines().toList().get(1).split("\t")[0];
    ChunkGraphTest.Parsed g = ChunkGraphTest.parseMermaid(wiz.run("provenance", "show", chunk, "--format", "mermaid").out());
    assertEquals("in.jsonl\nlines 51-100", g.nodes().get("n2"));
    assertEquals("REUSED: 50 in, 38 out\ncommitted by run " + crashed, g.nodes().get("n3"));
    assertEquals(List.of("n2 -> n1: read", "n1 -> n3: REUSED", "n3 -> n4: committed earlier"), g.edges());
  }

  @Test
  void showOfAnUnknownChunkAsAGraphKeepsItsMessageAndExitCode() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    CliHarness.Result r = wiz.run("provenance", "show", "no-such-chunk", "--format", "dot");
    assertEquals(3, r.code(), r.toString());
    assertEquals("", r.out());
    assertEquals("wiz: unknown chunk id 'no-such-chunk': 'wiz provenance list' lists the chunk ids of the latest run\n", r.err());
    CliHarness.Result svg = wiz.run("provenance", "show", "x", "--format", "svg");
    assertEquals(2, svg.code(), svg.toString());
    assertTrue(svg.err().contains("expected one of [text, json, dot, mermaid]"), svg.err());
  }

  // ---- 5. verify --format json -----------------------------------------------------------------

  @Test
  void verifyAsJsonSaysIntactWithTheEventsAndHeadOfTheLogAndOfRunJson() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    List<String> lines = Files.readAllLines(run.resolve("provenance.jsonl"));
    String head = Json.mapper().readTree(lines.get(lines.size() - 1)).get("hash").asText();
    CliHarness.Result r = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    JsonNode o = Json.mapper().readTree(r.out());
    assertEquals(run.getFileName().toString(), o.get("run").asText());
    assertTrue(o.get("intact").asBoolean(), r.out());
    assertEquals(lines.size(), o.get("events").asLong());
    assertEquals(head, o.get("head").asText());
    assertEquals(lines.size(), o.at("/recorded/events").asLong());
    assertEquals(head, o.at("/recorded/head").asText());
    assertFalse(o.has("problem"), r.out());
  }

  @Test
  void verifyAsJsonNamesTheFirstBadLineAndWhatRunJsonDisagreesWith() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path log = onlyRun().resolve("provenance.jsonl");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(log));
    List<String> original = List.copyOf(lines);
    lines.set(4, lines.get(4).replace("\"v\":1", "\"v\":2"));
    Files.write(log, lines);
    CliHarness.Result edited = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(3, edited.code(), edited.toString());
    assertTrue(edited.err().endsWith("provenance.jsonl:5: hash does not match the event (the line was changed)\n"), edited.err());
    JsonNode o = Json.mapper().readTree(edited.out());
    assertFalse(o.get("intact").asBoolean());
    assertEquals(4, o.get("events").asLong(), "the intact part before the bad line");
    assertEquals(Json.mapper().readTree(original.get(3)).get("hash").asText(), o.get("head").asText());
    assertEquals(5, o.at("/problem/line").asLong());
    assertEquals("hash does not match the event (the line was changed)", o.at("/problem/message").asText());

    Files.write(log, original.subList(0, original.size() - 2));
    CliHarness.Result cut = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(3, cut.code(), cut.toString());
    JsonNode c = Json.mapper().readTree(cut.out());
    assertFalse(c.get("intact").asBoolean());
    assertEquals(original.size() - 2, c.get("events").asLong());
    assertFalse(c.get("problem").has("line"), "a log cut at an event boundary has no bad line: " + cut.out());
    assertTrue(c.at("/problem/message").asText().endsWith("events were cut off the end"), cut.out());
    assertEquals(original.size(), c.at("/recorded/events").asLong());

    CliHarness.Result unknown = wiz.run("provenance", "verify", "--run", "no-such-run", "--format", "json");
    assertEquals(3, unknown.code(), unknown.toString());
    assertFalse(Json.mapper().readTree(unknown.out()).get("intact").asBoolean(), "an answer a script can read: " + unknown.out());
    assertTrue(unknown.err().startsWith("wiz: unknown run id 'no-such-run'"), unknown.err());
  }

  @Test
  void verifyAsJsonOfACrashedRunHasNothingRecordedToHoldTheLogAgainst() throws IOException {
    String crashed = crashAfter(2);
    CliHarness.Result r = wiz.run("provenance", "verify", "--run", crashed, "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode o = Json.mapper().readTree(r.out());
    assertTrue(o.get("intact").asBoolean());
    assertFalse(o.has("recorded"), r.out());
  }

  // ---- 6. export to OpenLineage and PROV-JSON ---------------------------------------------------

  private static List<JsonNode> jsonLines(String out) throws IOException {
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : out.lines().toList()) events.add(Json.mapper().readTree(line));
    return events;
  }

  @Test
  void exportOpenLineageGivesAStartAndACompleteEventOfTheRun() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    JsonNode record = Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    CliHarness.Result r = wiz.run("provenance", "export", "--format", "openlineage");
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    assertFalse(r.out().contains("\n  "), "one compact JSON object a line: " + r.out());
    List<JsonNode> events = jsonLines(r.out());
    assertEquals(2, events.size(), r.out());
    assertEquals("START", events.get(0).get("eventType").asText());
    assertEquals("COMPLETE", events.get(1).get("eventType").asText());
    assertEquals(record.get("startedAt").asText(), events.get(0).get("eventTime").asText());
    assertEquals(record.get("endedAt").asText(), events.get(1).get("eventTime").asText());
    for (JsonNode e : events) {
      assertEquals(run.getFileName().toString(), e.at("/run/runId").asText());
      assertEquals(e.at("/run/runId").asText(), java.util.UUID.fromString(e.at("/run/runId").asText()).toString(), "a UUID");
      assertEquals("wiz", e.at("/job/namespace").asText());
      assertEquals("events", e.at("/job/name").asText());
      assertEquals("[{\"namespace\":\"file\",\"name\":\"/work/in.jsonl\"}]", e.get("inputs").toString());
      assertEquals(1, e.get("outputs").size(), e.toString());
      assertEquals("file", e.at("/outputs/0/namespace").asText());
      assertEquals("/work/out/events.jsonl", e.at("/outputs/0/name").asText());
      assertTrue(java.net.URI.create(e.get("producer").asText()).isAbsolute(), e.toString());
      assertEquals("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", e.get("schemaURL").asText());
    }
    // The end event says what the run wrote (a text file: no wiz_text); the start knows nothing of it yet.
    assertTrue(events.get(0).at("/outputs/0/outputFacets").isMissingNode(), r.out());
    JsonNode stats = events.get(1).at("/outputs/0/outputFacets/outputStatistics");
    assertEquals(record.at("/output/records").asLong(), stats.get("rowCount").asLong(), r.out());
    assertEquals(record.at("/output/bytes").asLong(), stats.get("size").asLong(), r.out());
    assertEquals(events.get(1).get("producer"), stats.get("_producer"));
    assertEquals(dev.wiz.provenance.OpenLineageExport.OUTPUT_STATISTICS_URL, stats.get("_schemaURL").asText());
    assertTrue(events.get(1).at("/outputs/0/outputFacets/wiz_text").isMissingNode(), r.out());
    assertEquals(r.out(), wiz.run("provenance", "export", "--format", "openlineage").out(), "same log, same bytes");
  }

  @Test
  void exportOpenLineageOfACrashedRunEndsInFailAtItsLastEvent() throws IOException {
    String crashed = crashAfter(2);
    List<String> log = Files.readAllLines(work.resolve(".wiz/runs/" + crashed + "/provenance.jsonl"));
    String last = Json.mapper().readTree(log.get(log.size() - 1)).get("time").asText();
    CliHarness.Result r = wiz.run("provenance", "export", "--run", crashed, "--format", "openlineage");
    assertEquals(0, r.code(), r.toString());
    List<JsonNode> events = jsonLines(r.out());
    assertEquals(List.of("START", "FAIL"), events.stream().map(e -> e.get("eventType").asText()).toList());
    assertEquals(last, events.get(1).get("eventTime").asText(), "run.json has no end: the log's last event is the last known");
  }

  @Test
  void theEndOfARunMapsToOneOpenLineageEventType() {
    assertEquals("COMPLETE", dev.wiz.provenance.OpenLineageExport.endType("success").orElseThrow());
    assertEquals("COMPLETE", dev.wiz.provenance.OpenLineageExport.endType("completed-with-errors").orElseThrow());
    assertEquals("FAIL", dev.wiz.provenance.OpenLineageExport.endType("failed").orElseThrow());
    assertEquals("FAIL", dev.wiz.provenance.OpenLineageExport.endType("crashed").orElseThrow());
    assertEquals("ABORT", dev.wiz.provenance.OpenLineageExport.endType("interrupted").orElseThrow());
    assertTrue(dev.wiz.provenance.OpenLineageExport.endType("running").isEmpty());
    String id = "13e36c12-caab-41c6-ae0f-58f235702294";
    assertEquals(id, dev.wiz.provenance.OpenLineageExport.runId(id));
    String mapped = dev.wiz.provenance.OpenLineageExport.runId("not-a-uuid");
    assertEquals(mapped, java.util.UUID.fromString(mapped).toString());
    assertEquals(mapped, dev.wiz.provenance.OpenLineageExport.runId("not-a-uuid"), "stable");
  }

  /** Every id a PROV-JSON relation names is declared as an entity, activity or agent. */
  private static void assertRelationsPointAtDeclaredIds(JsonNode doc) {
    java.util.Set<String> declared = new java.util.HashSet<>();
    for (String section : List.of("entity", "activity", "agent")) doc.path(section).fieldNames().forEachRemaining(declared::add);
    for (String relation : List.of("used", "wasGeneratedBy", "wasDerivedFrom", "wasAssociatedWith", "wasInformedBy")) {
      doc.path(relation).fields().forEachRemaining(f -> {
        assertTrue(f.getKey().startsWith("_:"), f.getKey());
        f.getValue().fields().forEachRemaining(a -> {
          if (List.of("prov:activity", "prov:entity", "prov:agent", "prov:generatedEntity", "prov:usedEntity",
              "prov:informed", "prov:informant").contains(a.getKey())) {
            assertTrue(declared.contains(a.getValue().asText()), relation + " " + f.getKey() + " names " + a.getValue());
          }
        });
      });
    }
  }

  /** The relations of one kind as "key=value key=value" strings, to look links up. */
  private static java.util.Set<String> relations(JsonNode doc, String kind) {
    java.util.Set<String> out = new java.util.HashSet<>();
    doc.path(kind).forEach(r -> {
      List<String> parts = new java.util.ArrayList<>();
      r.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("prov:time")) parts.add(f.getKey() + "=" + f.getValue().asText());
      });
      out.add(String.join(" ", parts));
    });
    return out;
  }

  @Test
  void exportProvLinksEveryChunkFromItsInputLinesThroughEachStepToTheOutput() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path run = onlyRun();
    String id = run.getFileName().toString();
    List<JsonNode> log = jsonLines(Files.readString(run.resolve("provenance.jsonl")));
    CliHarness.Result r = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.mapper().readTree(r.out());
    assertEquals("urn:dev.wiz:", doc.at("/prefix/wiz").asText());
    assertEquals("urn:dev.wiz:run:" + id + "/", doc.at("/prefix/run").asText());
    assertRelationsPointAtDeclaredIds(doc);
    java.util.Set<String> derived = relations(doc, "wasDerivedFrom");
    java.util.Set<String> used = relations(doc, "used");
    java.util.Set<String> generated = relations(doc, "wasGeneratedBy");
    java.util.Set<String> associated = relations(doc, "wasAssociatedWith");
    String input = "wiz:file//work/in.jsonl";
    String output = "wiz:file//work/out/events.jsonl";
    assertEquals("/work/in.jsonl", doc.at("/entity/" + input.replace("/", "~1") + "/prov:location").asText(), doc.toString());
    assertEquals("wiz:Run", doc.at("/activity/wiz:run~1" + id + "/prov:type/$").asText());
    assertTrue(generated.contains("prov:entity=" + output + " prov:activity=wiz:run/" + id), generated.toString());

    int chunks = 0;
    for (JsonNode e : log) {
      if (!e.get("type").asText().equals("CREATE")) continue;
      chunks++;
      String c = e.get("chunk").asText();
      String s0 = "run:chunk/" + c + "/0";
      String s1 = "run:chunk/" + c + "/1";
      String s2 = "run:chunk/" + c + "/2";
      JsonNode stage0 = doc.get("entity").get(s0);
      assertEquals(e.get("inputDigest").asText(), stage0.get("wiz:digest").asText(), "the CREATE digest");
      assertEquals(e.get("recordsOut").asInt(), stage0.get("wiz:records").asInt());
      assertTrue(derived.contains("prov:generatedEntity=" + s0 + " prov:usedEntity=" + input + " prov:activity=run:create/" + c), c);
      assertTrue(used.contains("prov:activity=run:step/" + c + "/1 prov:entity=" + s0), c);
      assertTrue(generated.contains("prov:entity=" + s1 + " prov:activity=run:step/" + c + "/1"), c);
      assertTrue(derived.contains("prov:generatedEntity=" + s1 + " prov:usedEntity=" + s0 + " prov:activity=run:step/" + c + "/1"), c);
      assertTrue(associated.contains("prov:activity=run:step/" + c + "/1 prov:agent=run:processor/keep-ok"), c);
      assertTrue(associated.contains("prov:activity=run:step/" + c + "/2 prov:agent=run:processor/shape"), c);
      assertTrue(derived.contains("prov:generatedEntity=" + s2 + " prov:usedEntity=" + s1 + " prov:activity=run:step/" + c + "/2"), c);
      assertTrue(derived.contains("prov:generatedEntity=run:sent/" + c + " prov:usedEntity=" + s2 + " prov:activity=run:send/" + c), c);
      assertTrue(derived.contains("prov:generatedEntity=" + output + " prov:usedEntity=run:sent/" + c), c);
      JsonNode send = log.stream().filter(x -> x.get("type").asText().equals("SEND") && x.get("chunk").asText().equals(c))
          .findFirst().orElseThrow();
      JsonNode sent = doc.get("entity").get("run:sent/" + c);
      assertEquals(send.get("outputDigest").asText(), sent.get("wiz:digest").asText());
      assertEquals(send.at("/sink/offset").asLong(), sent.get("wiz:offset").asLong());
      assertEquals(send.get("outputDigest").asText(), doc.get("entity").get(s2).get("wiz:digest").asText(),
          "the last step's output is what reached the sink");
    }
    assertEquals(5, chunks);
    JsonNode step = log.stream().filter(x -> x.has("seed")).findFirst().orElseThrow();
    JsonNode seed = doc.at("/activity/run:step~1" + step.get("chunk").asText() + "~11/wiz:seed");
    assertEquals("xsd:long", seed.path("type").asText(), seed.toString());
    assertEquals(step.get("seed").asText(), seed.path("$").asText(), "all 64 bits, as text");
    assertEquals("filter", doc.at("/agent/run:processor~1keep-ok/wiz:processorType").asText());
    assertFalse(doc.has("wasInformedBy"), "empty sections are left out");
    assertEquals(r.out(), wiz.run("provenance", "export", "--format", "prov").out(), "same log, same bytes");
  }

  @Test
  void exportProvJoinsTheChunksThatFedAnAggregateAtWhatReachedIt() throws IOException {
    assertEquals(0, wiz.run("-q", "run", "report.yaml").code());
    List<String> rows = wiz.run("provenance", "list").out().lines().toList();
    String aggregated = rows.get(5).split("\t")[0];
    String sorted = rows.get(6).split("\t")[0];
    JsonNode doc = Json.mapper().readTree(wiz.run("provenance", "export", "--format", "prov").out());
    assertRelationsPointAtDeclaredIds(doc);
    java.util.Set<String> used = relations(doc, "used");
    java.util.Set<String> derived = relations(doc, "wasDerivedFrom");
    for (int i = 0; i < 5; i++) {
      String parent = rows.get(i).split("\t")[0];
      // keep-ok is step 1: what reached per-country is the chunk after it, stage 1.
      assertTrue(used.contains("prov:activity=run:join/" + aggregated + " prov:entity=run:chunk/" + parent + "/1"), used.toString());
      assertTrue(derived.contains("prov:generatedEntity=run:chunk/" + aggregated + "/0 prov:usedEntity=run:chunk/" + parent
          + "/1 prov:activity=run:join/" + aggregated), parent);
    }
    assertTrue(derived.contains("prov:generatedEntity=run:chunk/" + sorted + "/0 prov:usedEntity=run:chunk/" + aggregated
        + "/0 prov:activity=run:join/" + sorted), derived.toString());
    assertEquals(2, doc.at("/activity/run:join~1" + aggregated + "/wiz:recordsOut").asInt());
  }

  @Test
  void exportProvOfAResumedRunSaysWhichRunCommittedTheChunksItTookOver() throws IOException {
    String crashed = crashAfter(3);
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--resume").code());
    String chunk = wiz.run("provenance", "list").out().lines().toList().get(1).split("\t")[0];
    CliHarness.Result r = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, r.code(), r.toString());
    JsonNode doc = Json.mapper().readTree(r.out());
    assertRelationsPointAtDeclaredIds(doc);
    assertTrue(relations(doc, "wasInformedBy").contains("prov:informed=run:reuse/" + chunk + " prov:informant=wiz:run/" + crashed),
        doc.path("wasInformedBy").toString());
    assertTrue(relations(doc, "wasDerivedFrom").contains("prov:generatedEntity=run:sent/" + chunk + " prov:usedEntity=run:chunk/"
        + chunk + "/0 prov:activity=run:reuse/" + chunk));
    assertEquals(crashed, doc.at("/activity/run:reuse~1" + chunk + "/wiz:committedBy").asText());
  }

  @Test
  void exportKeepsTheMessagesAndExitCodesOfBadInput() throws IOException {
    CliHarness.Result none = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(3, none.code(), none.toString());
    assertTrue(none.err().startsWith("wiz: no .wiz folder in /work"), none.err());
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    CliHarness.Result unknown = wiz.run("provenance", "export", "--run", "no-such-run", "--format", "openlineage");
    assertEquals(3, unknown.code(), unknown.toString());
    assertEquals("", unknown.out());
    assertTrue(unknown.err().startsWith("wiz: unknown run id 'no-such-run'"), unknown.err());
    CliHarness.Result noFormat = wiz.run("provenance", "export");
    assertEquals(2, noFormat.code(), noFormat.toString());
    assertTrue(noFormat.err().contains("Missing required option: '--format=openlineage|prov'"), noFormat.err());
  }

  // ---- wording ----------------------------------------------------------------------------------

  @Test
  void oneChunkAndOneRecordAreSingular() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1,\"country\":\"DE\",\"status\":\"ok\",\"amount\":3}\n");
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    CliHarness.Result list = wiz.run("provenance", "list");
    assertTrue(list.out().matches("events-[0-9a-f]{8}-000000\tin\\.jsonl:1-1\t1 -> 1 record\n"), list.out());
    assertTrue(list.err().startsWith("1 chunk in run "), list.err());
    CliHarness.Result show = wiz.run("provenance", "show", list.out().split("\t")[0]);
    assertTrue(show.out().contains("  from      in.jsonl lines 1-1: 1 record (sha256:"), show.out());
    assertTrue(show.out().matches("(?s).*  to        /work/out/events\\.jsonl at byte 0: \\d+ bytes, 1 record \\(sha256:.*"), show.out());
  }

  @Test
  void aChunkThatWasNotCommittedSaysHowTheRunEnded() {
    assertEquals("the run succeeded", ProvenanceCommand.Show.ended("success"));
    assertEquals("the run failed", ProvenanceCommand.Show.ended("failed"));
    assertEquals("the run crashed", ProvenanceCommand.Show.ended("crashed"));
    assertEquals("the run's status is 'odd'", ProvenanceCommand.Show.ended("odd"));
  }

  @Test
  void aFileNameIsOneFieldOfListsTabSeparatedLines() {
    assertEquals("data/events.jsonl", ProvenanceCommand.oneField("data/events.jsonl"), "as it is, mostly");
    assertEquals("in\\tx\\ny\\r\\x01\\x7f.jsonl", ProvenanceCommand.oneField("in\tx\ny\r\u0001\u007f.jsonl"));
    assertEquals("caf\u00e9 \\ 1.jsonl", ProvenanceCommand.oneField("caf\u00e9 \\ 1.jsonl"), "a backslash stays");
  }
}

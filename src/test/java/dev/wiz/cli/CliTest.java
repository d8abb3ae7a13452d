package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CliTest extends JimfsCliTest {
  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(work.resolve("data"));
    Files.writeString(work.resolve("data/events.jsonl"), IntStream.range(0, 250)
        .mapToObj(i -> "{\"id\":" + i + ",\"status\":\"" + (i % 4 == 0 ? "error" : "ok") + "\",\"amount\":" + (i % 30) + "}")
        .collect(Collectors.joining("\n", "", "\n")));
  }

  private void write(String name, String text) throws IOException {
    Path p = work.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static final String EVENTS = String.join("\n",
      "wiz: 1",
      "name: events",
      "source: { type: file, path: data/events.jsonl, format: jsonl }",
      "chunking: { records: 50 }",
      "processors:",
      "  - id: keep-ok",
      "    type: filter",
      "    config: { where: '.status == \"ok\" and .amount > 10' }",
      "  - id: shape",
      "    type: jq",
      "    config: { program: '{id, cents: (.amount * 100)}' }",
      "sink: { type: file, path: out/events.jsonl, format: jsonl }",
      "run: { workers: 2 }",
      "");

  @Test
  void runWritesTheOutputAndSaysWhereOutputAndRunRecordAre() throws IOException {
    write("events.yaml", EVENTS);
    CliHarness.Result r = wiz.run("run", "events.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.out(), "nothing but results on stdout");
    List<String> out = Files.readAllLines(work.resolve("out/events.jsonl"));
    long expected = IntStream.range(0, 250).filter(i -> i % 4 != 0 && i % 30 > 10).count();
    assertEquals(expected, out.size());
    assertEquals("{\"id\":11,\"cents\":1100}", out.get(0));
    assertTrue(r.err().contains("wiz: success in "), r.err());
    assertTrue(r.err().contains("5 chunks, 250 records read, " + expected + " written"), r.err());
    assertTrue(r.err().contains("output:       out/events.jsonl\n"), r.err());
    assertTrue(r.err().matches("(?s).*run record:   \\.wiz/runs/[0-9a-f-]{36}/run\\.json\n.*"), r.err());
    assertTrue(r.err().endsWith("chunks:       wiz provenance list\n"), r.err());
    assertTrue(r.err().contains("head hash:    sha256:"), r.err());
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      Path run = runs.findFirst().orElseThrow();
      JsonNode record = Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
      assertEquals("success", record.get("status").asText());
      assertEquals(250, record.get("counts").get("read").asInt());
      assertEquals(expected, record.get("counts").get("written").asLong());
      assertEquals("keep-ok", record.get("processors").get(0).get("id").asText());
    }
  }

  @Test
  void quietLeavesOnlyResultsAndJsonSummaryGoesToStdout() throws IOException {
    write("events.yaml", EVENTS);
    CliHarness.Result quiet = wiz.run("--quiet", "run", "events.yaml");
    assertEquals(0, quiet.code(), quiet.toString());
    assertEquals("", quiet.out());
    assertEquals("", quiet.err());
    CliHarness.Result json = wiz.run("run", "events.yaml", "--format", "json", "--force");
    assertEquals(0, json.code(), json.toString());
    JsonNode summary = Json.mapper().readTree(json.out());
    assertEquals("success", summary.get("status").asText());
    assertTrue(summary.get("outputComplete").asBoolean(), summary.toString());
    assertFalse(summary.get("outputDiscarded").asBoolean(true), summary.toString());
    assertEquals(250, summary.get("read").asInt());
  }

  @Test
  void aRecordAProcessorRejectsIsNamedByItsOwnLineInTheMessageTheRunRecordAndTheDeadLetter() throws IOException {
    write("in.jsonl", IntStream.rangeClosed(1, 300)
        .mapToObj(i -> i == 137 ? "{\"id\":137,\"n\":\"oops\"}" : "{\"id\":" + i + ",\"n\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    String pipeline = "wiz: 1\nsource: { type: file, path: in.jsonl }\nprocessors:\n"
        + "  - { id: inc, type: jq, config: { program: '.n + 1' } }\nsink: { type: file, path: out.jsonl }\n";
    write("p.yaml", pipeline);
    String why = "in.jsonl:137: processor 'inc' (jq): jq: string (\"oops\") and number (1) cannot be added (chunk p-";
    CliHarness.Result text = wiz.run("run", "p.yaml");
    assertEquals(4, text.code(), text.toString());
    assertTrue(text.err().startsWith("wiz: run failed: " + why), text.err());
    CliHarness.Result json = wiz.run("run", "p.yaml", "--format", "json", "--force");
    assertEquals(4, json.code(), json.toString());
    JsonNode summary = Json.mapper().readTree(json.out());
    assertTrue(summary.get("error").asText().startsWith(why), summary.toString());
    JsonNode record = Json.mapper().readTree(Files.readString(fs.getPath(summary.get("runRecord").asText())));
    assertEquals(summary.get("error").asText(), record.get("error").asText());

    write("p.yaml", pipeline + "run: { onError: dead-letter }\n");
    CliHarness.Result dead = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(5, dead.code(), dead.toString());
    List<String> letters = Files.readAllLines(fs.getPath(Json.mapper().readTree(dead.out()).get("deadLetters").asText()));
    assertEquals(1, letters.size());
    JsonNode dl = Json.mapper().readTree(letters.get(0));
    assertEquals(137, dl.get("line").asInt(), dl.toString());
    assertEquals(1, dl.get("firstLine").asInt());
    assertEquals(300, dl.get("lastLine").asInt());
  }

  @Test
  void aCsvRowIsNamedByTheLineItStartsOnPastQuotedLineBreaks() throws IOException {
    write("in.csv", "id,note,n\n1,plain,1\n2,\"two\nlines\",2\n3,ok,three\n4,x,4\n");
    write("c.yaml", "wiz: 1\nsource: { type: file, path: in.csv, format: csv }\nprocessors:\n"
        + "  - { id: types, type: cast, config: { fields: { n: int } } }\nsink: { type: file, path: out.jsonl }\n");
    CliHarness.Result r = wiz.run("run", "c.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: run failed: in.csv:5: processor 'types' (cast): cast: "), r.err());
  }

  @Test
  void aCsvFileCutOffInTheMiddleOfARowIsABadRecordThatOnErrorHandles() throws IOException {
    write("cut.csv", "id,name,amount\n1,ann,10\n2,bo");
    String why = "cut.csv:3:3: row has 2 fields but the header has 3: amount is missing (is the row cut off?); set "
        + "allowShortRows: true on the source if rows may end early (missing fields are read as null)";
    for (String onError : List.of("fail", "skip", "dead-letter")) {
      write(onError + ".yaml", "wiz: 1\nsource: { type: file, path: cut.csv, format: csv }\n"
          + "sink: { type: file, path: out/" + onError + ".jsonl }\nrun: { onError: " + onError + " }\n");
    }
    CliHarness.Result fail = wiz.run("run", "fail.yaml", "--format", "json");
    assertEquals(4, fail.code(), fail.toString());
    assertEquals("wiz: run failed: " + why + "; set run.onError to skip or dead-letter to go on past bad records\n", fail.err());
    assertEquals(why + "; set run.onError to skip or dead-letter to go on past bad records",
        Json.mapper().readTree(fail.out()).get("error").asText());

    CliHarness.Result skip = wiz.run("run", "skip.yaml", "--quiet");
    assertEquals(5, skip.code(), skip.toString());
    assertEquals(List.of("{\"id\":\"1\",\"name\":\"ann\",\"amount\":\"10\"}"), Files.readAllLines(work.resolve("out/skip.jsonl")));

    CliHarness.Result dead = wiz.run("-q", "run", "dead-letter.yaml", "--format", "json");
    assertEquals(5, dead.code(), dead.toString());
    JsonNode summary = Json.mapper().readTree(dead.out());
    assertEquals(1, summary.get("deadLettered").asInt(), summary.toString());
    JsonNode letter = Json.mapper().readTree(Files.readString(fs.getPath(summary.get("deadLetters").asText())));
    assertEquals("source", letter.get("processor").asText());
    assertEquals(why.substring("cut.csv:3:3: ".length()), letter.get("reason").asText());
    assertEquals(3, letter.get("line").asInt());
    assertEquals(3, letter.get("column").asInt());
    assertEquals("2,bo", letter.get("raw").asText());

    write("allow.yaml", "wiz: 1\nsource: { type: file, path: cut.csv, format: csv, allowShortRows: true }\n"
        + "sink: { type: stdout }\n");
    CliHarness.Result allow = wiz.run("-q", "run", "allow.yaml");
    assertEquals(0, allow.code(), allow.toString());
    assertEquals("{\"id\":\"1\",\"name\":\"ann\",\"amount\":\"10\"}\n{\"id\":\"2\",\"name\":\"bo\",\"amount\":null}\n",
        allow.out());
  }

  @Test
  void withOnErrorSkipTheSummarySaysWhyTheFirstRecordWasSkipped() throws IOException {
    // Skipped records leave no dead letter: the summary names the first, in input order whatever the workers.
    write("in.csv", "id,age\n1,34\n2,\n3,x\n4,41\n");
    write("p.yaml", "wiz: 1\nsource: { type: file, path: in.csv, format: csv }\nchunking: { records: 1 }\nprocessors:\n"
        + "  - { id: types, type: cast, config: { fields: { age: int } } }\nsink: { type: stdout }\n"
        + "run: { onError: skip, workers: 2 }\n");
    String first = "'types' (cast): in.csv:3: cast: field 'age': cannot convert \"\" to int: the string is empty";
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(5, r.code(), r.toString());
    assertTrue(r.err().contains("  types:        4 in, 2 out, 2 skipped\n  first skip:   " + first), r.err());
    CliHarness.Result json = wiz.run("run", "p.yaml", "--format", "json", "--force");
    assertEquals(5, json.code(), json.toString());
    String summary = json.err().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(Json.mapper().readTree(summary).get("firstSkip").asText().startsWith(first), summary);

    write("in.csv", "id,age\n1,34\n");
    CliHarness.Result clean = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, clean.code(), clean.toString());
    assertTrue(Json.mapper().readTree(clean.err().lines().reduce((a, b) -> b).orElseThrow()).get("firstSkip").isNull());
    assertFalse(wiz.run("run", "p.yaml", "--force").err().contains("first skip"));
  }

  @Test
  void aJsonlSyntaxErrorIsNamedByLineAndCharacterColumnInTheErrorTheDeadLetterAndTheProvenanceLog() throws IOException {
    write("bad.jsonl", "{\"a\":1}\n{\"\u00e9\":\"\u00fc\",,\"b\":2}\n[1,2\n");
    String why = "bad.jsonl:2:10: expected a key in double quotes, found ','";
    for (String onError : List.of("fail", "dead-letter")) {
      write(onError + ".yaml", "wiz: 1\nsource: { type: file, path: bad.jsonl }\n"
          + "sink: { type: file, path: out/" + onError + ".jsonl }\nrun: { onError: " + onError + " }\n");
    }
    CliHarness.Result fail = wiz.run("run", "fail.yaml", "--format", "json");
    assertEquals(4, fail.code(), fail.toString());
    String said = why + " (and 1 more in this chunk); set run.onError to skip or dead-letter to go on past bad records";
    assertEquals("wiz: run failed: " + said + "\n", fail.err());
    assertEquals(said, Json.mapper().readTree(fail.out()).get("error").asText());

    CliHarness.Result dead = wiz.run("-q", "run", "dead-letter.yaml", "--format", "json");
    assertEquals(5, dead.code(), dead.toString());
    JsonNode summary = Json.mapper().readTree(dead.out());
    List<JsonNode> letters = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(fs.getPath(summary.get("deadLetters").asText()))) letters.add(Json.mapper().readTree(l));
    assertEquals(2, letters.size());
    assertEquals("expected a key in double quotes, found ','", letters.get(0).get("reason").asText());
    assertEquals(2, letters.get(0).get("line").asInt());
    assertEquals(10, letters.get(0).get("column").asInt(), "characters: the two letters before it are four bytes");
    assertEquals("the line ends inside an array opened at column 1", letters.get(1).get("reason").asText());
    assertEquals(3, letters.get(1).get("line").asInt());
    assertEquals(5, letters.get(1).get("column").asInt());
    String log = Files.readString(fs.getPath(summary.get("provenance").asText()));
    assertTrue(log.contains("2 undecodable record(s), first at " + why), log);

    write("pipe.yaml", "wiz: 1\nsource: { type: stdin }\nsink: { type: stdout }\n");
    wiz.stdin = "{}\n{\"\u00e9\": tru}\n";
    CliHarness.Result stdin = wiz.run("run", "pipe.yaml");
    assertEquals(4, stdin.code(), stdin.toString());
    assertTrue(stdin.err().startsWith("wiz: run failed: stdin:2:7: 'tru' is not a JSON value (true, false, null, a number, "
        + "a string, an array or an object); set run.onError"), stdin.err());
  }

  @Test
  void allowShortRowsIsABooleanOfTheCsvFormat() throws IOException {
    write("bad.yaml", "wiz: 1\nsource:\n  type: stdin\n  format: csv\n  allowShortRows: 'yes'\nsink: { type: stdout }\n");
    CliHarness.Result bad = wiz.run("validate", "bad.yaml");
    assertEquals(3, bad.code(), bad.toString());
    assertEquals("bad.yaml:5:19: /source/allowShortRows: expected a boolean, got string \"yes\"\nbad.yaml: 1 problem\n", bad.err());
    write("jsonl.yaml", "wiz: 1\nsource:\n  type: file\n  path: in.jsonl\n  allowShortRows: true\nsink: { type: stdout }\n");
    CliHarness.Result jsonl = wiz.run("validate", "jsonl.yaml");
    assertEquals(3, jsonl.code(), jsonl.toString());
    assertTrue(jsonl.err().startsWith("jsonl.yaml:5:3: /source/allowShortRows: only used with format csv: add format: csv "
        + "or remove this key\n"), jsonl.err());
  }

  @Test
  void aValueOverAReadLimitOnStdinIsNamedInWizsWords() throws IOException {
    write("pipe.yaml", "wiz: 1\nsource: { type: stdin }\nsink: { type: file, path: out.jsonl }\nrun: { onError: dead-letter }\n");
    wiz.stdin = "{\"a\":1}\n" + "[".repeat(1001) + "]".repeat(1001) + "\n";
    CliHarness.Result r = wiz.run("-q", "run", "pipe.yaml", "--format", "json");
    assertEquals(5, r.code(), r.toString());
    assertEquals(List.of("{\"a\":1}"), Files.readAllLines(work.resolve("out.jsonl")));
    JsonNode summary = Json.mapper().readTree(r.out());
    JsonNode letter = Json.mapper().readTree(Files.readString(fs.getPath(summary.get("deadLetters").asText())));
    assertEquals("a value nested more than 1000 levels deep: wiz reads at most 1000 levels of arrays and objects",
        letter.get("reason").asText());
    assertEquals("stdin", letter.get("origin").asText());
    assertEquals(2, letter.get("line").asInt());
    assertFalse(letter.has("column"), "named by its line");
  }

  @Test
  void stdinToStdoutPutsOnlyRecordsOnStdout() throws IOException {
    write("pipe.yaml", "wiz: 1\nsource: { type: stdin, format: jsonl }\nprocessors:\n  - { id: x, type: jq, config: { program: '.a' } }\nsink: { type: stdout, format: jsonl }\n");
    wiz.stdin = "{\"a\":1}\n{\"a\":\"two\"}\n";
    CliHarness.Result r = wiz.run("run", "pipe.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals("1\n\"two\"\n", r.out());
  }

  @Test
  void everyRunThatReadsStdinIsARequestOfItsOwn() throws IOException {
    write("pipe.yaml", "wiz: 1\nsource: { type: stdin, format: jsonl }\nprocessors: []\nsink: { type: stdout, format: jsonl }\n");
    wiz.stdin = "{\"a\":1}\n";
    CliHarness.Result first = wiz.run("-q", "run", "pipe.yaml");
    assertEquals(0, first.code(), first.toString());
    wiz.stdin = "{\"b\":2}\n";
    CliHarness.Result second = wiz.run("-q", "run", "pipe.yaml");
    assertEquals(0, second.code(), second.toString());
    assertEquals("{\"b\":2}\n", second.out());
    JsonNode requests = Json.mapper().readTree(wiz.run("requests", "--format", "json").out());
    assertEquals(2, requests.size(), requests.toString());

    CliHarness.Result resume = wiz.run("-q", "run", "pipe.yaml", "--resume");
    assertEquals(6, resume.code(), resume.toString());
    assertEquals("wiz: refused: a run that reads standard input cannot be resumed (what it read is gone): "
        + "run it again without --resume\n", resume.err());
  }

  @Test
  void aStandardInputClosedAtStartFailsTheRunInsteadOfReadingAJavaRuntimeFile() throws IOException {
    write("pipe.yaml", "wiz: 1\nsource: { type: stdin, format: lines }\nsink: { type: file, path: out.jsonl }\n");
    Path javaHome = Path.of("/usr/lib/jvm/java-17");
    wiz.stdinStream = new StandardInput(new java.io.ByteArrayInputStream(new byte[] {(byte) 0xCA, (byte) 0xFE, 10}),
        () -> javaHome.resolve("lib/modules"), javaHome);
    CliHarness.Result r = wiz.run("run", "pipe.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: run failed: reading input: " + StandardInput.CLOSED + "\n"), r.toString());
    assertFalse(Files.exists(work.resolve("out.jsonl")), "no output of what it did not read");
  }

  @Test
  void stdoutClosedByItsReaderStopsTheRunWith141AndIsNoFailure() throws IOException {
    write("in.jsonl", IntStream.range(0, 20_000).mapToObj(i -> "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n")));
    write("pipe.yaml", "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 100 }\nprocessors: []\n"
        + "sink: { type: stdout }\nrun: { workers: 1, maxFailures: 1 }\n");
    wiz.stdoutClosesAfter = 5000;
    for (int attempt = 0; attempt < 3; attempt++) {
      CliHarness.Result r = wiz.run("run", "pipe.yaml");
      assertEquals(141, r.code(), r.toString());
      assertFalse(r.err().contains("failed"), r.err());
      assertTrue(r.err().startsWith("wiz: interrupted in "), r.err());
      assertTrue(r.err().contains("  output:       stdout, "), r.err());
      assertTrue(r.err().contains(" records before the run stopped (its reader closed it)\n"), r.err());
      assertTrue(r.out().startsWith("{\"id\":0}\n{\"id\":1}\n"), r.out());
    }
    JsonNode request = Json.mapper().readTree(wiz.run("requests", "--format", "json").out()).get(0);
    assertEquals(0, request.get("failures").asInt(), request.toString());
    assertEquals("interrupted", request.at("/runs/0/status").asText(), request.toString());
    assertEquals("standard output was closed by its reader", request.at("/runs/0/error").asText(), request.toString());

    wiz.stdoutClosesAfter = -1;
    CliHarness.Result whole = wiz.run("-q", "run", "pipe.yaml");
    assertEquals(0, whole.code(), whole.toString());
    assertEquals(20_000, whole.out().split("\n").length);
  }

  @Test
  void aStdoutSinkThatCannotBeFlushedFailsTheRunWithExit4AsItsRecordSays() throws IOException {
    // A few records stay in the stream's buffer: the full disk is found when it is flushed, at the
    // end of the run, and again when the sink is closed after the run recorded its failure.
    write("in.jsonl", "{\"id\":1}\n{\"id\":2}\n");
    write("pipe.yaml", "wiz: 1\nsource: { type: file, path: in.jsonl }\nsink: { type: stdout }\n");
    wiz.stdoutFlushFails = "No space left on device";
    CliHarness.Result r = wiz.run("run", "pipe.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: run failed: writing stdout: No space left on device\n"), r.toString());
    assertTrue(r.err().contains("wiz: failed in "), r.toString());
    assertTrue(r.err().contains("\n  output:       stdout, 0 records before the run stopped\n"), "none claimed sent: " + r);

    CliHarness.Result json = wiz.run("run", "pipe.yaml", "--format", "json");
    assertEquals(4, json.code(), json.toString());
    JsonNode summary = Json.mapper().readTree(json.err().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertEquals("failed", summary.get("status").asText(), json.toString());
    assertEquals("writing stdout: No space left on device", summary.get("error").asText(), json.toString());
    assertEquals(0, summary.get("written").asInt(), json.toString());
    JsonNode request = Json.mapper().readTree(runWithStdout("requests", "--format", "json")).get(0);
    assertEquals("failed", request.at("/runs/0/status").asText(), request.toString());
  }

  @Test
  void aCommandWhoseResultsCannotBeWrittenExits2OrAs141ForAClosedPipe() throws IOException {
    write("in.jsonl", "{\"id\":1}\n");
    write("pipe.yaml", "wiz: 1\nsource: { type: file, path: in.jsonl }\nsink: { type: file, path: out.jsonl }\n");
    assertEquals(0, wiz.run("-q", "run", "pipe.yaml").code());
    List<List<String>> commands = List.of(List.of("schema"), List.of("graph", "pipe.yaml"),
        List.of("processors", "list", "--format", "json"), List.of("provenance", "export", "--format", "prov"),
        List.of("provenance", "list"), List.of("requests"), List.of("validate", "pipe.yaml", "--format", "json"),
        List.of("--version"));
    for (List<String> command : commands) {
      wiz.stdoutFlushFails = "No space left on device";
      CliHarness.Result full = wiz.run(command.toArray(String[]::new));
      assertEquals(2, full.code(), command + ": " + full);
      assertTrue(full.err().endsWith("wiz: could not write standard output (No space left on device): what "
          + (command.get(0).startsWith("-") ? "wiz" : command.get(0)) + " printed there is incomplete\n"), command + ": " + full);

      wiz.stdoutFlushFails = "Broken pipe";
      CliHarness.Result closed = wiz.run(command.toArray(String[]::new));
      assertEquals(141, closed.code(), command + ": " + closed);
      assertFalse(closed.err().contains("could not write"), command + ": " + closed);
    }
    wiz.stdoutFlushFails = null;
    CliHarness.Result written = wiz.run("schema");
    assertEquals(0, written.code(), written.toString());
    assertEquals("", written.err());
  }

  @Test
  void aJsonAnswerThatCannotBeWrittenIsSaidOnStderrAndTheCommandKeepsItsCode() throws IOException {
    write("in.jsonl", "{\"id\":1}\n");
    write("pipe.yaml", "wiz: 1\nsource: { type: file, path: in.jsonl }\nsink: { type: file, path: out.jsonl }\n");
    String full = "wiz: could not write standard output (No space left on device): what ";
    // A run keeps the outcome it recorded (running it again would be refused), and says its answer is lost.
    wiz.stdoutFlushFails = "No space left on device";
    CliHarness.Result ran = wiz.run("run", "pipe.yaml", "--format", "json");
    assertEquals(0, ran.code(), ran.toString());
    assertEquals(full + "run printed there is incomplete\n", ran.err());
    assertTrue(Files.exists(work.resolve("out.jsonl")));
    CliHarness.Result refused = wiz.run("run", "pipe.yaml", "--format", "json");
    assertEquals(6, refused.code(), refused.toString());
    assertTrue(refused.err().endsWith("\n" + full + "run printed there is incomplete\n"), refused.toString());
    // So does a command that failed: its {run, error} answer is lost, and exit 3 still says why it failed.
    CliHarness.Result unknown = wiz.run("provenance", "show", "nope", "--format", "json");
    assertEquals(3, unknown.code(), unknown.toString());
    assertTrue(unknown.err().startsWith("wiz: unknown chunk id 'nope'"), unknown.toString());
    assertTrue(unknown.err().endsWith("\n" + full + "provenance printed there is incomplete\n"), unknown.toString());
    // A reader that went away is told of by nobody: the code stays the command's.
    wiz.stdoutFlushFails = "Broken pipe";
    CliHarness.Result closed = wiz.run("run", "pipe.yaml", "--format", "json", "--force");
    assertEquals(0, closed.code(), closed.toString());
    assertEquals("", closed.err());
    wiz.stdoutFlushFails = null;
  }

  private String runWithStdout(String... args) {
    wiz.stdoutFlushFails = null;
    return wiz.run(args).out();
  }

  @Test
  void oneAndEightWorkersGiveByteIdenticalOutput() throws IOException {
    write("events.yaml", EVENTS);
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--workers", "1").code());
    byte[] one = Files.readAllBytes(work.resolve("out/events.jsonl"));
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--workers", "8", "--force").code());
    assertEquals(new String(one, StandardCharsets.UTF_8), Files.readString(work.resolve("out/events.jsonl")));
  }

  @Test
  void workersOutsideOneTo256IsAUsageError() throws IOException {
    write("events.yaml", EVENTS);
    for (String n : List.of("0", "257", "2000000000")) {
      CliHarness.Result r = wiz.run("-q", "run", "events.yaml", "--workers", n);
      assertEquals(2, r.code(), r.toString());
      assertEquals("wiz: --workers must be from 1 to 256, got " + n + "\n", r.err());
    }
    assertFalse(Files.exists(work.resolve("out/events.jsonl")));
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--workers", "256").code());
  }

  @Test
  void validateReportsEveryProblemAtOnceWithPositions() throws IOException {
    write("bad.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: fiel, path: data/events.jsonl }",
        "processors:",
        "  - id: keep",
        "    type: fitler",
        "    config: { where: '.a' }",
        "  - id: shape",
        "    type: jq",
        "    config: { program: '{id, user' }",
        "sink: { type: file, path: out.jsonl }",
        "run: { wrokers: 2, onError: explode }",
        ""));
    CliHarness.Result r = wiz.run("validate", "bad.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("", r.out());
    List<String> lines = r.err().lines().toList();
    assertEquals("bad.yaml:2:17: /source/type: unknown source type 'fiel' (did you mean 'file'? known: file, stdin)", lines.get(0));
    assertTrue(lines.get(1).startsWith("bad.yaml:5:11: /processors/0/type: unknown processor type 'fitler' (did you mean 'filter'?"), lines.get(1));
    assertTrue(lines.get(2).startsWith("bad.yaml:9:33: /processors/1/config/program: jq syntax error"), lines.get(2));
    assertTrue(lines.get(3).startsWith("bad.yaml:11:8: /run/wrokers: unknown key 'wrokers' (did you mean 'workers'?)"), lines.get(3));
    assertTrue(lines.get(4).startsWith("bad.yaml:11:29: /run/onError: 'explode' is not one of fail, skip, dead-letter"), lines.get(4));
    assertEquals("bad.yaml: 5 problems", lines.get(5));
    assertFalse(r.err().contains("Exception"), "no stack trace");
    assertFalse(Files.exists(work.resolve(".wiz")), "validate writes nothing");
  }

  @Test
  void validateJsonPrintsTheFindingsAsAnArray() throws IOException {
    write("bad.yaml", "wiz: 1\nsource: { type: stdin }\nsink: { type: stdout }\nrun: { workers: 0 }\n");
    CliHarness.Result r = wiz.run("validate", "bad.yaml", "--format", "json");
    assertEquals(3, r.code(), r.toString());
    JsonNode arr = Json.mapper().readTree(r.out());
    assertEquals(1, arr.size());
    JsonNode f = arr.get(0);
    assertEquals("bad.yaml", f.get("file").asText());
    assertEquals(4, f.get("line").asInt());
    assertEquals(17, f.get("column").asInt());
    assertEquals("/run/workers", f.get("pointer").asText());
    assertEquals("must be at least 1, got 0", f.get("message").asText());
    CliHarness.Result ok = wiz.run("validate", "--format", "json", "events.yaml".equals("") ? "" : writeAndName("ok.yaml", EVENTS));
    assertEquals(0, ok.code(), ok.toString());
    assertEquals("[ ]", ok.out().strip());
  }

  private String writeAndName(String name, String text) throws IOException {
    write(name, text);
    return name;
  }

  @Test
  void malformedYamlGetsALocatedMessageAndExit3() throws IOException {
    write("broken.yaml", "wiz: 1\nsource: { type: stdin\nsink: x\n");
    CliHarness.Result r = wiz.run("validate", "broken.yaml");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().matches("(?s)broken\\.yaml:\\d+:\\d+: .*"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void anUnsetVariableIsNamedAndAVariableWithADefaultIsTyped() throws IOException {
    write("env.yaml", "wiz: 1\nsource: { type: file, path: '${DATA}' }\nsink: { type: stdout }\nrun:\n  workers: ${WORKERS:-3}\n");
    CliHarness.Result r = wiz.run("validate", "env.yaml");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().startsWith("env.yaml:2:30: /source/path: environment variable DATA is not set"), r.err());
    wiz.env.put("DATA", "data/events.jsonl");
    assertEquals(0, wiz.run("validate", "env.yaml").code());
    wiz.env.put("WORKERS", "many");
    CliHarness.Result typed = wiz.run("validate", "env.yaml");
    assertEquals(3, typed.code(), typed.toString());
    assertTrue(typed.err().contains("/run/workers: expected an integer, got string \"${WORKERS:-3}\""), typed.err());
    assertFalse(typed.err().contains("many"), "the value never reaches a diagnostic");
    assertFalse(typed.err().contains("quoted"), "written unquoted: no hint about quotes");
  }

  @Test
  void aQuotedVariableWhereANumberBelongsSaysItStaysAString() throws IOException {
    write("q.yaml", "wiz: 1\nsource: { type: file, path: data/events.jsonl }\nchunking: { records: \"${CH:-1000}\" }\n"
        + "sink: { type: stdout }\n");
    CliHarness.Result r = wiz.run("validate", "q.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("q.yaml:3:22: /chunking/records: expected an integer, got string \"${CH:-1000}\": a quoted ${...} stays a"
        + " string; write it unquoted to have it typed (inside { } that needs block style, one key per line)\n"
        + "q.yaml: 1 problem\n", r.err());
    write("q.yaml", "wiz: 1\nsource: { type: file, path: data/events.jsonl }\nchunking:\n  records: ${CH:-1000}\n"
        + "sink: { type: stdout }\n");
    assertEquals(0, wiz.run("validate", "q.yaml").code(), "as the hint says");
  }

  @Test
  void aMissingPipelineFileIsAUsageError() {
    CliHarness.Result r = wiz.run("run", "nope.yaml");
    assertEquals(2, r.code(), r.toString());
    assertEquals("wiz: nope.yaml: no such file\n", r.err());
    CliHarness.Result folder = wiz.run("validate", "data");
    assertEquals(2, folder.code(), folder.toString());
    assertEquals("wiz: data: is a folder; name a file\n", folder.err());
    CliHarness.Result empty = wiz.run("validate", "");
    assertEquals(2, empty.code(), empty.toString());
    assertEquals("wiz: the file name is empty: name a file\n", empty.err(), "not ': is a folder', the current one");
  }

  @Test
  void aMissingInputFileFailsTheRunWithTheLocationOfThePath() throws IOException {
    write("missing.yaml", "wiz: 1\nsource: { type: file, path: data/nope.jsonl }\nsink: { type: file, path: out.jsonl }\n");
    CliHarness.Result r = wiz.run("run", "missing.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("missing.yaml:2:29: /source/path: "), r.err());
    assertTrue(r.err().contains("data/nope.jsonl"), r.err());
    assertFalse(Files.exists(work.resolve("out.jsonl")));
  }

  @Test
  void aSourceThatIsAPipeOrDeviceIsSaidToBeOneNotMissing(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    // On the system's file system, which has devices (jimfs has none).
    Path device = Path.of("/dev/null");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(device) && !Files.isRegularFile(device), "a system with /dev/null");
    Files.writeString(tmp.resolve("dev.yaml"), "wiz: 1\nsource: { type: file, path: /dev/null }\nsink: { type: file, path: out.jsonl }\n");
    CliHarness here = new CliHarness(tmp);
    for (String[] args : List.of(new String[] {"run", "dev.yaml"}, new String[] {"run", "dev.yaml", "--dry-run"})) {
      CliHarness.Result r = here.run(args);
      assertEquals(4, r.code(), "as for the other inputs that cannot be read\n" + r);
      assertEquals("dev.yaml:2:29: /source/path: '/dev/null' is not a regular file but a pipe or device, which a file source"
          + " cannot read: read it with source type stdin, as in: wiz run PIPELINE < /dev/null\n", r.err());
    }
  }

  @Test
  void anUndecodableLineFailsTheRunWithFileAndLineAndLeavesNoOutput() throws IOException {
    write("data/bad.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\": oops}\n");
    write("bad-data.yaml", "wiz: 1\nsource: { type: file, path: data/bad.jsonl }\nsink: { type: file, path: out/bad.jsonl }\n");
    CliHarness.Result r = wiz.run("run", "bad-data.yaml");
    assertEquals(4, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: run failed: data/bad.jsonl:3:7: 'oops' is not a JSON value "), r.err());
    assertFalse(Files.exists(work.resolve("out/bad.jsonl")), "no half-written output");
    try (Stream<Path> files = Files.list(work.resolve("out"))) {
      assertEquals(List.of(), files.toList(), "no temporary file left either");
    } catch (java.nio.file.NoSuchFileException none) {
      // The folder was never needed.
    }
    write("bad-data.yaml", "wiz: 1\nsource: { type: file, path: data/bad.jsonl }\nsink: { type: file, path: out/bad.jsonl }\nrun: { onError: dead-letter }\n");
    CliHarness.Result dl = wiz.run("run", "bad-data.yaml");
    assertEquals(5, dl.code(), dl.toString());
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}"), Files.readAllLines(work.resolve("out/bad.jsonl")));
    assertTrue(dl.err().contains("dead letters: .wiz/runs/"), dl.err());
  }

  @Test
  void aMalformedJsonArrayElementFailsTheRunNamingItsPlaceWhateverOnErrorSays() throws IOException {
    write("data/in.json", "[\n {\"id\":1},\n {\"id\":2,,},\n {\"id\":3},\n {\"id\":4}\n]\n");
    for (String onError : List.of("skip", "dead-letter", "fail")) {
      write("json-" + onError + ".yaml", "wiz: 1\nsource: { type: file, path: data/in.json, format: json }\n"
          + "sink: { type: file, path: out/" + onError + ".jsonl }\nrun: { onError: " + onError + " }\n");
      CliHarness.Result r = wiz.run("run", "json-" + onError + ".yaml");
      assertEquals(4, r.code(), onError + ": the records after it were never read\n" + r);
      assertTrue(r.err().startsWith("wiz: run failed: reading input: data/in.json:3:10: the rest of the file cannot be "
          + "read after this array element (expected a key in double quotes, found ','); fix the element and run again"),
          r.err());
      assertTrue(r.err().contains("fix the element and run again\n"), r.err());
      assertFalse(Files.exists(work.resolve("out/" + onError + ".jsonl")), "no output that lacks records 3 and 4");
    }
  }

  @Test
  void provenanceShowListAndVerifyAfterARealRun() throws IOException {
    write("events.yaml", EVENTS);
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    CliHarness.Result list = wiz.run("provenance", "list");
    assertEquals(0, list.code(), list.toString());
    List<String> ids = list.out().lines().map(l -> l.split("\t")[0]).toList();
    assertEquals(5, ids.size());
    assertTrue(ids.get(0).matches("events-[0-9a-f]{8}-000000"), ids.get(0));
    assertTrue(list.out().lines().findFirst().orElseThrow().contains("data/events.jsonl:1-50"), list.out());

    CliHarness.Result show = wiz.run("provenance", "show", ids.get(1));
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("from      data/events.jsonl lines 51-100: 50 records"), show.out());
    assertTrue(show.out().contains("keep-ok (filter v1"), show.out());
    assertTrue(show.out().contains("states  uninitialized -configure-> configured -validate-> validating -run-> running -produce-> ready -take-> configured -succeed-> success"), show.out());
    assertTrue(show.out().contains("to        /work/out/events.jsonl at byte "), show.out());

    CliHarness.Result json = wiz.run("provenance", "show", ids.get(1), "--format", "json");
    JsonNode events = Json.mapper().readTree(json.out()).get("events");
    assertEquals("CREATE", events.get(0).get("type").asText());
    assertEquals("SEND", events.get(events.size() - 1).get("type").asText());

    // The same pipeline on the same input gives the same chunk ids.
    assertEquals(0, wiz.run("-q", "run", "events.yaml", "--force").code());
    assertEquals(list.out(), wiz.run("provenance", "list").out());

    CliHarness.Result unknown = wiz.run("provenance", "show", "events-00000000-999999");
    assertEquals(3, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("wiz provenance list"), unknown.err());

    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    assertTrue(verify.out().startsWith("intact: "), verify.out());
  }

  @Test
  void verifyNamesTheFirstChangedLine() throws IOException {
    write("events.yaml", EVENTS);
    assertEquals(0, wiz.run("-q", "run", "events.yaml").code());
    Path log;
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      log = runs.findFirst().orElseThrow().resolve("provenance.jsonl");
    }
    List<String> lines = Files.readAllLines(log);
    lines.set(6, lines.get(6).replaceFirst("\"time\":\"2", "\"time\":\"1"));
    Files.write(log, lines);
    CliHarness.Result r = wiz.run("provenance", "verify");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().contains("provenance.jsonl:7: "), r.err());
  }

  @Test
  void commandsThatReadStateFindTheNearestWizFolderOrSaySo() throws IOException {
    CliHarness.Result none = wiz.run("provenance", "list");
    assertEquals(3, none.code(), none.toString());
    assertTrue(none.err().contains("no .wiz folder"), none.err());
    write("events.yaml", EVENTS);
    CliHarness.Result moved = wiz.run("run", "events.yaml", "--state-dir", "elsewhere");
    assertEquals(0, moved.code(), moved.toString());
    assertTrue(moved.err().endsWith("chunks:       wiz provenance list --state-dir elsewhere\n"), moved.err());
    assertEquals(0, wiz.run("provenance", "list", "--state-dir", "elsewhere").code());
    CliHarness sub = new CliHarness(Files.createDirectories(work.resolve("elsewhere/deeper")));
    assertEquals(3, sub.run("provenance", "list").code(), "only a folder named .wiz is found by walking up");
  }

  @Test
  void usageErrorsExit2AndHelpListsTheExitCodes() {
    CliHarness.Result bad = wiz.run("run", "--no-such-option", "x.yaml");
    assertEquals(2, bad.code(), bad.toString());
    assertTrue(bad.err().startsWith("wiz: Unknown option: '--no-such-option'"), bad.err());
    CliHarness.Result help = wiz.run("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("Exit codes:"), help.out());
    assertTrue(help.out().contains("130  interrupted by SIGINT or SIGTERM"), help.out());
    assertEquals(2, wiz.run().code());
  }

  @Test
  void processorsListNamesEveryTypeWithTheSummaryFromItsSchema() throws IOException {
    CliHarness.Result text = wiz.run("processors", "list");
    assertEquals(0, text.code(), text.toString());
    List<String> lines = text.out().lines().toList();
    assertTrue(lines.get(0).startsWith("TYPE"), text.out());
    List<String> types = dev.wiz.processor.ProcessorRegistry.loadDefault().types();
    assertEquals(types.size() + 1, lines.size(), text.out());
    assertTrue(lines.contains("filter       yes          no     Keeps the records for which a jq expression is true and drops the others"),
        text.out());
    JsonNode json = Json.mapper().readTree(wiz.run("processors", "list", "--format", "json").out());
    assertEquals(types.size(), json.size());
    for (JsonNode p : json) {
      JsonNode schema = Json.mapper().readTree(getClass().getResourceAsStream("/schemas/processors/" + p.get("type").asText() + ".schema.json"));
      assertTrue(schema.get("description").asText().startsWith(p.get("description").asText()), p.toString());
      assertTrue(p.has("loadBalance") && p.has("needsSeed"), p.toString());
    }
  }

  @Test
  void processorsShowPrintsFieldsAndSampleFromTheSchema() throws IOException {
    CliHarness.Result text = wiz.run("processors", "show", "filter");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.out().startsWith("filter (version 1)\n\nKeeps the records for which a jq expression is true"), text.out());
    assertTrue(text.out().contains("\n  where  string  yes       A jq expression evaluated on every record"), text.out());
    assertTrue(text.out().contains("SAMPLE\n  - id: my-filter\n    type: filter\n    config: {\"where\":"), text.out());
    JsonNode json = Json.mapper().readTree(wiz.run("processors", "show", "filter", "--format", "json").out());
    assertEquals("where", json.at("/fields/0/name").asText());
    assertTrue(json.at("/fields/0/required").asBoolean());
    assertEquals(".status == \"ok\" and .amount > 10", json.at("/sample/where").asText());
    CliHarness.Result unknown = wiz.run("processors", "show", "fliter");
    assertEquals(3, unknown.code());
    assertEquals("", unknown.out());
    assertEquals("wiz: unknown processor type 'fliter' (did you mean 'filter'?); 'wiz processors list' lists the types\n",
        unknown.err());
  }

  @Test
  void validateTypeChecksAStandaloneProcessorConfig() throws IOException {
    write("shape.yaml", "program: '{id,'\n");
    CliHarness.Result r = wiz.run("validate", "--type", "jq", "shape.yaml");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().startsWith("shape.yaml:1:14: /program: jq syntax error"), r.err());
    write("keep.json", "{\"where\": \".a > 1\"}");
    assertEquals(0, wiz.run("validate", "--type", "filter", "keep.json").code());
    CliHarness.Result unknown = wiz.run("validate", "--type", "fitler", "keep.json");
    assertEquals(3, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("did you mean 'filter'"), unknown.err());
  }
}

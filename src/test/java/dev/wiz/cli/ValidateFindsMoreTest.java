package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code wiz validate} finds beyond the schemas: free jq names, and problems behind unset variables. */
class ValidateFindsMoreTest extends JimfsCliTest {
  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(work.resolve("data"));
    Files.writeString(work.resolve("data/events.jsonl"), "{\"id\":1}\n");
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(work.resolve(name), text);
  }

  @Test
  void anUndefinedJqVariableFailsValidationAtItsPositionAndTheRunNeverStarts() throws IOException {
    write("v1.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: data/events.jsonl }",
        "processors:",
        "  - id: d",
        "    type: filter",
        "    config: { where: '.id > 0 and $undefinedvar' }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "v1.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "v1.yaml:6:35: /processors/0/config/where: jq: $undefinedvar is not defined in '.id > 0 and $undefinedvar';"
            + " bind it first ('... as $undefinedvar | ...' or a function parameter), or write .undefinedvar for a"
            + " field of the record",
        "v1.yaml: 1 problem"), r.err().lines().toList());
    CliHarness.Result run = wiz.run("run", "v1.yaml");
    assertEquals(3, run.code(), run.toString());
    assertFalse(Files.exists(work.resolve(".wiz")), "nothing ran");
  }

  @Test
  void aSchemaProblemInAConfigDoesNotHideItsOtherProblems() throws IOException {
    write("p.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: data/events.jsonl }",
        "processors:",
        "  - id: keep",
        "    type: filter",
        "    config: { where: '.status == \"ok\" and', wher: 1 }",
        "  - id: parse",
        "    type: regex",
        "    config: { field: msg, pattern: '(?<user>[a-z]+', onMismatch: ignore }",
        "  - id: agg",
        "    type: aggregate",
        "    config: { groupBy: { k: '.a +' }, aggregates: { n: { op: summ, of: .x }, m: { op: sum, of: '.y |' } } }",
        "  - id: srt",
        "    type: sort",
        "    config: { by: [ 5, { key: '.a +' } ] }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "p.yaml:6:41: /processors/0/config/where: jq syntax error at column 19: unexpected end of expression in '.status == \"ok\" and'",
        "p.yaml:6:45: /processors/0/config/wher: unknown key 'wher' (did you mean 'where'?)",
        "p.yaml:9:51: /processors/1/config/pattern: regular expression error at column 15: Unclosed group in '(?<user>[a-z]+'",
        "p.yaml:9:66: /processors/1/config/onMismatch: 'ignore' is not one of keep, drop, reject",
        "p.yaml:12:33: /processors/2/config/groupBy/k: jq syntax error at column 4: unexpected end of expression in '.a +'",
        "p.yaml:12:62: /processors/2/config/aggregates/n/op: 'summ' is not one of count, sum, min, max, avg, first, last,"
            + " count-distinct, median, percentile, collect, collect-distinct, var, stddev (did you mean 'sum'?)",
        "p.yaml:12:100: /processors/2/config/aggregates/m/of: jq syntax error at column 4: unexpected end of expression in '.y |'"),
        r.err().lines().limit(7).toList());
    // An array's item the schema refuses cannot be taken out without moving the others: that config's own check waits.
    assertTrue(r.err().lines().noneMatch(l -> l.contains("/by/1/key")), r.err());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("p.yaml:15:21: /processors/3/config/by/0: ")), r.err());
  }

  @Test
  void problemsInsideBlockFoldedAndEscapedStringsPointAtTheVeryCharacter() throws IOException {
    write("p.yaml", """
        wiz: 1
        name: diag
        source: { type: file, path: in.jsonl }
        processors:
          - id: s
            type: jq
            config:
              program: |
                {
                  a: .a,
                  b: .b +* 2
                }
          - id: t
            type: jq
            config:
              program: >-
                .a
                | frob(1)
          - id: u
            type: filter
            config:
              where: ".a == \\"x\\" and $nope"
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("""
        p.yaml:11:18: /processors/0/config/program: jq syntax error at line 3, column 10 of the program: \
        unexpected '*' in 'b: .b +* 2'
        p.yaml:18:11: /processors/1/config/program: jq: unknown function frob/1 in '.a | frob(1)'
        p.yaml:22:31: /processors/2/config/where: jq: $nope is not defined in '.a == "x" and $nope'; bind it \
        first ('... as $nope | ...' or a function parameter), or write .nope for a field of the record
        p.yaml: 3 problems
        """, r.err());
  }

  @Test
  void aJqErrorInAnInterpolatedProgramOfSeveralLinesCountsInTheTextAsWritten() throws IOException {
    wiz.env.put("FIELD", "payload");
    write("i.yaml", """
        wiz: 1
        source: { type: file, path: data/events.jsonl }
        processors:
          - id: s
            type: jq
            config:
              program: |
                .a
                | .${FIELD} +* 2
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "i.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "i.yaml:9:22: /processors/0/config/program: jq syntax error at line 2, column 14 of the program:"
            + " unexpected '*' in '| .${FIELD} +* 2'",
        "i.yaml: 1 problem"), r.err().lines().toList());
  }

  @Test
  void nowIsAnUnknownFunctionAsTheOtherClockBuiltinsAreSoOutputNeverDependsOnTheClock() throws IOException {
    // jackson-jq has now/0 (jq's wall clock); validate said "valid" and every run wrote another time
    write("n.yaml", """
        wiz: 1
        source: { type: file, path: data/events.jsonl }
        processors:
          - { id: p, type: jq, config: { program: '{t: now, d: (try now catch 0)}' } }
          - { id: f, type: filter, config: { where: 'now? > 0' } }
          - { id: g, type: jq, config: { program: '[debug_scope]' } }
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "n.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("""
        n.yaml:4:48: /processors/0/config/program: jq: now in '{t: now, d: (try now catch 0)}' would make the output depend on the clock, so that a rerun gives other bytes: \
        pass the time in (${NOW} in the pipeline file, set by whoever starts the run) or use a time in the record
        n.yaml:5:46: /processors/1/config/where: jq: now in 'now? > 0' would make the output depend on the clock, so that a rerun gives other bytes: \
        pass the time in (${NOW} in the pipeline file, set by whoever starts the run) or use a time in the record
        n.yaml:6:45: /processors/2/config/program: jq: unknown function debug_scope/0 in '[debug_scope]'
        n.yaml: 3 problems
        """, r.err());
  }

  @Test
  void jqBuiltinsThatHaveNoMeaningInAStepAreRefusedAtTheirPlaceSayingWhatToUseInstead() throws IOException {
    // they were "unknown function input/0", as if jq had no such builtin
    write("i.yaml", """
        wiz: 1
        source: { type: file, path: data/events.jsonl }
        processors:
          - { id: a, type: jq, config: { program: 'reduce inputs as $r (0; . + $r.n)' } }
          - { id: b, type: filter, config: { where: '.region == $ENV.REGION' } }
          - { id: c, type: jq, config: { program: '{home: env["HOME"], f: input_filename, n: input_line_number}' } }
          - { id: d, type: jq, config: { program: 'if .x then halt_error(1) else input end' } }
          - { id: e, type: jq, config: { program: 'get_search_list' } }
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "i.yaml");
    assertEquals(3, r.code(), r.toString());
    String record = "has no meaning in a wiz step, which runs the program on each record alone (as .) and reads no further"
        + " input: to combine records, use an aggregate step (groupBy with count, sum, first, last, ...), sort or dedupe";
    String env = "would read the environment when each record runs, which the request key does not record (a rerun would"
        + " not be known to give the same output): write \"${%s}\" in the pipeline file instead; wiz puts the variable's"
        + " value there before it checks the pipeline and keeps its digest in the run record";
    String c = "'{home: env[\"HOME\"], f: input_filename, n: input_line_number}'";
    assertEquals(String.join("\n",
        "i.yaml:4:51: /processors/0/config/program: jq: inputs in 'reduce inputs as $r (0; . + $r.n)' " + record,
        "i.yaml:5:57: /processors/1/config/where: jq: $ENV is not defined in '.region == $ENV.REGION'; $ENV "
            + String.format(env, "REGION"),
        "i.yaml:6:51: /processors/2/config/program: jq: env in " + c + " " + String.format(env, "HOME"),
        "i.yaml:6:67: /processors/2/config/program: jq: input_filename in " + c + " has no meaning in a wiz step: the"
            + " program sees a record, not the file it came from; 'wiz provenance show <chunk-id>' names a chunk's file"
            + " and lines, and a rejected record's dead letter its file and line (origin, line)",
        "i.yaml:6:86: /processors/2/config/program: jq: input_line_number in " + c + " has no meaning in a wiz step: a"
            + " record is not a line of the program's input; a rejected record's file and line are in its dead letter"
            + " (origin, line)",
        "i.yaml:7:55: /processors/3/config/program: jq: halt_error in 'if .x then halt_error(1) else input end' would end"
            + " the whole run from one record: to refuse the record, use error(\"...\"); run.onError then fails the run,"
            + " skips the record or dead-letters it",
        "i.yaml:7:74: /processors/3/config/program: jq: input in 'if .x then halt_error(1) else input end' " + record,
        "i.yaml:8:44: /processors/4/config/program: jq: get_search_list in 'get_search_list' is about jq's modules, and"
            + " wiz's jq loads none: define the functions in the program ('def name: ...;')",
        "i.yaml: 8 problems", ""), r.err());
  }

  @Test
  void aTypoUnderAPostfixQuestionMarkFailsValidationInsteadOfDroppingEveryRecord() throws IOException {
    write("q.yaml", """
        wiz: 1
        source: { type: file, path: data/events.jsonl }
        processors:
          - id: j
            type: jq
            config: { program: '.when = (.t | localtime?)' }
          - id: k
            type: jq
            config:
              program: |
                def f(g): g?;
                .a as $x
                | f(.b)?
                | [.[]? | g?, $x, $y]
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "q.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("""
        q.yaml:6:39: /processors/0/config/program: jq: localtime in '.when = (.t | localtime?)' depends on the time zone \
        of the machine the run is on: use gmtime, todate or strftime, which are UTC, and add the offset you want (". + 3600")
        q.yaml:14:19: /processors/1/config/program: jq: unknown function g/0 in line 4 of the program, \
        '| [.[]? | g?, $x, $y]'
        q.yaml:14:27: /processors/1/config/program: jq: $y is not defined in line 4 of the program, \
        '| [.[]? | g?, $x, $y]'; bind it first ('... as $y | ...' or a function parameter), or write .y for a field \
        of the record
        q.yaml: 3 problems
        """, r.err());
    CliHarness.Result run = wiz.run("run", "q.yaml");
    assertEquals(3, run.code(), run.toString());
    assertFalse(Files.exists(work.resolve(".wiz")), "nothing ran");
  }

  @Test
  void unsetVariablesAreReportedWithEveryOtherProblemAndTheirValuesAreNotChecked() throws IOException {
    write("many.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: '${DATA_DIR}/events.jsonl' }",
        "processors:",
        "  - id: a",
        "    type: filter",
        "    config: { where: '.user == \"${API_USER}\" and (' }",
        "  - id: b",
        "    type: jq",
        "    config: { program: '{id, user' }",
        "  - id: c",
        "    type: jq",
        "    config: { program: 'nosuch(.)' }",
        "  - id: d",
        "    type: filter",
        "    config: { where: '.x ==' }",
        "sink: { type: file, path: '${OUT}' }",
        "run:",
        "  seed: abc",
        "  workers: ${WORKERS}",
        ""));
    CliHarness.Result r = wiz.run("validate", "many.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "many.yaml:2:30: /source/path: environment variable DATA_DIR is not set (export it, or write ${DATA_DIR:-default})",
        "many.yaml:6:33: /processors/0/config/where: environment variable API_USER is not set (export it, or write"
            + " ${API_USER:-default})",
        "many.yaml:9:33: /processors/1/config/program: jq syntax error at column 9: unexpected end of expression in"
            + " '{id, user'",
        "many.yaml:12:25: /processors/2/config/program: jq: unknown function nosuch/1 in 'nosuch(.)'",
        "many.yaml:15:27: /processors/3/config/where: jq syntax error at column 5: unexpected end of expression in"
            + " '.x =='",
        "many.yaml:16:28: /sink/path: environment variable OUT is not set (export it, or write ${OUT:-default})",
        "many.yaml:18:9: /run/seed: expected an integer, got string \"abc\"",
        "many.yaml:19:12: /run/workers: environment variable WORKERS is not set (export it, or write ${WORKERS:-default})",
        "many.yaml: 8 problems"), r.err().lines().toList());
    CliHarness.Result type = wiz.run("validate", "--type", "filter", writeAndName("f.yaml", "where: '${NOPE} and ('\n"));
    assertEquals(List.of("f.yaml:1:9: /where: environment variable NOPE is not set (export it, or write ${NOPE:-default})",
        "f.yaml: 1 problem"), type.err().lines().toList());
  }

  @Test
  void diagnosticsQuoteTheTextAsWrittenNeverTheValueFromTheEnvironment() throws IOException {
    wiz.env.put("API_TOKEN", "hunter2");
    wiz.env.put("SECRET", "topsecret");
    write("leak.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: 'data/${SECRET}.jsonl' }",
        "processors:",
        "  - id: a",
        "    type: filter",
        "    config: { where: '.user == \"${API_TOKEN}\" and (' }",
        "  - id: b",
        "    type: filter",
        "    config: { where: '.a == 1 ${API_TOKEN}' }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "leak.yaml");
    assertEquals(3, r.code(), r.toString());
    List<String> lines = r.err().lines().toList();
    assertEquals("leak.yaml:6:51: /processors/0/config/where: jq syntax error at column 29: unexpected end of"
        + " expression in '.user == \"${API_TOKEN}\" and ('", lines.get(0));
    assertTrue(lines.get(1).startsWith("leak.yaml:9:31: /processors/1/config/where: jq syntax error at column 9:"
        + " unexpected '${API_TOKEN}' in '.a == 1 ${API_TOKEN}'"), lines.get(1));
    assertFalse(r.err().contains("hunter2"), r.err());

    write("leak.yaml", "wiz: 1\nsource: { type: file, path: 'data/${SECRET}.jsonl' }\nsink: { type: stdout }\n");
    CliHarness.Result run = wiz.run("run", "leak.yaml");
    assertEquals(4, run.code(), run.toString());
    assertTrue(run.err().startsWith("leak.yaml:2:29: /source/path: no such file: 'data/${SECRET}.jsonl' (looked for"
        + " /work/data/${SECRET}.jsonl)"), run.err());
    assertFalse(run.err().contains("topsecret"), run.err());
  }

  private String writeAndName(String name, String text) throws IOException {
    write(name, text);
    return name;
  }

  @Test
  void aKeyAMapOfNamesCannotTakeSaysWhyNotThatItIsUnknown() throws IOException {
    // aggregate's groupBy and aggregates take any name without control characters (exec's env the
    // names of environment variables): such a key is no misspelt keyword ("unknown key ''" before)
    write("k.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: data/events.jsonl }",
        "processors:",
        "  - id: a",
        "    type: aggregate",
        "    config: { groupBy: { \"\": '.x', \"a\\tb\": '.y' } }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "k.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "k.yaml:6:26: /processors/0/config/groupBy/: an empty key is not allowed here: give it a name",
        "k.yaml:6:36: /processors/0/config/groupBy/a\tb: key 'a\\tb' holds a control character, which a name here cannot",
        "k.yaml: 2 problems"), r.err().lines().toList());
  }
}

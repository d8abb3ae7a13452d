package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** aggregate's median, percentile, collect and stddev through the command line: config errors at their place, and a run. */
class AggregateQuantileCliTest extends JimfsCliTest {
  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), String.join("\n",
        "{\"path\":\"/a\",\"ms\":40,\"status\":200}",
        "{\"path\":\"/b\",\"ms\":7,\"status\":200}",
        "{\"path\":\"/a\",\"ms\":10,\"status\":500}",
        "{\"path\":\"/a\",\"ms\":30,\"status\":200}",
        "{\"path\":\"/a\",\"ms\":20,\"status\":200.0}",
        ""));
  }

  @Test
  void aWrongPOrMethodIsAnErrorAtItsLineAndColumnAndNothingRuns() throws IOException {
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "source: { type: file, path: in.jsonl }",
        "processors:",
        "  - id: stats",
        "    type: aggregate",
        "    config:",
        "      aggregates:",
        "        p95: { op: percentile, of: '.ms', p: 95 }",
        "        p99: { op: percentile, of: '.ms' }",
        "        median: { op: median, of: '.ms', p: 0.5 }",
        "        s: { op: percentile, of: '.ms', p: '0.5' }",
        "        m: { op: median, of: '.ms', method: cont }",
        "        c: { op: collect, of: '.ms', method: linear }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "p.yaml:8:46: /processors/0/config/aggregates/p95/p: p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
            + " 0.5 for the median), got 95",
        "p.yaml:9:14: /processors/0/config/aggregates/p99: percentile needs 'p': the fraction of the values at or below it,"
            + " from 0 to 1 (0.95 for the 95th percentile)",
        "p.yaml:10:45: /processors/0/config/aggregates/median/p: median is the percentile p 0.5 and takes no 'p';"
            + " use op: percentile for another",
        "p.yaml:11:44: /processors/0/config/aggregates/s/p: expected a number, got string \"0.5\"",
        "p.yaml:12:45: /processors/0/config/aggregates/m/method: 'cont' is not one of linear, nearest-rank",
        "p.yaml:13:46: /processors/0/config/aggregates/c/method: only median and percentile take 'method', not collect",
        "p.yaml: 6 problems"), r.err().lines().toList());
    assertEquals("", r.out());
    CliHarness.Result run = wiz.run("run", "p.yaml");
    assertEquals(3, run.code(), run.toString());
    assertFalse(Files.exists(work.resolve(".wiz")), "nothing ran");
  }

  /**
   * The schema flags a percentile without p and a method on another op too (for editors): validate
   * still says each once, in the check's words, and still compiles the rest of that aggregate.
   */
  @Test
  void aPercentileWithoutPOrAMethodOnAnotherOpIsOneMessageAndTheRestIsStillChecked() throws IOException {
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "source: { type: file, path: in.jsonl }",
        "processors:",
        "  - id: stats",
        "    type: aggregate",
        "    config:",
        "      aggregates:",
        "        p95: { op: percentile, of: '.ms | bad(' }",
        "        s: { op: sum, of: .ms, method: linear }",
        "        m: { op: median, of: .ms, p: 95 }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "p.yaml:8:14: /processors/0/config/aggregates/p95: percentile needs 'p': the fraction of the values at or below it,"
            + " from 0 to 1 (0.95 for the 95th percentile)",
        "p.yaml:8:46: /processors/0/config/aggregates/p95/of: jq syntax error at column 10: unexpected end of expression"
            + " in '.ms | bad('",
        "p.yaml:9:40: /processors/0/config/aggregates/s/method: only median and percentile take 'method', not sum",
        "p.yaml:10:38: /processors/0/config/aggregates/m/p: p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
            + " 0.5 for the median), got 95",
        "p.yaml: 4 problems"), r.err().lines().toList());
    assertEquals("", r.out());
  }

  @Test
  void aRunGivesEveryGroupsPercentilesCollectionsAndDeviation() throws IOException {
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "source: { type: file, path: in.jsonl }",
        "processors:",
        "  - id: latency",
        "    type: aggregate",
        "    config:",
        "      groupBy: { path: .path }",
        "      aggregates:",
        "        median: { op: median, of: .ms }",
        "        p90: { op: percentile, of: .ms, p: 0.9 }",
        "        p90_seen: { op: percentile, of: .ms, p: 0.9, method: nearest-rank }",
        "        stddev: { op: stddev, of: .ms }",
        "        all: { op: collect, of: .ms }",
        "        statuses: { op: collect-distinct, of: .status }",
        "sink: { type: file, path: out.jsonl }",
        ""));
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals(String.join("\n",
        "{\"path\":\"/a\",\"median\":25.0,\"p90\":37.0,\"p90_seen\":40,\"stddev\":12.909944487358056,"
            + "\"all\":[40,10,30,20],\"statuses\":[200,500]}",
        "{\"path\":\"/b\",\"median\":7,\"p90\":7,\"p90_seen\":7,\"stddev\":null,\"all\":[7],\"statuses\":[200]}",
        ""), Files.readString(work.resolve("out.jsonl")));
  }
}

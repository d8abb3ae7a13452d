package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * YAML's {@code .inf}, {@code .nan} and {@code 1e400} are numbers JSON cannot hold: where the
 * schema wants one of some words, or one value, they are refused in words at their position, as
 * any other wrong value is, by {@code validate} and {@code run} alike (they were an internal error).
 */
class NotFiniteConfigNumbersTest extends JimfsCliTest {
  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), "{\"id\":1}\n");
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: .nan",
        "source: { type: file, path: in.jsonl, format: 1e400 }",
        "processors:",
        "  - id: r",
        "    type: regex",
        "    config: { field: a, pattern: '(?<x>.)', onMismatch: -.inf }",
        "  - id: s",
        "    type: sample",
        "    config: { fraction: .nan }",
        "  - id: t",
        "    type: sample",
        "    config: { size: .inf }",
        "sink: { type: stdout }",
        "run: { onError: .inf, workers: .nan }",
        ""));
  }

  private static final List<String> PROBLEMS = List.of(
      "p.yaml:1:6: /wiz: must be 1, got NaN",
      "p.yaml:2:47: /source/format: Infinity is not one of jsonl, json, csv, lines",
      "p.yaml:6:57: /processors/0/config/onMismatch: -Infinity is not one of keep, drop, reject",
      "p.yaml:9:25: /processors/1/config/fraction: expected a number, got NaN (YAML reads .nan, .inf and a float beyond"
          + " 1.8e308, such as 1e400, so), which JSON cannot hold: write a number",
      "p.yaml:12:21: /processors/2/config/size: expected an integer, got number Infinity",
      "p.yaml:14:17: /run/onError: Infinity is not one of fail, skip, dead-letter",
      "p.yaml:14:32: /run/workers: expected an integer, got number NaN");

  @Test
  void validateNamesEveryNumberJsonCannotHoldWhereAWordOrAValueIsWanted() {
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("", r.out());
    List<String> expected = new java.util.ArrayList<>(PROBLEMS);
    expected.add("p.yaml: 7 problems");
    assertEquals(expected, r.err().lines().toList());
  }

  @Test
  void runRefusesTheFileWithTheSameProblemsAndRunsNothing() {
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(PROBLEMS, r.err().lines().filter(l -> l.startsWith("p.yaml:")).toList());
    assertFalse(Files.exists(work.resolve(".wiz")), "nothing ran");
  }

  @Test
  void validateFormatJsonAnswersWithTheProblems() throws Exception {
    CliHarness.Result r = wiz.run("validate", "--format", "json", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(7, dev.wiz.Json.mapper().readTree(r.out()).size(), r.toString());
  }
}

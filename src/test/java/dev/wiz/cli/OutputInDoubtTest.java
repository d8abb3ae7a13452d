package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose output may be wrong (a pooled exec program's answers turned out shifted after
 * chunks were passed on) keeps none of it, and --resume starts over rather than take those chunks
 * over (sweep 6: a record was written twice, another lost, and the run said every record was
 * accounted for).
 */
class OutputInDoubtTest {
  @Test
  void resumeAfterARunWhoseOutputWasInDoubtProcessesEveryChunkAgain(@TempDir Path dir) throws Exception {
    String ids = shiftingPipeline(dir);
    CliHarness wiz = new CliHarness(dir);
    CliHarness.Result failed = wiz.run("-q", "run", "p.yaml");
    assertEquals(4, failed.code(), failed.toString());
    assertTrue(failed.err().contains("may hold answers paired with the wrong records, so the output is not kept (run again once"
        + " the program is fixed; --resume starts over)"), failed.err());
    try (java.util.stream.Stream<Path> left = Files.list(dir)) {
      assertEquals(java.util.List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
          "no partial output is kept");
    }
    assertFalse(Files.exists(dir.resolve("out.jsonl")));
    com.fasterxml.jackson.databind.JsonNode run;
    try (java.util.stream.Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      run = dev.wiz.Json.mapper().readTree(Files.readString(runs.findFirst().orElseThrow().resolve("run.json")));
    }
    assertTrue(run.path("partialOutput").isNull() || run.path("partialOutput").isMissingNode(), "run.json names no partial output: " + run);
    assertEquals(0, run.at("/output/bytes").asLong(), run.toString());
    assertEquals(0, run.at("/output/records").asLong(), run.toString());
    CliHarness.Result list = wiz.run("provenance", "list");
    assertTrue(list.out().contains("5 -> 5 records (not kept)"),
        "the chunks written before the shift showed are not kept: " + list);
    assertTrue(list.err().contains("(failed; what it wrote was not kept)"), list.err());
    String first = list.out().substring(0, list.out().indexOf('\t'));
    CliHarness.Result show = wiz.run("provenance", "show", first);
    assertTrue(show.out().contains("not kept: the run threw its output away (the run failed: see its error)"), show.out());

    Files.delete(dir.resolve("bug"));
    CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains(": it kept no output, so every chunk is processed again"), resumed.err());
    assertEquals(ids, Files.readString(dir.resolve("out.jsonl")), "every record once, in order");
  }

  @Test
  void theSummaryOfSuchARunSaysWhatItWroteWasThrownAway(@TempDir Path dir) throws Exception {
    shiftingPipeline(dir);
    CliHarness wiz = new CliHarness(dir);
    CliHarness.Result summary = wiz.run("run", "p.yaml");
    assertEquals(4, summary.code(), summary.toString());
    // How many were written before the shift showed depends on when the program's extra line came.
    assertTrue(java.util.regex.Pattern.compile("\n  output:       \\(none written: out.jsonl left as it was; the [1-9][0-9]* records"
        + " written before the run stopped were thrown away, as they may be wrong\\)\n").matcher(summary.err()).find(),
        summary.err());
    CliHarness.Result json = wiz.run("run", "p.yaml", "--force", "--format", "json");
    assertEquals(4, json.code(), json.toString());
    com.fasterxml.jackson.databind.JsonNode o = dev.wiz.Json.mapper().readTree(json.out());
    assertTrue(o.path("outputDiscarded").asBoolean(false), o.toString());
    assertFalse(o.path("outputComplete").asBoolean(true), o.toString());
  }

  /** A pipeline whose exec program echoes each record, and answers id 7 twice while the file 'bug' is there; its input. */
  private static String shiftingPipeline(Path dir) throws java.io.IOException {
    String ids = IntStream.rangeClosed(1, 30).mapToObj(i -> "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(dir.resolve("in.jsonl"), ids);
    // Echoes each record; while the file 'bug' is there, answers id 7 twice.
    Files.writeString(dir.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "source: { type: file, path: in.jsonl }",
        "chunking: { records: 5 }",
        "processors:",
        "  - id: e",
        "    type: exec",
        "    workers: { model: pool, size: 1 }",
        "    config:",
        "      protocol: line-per-record",
        "      command: [/bin/sh, -c, 'while IFS= read -r l; do printf \"%s\\n\" \"$l\"; if [ -e bug ]; then"
            + " case \"$l\" in *\"\\\"id\\\":7}\") printf \"%s\\n\" \"$l\";; esac; fi; done']",
        "sink: { type: file, path: out.jsonl }",
        "run: { onError: dead-letter, workers: 1 }",
        ""));
    Files.writeString(dir.resolve("bug"), "");
    return ids;
  }
}

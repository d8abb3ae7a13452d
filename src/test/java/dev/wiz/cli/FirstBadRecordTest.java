package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bad record a run names (the error of {@code run.onError: fail}, the {@code first skip:} of
 * {@code skip}) is the first in input order, whatever the chunk size and the number of workers:
 * not the first the chunk found, which was a record that could not be decoded before a record a
 * step rejects, and a record the first step rejects before one a later step rejects, on whichever
 * lines they were.
 */
class FirstBadRecordTest extends JimfsCliTest {
  /** Line 1 is rejected by 'inc', line 2 by 'dec' (after 'inc'), line 4 is not JSON. */
  private static final String INPUT = "{\"a\":1,\"b\":\"x\"}\n{\"a\":\"y\",\"b\":2}\n{\"a\":3,\"b\":4}\ntru\n{\"a\":5,\"b\":6}\n";

  private JsonNode run(int chunk, int workers, String onError, String steps) throws IOException {
    return run(INPUT, chunk, workers, onError, steps);
  }

  private JsonNode run(String input, int chunk, int workers, String onError, String steps) throws IOException {
    openWorkFolder(); // a new file system for each run
    Files.writeString(work.resolve("in.jsonl"), input);
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\nsource: { type: file, path: in.jsonl }\n"
        + "chunking: { records: " + chunk + " }\nprocessors:\n" + steps
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: " + onError + " }\n");
    CliHarness.Result r = wiz.run("run", "p.yaml", "--workers", String.valueOf(workers), "--format", "json");
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(onError.equals("fail") ? 4 : 5, r.code(), r.toString());
    closeWorkFolder();
    return j;
  }

  private static String withoutChunk(String text) {
    return text.replaceAll(" \\(chunk p-[0-9a-f]{8}-\\d+\\)", "");
  }

  @Test
  void aRunThatFailsNamesTheFirstBadRecordWhateverTheChunkSize() throws IOException {
    String twoSteps = "  - { id: inc, type: set, config: { fields: { b: '.b + 1' } } }\n"
        + "  - { id: dec, type: set, config: { fields: { a: '.a - 1' } } }\n";
    for (int chunk : List.of(1, 2, 1000)) {
      for (int workers : List.of(1, 3)) {
        String at = "chunk " + chunk + ", workers " + workers;
        // The undecodable line 4 and the records 'inc' rejects at line 1 are in one chunk of 1000.
        JsonNode j = run(chunk, workers, "fail", twoSteps.substring(0, twoSteps.indexOf('\n') + 1));
        assertEquals("in.jsonl:1: processor 'inc' (set): set: field 'b': string (\"x\") and number (1) cannot be added;"
            + " set run.onError to skip or dead-letter to go on past bad records", withoutChunk(j.get("error").asText()), at);
        // 'inc' rejects line 1, 'dec' line 2: with the steps swapped, 'dec' rejects line 2 first.
        String swapped = twoSteps.substring(twoSteps.indexOf('\n') + 1) + twoSteps.substring(0, twoSteps.indexOf('\n') + 1);
        j = run(chunk, workers, "fail", swapped);
        assertEquals("in.jsonl:1: processor 'inc' (set): set: field 'b': string (\"x\") and number (1) cannot be added;"
            + " set run.onError to skip or dead-letter to go on past bad records", withoutChunk(j.get("error").asText()), at);
        j = run(chunk, workers, "fail", "  - { id: dec, type: set, config: { fields: { a: '.a - 1' } } }\n");
        assertEquals("in.jsonl:2: processor 'dec' (set): set: field 'a': string (\"y\") and number (1) cannot be subtracted;"
            + " set run.onError to skip or dead-letter to go on past bad records", withoutChunk(j.get("error").asText()), at);
      }
    }
  }

  @Test
  void theFirstSkipIsTheOneOnTheEarliestLineWhateverTheChunkSize() throws IOException {
    String swapped = "  - { id: dec, type: set, config: { fields: { a: '.a - 1' } } }\n"
        + "  - { id: inc, type: set, config: { fields: { b: '.b + 1' } } }\n";
    for (int chunk : List.of(1, 2, 1000)) {
      for (int workers : List.of(1, 3)) {
        JsonNode j = run(chunk, workers, "skip", swapped);
        String at = "chunk " + chunk + ", workers " + workers;
        assertEquals("'inc' (set): in.jsonl:1: set: field 'b': string (\"x\") and number (1) cannot be added",
            j.get("firstSkip").asText(), at);
        assertEquals(3, j.get("skipped").asInt(), at);
        assertEquals(2, j.get("written").asInt(), at);
      }
    }
  }

  /** The source's skips were said with the chunk's count of them ("2 undecodable record(s), first at ..."). */
  @Test
  void theFirstSkipOfTheSourceSaysTheSameWhateverTheChunkSize() throws IOException {
    for (int chunk : List.of(1, 3, 1000)) {
      JsonNode j = run("{\"a\":1}\ntru\n{\"a\":2}\n[1,\n", chunk, 2, "skip", "  - { id: keep, type: filter, config: { where: 'true' } }\n");
      assertEquals("source: in.jsonl:2:1: 'tru' is not a JSON value (true, false, null, a number, a string, an array or an object)",
          j.get("firstSkip").asText(), "chunk " + chunk);
      assertEquals(2, j.get("skipped").asInt());
    }
  }

  /**
   * A json element that is not JSON ends the input (the rest cannot be read): the records before it
   * are still processed, in their chunk, and a bad one among them is named. The read failed the run
   * at once, before that chunk's steps ran, when they were in its chunk.
   */
  @Test
  void aRecordBeforeAJsonInputThatCannotBeReadOnIsNamedWhateverTheChunkSize() throws IOException {
    for (int chunk : List.of(1, 2, 1000)) {
      for (int workers : List.of(1, 3)) {
        openWorkFolder();
        Files.writeString(work.resolve("in.json"), "[{\"a\":1},\n{\"a\":\"x\"},\n{\"a\":2},\nNaN]\n");
        Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\nsource: { type: file, path: in.json, format: json }\n"
            + "chunking: { records: " + chunk + " }\nprocessors:\n  - { id: inc, type: jq, config: { program: '.a + 1' } }\n"
            + "sink: { type: file, path: out.jsonl }\nrun: { onError: fail }\n");
        CliHarness.Result r = wiz.run("run", "p.yaml", "--workers", String.valueOf(workers), "--format", "json");
        assertEquals(4, r.code(), r.toString());
        assertEquals("in.json:2: processor 'inc' (jq): jq: string (\"x\") and number (1) cannot be added;"
            + " set run.onError to skip or dead-letter to go on past bad records",
            withoutChunk(Json.mapper().readTree(r.out()).get("error").asText()), "chunk " + chunk + ", workers " + workers);
        closeWorkFolder();
      }
    }
  }
}

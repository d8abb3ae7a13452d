package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A run that fails while a sort or an aggregate holds records counts them as held by it, not as
 * filtered: in the summary, in --format json and in run.json.
 */
class HeldRecordsTest extends JimfsCliTest {
  /** A bad line in the 20th chunk: with at most 8 chunks read ahead, the first ones were processed before it. */
  private void setUp(String step, boolean bad) throws IOException {
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 200)
        .mapToObj(i -> bad && i == 190 ? "not json" : "{\"id\":" + i + ",\"n\":" + (i % 7) + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: held\nsource: { type: file, path: in.jsonl }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - { id: keep, type: filter, config: { where: '.n > 0' } }\n"
        + "  - " + step + "\nsink: { type: file, path: out.jsonl }\nrun: { workers: 1, onError: fail }\n");
  }

  private JsonNode runJson() throws IOException {
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      return Json.mapper().readTree(Files.readAllBytes(runs.findFirst().orElseThrow().resolve("run.json")));
    }
  }

  @Test
  void aFailedRunCountsWhatTheSortHeldAsHeldNotFiltered() throws IOException {
    setUp("{ id: by-n, type: sort, config: { by: [{ key: '.n' }] } }", true);
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(4, r.code(), r.toString());
    JsonNode o = Json.mapper().readTree(r.out());
    JsonNode keep = o.at("/processors/0");
    JsonNode sort = o.at("/processors/1");
    assertEquals(sort.get("in").asLong(), sort.get("held").asLong(), o.toString());
    assertTrue(sort.get("held").asLong() > 0, o.toString());
    assertEquals(0, sort.get("filtered").asLong(), o.toString());
    assertEquals(keep.get("filtered").asLong(), o.get("filtered").asLong(), "only what the filter dropped: " + o);
    assertEquals(sort.get("held").asLong(), o.get("held").asLong(), o.toString());
    assertFalse(keep.has("held"), "a step that holds nothing has no held count: " + keep);
    assertEquals(sort, runJson().at("/processors/1"), "run.json has the same counts");

    CliHarness.Result text = wiz.run("run", "p.yaml", "--force");
    assertEquals(4, text.code(), text.toString());
    // The counts of a failed run depend on the chunks in flight when it failed: read from this run.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n  by-n: +(\\d+) in, 0 out, (\\d+) held when the run stopped\n")
        .matcher(text.err());
    assertTrue(m.find(), text.err());
    assertEquals(m.group(1), m.group(2), text.err());
    assertTrue(text.err().contains(" filtered + " + m.group(2) + " held by sort 'by-n' + 0 skipped + 0 dead-lettered"),
        text.err());

    // provenance show of a chunk says the sort held its records, not that it filtered them.
    String chunk = Json.mapper().readTree(wiz.run("provenance", "list", "--format", "json").out()).at("/0/chunk").asText();
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("\n  held      8 records by 'by-n', for its end of input, which the run did not reach"
        + " (the run failed): not filtered\n"), show.out());
  }

  @Test
  void aCompletedRunHoldsNothing() throws IOException {
    setUp("{ id: per-n, type: aggregate, config: { groupBy: { n: '.n' } } }", false);
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    JsonNode o = Json.mapper().readTree(r.out());
    assertEquals(0, o.get("held").asLong(), o.toString());
    assertFalse(o.at("/processors/1").has("held"), o.toString());
    assertFalse(runJson().at("/processors/1").has("held"), "run.json as before");
  }
}

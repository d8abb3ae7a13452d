package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Numbers through whole runs: as read they keep their text whatever step they pass (findings: a
 * filter rewrote {@code 1e10} as {@code 1.0E10}); as jq computes them they are written as jq 1.6
 * writes them ({@code 3}, not {@code 3.0}); with any number of workers the same bytes and digests.
 */
class NumberSpellingTest extends JimfsCliTest {
  private static final List<String> WRITTEN = List.of("1e10", "1.5e3", "100e-2", "1e-7", "1e2", "5e-324", "1E+400",
      "1e400", "41.0", "1.10", "-0", "-0.0", "0.0001", "12345678.9", "41.37", "7", "12345678901234567890",
      "0.30000000000000004");


  @BeforeEach
  void setUp() throws IOException {
    // 300 records, each number written every way
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 300)
        .mapToObj(i -> "{\"id\":" + i + ",\"n\":" + WRITTEN.get(i % WRITTEN.size()) + ",\"xs\":[" + String.join(",", WRITTEN) + "]}")
        .collect(Collectors.joining("\n", "", "\n")));
  }

  private JsonNode run(String pipeline, String... args) throws IOException {
    Files.writeString(work.resolve("p.yaml"), pipeline);
    List<String> all = new ArrayList<>(List.of("run", "p.yaml", "--format", "json", "--force"));
    all.addAll(List.of(args));
    CliHarness.Result r = wiz.run(all.toArray(new String[0]));
    assertTrue(r.code() == 0 || r.code() == 5, r.toString());
    return Json.mapper().readTree(r.out());
  }

  /** The digests of the run's provenance log, in order. */
  private List<String> digests(JsonNode summary) throws IOException {
    Path dir = fs.getPath(summary.get("runRecord").asText()).getParent();
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("provenance.jsonl"))) {
      JsonNode e = Json.mapper().readTree(line);
      for (String k : List.of("inputDigest", "outputDigest")) {
        if (e.has(k)) out.add(e.get("chunk").asText() + " " + k + " " + e.get(k).asText());
      }
    }
    return out;
  }

  @Test
  void aStepThatDoesNotTouchANumberWritesItAsItWasWrittenWithAnyNumberOfWorkers() throws IOException {
    String pipeline = "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 40 }\nprocessors:\n"
        + "  - { id: f, type: filter, config: { where: '.n == .n' } }\n"
        + "  - { id: s, type: set, config: { fields: { seen: 'true' } } }\n"
        + "  - { id: j, type: jq, config: { program: 'del(.seen)' } }\n"
        + "sink: { type: file, path: out.jsonl }\n";
    String in = Files.readString(work.resolve("in.jsonl"));
    JsonNode one = run(pipeline, "--workers", "1");
    assertEquals(in, Files.readString(work.resolve("out.jsonl")));
    List<String> digests = digests(one);
    assertTrue(digests.size() > 20, digests.toString());
    JsonNode four = run(pipeline, "--workers", "4");
    assertEquals(in, Files.readString(work.resolve("out.jsonl")));
    assertEquals(digests, digests(four), "the digests of the records between steps do not depend on the workers");
  }

  @Test
  void computedNumbersAreWrittenAsJq16WritesThemAndDeadLettersKeepTheRecordsText() throws IOException {
    String pipeline = "wiz: 1\nsource: { type: file, path: in.jsonl }\nchunking: { records: 40 }\nprocessors:\n"
        + "  - { id: j, type: jq, config: { program: 'if .id == 7 then error(\"no\") else"
        + " {id, page: (.id / 10 | floor), k: \"p\\(.id / 10 | floor)\", c: (.n * 100), t: (.n | tostring)} end' } }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: dead-letter }\n";
    JsonNode summary = run(pipeline, "--workers", "3");
    List<String> out = Files.readAllLines(work.resolve("out.jsonl"));
    // the values are jq 1.6's for the same record; t is the read number as it was written
    assertEquals("{\"id\":36,\"page\":3,\"k\":\"p3\",\"c\":1000000000000,\"t\":\"1e10\"}", out.get(35));
    assertEquals("{\"id\":37,\"page\":3,\"k\":\"p3\",\"c\":150000,\"t\":\"1.5e3\"}", out.get(36));
    assertEquals("{\"id\":39,\"page\":3,\"k\":\"p3\",\"c\":9.999999999999999e-06,\"t\":\"1e-7\"}", out.get(38));
    assertEquals("{\"id\":43,\"page\":4,\"k\":\"p4\",\"c\":1.7976931348623157e+308,\"t\":\"1e400\"}", out.get(42));
    assertEquals("{\"id\":53,\"page\":5,\"k\":\"p5\",\"c\":30.000000000000004,\"t\":\"0.30000000000000004\"}", out.get(52));
    List<String> letters = Files.readAllLines(fs.getPath(summary.get("deadLetters").asText()));
    assertEquals(1, letters.size());
    assertTrue(letters.get(0).contains("\"record\":{\"id\":7,\"n\":1e400,\"xs\":[" + String.join(",", WRITTEN) + "]}"),
        letters.get(0));
  }
}

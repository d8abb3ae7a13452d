package dev.wiz.processors;

import static dev.wiz.processors.Harness.json;
import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processors.Harness.Ctx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTest {
  private final SampleFactory sample = new SampleFactory();

  /** n records 0..n-1 in chunks of the given size. */
  private static List<List<JsonNode>> numbers(int n, int chunkSize) {
    List<List<JsonNode>> chunks = new ArrayList<>();
    for (int start = 0; start < n; start += chunkSize) {
      List<JsonNode> c = new ArrayList<>();
      for (int i = start; i < Math.min(n, start + chunkSize); i++) c.add(IntNode.valueOf(i));
      chunks.add(c);
    }
    return chunks;
  }

  /** Runs the fraction mode over the chunks with the given chunk seeds (as the engine derives them). */
  private List<String> fraction(double f, List<List<JsonNode>> chunks, long... seeds) throws Exception {
    List<String> out = new ArrayList<>();
    try (Processor p = sample.prepare(json("{\"fraction\":" + f + "}"), Harness.SETUP).get()) {
      p.init(new Ctx());
      for (int i = 0; i < chunks.size(); i++) {
        out.addAll(strings(p.process(new Chunk("c" + i, i, chunks.get(i), seeds[i])).records()));
      }
    }
    return out;
  }

  @Test
  void fractionTheSameSeedGivesTheSameRecordsAndAnotherSeedOthers() throws Exception {
    List<List<JsonNode>> in = numbers(1000, 500);
    List<String> a = fraction(0.3, in, 11, 12);
    assertEquals(a, fraction(0.3, in, 11, 12));
    assertNotEquals(a, fraction(0.3, in, 21, 22));
    // each chunk depends on its own seed only: the engine may run them in any order or instance
    List<String> second = fraction(0.3, List.of(in.get(1)), 12);
    assertEquals(a.subList(a.size() - second.size(), a.size()), second);
  }

  @Test
  void fractionIsRoughlyRespectedOn100kRecords() throws Exception {
    List<List<JsonNode>> in = numbers(100_000, 1000);
    long[] seeds = new long[in.size()];
    for (int i = 0; i < seeds.length; i++) seeds[i] = 1000 + i;
    int kept = fraction(0.1, in, seeds).size();
    // deterministic; the binomial standard deviation is ~95, so this bound is ~10 of them wide
    assertTrue(kept > 9_000 && kept < 11_000, "kept " + kept);
  }

  @Test
  void fractionZeroKeepsNothingAndOneKeepsEverythingInOrder() throws Exception {
    assertEquals(List.of(), fraction(0, numbers(100, 100), 5));
    assertEquals(strings(numbers(100, 100).get(0)), fraction(1, numbers(100, 100), 5));
  }

  @Test
  void fractionKeepsRecordsUnchangedWhateverTheyHold() throws Exception {
    String huge = "{\"s\":\"" + "🙂".repeat(50_000) + "\",\"n\":123456789012345678901234567890}";
    List<JsonNode> odd = records("null", "{}", "[]", huge, "{\"a\":null}");
    assertEquals(strings(odd), fraction(1, List.of(odd), 3));
    assertEquals(List.of(), fraction(0.5, List.of(records()), 3));
  }

  @Test
  void sizeKeepsExactlySizeRecordsInInputOrderAtTheEnd() throws Exception {
    List<JsonNode> out = runChunks(sample, "{\"size\":10}", new Ctx(null, 7), numbers(1000, 64));
    assertEquals(10, out.size());
    List<Integer> values = out.stream().map(JsonNode::intValue).toList();
    assertEquals(values.stream().sorted().toList(), values, "input order");
    assertEquals(10, values.stream().distinct().count());
  }

  @Test
  void sizeTheSameSeedGivesTheSameSampleWhateverTheChunkSize() throws Exception {
    List<JsonNode> a = runChunks(sample, "{\"size\":25}", new Ctx(null, 7), numbers(5000, 100));
    assertEquals(a, runChunks(sample, "{\"size\":25}", new Ctx(null, 7), numbers(5000, 100)));
    assertEquals(a, runChunks(sample, "{\"size\":25}", new Ctx(null, 7), numbers(5000, 333)));
    assertNotEquals(a, runChunks(sample, "{\"size\":25}", new Ctx(null, 8), numbers(5000, 100)));
  }

  @Test
  void sizeSpreadsOverTheWholeInput() throws Exception {
    List<JsonNode> out = runChunks(sample, "{\"size\":1000}", new Ctx(null, 1), numbers(100_000, 1000));
    long late = out.stream().filter(v -> v.intValue() >= 50_000).count();
    assertTrue(late > 400 && late < 600, "records from the second half: " + late);
  }

  @Test
  void sizeLargerThanTheInputKeepsAllAndZeroKeepsNone() throws Exception {
    assertEquals(strings(numbers(7, 7).get(0)),
        strings(runChunks(sample, "{\"size\":2147483647}", new Ctx(), numbers(7, 3))));
    assertEquals(List.of(), runChunks(sample, "{\"size\":0}", new Ctx(), numbers(7, 3)));
    assertEquals(List.of(), runChunks(sample, "{\"size\":3}", new Ctx(), List.of(records(), records())));
  }

  @Test
  void sizeEmitsNothingBeforeTheEnd() throws Exception {
    try (Processor p = sample.prepare(json("{\"size\":2}"), Harness.SETUP).get()) {
      p.init(new Ctx());
      assertEquals(0, p.process(new Chunk("c0", 0, records("1", "2", "3"), 0)).size());
    }
  }

  @Test
  void itNeedsASeedAndOneInstance() {
    assertTrue(sample.needsSeed());
    assertFalse(sample.loadBalance());
  }

  @Test
  void exactlyOneOfFractionAndSize() throws Exception {
    assertEquals(List.of(), ConfigValidation.problems("sample", "{fraction: 0.5}"));
    assertEquals(List.of(), ConfigValidation.problems("sample", "{size: 3}"));
    String oneOf = ": give exactly one of 'fraction' (keep each record with that probability) and 'size' (keep that many records)";
    assertEquals(List.of("/processors/0/config" + oneOf), ConfigValidation.problems("sample", "{fraction: 0.5, size: 3}"));
    assertEquals(List.of("/processors/0/config" + oneOf), ConfigValidation.problems("sample", "{}"));
    assertEquals(1, ConfigValidation.problems("sample", "{fraction: 1.5}").size());
    assertEquals(1, ConfigValidation.problems("sample", "{size: -1}").size());
    assertEquals(1, Harness.check(sample, "{\"fraction\":0.5,\"size\":3}").size());
  }

  @Test
  void aFractionOfNanIsAProblemOfTheConfigNotOfWizsSchema() throws Exception {
    String cannot = " (YAML reads .nan, .inf and a float beyond 1.8e308, such as 1e400, so), which JSON cannot hold: write a number";
    assertEquals(List.of("/processors/0/config/fraction: expected a number, got NaN" + cannot),
        ConfigValidation.problems("sample", "{fraction: .nan}"));
    assertEquals(List.of("/processors/0/config/fraction: must be at most 1, got Infinity"),
        ConfigValidation.problems("sample", "{fraction: .inf}"));
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose aggregate spills to disk writes the bytes of one that holds every group in memory. */
class AggregateSpillRunTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: spill",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: CHUNK }",
      "processors:",
      "  - { id: valid, type: filter, config: { where: '.amount != null' } }",
      "  - id: by-user",
      "    type: aggregate",
      "    config:",
      "      groupBy: { user: '.user' }",
      "      aggregates:",
      "        n: { op: count }",
      "        total: { op: sum, of: '.amount' }",
      "        p90: { op: percentile, of: '.amount', p: 0.9 }",
      "        sd: { op: stddev, of: '.amount' }",
      "        first: { op: first, of: '.id' }",
      "        last: { op: last, of: '.id' }",
      "        tags: { op: collect-distinct, of: '.tag' }",
      "MEMORY",
      "sink: { type: file, path: out/users.jsonl }",
      "run: { workers: WORKERS, seed: 1 }",
      "");

  private static String input() {
    return IntStream.range(0, 2000)
        .mapToObj(i -> "{\"id\":" + i + ",\"user\":\"u" + (i * 7919 % 800) + "\",\"amount\":"
            + (i % 13 == 0 ? "null" : (i % 97) + "." + (i % 10)) + ",\"tag\":\"t" + (i % 7) + "\"}")
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static byte[] run(Path dir, int chunk, int workers, String memory) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("in.jsonl"), input());
    Files.writeString(dir.resolve("p.yaml"), PIPELINE.replace("CHUNK", "" + chunk).replace("WORKERS", "" + workers)
        .replace("MEMORY", memory.isEmpty() ? "" : "      memoryBytes: " + memory));
    CliHarness.Result r = new CliHarness(dir).run("-q", "run", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      for (Path run : runs.toList()) assertFalse(Files.exists(run.resolve("data")), "the run's data folder is removed: " + run);
    }
    return Files.readAllBytes(dir.resolve("out/users.jsonl"));
  }

  @Test
  void aSpillingAggregateWritesTheBytesOfOneInMemoryWhateverTheChunksAndWorkers(@TempDir Path tmp) throws Exception {
    byte[] memory = run(tmp.resolve("memory"), 1000, 1, "");
    assertEquals(800, new String(memory).lines().count());
    int k = 0;
    for (List<Object> c : List.<List<Object>>of(List.of(100, 2, "20000"), List.of(37, 3, "50000"))) {
      byte[] spilled = run(tmp.resolve("spilled-" + k++), (Integer) c.get(0), (Integer) c.get(1), (String) c.get(2));
      assertArrayEquals(memory, spilled, "chunks of " + c.get(0) + ", " + c.get(1) + " workers, memoryBytes " + c.get(2));
    }
  }

  @Test
  void validateTakesMemoryBytesAndRefusesOneBelowOne(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("p.yaml"), PIPELINE.replace("CHUNK", "10").replace("WORKERS", "1")
        .replace("MEMORY", "      memoryBytes: 0"));
    CliHarness.Result r = new CliHarness(tmp).run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().contains("memoryBytes"), r.toString());
  }
}

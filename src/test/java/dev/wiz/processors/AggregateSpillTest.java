package dev.wiz.processors;

import static dev.wiz.processors.Harness.json;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.Harness.Ctx;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aggregate past its memory bound: the groups go to spill files and come back to the same bytes. */
class AggregateSpillTest {
  /** Every operation, on numbers (.v, .b) and on values of any type (.w). */
  private static final String EVERY_OP = "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{"
      + "\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":\".v\"},\"a\":{\"op\":\"avg\",\"of\":\".v\"},"
      + "\"lo\":{\"op\":\"min\",\"of\":\".w\"},\"hi\":{\"op\":\"max\",\"of\":\".w\"},"
      + "\"f\":{\"op\":\"first\",\"of\":\".w\"},\"l\":{\"op\":\"last\",\"of\":\".w\"},"
      + "\"cd\":{\"op\":\"count-distinct\",\"of\":\".w\"},\"med\":{\"op\":\"median\",\"of\":\".v\"},"
      + "\"p9\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":0.9},"
      + "\"pr\":{\"op\":\"percentile\",\"of\":\".w\",\"p\":0.3,\"method\":\"nearest-rank\"},"
      + "\"c\":{\"op\":\"collect\",\"of\":\".w\"},\"cdist\":{\"op\":\"collect-distinct\",\"of\":\".w\"},"
      + "\"var\":{\"op\":\"var\",\"of\":\".v\"},\"sd\":{\"op\":\"stddev\",\"of\":\".v\"},"
      + "\"bs\":{\"op\":\"sum\",\"of\":\".b\"},\"bv\":{\"op\":\"var\",\"of\":\".b\"},\"ba\":{\"op\":\"avg\",\"of\":\".b\"}}}";

  private static final String[] KEYS = {"\"a\"", "\"b\"", "1", "1.0", "null", "[1,2]", "{\"x\":1}", "\"\u00e9t\u00e9\"", "2e0"};
  private static final String[] NUMBERS = {"1", "-3", "0.1", "2.50", "1e2", "0.1234567890123456789", "12345678901234567890123",
      "null", "7", "3.0", "1e-400", "-0.5"};
  private static final String[] ANY = {"\"x\"", "\"y\"", "1", "1.0", "true", "false", "null", "[1,\"a\"]", "{\"b\":2,\"a\":1}",
      "{\"a\":1,\"b\":2}", "2.5e1", "\"\"", "-0"};
  private static final String[] BIG = {"9223372036854775807", "3037000500", "-9223372036854775808", "3037000499", "5", "1e300"};

  /** Records in chunks: groups that come back all along the input, values of every kind. */
  private static List<List<JsonNode>> input(long seed, int records, int chunk) {
    Random r = new Random(seed);
    List<List<JsonNode>> chunks = new ArrayList<>();
    List<JsonNode> current = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      String k = r.nextInt(5) == 0 ? "\"g" + r.nextInt(60) + "\"" : KEYS[r.nextInt(KEYS.length)];
      StringBuilder b = new StringBuilder("{");
      if (r.nextInt(20) != 0) b.append("\"k\":").append(k).append(',');
      String v = k.equals("\"b\"") && r.nextInt(30) == 0 ? "1e400" : NUMBERS[r.nextInt(NUMBERS.length)];
      b.append("\"v\":").append(v).append(",\"w\":").append(ANY[r.nextInt(ANY.length)]);
      if (r.nextInt(4) != 0) b.append(",\"b\":").append(BIG[r.nextInt(BIG.length)]);
      current.add(json(b.append(",\"i\":").append(i).append('}').toString()));
      if (current.size() == chunk) {
        chunks.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) chunks.add(current);
    return chunks;
  }

  /** The records the processor emits, and the most spill files its data folder held after a chunk. */
  private record Outcome(List<String> out, int mostFiles) {}

  private static Outcome run(AggregateFactory f, String config, Path data, List<List<JsonNode>> chunks) throws Exception {
    Ctx ctx = new Ctx(data, 0);
    List<JsonNode> out = new ArrayList<>();
    int most = 0;
    try (Processor p = f.prepare(json(config), Harness.SETUP).get()) {
      p.init(ctx);
      long i = 0;
      for (List<JsonNode> records : chunks) {
        assertEquals(List.of(), p.process(new Chunk("c" + i, i, records, i)).records());
        i++;
        most = Math.max(most, files(data).size());
      }
      p.finish(out::add);
    }
    assertEquals(List.of(), ctx.rejected);
    assertEquals(List.of(), files(data), "the spill files are deleted");
    return new Outcome(strings(out), most);
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String withMemory(String config, long bytes) {
    return config.substring(0, config.length() - 1) + ",\"memoryBytes\":" + bytes + "}";
  }

  @Test
  void everyOperationGivesTheSameBytesAfterSpillingAsInMemory(@TempDir Path dir) throws Exception {
    List<List<JsonNode>> chunks = input(7, 600, 37);
    Outcome memory = run(new AggregateFactory(), EVERY_OP, dir.resolve("memory"), chunks);
    assertEquals(0, memory.mostFiles(), "the default bound holds these groups");
    assertTrue(memory.out().size() > 50, "many groups: " + memory.out().size());
    assertTrue(memory.out().stream().anyMatch(r -> r.contains("\"s\":1.7976931348623157e+308")), "1e400 made a sum infinite");
    assertTrue(memory.out().stream().anyMatch(r -> r.contains("\"k\":1,")), "1 and 1.0 are one group, shown as the first");
    int run = 0;
    for (long bytes : new long[] {1, 3_000, 20_000}) {
      for (int fanIn : new int[] {2, SortFactory.MAX_OPEN_RUNS}) {
        Outcome spilled = run(new AggregateFactory(fanIn), withMemory(EVERY_OP, bytes), dir.resolve("spill-" + run++), chunks);
        assertTrue(spilled.mostFiles() > 0, "memoryBytes " + bytes + " spilled");
        assertEquals(memory.out(), spilled.out(), "memoryBytes " + bytes + ", merging " + fanIn + " files at once");
      }
    }
  }

  @Test
  void aRecordAtATimeKeepsGroupsInTheOrderTheirFirstRecordCame(@TempDir Path dir) throws Exception {
    // Keys that arrive against their order, coming back after each spill: each record spills.
    String config = "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"f\":{\"op\":\"first\",\"of\":\".i\"},"
        + "\"l\":{\"op\":\"last\",\"of\":\".i\"},\"c\":{\"op\":\"collect\",\"of\":\".i\"},\"n\":{\"op\":\"count\"}},"
        + "\"memoryBytes\":1}";
    List<JsonNode> in = Harness.records("{\"k\":\"c\",\"i\":0}", "{\"k\":\"b\",\"i\":1}", "{\"k\":\"c\",\"i\":2}",
        "{\"k\":\"a\",\"i\":3}", "{\"k\":\"b\",\"i\":4}", "{\"k\":\"c\",\"i\":5}");
    Outcome out = run(new AggregateFactory(2), config, dir, List.of(in.subList(0, 2), in.subList(2, 4), in.subList(4, 6)));
    assertEquals(List.of("{\"k\":\"c\",\"f\":0,\"l\":5,\"c\":[0,2,5],\"n\":3}", "{\"k\":\"b\",\"f\":1,\"l\":4,\"c\":[1,4],\"n\":2}",
        "{\"k\":\"a\",\"f\":3,\"l\":3,\"c\":[3],\"n\":1}"), out.out());
    assertTrue(out.mostFiles() >= 2, "spilled: " + out.mostFiles());
  }

  @Test
  void manyGroupsPutBackInOrderThroughSpillFilesOfTheirOwn(@TempDir Path dir) throws Exception {
    // 1500 groups, each key unique, arriving in no order: the records made at the end pass the
    // bound too and are put in order through files merged 3 at a time.
    Random r = new Random(3);
    List<List<JsonNode>> chunks = new ArrayList<>();
    for (int c = 0; c < 15; c++) {
      List<JsonNode> records = new ArrayList<>();
      for (int i = 0; i < 100; i++) records.add(json("{\"id\":\"u" + r.nextInt(1_000_000) + "\",\"ms\":" + r.nextInt(1000) + "}"));
      chunks.add(records);
    }
    String config = "{\"groupBy\":{\"id\":\".id\"},\"aggregates\":{\"n\":{\"op\":\"count\"},\"ms\":{\"op\":\"sum\",\"of\":\".ms\"}}}";
    Outcome memory = run(new AggregateFactory(), config, dir.resolve("memory"), chunks);
    Outcome spilled = run(new AggregateFactory(3), withMemory(config, 10_000), dir.resolve("spilled"), chunks);
    assertTrue(spilled.mostFiles() > 3, "spilled " + spilled.mostFiles() + " times");
    assertEquals(memory.out(), spilled.out());
  }

  @Test
  void cancellingWhileMergingStopsAndDeletesTheSpillFiles(@TempDir Path dir) throws Exception {
    Ctx ctx = new Ctx(dir, 0);
    try (Processor p = new AggregateFactory().prepare(json(withMemory(EVERY_OP, 1)), Harness.SETUP).get()) {
      p.init(ctx);
      p.process(new Chunk("c0", 0, input(1, 60, 60).get(0), 0));
      assertTrue(!files(dir).isEmpty(), "spilled");
      ctx.cancelled = true;
      RunCancelledException e = assertThrows(RunCancelledException.class, () -> p.finish(r -> {}));
      assertEquals("aggregate: stopped emitting the groups: the run is being cancelled", e.getMessage());
    }
    assertEquals(List.of(), files(dir));
  }

  @Test
  void aFullDiskWhileSpillingFailsTheRunWhateverOnErrorSaysAndSaysWhy() throws Exception {
    Configuration small = Configuration.unix().toBuilder().setMaxSize(64 * 1024).setBlockSize(4096).build();
    try (FileSystem fs = Jimfs.newFileSystem(small)) {
      Path data = fs.getPath("/data");
      Ctx ctx = new Ctx(data, 0);
      List<JsonNode> big = new ArrayList<>();
      for (int i = 0; i < 2000; i++) big.add(json("{\"k\":" + i + ",\"s\":\"" + "x".repeat(100) + "\"}"));
      try (Processor p = new AggregateFactory().prepare(json("{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{"
          + "\"all\":{\"op\":\"collect\",\"of\":\".s\"}},\"memoryBytes\":200000}"), Harness.SETUP).get()) {
        p.init(ctx);
        ProcessorException e = assertThrows(ProcessorException.class, () -> p.process(new Chunk("c0", 0, big, 0)));
        assertTrue(e.outputInDoubt(), "the groups hold part of the chunk: passing over it would keep that part");
        assertTrue(e.getMessage().matches("aggregate: cannot write the spill file /data/aggregate-groups-\\d{6}\\.jsonl: "
            + "out of disk space: the disk of the state folder is full; free space there \\(or let aggregate hold more in"
            + " memory with memoryBytes, or name a state folder on a larger disk with --state-dir\\), then run again"),
            e.getMessage());
      }
      assertEquals(List.of(), files(data), "what was written of it is deleted");
    }
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.json;
import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.Harness.Ctx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortTest {
  private static final SortFactory F = new SortFactory();

  private static List<String> sort(String by, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = strings(runChunks(F, "{\"by\":" + by + "}", ctx, List.of(records(records))));
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void factoryIsOneInstanceThatDoesNotFork() {
    assertEquals("sort", F.type());
    assertFalse(F.loadBalance());
    assertFalse(F.forks());
  }

  @Test
  void sortsNumbersByValueAndStringsByCodePoint() throws Exception {
    assertEquals(List.of("{\"v\":-1.5}", "{\"v\":2}", "{\"v\":10}", "{\"v\":1E+2}", "{\"v\":1000}"),
        sort("[{\"key\":\".v\"}]", "{\"v\":10}", "{\"v\":1000}", "{\"v\":2}", "{\"v\":-1.5}", "{\"v\":1E+2}"));
    assertEquals(List.of("{\"v\":\"Z\"}", "{\"v\":\"a\"}", "{\"v\":\"ab\"}", "{\"v\":\"é\"}", "{\"v\":\"\uFFFD\"}", "{\"v\":\"😀\"}"),
        sort("[{\"key\":\".v\"}]", "{\"v\":\"😀\"}", "{\"v\":\"\uFFFD\"}", "{\"v\":\"é\"}", "{\"v\":\"ab\"}", "{\"v\":\"a\"}", "{\"v\":\"Z\"}"),
        "U+1F600 sorts after U+FFFD although its UTF-16 surrogates are smaller");
  }

  @Test
  void mixedTypesFollowJqOrder() throws Exception {
    assertEquals(List.of("{}", "{\"v\":false}", "{\"v\":true}", "{\"v\":0}", "{\"v\":\"0\"}", "{\"v\":[]}", "{\"v\":[0]}",
            "{\"v\":{}}", "{\"v\":{\"a\":2}}", "{\"v\":{\"a\":1,\"b\":0}}"),
        sort("[{\"key\":\".v\"}]", "{\"v\":{\"a\":1,\"b\":0}}", "{\"v\":[0]}", "{\"v\":\"0\"}", "{\"v\":true}", "{\"v\":{}}",
            "{\"v\":0}", "{\"v\":[]}", "{}", "{\"v\":false}", "{\"v\":{\"a\":2}}"));
  }

  @Test
  void hugeNumbersCompareExactly() throws Exception {
    assertEquals(List.of("{\"v\":-100000000000000000000000000000}", "{\"v\":9223372036854775807}",
            "{\"v\":9223372036854775808}", "{\"v\":12345678901234567891}", "{\"v\":1.5E19}",
            "{\"v\":100000000000000000000000000000}", "{\"v\":1.0E300}"),
        sort("[{\"key\":\".v\"}]", "{\"v\":1.0E300}", "{\"v\":12345678901234567891}", "{\"v\":9223372036854775808}",
            "{\"v\":-100000000000000000000000000000}", "{\"v\":9223372036854775807}", "{\"v\":1.5E19}",
            "{\"v\":100000000000000000000000000000}"));
    assertEquals(List.of("{\"v\":1}", "{\"v\":1.0}", "{\"v\":1}"),
        sort("[{\"key\":\".v\"}]", "{\"v\":1}", "{\"v\":1.0}", "{\"v\":1}"), "1 and 1.0 are equal: input order");
  }

  @Test
  void stableForEqualKeysAcrossChunks() throws Exception {
    List<List<JsonNode>> chunks = List.of(
        records("{\"k\":1,\"id\":\"a\"}", "{\"k\":0,\"id\":\"b\"}", "{\"k\":1.0,\"id\":\"c\"}"),
        records(),
        records("{\"k\":0,\"id\":\"d\"}", "{\"k\":1,\"id\":\"e\"}"));
    List<String> ids = runChunks(F, "{\"by\":[{\"key\":\".k\"}]}", new Ctx(), chunks).stream().map(r -> r.get("id").asText()).toList();
    assertEquals(List.of("b", "d", "a", "c", "e"), ids);
    List<String> desc = runChunks(F, "{\"by\":[{\"key\":\".k\",\"order\":\"desc\"}]}", new Ctx(), chunks).stream().map(r -> r.get("id").asText()).toList();
    assertEquals(List.of("a", "c", "e", "b", "d"), desc, "desc keeps equal keys in input order too");
  }

  @Test
  void nullsFirstOrLastWhateverTheOrder() throws Exception {
    String[] in = {"{\"v\":2,\"i\":1}", "{\"i\":2}", "{\"v\":1,\"i\":3}", "{\"v\":null,\"i\":4}", "{\"v\":false,\"i\":5}"};
    assertEquals(List.of(2, 4, 5, 3, 1), ids(sort("[{\"key\":\".v\"}]", in)), "asc: nulls first by default (jq order)");
    assertEquals(List.of(1, 3, 5, 2, 4), ids(sort("[{\"key\":\".v\",\"order\":\"desc\"}]", in)), "desc: nulls last by default");
    assertEquals(List.of(5, 3, 1, 2, 4), ids(sort("[{\"key\":\".v\",\"nulls\":\"last\"}]", in)));
    assertEquals(List.of(2, 4, 1, 3, 5), ids(sort("[{\"key\":\".v\",\"order\":\"desc\",\"nulls\":\"first\"}]", in)));
    assertEquals(List.of(1, 3, 5, 2, 4), ids(sort("[{\"key\":\".v\",\"order\":\"desc\",\"nulls\":\"last\"}]", in)));
  }

  private static List<Integer> ids(List<String> records) {
    return records.stream().map(r -> json(r).get("i").intValue()).toList();
  }

  @Test
  void multipleKeysMostSignificantFirst() throws Exception {
    assertEquals(List.of("{\"c\":\"de\",\"a\":9,\"id\":4}", "{\"c\":\"de\",\"a\":9,\"id\":5}", "{\"c\":\"fr\",\"a\":30,\"id\":2}",
            "{\"c\":\"fr\",\"a\":10,\"id\":1}", "{\"c\":\"fr\",\"a\":10,\"id\":3}", "{\"c\":\"fr\",\"id\":6}"),
        sort("[{\"key\":\".c\"},{\"key\":\".a\",\"order\":\"desc\",\"nulls\":\"last\"},{\"key\":\".id\"}]",
            "{\"c\":\"fr\",\"a\":10,\"id\":3}", "{\"c\":\"fr\",\"a\":30,\"id\":2}", "{\"c\":\"fr\",\"id\":6}",
            "{\"c\":\"de\",\"a\":9,\"id\":5}", "{\"c\":\"fr\",\"a\":10,\"id\":1}", "{\"c\":\"de\",\"a\":9,\"id\":4}"));
  }

  @Test
  void keysAreTheFirstOutputAndNoOutputIsNull() throws Exception {
    assertEquals(List.of("{\"t\":[]}", "{\"t\":[1,9]}", "{\"t\":[2,0]}"),
        sort("[{\"key\":\".t[]?\"}]", "{\"t\":[2,0]}", "{\"t\":[]}", "{\"t\":[1,9]}"));
  }

  @Test
  void processEmitsNothingUntilFinish() throws Exception {
    try (Processor p = F.prepare(json("{\"by\":[{\"key\":\".\"}]}"), Harness.SETUP).get()) {
      p.init(new Ctx());
      Chunk out = p.process(new Chunk("c0", 0, records("3", "1", "2"), 0));
      assertEquals(0, out.size());
      List<JsonNode> emitted = new ArrayList<>();
      p.finish(emitted::add);
      assertEquals(List.of("1", "2", "3"), strings(emitted), "records that are not objects sort as values");
    }
  }

  @Test
  void emptyInputGivesNothing() throws Exception {
    assertEquals(List.of(), sort("[{\"key\":\".a\"}]"));
    assertEquals(List.of(), runChunks(F, "{\"by\":[{\"key\":\".a\"}]}", new Ctx(), List.of(records(), records())));
  }

  @Test
  void aJqErrorRejectsTheRecord() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = strings(runChunks(F, "{\"by\":[{\"key\":\".tags | keys\"}]}", ctx,
        List.of(records("{\"tags\":{\"b\":1}}", "{\"tags\":5}", "{\"tags\":{\"a\":1}}"))));
    assertEquals(List.of("{\"tags\":{\"a\":1}}", "{\"tags\":{\"b\":1}}"), out);
    assertEquals(1, ctx.rejected.size());
    assertTrue(ctx.rejected.get(0).startsWith("{\"tags\":5} sort: "), ctx.rejected.get(0));
  }

  @Test
  void checkCompilesEveryKeyAndPointsAtIt() {
    List<ConfigProblem> p = check(F, "{\"by\":[{\"key\":\".a\"},{\"key\":\".b |\"},{\"key\":\"nosuch\"}]}");
    assertEquals(List.of("/by/1/key", "/by/2/key"), p.stream().map(ConfigProblem::pointer).toList(), p.toString());
    assertTrue(p.get(0).message().startsWith("jq syntax error"), p.get(0).message());
    assertEquals("jq: unknown function nosuch/0 in 'nosuch'", p.get(1).message());
    assertEquals(List.of(), check(F, "{\"by\":[{\"key\":\".a\",\"order\":\"desc\"}]}"));
  }

  /** 1000 records in chunks of 37 with many equal keys, nulls and mixed types. */
  private static List<List<JsonNode>> bigInput() {
    Random random = new Random(42);
    List<List<JsonNode>> chunks = new ArrayList<>();
    List<JsonNode> chunk = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ObjectNode r = JsonNodeFactory.instance.objectNode();
      r.put("i", i);
      switch (random.nextInt(6)) {
        case 0 -> r.putNull("k");
        case 1 -> r.put("k", "s" + random.nextInt(20) + "é😀");
        case 2 -> r.put("k", random.nextInt(30) / 2.0);
        case 3 -> r.put("k", new BigInteger("1" + "0".repeat(25)).add(BigInteger.valueOf(random.nextInt(5))));
        case 4 -> r.put("k", random.nextBoolean());
        default -> { } // missing
      }
      r.put("g", random.nextInt(3));
      chunk.add(r);
      if (chunk.size() == 37) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
      }
    }
    chunks.add(chunk);
    return chunks;
  }

  private static final String BIG_SORT = "[{\"key\":\".g\",\"order\":\"desc\"},{\"key\":\".k\",\"nulls\":\"last\"}]";

  @Test
  void cancellingTheRunStopsTheEmittingAsCancelledInMemoryAndWhileMerging(@TempDir Path dir) throws Exception {
    for (String memoryRecords : List.of("100000", "3")) {
      Ctx ctx = new Ctx(dir.resolve("data-" + memoryRecords), 0);
      List<JsonNode> emitted = new ArrayList<>();
      try (Processor p = F.prepare(json("{\"by\":" + BIG_SORT + ",\"memoryRecords\":" + memoryRecords + "}"),
          Harness.SETUP).get()) {
        p.init(ctx);
        long i = 0;
        for (List<JsonNode> records : bigInput()) p.process(new Chunk("c" + i, i++, records, 0));
        RunCancelledException e = assertThrows(RunCancelledException.class, () -> p.finish(r -> {
          emitted.add(r);
          ctx.cancelled = true; // SIGINT after the first record
        }));
        assertEquals("sort: stopped emitting the sorted records: the run is being cancelled", e.getMessage());
      }
      assertEquals(1, emitted.size(), "memoryRecords " + memoryRecords);
      assertEquals(List.of(), files(dir.resolve("data-" + memoryRecords)), "the runs are deleted");
    }
  }

  @Test
  void numbersComeBackFromASpillFileWithTheirTextAndKind(@TempDir Path dir) throws Exception {
    List<JsonNode> in = new ArrayList<>(records("{\"k\":1e10,\"v\":[41.0,-0,1.10]}", "{\"k\":1E+400,\"v\":{\"a\":5e-324}}",
        "{\"k\":-0.0,\"v\":1e2}", "{\"k\":41.37,\"v\":12345678901234567890}"));
    in.add(Json.mapper().createObjectNode().put("k", 3.0).put("v", Double.NaN)); // computed: plain doubles
    in.add(Json.mapper().createObjectNode().put("k", 1e19).set("v", dev.wiz.JsonNumbers.floating(2)));
    List<JsonNode> memory = runChunks(F, "{\"by\":[{\"key\":\".k\"}]}", new Ctx(), List.of(in));
    List<JsonNode> spilled = runChunks(F, "{\"by\":[{\"key\":\".k\"}],\"memoryRecords\":1}",
        new Ctx(dir.resolve("data"), 0), List.of(in));
    assertEquals(List.of("{\"k\":-0.0,\"v\":1e2}", "{\"k\":3,\"v\":null}", "{\"k\":41.37,\"v\":12345678901234567890}",
        "{\"k\":1e10,\"v\":[41.0,-0,1.10]}", "{\"k\":1e+19,\"v\":2.0}", "{\"k\":1E+400,\"v\":{\"a\":5e-324}}"),
        strings(spilled));
    assertEquals(strings(memory), strings(spilled));
    assertEquals(memory, spilled, "the same nodes: plain doubles stay plain, written numbers written");
    assertEquals(List.of(), files(dir.resolve("data")));
  }

  @Test
  void spillingGivesTheSameOrderAsMemoryAndLeavesNoFiles(@TempDir Path dir) throws Exception {
    List<List<JsonNode>> in = bigInput();
    List<String> memory = strings(runChunks(F, "{\"by\":" + BIG_SORT + "}", new Ctx(), in));

    Path data = dir.resolve("data");
    Ctx ctx = new Ctx(data, 0);
    List<JsonNode> spilled = new ArrayList<>();
    List<List<String>> seenDuringMerge = new ArrayList<>();
    try (Processor p = F.prepare(json("{\"by\":" + BIG_SORT + ",\"memoryRecords\":3}"), Harness.SETUP).get()) {
      p.init(ctx);
      long i = 0;
      for (List<JsonNode> records : in) assertEquals(0, p.process(new Chunk("c" + i, i++, records, 0)).size());
      assertEquals(333, files(data).size(), "a run of 3 records per spill");
      p.finish(r -> {
        if (spilled.isEmpty()) {
          try {
            seenDuringMerge.add(files(data));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        spilled.add(r);
      });
      assertEquals(List.of(), files(data), "the runs are deleted after the merge");
    }
    // 333 runs are more than a merge reads at once (64 files): merged in groups of 64 first, 6 runs left
    assertEquals(List.of("sort-merge-000000.jsonl", "sort-merge-000001.jsonl", "sort-merge-000002.jsonl",
        "sort-merge-000003.jsonl", "sort-merge-000004.jsonl", "sort-merge-000005.jsonl"), seenDuringMerge.get(0));
    assertEquals(memory, strings(spilled));
    assertEquals(1000, spilled.size());
    assertEquals(List.of(), ctx.rejected);

    // stable: among equal keys, input order (the ids grow)
    for (int j = 1; j < spilled.size(); j++) {
      JsonNode a = spilled.get(j - 1);
      JsonNode b = spilled.get(j);
      if (a.get("g").equals(b.get("g")) && JsonOrder.compareValues(a.path("k"), b.path("k")) == 0) {
        assertTrue(a.get("i").intValue() < b.get("i").intValue(), a + " before " + b);
      }
    }
  }

  @Test
  void manyRunsAreMergedInPassesReadingAFewFilesAtOnceAndStayStable(@TempDir Path dir) throws Exception {
    List<List<JsonNode>> in = bigInput();
    List<String> memory = strings(runChunks(F, "{\"by\":" + BIG_SORT + "}", new Ctx(), in));
    SortFactory threeAtOnce = new SortFactory(3);
    Path data = dir.resolve("data");
    List<JsonNode> out = new ArrayList<>();
    List<List<String>> seenDuringMerge = new ArrayList<>();
    try (Processor p = threeAtOnce.prepare(json("{\"by\":" + BIG_SORT + ",\"memoryRecords\":7}"), Harness.SETUP).get()) {
      p.init(new Ctx(data, 0));
      long i = 0;
      for (List<JsonNode> records : in) p.process(new Chunk("c" + i, i++, records, 0));
      assertEquals(142, files(data).size(), "a run of 7 records per spill");
      p.finish(r -> {
        if (out.isEmpty()) {
          try {
            seenDuringMerge.add(files(data));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        out.add(r);
      });
      assertEquals(List.of(), files(data), "every run and merged run is deleted");
    }
    // 142 runs, 48, 16, 6, 2: the last merge reads two files and what is still in memory
    assertEquals(2, seenDuringMerge.get(0).size(), seenDuringMerge.get(0).toString());
    assertEquals(memory, strings(out));
    for (int j = 1; j < out.size(); j++) {
      JsonNode a = out.get(j - 1);
      JsonNode b = out.get(j);
      if (a.get("g").equals(b.get("g")) && JsonOrder.compareValues(a.path("k"), b.path("k")) == 0) {
        assertTrue(a.get("i").intValue() < b.get("i").intValue(), a + " before " + b);
      }
    }
  }

  @Test
  void boundsBeyond64BitsMeanNoBoundNotTheirLow64Bits(@TempDir Path dir) throws Exception {
    for (String bounds : List.of("\"memoryRecords\":18446744073709551617", "\"memoryRecords\":9223372036854775808",
        "\"memoryBytes\":18446744073709551617", "\"memoryRecords\":1e20")) {
      Path data = dir.resolve("d" + bounds.hashCode());
      try (Processor p = F.prepare(json("{\"by\":" + BIG_SORT + "," + bounds + "}"), Harness.SETUP).get()) {
        p.init(new Ctx(data, 0));
        long i = 0;
        for (List<JsonNode> records : bigInput()) p.process(new Chunk("c" + i, i++, records, 0));
        assertEquals(List.of(), files(data), bounds + ": nothing spilled");
      }
    }
  }

  @Test
  void theByteBoundSpillsToo(@TempDir Path dir) throws Exception {
    List<List<JsonNode>> in = bigInput();
    List<String> memory = strings(runChunks(F, "{\"by\":" + BIG_SORT + "}", new Ctx(), in));
    List<JsonNode> out = new ArrayList<>();
    int[] runs = {0};
    Path data = dir.resolve("d");
    try (Processor p = F.prepare(json("{\"by\":" + BIG_SORT + ",\"memoryBytes\":20000}"), Harness.SETUP).get()) {
      p.init(new Ctx(data, 0));
      long i = 0;
      for (List<JsonNode> records : in) p.process(new Chunk("c" + i, i++, records, 0));
      runs[0] = files(data).size();
      p.finish(out::add);
    }
    assertTrue(runs[0] > 5, "spilled " + runs[0] + " runs");
    assertEquals(memory, strings(out));
    assertEquals(List.of(), files(data));
  }

  @Test
  void closeWithoutFinishDeletesTheSpillFiles(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("d");
    try (Processor p = F.prepare(json("{\"by\":[{\"key\":\".\"}],\"memoryRecords\":2}"), Harness.SETUP).get()) {
      p.init(new Ctx(data, 0));
      p.process(new Chunk("c0", 0, records("5", "4", "3", "2", "1"), 0));
      assertEquals(List.of("sort-run-000000.jsonl", "sort-run-000001.jsonl"), files(data));
      assertEquals("[[4],4]\n[[5],5]\n", Files.readString(data.resolve("sort-run-000000.jsonl")),
          "JSON lines with the keys before the record");
    }
    assertEquals(List.of(), files(data), "a run that fails before finish leaves nothing behind");
  }

  @Test
  void aFullDiskUnderTheSpillFilesIsSaidToBeFullWithWhatToDo() throws Exception {
    try (java.nio.file.FileSystem small = com.google.common.jimfs.Jimfs.newFileSystem(
        com.google.common.jimfs.Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(8 * 1024).build())) {
      Path data = small.getPath("/state/d");
      String big = "\"" + "x".repeat(3000) + "\"";
      try (Processor p = F.prepare(json("{\"by\":[{\"key\":\".\"}],\"memoryRecords\":1}"), Harness.SETUP).get()) {
        p.init(new Ctx(data, 0));
        ProcessorException e = org.junit.jupiter.api.Assertions.assertThrows(ProcessorException.class,
            () -> p.process(new Chunk("c0", 0, records(big, big, big, big), 0)));
        assertTrue(e.getMessage().startsWith("sort: cannot write the spill file /state/d/sort-run-00000"), e.getMessage());
        assertTrue(e.outputInDoubt(), "the run fails whatever run.onError says: the sort holds part of the chunk");
        assertTrue(e.getMessage().endsWith(": out of disk space: the disk of the state folder is full; free space there"
            + " (or let the sort hold more in memory with memoryRecords and memoryBytes, or name a state folder on a"
            + " larger disk with --state-dir), then run again"), e.getMessage());
      }
      assertEquals(List.of(), files(data), "the spill files written are removed");
    }
  }

  @Test
  void valuesComeBackFromSpillFilesExactly(@TempDir Path dir) throws Exception {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> in = new ArrayList<>();
    JsonNode[] values = {
        DecimalNode.valueOf(new BigDecimal("0.30")), DoubleNode.valueOf(0.3), DecimalNode.valueOf(new BigDecimal("1E+3")),
        DoubleNode.valueOf(1e20), DecimalNode.valueOf(new BigDecimal("12345678901234567890.123456789")),
        f.numberNode(new BigInteger("123456789012345678901234567890")), LongNode.valueOf(5), FloatNode.valueOf(1.5f),
        DoubleNode.valueOf(Double.POSITIVE_INFINITY), DoubleNode.valueOf(Double.NEGATIVE_INFINITY),
        DoubleNode.valueOf(Double.NaN), f.textNode("\"quoted\"\n\u0000 and 😀 " + "x".repeat(100_000)), f.nullNode()};
    for (int i = 0; i < values.length; i++) {
      ObjectNode r = f.objectNode();
      r.put("i", i);
      r.set("v", values[i]);
      r.set("nested", f.arrayNode().add(values[i]).add(f.objectNode().set("w", values[i])));
      in.add(r);
    }
    String by = "{\"by\":[{\"key\":\".v\"},{\"key\":\".i\"}]";
    List<JsonNode> memory = runChunks(F, by + "}", new Ctx(), List.of(in));
    List<JsonNode> spilled = runChunks(F, by + ",\"memoryRecords\":1}", new Ctx(dir, 0), List.of(in));
    assertEquals(Json.mapper().writeValueAsString(memory), Json.mapper().writeValueAsString(spilled), "the same text");
    assertEquals(List.of(12, 10, 9, 0, 1, 7, 6, 2, 4, 3, 5, 8, 11), spilled.stream().map(r -> r.get("i").intValue()).toList(),
        "null, NaN, -inf, the numbers by value (0.3 and 0.30 equal, input order), +inf, the string");
  }

  @Test
  void recordsBeyondWhatWizReadsComeBackFromSpillFiles(@TempDir Path dir) throws Exception {
    // What a jq step may make: nested deeper, and a string, a key and a number longer, than an
    // input may hold (1000 levels, 20000000 characters, 50000 bytes, 1000 digits).
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode deep = f.nullNode();
    for (int i = 0; i < 2000; i++) deep = f.arrayNode().add(deep);
    ObjectNode wide = f.objectNode();
    wide.put("k".repeat(60_000), "x".repeat(20_000_001));
    wide.set("n", f.numberNode(new BigInteger("7".repeat(1500))));
    List<JsonNode> in = List.of(f.objectNode().put("i", 2).set("v", deep), wide.put("i", 1), f.objectNode().put("i", 0));
    List<JsonNode> spilled = runChunks(F, "{\"by\":[{\"key\":\".i\"}],\"memoryRecords\":1}", new Ctx(dir, 0), List.of(in));
    // Jackson's equals goes through the 2000 levels a Java frame or more each: on a thread with
    // room for them (the default 1 MB stack overflowed now and then, with the frames the
    // interpreter makes before the JIT compiles equals).
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread check = new Thread(null, () -> {
      try {
        assertEquals(List.of(in.get(2), in.get(1), in.get(0)), spilled);
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "deep-equals", 64L << 20);
    check.start();
    check.join();
    if (failed.get() instanceof AssertionError e) throw e;
    if (failed.get() != null) throw new AssertionError("comparing the records", failed.get());
  }
}

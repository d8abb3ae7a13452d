package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processors.Harness.Ctx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A stack overflow while a step works on one record rejects that record, as a jq error does; the
 * records after it in the chunk, and the chunks after it, go through the same instance. Each case
 * runs on a thread of a known, small stack, so it overflows at once whatever the JVM's defaults.
 */
class StackOverflowRecordsTest {
  /** Calls itself once per step: 100000 levels overflow any stack a JVM gives a thread by default. */
  private static final String RECURSE = "def f: if . < 100000 then . + 1 | f else . end;";

  /** {"id":2,"d":[[[...1...]]]}, the array nested {@code depth} levels deep. */
  private static JsonNode deep(int depth) {
    JsonNode v = Json.mapper().getNodeFactory().numberNode(1);
    for (int i = 0; i < depth; i++) {
      ArrayNode a = Json.mapper().createArrayNode();
      a.add(v);
      v = a;
    }
    ObjectNode r = Json.mapper().createObjectNode();
    r.put("id", 2);
    r.set("d", v);
    return r;
  }

  /** Runs {@code work} on a thread with a stack of {@code kib} KiB; what it returned, or what it threw. */
  private static <T> T onSmallStack(int kib, Callable<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(work.call());
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, "small-stack", kib * 1024L);
    long t0 = System.nanoTime();
    t.start();
    t.join();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    if (thrown.get() instanceof Exception e) throw e;
    if (thrown.get() != null) throw new AssertionError("the processor let out " + thrown.get(), thrown.get());
    assertTrue(millis < 5000, "an overflow is quick: " + millis + " ms");
    return result.get();
  }

  /** Two chunks through one instance: ids 1 and 2, then 3; the record that is {@code bad} overflows. */
  private static List<String> twoChunks(ProcessorFactory f, String config, Ctx ctx, JsonNode bad) throws Exception {
    List<List<JsonNode>> chunks = List.of(
        List.of(Harness.json("{\"id\":1}"), bad, Harness.json("{\"id\":3}")),
        List.of(Harness.json("{\"id\":4}")));
    return onSmallStack(512, () -> Harness.strings(Harness.runChunks(f, config, ctx, chunks)));
  }

  private static List<String> reasons(Ctx ctx) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ctx.rejected.size(); i++) {
      String line = ctx.rejected.get(i);
      out.add(line.substring(line.indexOf(' ') + 1)); // after the record's compact JSON
    }
    return out;
  }

  private static String config(String field, String program) {
    return Json.mapper().createObjectNode().put(field, program).toString();
  }

  @Test
  void aJqProgramThatRecursesTooDeepOnOneRecordRejectsItAndTheRestGoOn() throws Exception {
    Ctx ctx = new Ctx();
    JsonNode bad = Harness.json("{\"id\":2,\"from\":0}");
    List<String> out = twoChunks(new JqFactory(), config("program", RECURSE + " if .from then (.from | f) else .id end"), ctx, bad);
    assertEquals(List.of("1", "3", "4"), out, "the records after it, and the next chunk, on the same instance");
    assertEquals(List.of(bad), ctx.rejectedRecords);
    assertEquals(List.of("jq: " + TooDeep.JQ), reasons(ctx));
    assertTrue(TooDeep.JQ.startsWith("recursion or nesting too deep (stack overflow) on this record: give wiz's threads"
        + " a larger stack (WIZ_JAVA_OPTS=-Xss8m bin/wiz ...)"), TooDeep.JQ);
  }

  @Test
  void aFilterThatRecursesTooDeepOnOneRecordRejectsIt() throws Exception {
    Ctx ctx = new Ctx();
    JsonNode bad = Harness.json("{\"id\":2,\"from\":0}");
    List<String> out = twoChunks(new FilterFactory(), config("where", RECURSE + " (.from // 100000 | f) > 0"), ctx, bad);
    assertEquals(List.of("{\"id\":1}", "{\"id\":3}", "{\"id\":4}"), out);
    assertEquals(List.of(bad), ctx.rejectedRecords);
    assertEquals(List.of("filter: " + TooDeep.JQ), reasons(ctx));
  }

  @Test
  void aRecordNestedTooDeepForWalkIsRejectedByTheFilter() throws Exception {
    // walk recurses once per level of the record: the record's depth, not the program, overflows.
    // Nearly 1000 levels, as deep as wiz reads, on 160 KiB: walk goes through some 360 levels there at
    // most, the JSON text of the record in the rejection all 1000.
    Ctx ctx = new Ctx();
    JsonNode bad = deep(998);
    List<JsonNode> in = List.of(Harness.json("{\"id\":1}"), bad, Harness.json("{\"id\":3}"));
    List<String> out = onSmallStack(160,
        () -> Harness.strings(Harness.process(new FilterFactory(), config("where", "walk(.) | .id > 0"), ctx, in).records()));
    assertEquals(List.of("{\"id\":1}", "{\"id\":3}"), out, "the record after it, on the same instance");
    assertEquals(1, ctx.rejectedRecords.size());
    assertTrue(ctx.rejectedRecords.get(0) == bad, "the record itself");
    assertEquals(List.of("filter: " + TooDeep.JQ), reasons(ctx));
  }

  @Test
  void aRecordNestedTooDeepForFlattenOrUnflattenIsRejectedAndTheRestGoOn() throws Exception {
    // flatten goes down the record one Java frame a level; unflatten down the objects it made, one
    // a name of the longest key: 998 levels, as deep as wiz reads, overflow a small stack.
    JsonNode deepKey = Harness.json("{\"id\":2,\"" + "a.".repeat(5000) + "z\":1}");
    Object[][] cases = {{new FlattenFactory(), deep(998), List.of("{\"id\":1}", "{\"id\":3}")},
        {new UnflattenFactory(), deepKey, List.of("{\"id\":1}", "{\"id\":3}")}};
    for (Object[] c : cases) {
      ProcessorFactory f = (ProcessorFactory) c[0];
      JsonNode bad = (JsonNode) c[1];
      Ctx ctx = new Ctx();
      List<JsonNode> in = List.of(Harness.json("{\"id\":1}"), bad, Harness.json("{\"id\":3}"));
      List<String> out = onSmallStack(160, () -> Harness.strings(Harness.process(f, "{}", ctx, in).records()));
      assertEquals(c[2], out, f.type() + ": the record after it, on the same instance");
      assertTrue(ctx.rejectedRecords.size() == 1 && ctx.rejectedRecords.get(0) == bad, f.type() + ": the record itself");
      assertEquals(List.of(f.type() + ": " + TooDeep.RECORD), reasons(ctx));
    }
  }

  @Test
  void aRecordNestedTooDeepToSizeForSortingIsRejectedBySort() throws Exception {
    // sort goes through every record to size what it holds: the record's depth overflows there.
    Ctx ctx = new Ctx();
    JsonNode bad = deep(998);
    List<JsonNode> in = List.of(Harness.json("{\"id\":3}"), bad, Harness.json("{\"id\":1}"));
    List<String> out = onSmallStack(136, () -> Harness.strings(
        Harness.process(new SortFactory(), "{\"by\":[{\"key\":\".id\"}]}", ctx, in).records()));
    assertEquals(List.of(), out, "sort emits at end of input");
    assertTrue(ctx.rejectedRecords.size() == 1 && ctx.rejectedRecords.get(0) == bad, "the record itself");
    assertEquals(List.of("sort: " + TooDeep.JQ), reasons(ctx));
  }

  @Test
  void theOtherStepsThatRunJqOnEachRecordRejectTheOneThatOverflows() throws Exception {
    JsonNode bad = Harness.json("{\"id\":2,\"from\":0}");
    String key = RECURSE + " if .from then (.from | f) else .id end";
    Object[][] cases = {
        {new SetFactory(), "{\"fields\":{\"k\":" + Json.mapper().writeValueAsString(key) + "}}",
            List.of("{\"id\":1,\"k\":1}", "{\"id\":3,\"k\":3}", "{\"id\":4,\"k\":4}"), "set: field 'k': " + TooDeep.JQ},
        {new DedupeFactory(), config("key", key), List.of("{\"id\":1}", "{\"id\":3}", "{\"id\":4}"),
            "dedupe: key " + key + ": " + TooDeep.JQ},
        {new SortFactory(), "{\"by\":[{\"key\":" + Json.mapper().writeValueAsString(key) + ",\"order\":\"desc\"}]}",
            List.of("{\"id\":4}", "{\"id\":3}", "{\"id\":1}"), "sort: " + TooDeep.JQ},
        {new AggregateFactory(), "{\"groupBy\":{\"big\":\".id > 2\"},\"aggregates\":{\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":"
            + Json.mapper().writeValueAsString(key) + "}}}",
            List.of("{\"big\":false,\"n\":1,\"s\":1}", "{\"big\":true,\"n\":2,\"s\":7}"), "aggregate: " + TooDeep.JQ}};
    for (Object[] c : cases) {
      ProcessorFactory f = (ProcessorFactory) c[0];
      Ctx ctx = new Ctx(java.nio.file.Files.createTempDirectory("wiz-so"), 0);
      List<String> out = twoChunks(f, (String) c[1], ctx, bad);
      assertEquals(c[2], out, f.type());
      assertEquals(List.of(bad), ctx.rejectedRecords, f.type());
      assertEquals(List.of(c[3]), reasons(ctx), f.type());
    }
  }
}

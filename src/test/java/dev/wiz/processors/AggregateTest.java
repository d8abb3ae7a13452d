package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.Harness.Ctx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateTest {
  private static final AggregateFactory F = new AggregateFactory();

  private static List<String> agg(String config, Ctx ctx, String... records) throws Exception {
    return strings(runChunks(F, config, ctx, List.of(records(records))));
  }

  private static List<String> agg(String config, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = agg(config, ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void factoryIsOneInstanceThatDoesNotFork() {
    assertEquals("aggregate", F.type());
    assertFalse(F.loadBalance());
    assertFalse(F.forks());
  }

  @Test
  void cancellingTheRunStopsTheEmittingOfGroupsAsCancelled() throws Exception {
    Ctx ctx = new Ctx();
    List<JsonNode> emitted = new ArrayList<>();
    try (Processor p = F.prepare(Harness.json("{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"n\":{\"op\":\"count\"}}}"),
        Harness.SETUP).get()) {
      p.init(ctx);
      p.process(new Chunk("c0", 0, records("{\"k\":1}", "{\"k\":2}", "{\"k\":3}"), 0));
      RunCancelledException e = assertThrows(RunCancelledException.class, () -> p.finish(r -> {
        emitted.add(r);
        ctx.cancelled = true;
      }));
      assertEquals("aggregate: stopped emitting the groups: the run is being cancelled", e.getMessage());
    }
    assertEquals(List.of("{\"k\":1,\"n\":1}"), strings(emitted));
  }

  @Test
  void groupsInFirstSeenOrderWithFieldsThenAggregatesInConfigOrder() throws Exception {
    String config = "{\"groupBy\":{\"country\":\".country\",\"day\":\".time[0:10]\"},"
        + "\"aggregates\":{\"orders\":{\"op\":\"count\"},\"revenue\":{\"op\":\"sum\",\"of\":\".amount\"},"
        + "\"users\":{\"op\":\"count-distinct\",\"of\":\".user\"},\"first_seen\":{\"op\":\"min\",\"of\":\".time\"}}}";
    List<List<JsonNode>> chunks = List.of(
        records("{\"country\":\"fr\",\"time\":\"2024-05-01T09:00\",\"amount\":10,\"user\":\"a\"}",
            "{\"country\":\"de\",\"time\":\"2024-05-01T10:00\",\"amount\":5,\"user\":\"b\"}"),
        records(),
        records("{\"country\":\"fr\",\"time\":\"2024-05-01T08:00\",\"amount\":20.5,\"user\":\"a\"}",
            "{\"country\":\"fr\",\"time\":\"2024-05-02T08:00\",\"amount\":1,\"user\":\"c\"}",
            "{\"country\":\"fr\",\"time\":\"2024-05-01T12:00\",\"amount\":0,\"user\":\"d\"}"));
    Ctx ctx = new Ctx();
    List<String> out = strings(runChunks(F, config, ctx, chunks));
    assertEquals(List.of(
        "{\"country\":\"fr\",\"day\":\"2024-05-01\",\"orders\":3,\"revenue\":30.5,\"users\":2,\"first_seen\":\"2024-05-01T08:00\"}",
        "{\"country\":\"de\",\"day\":\"2024-05-01\",\"orders\":1,\"revenue\":5,\"users\":1,\"first_seen\":\"2024-05-01T10:00\"}",
        "{\"country\":\"fr\",\"day\":\"2024-05-02\",\"orders\":1,\"revenue\":1,\"users\":1,\"first_seen\":\"2024-05-02T08:00\"}"), out);
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void processEmitsNothingAndFinishEmitsTheGroups() throws Exception {
    try (Processor p = F.prepare(Harness.json("{\"groupBy\":{\"k\":\".k\"}}"), Harness.SETUP).get()) {
      p.init(new Ctx());
      Chunk out = p.process(new Chunk("c0", 0, records("{\"k\":1}", "{\"k\":2}", "{\"k\":1}"), 0));
      assertEquals(0, out.size());
      assertEquals("c0", out.id());
      List<JsonNode> emitted = new ArrayList<>();
      p.finish(emitted::add);
      assertEquals(List.of("{\"k\":1}", "{\"k\":2}"), strings(emitted), "groupBy alone gives the distinct keys");
    }
  }

  @Test
  void everyOperation() throws Exception {
    String config = "{\"aggregates\":{\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":\".v\"},"
        + "\"lo\":{\"op\":\"min\",\"of\":\".v\"},\"hi\":{\"op\":\"max\",\"of\":\".v\"},\"mean\":{\"op\":\"avg\",\"of\":\".v\"},"
        + "\"f\":{\"op\":\"first\",\"of\":\".v\"},\"l\":{\"op\":\"last\",\"of\":\".v\"},\"d\":{\"op\":\"count-distinct\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"n\":6,\"s\":9.0,\"lo\":1.0,\"hi\":4,\"mean\":2.25,\"f\":3,\"l\":1,\"d\":3}"),
        agg(config, "{\"v\":3}", "{}", "{\"v\":4}", "{\"v\":null}", "{\"v\":1.0}", "{\"v\":1}"),
        "null and missing skipped by all but count; 1.0 and 1 are one distinct value; 1.0 makes the sum a decimal");
  }

  @Test
  void sumIsExactAndIntegersStayIntegers() throws Exception {
    String sum = "{\"aggregates\":{\"s\":{\"op\":\"sum\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"s\":0.3}"), agg(sum, "{\"v\":0.1}", "{\"v\":0.2}"));
    assertEquals(List.of("{\"s\":6}"), agg(sum, "{\"v\":1}", "{\"v\":2}", "{\"v\":3}"));
    assertEquals(List.of("{\"s\":3.0}"), agg(sum, "{\"v\":1.5}", "{\"v\":1.5}"), "a decimal sum stays a decimal");
    assertEquals(List.of("{\"s\":18446744073709551614}"),
        agg(sum, "{\"v\":9223372036854775807}", "{\"v\":9223372036854775807}"), "past the long range");
    assertEquals(List.of("{\"s\":-1}"),
        agg(sum, "{\"v\":9223372036854775807}", "{\"v\":9223372036854775807}", "{\"v\":-18446744073709551615}"),
        "back inside the long range");
    assertEquals(List.of("{\"s\":100000000000000000000000000000000000000001}"),
        agg(sum, "{\"v\":100000000000000000000000000000000000000000}", "{\"v\":1}"));
    assertEquals(List.of("{\"s\":10000000000000000.5}"),
        agg(sum, "{\"v\":10000000000000000}", "{\"v\":0.5}"), "more digits than a double holds: the exact decimal");
    assertEquals(List.of("{\"s\":0}"), agg(sum, "{\"v\":null}", "{}"), "nothing to sum is 0");
  }

  @Test
  void avgIsADoubleOfTheExactSum() throws Exception {
    String avg = "{\"aggregates\":{\"a\":{\"op\":\"avg\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"a\":1.5}"), agg(avg, "{\"v\":1}", "{\"v\":2}"));
    assertEquals(List.of("{\"a\":0.1}"), agg(avg, "{\"v\":0.1}", "{\"v\":0.1}", "{\"v\":0.1}"));
    assertEquals(List.of("{\"a\":0.3333333333333333}"), agg(avg, "{\"v\":1}", "{\"v\":0}", "{\"v\":0}"));
    assertEquals(List.of("{\"a\":9.223372036854776e+18}"),
        agg(avg, "{\"v\":9223372036854775807}", "{\"v\":9223372036854775807}"), "no overflow");
    assertEquals(List.of("{\"a\":null}"), agg(avg, "{\"v\":null}"));
  }

  @Test
  void avgAndSumStaySpelledAsFloatsAndMinMaxFirstLastKeepTheWrittenText() throws Exception {
    String ops = "{\"aggregates\":{\"avg\":{\"op\":\"avg\",\"of\":\".v\"},\"sum\":{\"op\":\"sum\",\"of\":\".v\"},"
        + "\"min\":{\"op\":\"min\",\"of\":\".v\"},\"max\":{\"op\":\"max\",\"of\":\".v\"},"
        + "\"first\":{\"op\":\"first\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"avg\":2.0,\"sum\":6.0,\"min\":1.0,\"max\":3e0,\"first\":1.0}"),
        agg(ops, "{\"v\":1.0}", "{\"v\":2}", "{\"v\":3e0}"));
  }

  @Test
  void minAndMaxFollowJqOrderAcrossTypes() throws Exception {
    String mm = "{\"aggregates\":{\"lo\":{\"op\":\"min\",\"of\":\".v\"},\"hi\":{\"op\":\"max\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"lo\":false,\"hi\":{\"a\":1}}"),
        agg(mm, "{\"v\":\"b\"}", "{\"v\":10}", "{\"v\":false}", "{\"v\":null}", "{\"v\":[1]}", "{\"v\":{\"a\":1}}", "{\"v\":true}"));
    assertEquals(List.of("{\"lo\":2,\"hi\":100000000000000000000000000}"),
        agg(mm, "{\"v\":10}", "{\"v\":2}", "{\"v\":100000000000000000000000000}", "{\"v\":99999999999999999999999999.5}"),
        "numbers by value, not by text");
    assertEquals(List.of("{\"lo\":\"Z\",\"hi\":\"\uD83D\uDE00\"}"),
        agg(mm, "{\"v\":\"a\"}", "{\"v\":\"\uFFFD\"}", "{\"v\":\"\uD83D\uDE00\"}", "{\"v\":\"Z\"}"),
        "strings by code point: U+1F600 after U+FFFD");
    assertEquals(List.of("{\"lo\":1,\"hi\":1}"), agg(mm, "{\"v\":1}", "{\"v\":1.0}"), "of equal values the first is kept");
    assertEquals(List.of("{\"lo\":null,\"hi\":null}"), agg(mm, "{}", "{\"v\":null}"));
  }

  @Test
  void firstAndLastSkipNulls() throws Exception {
    String fl = "{\"aggregates\":{\"f\":{\"op\":\"first\",\"of\":\".v\"},\"l\":{\"op\":\"last\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"f\":\"x\",\"l\":[2]}"), agg(fl, "{\"v\":null}", "{\"v\":\"x\"}", "{\"v\":[2]}", "{}"));
    assertEquals(List.of("{\"f\":false,\"l\":false}"), agg(fl, "{\"v\":false}"), "false is a value");
  }

  @Test
  void groupKeysEqualInJqSenseAreOneGroupAndMissingIsNull() throws Exception {
    String config = "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"n\":{\"op\":\"count\"}}}";
    assertEquals(List.of("{\"k\":1,\"n\":2}", "{\"k\":null,\"n\":3}", "{\"k\":{\"a\":1,\"b\":2},\"n\":2}", "{\"k\":\"1\",\"n\":1}"),
        agg(config, "{\"k\":1}", "{}", "{\"k\":null}", "{\"k\":1.0}", "{\"k\":{\"a\":1,\"b\":2}}",
            "{\"k\":{\"b\":2,\"a\":1}}", "{\"k\":\"1\"}", "{\"x\":1}"));
    assertEquals(List.of("{\"k\":null,\"n\":1}"),
        agg("{\"groupBy\":{\"k\":\".k[]?\"},\"aggregates\":{\"n\":{\"op\":\"count\"}}}", "{\"k\":[]}"),
        "an expression without output gives null");
    assertEquals(List.of("{\"k\":1,\"n\":1}"),
        agg("{\"groupBy\":{\"k\":\".k[]\"},\"aggregates\":{\"n\":{\"op\":\"count\"}}}", "{\"k\":[1,2]}"),
        "the first output is the value");
  }

  @Test
  void unicodeAndLongKeys() throws Exception {
    String longKey = "é".repeat(100_000);
    String config = "{\"groupBy\":{\"名前\":\".name\"},\"aggregates\":{\"n\":{\"op\":\"count\"}}}";
    assertEquals(List.of("{\"名前\":\"日本\",\"n\":2}", "{\"名前\":\"" + longKey + "\",\"n\":1}"),
        agg(config, "{\"name\":\"日本\"}", "{\"name\":\"" + longKey + "\"}", "{\"name\":\"日本\"}"));
  }

  @Test
  void wrongTypesAndJqErrorsRejectTheRecordWithoutTouchingAnyGroup() throws Exception {
    String config = "{\"groupBy\":{\"k\":\".k | ascii_downcase\"},\"aggregates\":{\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":\".v\"}}}";
    Ctx ctx = new Ctx();
    List<String> out = agg(config, ctx, "{\"k\":\"A\",\"v\":1}", "{\"k\":\"a\",\"v\":\"2\"}", "{\"k\":5,\"v\":3}",
        "{\"k\":\"a\",\"v\":true}", "{\"k\":\"a\",\"v\":[1]}", "{\"k\":\"A\",\"v\":4}");
    assertEquals(List.of("{\"k\":\"a\",\"n\":2,\"s\":5}"), out);
    assertEquals(4, ctx.rejected.size(), ctx.rejected.toString());
    assertEquals("{\"k\":\"a\",\"v\":\"2\"} aggregate: 's': sum needs numbers, got a string", ctx.rejected.get(0));
    assertTrue(ctx.rejected.get(1).startsWith("{\"k\":5,\"v\":3} aggregate: "), ctx.rejected.get(1));
    assertEquals("{\"k\":\"a\",\"v\":true} aggregate: 's': sum needs numbers, got a boolean", ctx.rejected.get(2));
    assertEquals("{\"k\":\"a\",\"v\":[1]} aggregate: 's': sum needs numbers, got an array", ctx.rejected.get(3));

    Ctx inf = new Ctx();
    assertEquals(List.of("{\"a\":1.0}"), agg("{\"aggregates\":{\"a\":{\"op\":\"avg\",\"of\":\".v\"}}}", inf,
        "{\"v\":1}", "{\"v\":\"x\"}"));
    assertEquals(List.of("{\"v\":\"x\"} aggregate: 'a': avg needs numbers, got a string"), inf.rejected);
  }

  @Test
  void aSumWithANumberBeyondADoublesRangeIsJqsSumOfDoublesAndCostsWhatAnyOtherDoes() throws Exception {
    String sum = "{\"aggregates\":{\"s\":{\"op\":\"sum\",\"of\":\".v\"},\"a\":{\"op\":\"avg\",\"of\":\".v\"}}}";
    // jq 1.6: [1e99999999, 1] | add is 1.7976931348623157e+308 (its exact sum has 100 million digits)
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertEquals(List.of("{\"s\":1.7976931348623157e+308,\"a\":1.7976931348623157e+308}"),
          agg(sum, "{\"v\":1e99999999}", "{\"v\":1}"));
      assertEquals(List.of("{\"s\":1.7976931348623157e+308,\"a\":1.7976931348623157e+308}"),
          agg(sum, "{\"v\":1}", "{\"v\":1e999999999}"), "no ArithmeticException");
      assertEquals(List.of("{\"s\":1.7976931348623157e+308,\"a\":1.7976931348623157e+308}"),
          agg(sum, "{\"v\":1e9999999999}", "{\"v\":1}"));
      assertEquals(List.of("{\"s\":1.0,\"a\":0.5}"), agg(sum, "{\"v\":1e-99999999}", "{\"v\":1}"),
          "a double makes 1e-99999999 zero");
      assertEquals(List.of("{\"s\":null,\"a\":null}"), agg(sum, "{\"v\":1e400}", "{\"v\":-1e400}"),
          "infinity minus infinity is NaN, written null");
      assertEquals(List.of("{\"s\":-1.7976931348623157e+308,\"a\":-1.7976931348623157e+308}"),
          agg(sum.replace(".v", ".v * 10"), "{\"v\":2}", "{\"v\":-1e308}"), "a computed infinity");
    });
    assertEquals(List.of("{\"s\":1" + "0".repeat(400) + ",\"a\":1.7976931348623157e+308}"),
        agg(sum, "{\"v\":" + "1" + "0".repeat(400) + "}"), "an integer stays exact at any size");
  }

  @Test
  void minMaxAndDistinctTakeAnyType() throws Exception {
    String config = "{\"aggregates\":{\"d\":{\"op\":\"count-distinct\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"d\":5}"),
        agg(config, "{\"v\":[1,2]}", "{\"v\":[1,2]}", "{\"v\":{\"a\":[1]}}", "{\"v\":{\"a\":[1.0]}}",
            "{\"v\":\"1\"}", "{\"v\":1}", "{\"v\":true}", "{\"v\":null}", "{}"));
  }

  @Test
  void emptyInput() throws Exception {
    assertEquals(List.of(), agg("{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"n\":{\"op\":\"count\"}}}"),
        "with groupBy: no groups");
    String all = "{\"aggregates\":{\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":\".v\"},\"a\":{\"op\":\"avg\",\"of\":\".v\"},"
        + "\"m\":{\"op\":\"max\",\"of\":\".v\"},\"f\":{\"op\":\"first\",\"of\":\".v\"},\"d\":{\"op\":\"count-distinct\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"n\":0,\"s\":0,\"a\":null,\"m\":null,\"f\":null,\"d\":0}"), agg(all),
        "without groupBy: one record, as SQL's count(*)");
    assertEquals(List.of("{\"n\":0}"), strings(runChunks(F, "{\"aggregates\":{\"n\":{\"op\":\"count\"}}}", new Ctx(),
        List.of(records(), records()))), "empty chunks");
  }

  @Test
  void nonObjectRecordsAreGroupedByWhatTheExpressionsSay() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = agg("{\"groupBy\":{\"t\":\"type\"},\"aggregates\":{\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":\".\"}}}",
        ctx, "1", "\"x\"", "2.5", "[1]");
    assertEquals(List.of("{\"t\":\"number\",\"n\":2,\"s\":3.5}"), out);
    assertEquals(2, ctx.rejected.size(), "strings and arrays cannot be summed");
  }

  @Test
  void checkCompilesEveryExpressionAndPointsAtIt() {
    List<ConfigProblem> p = check(F, "{\"groupBy\":{\"a/b\":\".x +\",\"ok\":\".y\"},"
        + "\"aggregates\":{\"s\":{\"op\":\"sum\",\"of\":\"{\"},\"n\":{\"op\":\"count\",\"of\":\".z\"},"
        + "\"m\":{\"op\":\"max\"},\"ok\":{\"op\":\"count\"},\"u\":{\"op\":\"first\",\"of\":\"nosuch(1)\"}}}");
    List<String> pointers = p.stream().map(ConfigProblem::pointer).toList();
    assertEquals(List.of("/groupBy/a~1b", "/aggregates/s/of", "/aggregates/n/of", "/aggregates/m", "/aggregates/ok",
        "/aggregates/u/of"), pointers, p.toString());
    assertTrue(p.get(0).message().startsWith("jq syntax error"), p.get(0).message());
    assertEquals(3, p.get(0).offset(), "at the dangling +");
    assertEquals("count counts records and takes no 'of'; use count-distinct to count values", p.get(2).message());
    assertEquals("max needs 'of': the jq expression of the value to max", p.get(3).message());
    assertEquals("'ok' is also a groupBy field: an output field needs one name", p.get(4).message());
    assertEquals("jq: unknown function nosuch/1 in 'nosuch(1)'", p.get(5).message());
    assertEquals(List.of("give groupBy, aggregates or both: with neither there is nothing to compute"),
        check(F, "{}").stream().map(ConfigProblem::message).toList());
    assertEquals(List.of(new ConfigProblem("/aggregates/x/op", "unknown aggregate operation 'median'")),
        check(F, "{\"aggregates\":{\"x\":{\"op\":\"median\",\"of\":\".v\"}}}"), "never throws, even past the schema");
    assertEquals(List.of(), check(F, "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"n\":{\"op\":\"count\"},\"d\":{\"op\":\"count-distinct\",\"of\":\".u\"}}}"));
  }

  @Test
  void manyGroupsAcrossManyChunks() throws Exception {
    List<List<JsonNode>> chunks = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      List<JsonNode> chunk = new ArrayList<>();
      for (int i = 0; i < 500; i++) chunk.add(Harness.json("{\"k\":" + ((c * 500 + i) % 1000) + ",\"v\":" + i + "}"));
      chunks.add(chunk);
    }
    List<JsonNode> out = runChunks(F, "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"n\":{\"op\":\"count\"},\"s\":{\"op\":\"sum\",\"of\":\".v\"}}}",
        new Ctx(), chunks);
    assertEquals(1000, out.size());
    for (int k = 0; k < 1000; k++) {
      assertEquals(k, out.get(k).get("k").intValue(), "first-seen order");
      assertEquals(10, out.get(k).get("n").intValue());
      assertEquals(10 * (k % 500), out.get(k).get("s").intValue());
    }
  }

  /** [[...[bottom]...]], depth arrays deep. */
  private static JsonNode nested(int depth, JsonNode bottom) {
    JsonNode v = bottom;
    for (int i = 0; i < depth; i++) v = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(v);
    return v;
  }

  private static JsonNode withD(JsonNode d) {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("d", d);
  }

  @Test
  void groupsAndComparesValuesNestedFarDeeperThanTheStackGoes() throws Exception {
    // A jq step can build such values; they compare with no Java frame per level, so grouping
    // and min, max and count-distinct take them as any other value, not as a stack overflow.
    int depth = 30_000;
    JsonNode one = nested(depth, Harness.json("1"));
    JsonNode two = nested(depth, Harness.json("2"));
    JsonNode oneAgain = nested(depth, Harness.json("1.0"));
    Ctx ctx = new Ctx();
    List<JsonNode> out = new ArrayList<>();
    String config = "{\"groupBy\":{\"k\":\".d\"},\"aggregates\":{\"n\":{\"op\":\"count\"},"
        + "\"hi\":{\"op\":\"max\",\"of\":\".d\"},\"lo\":{\"op\":\"min\",\"of\":\".d\"},"
        + "\"distinct\":{\"op\":\"count-distinct\",\"of\":\".d\"}}}";
    String all = "{\"aggregates\":{\"hi\":{\"op\":\"max\",\"of\":\".d\"},\"lo\":{\"op\":\"min\",\"of\":\".d\"},"
        + "\"distinct\":{\"op\":\"count-distinct\",\"of\":\".d\"}}}";
    for (String c : List.of(config, all)) {
      try (Processor p = F.prepare(Harness.json(c), Harness.SETUP).get()) {
        p.init(ctx);
        p.process(new Chunk("c0", 0, List.of(withD(one), withD(two), withD(oneAgain)), 0));
        p.finish(out::add);
      }
    }
    assertEquals(List.of(), ctx.rejected);
    assertEquals(3, out.size(), "two groups, then the whole input's");
    assertEquals(0, JsonOrder.compareValues(one, out.get(0).get("k")));
    assertEquals(2, out.get(0).get("n").intValue(), "1 and 1.0 at the bottom are one group");
    assertEquals(0, JsonOrder.compareValues(two, out.get(1).get("k")));
    assertEquals(1, out.get(1).get("n").intValue());
    assertEquals(0, JsonOrder.compareValues(two, out.get(2).get("hi")));
    assertEquals(0, JsonOrder.compareValues(one, out.get(2).get("lo")));
    assertEquals(2, out.get(2).get("distinct").intValue());
  }
}

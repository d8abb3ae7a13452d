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
    assertEquals(List.of("{\"s\":0.3,\"a\":0.1}"), agg(sum, "{\"v\":1e-400}", "{\"v\":0.1}", "{\"v\":0.2}"),
        "a number a double makes zero adds nothing to the exact sum of the others (jq 1.6 adds doubles: 0.30000000000000004)");
    assertEquals(List.of("{\"s\":null,\"a\":null}"), agg(sum, "{\"v\":1e400}", "{\"v\":1}", "{\"v\":-1e400}"),
        "both infinities: NaN, whatever comes between");
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
    assertEquals(List.of(new ConfigProblem("/aggregates/x/op", "unknown aggregate operation 'mode'")),
        check(F, "{\"aggregates\":{\"x\":{\"op\":\"mode\",\"of\":\".v\"}}}"), "never throws, even past the schema");
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
        + "\"distinct\":{\"op\":\"count-distinct\",\"of\":\".d\"},\"values\":{\"op\":\"collect-distinct\",\"of\":\".d\"},"
        + "\"mid\":{\"op\":\"median\",\"of\":\".d\",\"method\":\"nearest-rank\"},"
        + "\"top\":{\"op\":\"percentile\",\"of\":\".d\",\"p\":1,\"method\":\"nearest-rank\"}}}";
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
    assertEquals(2, out.get(2).get("values").size(), "collect-distinct keeps the first of 1 and 1.0");
    assertEquals(0, JsonOrder.compareValues(one, out.get(2).get("values").get(0)));
    assertEquals(0, JsonOrder.compareValues(two, out.get(2).get("values").get(1)));
    assertEquals(0, JsonOrder.compareValues(one, out.get(2).get("mid")), "rank 2 of 1, 1.0, 2");
    assertEquals(0, JsonOrder.compareValues(two, out.get(2).get("top")));
  }

  /** {"aggregates":{name:{op, of: ".v", ...extra}}}: one aggregate of .v. */
  private static String one(String op, String extra) {
    return "{\"aggregates\":{\"x\":{\"op\":\"" + op + "\",\"of\":\".v\"" + (extra.isEmpty() ? "" : "," + extra) + "}}}";
  }

  /** {"v":a}, {"v":b}, ... */
  private static String[] vs(String... values) {
    String[] r = new String[values.length];
    for (int i = 0; i < values.length; i++) r[i] = "{\"v\":" + values[i] + "}";
    return r;
  }

  private static String x(String op, String extra, String... values) throws Exception {
    List<String> out = agg(one(op, extra), vs(values));
    assertEquals(1, out.size());
    return out.get(0).substring("{\"x\":".length(), out.get(0).length() - 1);
  }

  @Test
  void medianAndPercentileInterpolateLinearlyAndExactlyByDefault() throws Exception {
    assertEquals("2.5", x("median", "", "4", "1", "3", "2"), "between the two middle values, as percentile_cont");
    assertEquals("2", x("median", "", "3", "1", "2"), "an odd count: the middle value");
    assertEquals("2.0", x("median", "", "1", "3"), "an interpolated value is a floating number");
    assertEquals("3.7", x("percentile", "\"p\":0.9", "1", "2", "3", "4"), "h = 0.9 * 3 = 2.7: 3 + 0.7 * (4 - 3)");
    assertEquals("1", x("percentile", "\"p\":0", "3", "1", "2"));
    assertEquals("3", x("percentile", "\"p\":1", "3", "1", "2"));
    assertEquals("7", x("percentile", "\"p\":0.25", "7"), "one value is every percentile");
    assertEquals("0.15", x("median", "", "0.1", "0.2"), "exact: not 0.15000000000000002");
    assertEquals("0.3", x("percentile", "\"p\":0.5", "0.1", "0.5"));
    assertEquals("10000000000000000.5", x("median", "", "10000000000000000", "10000000000000001"),
        "more digits than a double holds: the exact decimal");
    assertEquals("100000000000000000000000000000000000000000", x("median", "",
        "100000000000000000000000000000000000000000", "1", "100000000000000000000000000000000000000000"));
    assertEquals("3e0", x("percentile", "\"p\":1", "1.0", "2", "3e0"), "a value that is held comes out as written");
    assertEquals("1.0", x("median", "", "1.0", "1"), "of equal values the first");
    assertEquals("-2.5", x("median", "", "-1", "-4", "-2", "-3"));
    assertEquals("null", x("median", "", "null"), "nothing to take the median of");
    assertEquals("1.000001", x("percentile", "\"p\":0.000001", "1", "2"), "p exactly as written");
    assertEquals("100000000000000000001.5", x("percentile", "\"p\":0.25", "100000000000000000001",
        "100000000000000000002", "100000000000000000003"), "h = 0.50: no zero the data did not have (was ...1.50)");
    assertEquals("10000000000000000.5", x("percentile", "\"p\":0.500", "10000000000000000", "10000000000000001"));
    assertEquals("1.50", x("median", "", "1.50", "1.50"), "a held value as written");
  }

  @Test
  void nearestRankPicksAValueOfTheInputOfAnyTypeInJqOrder() throws Exception {
    String nr = "\"method\":\"nearest-rank\"";
    assertEquals("2", x("median", nr, "4", "1", "3", "2"), "rank ceil(0.5 * 4) = 2, as percentile_disc");
    assertEquals("2", x("median", nr, "3", "1", "2"));
    assertEquals("1", x("percentile", "\"p\":0," + nr, "3", "1", "2"), "p 0 is the least");
    assertEquals("1", x("percentile", "\"p\":0.25," + nr, "4", "1", "3", "2"));
    assertEquals("2", x("percentile", "\"p\":0.26," + nr, "4", "1", "3", "2"));
    assertEquals("4", x("percentile", "\"p\":1," + nr, "4", "1", "3", "2"));
    assertEquals("\"2024-05-02\"", x("median", nr, "\"2024-05-03\"", "\"2024-05-01\"", "\"2024-05-02\""), "strings by code point");
    assertEquals("\"a\"", x("median", nr, "\"a\"", "{}", "[1]", "false", "10"), "false < 10 < \"a\" < [1] < {}");
    assertEquals("1.0", x("median", nr, "5", "1", "1.0"), "equal values keep their input order: 1, 1.0, 5");
    assertEquals("1", x("median", nr, "5", "1.0", "1", "7"), "rank 2 of 1.0, 1, 5, 7");
  }

  @Test
  void linearRefusesWhatIsNotANumberAndSaysWhatTakesIt() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = agg("{\"aggregates\":{\"m\":{\"op\":\"median\",\"of\":\".v\"},\"c\":{\"op\":\"collect\",\"of\":\".v\"}}}",
        ctx, vs("1", "\"2\"", "3", "[4]"));
    assertEquals(List.of("{\"m\":2.0,\"c\":[1,3]}"), out, "a refused record changes no group");
    assertEquals(List.of("{\"v\":\"2\"} aggregate: 'm': median needs numbers, got a string (method nearest-rank takes any value, in jq's order)",
        "{\"v\":[4]} aggregate: 'm': median needs numbers, got an array (method nearest-rank takes any value, in jq's order)"),
        ctx.rejected);
    Ctx p = new Ctx();
    agg(one("percentile", "\"p\":0.5"), p, vs("true"));
    assertEquals(List.of("{\"v\":true} aggregate: 'x': percentile needs numbers, got a boolean (method nearest-rank takes any value, in jq's order)"),
        p.rejected);
  }

  @Test
  void aMedianWithANumberBeyondADoublesRangeIsComputedInDoublesAndCostsWhatAnyOtherDoes() throws Exception {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertEquals("1.7976931348623157e+308", x("median", "", "1e99999999", "1"), "halfway to infinity is infinity");
      assertEquals("1e99999999", x("median", "", "1e99999999", "1", "1e99999999"), "a held value as written");
      assertEquals("0.5", x("median", "", "1e-99999999", "1"), "a double makes 1e-99999999 zero");
      assertEquals("null", x("median", "", "1e400", "-1e400"), "infinity minus infinity is NaN, written null");
    });
  }

  @Test
  void collectKeepsEveryValueInInputOrderAndCollectDistinctTheFirstOfEqualOnes() throws Exception {
    String config = "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"all\":{\"op\":\"collect\",\"of\":\".v\"},"
        + "\"distinct\":{\"op\":\"collect-distinct\",\"of\":\".v\"}}}";
    List<List<JsonNode>> chunks = List.of(
        records("{\"k\":1,\"v\":3}", "{\"k\":2,\"v\":\"x\"}", "{\"k\":1,\"v\":1.0}"),
        records(),
        records("{\"k\":1,\"v\":null}", "{\"k\":1}", "{\"k\":1,\"v\":1}", "{\"k\":1,\"v\":{\"a\":1,\"b\":[2]}}",
            "{\"k\":1,\"v\":{\"b\":[2.0],\"a\":1}}", "{\"k\":1,\"v\":3}", "{\"k\":1,\"v\":false}"));
    Ctx ctx = new Ctx();
    assertEquals(List.of(
        "{\"k\":1,\"all\":[3,1.0,1,{\"a\":1,\"b\":[2]},{\"b\":[2.0],\"a\":1},3,false],\"distinct\":[3,1.0,{\"a\":1,\"b\":[2]},false]}",
        "{\"k\":2,\"all\":[\"x\"],\"distinct\":[\"x\"]}"), strings(runChunks(F, config, ctx, chunks)),
        "nulls skipped; 1.0 and 1, and objects equal in jq's sense, are one distinct value, the first as written");
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void medianPercentileAndCollectOfOneExpressionShareItsValuesAndEachGetsItsOwnResult() throws Exception {
    String config = "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{"
        + "\"p90\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":0.9},\"all\":{\"op\":\"collect\",\"of\":\".v\"},"
        + "\"median\":{\"op\":\"median\",\"of\":\".v\"},\"low\":{\"op\":\"median\",\"of\":\".v\",\"method\":\"nearest-rank\"},"
        + "\"w\":{\"op\":\"collect\",\"of\":\".w\"},\"wmax\":{\"op\":\"percentile\",\"of\":\".w\",\"p\":1}}}";
    assertEquals(List.of("{\"k\":\"a\",\"p90\":37.0,\"all\":[40,10,30,20],\"median\":25.0,\"low\":20,\"w\":[2,1],\"wmax\":2}",
            "{\"k\":\"b\",\"p90\":5,\"all\":[5],\"median\":5,\"low\":5,\"w\":[],\"wmax\":null}"),
        agg(config, "{\"k\":\"a\",\"v\":40,\"w\":2}", "{\"k\":\"b\",\"v\":5}", "{\"k\":\"a\",\"v\":10}",
            "{\"k\":\"a\",\"v\":30,\"w\":1}", "{\"k\":\"a\",\"v\":20}"),
        "collect keeps the input order the percentiles sort");
    String sorted = "{\"aggregates\":{\"lo\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":0},\"hi\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":1}}}";
    assertEquals(List.of("{\"lo\":1,\"hi\":3}"), agg(sorted, vs("2", "3", "1")), "two percentiles and no collect");
  }

  @Test
  void varAndStddevAreTheSampleOnesFromExactSums() throws Exception {
    assertEquals("1.6666666666666667", x("var", "", "1", "2", "3", "4"), "divided by n - 1, the double nearest 5/3");
    assertEquals("1.2909944487358056", x("stddev", "", "1", "2", "3", "4"));
    assertEquals("0.01", x("var", "", "0.1", "0.2", "0.3"), "exact: not 0.010000000000000002");
    assertEquals("0.1", x("stddev", "", "0.1", "0.2", "0.3"));
    assertEquals("1.0", x("var", "", "100000000000000000001", "100000000000000000002", "100000000000000000003"),
        "exact where doubles would give 0 or garbage");
    assertEquals("1.0", x("var", "", "3037000500", "3037000501", "3037000502"), "squares past a long");
    assertEquals("8.507059173023462e+37", x("var", "", "-9223372036854775808", "9223372036854775807", "0"));
    assertEquals("0.0", x("stddev", "", "2", "2.0"));
    assertEquals("null", x("var", "", "5", "null"), "fewer than two numbers");
    assertEquals("null", x("stddev", "", "null"));
    assertEquals("null", x("var", "", "1e400", "1"), "a number beyond a double's range: doubles, here NaN");
    assertEquals("0.5", x("var", "", "1e-400", "1"), "a double makes 1e-400 zero");
    assertEquals("1.7976931348623157e+308", x("var", "", "1e300", "3e300"), "2e600 is written as jq writes an infinity");
    assertEquals("1.4142135623730952e+300", x("stddev", "", "1e300", "3e300"), "its root is within range");
    Ctx ctx = new Ctx();
    agg(one("stddev", ""), ctx, vs("1", "\"2\""));
    assertEquals(List.of("{\"v\":\"2\"} aggregate: 'x': stddev needs numbers, got a string"), ctx.rejected);
  }

  @Test
  void theNewOperationsOnEmptyInput() throws Exception {
    String all = "{\"aggregates\":{\"m\":{\"op\":\"median\",\"of\":\".v\"},\"p\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":0.9},"
        + "\"c\":{\"op\":\"collect\",\"of\":\".v\"},\"d\":{\"op\":\"collect-distinct\",\"of\":\".v\"},"
        + "\"var\":{\"op\":\"var\",\"of\":\".v\"},\"sd\":{\"op\":\"stddev\",\"of\":\".v\"}}}";
    assertEquals(List.of("{\"m\":null,\"p\":null,\"c\":[],\"d\":[],\"var\":null,\"sd\":null}"), agg(all));
  }

  /** check of a percentile whose p is a double JSON cannot hold (YAML's .nan, .inf). */
  private static List<ConfigProblem> checkNotFinite(double p) {
    JsonNode config = Harness.json(one("percentile", "\"p\":0"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("aggregates").get("x")).put("p", p);
    return F.check(config, Harness.SETUP);
  }

  @Test
  void checkSaysWhereAPercentilesPOrAMethodIsWrong() {
    assertEquals(List.of(new ConfigProblem("/aggregates/x", "percentile needs 'p': the fraction of the values at or below it,"
            + " from 0 to 1 (0.95 for the 95th percentile)")), check(F, one("percentile", "")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
            + " 0.5 for the median), got 95")), check(F, one("percentile", "\"p\":95")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
            + " 0.5 for the median), got -0.1")), check(F, one("percentile", "\"p\":-0.1")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
            + " 0.5 for the median), got 1.0000000000000000000001")), check(F, one("percentile", "\"p\":1.0000000000000000000001")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p",
        "median is the percentile p 0.5 and takes no 'p'; use op: percentile for another")), check(F, one("median", "\"p\":0.9")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "only percentile takes 'p', not sum")), check(F, one("sum", "\"p\":0.9")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/method", "only median and percentile take 'method', not collect")),
        check(F, one("collect", "\"method\":\"linear\"")));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
        + " 0.5 for the median), got .nan")), checkNotFinite(Double.NaN), "as YAML spells it");
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
        + " 0.5 for the median), got -.inf")), checkNotFinite(Double.NEGATIVE_INFINITY));
    assertEquals(List.of(new ConfigProblem("/aggregates/x/method", "unknown method 'cont': give linear or nearest-rank")),
        check(F, one("median", "\"method\":\"cont\"")), "never throws, even past the schema");
    assertEquals(List.of(new ConfigProblem("/aggregates/x/p", "p is a fraction from 0 to 1 (0.95 for the 95th percentile,"
        + " 0.5 for the median), got \"0.5\"")), check(F, one("percentile", "\"p\":\"0.5\"")), "never throws, even past the schema");
    assertEquals(List.of(), check(F, "{\"aggregates\":{\"a\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":0},"
        + "\"b\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":1,\"method\":\"nearest-rank\"},\"c\":{\"op\":\"median\",\"of\":\".v\","
        + "\"method\":\"linear\"},\"d\":{\"op\":\"collect-distinct\",\"of\":\".v\"},\"e\":{\"op\":\"stddev\",\"of\":\".v\"}}}"));
  }

  @Test
  void runningOutOfHeapLetsGoOfTheGroupsAndSaysHowMuchTheyHeld() throws Exception {
    String config = "{\"groupBy\":{\"k\":\".k\"},\"aggregates\":{\"m\":{\"op\":\"median\",\"of\":\".v\"},"
        + "\"p\":{\"op\":\"percentile\",\"of\":\".v\",\"p\":0.9},\"d\":{\"op\":\"collect-distinct\",\"of\":\".w\"}}}";
    Ctx ctx = new Ctx();
    int[] calls = {0};
    ctx.cancelledWhen = () -> {
      if (++calls[0] == 3) throw new OutOfMemoryError("Java heap space"); // as the third record's values would
      return false;
    };
    try (Processor p = F.prepare(Harness.json(config), Harness.SETUP).get()) {
      p.init(ctx);
      OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> p.process(new Chunk("c0", 0,
          records("{\"k\":1,\"v\":1,\"w\":\"a\"}", "{\"k\":2,\"v\":2,\"w\":\"a\"}", "{\"k\":1,\"v\":3}"), 0)));
      assertEquals("Java heap space; aggregate: 2 groups held 4 values for median, percentile, collect and the distinct"
          + " operations", e.getMessage(), "the median and the percentile of .v share one list: 2 values, and 2 distinct .w");
      assertEquals("Java heap space", e.getCause().getMessage());
      List<JsonNode> emitted = new ArrayList<>();
      p.finish(emitted::add);
      assertEquals(List.of(), emitted, "let go: nothing is left to emit (the run fails)");
    }

    try (Processor p = F.prepare(Harness.json("{\"groupBy\":{\"k\":\".k\"}}"), Harness.SETUP).get()) {
      p.init(new Ctx());
      p.process(new Chunk("c0", 0, records("{\"k\":1}", "{\"k\":2}", "{\"k\":3}"), 0));
      List<JsonNode> emitted = new ArrayList<>();
      OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> p.finish(r -> {
        if (emitted.size() == 1) throw new OutOfMemoryError("Java heap space");
        emitted.add(r);
      }));
      assertEquals("Java heap space; aggregate: 3 groups", e.getMessage(), "no values held: the groups are what there was");
    }
  }
}

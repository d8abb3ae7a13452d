package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.Harness.Ctx;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.junit.jupiter.api.Test;

/**
 * jq programs compare and order values as jq 1.6 does, on the fast path and in the interpreter:
 * {@code -0.0} equals {@code 0}, strings are in code point order (U+FF5A before U+1F600), NaN is
 * below every number and equal to none. The expected outputs are jq 1.6's on {@link #RECORD}
 * ({@code jq -c PROGRAM}), written as jq writes them.
 */
class JqOrderTest {
  /** a, b, c: 0, -0.0, 0.0; z: U+FF5A; e: U+1F600; r: U+FFFD; p: U+E000; s, t: "a" and e, "a" and z. */
  static final String RECORD = "{\"a\":0,\"b\":-0.0,\"c\":0.0,\"n\":1,\"z\":\"\\uff5a\",\"e\":\"\\ud83d\\ude00\","
      + "\"r\":\"\\ufffd\",\"p\":\"\\ue000\",\"s\":\"a\\ud83d\\ude00\",\"t\":\"a\\uff5a\"}";

  /** Program, and what jq 1.6 gives for it on RECORD. */
  static final String[][] JQ_1_6 = {
      {".a == .b", "true"},
      {".b == .a", "true"},
      {".b == 0", "true"},
      {".c == .b", "true"},
      {".a != .b", "false"},
      {".a < .b", "false"},
      {".b < .a", "false"},
      {".a <= .b", "true"},
      {".b >= .a", "true"},
      {".a > .b", "false"},
      {".b > .a", "false"},
      {"[.a] == [.b]", "true"},
      {"{x: .a} == {x: .b}", "true"},
      {".b < .n and .b > -1", "true"},
      {".z < .e", "true"},
      {".e > .z", "true"},
      {".z <= .e", "true"},
      {".e >= .z", "true"},
      {".r < .e", "true"},
      {".p < .e", "true"},
      {".z > .p", "true"},
      {".e == .e", "true"},
      {".s < .t", "false"},
      {".t > .s", "false"},
      {"[.z] < [.e]", "true"},
      {"{(.e): 1} < {(.z): 1}", "false"},
      {"{k: .z} < {k: .e}", "true"},
      {".r as $r | [.e, .z, .r, .p] | map(. > $r)", "[true,false,false,false]"},
      {"[.b, .a, .c] | sort", "[-0,0,0]"},
      {"[.a, .b] | unique | length", "1"},
      {"[.b, .n, .a] | unique", "[-0,1]"},
      {"[.a, .b] | min", "0"},
      {"[.b, .a] | min", "-0"},
      {"[.a, .b] | max", "-0"},
      {"[.b, .a] | max", "0"},
      {"[.a, .b] | group_by(.) | length", "1"},
      {"[{k: .a, i: 1}, {k: .b, i: 2}] | unique_by(.k) | map(.i)", "[1]"},
      {"[{k: .a, i: 1}, {k: .b, i: 2}] | sort_by(.k) | map(.i)", "[1,2]"},
      {"[{k: .b, i: 1}, {k: .a, i: 2}] | sort_by(.k) | map(.i)", "[1,2]"},
      {"[{k: .b, i: 1}, {k: .a, i: 2}] | min_by(.k) | .i", "1"},
      {"[{k: .b, i: 1}, {k: .a, i: 2}] | max_by(.k) | .i", "2"},
      {"[{k: .a, i: 1}, {k: .b, i: 2}] | group_by(.k) | map(map(.i))", "[[1,2]]"},
      {"[[.a], [.b]] | unique | length", "1"},
      {".b as $b | [.a, .b] | index($b)", "0"},
      {".a as $a | [.b, .a] | indices($a)", "[0,1]"},
      {".a as $a | [.a, .b] | rindex($a)", "1"},
      {".n as $n | .b as $b | [.n, .a, .n, .b] | indices([$n, $b])", "[0,2]"},
      {".b as $b | [.a, .n] | .[[$b]]", "[0]"},
      {".a as $a | [.b, .n, .a] | .[[$a]]", "[0,2]"},
      {".b as $b | [.a, .b] | .[.[[$b]] | map(. - . + $b)]", "[0]"},
      {".b as $b | [.a] | [.[[$b]]?]", "[[0]]"},
      {".b as $b | [.a] | path(.[[$b]]) | length", "1"},
      {".a as $a | .b | contains($a)", "true"},
      {".a as $a | [.b] | contains([$a])", "true"},
      {".a as $a | {x: [.b]} | contains({x: [$a]})", "true"},
      {".b as $b | [.a] | inside([$b])", "true"},
      {"[.a, .n] - [.b]", "[1]"},
      {"[.b, .n] - [.a]", "[1]"},
      {"[.e, .z, .r, .p] | sort", "[\"\ue000\",\"\uff5a\",\"\ufffd\",\"\ud83d\ude00\"]"},
      {"[.e, .z] | min", "\"\uff5a\""},
      {"[.e, .z] | max", "\"\ud83d\ude00\""},
      {"[.e, .z, .r, .e] | unique", "[\"\uff5a\",\"\ufffd\",\"\ud83d\ude00\"]"},
      {"[{k: .e, i: 1}, {k: .z, i: 2}] | sort_by(.k) | map(.i)", "[2,1]"},
      {"[{k: .e, i: 1}, {k: .z, i: 2}] | min_by(.k) | .i", "2"},
      {"[{k: .e, i: 1}, {k: .z, i: 2}] | max_by(.k) | .i", "1"},
      {"[{k: .e, i: 1}, {k: .z, i: 2}] | group_by(.k) | map(map(.i))", "[[2],[1]]"},
      {"[{k: .e, i: 1}, {k: .z, i: 2}] | unique_by(.k) | map(.i)", "[2,1]"},
      {"[.s, .t] | sort", "[\"a\uff5a\",\"a\ud83d\ude00\"]"},
      {"[[.e], [.z]] | sort", "[[\"\uff5a\"],[\"\ud83d\ude00\"]]"},
      {"{(.e): 1, (.z): 2} | keys", "[\"\uff5a\",\"\ud83d\ude00\"]"},
      {"[{(.e): 1}, {(.z): 1}] | sort | map(keys[0])", "[\"\uff5a\",\"\ud83d\ude00\"]"},
      {".z as $z | [.e, .z] | index($z)", "1"},
      {"[1, nan, 0] | sort | map(isnan)", "[true,false,false]"},
      {"[nan < 1, 1 > nan, nan == nan, nan < nan, nan > nan]", "[true,true,false,true,false]"},
      {"[nan, nan] | unique | length", "2"},
      {"[nan] | index(nan)", "null"},
      {"[nan, 1] | max", "1"},
      {"[1, nan] | min | isnan", "true"}
  };

  /** {@code .[e]} with other indexes, which wiz's node for {@code .[e]} leaves to jackson-jq's: jq 1.6's outputs. */
  static final String INDEXED = "{\"a\":{\"x\":1,\"y\":[1,2,3]},\"k\":\"x\",\"i\":1,\"arr\":[10,20,30],\"n\":null,"
      + "\"s\":\"str\",\"keys\":[\"x\",\"y\"]}";

  static final String[][] INDEXED_JQ_1_6 = {
      {".a[.k]", "1"},
      {".arr[.i, 0]", "20 10"},
      {".a[.keys[]]", "1 [1,2,3]"},
      {".n[.k]", "null"},
      {"[.s[.k]?]", "[]"},
      {"try .arr[.k] catch .", "\"Cannot index array with string \\\"x\\\"\""},
      {".a[.k] |= . + 1 | .a", "{\"x\":2,\"y\":[1,2,3]}"},
      {".arr[.i] += 100 | .arr", "[10,120,30]"},
      {"path(.arr[.i, 2])", "[\"arr\",1] [\"arr\",2]"},
      {"del(.arr[.i]) | .arr", "[10,30]"},
      {"reduce .keys[] as $k ({}; .[$k] = 1)", "{\"x\":1,\"y\":1}"},
      {".arr[[20, 30]]", "[1]"},
      {"path(.arr[[20]])", "[\"arr\",[20]]"},
      {"try (.a | .[[1]]) catch .", "\"Cannot index object with array\""},
      {"def f(x): .arr[x]; f(.i)", "20"},
      {"try path([1,2] | .[[1]]) catch .", "\"Invalid path expression near attempt to access element [1] of [1,2]\""},
      {"try path(.arr | .[[20]] | .[0]) catch .", "[\"arr\",[20],0]"},
      {"[.arr[[.n]]?, .a[[1]]?]", "[[]]"},
      {"try (.a | .[true]) catch .", "\"Cannot index object with boolean\""},
      {"[.a | .[true]?]", "[]"}
  };

  /** Comparisons of fields and literals: these take the fast path. */
  static final List<String> FAST = List.of(".a == .b", ".b == 0", ".a < .b", ".b >= .a", ".z < .e", ".e >= .z",
      ".s < .t", ".b < .n and .b > -1", "{x: .a} == {x: .b}");

  private static String outcome(Expression e, JsonNode in) {
    List<String> out = new ArrayList<>();
    try {
      e.apply(Expression.newScope(), in, v -> out.add(jqText(v)));
      return String.join(" ", out);
    } catch (JsonQueryException x) {
      return "error " + x.getMessage();
    } catch (RunCancelledException x) {
      throw new AssertionError("no run to cancel here", x);
    }
  }

  @Test
  void everyProgramGivesJq16sOutputOnTheFastPathAndInTheInterpreter() throws Exception {
    JsonNode in = Harness.json(RECORD);
    for (String[] row : JQ_1_6) {
      assertEquals(row[1], outcome(Expression.require(row[0], "/p", true), in), "fast path: " + row[0]);
      assertEquals(row[1], outcome(Expression.require(row[0], "/p", false), in), "interpreter: " + row[0]);
    }
  }

  @Test
  void bracketsWithOtherIndexesGiveWhatTheyGave() throws Exception {
    JsonNode in = Harness.json(INDEXED);
    for (String[] row : INDEXED_JQ_1_6) {
      assertEquals(row[1], outcome(Expression.require(row[0], "/p", false), in), row[0]);
    }
  }

  @Test
  void comparisonsOfFieldsStayOnTheFastPath() throws Exception {
    JsonNode in = Harness.json(RECORD);
    for (String program : FAST) {
      Expression e = Expression.require(program, "/p");
      assertTrue(e.fast() && e.fastResult(in).isPresent(), program + " is answered on the fast path");
    }
  }

  @Test
  void filterKeepsNegativeZeroWhereItAsksForZero() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = Harness.run(new FilterFactory(), "{\"where\":\".x == 0\"}", ctx,
        "{\"x\":0}", "{\"x\":-0.0}", "{\"x\":0.0}", "{\"x\":1}");
    assertEquals(List.of("{\"x\":0}", "{\"x\":-0.0}", "{\"x\":0.0}"), out);
  }

  @Test
  void jqSortsStringsAsTheSortProcessorDoes() throws Exception {
    String[] records = {"{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\uff5a\"}", "{\"a\":\"\\ufffd\"}", "{\"a\":\"a\"}"};
    List<String> bySortProcessor = new ArrayList<>();
    for (String r : Harness.run(new SortFactory(), "{\"by\":[{\"key\":\".a\"}]}", new Ctx(), records)) {
      bySortProcessor.add(Harness.json(r).get("a").toString());
    }
    StringBuilder all = new StringBuilder("{\"all\":[");
    for (int i = 0; i < records.length; i++) all.append(i > 0 ? "," : "").append(records[i]);
    List<String> byJq = Harness.run(new JqFactory(), "{\"program\":\".all | map(.a) | sort | .[] | tojson\"}", new Ctx(),
        all.append("]}").toString());
    assertEquals(bySortProcessor, byJq.stream().map(s -> Harness.json(s).asText()).toList());
    assertEquals(List.of("\"a\"", "\"\uff5a\"", "\"\ufffd\"", "\"\ud83d\ude00\""), bySortProcessor);
  }

  @Test
  void theSortOrderIsTotalWithNanEqualToItself() {
    JsonNode nan = Json.mapper().getNodeFactory().numberNode(Double.NaN);
    assertEquals(0, JqOrder.SORT.compare(nan, nan));
    assertTrue(JqOrder.compare(nan, nan) < 0, "jq: nan < nan");
    assertTrue(JqOrder.SORT.compare(nan, Harness.json("-1e300")) < 0);
    List<JsonNode> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) many.add(i % 3 == 0 ? nan : Json.mapper().getNodeFactory().numberNode(i % 7));
    many.sort(JqOrder.SORT); // a comparator that broke its contract could make this throw
    assertTrue(Double.isNaN(many.get(0).doubleValue()) && many.get(499).doubleValue() == 6);
  }

  /** A value as jq writes it: integral numbers without a fraction, negative zero as -0. */
  static String jqText(JsonNode v) {
    if (v.isNumber()) {
      double d = v.doubleValue();
      if (Double.isNaN(d)) return "null";
      if (d == Math.rint(d) && Math.abs(d) < 1e17) return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
      return Double.toString(d);
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode e : v) parts.add(jqText(e));
      return "[" + String.join(",", parts) + "]";
    }
    if (v.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        parts.add(text(Json.mapper().getNodeFactory().textNode(e.getKey())) + ":" + jqText(e.getValue()));
      }
      return "{" + String.join(",", parts) + "}";
    }
    return text(v);
  }

  private static String text(JsonNode v) {
    try {
      return Json.mapper().writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

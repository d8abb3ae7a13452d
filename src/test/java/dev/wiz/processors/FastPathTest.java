package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.junit.jupiter.api.Test;

/** The compiled fast path gives exactly what the jq interpreter gives: outputs and errors. */
class FastPathTest {
  static final List<String> FAST = List.of(
      ".", ".a", ".a.b", ".a.b.c", ".\"x y\"", ".[\"a\"]", ".a | .b",
      ".status == \"ok\"", ".status != \"ok\"", ".amount > 10", ".amount >= 10.5", ".amount < 1e3", ".amount <= -2",
      ".status == \"ok\" and .amount > 10", ".a or .b", ".a and (.b or .c)", ".a | not", "(.a == 1) | not",
      ".amount * 100", ".amount + 1", ".amount - .b", ".amount / 2", ".amount % 7", ".s + \"!\"", ".a + .b",
      "{id, user, amount_cents: (.amount * 100)}", "{id, \"the name\": .user, nested: {x: .a.b}}",
      "{ok: (.status == \"ok\"), big: (.amount > 10 and .amount < 1000)}", "null", "true", "\"text\"", "42", "1.5",
      ".a == null", ".a == .b", ".tags == \"x\" | not", ".amount > -1.5 or .b < -2",
      ".a < .b", ".a <= .b", ".a > .b", ".a >= .b", ".a != .b", ".amount == 7", ".amount == 7.0", ".amount != 41",
      ".amount == 0", ".amount >= 0", ".status < \"p\"", ".status >= \"ok\"", ".s == \"h\u00e9llo \ud83c\udf0d\"",
      ".s > \"h\"", ".a.b.c <= 3", ".id == .b", ".amount < .id", ".a == {}");

  static final List<String> INTERPRETED = List.of(
      ".items[]", "select(.a)", ".a?", "def not: 1; not", "{a: 1, a: 2}", "{(.k): 1}", ".a[0]", "[.a, .b]",
      ".a // 5", "if .a then 1 else 2 end", ".a as $x | $x", "length", "-.a", "keys");

  static final List<String> INPUTS = List.of(
      "{}", "null", "5", "\"str\"", "[1,2]", "true",
      "{\"id\":1,\"user\":\"ann\",\"status\":\"ok\",\"amount\":41.0,\"a\":{\"b\":{\"c\":3}},\"b\":2}",
      "{\"id\":2,\"status\":\"error\",\"amount\":7,\"a\":null,\"b\":null,\"c\":true}",
      "{\"id\":3,\"status\":\"ok\",\"amount\":\"12\",\"a\":5,\"s\":\"héllo 🌍\"}",
      "{\"amount\":123456789012345678901234567890,\"a\":[1],\"b\":[2],\"tags\":[\"x\"]}",
      "{\"amount\":1.0E308,\"a\":\"x\",\"b\":\"y\",\"x y\":\"spaced\",\"s\":5}",
      "{\"amount\":-0.0,\"a\":{\"b\":\"leaf\"},\"b\":{\"c\":1},\"tags\":[]}",
      "{\"amount\":null,\"a\":false,\"b\":0}", "{\"amount\":true,\"status\":[],\"a\":{}}");

  private static String outcome(Expression e, JsonNode in) {
    return outcome(e, in, Expression.newScope());
  }

  private static String outcome(Expression e, JsonNode in, JqScope scope) {
    List<String> out = new ArrayList<>();
    try {
      e.apply(scope, in, v -> out.add(v.toString()));
      return "ok " + out;
    } catch (JsonQueryException x) {
      return "error " + x.getMessage();
    } catch (RunCancelledException x) {
      throw new AssertionError("no run to cancel here", x);
    }
  }

  @Test
  void theFastPathGivesTheInterpretersOutputsAndErrorsOnEveryInput() throws Exception {
    int compared = 0;
    for (String program : FAST) {
      Expression fast = Expression.require(program, "/p", true);
      Expression slow = Expression.require(program, "/p", false);
      assertTrue(fast.fast(), program + " takes the fast path");
      assertFalse(slow.fast());
      for (String input : INPUTS) {
        JsonNode in = Harness.json(input);
        assertEquals(outcome(slow, in), outcome(fast, in), program + " on " + input);
        JqScope scope = Expression.newScope();
        String viaTest;
        String viaTestSlow;
        try {
          viaTest = "ok " + fast.test(scope, in);
        } catch (JsonQueryException x) {
          viaTest = "error " + x.getMessage();
        }
        try {
          viaTestSlow = "ok " + slow.test(scope, in);
        } catch (JsonQueryException x) {
          viaTestSlow = "error " + x.getMessage();
        }
        assertEquals(viaTestSlow, viaTest, "test(): " + program + " on " + input);
        compared++;
      }
    }
    assertEquals(FAST.size() * INPUTS.size(), compared);
  }

  @Test
  void theCommonCaseStaysOnTheFastPath() throws Exception {
    JsonNode event = Harness.json("{\"id\":4,\"user\":\"u\",\"country\":\"US\",\"amount\":69.81,\"status\":\"ok\"}");
    JqScope scope = Expression.newScope();
    assertEquals("true", Expression.require(".status == \"ok\" and .amount > 10", "/p").fastResult(event)
        .map(JsonNode::toString).orElse("gave up"));
    assertEquals("{\"id\":4,\"user\":\"u\",\"country\":\"US\",\"amount\":69.81,\"amount_cents\":6981}",
        Expression.require("{id, user, country, amount, amount_cents: (.amount * 100)}", "/p").fastResult(event)
            .map(JsonNode::toString).orElse("gave up"));
  }

  @Test
  void aRecordOnTheFastPathNeedsNoScopeSoTheBuiltinsAreNotLoaded() throws Exception {
    int onFastPath = 0;
    for (String program : FAST) {
      JqSupport.Compiled c = JqSupport.compile(program, "/p");
      assertTrue(c.ok() && c.fast() != null, program + " compiles with a fast path (and no probe)");
      Expression e = Expression.require(program, "/p");
      for (String input : INPUTS) {
        JsonNode in = Harness.json(input);
        boolean fast = e.fastResult(in).isPresent();
        JqScope scope = Expression.newScope();
        outcome(e, in, scope);
        // A record the fast path gives up on goes to the interpreter, which makes the scope.
        assertEquals(!fast, scope.made(), program + " on " + input);
        if (fast) onFastPath++;
      }
    }
    assertTrue(onFastPath > FAST.size() * INPUTS.size() / 2, onFastPath + " on the fast path");
    JqScope other = Expression.newScope();
    assertEquals("ok [1]", outcome(Expression.require("[.id] | length", "/p"), Harness.json("{}"), other));
    assertTrue(other.made());
  }

  @Test
  void theFastPathHandsOperatorsTheMapperOurScopesGiveThem() {
    assertSame(JqSupport.newScope().getObjectMapper(), JqSupport.MAPPER);
  }

  @Test
  void anUnknownFunctionIsStillFoundWhereThereIsNoFastPath() {
    JqSupport.Compiled c = JqSupport.compile(".a == 1 or (.b | nosuch)", "/p");
    assertEquals("jq: unknown function nosuch/0 in '.a == 1 or (.b | nosuch)'", c.problem().message());
  }

  @Test
  void otherFormsUseTheInterpreter() throws Exception {
    for (String program : INTERPRETED) {
      assertFalse(Expression.require(program, "/p").fast(), program + " is left to the interpreter");
    }
  }

  @Test
  void aRecordOffTheCommonCaseFallsBackToTheInterpretersError() throws Exception {
    Expression e = Expression.require(".a.b", "/p");
    assertTrue(e.fast());
    assertEquals(outcome(Expression.require(".a.b", "/p", false), Harness.json("{\"a\":5}")), outcome(e, Harness.json("{\"a\":5}")));
    assertTrue(outcome(e, Harness.json("{\"a\":5}")).startsWith("error Cannot index number"));
    assertEquals("ok [null]", outcome(e, Harness.json("{\"a\":null}")));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.processors.Harness.Ctx;
import org.junit.jupiter.api.Test;

/** Integer arithmetic in jq programs goes on in doubles, as jq's does, where a long would wrap. */
class JqArithmeticTest {
  private static final String BIG = "{\"a\":9223372036854775807,\"b\":100000000000000000000000000001,\"n\":-9223372036854775808}";

  private static String jq(String program, String record) throws Exception {
    return Harness.jqOne(program, record);
  }

  @Test
  void aResultBeyondALongIsADoubleNotAWrappedLong() throws Exception {
    // written as jq 1.6 writes these doubles
    assertEquals("9223372036854776000", jq(".a + 1", BIG));
    assertEquals("18446744073709552000", jq(".a * 2", BIG));
    assertEquals("-9223372036854776000", jq(".n - 1", BIG));
    assertEquals("9223372036854776000", jq(".a - -1", BIG), "the fast path's operators too");
    assertEquals("1e+29", jq(".b + 1", BIG), "an integer beyond 64 bits is not cut to 64 bits first");
  }

  @Test
  void builtinsAndAssignmentsDoTheSame() throws Exception {
    assertEquals("9223372036854776000", jq("[.a, 1] | add", BIG));
    assertEquals("9223372036854776000", jq(".a += 1 | .a", BIG));
    assertEquals("9223372036854776000", jq("reduce (1, .a) as $x (0; . + $x)", BIG));
    assertEquals("6", jq(".b % 7", BIG), "a remainder of big integers is exact");
  }

  @Test
  void everythingElseIsAsBefore() throws Exception {
    assertEquals("{\"i\":7,\"l\":9223372036854775806,\"d\":2.5,\"s\":\"xy\",\"arr\":[1,2],\"o\":{\"p\":1,\"q\":2},\"m\":1}",
        jq("{i: (3 + 4), l: (.a - 1), d: (1.5 + 1), s: (\"x\" + \"y\"), arr: ([1] + [2]), o: ({p: 1} * {q: 2}), m: (10 % 3)}", BIG));
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\".a % 0\"}", ctx, BIG);
    assertEquals(1, ctx.rejected.size());
    assertTrue(ctx.rejected.get(0).contains("because the divisor is zero"), ctx.rejected.get(0));
  }
}

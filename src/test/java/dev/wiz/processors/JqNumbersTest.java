package dev.wiz.processors;

import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processors.Harness.Ctx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Numbers in jq: a number jq computes is written, and made text, as jq 1.6 does (the expected
 * values are what jq 1.6 printed for the same program and record); a number read from the input
 * keeps its text, in the output and in text made from it, while jq computes with its value.
 */
class JqNumbersTest {
  private static final String RECORD = "{\"id\":35,\"price\":\"19.99\",\"n\":1e10,\"m\":41.0,\"z\":-0,\"big\":1E+400}";

  private static String jq(String program, String record) throws Exception {
    return Harness.jqOne(program, record);
  }

  @Test
  void numbersJqComputesAreWrittenAsJq16WritesThem() throws Exception {
    assertEquals("{\"page\":3,\"c\":1999,\"l\":2,\"s\":100000,\"e\":0.00031622776601683794,\"p\":18446744073709552000,"
        + "\"x\":1e+17,\"y\":1e-07,\"q\":0.30000000000000004,\"na\":null,\"inf\":1.7976931348623157e+308,"
        + "\"ninf\":-1.7976931348623157e+308,\"d\":5,\"h\":17.5}",
        jq("{page: (.id/10|floor), c: (.price|tonumber*100|round), l: (.id|log10|ceil), s: (1e10|sqrt),"
            + " e: (-3.5|exp10), p: pow(2;64), x: (1e17 + 0), y: (1e-7 + 0), q: (0.1 + 0.2), na: nan,"
            + " inf: infinite, ninf: -infinite, d: (.id / 7), h: (.id / 2)}", RECORD));
  }

  @Test
  void anInterpolationInsideAnIndexOrANegationIsMadeTextAsJqMakesIt() throws Exception {
    // wiz's own nodes (a computed index, a negation) are walked into by the patches that follow them
    assertEquals("{\"a\":5,\"b\":[5],\"c\":-5}",
        jq("{a: .[\"p\\(.id/35*1e19)\"], b: [.[\"p\\(1e19)\"]], c: (-(\"\\(1e19)\"|length))}",
            "{\"p1e+19\":5,\"id\":35}"));
  }

  @Test
  void tojsonAndInterpolationWriteAValueNestedDeeperThanWizReads() throws Exception {
    // The sinks' advice for a record nested more than 1000 levels deep is tojson, which wrote at most
    // 1000. (jq 1.6 writes "<skipped: too deep>" past 256 levels: wiz writes the whole value.)
    assertEquals("[2101,2101,6123]",
        jq("(reduce range(1050) as $i (1; [.])) as $v | [($v | tojson | length), (\"\\($v)\" | length),"
            + " (reduce range(1020) as $i (\"x\"; {a: .}) | tostring | length)]", "{}"));
  }

  /** No Java frame per level: what a worker's stack holds no longer decides (nor what the JIT compiled). */
  @Test
  void theTextOfAValueIsWrittenAtAnyDepth() throws Exception {
    assertEquals("[40001,40001,40001,40001,40001,120003]",
        jq("(reduce range(20000) as $i (1; [.])) as $v | [($v | tojson | length), (\"\\($v)\" | length),"
            + " ($v | tostring | length), ($v | @json | length), ($v | @text | length),"
            + " (reduce range(20000) as $i (\"x\"; {a: .}) | tojson | length)]", "{}"));
    assertEquals("\"[[[1.5,{\\\"n\\\":1e+19,\\\"t\\\":41.0}]]]\"",
        jq("[[[1.5, {n: 1e19, t: .t}]]] | tojson", "{\"t\":41.0}"), "numbers inside, as jq writes them or as read");
  }

  @Test
  void aNegationOfANonNumberNamesTheValueAsJqDoes() throws Exception {
    // jq 1.6: string ("5") cannot be negated; jackson-jq named the whole input
    assertEquals("[\"string (\\\"5\\\") cannot be negated\",\"null (null) cannot be negated\",-5,0]",
        jq("[(try -.d catch .), (try -(.missing) catch .), -(.d | tonumber), -.z]",
            "{\"d\":\"5\",\"z\":-0}"));
  }

  @Test
  void wholeNumbersComputedInDoublesStayDoublesBeyond2To53() throws Exception {
    // jackson-jq made them 64-bit integers, with digits jq's doubles do not have
    assertEquals("[1152921504606847000,1152921504606847000,1152921504606847000,9007199254740992,1e+16,"
        + "1152921504606847000,-1e+17,1e+17,1e+17,-9223372036854775807,9223372036854776000,\"9223372036854776000\","
        + "9223372036854776000,4503599627370496]",
        jq("[pow(2;60), (pow(2;60) + 0), (\"1152921504606846977\" | tonumber), (\"9007199254740993\" | tonumber),"
            + " (1e16 / 1), (pow(2;60) / 1), -(1e17), ([1e17] | add), (-1e17 | length), -.a, (.a + 1 - 1),"
            + " (.a + 1 | tostring), -.b, (pow(2;52) + 0)]", "{\"a\":9223372036854775807,\"b\":-9223372036854775808}"));
  }

  @Test
  void theNegationOfAnIntegerStaysExactSoTheSmallest64BitIntegerCanBeWrittenAsTheDocsSay() throws Exception {
    // jackson-jq negated in doubles: (-9223372036854775807 - 1) was -9223372036854776000
    String record = "{\"m\":-9223372036854775808,\"a\":9007199254740993}";
    assertEquals("[-9223372036854775808,\"-9223372036854775808\",-9223372036854775807,true,-9007199254740993,"
        + "9223372036854775807,-9223372036854775807]",
        jq("[(-9223372036854775807 - 1), ((-9223372036854775807 - 1) | tostring), (-9223372036854775807 - 1 + 1),"
            + " ((-9223372036854775807 - 1) == .m), -.a, -(-9223372036854775807), (0 - 9223372036854775807)]", record));
    assertEquals("-9223372036854775807", jq("-9223372036854775807", record), "on the fast path too");
    assertTrue(Expression.require("-9223372036854775807", "/p", true).fast());
    // a double stays a double (jq's), and -(-2^63) is beyond 64 bits: computed in doubles, as jq does
    assertEquals("[-1e+17,-1152921504606847000,9223372036854776000,-3]",
        jq("[-(1e17), -(pow(2;60)), -.m, -(3.0)]", record));
  }

  @Test
  void interpolationTostringTojsonJoinAndTheFormatsMakeTheSameText() throws Exception {
    assertEquals("[\"p3\",\"3\",\"3\",\"3\",\"3,1e+19\",\"[3]\",\"[1,1e+19,null]\",\"3 1e+19 1e-07 null\"]",
        jq("[(\"p\\(.id/10|floor)\"), (.id/10|floor|tostring), (.id/10|floor|tojson), ([.id/10|floor]|join(\"-\")),"
            + " ([.id/10|floor, 1e19]|@csv), ([.id/10|floor]|@text), (\"\\([1.0, 1e19, nan])\"),"
            + " ([3.0, 1e19, 1e-7, nan] | join(\" \"))]", RECORD));
    assertEquals("[\"x3.5\",\"3.5,\\\"a\\\"\",\"echo 3\",\"%5B3%5D\"]",
        jq("[@json \"x\\(.id/10)\", @csv \"\\([.id/10, \"a\"])\", @sh \"echo \\(.id/10|floor)\", @uri \"\\([3.0])\"]", RECORD),
        "a format still applies to each interpolated value");
  }

  @Test
  void numbersReadKeepTheirTextInTextToWhileJqComputesWithTheirValue() throws Exception {
    assertEquals("[\"1e10\",\"1e10 41.0 -0\",\"1e10,41.0\",10000000000,true,true,true,"
        + "\"{\\\"n\\\":1e10,\\\"m\\\":41.0,\\\"z\\\":-0}\",\"1E+400\",\"41.0\",[-0,1e10]]",
        jq("[(.n|tostring), \"\\(.n) \\(.m) \\(.z)\", ([.n,.m]|join(\",\")), (.n + 0), (.n == 10000000000), (.m == 41),"
            + " (.z == 0), ({n,m,z}|tojson), (.big|tostring), (.m|tojson), ([.n, .z] | sort)]", RECORD));
    assertEquals(RECORD, jq(".", RECORD), "a step that does not touch a number writes it as it was written");
    assertEquals("{\"id\":35,\"price\":\"19.99\",\"n\":1e10,\"m\":41.0,\"z\":-0,\"big\":1E+400,\"k\":\"p1e10\"}",
        jq(".k = \"p\\(.n)\"", RECORD));
  }

  @Test
  void errorMessagesWriteNumbersAsJqDoes() throws Exception {
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\"\\\"a\\\" + (.n / 1e17)\"}", ctx, RECORD);
    assertEquals(1, ctx.rejected.size());
    assertTrue(ctx.rejected.get(0).endsWith(" jq: string (\"a\") and number (1e-07) cannot be added"), ctx.rejected.get(0));
  }

  @Test
  void theFastPathAndTheInterpreterWriteTheSameNumbers() throws Exception {
    List<String> programs = List.of(".", ".n", "{n, m, z, c: (.m * 100), d: (.n / 4), e: 1.0, f: -2, g: -1.5e300,"
        + " h: (.m - 41), i: (.n * 1e10)}", ".m * 1e300 * 1e300", "-1e17", ".n > 1e9 and .z == 0");
    JsonNode in = Harness.json(RECORD);
    for (String program : programs) {
      Expression fast = Expression.require(program, "/p", true);
      Expression slow = Expression.require(program, "/p", false);
      assertTrue(fast.fast(), program);
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      fast.apply(Expression.newScope(), in, v -> a.add(Harness.text(v)));
      slow.apply(Expression.newScope(), in, v -> b.add(Harness.text(v)));
      assertEquals(b, a, program);
    }
    assertEquals("{\"n\":1e10,\"m\":41.0,\"z\":-0,\"c\":4100,\"d\":2500000000,\"e\":1,\"f\":-2,\"g\":-1.5e+300,"
        + "\"h\":0,\"i\":1e+20}", jq("{n, m, z, c: (.m * 100), d: (.n / 4), e: 1.0, f: -2,"
            + " g: -1.5e300, h: (.m - 41), i: (.n * 1e10)}", RECORD));
  }
}

package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.processor.ConfigProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class JqNamesTest {

  private static List<ConfigProblem> check(String program) {
    return Expression.check(program, "/p");
  }

  @Test
  void anUndefinedVariableIsFoundAtCompileTimeWithItsOffset() {
    List<ConfigProblem> p = check(".a + $undefinedvar");
    assertEquals(1, p.size(), p.toString());
    assertEquals(5, p.get(0).offset());
    assertEquals("jq: $undefinedvar is not defined in '.a + $undefinedvar'; bind it first"
        + " ('... as $undefinedvar | ...' or a function parameter), or write .undefinedvar for a field of the record",
        p.get(0).message());
  }

  @Test
  void variablesOutsideTheirScopeOrNeverBoundAreFound() {
    String[][] cases = {
        {"$undefinedvar", "undefinedvar"},
        {".a as $x | $y", "y"},
        {"(. as $x | $x) | $x", "x"},
        {"reduce .[] as $x ($x; .)", "x"},
        {"foreach .[] as $x ($x; .; .)", "x"},
        {"def f($a): $a; $a", "a"},
        {"def f: $x; . as $x | f", "x"},
        {"def f: $x; 1", "x"},
        {"{$nope}", "nope"},
        {"\"text \\($nope)\"", "nope"},
        {"if false then $nope else . end", "nope"},
        {"[.[] | . as $v | $v], $v", "v"},
        {"$ENV.HOME", "ENV"},
    };
    for (String[] c : cases) {
      List<ConfigProblem> p = check(c[0]);
      assertEquals(1, p.size(), c[0] + ": " + p);
      assertTrue(p.get(0).message().startsWith("jq: $" + c[1] + " is not defined"), c[0] + ": " + p);
      assertTrue(p.get(0).offset() >= 0 && c[0].startsWith("$" + c[1], p.get(0).offset()), c[0] + ": " + p);
    }
  }

  @Test
  void variablesBoundInTheProgramAreValid() {
    String[] programs = {
        ". as $x | $x",
        ".a as $x | .b as $y | [$x, $y]",
        ". as $x | [$x | . as $y | $y + $x]",
        "reduce .[] as $x (0; . + $x)",
        "foreach .[] as $x (0; . + $x; [$x, .])",
        "def f($a): $a; f(1)",
        "def f($a; $b): $a + $b; f(1; 2)",
        "def f(g): g; f(.a)",
        ". as [$a, {b: $c}] | [$a, $c]",
        ". as {$a, $b: [$c], (.k): $d} | [$a, $b, $c, $d]",
        ". as $x | def f: $x; f",
        "label $out | 1, break $out",
        "\"$x is text\" | .",
        "# $x in a comment\n.",
        "{a: 1} as {$a} | {$a}",
        "def f: g; def g: 1; f",
    };
    for (String program : programs) {
      assertEquals(List.of(), check(program), program);
    }
  }

  @Test
  void unknownFunctionsAreFoundWithoutRunningTheProgram() {
    // on null the else branch runs: only a look at the whole program finds the call
    List<ConfigProblem> p = check("if .x then nosuch(.) else . end");
    assertEquals(1, p.size(), p.toString());
    assertEquals("jq: unknown function nosuch/1 in 'if .x then nosuch(.) else . end'", p.get(0).message());
    assertEquals(11, p.get(0).offset());
    // jackson-jq binds $a only as a variable, not also as the function a/0
    assertEquals("jq: unknown function a/0 in 'def f($a): a; f(3)'", check("def f($a): a; f(3)").get(0).message());
    for (String program : new String[] {"map(.a) | length", "select(.a) | not", "def g: 1; g", "test(\"a\")",
        "def f(g): g | g; f(.)", "[limit(2; .[])]", "{name: .a}"}) {
      assertEquals(List.of(), check(program), program);
    }
  }

  @Test
  void everyFreeNameIsReported() {
    List<ConfigProblem> p = check("[$a, $b, nosuch]");
    assertEquals(List.of("jq: $a", "jq: $b", "jq: unknown function nosuch/0"),
        p.stream().map(c -> c.message().substring(0, c.message().indexOf(c.message().startsWith("jq: $") ? " is" : " in")))
            .toList());
    assertEquals(List.of(1, 5, 9), p.stream().map(ConfigProblem::offset).toList());
  }

  @Test
  void anExpressionWithAnUndefinedVariableIsNeverPrepared() {
    try {
      Expression.require("$nope", "/where");
    } catch (dev.wiz.processor.ProcessorException e) {
      assertTrue(e.getMessage().startsWith("/where: jq: $nope is not defined"), e.getMessage());
      return;
    }
    throw new AssertionError("prepared");
  }
}

package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import org.junit.jupiter.api.Test;

/** wiz's sub and gsub ({@link JqSub}): jq 1.6's results, and jq 1.7's where jq 1.6 never ends. */
class JqSubTest {

  /** The outputs of a program on a JSON input, as JSON texts, or {@code error: message}. */
  private static List<String> jq(String input, String program) {
    return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      List<String> out = new ArrayList<>();
      try {
        Expression e = Expression.require(program, "/p", false);
        for (JsonNode v : e.all(Expression.newScope(), Json.mapper().readTree(input))) out.add(v.toString());
      } catch (JsonQueryException e) {
        out.add("error: " + JqSupport.message(e));
      }
      return out;
    }, input + " | " + program);
  }

  private static void expect(String input, String program, String... outputs) {
    assertEquals(List.of(outputs), jq(input, program), input + " | " + program);
  }

  @Test
  void aRegexThatMatchesTheEmptyStringMovesOnByOneCharacterAsInJq17() {
    // jq 1.6 never ends on these; the outputs are jq 1.7.1's
    expect("\"ab c\"", "gsub(\"\\\\s*\"; \"\")", "\"abc\"");
    expect("\"ab c\"", "gsub(\"^\"; \">\")", "\">ab c\"");
    expect("\"ab c\"", "gsub(\"x*\"; \"-\")", "\"-a-b- -c-\"");
    expect("\"ab c\"", "gsub(\"(?=b)\"; \"|\")", "\"a|b c\"");
    expect("\"ab c\"", "gsub(\"\"; \"-\")", "\"-a-b- -c-\"");
    expect("\"ab c\"", "gsub(\" *\"; \"-\")", "\"-a-b--c-\"");
    expect("\"xyz\"", "gsub(\"x*\"; \"-\")", "\"--y-z-\"");
    expect("\"xyz\"", "gsub(\"\"; \"\")", "\"xyz\"");
    expect("\"ab\"", "gsub(\"(?<x>)\"; \"[\\(.x)]\")", "\"[]a[]b[]\"");
    expect("\"ab c\"", "sub(\"x*\"; \"-\"; \"g\")", "\"-a-b- -c-\"");
    expect("\"ab c\"", "gsub(\"x*\"; \"-\"; \"i\")", "\"-a-b- -c-\"");
    // a whole character at a time, never inside one (jq 1.7 steps by a byte: "-😀----é--")
    expect("\"😀é\"", "gsub(\"\"; \"-\")", "\"-😀-é-\"");
    // the n flag skips empty matches
    expect("\"ab c\"", "gsub(\"\\\\s*\"; \"-\"; \"n\")", "\"ab-c\"");
  }

  @Test
  void aMatchThatReachesTheEndOfTheStringIsTheLastAsInJq16() {
    expect("\"ab c  \"", "gsub(\"\\\\s*$\"; \"!\")", "\"ab c!\""); // jq 1.7: "ab c!!"
    expect("\"ab\"", "gsub(\"b?$\"; \"!\")", "\"a!\""); // jq 1.7: "a!!"
    expect("\"ab\"", "gsub(\"$\"; \"!\")", "\"ab!\"");
    expect("\"\"", "gsub(\"\"; \"y\")", "\"y\"");
    expect("\"\"", "gsub(\"x\"; \"y\")", "\"\"");
  }

  @Test
  void everythingElseIsAsInJq16() {
    // each output taken from jq 1.6
    String[][] cases = {
        {"\"aaa\"", "gsub(\"a\"; \"b\")", "\"bbb\""},
        {"\"abab\"", "gsub(\"(?<=a)b\"; \"X\")", "\"aXaX\""},
        {"\"abab\"", "gsub(\"b(?=a)\"; \"X\")", "\"aXab\""},
        {"\"a1b2\"", "gsub(\"(?<d>\\\\d)\"; \"<\\(.d)>\")", "\"a<1>b<2>\""},
        {"\"a1b2\"", "gsub(\"(\\\\d)\"; \"<\\(.)>\")", "\"a<{}>b<{}>\""},
        {"\"a1b2\"", "gsub(\"(?<d>\\\\d)|(?<l>[a-z])\"; \"\\(.d)/\\(.l)\")", "\"null/a1/nullnull/b2/null\""},
        {"\"abc\"", "sub(\"(?<x>b)(?<y>c)\"; \"\\(.y)\\(.x)\")", "\"acb\""},
        {"\"abc\"", "sub(\"(?<x>z)?b\"; \"[\\(.x)]\")", "\"a[null]c\""},
        {"\"abc\"", "sub(\"(?<x>z?)b\"; \"[\\(.x)]\")", "\"a[]c\""},
        {"\"abcabc\"", "gsub(\"(?<x>[ac])\"; \"\\(.x|ascii_upcase)\")", "\"AbCAbC\""},
        {"\"AbA\"", "gsub(\"a\"; \"x\"; \"i\")", "\"xbx\""},
        {"\"AbA\"", "sub(\"a\"; \"x\"; \"gi\")", "\"xbx\""},
        {"\"AbA\"", "sub(\"a\"; \"x\"; \"i\")", "\"xbA\""},
        {"\"a b\"", "gsub(\"a b\"; \"x\"; \"x\")", "\"a b\""},
        {"\"a b\"", "gsub(\"a\\\\ b\"; \"x\"; \"x\")", "\"x\""},
        {"\"a\\nb\"", "gsub(\"a.b\"; \"X\")", "\"a\\nb\""},
        {"\"line1\\nline2\"", "gsub(\"(?m)^l\"; \"L\")", "\"Line1\\nLine2\""},
        {"\"aaa\"", "gsub(\"a+\"; \"b\"; \"l\")", "\"b\""},
        {"\"héllo wörld\"", "gsub(\"ö\"; \"o\")", "\"héllo world\""},
        {"\"😀a😀\"", "gsub(\"😀\"; \"x\")", "\"xax\""},
        {"\"abcb\"", "sub(\"b\"; \"x\"; null)", "\"axcb\""},
        {"\"abcb\"", "gsub(\"b\"; null)", "\"ac\""},
        {"\"abcb\"", "gsub(\"z\"; empty)", "\"abcb\""},
        {"\"abcb\"", "gsub(\"b\"; \"x\"; \"n\")", "\"axcx\""},
    };
    for (String[] c : cases) expect(c[0], c[1], c[2]);
  }

  @Test
  void aReplacementWithSeveralOutputsGivesEveryCombinationAsInJq16() {
    expect("\"abc\"", "gsub(\"b\"; \"1\", \"2\")", "\"a1c\"", "\"a2c\"");
    expect("\"abcb\"", "gsub(\"b\"; \"1\", \"2\")", "\"a1c1\"", "\"a2c1\"", "\"a1c2\"", "\"a2c2\"");
    expect("\"abcb\"", "sub(\"b\"; \"1\", \"2\")", "\"a1cb\"", "\"a2cb\"");
    expect("\"abc\"", "[sub(\"(?<x>b)\"; \"\\(.x)1\", \"\\(.x)2\")]", "[\"ab1c\",\"ab2c\"]");
    expect("\"abcb\"", "gsub(\"b\"; empty)");
    expect("\"abcb\"", "sub(\"b\"; empty)");
    // several regexes or flags: each, and jq 1.6's sub repeats its outputs once per flags output
    expect("\"abcb\"", "gsub(\"b\", \"c\"; \"x\")", "\"axcx\"", "\"abxb\"");
    expect("\"abcb\"", "gsub(\"b\"; \"x\"; \"g\", \"i\")", "\"axcx\"", "\"axcx\"", "\"axcx\"", "\"axcx\"");
    expect("\"abcb\"", "sub(\"b\"; \"x\"; \"g\", \"\")", "\"axcx\"", "\"axcx\"", "\"axcb\"", "\"axcb\"");
  }

  @Test
  void wrongTypesAreJqsErrors() {
    // jq 1.6's messages; the replacement's is for the gap before the last match, which jq adds first
    expect("\"abcb\"", "gsub(\"b\"; 1)", "error: string (\"c\") and number (1) cannot be added");
    expect("\"bcb\"", "gsub(\"b\"; {})", "error: string (\"c\") and object ({}) cannot be added");
    expect("\"abcb\"", "gsub(\"b\"; true)", "error: string (\"c\") and boolean (true) cannot be added");
    expect("1", "gsub(\"a\"; \"b\")", "error: number (1) cannot be matched, as it is not a string");
    expect("null", "sub(\"a\"; \"b\")", "error: null (null) cannot be matched, as it is not a string");
    expect("\"a\"", "gsub(1; \"b\")", "error: number (1) is not a string");
    expect("\"a\"", "sub(\"a\"; \"b\"; 1)", "error: number (1) is not a string");
    expect("\"a\"", "sub(\"a\"; \"b\"; \"q\")", "error: q is not a valid modifier string");
    expect("\"a\"", "gsub(\"(\"; \"b\")", "error: Regex failure: end pattern with unmatched parenthesis");
    expect("\"a\"", "try test(\"(\") catch .", "\"Regex failure: end pattern with unmatched parenthesis\"");
    expect("\"a\"", "[match(\"[\"; \"g\")]", "error: Regex failure: premature end of char-class");
  }

  @Test
  void aRegexThatDoesNotCompileRejectsOnlyItsRecord() throws Exception {
    Harness.Ctx ctx = new Harness.Ctx();
    List<String> out = Harness.run(new JqFactory(), "{\"program\":\".r as $r | .s | [test($r), sub($r; \\\"-\\\")]\"}", ctx,
        "{\"s\":\"ab\",\"r\":\"(\"}", "{\"s\":\"ab\",\"r\":\"b\"}");
    assertEquals(List.of("[true,\"a-\"]"), out);
    assertEquals(List.of("{\"s\":\"ab\",\"r\":\"(\"} jq: Regex failure: end pattern with unmatched parenthesis"),
        ctx.rejected);
  }

  @Test
  void aLongStringWithManyMatchesIsReplacedInOnePass() {
    String text = "\"" + "a ".repeat(20_000) + "\"";
    expect(text, "gsub(\" \"; \"\") | length", "20000");
    expect(text, "gsub(\"\"; \"-\") | length", "80001");
  }

  @Test
  void noRegexBuiltinLoopsForeverOnEmptyMatches() throws Exception {
    String[] regexes = {"", "^", "$", "x*", "\\\\s*", "(?=b)", "(?<=a)", "\\\\b", "(?<x>)", "(?<x>b)|"};
    String[] inputs = {"\"ab c\"", "\"\"", "\"😀é\"", "\"a\\nb\""};
    String[] programs = {"[match(R; \"g\")] | length", "[match(R)] | length", "test(R)", "[scan(R)] | length",
        "[capture(R; \"g\")] | length", "[splits(R)] | length", "split(R; null) | length", "sub(R; \"-\")",
        "gsub(R; \"-\")", "[sub(R; \"1\", \"2\"; \"g\")] | length", "gsub(R; \"-\"; \"x\")"};
    for (String regex : regexes) {
      // all of them in one program, each under try: one compile per regex and input
      String all = "[" + String.join(", ", java.util.Arrays.stream(programs)
          .map(p -> "(try (" + p.replace("R", "\"" + regex + "\"") + ") catch \"error: \\(.)\")").toList()) + "]";
      for (String input : inputs) {
        List<String> out = jq(input, all);
        assertEquals(1, out.size(), input + " | " + all);
        assertEquals(programs.length, Json.mapper().readTree(out.get(0)).size(), input + " | " + all + ": " + out);
        assertEquals(false, out.get(0).contains("error"), input + " | " + all + ": " + out);
      }
    }
  }

  @Test
  void matchFindsAnEmptyMatchOncePerCharacterAndCountsInCharacters() {
    // jackson-jq searched again a byte on, inside a character: [0,0,1]; jq 1.6 gives nothing there
    expect("\"äb\"", "[match(\"\"; \"g\").offset]", "[0,1]");
    expect("\"😀é\"", "[match(\"x*\"; \"g\") | [.offset, .length]]", "[[0,0],[1,0]]");
    expect("\"äbbc\"", "[match(\"b*\"; \"g\") | [.offset, .length]]", "[[0,0],[1,2],[3,0]]");
    expect("\"äbc\"", "[scan(\"x*\")] | length", "3");
    // as jq 1.6 on ASCII, with no empty match at the end of the string
    expect("\"ab\"", "[match(\"\"; \"g\").offset]", "[0,1]");
    expect("\"aab\"", "[match(\"a*\"; \"g\") | [.offset, .length]]", "[[0,2],[2,0]]");
    expect("\"\"", "[match(\"\"; \"g\").offset]", "[0]");
    // an empty match after where the search began is found once (jq 1.6 and jackson-jq: [1,1])
    expect("\"ab\"", "[match(\"(?=b)\"; \"g\").offset]", "[1]");
    expect("\"xxxb\"", "[match(\"(?=b)\"; \"g\").offset]", "[3]");
  }

  @Test
  void matchObjectsAreJq16s() {
    expect("\"a😀éb\"", "match(\"(é)(x)?(?<n>b)\")",
        "{\"offset\":2,\"length\":2,\"string\":\"éb\",\"captures\":[{\"offset\":2,\"length\":1,\"string\":\"é\",\"name\":null},"
            + "{\"offset\":-1,\"string\":null,\"length\":0,\"name\":null},{\"offset\":3,\"length\":1,\"string\":\"b\",\"name\":\"n\"}]}");
    // the empty match at 1 has its capture as jq 1.8 gives it (jq 1.6: no captures at all)
    expect("\"ab\"", "[match(\"(?<x>a)?\"; \"g\")] | map(.captures)", "[[{\"offset\":0,\"length\":1,\"string\":\"a\",\"name\":\"x\"}],"
        + "[{\"offset\":-1,\"string\":null,\"length\":0,\"name\":\"x\"}]]");
    expect("\"aBc\"", "[test(\"b\"), test(\"b\"; \"i\"), test(\"b\"; null)]", "[false,true,false]");
    expect("\"a\"", "test(\"(\")", "error: Regex failure: end pattern with unmatched parenthesis");
    expect("\"a\"", "test(1)", "error: number not a string or array");
    expect("1", "test(\"a\")", "error: number (1) cannot be matched, as it is not a string");
  }

  @Test
  void anEmptyMatchHasItsCapturesAsInJq18AndAsSubGivesThem() {
    // jq 1.6 gives {} in all three (an empty match had no captures); jq 1.7.1 {"x":""} in all three
    expect("\"abc\"", "capture(\"(?<x>z*)\")", "{\"x\":\"\"}");
    expect("\"c\"", "capture(\"(?<x>a)?b?\")", "{\"x\":null}");
    expect("\"abc\"", "[match(\"(?<x>z*)\"; \"g\") | .captures[0] | [.offset, .length, .string]]",
        "[[0,0,\"\"],[1,0,\"\"],[2,0,\"\"]]");
    // a lookahead's group takes part in an empty match with text of its own
    expect("\"ab\"", "[match(\"(?=(?<n>b))\"; \"g\") | .captures[0] | [.offset, .length, .string]]", "[[1,1,\"b\"]]");
    // sub and capture agree on what the replacement sees
    expect("\"abc\"", "[sub(\"(?<x>z*)\"; \"[\\(.x)]\"), sub(\"(?<x>z)?\"; \"[\\(.x)]\")]", "[\"[]abc\",\"[null]abc\"]");
    expect("\"abc\"", "[scan(\"(z*)\")]", "[[\"\"],[\"\"],[\"\"]]");
  }

  @Test
  void anEmptyCaptureHasItsKeysInJqsOrder() {
    // jq (1.6 and 1.7.1) writes a capture of no text as offset, string, length, name, as it writes
    // one that took no part; wiz wrote offset, length, string
    expect("\"😀a\"", "match(\"(?<x>)a\") | .captures", "[{\"offset\":1,\"string\":\"\",\"length\":0,\"name\":\"x\"}]");
    expect("\"abc\"", "match(\"(?<x>z*)\") | .captures", "[{\"offset\":0,\"string\":\"\",\"length\":0,\"name\":\"x\"}]");
    expect("\"ab\"", "match(\"(a)(b?)\") | .captures",
        "[{\"offset\":0,\"length\":1,\"string\":\"a\",\"name\":null},{\"offset\":1,\"length\":1,\"string\":\"b\",\"name\":null}]");
  }

  @Test
  void theNFlagSkipsEmptyMatchesAlsoWhenTheRegexHasGroups() {
    // joni failed with a NullPointerException on these; the outputs are jq 1.6's
    expect("\"abc\"", "test(\"(b)\"; \"n\")", "true");
    expect("\"aa\"", "[match(\"(a)*?\"; \"gn\").string]", "[\"a\",\"a\"]");
    expect("\"aa\"", "[match(\"a*?\"; \"gn\").string]", "[\"a\",\"a\"]");
    expect("\"AbC aBc\"", "split(\"(?<n>b)$\"; \"n\")", "[\"AbC aBc\"]");
    expect("\"AbC aBc\"", "[match(\"(?<n>b)$\"; \"gn\")]", "[]");
    expect("\"a-b\"", "[match(\"(?<x>-)?\"; \"gn\") | .captures[0].name]", "[\"x\"]");
    expect("\"a b\"", "gsub(\"(\\\\s)*\"; \"_\"; \"n\")", "\"a_b\"");
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.Json;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class JqProcessorsTest {

  @Test
  void jqGivesZeroOneOrManyRecordsPerRecord() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("1", "2", "3"), run(new JqFactory(), "{\"program\":\".xs[]\"}", ctx,
        "{\"xs\":[1,2]}", "{\"xs\":[]}", "{\"xs\":[3]}"));
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void jqRuntimeErrorsRejectTheRecordAndKeepTheRest() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(new JqFactory(), "{\"program\":\"{id, k: (.tags | keys)}\"}", ctx,
        "{\"id\":1,\"tags\":{\"a\":1}}", "{\"id\":2,\"tags\":5}", "{\"id\":3,\"tags\":{}}");
    assertEquals(List.of("{\"id\":1,\"k\":[\"a\"]}", "{\"id\":3,\"k\":[]}"), out);
    assertEquals(1, ctx.rejected.size());
    assertTrue(ctx.rejected.get(0).startsWith("{\"id\":2,\"tags\":5} jq: "), ctx.rejected.get(0));
  }

  @Test
  void aJavaErrorInsideJacksonJqIsSaidInJqsTerms() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("12"), run(new JqFactory(), "{\"program\":\".v | tonumber\"}", ctx, "{\"v\":\"x\"}", "{\"v\":\"12\"}"));
    assertEquals(List.of("{\"v\":\"x\"} jq: string (\"x\") cannot be parsed as a number"), ctx.rejected, "it said 'N/A'");
  }

  @Test
  void filterKeepsTruthyRecordsOnceAndRejectsErrors() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(new FilterFactory(), "{\"where\":\".a\"}", ctx,
        "{\"a\":true}", "{\"a\":false}", "{\"a\":null}", "{}", "{\"a\":0}", "{\"a\":\"\"}");
    assertEquals(List.of("{\"a\":true}", "{\"a\":0}", "{\"a\":\"\"}"), out, "only false and null are falsy, as in jq");
    assertEquals(List.of("{\"a\":[1,2]}"), run(new FilterFactory(), "{\"where\":\".a[] | . > 1\"}", ctx, "{\"a\":[1,2]}", "{\"a\":[0]}"),
        "kept once when any output is true");
    Ctx errors = new Ctx();
    assertEquals(List.of(), run(new FilterFactory(), "{\"where\":\"(.c | keys | length) > 0\"}", errors, "{\"a\":1,\"b\":\"x\",\"c\":5}"));
    assertEquals(1, errors.rejected.size());
  }

  @Test
  void syntaxErrorsAreFoundAtValidationWithTheirColumn() {
    List<ConfigProblem> p = new JqFactory().check(Json.mapper().createObjectNode().put("program", "{id, user"), Harness.SETUP);
    assertEquals(1, p.size());
    assertEquals("/program", p.get(0).pointer());
    assertEquals(8, p.get(0).offset());
    assertEquals("jq syntax error at column 9: unexpected end of expression in '{id, user'", p.get(0).message());
    List<ConfigProblem> f = new FilterFactory().check(Json.mapper().createObjectNode().put("where", ".a +* 3"), Harness.SETUP);
    assertEquals("/where", f.get(0).pointer());
    assertEquals("jq syntax error at column 5: unexpected '*' in '.a +* 3'", f.get(0).message());
  }

  @Test
  void aProgramTooDeepToCompileIsAConfigProblemNotAStackOverflow() throws Exception {
    // On a thread of a known, small stack: the outcome does not hang on the JVM's defaults.
    String chained = String.join(" + ", java.util.Collections.nCopies(20_000, ".a"));
    String nested = "(".repeat(20_000) + ".a" + ")".repeat(20_000);
    for (String program : List.of(chained, nested)) {
      List<List<ConfigProblem>> found = new java.util.ArrayList<>();
      Thread t = new Thread(null, () -> found.add(new JqFactory().check(
          Json.mapper().createObjectNode().put("program", program), Harness.SETUP)), "small-stack", 256 * 1024);
      t.start();
      t.join();
      assertEquals(1, found.size(), "the check returned");
      List<ConfigProblem> p = found.get(0);
      assertEquals(1, p.size(), p.toString());
      assertEquals("/program", p.get(0).pointer());
      assertEquals(0, p.get(0).offset());
      assertTrue(p.get(0).message().startsWith("jq: the program nests too deeply to compile (" + program.length()
          + " characters): split it into several steps"), p.get(0).message());
    }
  }

  @Test
  void anIntegerLiteralBeyond64BitsInAStringInterpolationIsNamedWithItsColumn() throws Exception {
    List<ConfigProblem> p = new JqFactory().check(Json.mapper().createObjectNode()
        .put("program", "\"x\\(\"\\\")(\" + \"\\(1 + (2)) 12345678901234567890\") \\((.b) - 12345678901234567890)\""),
        Harness.SETUP);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).message().startsWith("jq: the integer 12345678901234567890 at column 58 in "), p.get(0).message());
    assertEquals(57, p.get(0).offset(), "the literal in the interpolation, not the digits in the strings");
  }

  @Test
  void theDestructuringAlternativeIsNamedWithItsColumn() throws Exception {
    List<ConfigProblem> p = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", ". as [$a, $b] ?// $c | [$a, $b, $c]"), Harness.SETUP);
    assertEquals(1, p.size(), p.toString());
    assertTrue(p.get(0).message().startsWith("jq: the destructuring alternative ?// at column 15 is not in wiz's jq:"),
        p.get(0).message());
    assertEquals(14, p.get(0).offset());
  }

  @Test
  void aMinusBeforeABigIntegerLiteralIsItsSignOnlyWhereItIsNoSubtraction() throws Exception {
    String[][] cases = {
        {".a - 12345678901234567890", "12345678901234567890"},
        {".x[0] -12345678901234567890", "12345678901234567890"},
        {"(.a) - 12345678901234567890", "12345678901234567890"},
        {"if .a then -12345678901234567890 else 1 end", "-12345678901234567890"},
        {"[.a, -12345678901234567890]", "-12345678901234567890"},
        {".a or -12345678901234567890", "-12345678901234567890"},
        {"12345678901234567890 | . == .", "12345678901234567890"},
        {"-12345678901234567890", "-12345678901234567890"},
        {" - 12345678901234567890", "-12345678901234567890"}};
    for (String[] c : cases) {
      List<ConfigProblem> p = new FilterFactory().check(Json.mapper().createObjectNode().put("where", c[0]), Harness.SETUP);
      assertTrue(p.get(0).message().startsWith("jq: the integer " + c[1] + " at column "), c[0] + ": " + p.get(0).message());
      assertTrue(p.get(0).message().endsWith("or write it as a double (" + c[1] + ".0)"), c[0] + ": " + p.get(0).message());
    }
  }

  @Test
  void anIntegerLiteralBeyond64BitsIsNamedWithItsColumnAndWhatToWriteInstead() throws Exception {
    List<ConfigProblem> f = new FilterFactory().check(
        Json.mapper().createObjectNode().put("where", ".n == 9 and .id == 12345678901234567890"), Harness.SETUP);
    assertEquals(1, f.size(), f.toString());
    assertEquals(19, f.get(0).offset());
    assertEquals("jq: the integer 12345678901234567890 at column 20 in '.n == 9 and .id == 12345678901234567890' is beyond"
        + " 64 bits, which wiz's jq cannot hold exactly: compare with a string instead ((.id | tostring) =="
        + " \"12345678901234567890\"), or write it as a double (12345678901234567890.0)", f.get(0).message());
    List<ConfigProblem> p = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", "{a: \"12345678901234567890\",\n b: (.x + 12345678901234567890)}"),
        Harness.SETUP);
    assertTrue(p.get(0).message().startsWith("jq: the integer 12345678901234567890 at line 2, column 11 of the program in"),
        "the literal, not the same digits in a string: " + p.get(0).message());
    assertEquals(List.of(), new FilterFactory().check(
        Json.mapper().createObjectNode().put("where", ".id == 12345678901234567890.0"), Harness.SETUP), "the advice works");
    List<ConfigProblem> negative = new FilterFactory().check(
        Json.mapper().createObjectNode().put("where", ".id == - 12345678901234567890"), Harness.SETUP);
    assertTrue(negative.get(0).message().contains("the integer -12345678901234567890 at column 10 in") && negative.get(0)
        .message().endsWith("((.id | tostring) == \"-12345678901234567890\"), or write it as a double (-12345678901234567890.0)"),
        "the sign goes with the number: " + negative.get(0).message());
    List<ConfigProblem> min = new FilterFactory().check(
        Json.mapper().createObjectNode().put("where", ".id == -9223372036854775808"), Harness.SETUP);
    assertTrue(min.get(0).message().endsWith("is the smallest 64-bit integer, which wiz's jq reads as the negation of"
        + " 9223372036854775808, one beyond 64 bits: write it as (-9223372036854775807 - 1)"), min.get(0).message());
    assertEquals(List.of(), new FilterFactory().check(
        Json.mapper().createObjectNode().put("where", ".id == (-9223372036854775807 - 1)"), Harness.SETUP), "that advice works too");
    assertEquals("{\"id\":-9223372036854775808}", Harness.jqOne("select(.id == (-9223372036854775807 - 1))",
        "{\"id\":-9223372036854775808}"), "and finds the record");
  }

  @Test
  void aSyntaxErrorInAProgramOfSeveralLinesSaysItsLineAndColumnThere() {
    List<ConfigProblem> p = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", "{\n  a: .a,\n  b: .b +* 2\n}\n"), Harness.SETUP);
    assertEquals(20, p.get(0).offset());
    assertEquals("jq syntax error at line 3, column 10 of the program: unexpected '*' in 'b: .b +* 2'",
        p.get(0).message(), "one line: the program's line, not all of it");
    List<ConfigProblem> crlf = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", "{\r\n  b: .b +* 2}"), Harness.SETUP);
    assertEquals(12, crlf.get(0).offset());
    assertTrue(crlf.get(0).message().startsWith("jq syntax error at line 2, column 10 of the program: "),
        crlf.get(0).message());
    List<ConfigProblem> one = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", ".a +* 2\n"), Harness.SETUP);
    assertTrue(one.get(0).message().startsWith("jq syntax error at column 5: "), "a final line break makes no line");
  }

  @Test
  void aProblemInAProgramOfSeveralLinesQuotesOnlyItsLine() {
    List<ConfigProblem> p = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", "{\n  a: .a,\n  b: frob(.b) + $nope\n}\n"), Harness.SETUP);
    assertEquals(List.of(
        "jq: unknown function frob/1 in line 3 of the program, 'b: frob(.b) + $nope'",
        "jq: $nope is not defined in line 3 of the program, 'b: frob(.b) + $nope'; bind it first ('... as $nope | ...'"
            + " or a function parameter), or write .nope for a field of the record"),
        p.stream().map(ConfigProblem::message).toList());
    List<ConfigProblem> f = new JqFactory().check(
        Json.mapper().createObjectNode().put("program", ".a\n| frob(1)"), Harness.SETUP);
    assertEquals("jq: unknown function frob/1 in line 2 of the program, '| frob(1)'", f.get(0).message());
  }

  @Test
  void aSyntaxErrorsColumnCountsCharactersNotUtf16Units() {
    List<ConfigProblem> p = new JqFactory().check(Json.mapper().createObjectNode().put("program", "\"\uD83D\uDE00\" + +"), Harness.SETUP);
    assertTrue(p.get(0).message().startsWith("jq syntax error at column 7: "), p.get(0).message());
  }

  @Test
  void unknownFunctionsAreFoundAtValidation() {
    List<ConfigProblem> p = new JqFactory().check(Json.mapper().createObjectNode().put("program", ".a | frobnicate(1)"), Harness.SETUP);
    assertEquals(1, p.size());
    assertEquals("jq: unknown function frobnicate/1 in '.a | frobnicate(1)'", p.get(0).message());
  }

  @Test
  void validProgramsPassIncludingOnesThatLoopOrFailOnNull() {
    for (String program : new String[] {".", "{id, cents: (.amount * 100)}", "range(1e9)", ".a | keys", "def f: f; f"}) {
      assertEquals(List.of(), new JqFactory().check(Json.mapper().createObjectNode().put("program", program), Harness.SETUP), program);
    }
  }
}

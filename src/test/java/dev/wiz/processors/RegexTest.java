package dev.wiz.processors;

import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegexTest {
  private static final String EMAIL = "\"pattern\":\"(?<user>[^@]+)@(?<domain>.+)\"";

  private final RegexFactory regex = new RegexFactory();

  @Test
  void namedGroupsBecomeTopLevelFields() throws Exception {
    assertEquals(List.of("{\"email\":\"zoë@example.ch\",\"user\":\"zoë\",\"domain\":\"example.ch\"}"),
        run(regex, "{\"field\":\"email\"," + EMAIL + "}", new Ctx(), "{\"email\":\"zoë@example.ch\"}"));
  }

  @Test
  void groupsReplaceTopLevelFieldsOfTheSameName() throws Exception {
    assertEquals(List.of("{\"user\":\"a\",\"email\":\"a@b\",\"domain\":\"b\"}"),
        run(regex, "{\"field\":\"email\"," + EMAIL + "}", new Ctx(), "{\"user\":\"old\",\"email\":\"a@b\"}"));
  }

  @Test
  void intoPutsTheGroupsUnderAnObjectMadeWhenMissingOrNull() throws Exception {
    assertEquals(List.of(
            "{\"email\":\"a@b\",\"parts\":{\"user\":\"a\",\"domain\":\"b\"}}",
            "{\"email\":\"a@b\",\"parts\":{\"keep\":1,\"user\":\"a\",\"domain\":\"b\"}}",
            "{\"email\":\"a@b\",\"parts\":{\"user\":\"a\",\"domain\":\"b\"}}",
            "{\"email\":\"a@b\",\"x\":{\"y\":{\"user\":\"a\",\"domain\":\"b\"}}}"),
        List.of(
            run(regex, "{\"field\":\"email\"," + EMAIL + ",\"into\":\"parts\"}", new Ctx(), "{\"email\":\"a@b\"}").get(0),
            run(regex, "{\"field\":\"email\"," + EMAIL + ",\"into\":\"parts\"}", new Ctx(), "{\"email\":\"a@b\",\"parts\":{\"keep\":1}}").get(0),
            run(regex, "{\"field\":\"email\"," + EMAIL + ",\"into\":\"parts\"}", new Ctx(), "{\"email\":\"a@b\",\"parts\":null}").get(0),
            run(regex, "{\"field\":\"email\"," + EMAIL + ",\"into\":\"x.y\"}", new Ctx(), "{\"email\":\"a@b\"}").get(0)));
  }

  @Test
  void intoHoldingSomethingElseRejectsTheRecord() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(regex, "{\"field\":\"email\"," + EMAIL + ",\"into\":\"parts.p\"}", ctx, "{\"email\":\"a@b\",\"parts\":[1]}"));
    assertEquals(List.of("{\"email\":\"a@b\",\"parts\":[1]} regex: cannot write the groups under 'parts.p': it holds an array, not an object"),
        ctx.rejected);
  }

  @Test
  void theFirstMatchAnywhereCountsAndAGroupThatDidNotTakePartIsNull() throws Exception {
    assertEquals(List.of("{\"s\":\"xx 12 34\",\"n\":\"12\"}"),
        run(regex, "{\"field\":\"s\",\"pattern\":\"(?<n>\\\\d+)\"}", new Ctx(), "{\"s\":\"xx 12 34\"}"));
    assertEquals(List.of("{\"s\":\"y\",\"a\":null,\"b\":\"y\"}"),
        run(regex, "{\"field\":\"s\",\"pattern\":\"(?<a>x)|(?<b>y)\"}", new Ctx(), "{\"s\":\"y\"}"));
    assertEquals(List.of("{\"s\":\"\",\"e\":\"\"}"),
        run(regex, "{\"field\":\"s\",\"pattern\":\"^(?<e>)$\"}", new Ctx(), "{\"s\":\"\"}"));
  }

  @Test
  void mismatchesAreKeptByDefault() throws Exception {
    Ctx ctx = new Ctx();
    List<String> in = List.of("{\"email\":\"nope\"}", "{}", "{\"email\":null}", "{\"email\":42}", "{\"email\":{\"a\":1}}", "null");
    assertEquals(in, run(regex, "{\"field\":\"email\"," + EMAIL + "}", ctx, in.toArray(String[]::new)));
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void mismatchesCanBeDroppedOrRejectedWithTheReason() throws Exception {
    String[] in = {"{\"email\":\"nope\"}", "{}", "{\"email\":null}", "{\"email\":42}", "{\"email\":\"a@b\"}"};
    Ctx dropped = new Ctx();
    assertEquals(List.of("{\"email\":\"a@b\",\"user\":\"a\",\"domain\":\"b\"}"),
        run(regex, "{\"field\":\"email\"," + EMAIL + ",\"onMismatch\":\"drop\"}", dropped, in));
    assertEquals(List.of(), dropped.rejected);
    Ctx rejected = new Ctx();
    assertEquals(List.of("{\"email\":\"a@b\",\"user\":\"a\",\"domain\":\"b\"}"),
        run(regex, "{\"field\":\"email\"," + EMAIL + ",\"onMismatch\":\"reject\"}", rejected, in));
    assertEquals(List.of(
        "{\"email\":\"nope\"} regex: field 'email' does not match the pattern",
        "{} regex: field 'email' is missing",
        "{\"email\":null} regex: field 'email' is null, not a string",
        "{\"email\":42} regex: field 'email' is a number, not a string"), rejected.rejected);
  }

  @Test
  void nestedFieldsUnicodeAndHugeStrings() throws Exception {
    String big = "ß".repeat(300_000);
    assertEquals(List.of("{\"r\":{\"line\":\"GET /ü " + big + "\"},\"method\":\"GET\",\"path\":\"/ü\"}"),
        run(regex, "{\"field\":\"r.line\",\"pattern\":\"^(?<method>[A-Z]+) (?<path>\\\\S+)\"}", new Ctx(),
            "{\"r\":{\"line\":\"GET /ü " + big + "\"}}"));
    assertEquals(List.of("{\"s\":\"🙂x\",\"c\":\"🙂\"}"),
        run(regex, "{\"field\":\"s\",\"pattern\":\"^(?<c>.)\"}", new Ctx(), "{\"s\":\"🙂x\"}"), "'.' is one code point");
    assertEquals(List.of(), run(regex, "{\"field\":\"s\",\"pattern\":\"(?<c>.)\"}", new Ctx()));
  }

  @Test
  void checkPointsAtTheSyntaxErrorInThePattern() {
    List<ConfigProblem> p = Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<user>[a-z+\"}");
    assertEquals(1, p.size());
    assertEquals("/pattern", p.get(0).pointer());
    assertEquals(12, p.get(0).offset(), "Java's index: the last character");
    assertEquals("regular expression error at column 13: Unclosed character class in '(?<user>[a-z+'", p.get(0).message());
    assertEquals(3, Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<9x>a)\"}").get(0).offset());
    ConfigProblem lines = Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<user>a)\\n[b\"}").get(0);
    assertEquals(12, lines.offset());
    assertTrue(lines.message().startsWith("regular expression error at line 2, column 2 of the pattern: "),
        lines.message());
    // Java says "Unexpected internal error", one past the end
    ConfigProblem backslash = Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<x>a)\\\\\"}").get(0);
    assertEquals("regular expression error at column 8: a backslash at the end escapes nothing (write \\\\ to match a"
        + " backslash) in '(?<x>a)\\'", backslash.message());
    assertEquals(7, backslash.offset());
    assertTrue(Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<x>a)\\\\\\\\\"}").isEmpty(), "an escaped backslash");
  }

  @Test
  void checkWantsANamedGroupAndSoundPaths() {
    String none = "the pattern has no named group: name each part to extract, as in (?<user>[^@]+)@(?<domain>.+)";
    assertEquals(List.of(new ConfigProblem("/pattern", none)), Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(a)(b)\"}"));
    assertEquals(List.of(new ConfigProblem("/pattern", none)),
        Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"\\\\(?<a>x\\\\)|[(?<b>]|\\\\Q(?<c>y)\\\\E|(?<=z)w\"}"));
    assertEquals(List.of("/field", "/into"),
        Harness.check(regex, "{\"field\":\"a..b\",\"pattern\":\"(?<a>x)\",\"into\":\"x.\"}").stream().map(ConfigProblem::pointer).toList());
    assertThrows(ProcessorException.class, () -> regex.prepare(Harness.json("{\"field\":\"s\",\"pattern\":\"(a)\"}"), Harness.SETUP));
  }

  @Test
  void checkRejectsIntoTheMatchedFieldOrInsideIt() {
    assertEquals(List.of(new ConfigProblem("/into", "'s' is the field matched, 's', which holds a string when it"
            + " matches: the groups cannot go there; name another object, or leave 'into' out to put them at the top level")),
        Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<x>a)\",\"into\":\"s\"}"));
    assertEquals(List.of(new ConfigProblem("/into", "'s.p' is inside the field matched, 's', which holds a string when it"
            + " matches: the groups cannot go there; name another object, or leave 'into' out to put them at the top level")),
        Harness.check(regex, "{\"field\":\"s\",\"pattern\":\"(?<x>a)\",\"into\":\"s.p\"}"));
    // the object around the field is fine: {"s":{"t":"a"}} becomes {"s":{"t":"a","x":"a"}}
    assertEquals(List.of(), Harness.check(regex, "{\"field\":\"s.t\",\"pattern\":\"(?<x>a)\",\"into\":\"s\"}"));
  }

  @Test
  void groupNamesAreFoundInOrderAndOnlyRealOnes() {
    assertEquals(List.of("user", "domain"), RegexFactory.groupNames(Pattern.compile("(?<user>[^@]+)@(?<domain>.+)")));
    assertEquals(List.of("a", "b2"), RegexFactory.groupNames(Pattern.compile("(?<a>x)(?:y)(?<=q)(?<!r)[(?<no>)](?<b2>\\k<a>)")));
    assertEquals(List.of("real"), RegexFactory.groupNames(Pattern.compile("(?x) (?<real>a) # (?<fake>b)\n")));
    assertEquals(List.of("o"), RegexFactory.groupNames(Pattern.compile("[[a-z]&&[^(?<no>)]](?<o>.)")));
  }

  @Test
  void theSchemaKnowsTheChoices() throws Exception {
    assertEquals(List.of(), ConfigValidation.problems("regex", "{field: email, pattern: '(?<u>.+)@', onMismatch: reject}"));
    assertEquals(1, ConfigValidation.problems("regex", "{field: email, pattern: '(?<u>.+)', onMismatch: fail}").size());
    List<String> p = ConfigValidation.problems("regex", "{field: email, pattern: '(?<u>[a-'}");
    assertEquals(1, p.size());
    assertTrue(p.get(0).startsWith("/processors/0/config/pattern: regular expression error at column"), p.get(0));
    assertTrue(new RegexFactory().loadBalance());
  }
}

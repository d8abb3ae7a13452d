package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class SetTest {
  private static final SetFactory SET = new SetFactory();

  private static List<String> set(String fields, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(SET, "{\"fields\":" + fields + "}", ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void setsNewAndExistingFieldsInConfigOrderMakingObjectsOnTheWay() throws Exception {
    assertEquals(List.of("{\"price\":3,\"quantity\":2,\"first\":\"A\",\"last\":\"B\",\"total\":4,\"customer\":{\"full_name\":\"A B\"}}"),
        set("{\"total\":\".price * .quantity\",\"customer.full_name\":\".first + \\\" \\\" + .last\",\"price\":\".price + 1\"}",
            "{\"price\":2,\"quantity\":2,\"first\":\"A\",\"last\":\"B\"}"));
  }

  @Test
  void everyExpressionSeesTheOriginalRecord() throws Exception {
    assertEquals(List.of("{\"a\":2,\"b\":1}"), set("{\"a\":\".a + 1\",\"b\":\".a\"}", "{\"a\":1}"));
    assertEquals(List.of("{\"a\":{\"x\":1},\"b\":null}"), set("{\"a.x\":\"1\",\"b\":\".a.x\"}", "{}"));
  }

  @Test
  void noOutputRemovesTheFieldOrLeavesItUnset() throws Exception {
    assertEquals(List.of("{\"c\":2,\"n\":{}}"),
        set("{\"a\":\"empty\",\"b\":\"select(false)\",\"n.x\":\".xs[]?\"}", "{\"a\":1,\"c\":2,\"n\":{\"x\":0}}"));
    assertEquals(List.of("{\"c\":2}"), set("{\"a\":\"empty\",\"q.r\":\"empty\"}", "{\"c\":2}"), "nothing made on the way");
  }

  @Test
  void severalOutputsTheFirstCountsAndEvaluationStopsThere() throws Exception {
    assertEquals(List.of("{\"xs\":[3,4],\"x\":3,\"r\":0}"), set("{\"x\":\".xs[]\",\"r\":\"range(1e12)\"}", "{\"xs\":[3,4]}"));
  }

  @Test
  void theFirstOutputIsTakenThroughTryAlternativesAndGenerators() throws Exception {
    assertEquals(List.of("{\"xs\":[3,4],\"t\":3,\"alt\":3,\"f\":3,\"l\":3,\"each\":3,\"err\":0}"),
        set("{\"t\":\"try (.xs[]) catch 0\",\"alt\":\".xs[] // 0\",\"f\":\"first(.xs[])\",\"l\":\"limit(5; .xs[])\","
            + "\"each\":\"foreach .xs[] as $x (0; . + $x)\",\"err\":\"try error(\\\"x\\\") catch 0\"}", "{\"xs\":[3,4]}"));
  }

  @Test
  void theDocsExamplesDoWhatTheDocsSay() throws Exception {
    assertEquals(List.of("{\"tags\":[\"a\",\"ü\"],\"source\":\"import\"}", "{\"source\":\"import\",\"tags\":[]}"),
        set("{\"source\":\"\\\"import\\\"\",\"tags\":\"[.tags[]? | ascii_downcase]\"}", "{\"tags\":[\"A\",\"ü\"]}", "{}"));
  }

  @Test
  void nullsAndMissingFieldsAreJqNulls() throws Exception {
    assertEquals(List.of("{\"a\":null,\"b\":1,\"c\":null}"), set("{\"b\":\".missing + 1\",\"c\":\".a\"}", "{\"a\":null}"));
    assertEquals(List.of("{\"a\":{\"b\":true}}"), set("{\"a.b\":\"true\"}", "{\"a\":null}"), "a null on the way becomes an object");
  }

  @Test
  void aJqRuntimeErrorRejectsTheRecordNamingTheField() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"t\":{\"a\":1},\"k\":[\"a\"]}"), run(SET, "{\"fields\":{\"k\":\".t | keys\"}}", ctx, "{\"t\":5}", "{\"t\":{\"a\":1}}"));
    assertEquals(List.of("{\"t\":5} set: field 'k': number (5) has no keys"),
        ctx.rejected);
  }

  @Test
  void aPathThroughSomethingElseThanAnObjectRejectsTheRecord() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(SET, "{\"fields\":{\"user.id\":\"1\"}}", ctx, "{\"user\":5}", "{\"user\":[{}]}"));
    assertEquals(List.of("{\"user\":5} set: cannot set field 'user.id': 'user' holds a number, not an object",
        "{\"user\":[{}]} set: cannot set field 'user.id': 'user' holds an array, not an object"), ctx.rejected);
  }

  @Test
  void unicodeAndHugeValues() throws Exception {
    String big = "1".repeat(300);
    String text = "ß😀".repeat(50_000);
    assertEquals(List.of("{\"n\":" + big + ",\"s\":\"" + text + "\",\"copy\":" + big + ",\"名前\":\"" + text + "!\"}"),
        set("{\"copy\":\".n\",\"名前\":\".s + \\\"!\\\"\"}", "{\"n\":" + big + ",\"s\":\"" + text + "\"}"));
  }

  @Test
  void everyChunkOfOneInstanceIsHandledAlike() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = Harness.strings(Harness.runChunks(SET, "{\"fields\":{\"b\":\".a * 2\"}}", ctx,
        List.of(Harness.records("{\"a\":1}"), List.of(), Harness.records("{\"a\":2}", "{\"a\":3}"))));
    assertEquals(List.of("{\"a\":1,\"b\":2}", "{\"a\":2,\"b\":4}", "{\"a\":3,\"b\":6}"), out);
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(SET, "{\"fields\":{\"a\":\"1\"}}", ctx, "[]", "\"x\""));
    assertEquals(List.of("[] set: the record is an array, not an object", "\"x\" set: the record is a string, not an object"), ctx.rejected);
  }

  @Test
  void checkCompilesEveryExpressionAtItsEscapedKey() {
    assertEquals(List.of(), check(SET, "{\"fields\":{\"a\":\".x\",\"b.c\":\"range(1e9)\",\"d\":\".q | keys\"}}"));
    List<ConfigProblem> p = check(SET, "{\"fields\":{\"ok\":\".a\",\"a/b~c\":\"{id, user\"}}");
    assertEquals(List.of(new ConfigProblem("/fields/a~1b~0c",
        "jq syntax error at column 9: unexpected end of expression in '{id, user'", 8)), p);
    assertEquals(List.of(new ConfigProblem("/fields/x", "jq: unknown function frobnicate/0 in 'frobnicate'", 0)),
        check(SET, "{\"fields\":{\"x\":\"frobnicate\"}}"));
  }

  @Test
  void checkReportsBadPathsAndTheSameFieldTwice() {
    assertEquals(List.of(
        new ConfigProblem("/fields/a..b", "field path 'a..b' has an empty name at column 3: quote a name that holds a dot, as in a.\"b.c\""),
        new ConfigProblem("/fields/\"c\"", "field '\"c\"' is the same field as 'c' at /fields/c: set it once")),
        check(SET, "{\"fields\":{\"a..b\":\"1\",\"c\":\"2\",\"\\\"c\\\"\":\"3\"}}"));
  }

  @Test
  void checkReportsAPathInsideAnotherAtTheLaterEntryInEitherOrder() {
    assertEquals(List.of(new ConfigProblem("/fields/a", "'a' holds 'a.b', set at /fields/a.b: a field cannot be set"
            + " both whole and in part: give 'a' an object that holds 'b', or set 'a.b' in a set step after this one")),
        check(SET, "{\"fields\":{\"a.b\":\"1\",\"a\":\"2\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/a.\"x.y\".c", "'a.\"x.y\".c' is inside 'a', set at /fields/a: a field"
            + " cannot be set both whole and in part: give 'a' an object that holds '\"x.y\".c', or set 'a.\"x.y\".c'"
            + " in a set step after this one")),
        check(SET, "{\"fields\":{\"a\":\"{}\",\"a.\\\"x.y\\\".c\":\"1\"}}"));
    assertEquals(List.of(), check(SET, "{\"fields\":{\"a.b\":\"1\",\"a.c\":\"2\",\"ab\":\"3\"}}"));
  }

  @Test
  void emptyFieldsSayHowManyEntriesInWords() throws Exception {
    for (String type : List.of("set", "cast", "rename")) {
      assertEquals(List.of("/processors/0/config/fields: must have at least 1 entry, got 0"),
          ConfigValidation.problems(type, "{fields: {}}"), type);
    }
  }
}

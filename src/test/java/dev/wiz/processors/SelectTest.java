package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectTest {
  private static final SelectFactory SELECT = new SelectFactory();

  private static List<String> select(String fields, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(SELECT, "{\"fields\":" + fields + "}", ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void keepsOnlyTheListedFieldsInTheListsOrder() throws Exception {
    assertEquals(List.of("{\"c\":3,\"a\":1}"), select("[\"c\",\"a\"]", "{\"a\":1,\"b\":2,\"c\":3}"));
  }

  @Test
  void nestedPathsStayNestedAndShareTheirParent() throws Exception {
    assertEquals(List.of("{\"a\":{\"b\":1,\"d\":3},\"id\":7}"),
        select("[\"a.b\",\"id\",\"a.d\"]", "{\"id\":7,\"a\":{\"d\":3,\"c\":2,\"b\":1}}"));
    assertEquals(List.of("{\"x\":{\"y\":{\"z\":true}}}"), select("[\"x.y.z\"]", "{\"x\":{\"y\":{\"z\":true,\"w\":1}}}"));
  }

  @Test
  void aPathInsideAnotherKeepsTheWholeOuterObject() throws Exception {
    String in = "{\"a\":{\"b\":1,\"c\":2}}";
    assertEquals(List.of("{\"a\":{\"b\":1,\"c\":2}}"), select("[\"a\",\"a.b\"]", in));
    assertEquals(List.of("{\"a\":{\"b\":1,\"c\":2}}"), select("[\"a.b\",\"a\"]", in));
  }

  @Test
  void missingFieldsAreLeftOutNotNullAndNullsAreKept() throws Exception {
    assertEquals(List.of("{\"a\":null}", "{}", "{}", "{\"a\":5}", "{\"a\":[]}"),
        select("[\"a\",\"b.c\"]", "{\"a\":null}", "{\"z\":1}", "{\"b\":{}}", "{\"a\":5,\"b\":5}", "{\"a\":[],\"b\":null}"));
  }

  @Test
  void quotedNamesWithDotsAndUnicode() throws Exception {
    assertEquals(List.of("{\"meta\":{\"trace.id\":\"t\"},\"名前\":\"José 😀\"}"),
        select("[\"meta.\\\"trace.id\\\"\",\"名前\"]", "{\"名前\":\"José 😀\",\"meta\":{\"trace.id\":\"t\",\"trace\":{\"id\":1}}}"));
  }

  @Test
  void hugeValuesPassUnchanged() throws Exception {
    String big = "123456789012345678901234567890123456789";
    String longText = "x".repeat(100_000);
    assertEquals(List.of("{\"n\":" + big + ",\"s\":\"" + longText + "\"}"),
        select("[\"n\",\"s\"]", "{\"s\":\"" + longText + "\",\"n\":" + big + ",\"f\":1.5e300}"));
  }

  @Test
  void anEmptyChunkGivesAnEmptyChunk() throws Exception {
    assertEquals(List.of(), select("[\"a\"]"));
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"a\":1}"), run(SELECT, "{\"fields\":[\"a\"]}", ctx, "[1]", "{\"a\":1}", "\"s\"", "null", "3"));
    assertEquals(List.of(
        "[1] select: the record is an array, not an object",
        "\"s\" select: the record is a string, not an object",
        "null select: the record is null, not an object",
        "3 select: the record is a number, not an object"), ctx.rejected);
  }

  @Test
  void checkReportsBadPathsAndTheSameFieldTwiceWithPointers() {
    assertEquals(List.of(), check(SELECT, "{\"fields\":[\"a\",\"a.b\",\"\\\"x.y\\\"\"]}"));
    assertEquals(List.of(
        new ConfigProblem("/fields/1", "field path 'a.' ends with a dot: name a field after it"),
        new ConfigProblem("/fields/3", "field 'a.\"b\"' is the same field as 'a.b' at /fields/2: list it once")),
        check(SELECT, "{\"fields\":[\"a\",\"a.\",\"a.b\",\"a.\\\"b\\\"\"]}"));
  }
}

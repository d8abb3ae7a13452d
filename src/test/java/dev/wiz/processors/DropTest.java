package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropTest {
  private static final DropFactory DROP = new DropFactory();

  private static List<String> drop(String fields, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(DROP, "{\"fields\":" + fields + "}", ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void removesTheListedFieldsAndKeepsTheRestInOrder() throws Exception {
    assertEquals(List.of("{\"c\":3,\"a\":1}"), drop("[\"b\",\"d\"]", "{\"c\":3,\"b\":2,\"a\":1,\"d\":4}"));
  }

  @Test
  void nestedFieldsGoAndEmptiedParentsStayAsEmptyObjects() throws Exception {
    assertEquals(List.of("{\"id\":1,\"user\":{\"name\":\"a\"}}", "{\"id\":2,\"user\":{}}"),
        drop("[\"user.password\"]", "{\"id\":1,\"user\":{\"name\":\"a\",\"password\":\"x\"}}",
            "{\"id\":2,\"user\":{\"password\":\"y\"}}"));
  }

  @Test
  void missingFieldsAreFineAndNullsAreRemoved() throws Exception {
    assertEquals(List.of("{\"a\":1}", "{\"a\":5,\"b\":\"s\"}", "{}", "{\"b\":null}"),
        drop("[\"x\",\"b.c\",\"a.b\"]", "{\"a\":1}", "{\"a\":5,\"b\":\"s\"}", "{\"x\":null}", "{\"b\":null}"));
  }

  @Test
  void aFieldAndItsParentCanBothBeListed() throws Exception {
    assertEquals(List.of("{\"z\":0}"), drop("[\"a.b\",\"a\"]", "{\"a\":{\"b\":1},\"z\":0}"));
    assertEquals(List.of("{\"z\":0}"), drop("[\"a\",\"a.b\"]", "{\"a\":{\"b\":1},\"z\":0}"));
  }

  @Test
  void quotedNamesUnicodeAndHugeValues() throws Exception {
    String longText = "ü".repeat(50_000);
    assertEquals(List.of("{\"meta\":{\"x\":{\"y\":1}},\"s\":\"" + longText + "\"}"),
        drop("[\"meta.\\\"x.y\\\"\",\"数\"]", "{\"meta\":{\"x.y\":0,\"x\":{\"y\":1}},\"数\":123456789012345678901234567890,\"s\":\"" + longText + "\"}"));
  }

  @Test
  void anEmptyChunkGivesAnEmptyChunk() throws Exception {
    assertEquals(List.of(), drop("[\"a\"]"));
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{}"), run(DROP, "{\"fields\":[\"a\"]}", ctx, "[{\"a\":1}]", "{\"a\":1}", "true"));
    assertEquals(List.of("[{\"a\":1}] drop: the record is an array, not an object",
        "true drop: the record is a boolean, not an object"), ctx.rejected);
  }

  @Test
  void checkReportsBadPathsAndTheSameFieldTwiceWithPointers() {
    assertEquals(List.of(
        new ConfigProblem("/fields/0", "field path 'a\"b' has a quote inside a name at column 2: quote the whole name"),
        new ConfigProblem("/fields/2", "field '\"c\"' is the same field as 'c' at /fields/1: list it once")),
        check(DROP, "{\"fields\":[\"a\\\"b\",\"c\",\"\\\"c\\\"\"]}"));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.jqOne;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.Json;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code |=} is jq 1.7.1's {@code _modify}: a path whose update has no output is deleted, every such path at once. */
class JqUpdateTest {
  @Test
  void anUpdateWithNoOutputDeletesEveryPathItIsGiven() throws Exception {
    // jackson-jq failed these records ("`|= empty` is undefined"); jq 1.6 gives [2], {"b":2}, [1,3,0]
    assertEquals("[]", jqOne(".[] |= empty", "[1,2,3]"));
    assertEquals("[1,0]", jqOne("(.[] | select(. >= 2)) |= empty", "[1,5,3,0,7]"));
    assertEquals("{}", jqOne("map_values(empty)", "{\"a\":1,\"b\":2}"));
    assertEquals("{\"b\":2}", jqOne("map_values(select(. > 1))", "{\"a\":1,\"b\":2}"));
    assertEquals("{\"c\":3}", jqOne("(.a, .b) |= empty", "{\"a\":1,\"b\":2,\"c\":3}"));
    assertEquals("{\"a\":[\"x\",{}]}", jqOne("(.. | select(type == \"number\")) |= empty", "{\"a\":[1,\"x\",{\"b\":2}]}"));
    assertEquals("[1]", jqOne(".[1:] |= empty", "[1,2,3]"));
  }

  @Test
  void anUpdateWithNoOutputMakesNothingOnTheWayToAPathThatIsNotThere() throws Exception {
    // jq (1.6 and 1.7.1) deletes a path through null or a missing key as delpaths does: nothing
    // changes. The update made the objects and arrays on the way first: {"user":{}}, {"a":[]}.
    assertEquals("{\"user\":null}", jqOne(".user.email |= empty", "{\"user\":null}"));
    assertEquals("{}", jqOne(".a[2] |= empty", "{}"));
    assertEquals("{\"a\":{}}", jqOne(".a.b.c |= empty", "{\"a\":{}}"));
    assertEquals("null", jqOne(".a |= empty", "null"));
    assertEquals("[null,{\"y\":0}]", jqOne(".[] |= (.x |= empty)", "[null,{\"x\":1,\"y\":0}]"));
    assertEquals("[{\"u\":null},{\"u\":{\"a\":1}}]",
        jqOne(".[].u.e |= empty", "[{\"u\":null},{\"u\":{\"a\":1,\"e\":2}}]"));
    assertEquals("{\"a\":1,\"b\":{\"c\":2}}", jqOne("(.a, .x.y, .b.c) |= if . == null then empty else . + 1 end",
        "{\"a\":0,\"b\":{\"c\":1}}"));
  }

  @Test
  void anUpdateTakesTheFirstOutputAndRunsNoFurther() throws Exception {
    // jackson-jq ran the right side to its end first, so the error failed the record
    assertEquals("{\"a\":1}", jqOne(".a |= (1, error(\"x\"))", "{}"));
    assertEquals("{\"a\":1}", jqOne(".a |= (try (1, 2) catch 3)", "{}"));
    assertEquals("[1,[2,2]]", jqOne(".[1] |= [., .]", "[1,2]"));
  }

  @Test
  void everyOtherUpdateIsAsBefore() throws Exception {
    assertEquals("[2,3,4]", jqOne(".[] |= . + 1", "[1,2,3]"));
    assertEquals("{\"a\":{\"b\":1}}", jqOne(".a.b |= . + 1", "{}"));
    assertEquals("{\"a\":[1,\"x\",3]}", jqOne(".a[1:2] |= [\"x\"]", "{\"a\":[1,2,3]}"));
    assertEquals("2", jqOne("1 as $x | $x |= . + 1", "1"));
    assertEquals("{\"a\":\"1\"}", jqOne("with_entries(.value |= tostring)", "{\"a\":1}"));
  }

  @Test
  void aPathExpressionThatIsNoPathIsStillTheRecordsError() throws Exception {
    Ctx ctx = new Ctx();
    Harness.run(new JqFactory(), Json.mapper().createObjectNode().put("program", "(.a | tostring) |= empty").toString(), ctx,
        "{\"a\":1}");
    assertEquals(List.of("{\"a\":1} jq: Invalid path expression with result \"1\""), ctx.rejected);
  }
}

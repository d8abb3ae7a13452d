package dev.wiz.processors;

import static dev.wiz.processors.Harness.jqOne;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.Json;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code {id}} is {@code {id: .id}}, with jq's error on an input that has no fields. */
class JqFieldShorthandTest {
  @Test
  void aShorthandFieldOfARecordThatIsNoObjectRejectsTheRecordAsJqDoes() throws Exception {
    // jackson-jq wrote {"id":null,"user":null} for each of them
    Ctx ctx = new Ctx();
    List<String> out = Harness.run(new JqFactory(), Json.mapper().createObjectNode().put("program", "{id, user}").toString(), ctx,
        "{\"id\":1,\"user\":\"ann\",\"x\":0}", "\"oops\"", "[1]", "null");
    assertEquals(List.of("{\"id\":1,\"user\":\"ann\"}", "{\"id\":null,\"user\":null}"), out);
    assertEquals(List.of("\"oops\" jq: Cannot index string with string \"id\"", "[1] jq: Cannot index array with string \"id\""),
        ctx.rejected);
  }

  @Test
  void theInterpreterGivesTheSameAsTheFastPath() throws Exception {
    assertEquals("{\"a\":1,\"b c\":2,\"k\":\"a\"}", jqOne("{a, \"b c\", k} | {a, \"b c\", \"\\(.k)\", k}",
        "{\"a\":1,\"b c\":2,\"k\":\"a\"}"));
    assertEquals("[{\"a\":1},{\"a\":null}]", jqOne("[.[] | {a}]", "[{\"a\":1},null]"));
    Ctx ctx = new Ctx();
    Harness.run(new JqFactory(), "{\"program\":\"[.[] | {\\\"\\\\(.)\\\"}]\"}", ctx, "[\"k\"]");
    assertEquals(List.of("[\"k\"] jq: Cannot index string with string \"k\""), ctx.rejected);
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlattenTest {
  private static final FlattenFactory FLATTEN = new FlattenFactory();

  private static List<String> flatten(String config, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(FLATTEN, config, ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void nestedObjectsAndArraysBecomeOneLevelOfDottedKeysInTheRecordsOrder() throws Exception {
    assertEquals(List.of("{\"id\":1,\"user.name\":\"Ada\",\"user.address.city\":\"Oslo\",\"tags.0\":\"x\",\"tags.1\":\"y\",\"n\":2}"),
        flatten("{}", "{\"id\":1,\"user\":{\"name\":\"Ada\",\"address\":{\"city\":\"Oslo\"}},\"tags\":[\"x\",\"y\"],\"n\":2}"));
  }

  @Test
  void arraysOfObjectsAndArraysOfArraysJoinEveryLevel() throws Exception {
    assertEquals(List.of("{\"items.0.sku\":\"a\",\"items.0.qty\":1,\"items.1.sku\":\"b\",\"m.0.0\":1,\"m.0.1\":2,\"m.1.0\":3}"),
        flatten("{}", "{\"items\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\"}],\"m\":[[1,2],[3]]}"));
  }

  @Test
  void indexBaseOneNumbersElementsAsMillerDoes() throws Exception {
    assertEquals(List.of("{\"a\":1,\"b.1\":2,\"b.2\":3,\"c.1.x\":true}"),
        flatten("{\"indexBase\":1}", "{\"a\":1,\"b\":[2,3],\"c\":[{\"x\":true}]}"));
  }

  @Test
  void theSeparatorJoinsTheNames() throws Exception {
    assertEquals(List.of("{\"user::name\":\"Ada\",\"tags::0\":\"x\"}"),
        flatten("{\"separator\":\"::\"}", "{\"user\":{\"name\":\"Ada\"},\"tags\":[\"x\"]}"));
  }

  @Test
  void emptyObjectsAndArraysAreKeptWrittenAsTextOrDropped() throws Exception {
    String record = "{\"id\":1,\"meta\":{},\"tags\":[],\"deep\":{\"e\":{},\"f\":[],\"g\":1}}";
    assertEquals(List.of("{\"id\":1,\"meta\":{},\"tags\":[],\"deep.e\":{},\"deep.f\":[],\"deep.g\":1}"), flatten("{}", record));
    assertEquals(List.of("{\"id\":1,\"meta\":{},\"tags\":[],\"deep.e\":{},\"deep.f\":[],\"deep.g\":1}"),
        flatten("{\"empty\":\"keep\"}", record));
    assertEquals(List.of("{\"id\":1,\"meta\":\"{}\",\"tags\":\"[]\",\"deep.e\":\"{}\",\"deep.f\":\"[]\",\"deep.g\":1}"),
        flatten("{\"empty\":\"text\"}", record));
    assertEquals(List.of("{\"id\":1,\"deep.g\":1}"), flatten("{\"empty\":\"drop\"}", record));
    assertEquals(List.of("{}"), flatten("{\"empty\":\"drop\"}", "{\"a\":{\"b\":[]}}"), "nothing left");
  }

  @Test
  void scalarsAndNullsStayAsTheyAre() throws Exception {
    String big = "1" + "0".repeat(30);
    assertEquals(List.of("{\"a.b\":null,\"a.c\":" + big + ",\"a.d\":1.50,\"a.e\":\"é✓\",\"a.f\":false}"),
        flatten("{}", "{\"a\":{\"b\":null,\"c\":" + big + ",\"d\":1.50,\"e\":\"é✓\",\"f\":false}}"));
  }

  @Test
  void onlyTheListedTopLevelFieldsAreFlattened() throws Exception {
    assertEquals(List.of("{\"user.name\":\"Ada\",\"keep\":{\"x\":[1]},\"items.0\":5,\"id\":{\"v\":1}}"),
        flatten("{\"fields\":[\"user\",\"items\",\"missing\"]}",
            "{\"user\":{\"name\":\"Ada\"},\"keep\":{\"x\":[1]},\"items\":[5],\"id\":{\"v\":1}}"));
    assertEquals(List.of("{\"user\":7,\"keep\":{\"x\":1}}"), flatten("{\"fields\":[\"user\"]}", "{\"user\":7,\"keep\":{\"x\":1}}"),
        "a listed field that holds no container is left as it is");
  }

  @Test
  void arraysFalseKeepsEveryArrayWholeAndStillSpreadsObjects() throws Exception {
    assertEquals(List.of("{\"user.name\":\"Ada\",\"user.tags\":[\"x\",{\"k\":1}],\"e\":[],\"o.p\":[[1]]}", "{\"e\":[]}"),
        flatten("{\"arrays\":false,\"empty\":\"drop\"}", "{\"user\":{\"name\":\"Ada\",\"tags\":[\"x\",{\"k\":1}]},\"e\":[],"
            + "\"o\":{\"p\":[[1]],\"q\":{}}}", "{\"e\":[]}"));
    List<JsonNode> in = records("{\"a\":[1,2],\"b\":1}");
    assertSame(in.get(0), Harness.process(FLATTEN, "{\"arrays\":false}", new Ctx(), in).records().get(0),
        "arrays alone: nothing to flatten");
    Ctx ctx = new Ctx();
    run(FLATTEN, "{\"arrays\":false}", ctx, "{\"a.b\":[1],\"a\":{\"b\":[2]}}");
    assertEquals(List.of("{\"a.b\":[1],\"a\":{\"b\":[2]}} flatten: .\"a.b\" and .a.b would both be the key 'a.b': set a"
        + " separator that no key of the record holds"), ctx.rejected);
  }

  @Test
  void aRecordWithNothingToFlattenIsPassedOnAsItCame() throws Exception {
    List<JsonNode> in = records("{\"a\":1,\"b\":\"x\",\"e\":{}}", "{\"a\":{\"b\":1}}");
    Chunk out = Harness.process(FLATTEN, "{}", new Ctx(), in);
    assertSame(in.get(0), out.records().get(0), "no copy when nothing changes");
    assertEquals(List.of(0, 1), java.util.Arrays.stream(out.from()).boxed().toList(), "each output keeps its record's line");
  }

  @Test
  void twoPlacesThatWouldGiveOneKeyRejectTheRecordNamingBoth() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(FLATTEN, "{}", ctx, "{\"a.b\":1,\"a\":{\"b\":2}}", "{\"ok\":{\"x\":1}}",
        "{\"t\":[{\"x\":1}],\"t.0\":{\"x\":2}}", "{\"q\":{\"my key\":{\"b\":1},\"my key.b\":2}}");
    assertEquals(List.of("{\"ok.x\":1}"), out);
    assertEquals(List.of(
        "{\"a.b\":1,\"a\":{\"b\":2}} flatten: .\"a.b\" and .a.b would both be the key 'a.b': set a separator that no key of the record holds",
        "{\"t\":[{\"x\":1}],\"t.0\":{\"x\":2}} flatten: .t[0].x and .\"t.0\".x would both be the key 't.0.x': set a separator that no key of the record holds",
        "{\"q\":{\"my key\":{\"b\":1},\"my key.b\":2}} flatten: .q.\"my key\".b and .q.\"my key.b\" would both be the key 'q.my key.b': set a"
            + " separator that no key of the record holds"), ctx.rejected);
    assertEquals(List.of("{\"a.b\":1,\"a/b\":2}"),
        flatten("{\"separator\":\"/\"}", "{\"a.b\":1,\"a\":{\"b\":2}}"), "another separator keeps both");
  }

  @Test
  void aKeyThatIsNotFlattenedStillCollidesWithAFlattenedOne() throws Exception {
    Ctx ctx = new Ctx();
    run(FLATTEN, "{\"fields\":[\"a\"]}", ctx, "{\"a\":{\"b\":1},\"a.b\":{\"c\":2}}");
    assertEquals(List.of("{\"a\":{\"b\":1},\"a.b\":{\"c\":2}} flatten: .a.b and .\"a.b\" would both be the key 'a.b': set a"
        + " separator that no key of the record holds"), ctx.rejected);
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(FLATTEN, "{}", ctx, "[1,2]", "3"));
    assertEquals(List.of("[1,2] flatten: the record is an array, not an object", "3 flatten: the record is a number, not an object"),
        ctx.rejected);
  }

  @Test
  void fieldsAreTopLevelNamesNotPaths() {
    assertEquals(List.of(new ConfigProblem("/fields/1", "'user.address' holds the separator '.': fields names top-level keys,"
        + " not paths; list 'user' (everything inside it is flattened), or set another separator")),
        check(FLATTEN, "{\"fields\":[\"id\",\"user.address\"]}"));
    assertEquals(List.of(new ConfigProblem("/fields/0", "'_x' holds the separator '_': fields names top-level keys, not paths;"
        + " set another separator")), check(FLATTEN, "{\"separator\":\"_\",\"fields\":[\"_x\"]}"));
    assertEquals(List.of(), check(FLATTEN, "{\"separator\":\"/\",\"fields\":[\"user.address\"]}"));
    assertEquals(List.of(), check(FLATTEN, "{}"));
    assertEquals(List.of(new ConfigProblem("/indexBase", "indexBase numbers the elements of the arrays that flatten spreads,"
        + " and arrays: false spreads none: remove indexBase, or set arrays: true")), check(FLATTEN, "{\"indexBase\":1,\"arrays\":false}"));
    assertEquals(List.of(), check(FLATTEN, "{\"indexBase\":1,\"arrays\":true}"));
  }
}

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnflattenTest {
  private static final UnflattenFactory UNFLATTEN = new UnflattenFactory();
  private static final FlattenFactory FLATTEN = new FlattenFactory();

  private static List<String> unflatten(String config, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(UNFLATTEN, config, ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void dottedKeysBecomeNestedObjectsWhereTheirFirstKeyWas() throws Exception {
    assertEquals(List.of("{\"id\":1,\"user\":{\"name\":\"Ada\",\"address\":{\"city\":\"Oslo\"},\"age\":3},\"n\":2}"),
        unflatten("{}", "{\"id\":1,\"user.name\":\"Ada\",\"user.address.city\":\"Oslo\",\"n\":2,\"user.age\":3}"));
  }

  @Test
  void objectsMadeOfNumberedKeysBecomeArraysAtEveryLevel() throws Exception {
    assertEquals(List.of("{\"tags\":[\"x\",\"y\"],\"items\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\"}],\"m\":[[1,2],[3]]}"),
        unflatten("{}", "{\"tags.0\":\"x\",\"tags.1\":\"y\",\"items.0.sku\":\"a\",\"items.0.qty\":1,\"items.1.sku\":\"b\","
            + "\"m.0.0\":1,\"m.0.1\":2,\"m.1.0\":3}"));
    assertEquals(List.of("{\"a\":[\"first\",\"second\",\"third\"]}"),
        unflatten("{}", "{\"a.2\":\"third\",\"a.0\":\"first\",\"a.1\":\"second\"}"), "in any order: the numbers place them");
  }

  @Test
  void numberedKeysWithAGapALeadingZeroOrTheOtherBaseStayAnObject() throws Exception {
    assertEquals(List.of("{\"a\":{\"0\":4,\"2\":5}}", "{\"b\":{\"0\":4,\"01\":5}}", "{\"c\":{\"1\":4,\"2\":5}}", "{\"d\":{\"0\":1,\"x\":2}}",
            "{\"e\":{\"-0\":1}}"),
        unflatten("{}", "{\"a.0\":4,\"a.2\":5}", "{\"b.0\":4,\"b.01\":5}", "{\"c.1\":4,\"c.2\":5}", "{\"d.0\":1,\"d.x\":2}",
            "{\"e.-0\":1}"));
  }

  @Test
  void indexBaseOneReadsMillersNumbering() throws Exception {
    assertEquals(List.of("{\"a\":1,\"b\":[2,3],\"c\":{\"0\":1,\"1\":2}}"),
        unflatten("{\"indexBase\":1}", "{\"a\":1,\"b.1\":2,\"b.2\":3,\"c.0\":1,\"c.1\":2}"));
  }

  @Test
  void arraysFalseKeepsEveryObject() throws Exception {
    assertEquals(List.of("{\"tags\":{\"0\":\"x\",\"1\":\"y\"}}"), unflatten("{\"arrays\":false}", "{\"tags.0\":\"x\",\"tags.1\":\"y\"}"));
  }

  @Test
  void objectsOfTheRecordStayObjectsEvenWithNumberedKeys() throws Exception {
    assertEquals(List.of("{\"m\":{\"0\":\"x\",\"1\":\"y\"}}", "{\"m\":{\"0\":\"x\"}}"),
        unflatten("{}", "{\"m\":{\"0\":\"x\"},\"m.1\":\"y\"}", "{\"m\":{\"0\":\"x\"}}"));
  }

  @Test
  void theEmptyStringsBecomeAnEmptyObjectAndArrayUnlessToldNot() throws Exception {
    String record = "{\"meta\":\"{}\",\"tags\":\"[]\",\"deep.e\":\"{}\",\"deep.f\":\"[]\",\"s\":\"{ }\"}";
    assertEquals(List.of("{\"meta\":{},\"tags\":[],\"deep\":{\"e\":{},\"f\":[]},\"s\":\"{ }\"}"), unflatten("{}", record));
    assertEquals(List.of("{\"meta\":\"{}\",\"tags\":\"[]\",\"deep\":{\"e\":\"{}\",\"f\":\"[]\"},\"s\":\"{ }\"}"),
        unflatten("{\"emptyStrings\":false}", record));
  }

  @Test
  void theSeparatorSplitsTheKeys() throws Exception {
    assertEquals(List.of("{\"user\":{\"name\":\"Ada\"},\"a.b\":1,\"tags\":[\"x\"]}"),
        unflatten("{\"separator\":\"::\"}", "{\"user::name\":\"Ada\",\"a.b\":1,\"tags::0\":\"x\"}"));
  }

  @Test
  void keysWithAnEmptyNameAreLeftAsTheyAreAsMillerLeavesThem() throws Exception {
    assertEquals(List.of("{\"a\":1,\"b.\":2,\".c\":3,\".\":4,\"d..e\":5,\"f\":{\"g\":6},\"x.y.\":7,\"p.q..r\":8}"),
        unflatten("{}", "{\"a\":1,\"b.\":2,\".c\":3,\".\":4,\"d..e\":5,\"f.g\":6,\"x.y.\":7,\"p.q..r\":8}"));
    assertEquals(List.of("{\"a::\":1,\"b::::c\":2,\"d\":{\"e:f\":3}}"), unflatten("{\"separator\":\"::\"}", "{\"a::\":1,\"b::::c\":2,\"d::e:f\":3}"));
  }

  @Test
  void onlyTheKeysUnderTheListedFieldsAreUnflattened() throws Exception {
    assertEquals(List.of("{\"user\":{\"name\":\"Ada\"},\"meta.x\":1,\"tags\":[],\"keep\":\"[]\"}"),
        unflatten("{\"fields\":[\"user\",\"tags\"]}", "{\"user.name\":\"Ada\",\"meta.x\":1,\"tags\":\"[]\",\"keep\":\"[]\"}"));
  }

  @Test
  void anObjectOfTheRecordAndKeysInsideItAreMergedWithoutChangingTheInput() throws Exception {
    assertEquals(List.of("{\"a\":{\"x\":1,\"n\":{\"p\":1,\"q\":2},\"y\":2}}", "{\"a\":{\"y\":2,\"x\":1}}"),
        unflatten("{}", "{\"a\":{\"x\":1,\"n\":{\"p\":1}},\"a.y\":2,\"a.n.q\":2}", "{\"a.y\":2,\"a\":{\"x\":1}}"));
  }

  @Test
  void keysThatDoNotFitTogetherRejectTheRecordNamingBoth() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(UNFLATTEN, "{}", ctx, "{\"a\":1,\"a.b\":2}", "{\"a.b\":2,\"a\":1}", "{\"ok.x\":1}",
        "{\"a\":{\"b\":1},\"a.b\":2}", "{\"a\":{\"b\":5},\"a.b.c\":2}", "{\"a.b\":1,\"a\":{\"b\":{\"c\":2}}}",
        "{\"t.0\":1,\"t\":\"[]\"}", "{\"a\":null,\"a.b\":1}");
    assertEquals(List.of("{\"ok\":{\"x\":1}}"), out);
    List<String> reasons = new ArrayList<>();
    for (String r : ctx.rejected) reasons.add(r.substring(r.indexOf(" unflatten: ") + 1));
    assertEquals(List.of(
        "unflatten: the key 'a.b' puts a field inside 'a', which the key 'a' sets to a number: rename one of the two first",
        "unflatten: the key 'a' sets 'a' to a number, which the key 'a.b' makes an object: rename one of the two first",
        "unflatten: the keys 'a' and 'a.b' both set 'a.b': rename one of the two first",
        "unflatten: the key 'a.b.c' puts a field inside 'a.b', which the key 'a' sets to a number: rename one of the two first",
        "unflatten: the keys 'a.b' and 'a' both set 'a.b': rename one of the two first",
        "unflatten: the key 't' sets 't' to an array, which the key 't.0' makes an object: rename one of the two first",
        "unflatten: the key 'a.b' puts a field inside 'a', which the key 'a' sets to null: rename one of the two first"),
        reasons);
  }

  @Test
  void aRecordWithNothingToUnflattenIsPassedOnAsItCame() throws Exception {
    List<JsonNode> in = records("{\"a\":1,\"b\":{\"c.d\":2},\"e.\":3}", "{\"a.b\":1}");
    Chunk out = Harness.process(UNFLATTEN, "{}", new Ctx(), in);
    assertSame(in.get(0), out.records().get(0), "no copy when nothing changes; keys inside objects are not split");
    assertEquals(List.of(0, 1), java.util.Arrays.stream(out.from()).boxed().toList(), "each output keeps its record's line");
  }

  @Test
  void unflattenUndoesFlattenWhateverTheOptionsTheyShare() throws Exception {
    String[] records = {"{\"id\":1,\"user\":{\"name\":\"Ada\",\"tags\":[\"x\",{\"k\":[1,[2,3]]}]},\"meta\":{},\"list\":[],\"n\":null}",
        "{\"id\":2,\"deep\":{\"a\":{\"b\":{\"c\":[{\"d\":\"é✓\"}]}}},\"big\":" + "9".repeat(40) + "}"};
    for (String shared : List.of("", "\"separator\":\"/\",", "\"indexBase\":1,", "\"separator\":\"__\",\"indexBase\":1,")) {
      for (String empty : List.of("keep", "text")) {
        Ctx ctx = new Ctx();
        List<JsonNode> flat = Harness.runChunks(FLATTEN, "{" + shared + "\"empty\":\"" + empty + "\"}", ctx,
            List.of(records(records)));
        List<String> back = Harness.strings(Harness.runChunks(UNFLATTEN, "{" + shared.replaceAll(",$", "") + "}", ctx,
            List.of(flat)));
        assertEquals(List.of(records), back, shared + " " + empty);
        assertEquals(List.of(), ctx.rejected);
      }
    }
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(UNFLATTEN, "{}", ctx, "\"a.b\""));
    assertEquals(List.of("\"a.b\" unflatten: the record is a string, not an object"), ctx.rejected);
  }

  @Test
  void theConfigIsCheckedForWhatTheSchemaCannotSee() {
    assertEquals(List.of(new ConfigProblem("/fields/0", "'user.name' holds the separator '.': fields names top-level keys,"
        + " not paths; list 'user' (the keys that start with it and the separator are unflattened), or set another separator")),
        check(UNFLATTEN, "{\"fields\":[\"user.name\"]}"));
    assertEquals(List.of(new ConfigProblem("/indexBase", "indexBase numbers the elements of the arrays that unflatten makes,"
        + " and arrays: false makes none: remove indexBase, or set arrays: true")), check(UNFLATTEN, "{\"indexBase\":1,\"arrays\":false}"));
    assertEquals(List.of(), check(UNFLATTEN, "{\"indexBase\":1,\"arrays\":true,\"fields\":[\"user\"]}"));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.run;
import static dev.wiz.processors.Harness.runChunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplodeTest {
  private static final ExplodeFactory F = new ExplodeFactory();

  private static List<String> explode(String config, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(F, config, ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void factoryForksAndIsLoadBalanced() {
    assertEquals("explode", F.type());
    assertTrue(F.forks());
    assertTrue(F.loadBalance());
  }

  @Test
  void oneRecordPerElementInPlace() throws Exception {
    assertEquals(List.of("{\"id\":1,\"xs\":\"a\",\"z\":true}", "{\"id\":1,\"xs\":{\"b\":2},\"z\":true}",
            "{\"id\":1,\"xs\":[3],\"z\":true}", "{\"id\":1,\"xs\":null,\"z\":true}", "{\"id\":2,\"xs\":7,\"z\":false}"),
        explode("{\"field\":\"xs\"}", "{\"id\":1,\"xs\":[\"a\",{\"b\":2},[3],null],\"z\":true}", "{\"id\":2,\"xs\":[7],\"z\":false}"),
        "field order kept; elements put as they are, nested arrays and nulls included");
  }

  @Test
  void asMovesTheElementAndRemovesTheArray() throws Exception {
    assertEquals(List.of("{\"order\":1,\"item\":{\"sku\":\"a\"}}", "{\"order\":1,\"item\":{\"sku\":\"b\"}}"),
        explode("{\"field\":\"items\",\"as\":\"item\"}", "{\"order\":1,\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}"));
    assertEquals(List.of("{\"o\":{\"id\":7},\"line\":{\"n\":1}}", "{\"o\":{\"id\":7},\"line\":{\"n\":2}}"),
        explode("{\"field\":\"o.lines\",\"as\":\"line.n\"}", "{\"o\":{\"id\":7,\"lines\":[1,2]}}"),
        "nested paths: the objects on the way to as are made");
    assertEquals(List.of("{\"o\":{\"id\":7,\"lines\":1}}", "{\"o\":{\"id\":7,\"lines\":2}}"),
        explode("{\"field\":\"o.lines\"}", "{\"o\":{\"id\":7,\"lines\":[1,2]}}"));
    assertEquals(List.of("{\"a.b\":{\"c\":1}}"), explode("{\"field\":\"\\\"a.b\\\".c\"}", "{\"a.b\":{\"c\":[1]}}"),
        "quoted segments");
  }

  @Test
  void emptyNullAndMissingAreDroppedOrKeptWithNull() throws Exception {
    String[] in = {"{\"id\":1,\"xs\":[]}", "{\"id\":2,\"xs\":null}", "{\"id\":3}", "{\"id\":4,\"xs\":[9]}"};
    assertEquals(List.of("{\"id\":4,\"xs\":9}"), explode("{\"field\":\"xs\"}", in));
    assertEquals(List.of("{\"id\":1,\"xs\":null}", "{\"id\":2,\"xs\":null}", "{\"id\":3,\"xs\":null}", "{\"id\":4,\"xs\":9}"),
        explode("{\"field\":\"xs\",\"keepEmpty\":true}", in));
    assertEquals(List.of("{\"id\":1,\"x\":null}", "{\"id\":2,\"x\":null}", "{\"id\":3,\"x\":null}", "{\"id\":4,\"x\":9}"),
        explode("{\"field\":\"xs\",\"as\":\"x\",\"keepEmpty\":true}", in));
    assertEquals(List.of("{\"a\":5,\"x\":null}"), explode("{\"field\":\"a.b\",\"as\":\"x\",\"keepEmpty\":true}", "{\"a\":5}"),
        "a step that is not an object: the field is missing");
  }

  @Test
  void nonArraysAndNonObjectsAreRejected() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(F, "{\"field\":\"xs\"}", ctx, "{\"xs\":\"a,b\"}", "{\"xs\":5}", "{\"xs\":{\"a\":1}}",
        "{\"xs\":false}", "[1,2]", "7", "{\"xs\":[1]}");
    assertEquals(List.of("{\"xs\":1}"), out);
    assertEquals(List.of(
        "{\"xs\":\"a,b\"} explode: 'xs' is a string, not an array",
        "{\"xs\":5} explode: 'xs' is a number, not an array",
        "{\"xs\":{\"a\":1}} explode: 'xs' is an object, not an array",
        "{\"xs\":false} explode: 'xs' is a boolean, not an array",
        "[1,2] explode: the record is an array, not an object",
        "7 explode: the record is a number, not an object"), ctx.rejected);
  }

  @Test
  void anAsThatCannotBeSetRejectsTheWholeRecord() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(F, "{\"field\":\"xs\",\"as\":\"meta.x\"}", ctx, "{\"meta\":5,\"xs\":[1,2]}", "{\"xs\":[3]}");
    assertEquals(List.of("{\"meta\":{\"x\":3}}"), out);
    assertEquals(List.of("{\"meta\":5,\"xs\":[1,2]} explode: cannot set 'meta.x': 'meta' holds a number, not an object"),
        ctx.rejected);
    Ctx deeper = new Ctx();
    run(F, "{\"field\":\"a.xs\",\"as\":\"a.m.n.x\"}", deeper, "{\"a\":{\"xs\":[1],\"m\":{\"n\":\"s\"}}}");
    assertEquals(List.of("{\"a\":{\"xs\":[1],\"m\":{\"n\":\"s\"}}} explode: cannot set 'a.m.n.x': 'a.m.n' holds a string, not an object"),
        deeper.rejected);
  }

  @Test
  void inputIsNotModifiedAndUnchangedValuesAreShared() throws Exception {
    JsonNode record = Harness.json("{\"o\":{\"lines\":[1,2],\"big\":{\"deep\":[1]}},\"other\":{\"k\":1}}");
    try (Processor p = F.prepare(Harness.json("{\"field\":\"o.lines\"}"), Harness.SETUP).get()) {
      p.init(new Ctx());
      Chunk out = p.process(new Chunk("c", 0, List.of(record), 0));
      assertEquals("{\"o\":{\"lines\":[1,2],\"big\":{\"deep\":[1]}},\"other\":{\"k\":1}}", record.toString());
      assertEquals(2, out.size());
      assertSame(record.get("other"), out.records().get(1).get("other"));
      assertSame(record.get("o").get("big"), out.records().get(0).get("o").get("big"));
    }
  }

  @Test
  void emptyChunksManyChunksAndHugeArrays() throws Exception {
    assertEquals(List.of(), runChunks(F, "{\"field\":\"xs\"}", new Ctx(), List.of(List.of(), List.of())));
    StringBuilder big = new StringBuilder("{\"id\":\"😀\",\"xs\":[");
    for (int i = 0; i < 20_000; i++) big.append(i == 0 ? "" : ",").append(i);
    big.append(",123456789012345678901234567890,\"").append("é".repeat(50_000)).append("\"]}");
    List<String> out = explode("{\"field\":\"xs\",\"as\":\"x\"}", big.toString());
    assertEquals(20_002, out.size());
    assertEquals("{\"id\":\"😀\",\"x\":0}", out.get(0));
    assertEquals("{\"id\":\"😀\",\"x\":19999}", out.get(19_999));
    assertEquals("{\"id\":\"😀\",\"x\":123456789012345678901234567890}", out.get(20_000));
    assertEquals("{\"id\":\"😀\",\"x\":\"" + "é".repeat(50_000) + "\"}", out.get(20_001));
  }

  @Test
  void unicodeFieldNames() throws Exception {
    assertEquals(List.of("{\"名前\":\"a\"}", "{\"名前\":\"b\"}"), explode("{\"field\":\"名前\"}", "{\"名前\":[\"a\",\"b\"]}"));
  }

  @Test
  void checkReportsBadPaths() {
    List<ConfigProblem> p = check(F, "{\"field\":\"a..b\",\"as\":\"x.\\\"y\"}");
    assertEquals(List.of("/field", "/as"), p.stream().map(ConfigProblem::pointer).toList());
    assertEquals("field path 'a..b' has an empty name at column 3: quote a name that holds a dot, as in a.\"b.c\"", p.get(0).message());
    assertTrue(p.get(1).message().contains("unclosed quote"), p.get(1).message());
    assertEquals(List.of(), check(F, "{\"field\":\"a.b\",\"as\":\"c\",\"keepEmpty\":true}"));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.run;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class DedupeTest {
  private final DedupeFactory dedupe = new DedupeFactory();

  @Test
  void keepsTheFirstRecordOfEachKeyAcrossChunks() throws Exception {
    List<String> out = strings(runChunks(dedupe, "{\"key\":\".id\"}", new Ctx(), List.of(
        records("{\"id\":1,\"v\":\"a\"}", "{\"id\":2,\"v\":\"b\"}", "{\"id\":1,\"v\":\"c\"}"),
        records(),
        records("{\"id\":2,\"v\":\"d\"}", "{\"id\":3,\"v\":\"e\"}"))));
    assertEquals(List.of("{\"id\":1,\"v\":\"a\"}", "{\"id\":2,\"v\":\"b\"}", "{\"id\":3,\"v\":\"e\"}"), out);
  }

  @Test
  void theDefaultKeyIsTheWholeRecordWhateverTheKeyOrder() throws Exception {
    assertEquals(List.of("{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}"),
        run(dedupe, "{}", new Ctx(), "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", "{\"a\":1,\"b\":3}"));
  }

  @Test
  void aNumberKeyCountsByItsValueNotByHowItWasWritten() throws Exception {
    assertEquals(List.of("{\"k\":1.0}", "{\"k\":1e1}"),
        run(dedupe, "{\"key\":\".k\"}", new Ctx(), "{\"k\":1.0}", "{\"k\":1.00}", "{\"k\":1e0}", "{\"k\":1}",
            "{\"k\":1e1}", "{\"k\":10.0}"));
  }

  @Test
  void aNonFiniteNumberJqComputedIsNotTheStringThatNamesIt() throws Exception {
    // sqrt(-4) is nan, 1e308 * 10 infinite: numbers, never equal to the strings "NaN" and "Infinity";
    // one nan is the key of another
    assertEquals(List.of("{\"v\":\"NaN\"}", "{\"v\":-4}", "{\"v\":\"Infinity\"}", "{\"v\":1e308}"),
        run(dedupe, "{\"key\":\"if .v == -4 then .v | sqrt elif .v == 1e308 then .v * 10 else .v end\"}", new Ctx(),
            "{\"v\":\"NaN\"}", "{\"v\":-4}", "{\"v\":\"Infinity\"}", "{\"v\":1e308}", "{\"v\":-4}"));
  }

  @Test
  void everyOutputOfTheKeyTogetherIsTheKey() throws Exception {
    assertEquals(List.of("{\"t\":[1,2]}", "{\"t\":[1]}", "{\"t\":[2,1]}"),
        run(dedupe, "{\"key\":\".t[]\"}", new Ctx(), "{\"t\":[1,2]}", "{\"t\":[1]}", "{\"t\":[1,2]}", "{\"t\":[2,1]}"));
  }

  @Test
  void recordsWithoutAnyKeyOutputAreAlwaysKept() throws Exception {
    assertEquals(List.of("{\"x\":1}", "{\"x\":1}", "{\"id\":1}"),
        run(dedupe, "{\"key\":\".id | select(. != null)\"}", new Ctx(), "{\"x\":1}", "{\"x\":1}", "{\"id\":1}", "{\"id\":1}"));
  }

  @Test
  void missingFieldsAreNullAndShareOneKey() throws Exception {
    assertEquals(List.of("{}", "{\"id\":0}"),
        run(dedupe, "{\"key\":\".id\"}", new Ctx(), "{}", "{\"id\":null}", "{\"other\":1}", "{\"id\":0}"));
  }

  @Test
  void keysAreComparedByTheirJsonTextWithNumbersByValue() throws Exception {
    assertEquals(List.of("{\"id\":1}", "{\"id\":\"1\"}", "{\"id\":\"é\"}", "{\"id\":\"e\u0301\"}"),
        run(dedupe, "{\"key\":\".id\"}", new Ctx(),
            "{\"id\":1}", "{\"id\":1.0}", "{\"id\":\"1\"}", "{\"id\":1}", "{\"id\":\"é\"}", "{\"id\":\"e\u0301\"}", "{\"id\":\"é\"}"));
  }

  @Test
  void numbersEqualInJqAreOneKeyAsAggregateGroupsThem() throws Exception {
    // jq: -0 == 0 == 0.0 and 1 == 1.0 == 1e0; aggregate puts each in one group, so dedupe keeps one
    assertEquals(List.of("{\"x\":0}", "{\"x\":1}", "{\"x\":[1e2,{\"a\":0.5}]}", "{\"x\":123456789012345678901234567890}",
            "{\"x\":0.1}", "{\"x\":1e400}"),
        run(dedupe, "{\"key\":\".x\"}", new Ctx(),
            "{\"x\":0}", "{\"x\":-0.0}", "{\"x\":0.0}", "{\"x\":-0}", "{\"x\":0e5}",
            "{\"x\":1}", "{\"x\":1.0}", "{\"x\":1e0}", "{\"x\":10e-1}",
            "{\"x\":[1e2,{\"a\":0.5}]}", "{\"x\":[100,{\"a\":5e-1}]}", "{\"x\":[100.0,{\"a\":0.50}]}",
            "{\"x\":123456789012345678901234567890}", "{\"x\":1.2345678901234567890123456789e29}",
            "{\"x\":0.1}", "{\"x\":0.10}", "{\"x\":1e400}", "{\"x\":10e399}"));
    // what jq computes too: 0 * -1 is -0, 2 / 2 is 1
    assertEquals(List.of("{\"x\":0}", "{\"x\":2}"),
        run(dedupe, "{\"key\":\"if .x == 0 then 0 * -1 else .x / 2 end\"}", new Ctx(),
            "{\"x\":0}", "{\"x\":0.0}", "{\"x\":2}", "{\"x\":2.0}"));
  }

  @Test
  void hugeKeysAndBigNumbersWork() throws Exception {
    String big = "{\"id\":123456789012345678901234567890}";
    String bigger = "{\"id\":123456789012345678901234567891}";
    String longText = "{\"id\":\"" + "x".repeat(1_000_000) + "\"}";
    assertEquals(List.of(big, bigger, longText),
        run(dedupe, "{\"key\":\".id\"}", new Ctx(), big, bigger, big, longText, longText));
  }

  @Test
  void aJqErrorOnTheKeyRejectsTheRecord() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"t\":{\"a\":1}}"),
        run(dedupe, "{\"key\":\".t | keys\"}", ctx, "{\"t\":{\"a\":1}}", "{\"t\":5}", "{\"t\":{\"a\":2}}"));
    assertEquals(1, ctx.rejected.size());
    assertTrue(ctx.rejected.get(0).startsWith("{\"t\":5} dedupe: key .t | keys: "), ctx.rejected.get(0));
  }

  @Test
  void emptyChunksAndNonObjectRecords() throws Exception {
    assertEquals(List.of(), strings(runChunks(dedupe, "{}", new Ctx(), List.of(records(), records()))));
    assertEquals(List.of("null", "1", "[1]", "\"1\""), run(dedupe, "{}", new Ctx(), "null", "1", "[1]", "\"1\"", "null", "[1]"));
  }

  @Test
  void oneInstanceSeesEverything() {
    assertFalse(dedupe.loadBalance());
  }

  @Test
  void theKeyIsCompiledByCheck() throws Exception {
    List<ConfigProblem> p = Harness.check(dedupe, "{\"key\":\".id +\"}");
    assertEquals(1, p.size());
    assertEquals("/key", p.get(0).pointer());
    assertTrue(p.get(0).message().startsWith("jq syntax error"), p.get(0).message());
    assertEquals(List.of(), Harness.check(dedupe, "{}"));
    assertEquals(List.of(), ConfigValidation.problems("dedupe", "{key: '[.user, .day]'}"));
    assertEquals(List.of(), ConfigValidation.problems("dedupe", "{}"));
  }

  @Test
  void theDigestSetKeepsDistinctDigestsAndGrows() {
    DigestSet set = new DigestSet(2);
    assertTrue(set.add(0, 0));
    assertFalse(set.add(0, 0));
    for (long i = 1; i <= 10_000; i++) {
      assertTrue(set.add(i * 31, i)); // low bits collide often: probing must still find each
      assertTrue(set.add(i, i * 31 + 7));
    }
    for (long i = 1; i <= 10_000; i++) {
      assertFalse(set.add(i * 31, i));
      assertFalse(set.add(i, i * 31 + 7));
    }
    assertEquals(20_001, set.size());
    assertTrue(set.capacity() >= 20_001 * 4 / 3, "kept at most three-quarters full: " + set.capacity());
  }
}

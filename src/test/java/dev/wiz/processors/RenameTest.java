package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.processor.ConfigProblem;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenameTest {
  private static final RenameFactory RENAME = new RenameFactory();

  private static List<String> rename(String fields, String... records) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(RENAME, "{\"fields\":" + fields + "}", ctx, records);
    assertEquals(List.of(), ctx.rejected);
    return out;
  }

  @Test
  void renamesMoveAcrossLevelsAndNewTargetsGoLast() throws Exception {
    assertEquals(List.of("{\"user\":{\"id\":7},\"ts\":1,\"customer_name\":\"Ada\"}"),
        rename("{\"user.name\":\"customer_name\"}", "{\"user\":{\"name\":\"Ada\",\"id\":7},\"ts\":1}"));
    assertEquals(List.of("{\"id\":1,\"position\":{\"lat\":1.5,\"lon\":2.5}}"),
        rename("{\"lat\":\"position.lat\",\"lon\":\"position.lon\"}", "{\"lat\":1.5,\"id\":1,\"lon\":2.5}"));
  }

  @Test
  void theMovedFieldsOnlyObjectStaysEmpty() throws Exception {
    assertEquals(List.of("{\"user\":{},\"name\":\"Ada\"}"), rename("{\"user.name\":\"name\"}", "{\"user\":{\"name\":\"Ada\"}}"));
  }

  @Test
  void anExistingTargetIsOverwrittenInItsPlace() throws Exception {
    assertEquals(List.of("{\"b\":1,\"c\":3}"), rename("{\"a\":\"b\"}", "{\"a\":1,\"b\":2,\"c\":3}"));
    assertEquals(List.of("{\"c\":3,\"b\":1}"), rename("{\"a\":\"b\"}", "{\"c\":3,\"b\":{\"deep\":true},\"a\":1}"));
  }

  @Test
  void allRenamesHappenAtOnceSoFieldsCanSwap() throws Exception {
    assertEquals(List.of("{\"id\":0,\"lon\":1,\"lat\":2}"), rename("{\"lat\":\"lon\",\"lon\":\"lat\"}", "{\"lat\":1,\"id\":0,\"lon\":2}"));
    assertEquals(List.of("{\"b\":1,\"c\":2}"), rename("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":1,\"b\":2}"), "a chain reads every source first");
  }

  @Test
  void aFieldCanReplaceItsParent() throws Exception {
    assertEquals(List.of("{\"a\":1}"), rename("{\"a.b\":\"a\"}", "{\"a\":{\"b\":1,\"c\":2}}"));
  }

  @Test
  void aMissingSourceChangesNothingAndANullSourceIsMoved() throws Exception {
    assertEquals(List.of("{\"b\":2}", "{\"b\":null}", "{\"x\":{\"a\":1}}"),
        rename("{\"a\":\"b\"}", "{\"b\":2}", "{\"a\":null}", "{\"x\":{\"a\":1}}"));
    assertEquals(List.of("{\"a\":5}", "{\"a\":null}"), rename("{\"a.x\":\"c\"}", "{\"a\":5}", "{\"a\":null}"),
        "a source under something else than an object is missing");
  }

  @Test
  void targetsThroughNullOrMissingObjectsMakeThem() throws Exception {
    assertEquals(List.of("{\"p\":{\"q\":{\"r\":1}}}"), rename("{\"a\":\"p.q.r\"}", "{\"a\":1,\"p\":null}"));
  }

  @Test
  void aTargetThroughSomethingElseThanAnObjectRejectsTheRecordNamingTheFields() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"user\":{\"name\":\"b\"}}", "{\"user\":{\"n.s\":{\"k\":[1]},\"name\":\"c\"}}"), run(RENAME, "{\"fields\":{\"name\":\"user.name\"}}", ctx,
        "{\"name\":\"a\",\"user\":\"x\"}", "{\"name\":\"b\",\"user\":{}}", "{\"name\":\"c\",\"user\":{\"n.s\":{\"k\":[1]}}}"));
    assertEquals(List.of("{\"name\":\"a\",\"user\":\"x\"} rename: cannot rename 'name' to 'user.name': 'user' holds a string, not an object"),
        ctx.rejected);
    Ctx deep = new Ctx();
    run(RENAME, "{\"fields\":{\"name\":\"user.\\\"n.s\\\".k.x\"}}", deep, "{\"name\":\"c\",\"user\":{\"n.s\":{\"k\":[1]}}}");
    assertEquals(List.of("{\"name\":\"c\",\"user\":{\"n.s\":{\"k\":[1]}}} rename: cannot rename 'name' to 'user.\"n.s\".k.x': "
        + "'user.\"n.s\".k' holds an array, not an object"), deep.rejected);
  }

  @Test
  void unicodeNamesAndHugeValuesMoveUnchanged() throws Exception {
    String big = "9".repeat(400);
    String text = "日本語😀".repeat(20_000);
    assertEquals(List.of("{\"größe\":{\"wert\":" + big + "},\"t\":\"" + text + "\"}"),
        rename("{\"n\":\"größe.wert\",\"\\\"s.x\\\"\":\"t\"}", "{\"n\":" + big + ",\"s.x\":\"" + text + "\"}"));
  }

  @Test
  void anEmptyChunkGivesAnEmptyChunk() throws Exception {
    assertEquals(List.of(), rename("{\"a\":\"b\"}"));
  }

  @Test
  void aRecordThatIsNotAnObjectIsRejected() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(RENAME, "{\"fields\":{\"a\":\"b\"}}", ctx, "[{\"a\":1}]"));
    assertEquals(List.of("[{\"a\":1}] rename: the record is an array, not an object"), ctx.rejected);
  }

  @Test
  void checkAcceptsSwapsChainsAndMovesOutOfAField() {
    assertEquals(List.of(), check(RENAME, "{\"fields\":{\"a\":\"b\",\"b\":\"a\",\"c.d\":\"c\",\"x\":\"y.z\"}}"));
  }

  @Test
  void checkReportsBadPathsAtTheEntry() {
    assertEquals(List.of(
        new ConfigProblem("/fields/a.", "source: field path 'a.' ends with a dot: name a field after it"),
        new ConfigProblem("/fields/b~1c~0d", "target: field path '..' has an empty name at column 1: quote a name that holds a dot, as in a.\"b.c\"")),
        check(RENAME, "{\"fields\":{\"a.\":\"x\",\"b/c~d\":\"..\"}}"));
  }

  @Test
  void checkRejectsTwoRenamesToOneTarget() {
    assertEquals(List.of(new ConfigProblem("/fields/b",
        "target 'x.\"y\"' is also the target of 'a' at /fields/a: two fields cannot be renamed to one")),
        check(RENAME, "{\"fields\":{\"a\":\"x.y\",\"b\":\"x.\\\"y\\\"\"}}"));
  }

  @Test
  void checkRejectsATargetInsideAFieldThatIsMoved() {
    assertEquals(List.of(new ConfigProblem("/fields/a",
        "target 'a.b' is inside 'a', which is moved away: the target would be put into a field that is being renamed")),
        check(RENAME, "{\"fields\":{\"a\":\"a.b\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/b",
        "target 'a.c' is inside 'a', which is moved away at /fields/a: the target would be put into a field that is being renamed")),
        check(RENAME, "{\"fields\":{\"a\":\"x\",\"b\":\"a.c\"}}"));
  }

  @Test
  void checkRejectsNestedSourcesNestedTargetsRepeatsAndSelfRenames() {
    assertEquals(List.of(new ConfigProblem("/fields/a.b",
        "source 'a.b' is inside 'a', which is renamed too at /fields/a: rename one or the other")),
        check(RENAME, "{\"fields\":{\"a\":\"x\",\"a.b\":\"y\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/b",
        "target 't.u' is inside 't', the target at /fields/a: one target would overwrite the other")),
        check(RENAME, "{\"fields\":{\"a\":\"t\",\"b\":\"t.u\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/b",
        "target 't' holds 't.u', the target at /fields/a: one target would overwrite the other")),
        check(RENAME, "{\"fields\":{\"a\":\"t.u\",\"b\":\"t\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/a",
        "source 'a' holds 'a.b', which is renamed too at /fields/a.b: rename one or the other")),
        check(RENAME, "{\"fields\":{\"a.b\":\"y\",\"a\":\"x\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/a.\"b\"",
        "source 'a.\"b\"' is the same field as 'a.b' at /fields/a.b: rename a field once")),
        check(RENAME, "{\"fields\":{\"a.b\":\"x\",\"a.\\\"b\\\"\":\"y\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/a", "renames 'a' to itself: remove the entry")),
        check(RENAME, "{\"fields\":{\"a\":\"\\\"a\\\"\"}}"));
  }
}

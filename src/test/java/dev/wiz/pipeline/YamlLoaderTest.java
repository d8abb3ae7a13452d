package dev.wiz.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class YamlLoaderTest {
  private static final Map<String, String> ENV =
      Map.of(
          "HOME", "/home/ann",
          "WORKERS", "8",
          "EMPTY", "",
          "SECRET", "hunter2",
          "FLAG", "false");

  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

  @AfterEach
  void closeFs() throws IOException {
    fs.close();
  }

  private static YamlLoader loader() {
    return loader(LoadLimits.defaults(), ENV::get);
  }

  private static YamlLoader loader(LoadLimits limits, Function<String, String> env) {
    return new YamlLoader(limits, env);
  }

  private static LocatedTree parse(String yaml) throws InvalidPipelineException {
    return loader().parse(yaml, "pipeline.yaml");
  }

  private static List<String> errors(String yaml) {
    return errors(loader(), yaml);
  }

  private static List<String> errors(YamlLoader loader, String yaml) {
    InvalidPipelineException e =
        assertThrows(InvalidPipelineException.class, () -> loader.parse(yaml, "pipeline.yaml"));
    return e.diagnostics().stream().map(Diagnostic::format).toList();
  }

  private static Location at(int line, int column) {
    return new Location(line, column);
  }

  // ---- positions

  @Test
  void recordsLineAndColumnOfEveryNodeAndKey() throws Exception {
    LocatedTree t =
        parse(
            "# comment\n"
                + "name: demo\n"
                + "source:\n"
                + "  type: file\n"
                + "  path: data/in.jsonl\n"
                + "processors:\n"
                + "  - id: keep\n"
                + "    config: {where: .ok, list: [1, two]}\n"
                + "  -   id: shape\n");
    assertEquals(at(2, 1), t.locations().get(""));
    assertEquals(at(2, 7), t.locations().get("/name"));
    assertEquals(at(2, 1), t.keyLocations().get("/name"));
    assertEquals(at(4, 3), t.locations().get("/source"));
    assertEquals(at(3, 1), t.keyLocations().get("/source"));
    assertEquals(at(5, 9), t.locations().get("/source/path"));
    assertEquals(at(5, 3), t.keyLocations().get("/source/path"));
    assertEquals(at(7, 3), t.locations().get("/processors"));
    assertEquals(at(7, 5), t.locations().get("/processors/0"));
    assertEquals(at(7, 9), t.locations().get("/processors/0/id"));
    assertEquals(at(8, 13), t.locations().get("/processors/0/config"));
    assertEquals(at(8, 5), t.keyLocations().get("/processors/0/config"));
    assertEquals(at(8, 21), t.locations().get("/processors/0/config/where"));
    assertEquals(at(8, 14), t.keyLocations().get("/processors/0/config/where"));
    assertEquals(at(8, 32), t.locations().get("/processors/0/config/list"));
    assertEquals(at(8, 36), t.locations().get("/processors/0/config/list/1"));
    assertEquals(at(8, 26), t.keyLocations().get("/processors/0/config/list"));
    assertEquals(at(9, 7), t.locations().get("/processors/1"));
    assertEquals(at(9, 11), t.locations().get("/processors/1/id"));
    assertEquals("two", t.root().at("/processors/0/config/list/1").asText());
    assertEquals(
        new Diagnostic("pipeline.yaml", 5, 9, "/source/path", "bad"),
        t.diagnostic("/source/path", "bad"));
  }

  @Test
  void theTreeIsMadeByTheNodeFactoryOfWizsMapper() {
    // TreeBuilder takes JsonNodeFactory.instance without building the mapper, which must agree
    assertTrue(dev.wiz.Json.mapper().getNodeFactory() == com.fasterxml.jackson.databind.node.JsonNodeFactory.instance);
  }

  @Test
  void columnsCountCodePointsNotUtf16Units() throws Exception {
    LocatedTree t = parse("a: \"😀😀\"\nb: x\nc: [😀, y]\n");
    assertEquals(at(3, 8), t.locations().get("/c/1")); // 9 if UTF-16 units were counted
  }

  @Test
  void keysWithSlashAndTildeAreEscapedInPointers() throws Exception {
    LocatedTree t = parse("\"a/b\": {\"c~d\": 1}\n");
    assertEquals(1, t.root().get("a/b").get("c~d").asInt());
    assertEquals(at(1, 16), t.locations().get("/a~1b/c~0d"));
    assertEquals(at(1, 9), t.keyLocations().get("/a~1b/c~0d"));
  }

  // ---- scalar types

  @Test
  void scalarsAreTypedByTheCoreSchema() throws Exception {
    JsonNode r =
        parse(
                "i: 42\n"
                    + "neg: -7\n"
                    + "plus: +3\n"
                    + "lead: 012\n"
                    + "oct: 0o17\n"
                    + "hex: 0x1F\n"
                    + "long: 9000000000\n"
                    + "big: 123456789012345678901234567890\n"
                    + "f: 1.5\n"
                    + "exp: 1e3\n"
                    + "dot: .5\n"
                    + "inf: .inf\n"
                    + "ninf: -.Inf\n"
                    + "nan: .NaN\n"
                    + "t: true\n"
                    + "T: True\n"
                    + "F: FALSE\n"
                    + "n: null\n"
                    + "tilde: ~\n"
                    + "empty:\n"
                    + "s: hello\n"
                    + "qi: \"42\"\n"
                    + "qb: 'true'\n")
            .root();
    assertTrue(r.get("i").isInt());
    assertEquals(42, r.get("i").intValue());
    assertEquals(-7, r.get("neg").intValue());
    assertEquals(3, r.get("plus").intValue());
    assertEquals(12, r.get("lead").intValue());
    assertEquals(15, r.get("oct").intValue());
    assertEquals(31, r.get("hex").intValue());
    assertTrue(r.get("long").isLong());
    assertEquals(9_000_000_000L, r.get("long").longValue());
    assertTrue(r.get("big").isBigInteger());
    assertEquals(new BigInteger("123456789012345678901234567890"), r.get("big").bigIntegerValue());
    assertEquals(1.5, r.get("f").doubleValue());
    assertTrue(r.get("exp").isDouble());
    assertEquals(1000.0, r.get("exp").doubleValue());
    assertEquals(0.5, r.get("dot").doubleValue());
    assertEquals(Double.POSITIVE_INFINITY, r.get("inf").doubleValue());
    assertEquals(Double.NEGATIVE_INFINITY, r.get("ninf").doubleValue());
    assertTrue(Double.isNaN(r.get("nan").doubleValue()));
    assertTrue(r.get("t").isBoolean() && r.get("t").booleanValue());
    assertTrue(r.get("T").booleanValue());
    assertTrue(r.get("F").isBoolean() && !r.get("F").booleanValue());
    assertTrue(r.get("n").isNull());
    assertTrue(r.get("tilde").isNull());
    assertTrue(r.get("empty").isNull());
    assertEquals("hello", r.get("s").textValue());
    assertEquals("42", r.get("qi").textValue());
    assertEquals("true", r.get("qb").textValue());
  }

  @Test
  void yaml11BooleansAndOtherQuirksStayStringsInYaml12() throws Exception {
    JsonNode r =
        parse("a: yes\nb: on\nc: off\nd: y\ne: 0b101\nf: 1_000\ng: 0O17\nh: 2001-12-14\ni: +0x1F\n")
            .root();
    for (String k : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) {
      assertTrue(r.get(k).isTextual(), k + " should be a string but is " + r.get(k));
    }
    assertEquals("yes", r.get("a").textValue());
    assertEquals("on", r.get("b").textValue());
  }

  @Test
  void explicitCoreTagsAreHonoured() throws Exception {
    JsonNode r = parse("a: !!str 123\nb: !!int \"12\"\nc: !!float 1\nd: !!bool 'true'\ne: !!null ''\n")
        .root();
    assertEquals("123", r.get("a").textValue());
    assertEquals(12, r.get("b").intValue());
    assertTrue(r.get("c").isDouble());
    assertEquals(1.0, r.get("c").doubleValue());
    assertTrue(r.get("d").booleanValue());
    assertTrue(r.get("e").isNull());
  }

  @Test
  void explicitCoreTagWithAValueThatDoesNotFitIsLocated() {
    assertEquals(
        List.of("pipeline.yaml:2:4: /b: 'abc' is not a valid !!int; fix the value or drop the tag"),
        errors("a: 1\nb: !!int abc\n"));
  }

  @Test
  void unknownTagsAreLocatedErrors() {
    assertEquals(
        List.of(
            "pipeline.yaml:1:5: /a/0: unknown tag !foo: a pipeline file uses plain YAML (strings,"
                + " numbers, booleans, null, lists and mappings); remove the tag",
            "pipeline.yaml:2:4: /b: unknown tag !ENV_VARIABLE: a pipeline file uses plain YAML"
                + " (strings, numbers, booleans, null, lists and mappings); remove the tag",
            "pipeline.yaml:3:4: /c: tag !!seq cannot be used on a mapping; remove it",
            "pipeline.yaml:4:4: /d: unknown tag !!binary: a pipeline file uses plain YAML"
                + " (strings, numbers, booleans, null, lists and mappings); remove the tag"),
        errors("a: [!foo x]\nb: !ENV_VARIABLE x\nc: !!seq {k: 1}\nd: !!binary aGk=\n"));
  }

  @Test
  void anUnquotedDollarBraceInAFlowMappingSaysToQuoteIt() {
    assertEquals(
        List.of("pipeline.yaml:1:30: expected ',' or '}', but got { (while parsing a flow mapping started at 1:9):"
            + " inside { } or [ ] YAML takes the { of ${...} for a mapping; quote the value, as in"
            + " path: \"${NAME:-default}\", or, for a number or true/false (a quoted value stays a string), write"
            + " the mapping in block style, one key per line"),
        errors("source: { type: file, path: ${IN:-in.jsonl} }\n"));
    assertEquals(List.of("pipeline.yaml:1:12: expected ',' or '}', but got { (while parsing a flow mapping started at"
        + " 1:4)"), errors("a: {b: {c} {d}}\n"), "no hint where no $ comes first");
  }

  @Test
  void nonScalarKeysAreLocatedErrors() {
    assertEquals(
        List.of("pipeline.yaml:2:3: a key must be a plain value, not a sequence; use a string key"),
        errors("a: 1\n? [x, y]\n: 2\n"));
  }

  @Test
  void mergeKeysAreExpandedWithLocalKeysWinning() throws Exception {
    JsonNode r = parse("base: &b {k: 1, m: 2}\nc:\n  <<: *b\n  k: 3\n").root();
    assertEquals(3, r.at("/c/k").intValue());
    assertEquals(2, r.at("/c/m").intValue());
  }

  // ---- limits and file-level errors

  @Test
  void textLargerThanMaxBytesIsRefused() {
    YamlLoader small = loader(LoadLimits.defaults().withMaxBytes(10), ENV::get);
    assertEquals(
        List.of(
            "pipeline.yaml:1:1: file too large: 13 bytes, more than the limit of 10 bytes;"
                + " a pipeline file describes the work; keep data out of it"),
        errors(small, "name: ééé\n"));
  }

  @Test
  void fileLargerThanMaxBytesIsRefusedBeforeReading() throws Exception {
    Path file = fs.getPath("/work/big.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "name: " + "x".repeat(100) + "\n");
    YamlLoader small = loader(LoadLimits.defaults().withMaxBytes(64), ENV::get);
    InvalidPipelineException e =
        assertThrows(InvalidPipelineException.class, () -> small.load(file, "big.yaml"));
    assertEquals(
        "big.yaml:1:1: file too large: 107 bytes, more than the limit of 64 bytes;"
            + " a pipeline file describes the work; keep data out of it",
        e.getMessage());
  }

  @Test
  void tooManyAliasesIsLocatedAtTheFirstAliasOverTheLimit() {
    YamlLoader two = loader(LoadLimits.defaults().withMaxAliases(2), ENV::get);
    assertEquals(
        List.of(
            "pipeline.yaml:3:21: /b/4: too many aliases: more than 2 aliases (*name) to mappings or"
                + " sequences; write the repeated parts out, or use fewer anchors"),
        errors(two, "k: &x [1]\ns: &y 5\nb: [*y, *x, *x, *y, *x]\n"));
  }

  @Test
  void precheckPointersFollowKeysAndIndexes() {
    YamlLoader one = loader(LoadLimits.defaults().withMaxAliases(1), ENV::get);
    assertEquals(
        List.of(
            "pipeline.yaml:3:22: /p/1/c~1d: too many aliases: more than 1 aliases (*name) to"
                + " mappings or sequences; write the repeated parts out, or use fewer anchors"),
        errors(one, "m: &m {k: 1}\nn: *m\np: [x, {a: [1], c/d: *m}]\n"));
  }

  @Test
  void billionLaughsIsStoppedByTheAliasLimit() {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [*").append(p);
      for (int i = 0; i < 8; i++) {
        y.append(", *").append(p);
      }
      y.append("]\n");
    }
    List<String> errors = errors(y.toString());
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).startsWith("pipeline.yaml:7:"), errors.get(0));
    assertTrue(errors.get(0).contains("too many aliases: more than 50"), errors.get(0));
  }

  @Test
  void tooManyNodesIsLocatedAtTheFirstNodeOverTheBudget() {
    YamlLoader five = loader(LoadLimits.defaults().withMaxNodes(5), ENV::get);
    assertEquals(
        List.of(
            "pipeline.yaml:3:8: /c/1: too many nodes: more than 5 values (an alias counts each"
                + " time it is used); make the file smaller"),
        errors(five, "a: 1\nb: 2\nc: [3, 4, 5]\n"));
  }

  @Test
  void aliasesCountTowardTheNodeBudgetEachTimeTheyAreUsed() throws Exception {
    YamlLoader budget = loader(LoadLimits.defaults().withMaxNodes(8), ENV::get);
    budget.parse("a: &a [1, 2]\nb: *a\n", "p.yaml"); // 1 + 3 + 3 = 7 nodes
    assertEquals(1, errors(budget, "a: &a [1, 2]\nb: *a\nc: *a\n").size());
  }

  @Test
  void nestingDeeperThanMaxDepthIsLocated() {
    YamlLoader three = loader(LoadLimits.defaults().withMaxDepth(3), ENV::get);
    assertEquals(
        List.of(
            "pipeline.yaml:3:7: /a/b/0: nesting too deep: more than 3 levels of mappings and sequences;"
                + " flatten the structure"),
        errors(three, "a:\n  b:\n    - [x]\n"));
  }

  @Test
  void deepNestingNeverOverflowsTheStack() {
    String deep = "[".repeat(200_000) + "]".repeat(200_000);
    List<String> errors = errors(deep);
    assertEquals(1, errors.size());
    assertEquals(
        "pipeline.yaml:1:65: " + "/0".repeat(64) + ": " + Precheck.tooDeep(64), errors.get(0));
  }

  @Test
  void nestingThroughAliasesIsCheckedToo() {
    YamlLoader three = loader(LoadLimits.defaults().withMaxDepth(3), ENV::get);
    List<String> errors = errors(three, "x: &x [[1]]\ny:\n  z: *x\n");
    assertEquals(
        List.of(
            "pipeline.yaml:1:8: /y/z/0: nesting too deep: more than 3 levels of mappings and"
                + " sequences; flatten the structure"),
        errors);
  }

  @Test
  void duplicateKeysAreLocatedAndNameTheFirstDefinition() {
    assertEquals(
        List.of(
            "pipeline.yaml:4:1: /name: duplicate key 'name' (first defined at 3:1); remove one of"
                + " them",
            "pipeline.yaml:5:16: /src/path: duplicate key 'path' (first defined at 5:7); remove one"
                + " of them"),
        errors("wiz: 1\n\nname: a\nname: b\nsrc: {path: x, path: y}\n"));
  }

  @Test
  void keysThatAreEqualAsTextAreDuplicates() {
    assertEquals(
        List.of(
            "pipeline.yaml:2:1: /1: duplicate key '1' (first defined at 1:1); remove one of them"),
        errors("1: a\n\"1\": b\n"));
  }

  @Test
  void moreThanOneDocumentIsRefused() {
    assertEquals(
        List.of(
            "pipeline.yaml:3:1: a pipeline file holds one YAML document; remove this '---' and"
                + " what follows, or move it to another file"),
        errors("---\na: 1\n---\nb: 2\n"));
  }

  @Test
  void emptyFilesAreRefused() {
    String message =
        "pipeline.yaml:1:1: the file is empty: a pipeline file holds one YAML document";
    assertEquals(List.of(message), errors(""));
    assertEquals(List.of(message), errors("# only a comment\n\n"));
    assertEquals(List.of(message), errors("---\n"));
  }

  @Test
  void aRootNullIsADocumentNotAnEmptyFile() throws Exception {
    assertTrue(parse("~\n").root().isNull());
  }

  // ---- snakeyaml errors become one located line

  @Test
  void syntaxErrorsBecomeOneLocatedLine() {
    assertEquals(
        List.of("pipeline.yaml:2:3: this line is indented by 1 space, deeper than the key on line 1 (0 spaces), so YAML"
            + " reads it as more of that key's unquoted value, where ': ' cannot be: indent it as its sibling keys, or quote"
            + " the value if the ': ' belongs to it"),
        errors("a: 1\n b: 2\n"));
    assertEquals(
        List.of(
            "pipeline.yaml:2:1: expected ',' or ']', but got <stream end> (while parsing a flow"
                + " sequence started at 1:4)"),
        errors("a: [1, 2\n"));
    assertEquals(
        List.of(
            "pipeline.yaml:1:6: '\\q' is no escape in a double-quoted YAML string: use single quotes for jq programs (a"
                + " backslash is itself there, and a jq string keeps its double quotes inside them: '\"user \\(.user)\"'),"
                + " or write \\\\ for a backslash"),
        errors("a: \"\\q\"\n"));
    assertEquals(List.of("pipeline.yaml:1:4: no anchor &nope comes before this alias *nope: put &nope on the value to"
        + " repeat, above this line (anchors are not shared between files)"), errors("a: *nope\n"));
  }

  @Test
  void theCommonSyntaxMistakesWithJqProgramsAreSaidInWordsWithTheFix() {
    String head = "processors:\n  - id: a\n    type: jq\n    config:\n";
    assertEquals(
        List.of("pipeline.yaml:5:16: a plain (unquoted) YAML value cannot start with '@', which YAML reserves: quote the"
            + " value (single quotes suit jq programs): program: '@json \"id: \\(.id)\"'"),
        errors(head + "      program: @json \"id: \\(.id)\"\n"));
    assertEquals(
        List.of("pipeline.yaml:5:28: ': ' inside an unquoted value starts a mapping, which YAML does not allow here: quote"
            + " the value (single quotes suit jq programs): where: '.msg | test(\"a: b\") or .n == ''x'''"),
        errors(head + "      where: .msg | test(\"a: b\") or .n == 'x'\n"));
    assertEquals(
        List.of("pipeline.yaml:5:23: '\\(' is no escape in a double-quoted YAML string: use single quotes for jq programs (a"
            + " backslash is itself there, and a jq string keeps its double quotes inside them: '\"user \\(.user)\"'),"
            + " or write \\\\ for a backslash"),
        errors(head + "      program: \"user \\(.user)\"\n"));
    assertEquals(
        List.of("pipeline.yaml:5:26: the quoted value ends before column 26 and more text follows it: inside single quotes a '"
            + " is written '' (single quotes suit jq programs): program: '.a + \"it''s\"'"),
        errors(head + "      program: '.a + \"it's\"'\n"), "a quote in a single-quoted program is no matter of indentation");
    assertEquals(
        List.of("pipeline.yaml:5:20: the quoted value ends before column 20 and more text follows it: a value that starts with"
            + " a quoted string is quoted as a whole (single quotes suit jq programs): program: '\"x\" + .a'"),
        errors(head + "      program: \"x\" + .a\n"));
    assertEquals(
        List.of("pipeline.yaml:4:4: this line is indented by 3 spaces, the line above it (3) by 4 spaces: keys of one"
            + " mapping, and items of one list, line up (YAML reads the structure from indentation); indent it as the ones"
            + " it belongs with"),
        errors("processors:\n  - id: a\n    type: jq\n   config: { program: . }\n"));
    assertEquals(
        List.of("pipeline.yaml:1:22: a plain (unquoted) YAML value cannot start with '@', which YAML reserves: quote the value"),
        errors("a: { program: .x, b: @x }\n"));
  }

  @Test
  void theQuotedValueSuggestedLeavesOutACommentAfterIt() {
    assertEquals(
        List.of("pipeline.yaml:1:10: a plain (unquoted) YAML value cannot start with '@', which YAML reserves: quote the"
            + " value (single quotes suit jq programs): program: '@csv'"),
        errors("program: @csv   # one line per record\n"));
    assertEquals(
        List.of("pipeline.yaml:1:22: ': ' inside an unquoted value starts a mapping, which YAML does not allow here: quote"
            + " the value (single quotes suit jq programs): where: '.msg | test(\"a: b\")'"),
        errors("where: .msg | test(\"a: b\") # keep the a: b ones\n"));
  }

  @Test
  void aQuoteNeverClosedIsReportedAtTheQuoteNotAtTheEndOfTheFile() {
    assertEquals(
        List.of("pipeline.yaml:2:13: the quoted value that starts here is never closed: the file ends inside it; close it"
            + " with ' where the value ends (inside single quotes a ' is written '')"),
        errors("a: 1\nb: { where: '.x == 1 }\nc: 2\nd: 3\n"));
    assertEquals(
        List.of("pipeline.yaml:1:10: the quoted value that starts here is never closed: the file ends inside it; close it"
            + " with \" where the value ends (inside double quotes a \" is written \\\")"),
        errors("program: \".x\nb: 2\n"));
  }

  @Test
  void aQuoteNotClosedOnItsLineIsReportedThereNotAtTheNextQuoteBelow() {
    // The value runs on to the quote on line 5, and the parser stops after it, at the '@' there.
    assertEquals(
        List.of("pipeline.yaml:2:10: the quoted value that starts here is not closed on its line: it runs on to the ' at"
            + " line 5, column 12, where what follows cannot be read; close it on this line (inside single quotes a ' is"
            + " written '')"),
        errors("a:\n  email: '.email | ascii_downcase\nb: 1\nc:\n  pattern: '@(?<domain>.+)$'\n"));
    // In a flow mapping: the parser's "expected ',' or '}'" is on the next line.
    assertEquals(
        List.of("pipeline.yaml:1:13: the quoted value that starts here is not closed on its line: it runs on to the ' at"
            + " line 2, column 13, where what follows cannot be read; close it on this line (inside single quotes a ' is"
            + " written '')"),
        errors("a: { where: '.x == 1 }\nb: { where: '.y' }\n"));
  }

  @Test
  void aQuotedValueOverSeveralLinesIsStillAValue() throws Exception {
    assertEquals("one two", parse("a: 'one\n  two'\nb: 1\n").root().get("a").asText());
  }

  @Test
  void aTabThatIndentsALineIsSaidInWords() {
    assertEquals(
        List.of("pipeline.yaml:3:1: a tab where YAML reads indentation: YAML indents with spaces only; replace the tab with"
            + " spaces, as many as the lines this one belongs with"),
        errors("wiz: 1\nsource:\n\ttype: file\n  path: in.jsonl\n"));
  }

  @Test
  void aNoBreakSpaceWhereYamlWantsASpaceIsNamedAtItsPosition() {
    String fix = "which YAML does not read as a space (text copied from a web page or a document may hold one): replace"
        + " it with a plain space";
    // indentation: the parser stops on the next line, deeper than the "key" it made of the character
    assertEquals(List.of("pipeline.yaml:3:1: a no-break space (U+00A0) here, " + fix),
        errors("wiz: 1\nsource:\n\u00a0 type: file\n  path: in.jsonl\n"));
    // after a key's colon: the parser reads one plain value "path:\u00a0in.jsonl" and stops on the next line
    assertEquals(List.of("pipeline.yaml:4:8: a no-break space (U+00A0) here, " + fix),
        errors("wiz: 1\nsource:\n  type: file\n  path:\u00a0in.jsonl\nsink: { type: stdout }\n"));
  }

  @Test
  void aMergeKeyOfAnythingButAMappingIsReportedAtItsValue() throws Exception {
    String fix = ": write the keys here, or anchor a mapping (&name { ... }) and merge it (<<: *name)";
    String takes = "a merge key (<<) merges a mapping, an alias of one (*name) or a list of those; ";
    // snakeyaml reported these at whatever came next (3:1 here), in its own words
    assertEquals(List.of("pipeline.yaml:2:16: /b/<<: " + takes + "this is a plain value" + fix),
        errors("a: 1\nb: { x: 1, <<: 2 }\nc: 3\n"));
    assertEquals(List.of("pipeline.yaml:4:12: /b/<</1: " + takes + "this item of its list is an alias of a plain value" + fix),
        errors("m: &m { x: 1 }\na: &v 1\nb:\n  <<: [*m, *v]\n"));
    assertEquals(1, parse("m: &m { x: 1 }\nb: { <<: *m, y: 2 }\n").root().get("b").get("x").asInt(), "a mapping merges");
  }

  @Test
  void controlCharactersAreLocated() {
    assertEquals(
        List.of(
            "pipeline.yaml:2:6: special characters are not allowed (character U+0001); remove it"
                + " or escape it"),
        errors("a: 1\nb: xy\u0001\n"));
  }

  @Test
  void recursiveAliasesAreRefused() {
    assertEquals(
        List.of(
            "pipeline.yaml:1:4: /a/1: recursive alias: this node contains itself; a pipeline file"
                + " must be a tree"),
        errors("a: &x [1, *x]\n"));
  }

  @Test
  void diagnosticsAreSingleLine() {
    for (String bad : List.of("a: 'x\n", "@x\n", "[1,2]]\n", "a:\n- b\n  c: d\n")) {
      InvalidPipelineException e =
          assertThrows(InvalidPipelineException.class, () -> parse(bad));
      assertEquals(1, e.diagnostics().size(), bad);
      String line = e.diagnostics().get(0).format();
      assertFalse(line.contains("\n"), line);
      assertTrue(e.diagnostics().get(0).line() > 0, line);
    }
  }

  // ---- interpolation

  @Test
  void interpolatesStringValuesAndRecordsNames() throws Exception {
    LocatedTree t =
        parse(
            "path: ${HOME}/data\n"
                + "out: ${OUT:-out}\n"
                + "e: ${EMPTY:-fallback}\n"
                + "lit: $${HOME}\n"
                + "${HOME}: key\n");
    assertEquals("/home/ann/data", t.root().get("path").textValue());
    assertEquals("out", t.root().get("out").textValue());
    assertEquals("fallback", t.root().get("e").textValue());
    assertEquals("${HOME}", t.root().get("lit").textValue());
    assertEquals("key", t.root().get("${HOME}").textValue(), "keys are not interpolated");
    assertEquals(Set.of("HOME", "OUT", "EMPTY"), t.interpolated());
  }

  @Test
  void aPlainWholeExpressionIsTypedAfterSubstitution() throws Exception {
    JsonNode r =
        parse(
                "workers: ${WORKERS:-4}\n"
                    + "fallback: ${NOPE:-4}\n"
                    + "flag: ${FLAG:-true}\n"
                    + "on: ${NOPE:-true}\n"
                    + "ratio: ${NOPE:-0.5}\n"
                    + "none: ${NOPE:-}\n"
                    + "quoted: \"${WORKERS}\"\n"
                    + "single: '${NOPE:-4}'\n"
                    + "mixed: ${WORKERS}x\n"
                    + "tagged: !!str ${NOPE:-4}\n"
                    + "words: ${NOPE:-a b}\n"
                    + "anchoredTagged: &t !!str ${NOPE:-4}\n"
                    + "anchored: &u ${NOPE:-4}\n")
            .root();
    assertEquals("4", r.get("anchoredTagged").textValue());
    assertEquals(4, r.get("anchored").intValue());
    assertTrue(r.get("workers").isInt());
    assertEquals(8, r.get("workers").intValue());
    assertEquals(4, r.get("fallback").intValue());
    assertTrue(r.get("flag").isBoolean());
    assertFalse(r.get("flag").booleanValue());
    assertTrue(r.get("on").booleanValue());
    assertEquals(0.5, r.get("ratio").doubleValue());
    assertTrue(r.get("none").isNull());
    assertEquals("8", r.get("quoted").textValue());
    assertEquals("4", r.get("single").textValue());
    assertEquals("8x", r.get("mixed").textValue());
    assertEquals("4", r.get("tagged").textValue());
    assertEquals("a b", r.get("words").textValue());
  }

  @Test
  void unsetVariableIsLocatedAtItsDollarSign() {
    assertEquals(
        List.of(
            "pipeline.yaml:7:12: /source/path: environment variable DATA_DIR is not set (export"
                + " it, or write ${DATA_DIR:-default})"),
        errors(
            "wiz: 1\n"
                + "name: n\n"
                + "run:\n"
                + "  workers: 1\n"
                + "source:\n"
                + "  type: file\n"
                + "  path: \"a/${DATA_DIR}\"\n"));
  }

  @Test
  void problemsInScalarsWithEscapesOrLineBreaksPointAtTheDollarSignToo() {
    assertEquals(
        List.of(
            "pipeline.yaml:1:7: /a: environment variable X is not set (export it, or write"
                + " ${X:-default})",
            "pipeline.yaml:3:8: /b: environment variable Y is not set (export it, or write"
                + " ${Y:-default})"),
        errors("a: \"\\t${X}\"\nb: |\n  text ${Y}\n"));
  }

  @Test
  void allInterpolationErrorsOfTheFileAreReportedAtOnce() {
    assertEquals(
        List.of(
            "pipeline.yaml:1:4: /a: environment variable A is not set (export it, or write"
                + " ${A:-default})",
            "pipeline.yaml:3:5: /b/0: '9x' is not a variable name: use letters, digits and _,"
                + " not starting with a digit, as in ${NAME} or ${NAME:-default}",
            "pipeline.yaml:4:6: /b/1: unterminated ${: close it with }, or write $${ for a"
                + " literal ${",
            "pipeline.yaml:5:4: /c: environment variable C is not set (export it, or write"
                + " ${C:-default})",
            "pipeline.yaml:5:9: /c: environment variable D is not set (export it, or write"
                + " ${D:-default})"),
        errors("a: ${A}\nb:\n  - ${9x}\n  - x${open\nc: ${C}-${D}\n"));
  }

  @Test
  void interpolationAndStructureErrorsAreReportedTogether() {
    assertEquals(
        List.of(
            "pipeline.yaml:1:4: /a: environment variable A is not set (export it, or write"
                + " ${A:-default})",
            "pipeline.yaml:2:1: /a: duplicate key 'a' (first defined at 1:1); remove one of them"),
        errors("a: ${A}\na: 2\n"));
  }

  @Test
  void valuesNeverAppearInErrorMessages() {
    InvalidPipelineException e =
        assertThrows(
            InvalidPipelineException.class,
            () -> parse("a: ${SECRET}${MISSING}\nb: ${SECRET:-x} ${bad-name}\nc: !!int ${SECRET}\n"));
    assertEquals(3, e.diagnostics().size());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void substitutedTextCannotAddStructure() throws Exception {
    YamlLoader l = loader(LoadLimits.defaults(), Map.of("V", "x\nb: [1, 2]")::get);
    JsonNode r = l.parse("a: ${V}\n", "p.yaml").root();
    assertEquals(1, r.size());
    assertEquals("x\nb: [1, 2]", r.get("a").textValue());
  }

  // ---- files

  @Test
  void loadsAFileFromAPath() throws Exception {
    Path file = fs.getPath("/work/pipelines/p.yaml");
    Files.createDirectories(file.getParent());
    Files.write(
        file, "\uFEFFname: café\nsink:\n  path: ${HOME}\n".getBytes(StandardCharsets.UTF_8));
    LocatedTree t = loader().load(file, "pipelines/p.yaml");
    assertEquals("pipelines/p.yaml", t.file());
    assertEquals("café", t.root().get("name").textValue());
    assertEquals("/home/ann", t.root().at("/sink/path").textValue());
    assertEquals(at(3, 9), t.locations().get("/sink/path"));
  }

  @Test
  void aJsonFileLoadsToo() throws Exception {
    Path file = fs.getPath("/p.json");
    Files.writeString(
        file,
        "{\n  \"wiz\": 1,\n  \"name\": \"j\",\n  \"run\": {\"workers\": 4, \"ratio\": 0.25,"
            + " \"dry\": false, \"x\": null},\n  \"tags\": [\"a\", \"b\"]\n}\n");
    LocatedTree t = loader().load(file, "p.json");
    assertEquals(
        "{\"wiz\":1,\"name\":\"j\",\"run\":{\"workers\":4,\"ratio\":0.25,\"dry\":false,\"x\":null},"
            + "\"tags\":[\"a\",\"b\"]}",
        t.root().toString());
    assertEquals(at(4, 22), t.locations().get("/run/workers"));
    assertEquals(at(5, 17), t.locations().get("/tags/1"));
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThrows(NoSuchFileException.class, () -> loader().load(fs.getPath("/nope.yaml"), "x"));
  }

  @Test
  void aFileThatIsNotUtf8IsALocatedError() throws Exception {
    Path file = fs.getPath("/latin1.yaml");
    Files.write(file, new byte[] {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xE9, '\n'});
    InvalidPipelineException e =
        assertThrows(InvalidPipelineException.class, () -> loader().load(file, "latin1.yaml"));
    assertEquals(
        "latin1.yaml:2:4: the file is not UTF-8 text (byte 0xE9 at offset 8); save it as UTF-8",
        e.getMessage());
  }

  @Test
  void limitsRejectNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new LoadLimits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new LoadLimits(1, -1, 1, 1));
    assertEquals(new LoadLimits(4 * 1024 * 1024, 50, 100_000, 64), LoadLimits.defaults());
  }
}

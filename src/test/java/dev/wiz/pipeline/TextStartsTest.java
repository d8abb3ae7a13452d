package dev.wiz.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.common.ScalarStyle;

/** An offset inside a string value maps to the line and column of the very character written. */
class TextStartsTest {
  private static LocatedTree parse(String yaml) throws InvalidPipelineException {
    return new YamlLoader(LoadLimits.defaults(), Map.of("X", "1")::get).parse(yaml, "t.yaml");
  }

  private static void assertExact(LocatedTree t, String pointer) {
    assertTrue(t.textPositions().get(pointer).exact(), pointer + " maps exactly");
  }

  @Test
  void anOffsetInsideAOneLineStringMapsToItsExactColumn() throws Exception {
    LocatedTree t = parse("plain: abc def\nsingle: 'abc def'\ndouble: \"abc def\"\nwide: 'é😀x'\n");
    assertEquals(new Location(1, 13), t.locateInText("/plain", 5));
    assertEquals(new Location(2, 15), t.locateInText("/single", 5));
    assertEquals(new Location(3, 15), t.locateInText("/double", 5));
    assertEquals(new Location(4, 10), t.locateInText("/wide", 3), "columns count code points");
  }

  @Test
  void aLiteralBlockMapsEachLineToItsOwn() throws Exception {
    LocatedTree t = parse("""
        program: |
          {
            a: .a,
            b: .b +* 2
          }
        """);
    String value = t.root().path("program").textValue();
    assertEquals("{\n  a: .a,\n  b: .b +* 2\n}\n", value);
    assertExact(t, "/program");
    assertEquals(new Location(2, 3), t.locateInText("/program", 0));
    assertEquals(new Location(4, 12), t.locateInText("/program", value.indexOf('*')));
    assertEquals(new Location(5, 4), t.locateInText("/program", value.length() - 1), "the line break after }");
    assertEquals(new Location(5, 4), t.locateInText("/program", value.length()), "the end: the same");
  }

  @Test
  void chompingAndIndentationIndicatorsKeepTheMapping() throws Exception {
    LocatedTree t = parse("""
        strip: |-
          one
          two
        keep: |+
          one

        indented: |2
             x
            y
        both: |1-
          z
        """);
    assertEquals("one\ntwo", t.root().path("strip").textValue());
    assertEquals(new Location(3, 5), t.locateInText("/strip", 6));
    assertEquals(new Location(3, 6), t.locateInText("/strip", 7), "the end: after the last character");
    assertEquals("one\n\n", t.root().path("keep").textValue());
    assertEquals(new Location(5, 6), t.locateInText("/keep", 3));
    assertEquals(new Location(6, 1), t.locateInText("/keep", 4), "a kept empty line");
    assertEquals("   x\n  y\n", t.root().path("indented").textValue());
    assertEquals(new Location(8, 3), t.locateInText("/indented", 0), "spaces the indicator keeps");
    assertEquals(new Location(8, 6), t.locateInText("/indented", 3));
    assertEquals(new Location(9, 5), t.locateInText("/indented", 7));
    assertEquals(" z", t.root().path("both").textValue());
    assertEquals(new Location(11, 3), t.locateInText("/both", 1));
    for (String p : List.of("/strip", "/keep", "/indented", "/both")) {
      assertExact(t, p);
    }
  }

  @Test
  void aFoldedBlockMapsAFoldedLineBreakToWhereItWas() throws Exception {
    LocatedTree t = parse("""
        folded: >
          .a
          | frob(1)

          more
           indented
          end
        stripped: >-
          .a
          | frob(1)
        """);
    String value = t.root().path("folded").textValue();
    assertEquals(".a | frob(1)\nmore\n indented\nend\n", value);
    assertExact(t, "/folded");
    assertEquals(new Location(2, 5), t.locateInText("/folded", 2), "the space is the line break");
    assertEquals(new Location(3, 5), t.locateInText("/folded", value.indexOf("frob")));
    assertEquals(new Location(5, 3), t.locateInText("/folded", value.indexOf("more")));
    assertEquals(new Location(6, 4), t.locateInText("/folded", value.indexOf("indented")));
    assertEquals(new Location(7, 3), t.locateInText("/folded", value.indexOf("end")));
    assertEquals(".a | frob(1)", t.root().path("stripped").textValue());
    assertEquals(new Location(10, 5), t.locateInText("/stripped", 5));
  }

  @Test
  void aDoubleQuotedStringMapsAroundItsEscapes() throws Exception {
    LocatedTree t = parse("""
        where: ".a == \\"x\\" and $nope"
        esc: "\\t\\\\\\u00e9\\x41\\U0001F600z"
        """);
    assertEquals(".a == \"x\" and $nope", t.root().path("where").textValue());
    assertEquals(new Location(1, 25), t.locateInText("/where", 14));
    assertEquals(new Location(1, 15), t.locateInText("/where", 6), "an escape is where its backslash is");
    assertEquals("\t\\éA😀z", t.root().path("esc").textValue());
    assertEquals(new Location(2, 9), t.locateInText("/esc", 1));
    assertEquals(new Location(2, 11), t.locateInText("/esc", 2));
    assertEquals(new Location(2, 17), t.locateInText("/esc", 3));
    assertEquals(new Location(2, 21), t.locateInText("/esc", 5), "both halves of a pair: its escape");
    assertEquals(new Location(2, 31), t.locateInText("/esc", 6));
    assertEquals(new Location(2, 32), t.locateInText("/esc", 7), "the end: the closing quote");
  }

  @Test
  void aQuotedStringOverSeveralLinesMapsEachPart() throws Exception {
    LocatedTree t = parse("""
        dq: "one \\
            two
          three"
        sq: 'it''s ''x''
          here

          there'
        """);
    assertEquals("one two three", t.root().path("dq").textValue());
    assertEquals(new Location(2, 5), t.locateInText("/dq", 4), "after an escaped line break");
    assertEquals(new Location(2, 8), t.locateInText("/dq", 7), "a line break folded to a space");
    assertEquals(new Location(3, 3), t.locateInText("/dq", 8));
    assertEquals("it's 'x' here\nthere", t.root().path("sq").textValue());
    assertEquals(new Location(4, 8), t.locateInText("/sq", 2), "'' is where its first quote is");
    assertEquals(new Location(4, 14), t.locateInText("/sq", 6));
    assertEquals(new Location(5, 3), t.locateInText("/sq", 9));
    assertEquals(new Location(6, 1), t.locateInText("/sq", 13), "an empty line stays a line break");
    assertEquals(new Location(7, 3), t.locateInText("/sq", 14));
  }

  @Test
  void aPlainStringOverSeveralLinesMapsEachPart() throws Exception {
    LocatedTree t = parse("""
        plain: .a
          | frob(1)
        flow: [ .a
            |  x ]
        """);
    assertEquals(".a | frob(1)", t.root().path("plain").textValue());
    assertEquals(new Location(2, 5), t.locateInText("/plain", 5));
    assertEquals(".a |  x", t.root().path("flow").path(0).textValue());
    assertEquals(new Location(4, 8), t.locateInText("/flow/0", 6));
  }

  @Test
  void propertiesAliasesWindowsLineBreaksAndJsonStillMapExactly() throws Exception {
    LocatedTree t = parse("t: &a !!str \"x \\\"y\\\"\"\nu: *a\ncrlf: |\r\n  .a\r\n  | x\r\n");
    assertEquals(new Location(1, 18), t.locateInText("/t", 3));
    assertEquals(new Location(1, 18), t.locateInText("/u", 3), "an alias: where the anchored text is");
    assertEquals(".a\n| x\n", t.root().path("crlf").textValue());
    assertEquals(new Location(5, 5), t.locateInText("/crlf", 5));
    assertEquals(new Location(4, 5), t.locateInText("/crlf", 2), "a CR LF line break: its CR");
    LocatedTree json = parse("{\"where\": \".a == \\\"x\\\" and\\n$nope\"}");
    assertEquals(new Location(1, 29), json.locateInText("/where", 14));
  }

  @Test
  void anOffsetInAnInterpolatedStringMapsToTheTextAsWritten() throws Exception {
    LocatedTree t = new YamlLoader(LoadLimits.defaults(), Map.of("X", "secret")::get)
        .parse("var: 'a ${X} b $${c}'\n", "t.yaml");
    assertEquals("a secret b ${c}", t.root().path("var").textValue());
    assertEquals(new Location(1, 7), t.locateInText("/var", 0));
    assertEquals(new Location(1, 9), t.locateInText("/var", 4), "inside the value: its ${");
    assertEquals(new Location(1, 14), t.locateInText("/var", 9), "after it: shifted by what was written");
    assertEquals(new Location(1, 19), t.locateInText("/var", 13), "after $${");
  }

  @Test
  void anInterpolatedBlockMapsToTheTextAsWritten() throws Exception {
    LocatedTree t = new YamlLoader(LoadLimits.defaults(), Map.of("X", "secret")::get)
        .parse("p: |\n  .a\n  | ${X} + $y\n", "t.yaml");
    String value = t.root().path("p").textValue();
    assertEquals(".a\n| secret + $y\n", value);
    assertEquals(new Location(3, 5), t.locateInText("/p", value.indexOf("secret") + 2));
    assertEquals(new Location(3, 12), t.locateInText("/p", value.indexOf('$')));
  }

  @Test
  void anUnsetVariableInABlockIsLocatedAtItsDollarSign() {
    InvalidPipelineException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidPipelineException.class, () -> parse("p: >\n  .a\n  | ${NOPE}\n"));
    Diagnostic d = e.diagnostics().get(0);
    assertEquals(List.of(3, 5), List.of(d.line(), d.column()), d.format());
  }

  @Test
  void whatTheTextDoesNotReproduceFallsBackToTheValueStart() throws Exception {
    // After a blank, U+0085 is a line break to the scanner but not to its line count.
    LocatedTree t = parse("nel: \"a \u0085b\"\nempty: \"\"\nshort: abc\n");
    assertEquals("a b", t.root().path("nel").textValue());
    assertFalse(t.textPositions().get("/nel").exact());
    assertEquals(t.locate("/nel"), t.locateInText("/nel", 2));
    assertEquals(t.locate("/empty"), t.locateInText("/empty", 0));
    assertEquals(t.locate("/short"), t.locateInText("/short", 4), "past the end");
    assertEquals(t.locate("/short"), t.locateInText("/short", -1));
  }

  @Test
  void anAlignmentIsOnlyEverOneTheTextReproduces() {
    String text = "a: \"x\\ty\"\n";
    assertEquals(List.of(4, 5, 7, 8), asList(ScalarAligner.align(text, 3, 9, ScalarStyle.DOUBLE_QUOTED, "x\ty")));
    assertEquals(0, ScalarAligner.align(text, 3, 9, ScalarStyle.DOUBLE_QUOTED, "x\tz").length, "another value");
    assertEquals(0, ScalarAligner.align(text, 3, 9, ScalarStyle.DOUBLE_QUOTED, "x\ty!").length, "a longer one");
    assertEquals(0, ScalarAligner.align(text, 3, 9, ScalarStyle.SINGLE_QUOTED, "x\ty").length, "another style");
    assertEquals(0, ScalarAligner.align(text, 3, 8, ScalarStyle.DOUBLE_QUOTED, "x\ty").length, "another end");
    assertEquals(3, ScalarAligner.align("a: |\n  x\n", 3, 9, ScalarStyle.LITERAL, "x\n").length);
    assertEquals(0, ScalarAligner.align("a: |\n  x\n", 3, 8, ScalarStyle.LITERAL, "x\n").length, "another end mark");
  }

  private static List<Integer> asList(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }
}

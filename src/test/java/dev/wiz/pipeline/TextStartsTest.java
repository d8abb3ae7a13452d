package dev.wiz.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextStartsTest {
  private static LocatedTree parse(String yaml) throws InvalidPipelineException {
    return new YamlLoader(LoadLimits.defaults(), Map.of("X", "1")::get).parse(yaml, "t.yaml");
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
  void escapesAndLineBreaksFallBackToTheValueStart() throws Exception {
    LocatedTree t = parse("esc: \"a\\tb c\"\nfolded: >\n  abc\n  def\nquote: 'it''s x'\n");
    for (String p : new String[] {"/esc", "/folded", "/quote"}) {
      assertFalse(t.textStarts().containsKey(p), p);
      assertEquals(t.locate(p), t.locateInText(p, 2), p);
    }
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
}

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
  void escapesLineBreaksAndInterpolationFallBackToTheValueStart() throws Exception {
    LocatedTree t = parse("esc: \"a\\tb c\"\nfolded: >\n  abc\n  def\nquote: 'it''s x'\nvar: 'a ${X} b'\n");
    for (String p : new String[] {"/esc", "/folded", "/quote", "/var"}) {
      assertFalse(t.textStarts().containsKey(p), p);
      assertEquals(t.locate(p), t.locateInText(p, 2), p);
    }
  }
}

package dev.wiz.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InterpolationTest {
  // 'id-${N}:${T}' with N=4 and T=hunter2
  private final Interpolation i = new Interpolation("id-4:hunter2", "id-${N}:${T}", List.of(
      new Interpolation.Piece(3, 4, 3, 7, "N"), new Interpolation.Piece(5, 12, 8, 12, "T")));

  @Test
  void theWholeValueIsQuotedAsWritten() {
    assertEquals("bad 'id-${N}:${T}' here", i.redact("bad 'id-4:hunter2' here"));
  }

  @Test
  void aPartOfTheValueBecomesItsVariableButNumbersAndWordsThatMerelyContainItStay() {
    assertEquals("unexpected ${T} at column 14, line 4x", i.redact("unexpected hunter2 at column 14, line 4x"));
    assertEquals("column ${N}", i.redact("column 4"));
  }

  @Test
  void offsetsMapToTheTextAsWritten() {
    assertEquals(2, i.writtenOffset(2));
    assertEquals(3, i.writtenOffset(3));
    assertEquals(7, i.writtenOffset(4));
    assertEquals(8, i.writtenOffset(6));
    assertEquals(12, i.writtenOffset(12));
  }
}

package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** sin and cos rounded once from double-double: the exact values rounded (computed with mpmath at 200 bits). */
class DoubleDoubleTest {
  @Test
  void sinAndCosAreTheExactValuesRounded() {
    double[][] xSinCos = {
        {2.5, 0.5984721441039565, -0.8011436155469337}, // Math.sin(2.5) is 0.5984721441039564
        {39.8, 0.8627606436856788, -0.5056125707565756},
        {100.0, -0.5063656411097588, 0.8623188722876839},
        {79.6, -0.872445254003028, -0.48871185658585375},
        {-12.04, 0.5023985589369597, 0.864636159305211},
        {1000000.1, -0.2547258270603761, 0.9670133158485499},
        {1073741823.5, -0.9189223829785472, 0.39443840338008174},
        {355.0, -3.014435335948845e-05, -0.999999999545659}}; // near a multiple of pi: the reduction keeps its digits
    for (double[] c : xSinCos) {
      assertEquals(c[1], DoubleDouble.sin(c[0]), 0.0, "sin " + c[0]);
      assertEquals(c[2], DoubleDouble.cos(c[0]), 0.0, "cos " + c[0]);
    }
  }

  @Test
  void logIsTheExactValueRoundedAndKeepsTheLowPart() {
    assertEquals(0.9162907318741551, new DoubleDouble(2.5, 0).log().hi(), 0.0);
    assertEquals(690.7755278982137, new DoubleDouble(1e300, 0).log().hi(), 0.0);
    assertEquals(-2.3025850929940455, new DoubleDouble(0.1, 0).log().hi(), 0.0);
    assertEquals(1e-20, new DoubleDouble(1, 1e-20).log().hi(), 0.0, "log(1 + 1e-20), from the low part alone");
  }
}

package dev.wiz.processors;

/**
 * The special functions of C's math library that jq 1.6 has and Java's {@code Math} lacks: {@code
 * erf}, {@code erfc}, {@code lgamma} (and its old name {@code gamma}), the sign of {@code lgamma_r}
 * and {@code tgamma}. Computed here from their series and continued fractions, not ported from a C
 * library: they give glibc's results (jq 1.6's) on most inputs, and within a few units of the last
 * place on the others (jq.md says where).
 */
final class JqSpecial {
  private JqSpecial() {}

  private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  private static final double SQRT_PI = 1.7724538509055159;
  /** log(2 pi) / 2. */
  private static final double HALF_LOG_TWO_PI = 0.9189385332046728;
  /** 1 - Euler's constant: the first term of lgamma(2 + z) around z = 0. */
  private static final double ONE_MINUS_EULER = 0.42278433509846713;
  /** (-1)^k (zeta(k) - 1) / k for k = 2 to 41: the further terms of lgamma(2 + z), good for |z| < 2. */
  private static final double[] AROUND_TWO = {
      0.3224670334241132, -0.0673523010531981, 0.020580808427784546, -0.007385551028673986,
      0.0028905103307415234, -0.001192753911703261, 0.0005096695247430425, -0.00022315475845357939,
      9.945751278180853e-05, -4.492623673813314e-05, 2.050721277567069e-05, -9.439488275268397e-06,
      4.374866789907488e-06, -2.039215753801366e-06, 9.55141213040742e-07, -4.492469198764566e-07,
      2.1207184805554665e-07, -1.0043224823968099e-07, 4.7698101693639804e-08, -2.2711094608943164e-08,
      1.0838659214896955e-08, -5.183475041970047e-09, 2.4836745438024785e-09, -1.1921401405860912e-09,
      5.731367241678862e-10, -2.7595228851242334e-10, 1.330476437424449e-10, -6.4229645638381e-11,
      3.1044247747322276e-11, -1.5021384080754142e-11, 7.275974480239079e-12, -3.527742476575915e-12,
      1.711991790559618e-12, -8.315385841420285e-13, 4.04220052528944e-13, -1.9664756310966165e-13,
      9.573630387838556e-14, -4.6640760264283744e-14, 2.2737369600659724e-14, -1.1091399470834522e-14};
  /** Beyond this tgamma is beyond the largest double. */
  private static final double GAMMA_OVERFLOW = 171.62437695630272;

  /** The error function, odd: {@code 2/sqrt(pi)} times the integral of {@code e^(-t^2)} from 0 to x. */
  static double erf(double x) {
    double a = Math.abs(x);
    if (a != a) return x;
    if (a < 1) return Math.copySign(erfSeries(a), x);
    if (a >= 6) return Math.copySign(1.0, x); // 1 - erfc(6), and erfc(6) < 2^-54
    return Math.copySign(1 - erfcFraction(a), x);
  }

  /** The complementary error function, {@code 1 - erf(x)}, without its cancellation for large x. */
  static double erfc(double x) {
    if (x != x) return x;
    if (x < 0.5) return 1 - erf(x); // at least 0.47: 1 - erf loses nothing (below 0, 1 + erf(|x|))
    if (x >= 28) return 0; // below the smallest double
    return erfcFraction(x);
  }

  /** 2/sqrt(pi) - 1. */
  private static final double EFX = 0.1283791670955126;

  /**
   * erf for 0 <= a < 1 by its Taylor series, {@code 2/sqrt(pi)} times the sum of {@code (-1)^n a^(2n+1) /
   * (n! (2n+1))}, written {@code a + a (2/sqrt(pi) - 1 + ...)} so that its largest part is exact.
   */
  private static double erfSeries(double a) {
    double a2 = a * a;
    double term = 1;
    double sum = 0;
    for (int n = 1; n < 40; n++) {
      term *= -a2 / n;
      double t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) <= 0x1p-60 * Math.abs(sum)) break;
    }
    return a + a * (EFX + TWO_OVER_SQRT_PI * sum);
  }

  /**
   * erfc for a >= 0.5 by its continued fraction, {@code e^(-a^2) / sqrt(pi)} over {@code a + (1/2) / (a
   * + 1 / (a + (3/2) / (a + ...)))}, evaluated from its tail with as many terms as it takes to
   * converge at a (1,200 at 0.5, 16 from 5 on).
   */
  private static double erfcFraction(double a) {
    double a2 = a * a;
    int terms = 16 + (int) (300 / a2);
    double t = a;
    for (int k = terms; k > 0; k--) t = a + (k * 0.5) / t;
    double rest = (1 - Math.fma(a, a, -a2)) / (t * SQRT_PI); // e^(-lo) for the part of a^2 a double did not hold
    if (a2 < 700) return Math.exp(-a2) * rest;
    // e^(-a^2) alone would be a subnormal, losing digits before the division: in halves, rounded once at the end.
    double half = Math.exp(-a2 / 2);
    return half * (half * rest);
  }

  /** log |Gamma(x)|; +infinity at 0 and the negative integers, as C's lgamma. */
  static double lgamma(double x) {
    if (x != x) return x;
    if (Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
    if (x <= 0 && x == Math.rint(x)) return Double.POSITIVE_INFINITY;
    double a = Math.abs(x);
    if (a < 0x1p-70) return -Math.log(a);
    // glibc's lgamma is accurate between -28 and -2, where its zeros are, and elsewhere computes
    // the reflection below in doubles: the same formula here gives its digits there most often
    if (x < -2 && x > -28) return lgammaNegative(x);
    if (x < 0) {
      // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
      return Math.log(Math.PI / Math.abs(a * sinpi(x))) - lgammaPositive(a);
    }
    return lgammaPositive(x);
  }

  /**
   * lgamma(x) for -28 < x < -2, not a whole number, from Gamma(x) Gamma(1 - x) = pi / sin(pi x) and
   * Gamma(1 - x) = -x Gamma(-x): {@code log(pi (a)(a+1)...(a+N-1) / (a |sin(pi x)|)) - lgamma(a + N)}
   * with a = -x, N enough steps to bring a + N to 30 and lgamma(a + N) by Stirling's series, all in
   * double-double arithmetic (about 32 digits). Near the zeros of lgamma (-2.457..., -2.747..., ...)
   * the two parts, each up to about 60, cancel to a value as small as 1e-5 and less: in doubles they
   * would keep only that much of 1e-16 * 60, so far from glibc's (whose lgamma of a negative number
   * is accurate there: 3,628 units in the last place from it at -2.7477, on 10,000 numbers in -20..0
   * 4,500 off by 1 or more); the rounding of the double-double sum is the only one that shows.
   */
  private static double lgammaNegative(double x) {
    double a = -x;
    int n = a < 30 ? (int) Math.ceil(30 - a) : 0;
    DoubleDouble product = DoubleDouble.ONE;
    for (int i = 0; i < n; i++) product = product.mul(DoubleDouble.sum(a, i));
    DoubleDouble z = DoubleDouble.sum(a, n);
    DoubleDouble ratio = DoubleDouble.PI.mul(product).div(sinpiAbs(x).mul(a));
    return ratio.log().sub(stirling(z)).hi();
  }

  /** B_2k / (2k (2k - 1)) for k = 1 to 12, as numerator and denominator: the terms of Stirling's series. */
  private static final double[][] STIRLING = {{1, 12}, {-1, 360}, {1, 1260}, {-1, 1680}, {1, 1188}, {-691, 360360},
      {1, 156}, {-3617, 122400}, {43867, 244188}, {-174611, 125400}, {77683, 5796}, {-236364091, 1506960}};

  /** lgamma(z) for z >= 30: (z - 1/2) log z - z + log(2 pi) / 2 + the sum of B_2k / (2k (2k-1) z^(2k-1)). */
  private static DoubleDouble stirling(DoubleDouble z) {
    DoubleDouble w = DoubleDouble.ONE.div(z);
    DoubleDouble w2 = w.mul(w);
    DoubleDouble series = DoubleDouble.ZERO;
    for (int k = STIRLING.length - 1; k >= 0; k--) {
      series = series.mul(w2).add(DoubleDouble.quotient(STIRLING[k][0], STIRLING[k][1]));
    }
    return z.sub(0.5).mul(z.log()).sub(z).add(DoubleDouble.HALF_LOG_TWO_PI).add(series.mul(w));
  }

  /** |sin(pi x)| for x that is not a whole number, in double-double: its reduction is exact. */
  private static DoubleDouble sinpiAbs(double x) {
    double r = Math.abs(x - Math.rint(x)); // in (0, 1/2], exact
    if (r > 0.25) return DoubleDouble.PI.mul(0.5 - r).cosSmall(); // sin(pi r) = cos(pi (1/2 - r)), 1/2 - r exact
    return DoubleDouble.PI.mul(r).sinSmall();
  }



  /** The sign of Gamma(x) as C's lgamma_r gives it: -1 for -0 and where Gamma is negative, else 1. */
  static int lgammaSign(double x) {
    if (x == 0) return 1 / x < 0 ? -1 : 1;
    if (x > 0 || x != x || x == Math.rint(x)) return 1;
    return (((long) Math.floor(x)) & 1) == 0 ? 1 : -1;
  }

  private static double lgammaPositive(double x) {
    if (x < 0.5) return aroundTwo(x) - (Math.log(x) + Math.log1p(x)); // Gamma(x) = Gamma(2 + x) / (x (1 + x))
    if (x < 1.25) return aroundTwo(x - 1) - Math.log1p(x - 1); // Gamma(x) = Gamma(1 + x) / x
    if (x < 2.5) return aroundTwo(x - 2);
    if (x < 13) {
      double[] p = downToTwo(x, 1);
      return Math.log(p[0]) + p[1] / p[0] + aroundTwo(p[2] - 2);
    }
    // Stirling's series: (x - 1/2)(log x - 1) + (log(2 pi) - 1)/2 + the sum of B_2k / (2k (2k-1) x^(2k-1))
    double r = 1 / x;
    double r2 = r * r;
    double tail = r * (1.0 / 12 + r2 * (-1.0 / 360 + r2 * (1.0 / 1260 + r2 * (-1.0 / 1680 + r2 * (1.0 / 1188
        + r2 * (-691.0 / 360360 + r2 * (1.0 / 156 + r2 * (-3617.0 / 122400))))))));
    return (x - 0.5) * (Math.log(x) - 1) + ((HALF_LOG_TWO_PI - 0.5) + tail);
  }

  /** lgamma(2 + z) for |z| <= 0.75, by its Taylor series. */
  private static double aroundTwo(double z) {
    double s = AROUND_TWO[AROUND_TWO.length - 1];
    for (int i = AROUND_TWO.length - 2; i >= 0; i--) s = s * z + AROUND_TWO[i];
    return z * (ONE_MINUS_EULER + z * s);
  }

  /**
   * {@code (x-1)(x-2)...(y)} times {@code scale}, for x >= 2.5 and y the first of x-1, x-2, ... below
   * 2.5, as {@code [hi, lo, y]}: the product in two doubles, whose sum is exact to about 2^-100, so
   * that a hundred factors round once.
   */
  private static double[] downToTwo(double x, double scale) {
    double hi = scale;
    double lo = 0;
    double y = x;
    while (y >= 2.5) {
      y -= 1; // exact below 2^52, and x is that small here
      double p = hi * y;
      double e = Math.fma(hi, y, -p) + lo * y;
      hi = p + e;
      lo = e - (hi - p);
    }
    return new double[] {hi, lo, y};
  }

  /** Gamma(x): infinite of the sign of 0 at 0, NaN at the negative integers and -infinity, as C's tgamma. */
  static double tgamma(double x) {
    if (x != x || x == Double.POSITIVE_INFINITY) return x;
    if (x == 0) return 1 / x;
    if (x < 0 && x == Math.rint(x)) return Double.NaN;
    if (x > GAMMA_OVERFLOW) return Double.POSITIVE_INFINITY;
    if (x > 0) return Math.scalb(gammaPositive(x), 64);
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x), with Gamma(1 - x) = -x Gamma(-x): 1 - x would round.
    double a = -x;
    if (a < 0x1p-54) return -Math.scalb(gammaPositive(a), 64); // Gamma(-a) = -Gamma(a) to the last place there
    if (a < 170) return Math.PI / (sinpi(x) * (a * gammaPositive(a, 0))); // a Gamma(a) first: near 0 it is 1
    if (a < 180) return Math.scalb(Math.PI / (sinpi(x) * (a * gammaPositive(a, -1000))), -1000);
    return Math.copySign(0.0, sinpi(x)); // below the smallest double
  }

  private static double gammaPositive(double x) {
    return gammaPositive(x, -64);
  }

  /**
   * Gamma(x) times 2^scale for x > 0; for x from 2.5 the product is scaled, so that a Gamma beyond
   * the largest double can be divided by, and one near it does not overflow before its last factor.
   */
  private static double gammaPositive(double x, int scale) {
    if (x < 0.5) return Math.scalb(Math.exp(aroundTwo(x) - Math.log1p(x)) / x, scale); // Gamma(2 + x) / ((1 + x) x)
    if (x < 1.5) return Math.scalb(Math.exp(aroundTwo(x - 1)) / x, scale); // Gamma(1 + x) / x
    if (x < 2.5) return Math.scalb(Math.exp(aroundTwo(x - 2)), scale);
    double[] p = downToTwo(x, Math.scalb(1.0, scale));
    double g = Math.exp(aroundTwo(p[2] - 2));
    return Math.fma(p[0], g, p[1] * g);
  }

  /** sin(pi x) for x that is not an integer, exact in its reduction. */
  private static double sinpi(double x) {
    double n = Math.rint(x);
    double s = Math.sin(Math.PI * (x - n));
    return (((long) n) & 1) == 0 ? s : -s;
  }
}

package dev.wiz.processors;

/**
 * A double-double: the unevaluated sum {@code hi + lo}, |lo| at most half a unit in the last place of
 * hi, good to about 2^-104 relative (Dekker's and Knuth's exact sums, and products by fma).
 */
record DoubleDouble(double hi, double lo) {
  static final DoubleDouble ZERO = new DoubleDouble(0, 0);
  static final DoubleDouble ONE = new DoubleDouble(1, 0);
  static final DoubleDouble PI = new DoubleDouble(3.141592653589793, 1.2246467991473532e-16);
  static final DoubleDouble LN2 = new DoubleDouble(0.6931471805599453, 2.3190468138462996e-17);
  static final DoubleDouble HALF_LOG_TWO_PI = new DoubleDouble(0.9189385332046728, -3.8782941580672414e-17);
  private static final double SQRT2 = 1.4142135623730951;

  /** a + b exactly. */
  static DoubleDouble sum(double a, double b) {
    double s = a + b;
    double bb = s - a;
    return new DoubleDouble(s, (a - (s - bb)) + (b - bb));
  }

  /** p / q, for p and q doubles. */
  static DoubleDouble quotient(double p, double q) {
    double h = p / q;
    return new DoubleDouble(h, Math.fma(-h, q, p) / q);
  }

  private static DoubleDouble normal(double h, double l) {
    double s = h + l;
    return new DoubleDouble(s, l - (s - h));
  }

  DoubleDouble add(DoubleDouble o) {
    double s = hi + o.hi;
    double bb = s - hi;
    double e = (hi - (s - bb)) + (o.hi - bb);
    double t = lo + o.lo;
    double tb = t - lo;
    double f = (lo - (t - tb)) + (o.lo - tb);
    DoubleDouble r = normal(s, e + t);
    return normal(r.hi, r.lo + f);
  }

  DoubleDouble sub(DoubleDouble o) {
    return add(new DoubleDouble(-o.hi, -o.lo));
  }

  DoubleDouble sub(double b) {
    return add(new DoubleDouble(-b, 0));
  }

  DoubleDouble mul(DoubleDouble o) {
    double p = hi * o.hi;
    double e = Math.fma(hi, o.hi, -p) + (hi * o.lo + lo * o.hi);
    return normal(p, e);
  }

  DoubleDouble mul(double b) {
    double p = hi * b;
    return normal(p, Math.fma(hi, b, -p) + lo * b);
  }

  DoubleDouble div(DoubleDouble o) {
    double q1 = hi / o.hi;
    DoubleDouble r = sub(o.mul(q1));
    double q2 = r.hi / o.hi;
    r = r.sub(o.mul(q2));
    double q3 = r.hi / o.hi;
    return normal(q1, q2).add(new DoubleDouble(q3, 0));
  }

  DoubleDouble div(double b) {
    return div(new DoubleDouble(b, 0));
  }

  /** The natural log, of a positive double-double: k log 2 + 2 atanh((m - 1) / (m + 1)), m within sqrt(2) of 1. */
  DoubleDouble log() {
    int k = Math.getExponent(hi);
    DoubleDouble m = new DoubleDouble(Math.scalb(hi, -k), Math.scalb(lo, -k));
    if (m.hi > SQRT2) {
      m = new DoubleDouble(m.hi * 0.5, m.lo * 0.5);
      k++;
    }
    DoubleDouble s = sum(m.hi, -1).add(new DoubleDouble(m.lo, 0)).div(sum(m.hi, 1).add(new DoubleDouble(m.lo, 0)));
    DoubleDouble s2 = s.mul(s);
    DoubleDouble series = quotient(1, 43);
    for (int j = 20; j >= 0; j--) series = series.mul(s2).add(quotient(1, 2 * j + 1));
    return LN2.mul(k).add(s.mul(series).mul(2));
  }

  /** sin of this, |this| <= pi/4 by its Taylor series, to the double-double's precision. */
  DoubleDouble sinSmall() {
    DoubleDouble t2 = mul(this);
    DoubleDouble term = this;
    DoubleDouble sum = this;
    for (int k = 1; k <= 16; k++) {
      term = term.mul(t2).div(-(2.0 * k) * (2 * k + 1));
      sum = sum.add(term);
    }
    return sum;
  }

  /** cos of this, |this| <= pi/4 by its Taylor series, to the double-double's precision. */
  DoubleDouble cosSmall() {
    DoubleDouble t2 = mul(this);
    DoubleDouble term = ONE;
    DoubleDouble sum = ONE;
    for (int k = 1; k <= 16; k++) {
      term = term.mul(t2).div(-(2.0 * k - 1) * (2 * k));
      sum = sum.add(term);
    }
    return sum;
  }

  /** pi/2 in three doubles, to about 2^-160. */
  private static final double PIO2_1 = 1.5707963267948966;
  private static final double PIO2_2 = 6.123233995736766e-17;
  private static final double PIO2_3 = -1.4973849048591698e-33;
  private static final double TWO_OVER_PI = 0.6366197723675814;
  /** Below this the reduction by pi/2 in three parts keeps about 80 bits of the remainder. */
  private static final double REDUCIBLE = 0x1p30;

  /** sin x rounded once from double-double (glibc's, nearly always), below 2^30; beyond, {@link Math#sin}. */
  static double sin(double x) {
    if (!(Math.abs(x) < REDUCIBLE)) return Math.sin(x);
    double k = Math.rint(x * TWO_OVER_PI);
    DoubleDouble r = reduced(x, k);
    switch ((int) ((long) k & 3)) {
      case 0: return r.sinSmall().hi;
      case 1: return r.cosSmall().hi;
      case 2: return -r.sinSmall().hi;
      default: return -r.cosSmall().hi;
    }
  }

  /** cos x rounded once from double-double (glibc's, nearly always), below 2^30; beyond, {@link Math#cos}. */
  static double cos(double x) {
    if (!(Math.abs(x) < REDUCIBLE)) return Math.cos(x);
    double k = Math.rint(x * TWO_OVER_PI);
    DoubleDouble r = reduced(x, k);
    switch ((int) ((long) k & 3)) {
      case 0: return r.cosSmall().hi;
      case 1: return -r.sinSmall().hi;
      case 2: return -r.cosSmall().hi;
      default: return r.sinSmall().hi;
    }
  }

  /** x - k pi/2, for k the whole number nearest x 2/pi: x - k PIO2_1 is exact (k PIO2_1 is within a factor 2 of x). */
  private static DoubleDouble reduced(double x, double k) {
    double p = k * PIO2_1;
    DoubleDouble r = sum(x - p, -Math.fma(k, PIO2_1, -p));
    double p2 = k * PIO2_2;
    r = r.sub(new DoubleDouble(p2, Math.fma(k, PIO2_2, -p2)));
    return r.sub(k * PIO2_3);
  }
}

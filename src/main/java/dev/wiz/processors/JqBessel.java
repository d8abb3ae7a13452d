package dev.wiz.processors;

/*
 * A port to Java of fdlibm's e_j0.c, e_j1.c and e_jn.c (as FreeBSD's msun and musl keep them),
 * which glibc's j0, j1, jn, y0, y1 and yn (those jq 1.6 calls) are too:
 *
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunSoft, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */

/**
 * The Bessel functions of C's math library that jq 1.6 has: of the first kind {@code j0}, {@code
 * j1} and {@code jn(n, x)}, of the second kind {@code y0}, {@code y1} and {@code yn(n, x)}, ported
 * from fdlibm (Sun's notice above), with its special cases: {@code y0}, {@code y1} and {@code yn}
 * of 0 are -infinity, of a negative number or -infinity NaN; all of them are 0 at infinity.
 * Its polynomials are evaluated in the order glibc's are (split into pairs of terms, as Naohiko
 * Shimizu rewrote them for pipelined processors), from 2^28 on the asymptotic factors are glibc's
 * first terms, and {@code sin} and {@code cos} are rounded once from double-double below 2^30, as
 * glibc's are nearly always ({@link Math}'s beyond): on 4,800 inputs each from 5e-324 to 1e308 and
 * negative, {@code j0}, {@code j1}, {@code y0} and {@code y1} gave jq 1.6's double on all but 1 to 5
 * and were within 2 units in the last place on those; jn and yn on 3,000 orders from -400 to 3,000
 * within 2. (Where the value is near 0 the computation loses digits, and a last place shows.)
 */
final class JqBessel {
  private JqBessel() {}

  private static final double INVSQRTPI = 5.64189583547756279280e-01; // 0x3FE20DD7, 0x50429B6D
  private static final double TPI = 6.36619772367581382433e-01; // 0x3FE45F30, 0x6DC9C883

  private static int high(double x) {
    return (int) (Double.doubleToRawLongBits(x) >>> 32);
  }

  private static int low(double x) {
    return (int) Double.doubleToRawLongBits(x);
  }

  /**
   * The {@code int} that C makes of a double, as jq 1.6 passes jn's and yn's order: the whole part
   * toward 0, and -2147483648 for a NaN or a number beyond the range of an {@code int} (what the
   * x86-64 conversion gives there).
   */
  static int cInt(double d) {
    return d > -2147483649.0 && d < 2147483648.0 ? (int) d : Integer.MIN_VALUE;
  }

  // j0, y0 (e_j0.c)

  /* R0/S0 on [0, 2.00] */
  private static final double R02 = 1.56249999999999947958e-02; // 0x3F8FFFFF, 0xFFFFFFFD
  private static final double R03 = -1.89979294238854721751e-04; // 0xBF28E6A5, 0xB61AC6E9
  private static final double R04 = 1.82954049532700665670e-06; // 0x3EBEB1D1, 0x0C503919
  private static final double R05 = -4.61832688532103189199e-09; // 0xBE33D5E7, 0x73D63FCE
  private static final double S01 = 1.56191029464890010492e-02; // 0x3F8FFCE8, 0x82C8C2A4
  private static final double S02 = 1.16926784663337450260e-04; // 0x3F1EA6D2, 0xDD57DBF4
  private static final double S03 = 5.13546550207318111446e-07; // 0x3EA13B54, 0xCE84D5A9
  private static final double S04 = 1.16614003333790000205e-09; // 0x3E1408BC, 0xF4745D8F

  static double j0(double x) {
    int ix = high(x) & 0x7fffffff;
    if (ix >= 0x7ff00000) return 1.0 / (x * x);
    x = Math.abs(x);
    if (ix >= 0x40000000) { // |x| >= 2.0
      double s = DoubleDouble.sin(x);
      double c = DoubleDouble.cos(x);
      double ss = s - c;
      double cc = s + c;
      if (ix < 0x7fe00000) { // make sure x+x does not overflow
        double z = -DoubleDouble.cos(x + x);
        if (s * c < 0.0) cc = z / ss;
        else ss = z / cc;
      }
      // j0(x) = 1/sqrt(pi) * (P(0,x)*cc - Q(0,x)*ss) / sqrt(x)
      if (ix > 0x48000000) return (INVSQRTPI * cc) / Math.sqrt(x);
      double u = pzero(x);
      double v = qzero(x);
      return INVSQRTPI * (u * cc - v * ss) / Math.sqrt(x);
    }
    if (ix < 0x3f200000) { // |x| < 2**-13
      if (ix < 0x3e400000) return 1.0; // |x| < 2**-27
      return 1.0 - 0.25 * x * x;
    }
    double z = x * x;
    double z2 = z * z;
    double z4 = z2 * z2;
    double r = z * R02 + z2 * (R03 + z * R04) + z4 * R05;
    double s = (1.0 + z * S01) + z2 * (S02 + z * S03) + z4 * S04;
    if (ix < 0x3FF00000) return 1.0 + z * (-0.25 + (r / s)); // |x| < 1.00
    double u = 0.5 * x;
    return (1.0 + u) * (1.0 - u) + z * (r / s);
  }

  private static final double U00 = -7.38042951086872317523e-02; // 0xBFB2E4D6, 0x99CBD01F
  private static final double U01 = 1.76666452509181115538e-01; // 0x3FC69D01, 0x9DE9E3FC
  private static final double U02 = -1.38185671945596898896e-02; // 0xBF8C4CE8, 0xB16CFA97
  private static final double U03 = 3.47453432093683650238e-04; // 0x3F36C54D, 0x20B29B6B
  private static final double U04 = -3.81407053724364161125e-06; // 0xBECFFEA7, 0x73D25CAD
  private static final double U05 = 1.95590137035022920206e-08; // 0x3E550057, 0x3B4EABD4
  private static final double U06 = -3.98205194132103398453e-11; // 0xBDC5E43D, 0x693FB3C8
  private static final double V01 = 1.27304834834123699328e-02; // 0x3F8A1270, 0x91C9C71A
  private static final double V02 = 7.60068627350353253702e-05; // 0x3F13ECBB, 0xF578C6C1
  private static final double V03 = 2.59150851840457805467e-07; // 0x3E91642D, 0x7FF202FD
  private static final double V04 = 4.41110311332675467403e-10; // 0x3DFE5018, 0x3BD6D9EF

  static double y0(double x) {
    int hx = high(x);
    int ix = hx & 0x7fffffff;
    int lx = low(x);
    if (ix >= 0x7ff00000) return 1.0 / (x + x * x); // y0(NaN) is NaN, y0(-inf) is NaN, y0(inf) is 0
    if ((ix | lx) == 0) return Double.NEGATIVE_INFINITY;
    if (hx < 0) return Double.NaN;
    if (ix >= 0x40000000) { // |x| >= 2.0
      double s = DoubleDouble.sin(x);
      double c = DoubleDouble.cos(x);
      double ss = s - c;
      double cc = s + c;
      if (ix < 0x7fe00000) { // make sure x+x does not overflow
        double z = -DoubleDouble.cos(x + x);
        if (s * c < 0.0) cc = z / ss;
        else ss = z / cc;
      }
      // y0(x) = 1/sqrt(pi) * (P(0,x)*ss + Q(0,x)*cc) / sqrt(x)
      if (ix > 0x48000000) return (INVSQRTPI * ss) / Math.sqrt(x);
      double u = pzero(x);
      double v = qzero(x);
      return INVSQRTPI * (u * ss + v * cc) / Math.sqrt(x);
    }
    if (ix <= 0x3e400000) return U00 + TPI * Math.log(x); // x < 2**-27
    double z = x * x;
    double z2 = z * z;
    double z4 = z2 * z2;
    double z6 = z4 * z2;
    double u = (U00 + z * U01) + z2 * (U02 + z * U03) + z4 * (U04 + z * U05) + z6 * U06;
    double v = (1.0 + z * V01) + z2 * (V02 + z * V03) + z4 * V04;
    return u / v + TPI * (j0(x) * Math.log(x));
  }

  /* pzero(x) = 1 + R/S on four intervals of x >= 2, |pzero(x)-1-R/S| <= 2**-60.26 */
  private static final double[] PR8 = { // for x in [inf, 8]=1/[0,0.125]
      0.00000000000000000000e+00, -7.03124999999900357484e-02, -8.08167041275349795626e+00,
      -2.57063105679704847262e+02, -2.48521641009428822144e+03, -5.25304380490729545272e+03};
  private static final double[] PS8 = {
      1.16534364619668181717e+02, 3.83374475364121826715e+03, 4.05978572648472545552e+04,
      1.16752972564375915681e+05, 4.76277284146730962675e+04};
  private static final double[] PR5 = { // for x in [8,4.5454]=1/[0.125,0.22001]
      -1.14125464691894502584e-11, -7.03124940873599280078e-02, -4.15961064470587782438e+00,
      -6.76747652265167261021e+01, -3.31231299649172967747e+02, -3.46433388365604912451e+02};
  private static final double[] PS5 = {
      6.07539382692300335975e+01, 1.05125230595704579173e+03, 5.97897094333855784498e+03,
      9.62544514357774460223e+03, 2.40605815922939109441e+03};
  private static final double[] PR3 = { // for x in [4.547,2.8571]=1/[0.2199,0.35001]
      -2.54704601771951915620e-09, -7.03119616381481654654e-02, -2.40903221549529611423e+00,
      -2.19659774734883086467e+01, -5.80791704701737572236e+01, -3.14479470594888503854e+01};
  private static final double[] PS3 = {
      3.58560338055209726349e+01, 3.61513983050303863820e+02, 1.19360783792111533330e+03,
      1.12799679856907414432e+03, 1.73580930813335754692e+02};
  private static final double[] PR2 = { // for x in [2.8570,2]=1/[0.3499,0.5]
      -8.87534333032526411254e-08, -7.03030995483624743247e-02, -1.45073846780952986357e+00,
      -7.63569613823527770791e+00, -1.11931668860356747786e+01, -3.23364579351335335033e+00};
  private static final double[] PS2 = {
      2.22202997532088808441e+01, 1.36206794218215208048e+02, 2.70470278658083486789e+02,
      1.53875394208320329881e+02, 1.46576176948256193810e+01};

  private static double pzero(double x) {
    return pOf(x, PR8, PS8, PR5, PS5, PR3, PS3, PR2, PS2);
  }

  /**
   * pzero and pone: 1 + R/S, with R and S the polynomials of the interval x lies in (the tables of
   * [inf,8], [8,4.5454], [4.547,2.8571] and [2.8570,2], numerators then denominators), evaluated
   * in glibc's order.
   */
  private static double pOf(double x, double[] r8, double[] s8, double[] r5, double[] s5, double[] r3, double[] s3,
      double[] r2, double[] s2) {
    double[] p;
    double[] q;
    int ix = high(x) & 0x7fffffff;
    if (ix >= 0x41b00000) return 1.0; // x >= 2^28: glibc's, where fdlibm's has the polynomials' first terms
    if (ix >= 0x40200000) { p = r8; q = s8; }
    else if (ix >= 0x40122E8B) { p = r5; q = s5; }
    else if (ix >= 0x4006DB6D) { p = r3; q = s3; }
    else { p = r2; q = s2; }
    double z = 1.0 / (x * x);
    double z2 = z * z;
    double z4 = z2 * z2;
    double r = (p[0] + z * p[1]) + z2 * (p[2] + z * p[3]) + z4 * (p[4] + z * p[5]);
    double s = (1.0 + z * q[0]) + z2 * (q[1] + z * q[2]) + z4 * (q[3] + z * q[4]);
    return 1.0 + r / s;
  }

  /* qzero(x) = s*(-1.25 + R/S), s = 1/x, on the same intervals, |qzero(x)/s +1.25-R/S| <= 2**-61.22 */
  private static final double[] QR8 = { // for x in [inf, 8]=1/[0,0.125]
      0.00000000000000000000e+00, 7.32421874999935051953e-02, 1.17682064682252693899e+01,
      5.57673380256401856059e+02, 8.85919720756468632317e+03, 3.70146267776887834771e+04};
  private static final double[] QS8 = {
      1.63776026895689824414e+02, 8.09834494656449805916e+03, 1.42538291419120476348e+05,
      8.03309257119514397345e+05, 8.40501579819060512818e+05, -3.43899293537866615225e+05};
  private static final double[] QR5 = { // for x in [8,4.5454]=1/[0.125,0.22001]
      1.84085963594515531381e-11, 7.32421766612684765896e-02, 5.83563508962056953777e+00,
      1.35111577286449829671e+02, 1.02724376596164097464e+03, 1.98997785864605384631e+03};
  private static final double[] QS5 = {
      8.27766102236537761883e+01, 2.07781416421392987104e+03, 1.88472887785718085070e+04,
      5.67511122894947329769e+04, 3.59767538425114471465e+04, -5.35434275601944773371e+03};
  private static final double[] QR3 = { // for x in [4.547,2.8571]=1/[0.2199,0.35001]
      4.37741014089738620906e-09, 7.32411180042911447163e-02, 3.34423137516170720929e+00,
      4.26218440745412650017e+01, 1.70808091340565596283e+02, 1.66733948696651168575e+02};
  private static final double[] QS3 = {
      4.87588729724587182091e+01, 7.09689221056606015736e+02, 3.70414822620111362994e+03,
      6.46042516752568917582e+03, 2.51633368920368957333e+03, -1.49247451836156386662e+02};
  private static final double[] QR2 = { // for x in [2.8570,2]=1/[0.3499,0.5]
      1.50444444886983272379e-07, 7.32234265963079278272e-02, 1.99819174093815998816e+00,
      1.44956029347885735348e+01, 3.16662317504781540833e+01, 1.62527075710929267416e+01};
  private static final double[] QS2 = {
      3.03655848355219184498e+01, 2.69348118608049844624e+02, 8.44783757595320139444e+02,
      8.82935845112488550512e+02, 2.12666388511798828631e+02, -5.31095493882666946917e+00};

  private static double qzero(double x) {
    return qOf(x, -.125, QR8, QS8, QR5, QS5, QR3, QS3, QR2, QS2);
  }

  /** qzero (c = -0.125) and qone (c = 0.375): (c + R/S)/x, on pOf's intervals, in glibc's order. */
  private static double qOf(double x, double c, double[] r8, double[] s8, double[] r5, double[] s5, double[] r3,
      double[] s3, double[] r2, double[] s2) {
    double[] p;
    double[] q;
    int ix = high(x) & 0x7fffffff;
    if (ix >= 0x41b00000) return c / x; // x >= 2^28: glibc's, where fdlibm's has the polynomials' first terms
    if (ix >= 0x40200000) { p = r8; q = s8; }
    else if (ix >= 0x40122E8B) { p = r5; q = s5; }
    else if (ix >= 0x4006DB6D) { p = r3; q = s3; }
    else { p = r2; q = s2; }
    double z = 1.0 / (x * x);
    double z2 = z * z;
    double z4 = z2 * z2;
    double z6 = z4 * z2;
    double r = (p[0] + z * p[1]) + z2 * (p[2] + z * p[3]) + z4 * (p[4] + z * p[5]);
    double s = (1.0 + z * q[0]) + z2 * (q[1] + z * q[2]) + z4 * (q[3] + z * q[4]) + z6 * q[5];
    return (c + r / s) / x;
  }

  // j1, y1 (e_j1.c)

  /* R0/S0 on [0,2] */
  private static final double R00 = -6.25000000000000000000e-02; // 0xBFB00000, 0x00000000
  private static final double R01 = 1.40705666955189706048e-03; // 0x3F570D9F, 0x98472C61
  private static final double R02B = -1.59955631084035597520e-05; // 0xBEF0C5C6, 0xBA169668
  private static final double R03B = 4.96727999609584448412e-08; // 0x3E6AAAFA, 0x46CA0BD9
  private static final double S01B = 1.91537599538363460805e-02; // 0x3F939D0B, 0x12637E53
  private static final double S02B = 1.85946785588630915560e-04; // 0x3F285F56, 0xB9CDF664
  private static final double S03B = 1.17718464042623683263e-06; // 0x3EB3BFF8, 0x333F8498
  private static final double S04B = 5.04636257076217042715e-09; // 0x3E35AC88, 0xC97DFF2C
  private static final double S05B = 1.23542274426137913908e-11; // 0x3DAB2ACF, 0xCFB97ED8

  static double j1(double x) {
    int hx = high(x);
    int ix = hx & 0x7fffffff;
    if (ix >= 0x7ff00000) return 1.0 / x;
    double y = Math.abs(x);
    if (ix >= 0x40000000) { // |x| >= 2.0
      double s = DoubleDouble.sin(y);
      double c = DoubleDouble.cos(y);
      double ss = -s - c;
      double cc = s - c;
      if (ix < 0x7fe00000) { // make sure y+y does not overflow
        double z = DoubleDouble.cos(y + y);
        if (s * c > 0.0) cc = z / ss;
        else ss = z / cc;
      }
      // j1(x) = 1/sqrt(pi) * (P(1,x)*cc - Q(1,x)*ss) / sqrt(x)
      double z;
      if (ix > 0x48000000) {
        z = (INVSQRTPI * cc) / Math.sqrt(y);
      } else {
        double u = pone(y);
        double v = qone(y);
        z = INVSQRTPI * (u * cc - v * ss) / Math.sqrt(y);
      }
      return hx < 0 ? -z : z;
    }
    if (ix < 0x3e400000) return 0.5 * x; // |x| < 2**-27
    double z = x * x;
    double z2 = z * z;
    double z4 = z2 * z2;
    double r = z * R00 + z2 * (R01 + z * R02B) + z4 * R03B;
    double s = (1.0 + z * S01B) + z2 * (S02B + z * S03B) + z4 * (S04B + z * S05B);
    r *= x;
    return x * 0.5 + r / s;
  }

  private static final double[] U0 = {
      -1.96057090646238940668e-01, 5.04438716639811282616e-02, -1.91256895875763547298e-03,
      2.35252600561610495928e-05, -9.19099158039878874504e-08};
  private static final double[] V0 = {
      1.99167318236649903973e-02, 2.02552581025135171496e-04, 1.35608801097516229404e-06,
      6.22741452364621501295e-09, 1.66559246207992079114e-11};

  static double y1(double x) {
    int hx = high(x);
    int ix = hx & 0x7fffffff;
    int lx = low(x);
    if (ix >= 0x7ff00000) return 1.0 / (x + x * x); // y1(NaN) is NaN, y1(-inf) is NaN, y1(inf) is 0
    if ((ix | lx) == 0) return Double.NEGATIVE_INFINITY;
    if (hx < 0) return Double.NaN;
    if (ix >= 0x40000000) { // |x| >= 2.0
      double s = DoubleDouble.sin(x);
      double c = DoubleDouble.cos(x);
      double ss = -s - c;
      double cc = s - c;
      if (ix < 0x7fe00000) { // make sure x+x does not overflow
        double z = DoubleDouble.cos(x + x);
        if (s * c > 0.0) cc = z / ss;
        else ss = z / cc;
      }
      // y1(x) = 1/sqrt(pi) * (P(1,x)*ss + Q(1,x)*cc) / sqrt(x)
      if (ix > 0x48000000) return (INVSQRTPI * ss) / Math.sqrt(x);
      double u = pone(x);
      double v = qone(x);
      return INVSQRTPI * (u * ss + v * cc) / Math.sqrt(x);
    }
    if (ix <= 0x3c900000) return -TPI / x; // x < 2**-54
    double z = x * x;
    double z2 = z * z;
    double z4 = z2 * z2;
    double u = (U0[0] + z * U0[1]) + z2 * (U0[2] + z * U0[3]) + z4 * U0[4];
    double v = (1.0 + z * V0[0]) + z2 * (V0[1] + z * V0[2]) + z4 * (V0[3] + z * V0[4]);
    return x * (u / v) + TPI * (j1(x) * Math.log(x) - 1.0 / x);
  }

  /* pone(x) = 1 + R/S on four intervals of x >= 2, |pone(x)-1-R/S| <= 2**-60.06 */
  private static final double[] PR8B = { // for x in [inf, 8]=1/[0,0.125]
      0.00000000000000000000e+00, 1.17187499999988647970e-01, 1.32394806593073575129e+01,
      4.12051854307378562225e+02, 3.87474538913960532227e+03, 7.91447954031891731574e+03};
  private static final double[] PS8B = {
      1.14207370375678408436e+02, 3.65093083420853463394e+03, 3.69562060269033463555e+04,
      9.76027935934950801311e+04, 3.08042720627888811578e+04};
  private static final double[] PR5B = { // for x in [8,4.5454]=1/[0.125,0.22001]
      1.31990519556243522749e-11, 1.17187493190614097638e-01, 6.80275127868432871736e+00,
      1.08308182990189109773e+02, 5.17636139533199752805e+02, 5.28715201363337541807e+02};
  private static final double[] PS5B = {
      5.92805987221131331921e+01, 9.91401418733614377743e+02, 5.35326695291487976647e+03,
      7.84469031749551231769e+03, 1.50404688810361062679e+03};
  private static final double[] PR3B = { // for x in [4.547,2.8571]=1/[0.2199,0.35001]
      3.02503916137373618024e-09, 1.17186865567253592491e-01, 3.93297750033315640650e+00,
      3.51194035591636932736e+01, 9.10550110750781271918e+01, 4.85590685197364919645e+01};
  private static final double[] PS3B = {
      3.47913095001251519989e+01, 3.36762458747825746741e+02, 1.04687139975775130551e+03,
      8.90811346398256432622e+02, 1.03787932439639277504e+02};
  private static final double[] PR2B = { // for x in [2.8570,2]=1/[0.3499,0.5]
      1.07710830106873743082e-07, 1.17176219462683348094e-01, 2.36851496667608785174e+00,
      1.22426109148261232917e+01, 1.76939711271687727390e+01, 5.07352312588818499250e+00};
  private static final double[] PS2B = {
      2.14364859363821409488e+01, 1.25290227168402751090e+02, 2.32276469057162813669e+02,
      1.17679373287147100768e+02, 8.36463893371618283368e+00};

  private static double pone(double x) {
    return pOf(x, PR8B, PS8B, PR5B, PS5B, PR3B, PS3B, PR2B, PS2B);
  }

  /* qone(x) = s*(0.375 + R/S), s = 1/x, on the same intervals, |qone(x)/s -0.375-R/S| <= 2**-61.13 */
  private static final double[] QR8B = { // for x in [inf, 8]=1/[0,0.125]
      0.00000000000000000000e+00, -1.02539062499992714161e-01, -1.62717534544589987888e+01,
      -7.59601722513950107896e+02, -1.18498066702429587167e+04, -4.84385124285750353010e+04};
  private static final double[] QS8B = {
      1.61395369700722909556e+02, 7.82538599923348465381e+03, 1.33875336287249578163e+05,
      7.19657723683240939863e+05, 6.66601232617776375264e+05, -2.94490264303834643215e+05};
  private static final double[] QR5B = { // for x in [8,4.5454]=1/[0.125,0.22001]
      -2.08979931141764104297e-11, -1.02539050241375426231e-01, -8.05644828123936029840e+00,
      -1.83669607474888380239e+02, -1.37319376065508163265e+03, -2.61244440453215656817e+03};
  private static final double[] QS5B = {
      8.12765501384335777857e+01, 1.99179873460485964642e+03, 1.74684851924908907677e+04,
      4.98514270910352279316e+04, 2.79480751638918118260e+04, -4.71918354795128470869e+03};
  private static final double[] QR3B = { // for x in [4.547,2.8571]=1/[0.2199,0.35001]
      -5.07831226461766561369e-09, -1.02537829820837089745e-01, -4.61011581139473403113e+00,
      -5.78472216562783643212e+01, -2.28244540737631695038e+02, -2.19210128478909325622e+02};
  private static final double[] QS3B = {
      4.76651550323729509273e+01, 6.73865112676699709482e+02, 3.38015286679526343505e+03,
      5.54772909720722782367e+03, 1.90311919338810798763e+03, -1.35201191444307340817e+02};
  private static final double[] QR2B = { // for x in [2.8570,2]=1/[0.3499,0.5]
      -1.78381727510958865572e-07, -1.02517042607985553460e-01, -2.75220568278187460720e+00,
      -1.96636162643703720221e+01, -4.23253133372830490089e+01, -2.13719211703704061733e+01};
  private static final double[] QS2B = {
      2.95333629060523854548e+01, 2.52981549982190529136e+02, 7.57502834868645436472e+02,
      7.39393205320467245656e+02, 1.55949003336666123687e+02, -4.95949898822628210127e+00};

  private static double qone(double x) {
    return qOf(x, .375, QR8B, QS8B, QR5B, QS5B, QR3B, QS3B, QR2B, QS2B);
  }

  // jn, yn (e_jn.c)

  /**
   * J(n, x), with J(-n, x) = J(n, -x) = (-1)^n J(n, x): forward recurrence from j0 and j1 where
   * n <= x, else a continued fraction for J(n, x) / J(n-1, x) and backward recurrence, scaled by
   * j0 or j1. int arithmetic wraps as the C code's does on x86-64.
   */
  static double jn(int n, double x) {
    int hx = high(x);
    int ix = hx & 0x7fffffff;
    int lx = low(x);
    if ((ix | ((lx | -lx) >>> 31)) > 0x7ff00000) return x + x; // NaN
    if (n < 0) {
      n = -n;
      x = -x;
      hx ^= 0x80000000;
    }
    if (n == 0) return j0(x);
    if (n == 1) return j1(x);
    int sgn = (n & 1) & (hx >>> 31); // even n: 0, odd n: the sign of x
    x = Math.abs(x);
    double b;
    if ((ix | lx) == 0 || ix >= 0x7ff00000) { // x is 0 or inf
      b = 0.0;
    } else if ((double) n <= x) {
      // safe to use J(n+1,x) = 2n/x * J(n,x) - J(n-1,x)
      if (ix >= 0x52D00000) { // x > 2**302: J(n,x) = cos(x-(2n+1)*pi/4)*sqrt(2/(x*pi))
        double temp;
        switch (n & 3) {
          case 0: temp = DoubleDouble.cos(x) + DoubleDouble.sin(x); break;
          case 1: temp = -DoubleDouble.cos(x) + DoubleDouble.sin(x); break;
          case 2: temp = -DoubleDouble.cos(x) - DoubleDouble.sin(x); break;
          default: temp = DoubleDouble.cos(x) - DoubleDouble.sin(x); break;
        }
        b = INVSQRTPI * temp / Math.sqrt(x);
      } else if (n == Integer.MIN_VALUE) {
        // -n is n again: C's loop below, compiled for an n made positive, runs 2^31 - 1 times (4.5 s in
        // jq 1.6), where 2i/x passes 2 and the terms overflow to infinity, then NaN, for x below about
        // 2e9 (beyond, to 2^302, it ends on a value that wiz does not reproduce, and gives NaN too)
        b = Double.NaN;
      } else {
        double a = j0(x);
        b = j1(x);
        for (int i = 1; i < n; i++) {
          double temp = b;
          b = b * ((double) (i + i) / x) - a; // avoid underflow
          a = temp;
        }
      }
    } else if (ix < 0x3e100000) { // x < 2**-29: J(n,x) = 1/n!*(x/2)^n - ...
      if (n > 33) { // underflow
        b = 0.0;
      } else {
        double temp = x * 0.5;
        b = temp;
        double a = 1.0;
        for (int i = 2; i <= n; i++) {
          a *= i; // a = n!
          b *= temp; // b = (x/2)^n
        }
        b = b / a;
      }
    } else {
      // backward recurrence: J(n,x)/J(n-1,x) = 1/(w - 1/(w+h - 1/(w+2h - ...))), w = 2n/x, h = 2/x;
      // the terms it takes: Q(0) = w, Q(1) = w(w+h) - 1, Q(k) = (w+k*h)*Q(k-1) - Q(k-2) until Q(k) > 1e9
      double w = (n + n) / x;
      double h = 2.0 / x;
      double q0 = w;
      double z = w + h;
      double q1 = w * z - 1.0;
      int k = 1;
      while (q1 < 1.0e9) {
        k += 1;
        z += h;
        double tmp = z * q1 - q0;
        q0 = q1;
        q1 = tmp;
      }
      int m = n + n;
      double t = 0.0;
      for (int i = 2 * (n + k); i >= m; i -= 2) t = 1.0 / (i / x - t);
      double a = t;
      b = 1.0;
      // log((2/x)^n*n!) is about n*log(2n/x): past log(DBL_MAX) the recurrence may overflow
      double tmp = n;
      double v = 2.0 / x;
      tmp = tmp * Math.log(Math.abs(v * tmp));
      if (tmp < 7.09782712893383973096e+02) {
        double di = (double) ((n - 1) + (n - 1));
        for (int i = n - 1; i > 0; i--) {
          double temp = b;
          b *= di;
          b = b / x - a;
          a = temp;
          di -= 2.0;
        }
      } else {
        double di = (double) ((n - 1) + (n - 1));
        for (int i = n - 1; i > 0; i--) {
          double temp = b;
          b *= di;
          b = b / x - a;
          a = temp;
          di -= 2.0;
          if (b > 1e100) { // scale b to avoid spurious overflow
            a /= b;
            t /= b;
            b = 1.0;
          }
        }
      }
      z = j0(x);
      w = j1(x);
      if (Math.abs(z) >= Math.abs(w)) b = t * z / b;
      else b = t * w / a;
    }
    return sgn == 1 ? -b : b;
  }

  /** Y(n, x), with Y(-n, x) = (-1)^n Y(n, x): forward recurrence from y0 and y1, which is stable for Y. */
  static double yn(int n, double x) {
    int hx = high(x);
    int ix = hx & 0x7fffffff;
    int lx = low(x);
    if ((ix | ((lx | -lx) >>> 31)) > 0x7ff00000) return x + x; // NaN
    int sign = 1;
    if (n < 0) {
      n = -n;
      sign = 1 - ((n & 1) << 1);
    }
    if (n == 0) return y0(x);
    // glibc's order (fdlibm's tests 0 and x < 0 first): Y(-n, 0) of an odd n is +inf there
    if ((ix | lx) == 0) return -sign / 0.0;
    if (hx < 0) return Double.NaN;
    if (n == 1) return sign * y1(x);
    if (ix == 0x7ff00000) return 0.0;
    double b;
    if (ix >= 0x52D00000) { // x > 2**302: Y(n,x) = sin(x-(2n+1)*pi/4)*sqrt(2/(x*pi))
      double temp;
      switch (n & 3) {
        case 0: temp = DoubleDouble.sin(x) - DoubleDouble.cos(x); break;
        case 1: temp = -DoubleDouble.sin(x) - DoubleDouble.cos(x); break;
        case 2: temp = -DoubleDouble.sin(x) + DoubleDouble.cos(x); break;
        default: temp = DoubleDouble.sin(x) + DoubleDouble.cos(x); break;
      }
      b = INVSQRTPI * temp / Math.sqrt(x);
    } else {
      double a = y0(x);
      b = y1(x);
      for (int i = 1; i < n && b != Double.NEGATIVE_INFINITY; i++) { // quit if b is -inf
        double temp = b;
        b = ((double) (i + i) / x) * b - a;
        a = temp;
      }
    }
    return sign > 0 ? b : -b;
  }
}

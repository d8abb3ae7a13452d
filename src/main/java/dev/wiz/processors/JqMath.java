package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.internal.misc.JsonNodeUtils;

/**
 * The C math functions jq 1.6 has and jackson-jq 1.6.0 lacks, as glibc computes them (checked
 * against jq 1.6): one input ({@code round} over jackson-jq's, {@code fabs}, {@code trunc}, {@code rint}, {@code nearbyint}, {@code
 * significand}, {@code logb}, {@code acosh}, {@code asinh}, {@code atanh}, and {@code frexp} and
 * {@code modf}, which give pairs), two ({@code ldexp}, {@code scalb}, {@code scalbln}, {@code
 * copysign}, {@code drem}, {@code remainder}, {@code fdim}, {@code fmax}, {@code fmin}, {@code fmod}, {@code hypot},
 * {@code nextafter}, {@code nexttoward}, and {@code pow} over jackson-jq's) and three ({@code fma}); and the special
 * functions {@code erf}, {@code erfc}, {@code lgamma}, {@code gamma}, {@code lgamma_r} and {@code tgamma} ({@link
 * JqSpecial}); and the Bessel functions {@code j0}, {@code j1}, {@code y0}, {@code y1}, {@code jn} and {@code yn}
 * ({@link JqBessel}). Several arguments with several outputs each give every combination, the first argument changing
 * fastest, as in jq.
 */
final class JqMath {
  private JqMath() {}

  /** jackson-jq's own one-input math functions: their error for a value that is no number is jq's. */
  private static final List<String> JACKSON_JQ = List.of("acos", "asin", "atan", "cbrt", "ceil", "cos", "cosh", "exp",
      "exp10", "exp2", "expm1", "floor", "log", "log10", "log1p", "log2", "round", "sin", "sinh", "sqrt", "tan", "tanh");

  static void install(Scope root) {
    for (String name : JACKSON_JQ) {
      Function original = root.getFunction(name, 0);
      if (original == null) continue;
      // jackson-jq said "mathfunc is not applicable to OBJECT; expected one of [NUMBER]".
      root.addFunction(name, 0, (scope, args, in, path, output, version) -> {
        number(in);
        original.apply(scope, args, in, path, output, version);
      });
    }
    // C's round, half away from zero, on the double: jackson-jq's went through a long, so
    // infinite and 1e20 became 9223372036854775807.
    one(root, "round", JqMath::round);
    one(root, "fabs", Math::abs);
    one(root, "trunc", d -> d < 0 ? Math.ceil(d) : Math.floor(d));
    one(root, "rint", Math::rint);
    one(root, "nearbyint", Math::rint);
    one(root, "significand", JqMath::significand);
    one(root, "logb", JqMath::logb);
    one(root, "acosh", d -> d < 1 ? Double.NaN : d > 1e8 ? Math.log(d) + Math.log(2) : Math.log(d + Math.sqrt((d - 1) * (d + 1))));
    one(root, "asinh", d -> Math.copySign(Math.log1p(Math.abs(d) + d * d / (1 + Math.sqrt(1 + d * d))), d));
    one(root, "atanh", d -> 0.5 * Math.log1p(2 * d / (1 - d)));
    root.addFunction("frexp", 0, (scope, args, in, path, output, version) -> output.emit(frexp(number(in)), null));
    root.addFunction("modf", 0, (scope, args, in, path, output, version) -> output.emit(modf(number(in)), null));
    one(root, "erf", JqSpecial::erf);
    one(root, "erfc", JqSpecial::erfc);
    one(root, "lgamma", JqSpecial::lgamma);
    one(root, "gamma", JqSpecial::lgamma); // C's old name for lgamma
    one(root, "tgamma", JqSpecial::tgamma);
    root.addFunction("lgamma_r", 0, (scope, args, in, path, output, version) -> {
      double d = number(in);
      output.emit(JsonNodeFactory.instance.arrayNode(2).add(result(JqSpecial.lgamma(d))).add(JqSpecial.lgammaSign(d)), null);
    });
    one(root, "j0", JqBessel::j0);
    one(root, "j1", JqBessel::j1);
    one(root, "y0", JqBessel::y0);
    one(root, "y1", JqBessel::y1);
    // jn(n; x) and yn(n; x): C's order, n made an int as C makes it
    two(root, "jn", (n, x) -> JqBessel.jn(JqBessel.cInt(n), x));
    two(root, "yn", (n, x) -> JqBessel.yn(JqBessel.cInt(n), x));
    // jackson-jq's pow changed its second argument fastest: [pow(2,3; 1,2)] was [2,4,3,9], jq's [2,3,4,9].
    two(root, "pow", Math::pow);
    two(root, "ldexp", JqMath::scalb);
    // C's scalb: NaN for an exponent that is not a whole number (ldexp and scalbln take its whole part).
    two(root, "scalb", (a, b) -> b == Math.rint(b) || Double.isInfinite(b) ? scalb(a, b) : Double.NaN);
    two(root, "scalbln", JqMath::scalb);
    two(root, "copysign", Math::copySign);
    two(root, "drem", Math::IEEEremainder);
    two(root, "remainder", Math::IEEEremainder); // C's remainder, of which drem is the old name
    two(root, "fdim", (a, b) -> a != a || b != b ? Double.NaN : a > b ? a - b : 0);
    two(root, "fmax", (a, b) -> a != a ? b : b != b ? a : Math.max(a, b));
    two(root, "fmin", (a, b) -> a != a ? b : b != b ? a : Math.min(a, b));
    two(root, "fmod", (a, b) -> a % b);
    two(root, "hypot", Math::hypot);
    // jackson-jq's said "cannot accept NULL as 0th argument of atan2/2; expected one of [NUMBER]"
    two(root, "atan2", Math::atan2);
    two(root, "nextafter", Math::nextAfter);
    two(root, "nexttoward", Math::nextAfter);
    root.addFunction("fma", 3, (scope, args, in, path, output, version) ->
        args.get(2).apply(scope, in, c -> args.get(1).apply(scope, in, b -> args.get(0).apply(scope, in, a ->
            output.emit(result(Math.fma(number(a), number(b), number(c))), null)))));
  }

  private static void one(Scope root, String name, DoubleUnaryOperator f) {
    root.addFunction(name, 0, (scope, args, in, path, output, version) -> output.emit(result(f.applyAsDouble(number(in))), null));
  }

  private static void two(Scope root, String name, DoubleBinaryOperator f) {
    root.addFunction(name, 2, (scope, args, in, path, output, version) ->
        args.get(1).apply(scope, in, b -> args.get(0).apply(scope, in, a ->
            output.emit(result(f.applyAsDouble(number(a), number(b))), null))));
  }

  private static double number(JsonNode v) throws JsonQueryException {
    if (!v.isNumber()) throw new JsonQueryTypeException("%s number required", v);
    return v.asDouble();
  }

  private static JsonNode result(double d) {
    return JqArithmetic.computed(JsonNodeUtils.asNumericNode(d));
  }

  /** C's {@code round}: the nearest whole number, half away from zero; infinities and NaN as they are. */
  static double round(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return d;
    double t = d < 0 ? Math.ceil(d) : Math.floor(d); // exact, and d - t too
    return Math.abs(d - t) >= 0.5 ? t + Math.signum(d) : t;
  }

  private static double scalb(double a, double b) {
    return Math.scalb(a, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, b)));
  }

  /** The exponent of {@code d} as a double, subnormals too: {@code 2^logb(d) <= |d| < 2^(logb(d)+1)}. */
  static double logb(double d) {
    if (d == 0) return Double.NEGATIVE_INFINITY;
    if (Double.isNaN(d)) return d;
    if (Double.isInfinite(d)) return Double.POSITIVE_INFINITY;
    int e = Math.getExponent(d);
    return e >= Double.MIN_EXPONENT ? e : Math.getExponent(d * 0x1p54) - 54;
  }

  /** {@code d} scaled into [1, 2) by a power of 2, keeping its sign; 0, infinities and NaN as they are. */
  static double significand(double d) {
    if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) return d;
    return Math.scalb(d, -(int) logb(d));
  }

  /** {@code [m, e]} with {@code d = m * 2^e} and {@code 0.5 <= |m| < 1}; {@code [d, 0]} for 0, infinities and NaN. */
  private static JsonNode frexp(double d) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(2);
    if (d == 0 || Double.isNaN(d) || Double.isInfinite(d)) return a.add(result(d)).add(0);
    int e = (int) logb(d) + 1;
    return a.add(result(Math.scalb(d, -e))).add(e);
  }

  /** {@code [fraction, whole]}, both with the sign of {@code d}. */
  private static JsonNode modf(double d) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode(2);
    if (Double.isNaN(d)) return a.add(result(d)).add(result(d));
    if (Double.isInfinite(d)) return a.add(result(Math.copySign(0.0, d))).add(result(d));
    double whole = d < 0 ? Math.ceil(d) : Math.floor(d);
    return a.add(result(Math.copySign(d - whole, d))).add(result(whole));
  }
}

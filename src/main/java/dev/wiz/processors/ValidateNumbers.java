package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ExecutionContext;
import dev.wiz.WrittenNumber;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordType;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.path.NodePath;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The JSON Schema dialects {@code validate} uses: networknt's drafts, with their numeric keywords
 * ({@code maximum}, {@code minimum}, {@code exclusiveMaximum}, {@code exclusiveMinimum},
 * {@code multipleOf}, {@code enum}) given each number in a form that networknt 2.0.8 compares exactly.
 *
 * <ul>
 *   <li>Its bounds, when the schema says {@code type: integer} and the bound is a 64-bit integer,
 *       compare a big integer node exactly but any other number by its {@code long} value: an exact
 *       decimal beyond 64 bits ({@code 1e400}) was cut to its low 64 bits (0), so it passed
 *       {@code maximum: 10}. Integral numbers beyond a long reach the bounds as big integers.
 *   <li>Its {@code multipleOf} divides an exact decimal exactly but any other number as a double:
 *       {@code 9007199254740993} (odd) passed {@code multipleOf: 2}, a 30-digit multiple of 3 failed
 *       {@code multipleOf: 3}, and a huge decimal ({@code 1e999999999}) made the division throw.
 *       Integers beyond 2^53 reach it as exact decimals, and a decimal too large to divide as its
 *       remainder's stand-in ({@code 0} for a multiple, else one and a half times the divisor).
 *   <li>Its {@code enum} writes every number out in full, which for {@code 1e99999999} took minutes
 *       and for {@code 1e2147483647} failed the chunk: such a decimal reaches it as the enum's number
 *       it equals, or one it equals none of.
 * </ul>
 *
 * Everything else is networknt's own: the keywords' rules per draft, their messages. The record
 * itself is never changed; only what these keywords see of a number.
 */
final class ValidateNumbers {
  private ValidateNumbers() {}

  /** Beyond this many integer digits a number reaches the bounds as this power of ten, with its sign. */
  static final int DIGITS = 10_000;

  private static final BigInteger HUGE = BigInteger.TEN.pow(DIGITS);
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final long DOUBLE_EXACT = 1L << 53;

  private static final class Holder {
    static final List<Dialect> DIALECTS = List.of(exact(Dialects.getDraft202012()), exact(Dialects.getDraft201909()),
        exact(Dialects.getDraft7()), exact(Dialects.getDraft6()), exact(Dialects.getDraft4()));
  }

  /** The five drafts, draft 2020-12 first (the default). */
  static List<Dialect> dialects() {
    return Holder.DIALECTS;
  }

  private static Dialect exact(Dialect base) {
    return Dialect.builder(base).keywords(keywords -> {
      wrap(base, keywords, KeywordType.MAXIMUM, (node, schema) -> forBound(node));
      wrap(base, keywords, KeywordType.MINIMUM, (node, schema) -> forBound(node));
      wrap(base, keywords, KeywordType.EXCLUSIVE_MAXIMUM, (node, schema) -> forBound(node));
      wrap(base, keywords, KeywordType.EXCLUSIVE_MINIMUM, (node, schema) -> forBound(node));
      wrap(base, keywords, KeywordType.MULTIPLE_OF, ValidateNumbers::forMultipleOf);
      wrap(base, keywords, KeywordType.ENUM, ValidateNumbers::forEnum);
    }).build();
  }

  /**
   * Puts a converting keyword in place of networknt's, where the draft has it (draft-04's
   * exclusiveMaximum is a flag of maximum's). A keyword of the builder's is kept over its
   * vocabularies' (2019-09 and 2020-12 take their keywords from vocabularies).
   */
  private static void wrap(Dialect base, Map<String, Keyword> keywords, KeywordType type,
      BiFunction<JsonNode, JsonNode, JsonNode> convert) {
    if (base.getKeywords().get(type.getValue()) != type) return;
    keywords.put(type.getValue(), new Keyword() {
      @Override
      public String getValue() {
        return type.getValue();
      }

      @Override
      public KeywordValidator newValidator(SchemaLocation location, JsonNode schemaNode, Schema parent, SchemaContext context) {
        return new Converting(type.newValidator(location, schemaNode, parent, context), schemaNode, convert);
      }
    });
  }

  /** networknt's validator for a keyword, given each instance as {@code convert} makes it. */
  private static final class Converting implements KeywordValidator {
    private final KeywordValidator inner;
    private final JsonNode schemaNode;
    private final BiFunction<JsonNode, JsonNode, JsonNode> convert;

    Converting(KeywordValidator inner, JsonNode schemaNode, BiFunction<JsonNode, JsonNode, JsonNode> convert) {
      this.inner = inner;
      this.schemaNode = schemaNode;
      this.convert = convert;
    }

    @Override
    public void validate(ExecutionContext context, JsonNode node, JsonNode root, NodePath at) {
      inner.validate(context, convert.apply(node, schemaNode), root, at);
    }

    @Override
    public void walk(ExecutionContext context, JsonNode node, JsonNode root, NodePath at, boolean validate) {
      inner.walk(context, convert.apply(node, schemaNode), root, at, validate);
    }

    @Override
    public void preloadSchema() {
      inner.preloadSchema();
    }

    @Override
    public String getKeyword() {
      return inner.getKeyword();
    }

    @Override
    public SchemaLocation getSchemaLocation() {
      return inner.getSchemaLocation();
    }
  }

  /**
   * The record as the keywords check it: a number that is infinite or NaN to jq ({@code 1e308 * 10},
   * {@code 0 / 0} computed; {@code 1e9999999999} read) as the value wiz writes for it, the largest
   * double with its sign ({@code 1.7976931348623157e+308}) or {@code null}; a zero double as its
   * plain node. networknt takes every
   * number it compares ({@code multipleOf}, {@code enum}, {@code const}) as an exact decimal, which
   * no infinity or NaN has. The record itself when it holds none (then nothing is copied); else a
   * copy of the containers on the way to them, the record unchanged.
   */
  static JsonNode finite(JsonNode n) {
    return numbers(n, ValidateNumbers::finiteNumber);
  }

  private static JsonNode finiteNumber(JsonNode n) {
    if (!n.isDouble() && !n.isFloat()) return n;
    double d = n.doubleValue();
    // Zero as its plain node: networknt reads some numbers from their text, and no decimal is
    // 1e-9999999999 (its exponent is beyond 32 bits: a double's zero to jq and to wiz).
    if (d == 0) return n instanceof WrittenNumber ? ((WrittenNumber) n).value() : n;
    if (Double.isFinite(d)) return n;
    return d != d ? NullNode.getInstance() : DoubleNode.valueOf(d > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE);
  }

  /**
   * The value with {@code number} applied to each number in it: the value itself when that changes
   * none, else a copy of the containers on the way to those it changes.
   */
  private static JsonNode numbers(JsonNode n, UnaryOperator<JsonNode> number) {
    if (n.isNumber()) return number.apply(n);
    if (n.isArray()) {
      ArrayNode copy = null;
      for (int i = 0; i < n.size(); i++) {
        JsonNode e = n.get(i);
        JsonNode f = numbers(e, number);
        if (f == e) continue;
        if (copy == null) copy = JsonNodeFactory.instance.arrayNode(n.size()).addAll((ArrayNode) n);
        copy.set(i, f);
      }
      return copy == null ? n : copy;
    }
    if (n.isObject()) {
      ObjectNode copy = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode f = numbers(e.getValue(), number);
        if (f == e.getValue()) continue;
        if (copy == null) copy = JsonNodeFactory.instance.objectNode().setAll((ObjectNode) n);
        copy.set(e.getKey(), f);
      }
      return copy == null ? n : copy;
    }
    return n;
  }

  /**
   * A value as {@code enum} compares it: networknt writes each number of it out in full ({@code
   * toPlainString}), which for {@code 1e99999999} is 100 million digits (minutes) and past that
   * fails. A decimal whose point is more than {@link #DIGITS} places from its digits is compared as
   * the enum's number it equals, or as one that equals none of them (one more than the largest).
   */
  static JsonNode forEnum(JsonNode n, JsonNode schemaNode) {
    if (!n.isContainerNode() && !n.isBigDecimal()) return n;
    return numbers(n, v -> {
      if (!v.isBigDecimal() || Math.abs((long) v.decimalValue().scale()) <= DIGITS) return v;
      BigDecimal value = v.decimalValue();
      List<BigDecimal> listed = new ArrayList<>();
      numbers(schemaNode, e -> {
        if (e.isIntegralNumber() || e.isBigDecimal()) listed.add(e.decimalValue());
        else if (Double.isFinite(e.doubleValue())) listed.add(BigDecimal.valueOf(e.doubleValue()));
        return e;
      });
      BigDecimal largest = BigDecimal.ZERO;
      for (BigDecimal e : listed) {
        if (e.compareTo(value) == 0) return DecimalNode.valueOf(e);
        largest = largest.max(e.abs());
      }
      return DecimalNode.valueOf(largest.add(BigDecimal.ONE));
    });
  }

  /**
   * A number as the bounds compare it exactly: an integral number beyond a long as a big integer
   * (beyond {@link #DIGITS} digits, as that power of ten with its sign: above or below any bound a
   * schema can write). Other values as they are.
   */
  static JsonNode forBound(JsonNode n) {
    if (!n.isNumber() || n.isBigInteger() || n.isInt() || n.isLong() || n.isShort()) return n;
    BigDecimal v;
    if (n.isBigDecimal()) {
      v = n.decimalValue();
    } else {
      double d = n.doubleValue();
      if (!Double.isFinite(d) || Math.abs(d) < 0x1p63) return n;
      v = BigDecimal.valueOf(d); // as written: the shortest decimal of the double, as networknt takes it
    }
    if (v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0) return n;
    if (!integral(v)) return n;
    long digits = (long) v.precision() - v.scale();
    BigInteger exact = digits <= DIGITS ? v.toBigIntegerExact() : v.signum() < 0 ? HUGE.negate() : HUGE;
    return BigIntegerNode.valueOf(exact);
  }

  /**
   * A number as {@code multipleOf} divides it exactly: an integer beyond 2^53 as an exact decimal,
   * and a decimal with more than {@link #DIGITS} integer digits as the stand-in of its remainder.
   */
  static JsonNode forMultipleOf(JsonNode n, JsonNode schemaNode) {
    if (!n.isNumber()) return n;
    if (n.isInt() || n.isLong() || n.isShort()) {
      long v = n.longValue();
      return v >= -DOUBLE_EXACT && v <= DOUBLE_EXACT ? n : DecimalNode.valueOf(BigDecimal.valueOf(v));
    }
    if (n.isBigInteger()) return DecimalNode.valueOf(new BigDecimal(n.bigIntegerValue()));
    if (!n.isBigDecimal()) return n;
    BigDecimal v = n.decimalValue();
    if ((long) v.precision() - v.scale() <= DIGITS || !schemaNode.isNumber()) return n;
    BigDecimal divisor = schemaNode.isIntegralNumber() || schemaNode.isBigDecimal() ? schemaNode.decimalValue()
        : BigDecimal.valueOf(schemaNode.doubleValue());
    long power = (long) divisor.scale() - v.scale();
    if (divisor.signum() == 0 || power < 0) return n; // a divisor as huge as the number: networknt divides it
    return DecimalNode.valueOf(multiple(v, divisor, power) ? BigDecimal.ZERO : divisor.multiply(new BigDecimal("1.5")));
  }

  /**
   * Is {@code v} a multiple of {@code d}: with {@code v = m * 10^-s}, {@code d = u * 10^-t} and
   * {@code power = t - s >= 0}, does {@code u} divide {@code m * 10^power}, found modulo {@code u}
   * without the power itself.
   */
  private static boolean multiple(BigDecimal v, BigDecimal d, long power) {
    BigInteger u = d.unscaledValue().abs();
    BigInteger m = v.unscaledValue();
    return m.mod(u).multiply(BigInteger.TEN.modPow(BigInteger.valueOf(power), u)).mod(u).signum() == 0;
  }

  private static boolean integral(BigDecimal v) {
    return v.signum() == 0 || v.scale() <= 0 || v.stripTrailingZeros().scale() <= 0;
  }
}

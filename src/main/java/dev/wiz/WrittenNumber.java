package dev.wiz;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A number that keeps the text it was written with: {@code 1e10}, {@code 41.0}, {@code 1.50},
 * {@code -0}, {@code 1E+400}. In everything but its text it is the plain node it holds (a double, an
 * integer, an exact decimal), so comparisons, arithmetic and jq see the value ({@code 1e2 == 100});
 * it is written, and turned into text ({@code tostring}, a CSV cell), as its text. Canonical
 * bytes ({@link Json#canonicalBytes}: dedupe, hash) are those of the value, so they do not depend
 * on how a number was spelled. Made by {@link JsonNumbers#readFloat} (and {@code readInt}, for
 * {@code -0}) for the numbers of the input whose text is not the one wiz would write anyway, and
 * by the steps that spell a number themselves ({@link JsonNumbers#floating}). Immutable.
 */
public final class WrittenNumber extends NumericNode {
  private static final long serialVersionUID = 1L;

  private final NumericNode value;
  private final String text;

  WrittenNumber(NumericNode value, String text) {
    if (value instanceof WrittenNumber) throw new IllegalArgumentException("a written number of a written number");
    this.value = value;
    this.text = text;
  }

  /** The number with its text; {@code text} must be a JSON number whose value is {@code value}. */
  public static WrittenNumber of(NumericNode value, String text) {
    return new WrittenNumber(value, text);
  }

  /** The text it is written as. */
  public String text() {
    return text;
  }

  /** The plain node of its value, as a computation would make it. */
  public NumericNode value() {
    return value;
  }

  @Override
  public JsonToken asToken() {
    return value.asToken();
  }

  @Override
  public JsonParser.NumberType numberType() {
    return value.numberType();
  }

  @Override
  public boolean isIntegralNumber() {
    return value.isIntegralNumber();
  }

  @Override
  public boolean isFloatingPointNumber() {
    return value.isFloatingPointNumber();
  }

  @Override
  public boolean isShort() {
    return value.isShort();
  }

  @Override
  public boolean isInt() {
    return value.isInt();
  }

  @Override
  public boolean isLong() {
    return value.isLong();
  }

  @Override
  public boolean isFloat() {
    return value.isFloat();
  }

  @Override
  public boolean isDouble() {
    return value.isDouble();
  }

  @Override
  public boolean isBigDecimal() {
    return value.isBigDecimal();
  }

  @Override
  public boolean isBigInteger() {
    return value.isBigInteger();
  }

  @Override
  public boolean isNaN() {
    return value.isNaN();
  }

  @Override
  public boolean canConvertToInt() {
    return value.canConvertToInt();
  }

  @Override
  public boolean canConvertToLong() {
    return value.canConvertToLong();
  }

  @Override
  public boolean canConvertToExactIntegral() {
    return value.canConvertToExactIntegral();
  }

  @Override
  public Number numberValue() {
    return value.numberValue();
  }

  @Override
  public short shortValue() {
    return value.shortValue();
  }

  @Override
  public int intValue() {
    return value.intValue();
  }

  @Override
  public long longValue() {
    return value.longValue();
  }

  @Override
  public float floatValue() {
    return value.floatValue();
  }

  @Override
  public double doubleValue() {
    return value.doubleValue();
  }

  @Override
  public BigDecimal decimalValue() {
    return value.decimalValue();
  }

  @Override
  public BigInteger bigIntegerValue() {
    return value.bigIntegerValue();
  }

  @Override
  public boolean asBoolean(boolean defaultValue) {
    return value.asBoolean(defaultValue);
  }

  @Override
  public String asText() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    if (Json.canonical(g)) {
      value.serialize(g, provider);
    } else {
      g.writeNumber(text);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof WrittenNumber && ((WrittenNumber) o).text.equals(text)
        && ((WrittenNumber) o).value.equals(value));
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}

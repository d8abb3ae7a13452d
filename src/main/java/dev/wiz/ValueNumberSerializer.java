package dev.wiz;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;

/**
 * Writes a number by its value, for the forms {@code dedupe} and {@code hash} digest ({@link
 * Json#keyBytes}, {@link Json#hashBytes}), never by the text it was read with.
 */
final class ValueNumberSerializer extends JsonSerializer<NumericNode> {
  /** Numbers equal in jq's sense, as {@code aggregate} groups them, written alike: {@code 1}, {@code 1.0}, {@code 1e0}. */
  static final ValueNumberSerializer JQ_VALUE = new ValueNumberSerializer(true);
  /** An integer's digits, any other number as the canonical form writes it, but {@code -0.0} as {@code 0.0}. */
  static final ValueNumberSerializer TYPED = new ValueNumberSerializer(false);

  private final boolean jq;

  private ValueNumberSerializer(boolean jq) {
    this.jq = jq;
  }

  @Override
  public void serialize(NumericNode n, JsonGenerator g, SerializerProvider provider) throws IOException {
    NumericNode value = n instanceof WrittenNumber ? ((WrittenNumber) n).value() : n;
    if (jq) {
      g.writeNumber(JsonNumbers.valueText(value));
    } else if ((value.isDouble() || value.isFloat()) && value.doubleValue() == 0) {
      g.writeNumber(0.0); // -0.0 == 0.0, as in jq: one value, one hash
    } else {
      value.serialize(g, provider);
    }
  }
}

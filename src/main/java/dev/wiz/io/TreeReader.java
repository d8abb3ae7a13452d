package dev.wiz.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Builds Jackson's tree of the value at a parser's current token from the parser's tokens: the
 * nodes {@code ObjectMapper.readTree} gives for JSON text with wiz's settings (ints, longs and big
 * integers by size, doubles, text; a repeated key keeps its first place and its last value), as
 * {@code TreeReaderTest} checks, except that a number a double cannot hold is kept exact (a
 * {@code DecimalNode}) rather than made infinite, zero or rounded. It exists for speed: databind's general deserializer makes a
 * context per value and is one large method that the JIT compiled again and again while the
 * profiles settled; this is 9% less CPU on the events benchmark. The parser does all the reading,
 * including the nesting limit, so the recursion here is bounded by it.
 */
final class TreeReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TreeReader() {}

  /** The value that starts at the parser's current token; the parser is left after it. */
  static JsonNode read(JsonParser p) throws IOException {
    JsonNode n = value(p, p.currentToken());
    p.clearCurrentToken();
    return n;
  }

  /**
   * The whole of {@code len} bytes as one JSON value; more than one value is an error, as is none.
   */
  static JsonNode readWhole(com.fasterxml.jackson.core.JsonFactory factory, byte[] bytes, int off, int len)
      throws IOException {
    try (JsonParser p = factory.createParser(bytes, off, len)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new IOException("no JSON value");
      JsonNode n = read(p);
      if (p.nextToken() != null) {
        throw new IOException("more than one JSON value (the next starts at column " + p.currentLocation().getColumnNr() + ")");
      }
      return n;
    }
  }

  /**
   * A number with a fraction or exponent: a double, unless a double cannot be that number: it
   * would overflow to infinity, vanish to zero, or drop digits (more than the 17 significant
   * digits a double tells apart). Then it is kept exact, so {@code 1e400} stays a number and
   * {@code 0.10000000000000000001} keeps its digits; everyday numbers cost what they did.
   */
  private static JsonNode decimal(JsonParser p) throws IOException {
    double d = p.getDoubleValue();
    if (Double.isFinite(d) && (p.getTextLength() <= 17 || significantDigits(p) <= 17) && (d != 0 || significantDigits(p) == 0)) {
      return NODES.numberNode(d);
    }
    return NODES.numberNode(p.getDecimalValue());
  }

  /** The digits of the number's text from its first non-zero digit to its exponent. */
  private static int significantDigits(JsonParser p) throws IOException {
    char[] text = p.getTextCharacters();
    int n = 0;
    for (int i = p.getTextOffset(), end = i + p.getTextLength(); i < end; i++) {
      char c = text[i];
      if (c == 'e' || c == 'E') break;
      if (c >= '0' && c <= '9' && (n > 0 || c != '0')) n++;
    }
    return n;
  }

  private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          o.replace(name, value(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(value(p, e));
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return decimal(p);
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        // Not in JSON text (embedded objects come from other formats).
        throw new IOException("unexpected " + t + " in JSON text");
    }
  }
}

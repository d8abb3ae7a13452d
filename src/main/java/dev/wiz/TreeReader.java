package dev.wiz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads records: builds Jackson's tree of the value at a parser's current token from the parser's
 * tokens, the nodes {@code ObjectMapper.readTree} gives for JSON text with wiz's settings (a
 * repeated key keeps its first place and its last value), but with numbers as wiz reads them
 * ({@link JsonNumbers#readFloat}: a number keeps the text it was written with, and one a double
 * cannot hold is kept exact), as {@code TreeReaderTest} checks. Every place that reads records uses it:
 * the sources, an {@code exec} program's output, dead letters taken over by a resumed run. It
 * exists for speed too: databind's general deserializer makes a context per value and is one
 * large method that the JIT compiled again and again while the profiles settled; this is 9% less
 * CPU on the events benchmark. The parser does all the reading, including the nesting limit, so
 * the recursion here is bounded by it.
 */
public final class TreeReader {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TreeReader() {}

  /** The value that starts at the parser's current token; the parser is left after it. */
  public static JsonNode read(JsonParser p) throws IOException {
    JsonNode n = value(p, p.currentToken());
    p.clearCurrentToken();
    return n;
  }

  /**
   * The whole of {@code len} bytes as one JSON value; more than one value is an error, as is none.
   */
  public static JsonNode readWhole(JsonFactory factory, byte[] bytes, int off, int len) throws IOException {
    try (JsonParser p = factory.createParser(bytes, off, len)) {
      return whole(p);
    }
  }

  /** The whole text as one JSON value, with {@link Json#mapper()}'s limits; more than one value is an error, as is none. */
  public static JsonNode parse(String text) throws IOException {
    try (JsonParser p = Json.mapper().getFactory().createParser(text)) {
      return whole(p);
    }
  }

  private static JsonNode whole(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) throw new IOException("no JSON value");
    JsonNode n = read(p);
    if (p.nextToken() != null) throw new SecondValueException(p.currentTokenLocation());
    return n;
  }

  /**
   * Text that holds a second JSON value after the first: the place where the second starts is
   * {@link #getLocation()}.
   */
  public static final class SecondValueException extends JsonProcessingException {
    private static final long serialVersionUID = 1L;

    SecondValueException(JsonLocation at) {
      super("more than one JSON value (the next starts at column " + at.getColumnNr() + ")", at);
    }
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
        return JsonNumbers.readInt(p);
      case VALUE_NUMBER_FLOAT:
        return JsonNumbers.readFloat(p);
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

package dev.wiz.processors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A spill file of the sort: one JSON line per entry, {@code [[key, ...], record]}, the sort keys
 * computed once and kept with the record. Values come back exactly as they went in: integers keep
 * their size, a double comes back as the same double and a decimal with the same digits (so the
 * sink writes the same text), and NaN and the infinities, which JSON cannot hold, are written as
 * the bare tokens {@code NaN}, {@code Infinity}, {@code -Infinity} and read back as numbers.
 */
final class SpillFile {
  private SpillFile() {}

  private static final class Holder {
    static final JsonFactory FACTORY =
        JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
  }

  /** One sorted record with its keys. */
  record Entry(JsonNode[] keys, JsonNode record) {}

  /** Writes entries to a new file (replacing a leftover of the same name). */
  static final class Writer implements Closeable {
    private final JsonGenerator g;

    Writer(Path file) throws IOException {
      g = Holder.FACTORY.createGenerator(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
      g.setRootValueSeparator(null);
    }

    void write(Entry e) throws IOException {
      g.writeStartArray();
      g.writeStartArray();
      for (JsonNode k : e.keys()) Json.mapper().writeTree(g, k);
      g.writeEndArray();
      Json.mapper().writeTree(g, e.record());
      g.writeEndArray();
      g.writeRaw('\n');
    }

    @Override
    public void close() throws IOException {
      g.close();
    }
  }

  /** Reads the entries of a file back, one at a time. */
  static final class Reader implements Closeable {
    private final JsonParser p;

    Reader(Path file) throws IOException {
      p = Holder.FACTORY.createParser(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** The next entry, or null at the end of the file. */
    Entry next() throws IOException {
      JsonToken t = p.nextToken();
      if (t == null) return null;
      expect(t, JsonToken.START_ARRAY);
      expect(p.nextToken(), JsonToken.START_ARRAY);
      ArrayNode keys = (ArrayNode) value(JsonToken.START_ARRAY);
      JsonNode record = value(p.nextToken());
      expect(p.nextToken(), JsonToken.END_ARRAY);
      JsonNode[] k = new JsonNode[keys.size()];
      for (int i = 0; i < k.length; i++) k[i] = keys.get(i);
      return new Entry(k, record);
    }

    private void expect(JsonToken got, JsonToken want) throws IOException {
      if (got != want) throw new IOException("spill file is damaged: expected " + want + ", found " + got);
    }

    private JsonNode value(JsonToken t) throws IOException {
      JsonNodeFactory f = JsonNodeFactory.instance;
      if (t == null) throw new IOException("spill file is damaged: it ends inside an entry");
      switch (t) {
        case START_OBJECT: {
          ObjectNode o = f.objectNode();
          for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
            String name = p.currentName();
            o.set(name, value(p.nextToken()));
          }
          return o;
        }
        case START_ARRAY: {
          ArrayNode a = f.arrayNode();
          for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) a.add(value(n));
          return a;
        }
        case VALUE_STRING:
          return f.textNode(p.getText());
        case VALUE_NUMBER_INT:
          switch (p.getNumberType()) {
            case INT: return f.numberNode(p.getIntValue());
            case LONG: return f.numberNode(p.getLongValue());
            default: return f.numberNode(p.getBigIntegerValue());
          }
        case VALUE_NUMBER_FLOAT: {
          String text = p.getText();
          double d = Double.parseDouble(text);
          // a double is written as Double.toString; anything else was a decimal: keep its digits
          return Double.toString(d).equals(text) ? f.numberNode(d) : DecimalNode.valueOf(new BigDecimal(text));
        }
        case VALUE_TRUE:
          return f.booleanNode(true);
        case VALUE_FALSE:
          return f.booleanNode(false);
        case VALUE_NULL:
          return f.nullNode();
        default:
          throw new IOException("spill file is damaged: unexpected " + t);
      }
    }

    @Override
    public void close() throws IOException {
      p.close();
    }
  }
}

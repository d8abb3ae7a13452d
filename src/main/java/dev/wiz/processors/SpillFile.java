package dev.wiz.processors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.WrittenNumber;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A spill file of the sort: one JSON line per entry, {@code [[key, ...], record]}, the sort keys
 * computed once and kept with the record. Values come back exactly as they went in: integers keep
 * their size, a double comes back as the same double and a decimal with the same digits, and NaN
 * and the infinities, which JSON cannot hold, are written as the bare tokens {@code NaN}, {@code
 * Infinity}, {@code -Infinity} and read back as numbers. A number that keeps its written text
 * ({@link WrittenNumber}) is written as its value, and its text goes before the keys, with the
 * place of the number among all the numbers of the entry: {@code [3, "1e10", [key, ...], record]}.
 * So the sink writes the same text after a spill as without one.
 */
final class SpillFile {
  private SpillFile() {}

  /**
   * A spill file holds what the sort was given, whatever jq made of it: records nested deeper,
   * and strings, names and numbers longer, than wiz reads from an input. So it is written and read
   * back without Jackson's limits (it is wiz's own file, written just before).
   */
  private static final class Holder {
    static final JsonFactory FACTORY =
        JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(Integer.MAX_VALUE)
                .maxStringLength(Integer.MAX_VALUE)
                .maxNameLength(Integer.MAX_VALUE)
                .maxNumberLength(Integer.MAX_VALUE)
                .maxDocumentLength(-1)
                .maxTokenCount(-1)
                .build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
  }

  /**
   * What to do when the disk of the state folder, where the spill files go, is full (empty for
   * another error); {@code memory} says how to let the processor hold more before it spills.
   */
  static String diskFull(java.io.IOException e, String memory) {
    return !dev.wiz.io.DiskFullException.is(e) ? ""
        : ": the disk of the state folder is full; free space there (or " + memory
            + ", or name a state folder on a larger disk with --state-dir), then run again";
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

    private int numbers; // the numbers of the entry so far

    void write(Entry e) throws IOException {
      g.writeStartArray();
      numbers = 0;
      for (JsonNode k : e.keys()) texts(k);
      texts(e.record());
      numbers = 0;
      g.writeStartArray();
      for (JsonNode k : e.keys()) value(k);
      g.writeEndArray();
      value(e.record());
      g.writeEndArray();
      g.writeRaw('\n');
    }

    /** Writes the place and text of every written number in {@code v}, counting the numbers. */
    private void texts(JsonNode v) throws IOException {
      if (v.isContainerNode()) {
        for (JsonNode c : v) texts(c);
      } else if (v.isNumber()) {
        if (v instanceof WrittenNumber) {
          g.writeNumber(numbers);
          g.writeString(((WrittenNumber) v).text());
        }
        numbers++;
      }
    }

    private void value(JsonNode v) throws IOException {
      switch (v.getNodeType()) {
        case OBJECT:
          g.writeStartObject();
          for (Map.Entry<String, JsonNode> f : v.properties()) {
            g.writeFieldName(f.getKey());
            value(f.getValue());
          }
          g.writeEndObject();
          break;
        case ARRAY:
          g.writeStartArray();
          for (JsonNode c : v) value(c);
          g.writeEndArray();
          break;
        case STRING:
          g.writeString(v.textValue());
          break;
        case BOOLEAN:
          g.writeBoolean(v.booleanValue());
          break;
        case NULL:
          g.writeNull();
          break;
        case NUMBER:
          number(v instanceof WrittenNumber ? ((WrittenNumber) v).value() : v);
          numbers++;
          break;
        default:
          Json.mapper().writeTree(g, v); // not in records read from JSON; as Jackson writes it
      }
    }

    private void number(JsonNode n) throws IOException {
      switch (n.numberType()) {
        case INT: g.writeNumber(n.intValue()); break;
        case LONG: g.writeNumber(n.longValue()); break;
        case BIG_INTEGER: g.writeNumber(n.bigIntegerValue()); break;
        case FLOAT: g.writeNumber(n.floatValue()); break;
        case DOUBLE: g.writeNumber(n.doubleValue()); break;
        default: g.writeNumber(n.decimalValue()); break;
      }
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

    /** The places (ascending) and texts of the entry's written numbers; how many were read. */
    private int[] places = new int[4];
    private String[] texts = new String[4];
    private int written;
    private int numbers; // the numbers of the entry read so far
    private int nextText; // the index in places of the next written number

    /** The next entry, or null at the end of the file. */
    Entry next() throws IOException {
      JsonToken t = p.nextToken();
      if (t == null) return null;
      expect(t, JsonToken.START_ARRAY);
      written = 0;
      numbers = 0;
      nextText = 0;
      for (t = p.nextToken(); t == JsonToken.VALUE_NUMBER_INT; t = p.nextToken()) {
        if (written == places.length) {
          places = java.util.Arrays.copyOf(places, written * 2);
          texts = java.util.Arrays.copyOf(texts, written * 2);
        }
        places[written] = p.getIntValue();
        expect(p.nextToken(), JsonToken.VALUE_STRING);
        texts[written++] = p.getText();
      }
      expect(t, JsonToken.START_ARRAY);
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
        case VALUE_NUMBER_FLOAT: {
          NumericNode n = number(t);
          if (nextText < written && places[nextText] == numbers) n = WrittenNumber.of(n, texts[nextText++]);
          numbers++;
          return n;
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

    private NumericNode number(JsonToken t) throws IOException {
      JsonNodeFactory f = JsonNodeFactory.instance;
      if (t == JsonToken.VALUE_NUMBER_INT) {
        switch (p.getNumberType()) {
          case INT: return f.numberNode(p.getIntValue());
          case LONG: return f.numberNode(p.getLongValue());
          default: return (NumericNode) f.numberNode(p.getBigIntegerValue());
        }
      }
      String text = p.getText();
      double d = Double.parseDouble(text);
      // a double is written as Double.toString; anything else was a decimal: keep its digits
      return Double.toString(d).equals(text) ? f.numberNode(d) : DecimalNode.valueOf(new BigDecimal(text));
    }

    @Override
    public void close() throws IOException {
      p.close();
    }
  }
}

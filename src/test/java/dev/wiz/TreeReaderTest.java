package dev.wiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TreeReader gives the nodes Jackson's readTree gives, node classes included, but for numbers: one
 * whose text is not the one wiz writes for its value keeps it ({@link WrittenNumber}, holding the
 * node readTree gives), and one a double cannot hold is kept exact.
 */
class TreeReaderTest {
  private static JsonNode viaTreeReader(String json) throws IOException {
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      p.nextToken();
      return TreeReader.read(p);
    }
  }

  /** The value with the class of every node, so that 1 (int) and 1 (long) differ; a written number as its value. */
  private static String typed(JsonNode n) {
    if (n instanceof WrittenNumber) n = ((WrittenNumber) n).value();
    StringBuilder b = new StringBuilder(n.getClass().getSimpleName()).append('(');
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append(e.getKey()).append('=').append(typed(e.getValue())).append(',');
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) b.append(typed(e)).append(',');
    } else {
      b.append(n);
    }
    return b.append(')').toString();
  }

  /** The same values as readTree, and written back (as records are) as the same text, numbers included. */
  private static void same(String json) throws IOException {
    JsonNode want = Json.mapper().readTree(json);
    JsonNode got = viaTreeReader(json);
    assertEquals(typed(want), typed(got), json);
    assertEquals(Json.mapper().writeValueAsString(want).replaceAll("[0-9.eE+-]+", "#"),
        Json.records().writeValueAsString(got).replaceAll("[0-9.eE+-]+", "#"), json);
    if (!json.contains(" ") && !json.contains("\\u") && !repeatsAKey(json)) {
      assertEquals(json, Json.records().writeValueAsString(got), "written back as it was read");
    }
  }

  private static boolean repeatsAKey(String json) throws IOException {
    try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      while (p.nextToken() != null) {
        // read to the end
      }
      return false;
    } catch (com.fasterxml.jackson.core.JsonParseException e) {
      return true;
    }
  }

  @Test
  void numbersKeepTheTextTheyWereWrittenWith() throws IOException {
    for (String n : List.of("1e10", "1.5e3", "100e-2", "1e-7", "1e2", "1E2", "1e+2", "5e-324", "41.0", "1.10", "-0",
        "-0.0", "0.0", "0.00001", "12345678.9e0", "1E+400", "1e400", "0.10000000000000000001", "1.0000000000000001",
        "0.30000000000000004")) {
      JsonNode got = viaTreeReader(n);
      assertEquals(WrittenNumber.class, got.getClass(), n);
      assertEquals(n, Json.records().writeValueAsString(got), n);
      assertEquals(n, got.asText(), n);
      assertEquals("[" + n + "]", Json.records().writeValueAsString(viaTreeReader("[" + n + "]")), n);
      if (got.isDouble()) {
        assertEquals(Double.parseDouble(n), got.doubleValue(), n + ": the value is the number");
      } else {
        assertEquals(0, new java.math.BigDecimal(n).compareTo(got.decimalValue()), n + ": the value is the number");
      }
    }
    // the text jq would write for the value anyway: a plain node, as before
    for (String n : List.of("41.37", "0.5", "-0.5", "0.001", "0.0001234", "12345678901234.5", "7", "-7", "0")) {
      JsonNode got = viaTreeReader(n);
      assertEquals(false, got instanceof WrittenNumber, n);
      assertEquals(n, Json.records().writeValueAsString(got), n);
    }
  }

  @Test
  void edgeCases() throws IOException {
    for (String json : List.of(
        "{}", "[]", "null", "true", "false", "0", "-0", "-0.0", "0.10", "0e400", "-0.0e-999", "4.9e-324",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890", "1E2", "1.5e-7", "\"\"", "\"\\u00e9\\n\\t\\\"\"",
        "\"\uD83D\uDE00\"", "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"a\":{\"c\":3}}", "{\"a\":null}", "[null,[],{}]",
        "{\"x\":[1,2.5,\"s\",true,null,{\"y\":[[]]}]}", " { \"sp\" : [ 1 , 2 ] } ")) {
      same(json);
    }
  }

  @Test
  void numbersADoubleCannotHoldAreKeptExact() throws IOException {
    for (String json : List.of("1e400", "-1e400", "1e-400", "0.10000000000000000001",
        "123456789012345678901234567890.123456789", "-0.000000000000000000012345678901234567890123")) {
      JsonNode got = viaTreeReader(json);
      assertEquals(true, got.isBigDecimal(), json + ": " + got.getClass());
      assertEquals(0, new java.math.BigDecimal(json).compareTo(got.decimalValue()), json);
    }
    assertEquals(true, viaTreeReader("0.30000000000000004").isDouble(), "17 significant digits: a double tells them apart");
    assertEquals("1E+400", viaTreeReader("1E+400").toString());
    assertEquals(true, viaTreeReader("7.02851077792551E-4").isDouble());
  }

  @Test
  void anExponentBeyond32BitsIsTheDoubleJqReadsItAsAndKeepsItsText() throws IOException {
    // No exact decimal holds these (its scale is an int): jq 1.6 reads them as infinite or zero.
    Map<String, Double> values = Map.of("1e9999999999", Double.POSITIVE_INFINITY,
        "-1E+9999999999", Double.NEGATIVE_INFINITY, "1e2147483648", Double.POSITIVE_INFINITY,
        "1e-9999999999", 0.0, "-1e-9999999999", -0.0, "0.5e-2147483648", 0.0, "123.456e-2147483648", 0.0);
    for (Map.Entry<String, Double> e : values.entrySet()) {
      JsonNode got = viaTreeReader("[" + e.getKey() + ",1]");
      assertEquals(true, got.get(0).isDouble(), e.getKey());
      assertEquals(e.getValue(), got.get(0).doubleValue(), e.getKey());
      assertEquals("[" + e.getKey() + ",1]", Json.records().writeValueAsString(got), "written as read");
    }
    assertEquals(true, viaTreeReader("1e2147483647").isBigDecimal(), "the largest exponent an exact decimal holds");
  }

  @Test
  void deepNestingUpToTheParsersLimit() throws IOException {
    same("[".repeat(900) + "]".repeat(900));
    same("{\"a\":".repeat(900) + "1" + "}".repeat(900));
    String tooDeep = "[".repeat(5000) + "]".repeat(5000);
    IOException e = assertThrows(IOException.class, () -> viaTreeReader(tooDeep));
    assertEquals(true, e.getMessage().contains("nesting depth"), e.getMessage());
  }

  @Test
  void randomDocuments() throws IOException {
    Random r = new Random(5);
    for (int i = 0; i < 3000; i++) {
      same(random(r, 0));
    }
  }

  private static String random(Random r, int depth) {
    int kind = r.nextInt(depth > 4 ? 6 : 8);
    switch (kind) {
      case 0: return Integer.toString(r.nextInt());
      case 1: return Long.toString(r.nextLong());
      // 17 significant digits, all a double tells apart (JDK 17's Double.toString sometimes gives 18).
      case 2: return String.format(java.util.Locale.ROOT, "%.16e", r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20));
      case 3: return r.nextBoolean() ? "true" : r.nextBoolean() ? "false" : "null";
      case 4: return "\"" + new String(new char[] {(char) ('a' + r.nextInt(26)), '\u00e9', '\\', '\\'}) + r.nextInt(9) + "\"";
      case 5: return "1" + "0".repeat(r.nextInt(30));
      case 6: {
        StringBuilder b = new StringBuilder("[");
        for (int n = r.nextInt(5), k = 0; k < n; k++) b.append(k > 0 ? "," : "").append(random(r, depth + 1));
        return b.append(']').toString();
      }
      default: {
        StringBuilder b = new StringBuilder("{");
        for (int n = r.nextInt(5), k = 0; k < n; k++) {
          b.append(k > 0 ? "," : "").append("\"k").append(r.nextInt(4)).append("\":").append(random(r, depth + 1));
        }
        return b.append('}').toString();
      }
    }
  }
}

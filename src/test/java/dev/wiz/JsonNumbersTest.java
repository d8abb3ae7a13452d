package dev.wiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonNumbersTest {
  @Test
  void doublesAreWrittenAsJq16WritesThem() {
    String[][] cases = {
        {"3.0", "3"}, {"-0.0", "-0"}, {"0.0", "0"}, {"1999.0", "1999"}, {"0.30000000000000004", "0.30000000000000004"},
        {"1e15", "1000000000000000"}, {"1e16", "1e+16"}, {"1.5e16", "15000000000000000"}, {"1.25e17", "125000000000000000"},
        {"1e17", "1e+17"}, {"1e19", "1e+19"}, {"1e300", "1e+300"}, {"1e-7", "1e-07"}, {"1.5e-7", "1.5e-07"},
        {"1e-5", "1e-05"}, {"1e-4", "0.0001"}, {"0.001", "0.001"}, {"12345678.9", "12345678.9"}, {"1e10", "10000000000"},
        {"5e-324", "5e-324"}, {"1e-323", "1e-323"}, {"1.8446744073709552e19", "18446744073709552000"},
        {"1.2345678901234568e17", "123456789012345680"}, {"3.1622776601683794E-4", "0.00031622776601683794"},
        {"NaN", "null"}, {"Infinity", "1.7976931348623157e+308"}, {"-Infinity", "-1.7976931348623157e+308"}};
    for (String[] c : cases) assertEquals(c[1], JsonNumbers.jq(Double.parseDouble(c[0])), c[0]);
  }

  /** 2000 doubles of every kind against what the real jq 1.6 wrote for them (the file says how it was made). */
  @Test
  void doublesAreWrittenAsJq16WroteThemInATable() throws IOException {
    int n = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        JsonNumbersTest.class.getResourceAsStream("jq16-numbers.tsv"), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("#")) continue;
        String[] c = line.split("\t");
        assertEquals(c[1], JsonNumbers.jq(Double.parseDouble(c[0])), c[0]);
        n++;
      }
    }
    assertTrue(n > 2000, n + " values");
  }

  @Test
  void theTextOfANumberIsItsWrittenOneOrJqs() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertEquals("3", JsonNumbers.text(DoubleNode.valueOf(3.0)));
    assertEquals("1e+19", JsonNumbers.text(DoubleNode.valueOf(1e19)));
    assertEquals("12345678901234567890", JsonNumbers.text(f.numberNode(new java.math.BigInteger("12345678901234567890"))));
    assertEquals("0.10000000000000000001", JsonNumbers.text(DecimalNode.valueOf(new BigDecimal("0.10000000000000000001"))));
    assertEquals("1e10", JsonNumbers.text(WrittenNumber.of(DoubleNode.valueOf(1e10), "1e10")));
    assertEquals("7", JsonNumbers.text(f.numberNode(7)));
  }

  @Test
  void aFloatingNumberIsSpelledAsOne() {
    for (double[] c : new double[][] {{2}, {0.5}, {1e20}, {-3}, {1e15}}) {
      JsonNode n = JsonNumbers.floating(c[0]);
      assertEquals(c[0], n.doubleValue());
      assertEquals(true, n.isDouble());
    }
    assertEquals(List.of("2.0", "0.5", "1e+20", "-3.0", "1000000000000000.0", "-0.0"),
        List.of(JsonNumbers.text(JsonNumbers.floating(2)), JsonNumbers.text(JsonNumbers.floating(0.5)),
            JsonNumbers.text(JsonNumbers.floating(1e20)), JsonNumbers.text(JsonNumbers.floating(-3)),
            JsonNumbers.text(JsonNumbers.floating(1e15)), JsonNumbers.text(JsonNumbers.floating(-0.0))));
  }

  @Test
  void canonicalBytesAreTheValuesNotTheText() {
    // hash and dedupe: as before numbers kept their text, so a spelling does not change a digest
    assertEquals("1.0E10", new String(Json.canonicalBytes(WrittenNumber.of(DoubleNode.valueOf(1e10), "1e10")), StandardCharsets.UTF_8));
    assertEquals("{\"a\":41.0,\"b\":0}", new String(Json.canonicalBytes(JsonNodeFactory.instance.objectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("b", WrittenNumber.of(JsonNodeFactory.instance.numberNode(0), "-0"))
        .set("a", WrittenNumber.of(DoubleNode.valueOf(41.0), "41.0"))), StandardCharsets.UTF_8));
    assertEquals(Json.digest(DoubleNode.valueOf(100)), Json.digest(WrittenNumber.of(DoubleNode.valueOf(100), "1e2")));
  }

  @Test
  void aWrittenNumberIsItsValueToEverythingButItsText() {
    WrittenNumber n = WrittenNumber.of(DoubleNode.valueOf(100), "1e2");
    assertEquals(true, n.isNumber());
    assertEquals(true, n.isDouble());
    assertEquals(false, n.isIntegralNumber());
    assertEquals(true, n.canConvertToExactIntegral());
    assertEquals(100, n.intValue());
    assertEquals(100.0, n.asDouble());
    assertEquals("1e2", n.asText());
    assertEquals("1e2", n.toString());
    assertEquals(n, WrittenNumber.of(DoubleNode.valueOf(100), "1e2"));
    assertEquals(false, n.equals(WrittenNumber.of(DoubleNode.valueOf(100), "100.0")));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonOrderTest {

  private static int cmp(JsonNode a, JsonNode b) {
    return Integer.signum(JsonOrder.compareValues(a, b));
  }

  private static int cmp(String a, String b) {
    return cmp(json(a), json(b));
  }

  /** Each value is less than the next; the list is shuffled and sorted back. */
  private static void assertAscending(List<JsonNode> values) {
    for (int i = 0; i < values.size(); i++) {
      for (int j = 0; j < values.size(); j++) {
        assertEquals(Integer.compare(i, j), cmp(values.get(i), values.get(j)), values.get(i) + " vs " + values.get(j));
      }
    }
    List<JsonNode> shuffled = new ArrayList<>(values);
    Collections.shuffle(shuffled, new Random(7));
    shuffled.sort(JsonOrder.INSTANCE);
    assertEquals(values, shuffled);
  }

  @Test
  void kindsInJqOrder() {
    assertAscending(List.of(json("null"), json("false"), json("true"), json("-1e300"), json("0"), json("1e300"),
        json("\"\""), json("\"a\""), json("[]"), json("[null]"), json("{}"), json("{\"a\":null}")));
  }

  @Test
  void missingIsNull() {
    assertEquals(0, cmp(MissingNode.getInstance(), NullNode.getInstance()));
    assertEquals(0, cmp(null, NullNode.getInstance()));
    assertEquals(-1, cmp(MissingNode.getInstance(), json("false")));
    assertTrue(JsonOrder.isNull(MissingNode.getInstance()) && JsonOrder.isNull(null) && !JsonOrder.isNull(json("false")));
  }

  @Test
  void numbersByValueWhateverTheirForm() {
    assertAscending(List.of(
        DoubleNode.valueOf(Double.NaN),
        DoubleNode.valueOf(Double.NEGATIVE_INFINITY),
        json("-123456789012345678901234567890"),
        LongNode.valueOf(Long.MIN_VALUE),
        json("-2.5"),
        IntNode.valueOf(0),
        json("0.1"),
        DecimalNode.valueOf(new BigDecimal("0.10000000000000000001")),
        FloatNode.valueOf(1.5f),
        json("9007199254740993"), // 2^53 + 1: no double holds it
        json("9.007199254740994E15"),
        LongNode.valueOf(Long.MAX_VALUE),
        json("9223372036854775808"),
        DecimalNode.valueOf(new BigDecimal("12345678901234567890.5")),
        json("1e300"),
        DecimalNode.valueOf(new BigDecimal("1e400")),
        DoubleNode.valueOf(Double.POSITIVE_INFINITY)));
  }

  @Test
  void equalNumbersInDifferentForms() {
    assertEquals(0, cmp("1", "1.0"));
    assertEquals(0, cmp(DecimalNode.valueOf(new BigDecimal("1.000")), IntNode.valueOf(1)));
    assertEquals(0, cmp(LongNode.valueOf(5), IntNode.valueOf(5)));
    assertEquals(0, cmp(DoubleNode.valueOf(0.3), DecimalNode.valueOf(new BigDecimal("0.30"))), "a double is its shortest decimal");
    assertEquals(0, cmp(DoubleNode.valueOf(-0.0), DoubleNode.valueOf(0.0)));
    assertEquals(0, cmp(DoubleNode.valueOf(Double.NaN), DoubleNode.valueOf(Double.NaN)));
    assertEquals(0, cmp(json("100000000000000000000"), DoubleNode.valueOf(1e20)));
  }

  @Test
  void stringsByCodePointNotUtf16() {
    assertAscending(List.of(json("\"\""), json("\"A\""), json("\"Z\""), json("\"a\""), json("\"aa\""), json("\"b\""),
        json("\"é\""), json("\"日本\""), json("\"\uFFFD\""), json("\"😀\""), json("\"😀a\"")));
    assertEquals(-1, JsonOrder.compareStrings("\uFFFF", "\uD800\uDC00"), "U+FFFF before U+10000");
    assertEquals(1, Integer.signum("\uFFFF".compareTo("\uD800\uDC00")), "where Java's own order disagrees");
    String longA = "x".repeat(100_000) + "a";
    String longB = "x".repeat(100_000) + "b";
    assertEquals(-1, Integer.signum(JsonOrder.compareStrings(longA, longB)));
  }

  @Test
  void arraysElementByElementPrefixFirst() {
    assertAscending(List.of(json("[]"), json("[null]"), json("[1]"), json("[1,null]"), json("[1,2]"), json("[2]"), json("[\"a\"]"),
        json("[[]]")));
    assertEquals(0, cmp("[1,[2.0]]", "[1.0,[2]]"));
  }

  @Test
  void objectsBySortedKeysThenValues() {
    assertAscending(List.of(json("{}"), json("{\"a\":3}"), json("{\"a\":1,\"b\":1}"), json("{\"a\":2,\"b\":0}"),
        json("{\"a\":2,\"b\":1}"), json("{\"a\":0,\"c\":0}"), json("{\"b\":0}")));
    assertEquals(0, cmp("{\"a\":1,\"b\":[2]}", "{\"b\":[2.0],\"a\":1.0}"), "key order does not matter");
    assertEquals(-1, cmp("{\"b\":9,\"a\":1}", "{\"a\":1,\"c\":0}"), "keys [a,b] before [a,c]");
  }

  @Test
  void listsOfKeys() {
    assertEquals(0, JsonOrder.compareLists(List.of(json("1"), json("\"x\"")), List.of(json("1.0"), json("\"x\""))));
    assertEquals(-1, Integer.signum(JsonOrder.compareLists(List.of(json("1")), List.of(json("1"), json("null")))));
    assertEquals(1, Integer.signum(JsonOrder.compareLists(List.of(json("2")), List.of(json("1"), json("null")))));
  }
}

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

  /** The order as its definition reads, by recursion: what the stack-free comparison must agree with. */
  private static int recursive(JsonNode a, JsonNode b) {
    int ra = JsonOrder.rank(a);
    int rb = JsonOrder.rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    if (ra == 3) return JsonOrder.compareNumbers(a, b);
    if (ra == 4) return JsonOrder.compareStrings(a.asText(), b.asText());
    if (ra == 5) {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int c = recursive(a.get(i), b.get(i));
        if (c != 0) return c;
      }
      return Integer.compare(a.size(), b.size());
    }
    if (ra == 6) {
      List<String> ka = new ArrayList<>();
      a.fieldNames().forEachRemaining(ka::add);
      List<String> kb = new ArrayList<>();
      b.fieldNames().forEachRemaining(kb::add);
      ka.sort(JsonOrder::compareStrings);
      kb.sort(JsonOrder::compareStrings);
      for (int i = 0; i < Math.min(ka.size(), kb.size()); i++) {
        int c = JsonOrder.compareStrings(ka.get(i), kb.get(i));
        if (c != 0) return c;
      }
      if (ka.size() != kb.size()) return Integer.compare(ka.size(), kb.size());
      for (String k : ka) {
        int c = recursive(a.get(k), b.get(k));
        if (c != 0) return c;
      }
    }
    return 0;
  }

  /** A random value from a small alphabet, so that many pairs are equal or differ only deep down. */
  private static JsonNode randomValue(Random random, int depth, int maxDepth) {
    int kind = depth >= maxDepth ? random.nextInt(4) : random.nextInt(7);
    switch (kind) {
      case 0:
        return NullNode.getInstance();
      case 1:
        return random.nextBoolean() ? IntNode.valueOf(random.nextInt(3)) : DoubleNode.valueOf(random.nextInt(3));
      case 2:
        return json("\"" + "ab".charAt(random.nextInt(2)) + "\"");
      case 3:
        return json(random.nextBoolean() ? "true" : "false");
      case 4:
      case 5: {
        var array = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) array.add(randomValue(random, depth + 1, maxDepth));
        return array;
      }
      default: {
        var object = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) object.set("xyz".substring(random.nextInt(3), 3), randomValue(random, depth + 1, maxDepth));
        return object;
      }
    }
  }

  @Test
  void containersCompareAsTheRecursiveDefinitionSays() {
    Random random = new Random(11);
    int[] signs = new int[3];
    for (int round = 0; round < 20_000; round++) {
      int maxDepth = 1 + random.nextInt(5);
      JsonNode a = randomValue(random, 0, maxDepth);
      // Half the pairs are copies with one leaf changed at most, so most comparisons go deep.
      JsonNode b = random.nextBoolean() ? randomValue(random, 0, maxDepth) : mutate(a.deepCopy(), random);
      int expected = Integer.signum(recursive(a, b));
      assertEquals(expected, cmp(a, b), a + " vs " + b);
      assertEquals(-expected, cmp(b, a), b + " vs " + a);
      signs[expected + 1]++;
    }
    for (int count : signs) assertTrue(count > 1000, "every outcome is tested often: " + java.util.Arrays.toString(signs));
  }

  /** The value with at most one of its scalars replaced, somewhere inside. */
  private static JsonNode mutate(JsonNode v, Random random) {
    if (!v.isContainerNode() || v.size() == 0) return random.nextInt(3) == 0 ? randomValue(random, 0, 0) : v;
    var container = (com.fasterxml.jackson.databind.node.ContainerNode<?>) v;
    if (v.isArray()) {
      var array = (com.fasterxml.jackson.databind.node.ArrayNode) container;
      int i = random.nextInt(array.size());
      array.set(i, mutate(array.get(i), random));
    } else {
      var object = (com.fasterxml.jackson.databind.node.ObjectNode) container;
      List<String> keys = new ArrayList<>();
      object.fieldNames().forEachRemaining(keys::add);
      String k = keys.get(random.nextInt(keys.size()));
      object.set(k, mutate(object.get(k), random));
    }
    return v;
  }

  /** [[[...x...]]] with depth levels of arrays, every other level an object {"k": ...}. */
  private static JsonNode deep(int depth, JsonNode bottom) {
    JsonNode v = bottom;
    for (int i = 0; i < depth; i++) {
      if (i % 2 == 0) {
        v = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(v);
      } else {
        v = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("k", v);
      }
    }
    return v;
  }

  @Test
  void valuesNestedFarDeeperThanTheStackGoes() {
    int depth = 30_000;
    assertEquals(0, cmp(deep(depth, IntNode.valueOf(1)), deep(depth, DoubleNode.valueOf(1.0))));
    assertEquals(-1, cmp(deep(depth, IntNode.valueOf(1)), deep(depth, IntNode.valueOf(2))), "the difference at the bottom");
    assertEquals(1, cmp(deep(depth, json("\"b\"")), deep(depth, json("\"a\""))));
    assertEquals(-1, cmp(deep(depth, NullNode.getInstance()), deep(depth, json("[null]"))), "null below where the other has an array");
    var keys = new java.util.TreeMap<List<JsonNode>, String>(JsonOrder::compareLists);
    keys.put(List.of(deep(depth, IntNode.valueOf(1))), "one");
    keys.put(List.of(deep(depth, IntNode.valueOf(2))), "two");
    assertEquals("one", keys.get(List.of(deep(depth, DoubleNode.valueOf(1.0)))), "a group key found again");
  }

  @Test
  void dedupesKeyTextOfANumberIsTheSameExactlyWhenTheOrderHoldsTwoNumbersEqual() {
    // dedupe digests JsonNumbers.valueText; aggregate groups and sort orders by this order: they agree
    List<JsonNode> numbers = new ArrayList<>();
    for (String t : List.of("0", "-0", "0.0", "-0.0", "0e5", "1", "1.0", "1e0", "10e-1", "100", "1e2", "100.0", "0.1",
        "0.10", "1e-1", "0.3", "2.5", "-2.5", "9007199254740993", "9007199254740992", "9.007199254740992e15",
        "4611686018427387904", "4611686018427388000", "4.611686018427388e18", "123456789012345678901234567890",
        "1.2345678901234567890123456789e29", "1e400", "10e399", "1e-400", "2e23", "200000000000000000000000",
        "2.82879384806159E17", "282879384806159000", "9223372036854775807", "-9223372036854775808", "1e19")) {
      numbers.add(json(t));
    }
    numbers.add(DoubleNode.valueOf(Double.NaN));
    numbers.add(DoubleNode.valueOf(Double.POSITIVE_INFINITY));
    numbers.add(DoubleNode.valueOf(Double.NEGATIVE_INFINITY));
    numbers.add(DecimalNode.valueOf(new BigDecimal("0.30")));
    numbers.add(LongNode.valueOf(100));
    for (JsonNode a : numbers) {
      for (JsonNode b : numbers) {
        assertEquals(cmp(a, b) == 0, dev.wiz.JsonNumbers.valueText(a).equals(dev.wiz.JsonNumbers.valueText(b)),
            a + " vs " + b + ": " + dev.wiz.JsonNumbers.valueText(a) + ", " + dev.wiz.JsonNumbers.valueText(b));
      }
    }
  }
}

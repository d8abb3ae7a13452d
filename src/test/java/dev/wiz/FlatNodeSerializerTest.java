package dev.wiz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * wiz's mappers write arrays and objects with {@link FlatNodeSerializer}: the bytes must be those
 * Jackson's own recursive {@code serialize} gives (the digests of records and the canonical form
 * must not change), at any depth.
 */
class FlatNodeSerializerTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** What the mapper wrote before: Jackson's own serialize of the tree, one frame per level. */
  private static byte[] recursive(ObjectMapper mapper, JsonNode node) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = mapper.createGenerator(out)) {
      ((JsonSerializable) node).serialize(g, mapper.getSerializerProviderInstance());
    }
    return out.toByteArray();
  }

  private static JsonNode leaf(Random r) throws IOException {
    switch (r.nextInt(12)) {
      case 0: return F.nullNode();
      case 1: return F.booleanNode(r.nextBoolean());
      case 2: return F.numberNode(r.nextInt(2000) - 1000);
      case 3: return F.numberNode(r.nextLong());
      case 4: return F.numberNode(new BigInteger(90, r).negate());
      case 5: return F.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
      case 6: return F.numberNode(new double[] {-0.0, 0.0, 1.0, 1e21, 1e-7, 0.1, Double.NaN, Double.POSITIVE_INFINITY}[r.nextInt(8)]);
      case 7: return F.numberNode(new BigDecimal("1." + r.nextInt(1000) + "E" + (r.nextInt(20) - 10)));
      case 8: {
        String[] written = {"41.0", "1e2", "1E+2", "-0", "-0.0", "1.50", "12345678901234567890123", "0.10000000000000000001", "7"};
        return TreeReader.parse(written[r.nextInt(written.length)]);
      }
      default: {
        String[] texts = {"", "a", "ü", "😀", "line\nbreak", "tab\t\"q\" \\", "\u0001\u001f", "中文", "x".repeat(r.nextInt(40))};
        return F.textNode(texts[r.nextInt(texts.length)]);
      }
    }
  }

  private static JsonNode tree(Random r, int depth) throws IOException {
    if (depth == 0 || r.nextInt(4) == 0) return leaf(r);
    if (r.nextBoolean()) {
      ArrayNode a = F.arrayNode();
      for (int i = r.nextInt(6); i > 0; i--) a.add(tree(r, depth - 1));
      return a;
    }
    ObjectNode o = F.objectNode();
    String[] keys = {"b", "a", "B", "é", "", "10", "2", "a b", "z", "😀", "aa"};
    for (int i = r.nextInt(6); i > 0; i--) o.set(keys[r.nextInt(keys.length)], tree(r, depth - 1));
    return o;
  }

  /** How many arrays and objects deep the value goes, counted without recursion. */
  private static int depth(JsonNode root) {
    int max = 0;
    java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
    todo.push(new Object[] {root, 0});
    while (!todo.isEmpty()) {
      Object[] t = todo.pop();
      JsonNode n = (JsonNode) t[0];
      int d = (Integer) t[1];
      if (!n.isContainerNode()) continue;
      max = Math.max(max, d + 1);
      for (JsonNode c : n) todo.push(new Object[] {c, d + 1});
    }
    return max;
  }

  private static List<JsonNode> corpus() throws IOException {
    Random r = new Random(20261205L);
    List<JsonNode> all = new ArrayList<>();
    for (int i = 0; i < 3000; i++) all.add(tree(r, 1 + r.nextInt(7)));
    // Deeper than the levels written by recursion, with siblings before and after at every level.
    String[] keys = {"b", "a", "m", "", "z"};
    for (int i = 0; i < 60; i++) {
      JsonNode deep = tree(r, 3);
      int levels = 300 + r.nextInt(200);
      for (int level = 0; level < levels; level++) {
        if (r.nextBoolean()) {
          ArrayNode a = F.arrayNode();
          if (r.nextBoolean()) a.add(tree(r, 2));
          a.add(deep);
          if (r.nextBoolean()) a.add(tree(r, 2));
          deep = a;
        } else {
          ObjectNode o = F.objectNode();
          int k = r.nextInt(keys.length);
          if (r.nextBoolean()) o.set(keys[(k + 1 + r.nextInt(keys.length - 1)) % keys.length], tree(r, 2));
          o.set(keys[k], deep);
          if (r.nextBoolean()) o.set(keys[(k + 1 + r.nextInt(keys.length - 1)) % keys.length], tree(r, 2));
          deep = o;
        }
      }
      assertTrue(depth(deep) >= levels, "the chain is whole");
      all.add(deep);
    }
    all.add(TreeReader.parse("{\"id\":1,\"n\":41.0,\"a\":[1e2,{\"z\":-0,\"y\":[[],{}]}],\"s\":\"😀\"}"));
    return all;
  }

  @Test
  void recordsTheirDigestsTheSinksAndTheCanonicalFormAreTheBytesJacksonsOwnSerializeGives() throws IOException {
    List<JsonNode> corpus = corpus();
    int sorted = 0;
    for (JsonNode n : corpus) {
      for (ObjectMapper mapper : List.of(Json.records(), Json.output(), Json.outputInArray())) {
        assertArrayEquals(recursive(mapper, n), mapper.writeValueAsBytes(n), n::toString);
      }
      byte[] canonical = Json.canonicalBytes(n);
      assertArrayEquals(recursive(Json.canonicalMapper(), n), canonical, n::toString);
      if (!java.util.Arrays.equals(canonical, Json.records().writeValueAsBytes(n))) sorted++;
    }
    // Not vacuous: the canonical form sorted keys (or wrote numbers by value) in many of them.
    org.junit.jupiter.api.Assertions.assertTrue(sorted > 500, "trees the canonical form writes differently: " + sorted);
  }

  @Test
  void aValueTensOfThousandsOfLevelsDeepIsWrittenWithoutOverflowingTheStack() throws IOException {
    JsonNode deep = F.numberNode(1);
    for (int i = 0; i < 50_000; i++) deep = i % 2 == 0 ? F.arrayNode().add(deep) : F.objectNode().set("k", deep);
    byte[] records = Json.records().writeValueAsBytes(deep);
    assertEquals(25_000 * 2 + 25_000 * 6 + 1, records.length);
    assertArrayEquals(records, Json.canonicalBytes(deep), "one key per object: sorted is the same");
    ObjectNode record = F.objectNode().set("d", deep);
    assertThrows(StreamConstraintsException.class, () -> Json.output().writeValueAsBytes(record),
        "a sink still writes at most " + Json.OUTPUT_NESTING + " levels");
  }
}

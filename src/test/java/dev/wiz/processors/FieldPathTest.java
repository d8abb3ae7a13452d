package dev.wiz.processors;

import static dev.wiz.processors.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FieldPathTest {

  private static List<String> segments(String path) {
    return FieldPath.parse(path).segments();
  }

  @Test
  void plainPathsSplitOnDots() {
    assertEquals(List.of("a"), segments("a"));
    assertEquals(List.of("customer", "address", "city"), segments("customer.address.city"));
    assertEquals(List.of("ü", "日本", "emoji😀"), segments("ü.日本.emoji😀"));
    assertEquals(List.of("a b", "c-d", "e\\f"), segments("a b.c-d.e\\f"), "spaces, dashes and backslashes are plain");
  }

  @Test
  void quotedSegmentsHoldDotsQuotesBackslashesAndNothing() {
    assertEquals(List.of("meta", "x.y", "z"), segments("meta.\"x.y\".z"));
    assertEquals(List.of("a\"b"), segments("\"a\\\"b\""));
    assertEquals(List.of("a\\b"), segments("\"a\\\\b\""));
    assertEquals(List.of(""), segments("\"\""));
    assertEquals(List.of("a", ""), segments("a.\"\""));
    assertEquals(List.of("b"), segments("\"b\""), "quoting a plain name changes nothing");
  }

  @Test
  void pathsKeepTheirTextAndCompareByNames() {
    FieldPath p = FieldPath.parse("a.\"b\"");
    assertEquals("a.\"b\"", p.toString());
    assertEquals(FieldPath.parse("a.b"), p);
    assertEquals(FieldPath.parse("a.b").hashCode(), p.hashCode());
    assertFalse(FieldPath.parse("a.b").equals(FieldPath.parse("\"a.b\"")));
    assertEquals("b", p.leaf());
    assertFalse(p.isTopLevel());
    assertTrue(FieldPath.parse("\"a.b\"").isTopLevel());
  }

  @Test
  void problemSaysWhatIsWrongWithEachKindOfBadPath() {
    assertEquals(Optional.of("a field path cannot be empty"), FieldPath.problem(""));
    assertEquals(Optional.of("a field path cannot be empty"), FieldPath.problem(null));
    assertEquals(Optional.of("field path 'a.' ends with a dot: name a field after it"), FieldPath.problem("a."));
    assertEquals(Optional.of("field path 'a..b' has an empty name at column 3: quote a name that holds a dot, as in a.\"b.c\""),
        FieldPath.problem("a..b"));
    assertEquals(Optional.of("field path '.a' has an empty name at column 1: quote a name that holds a dot, as in a.\"b.c\""),
        FieldPath.problem(".a"));
    assertEquals(Optional.of("field path 'a.\"b' has an unclosed quote at column 3"), FieldPath.problem("a.\"b"));
    assertEquals(Optional.of("field path '\"a\\\"' has an unclosed quote at column 1"), FieldPath.problem("\"a\\\""),
        "an escaped quote does not close");
    assertEquals(Optional.of("field path '\"a\\' has an unclosed quote at column 1"), FieldPath.problem("\"a\\"));
    assertEquals(Optional.of("field path '\"a\"b' needs a dot after the quoted name at column 4"), FieldPath.problem("\"a\"b"));
    assertEquals(Optional.of("field path 'a\"b\"' has a quote inside a name at column 2: quote the whole name"),
        FieldPath.problem("a\"b\""));
    assertEquals(Optional.empty(), FieldPath.problem("a.\"b.c\".d"));
  }

  @Test
  void parseRefusesWhatProblemReports() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldPath.parse("a..b"));
    assertEquals(FieldPath.problem("a..b").get(), e.getMessage());
  }

  @Test
  void getFollowsObjectsOnlyAndTellsMissingFromNull() {
    JsonNode r = json("{\"a\":{\"b\":{\"c\":1},\"n\":null,\"arr\":[{\"x\":1}],\"s\":\"t\"},\"x.y\":2}");
    assertEquals(IntNode.valueOf(1), FieldPath.parse("a.b.c").get(r));
    assertEquals(IntNode.valueOf(2), FieldPath.parse("\"x.y\"").get(r));
    assertTrue(FieldPath.parse("x.y").get(r).isMissingNode(), "x.y is x then y");
    assertTrue(FieldPath.parse("a.missing").get(r).isMissingNode());
    assertTrue(FieldPath.parse("a.s.length").get(r).isMissingNode(), "through a string");
    assertTrue(FieldPath.parse("a.arr.x").get(r).isMissingNode(), "never into arrays");
    assertTrue(FieldPath.parse("a.arr.0").get(r).isMissingNode(), "no index into arrays");
    assertTrue(FieldPath.parse("a.n.x").get(r).isMissingNode(), "through null");
    assertEquals(NullNode.getInstance(), FieldPath.parse("a.n").get(r));
    assertTrue(FieldPath.parse("a.n").exists(r), "a null value exists");
    assertFalse(FieldPath.parse("a.missing").exists(r));
    assertTrue(FieldPath.parse("a").get(json("[1]")).isMissingNode(), "a root that is not an object");
  }

  @Test
  void setCopiesEveryObjectOnTheWayAndLeavesTheOriginalAlone() {
    JsonNode original = json("{\"a\":{\"b\":{\"c\":1,\"d\":2}},\"e\":3}");
    JsonNode before = original.deepCopy();
    ObjectNode copy = FieldPath.shallowCopy(original);
    assertTrue(FieldPath.parse("a.b.c").set(copy, TextNode.valueOf("x")));
    assertEquals(before, original, "the original is unchanged");
    assertEquals(json("{\"a\":{\"b\":{\"c\":\"x\",\"d\":2}},\"e\":3}"), copy);
    assertNotSame(original.get("a"), copy.get("a"));
    assertNotSame(original.get("a").get("b"), copy.get("a").get("b"));
    assertSame(original.get("e"), copy.get("e"), "what is not on the way is shared");
    assertEquals("{\"a\":{\"b\":{\"c\":\"x\",\"d\":2}},\"e\":3}", copy.toString(), "an existing key keeps its place");
  }

  @Test
  void setMakesMissingAndNullObjectsOnTheWay() {
    ObjectNode r = FieldPath.shallowCopy(json("{\"a\":null}"));
    assertTrue(FieldPath.parse("a.b.c").set(r, IntNode.valueOf(1)));
    assertTrue(FieldPath.parse("x.\"y.z\"").set(r, IntNode.valueOf(2)));
    assertEquals("{\"a\":{\"b\":{\"c\":1}},\"x\":{\"y.z\":2}}", r.toString());
  }

  @Test
  void setThroughSomethingElseThanAnObjectReturnsFalseAndChangesNothing() {
    for (String doc : List.of("{\"a\":{\"b\":5}}", "{\"a\":{\"b\":[1]}}", "{\"a\":{\"b\":\"s\"}}", "{\"a\":{\"b\":true}}")) {
      JsonNode original = json(doc);
      ObjectNode copy = FieldPath.shallowCopy(original);
      assertFalse(FieldPath.parse("a.b.c").set(copy, IntNode.valueOf(1)), doc);
      assertEquals(original, copy, doc);
      assertEquals(json(doc), original, doc);
    }
  }

  @Test
  void removeCopiesOnTheWayReturnsTheValueAndLeavesEmptyParents() {
    JsonNode original = json("{\"a\":{\"b\":{\"c\":1}},\"n\":null}");
    JsonNode before = original.deepCopy();
    ObjectNode copy = FieldPath.shallowCopy(original);
    assertEquals(IntNode.valueOf(1), FieldPath.parse("a.b.c").remove(copy));
    assertEquals("{\"a\":{\"b\":{}},\"n\":null}", copy.toString());
    assertEquals(before, original, "the original is unchanged");
    assertEquals(NullNode.getInstance(), FieldPath.parse("n").remove(copy), "a null value is returned as null node");
    assertEquals("{\"a\":{\"b\":{}}}", copy.toString());
  }

  @Test
  void removeOfAMissingFieldReturnsNullAndCopiesNothing() {
    ObjectNode r = FieldPath.shallowCopy(json("{\"a\":{\"b\":1},\"s\":\"t\"}"));
    JsonNode a = r.get("a");
    assertNull(FieldPath.parse("a.x").remove(r));
    assertNull(FieldPath.parse("s.x").remove(r), "through a string");
    assertNull(FieldPath.parse("q.x").remove(r));
    assertSame(a, r.get("a"), "nothing was copied");
    assertEquals("{\"a\":{\"b\":1},\"s\":\"t\"}", r.toString());
  }

  @Test
  void shallowCopySharesTheValues() {
    JsonNode original = json("{\"a\":{\"b\":1},\"c\":[1]}");
    ObjectNode copy = FieldPath.shallowCopy(original);
    assertEquals(original, copy);
    assertNotSame(original, copy);
    assertSame(original.get("a"), copy.get("a"));
    copy.put("d", 1);
    assertFalse(original.has("d"));
  }
}

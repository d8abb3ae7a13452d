package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processors.Harness.Ctx;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * validate checks numbers by value, whatever their size, their form and the node that holds them:
 * against maximum, minimum, exclusiveMaximum, exclusiveMinimum and multipleOf, with type integer
 * and type number. The expected answers are exact arithmetic (the same as Python's jsonschema
 * 4.26 on exact decimals, where it can hold the numbers).
 */
class ValidateNumbersTest {
  static final List<String> VALUES = List.of("10", "11", "-11", "0", "-0.0", "1e400", "-1e400", "1e30", "-1e30",
      "1E+2", "1e1", "10.0", "10.5", "9.99", "1e-400", "-1e-400", "18446744073709551616.0", "-18446744073709551617",
      "123456789012345678901234567890", "123456789012345678901234567891", "9007199254740993", "9007199254740992",
      "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "9.3e18",
      "1e999999999", "3e999999999", "-1e999999999", "100", "99", "-100", "-99", "2.5", "0.5e1", "1.25");

  /** A schema for {@code v}, and for each of VALUES in order: + valid, - invalid. */
  static final String[][] SCHEMAS = {
      {"{\"type\":\"integer\",\"maximum\":10}", "+-+++-+-+-++-----+------++---+--++-+-"},
      {"{\"type\":\"number\",\"maximum\":10}", "+-+++-+-+-++-+++-+------++---+--+++++"},
      {"{\"maximum\":10}", "+-+++-+-+-++-+++-+------++---+--+++++"},
      {"{\"type\":\"integer\",\"minimum\":0}", "++-+++-+-+++----+-++++++--+++-++---+-"},
      {"{\"type\":\"number\",\"minimum\":0}", "++-+++-+-++++++-+-++++++--+++-++--+++"},
      {"{\"type\":\"integer\",\"exclusiveMaximum\":100}", "+++++-+-+-++-----+------++---+-+++-+-"},
      {"{\"type\":\"integer\",\"exclusiveMinimum\":-100}", "++++++-+-+++----+-++++++--+++-++-+-+-"},
      {"{\"type\":\"number\",\"exclusiveMaximum\":0}", "--+---+-+------+-+------++---+--++---"},
      {"{\"type\":\"integer\",\"multipleOf\":3}", "---++-------------+-+----++-+--+-+---"},
      {"{\"type\":\"number\",\"multipleOf\":0.5}", "+++++++++++++---++++++++++++++++++++-"},
      {"{\"type\":\"integer\",\"multipleOf\":2}", "+--+++++++++----+-+--+-++-+++++-+----"},
      {"{\"type\":\"integer\",\"maximum\":9223372036854775807}", "+++++-+-++++-----+--+++-++---+++++-+-"},
      {"{\"type\":\"integer\",\"minimum\":-9223372036854775808}", "++++++-+-+++----+-+++++++-+++-++++-+-"},
      {"{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"integer\",\"maximum\":10}",
          "+-+++-+-+-++-----+------++---+--++-+-"},
      {"{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"number\",\"maximum\":10,"
          + "\"exclusiveMaximum\":true}", "--+++-+-+----+++-+------++---+--+++++"},
  };

  /** The number as wiz's reader holds it: integers by size; a double where one is the number, else exact. */
  static JsonNode asRead(String text) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (!text.matches(".*[.eE].*")) {
      BigInteger i = new BigInteger(text);
      return i.bitLength() < 32 ? f.numberNode(i.intValue()) : i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
    }
    double d = Double.parseDouble(text);
    BigDecimal exact = new BigDecimal(text);
    boolean asDouble = Double.isFinite(d) && exact.precision() <= 17 && (d != 0 || exact.signum() == 0);
    return asDouble ? f.numberNode(d) : f.numberNode(exact);
  }

  /** Every node that holds the number exactly: a decimal, and a big integer, a long or a double where one can. */
  static List<JsonNode> everyForm(String text) {
    List<JsonNode> forms = new ArrayList<>();
    BigDecimal v = new BigDecimal(text);
    forms.add(DecimalNode.valueOf(v));
    boolean integral = v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
    if (integral && v.precision() - v.scale() <= 1000) {
      BigInteger i = v.toBigIntegerExact();
      forms.add(BigIntegerNode.valueOf(i));
      if (i.bitLength() < 64) forms.add(LongNode.valueOf(i.longValue()));
    }
    double d = v.doubleValue();
    if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(v) == 0) forms.add(DoubleNode.valueOf(d));
    return forms;
  }

  /** What validate with the schema keeps of the records {"v": value}: a + or - for each. */
  private static String verdicts(String schema, List<JsonNode> values) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (JsonNode v : values) records.add(record(v));
    // {"type": "object", "properties": {"v": schema}}, the schema's $schema at the root
    ObjectNode v = (ObjectNode) Harness.json(schema);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (v.has("$schema")) root.set("$schema", v.remove("$schema"));
    root.put("type", "object").putObject("properties").set("v", v);
    Ctx ctx = new Ctx();
    List<JsonNode> out = Harness.runChunks(new ValidateFactory(), "{\"schema\":" + root + "}", ctx, List.of(records));
    StringBuilder marks = new StringBuilder();
    for (JsonNode r : records) {
      boolean kept = out.stream().anyMatch(o -> o == r);
      boolean rejected = ctx.rejectedRecords.stream().anyMatch(o -> o == r);
      assertEquals(!kept, rejected, "each record is kept or rejected: " + r);
      marks.append(kept ? '+' : '-');
    }
    return marks.toString();
  }

  private static JsonNode record(JsonNode v) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    r.set("v", v);
    return r;
  }

  @Test
  void numbersAsWizReadsThemAreCheckedByValue() throws Exception {
    List<JsonNode> read = VALUES.stream().map(ValidateNumbersTest::asRead).toList();
    for (String[] s : SCHEMAS) assertEquals(s[1], verdicts(s[0], read), s[0] + " on " + VALUES);
  }

  @Test
  void everyNodeThatHoldsANumberGetsTheSameAnswer() throws Exception {
    List<JsonNode> forms = new ArrayList<>();
    List<Integer> of = new ArrayList<>(); // the value each form holds
    for (int i = 0; i < VALUES.size(); i++) {
      for (JsonNode n : everyForm(VALUES.get(i))) {
        forms.add(n);
        of.add(i);
      }
    }
    for (String[] s : SCHEMAS) {
      String got = verdicts(s[0], forms);
      for (int k = 0; k < forms.size(); k++) {
        assertEquals(s[1].charAt(of.get(k)), got.charAt(k),
            s[0] + " on " + VALUES.get(of.get(k)) + " as " + forms.get(k).getClass().getSimpleName());
      }
    }
  }

  @Test
  void findingSevenAHugeIntegerFailsMaximumAndTheRecordPassesOrFailsUnchanged() throws Exception {
    Ctx ctx = new Ctx();
    JsonNode huge = record(DecimalNode.valueOf(new BigDecimal("1e400")));
    JsonNode ten = record(JsonNodeFactory.instance.numberNode(10));
    List<JsonNode> out = Harness.runChunks(new ValidateFactory(),
        "{\"schema\":{\"properties\":{\"v\":{\"type\":\"integer\",\"maximum\":10}}}}", ctx, List.of(List.of(huge, ten)));
    assertEquals(1, out.size());
    assertSame(ten, out.get(0));
    assertEquals(List.of("{\"v\":1E+400} validate: /v: must be at most 10"), ctx.rejected);
    assertSame(huge, ctx.rejectedRecords.get(0));
  }

  /** What validate keeps (+) and rejects (-, with its reason) of the records, in order. */
  private static List<String> outcomes(String schema, List<JsonNode> records) throws Exception {
    Ctx ctx = new Ctx();
    List<JsonNode> out = Harness.runChunks(new ValidateFactory(), "{\"schema\":" + schema + "}", ctx, List.of(records));
    List<String> got = new ArrayList<>();
    for (JsonNode r : records) {
      int rejected = -1;
      for (int i = 0; i < ctx.rejectedRecords.size(); i++) if (ctx.rejectedRecords.get(i) == r) rejected = i;
      got.add(out.stream().anyMatch(o -> o == r) ? "+" : rejected < 0 ? "lost" : "- " + ctx.rejected.get(rejected));
    }
    return got;
  }

  @Test
  void aNumberJqHoldsAsInfiniteOrNanIsCheckedAsTheNumberWizWritesAndFailsOnlyItsRecord() throws Exception {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode two = record(f.numberNode(2));
    JsonNode inf = record(DoubleNode.valueOf(Double.POSITIVE_INFINITY)); // 1e308 * 10
    JsonNode negInf = record(DoubleNode.valueOf(Double.NEGATIVE_INFINITY));
    JsonNode nan = record(DoubleNode.valueOf(Double.NaN)); // written null
    JsonNode read = Harness.json("{\"v\":1e9999999999}");
    JsonNode nested = Harness.json("{\"v\":[1,{\"w\":-1E+9999999999}]}");
    JsonNode tiny = Harness.json("{\"v\":-1e-9999999999}"); // zero
    List<JsonNode> records = List.of(two, inf, negInf, nan, read, nested, tiny);
    // 1.7976931348623157e+308 is an integer: a multiple of 0.01
    assertEquals(List.of("+", "+", "+", "+", "+", "+", "+"),
        outcomes("{\"properties\":{\"v\":{\"multipleOf\":0.01}}}", records));
    assertEquals(List.of("+", "- {\"v\":\"Infinity\"} validate: /v: does not have a value in the enumeration [2]",
            "- {\"v\":\"-Infinity\"} validate: /v: does not have a value in the enumeration [2]",
            "- {\"v\":\"NaN\"} validate: /v: does not have a value in the enumeration [2]",
            "- {\"v\":1e9999999999} validate: /v: does not have a value in the enumeration [2]",
            "- {\"v\":[1,{\"w\":-1E+9999999999}]} validate: /v: does not have a value in the enumeration [2]",
            "- {\"v\":-1e-9999999999} validate: /v: does not have a value in the enumeration [2]"),
        outcomes("{\"properties\":{\"v\":{\"enum\":[2]}}}", records));
    assertEquals("+", outcomes("{\"properties\":{\"v\":{\"const\":2}}}", records).get(0));
    assertEquals("- {\"v\":1e9999999999} validate: /v: must be the constant value '2'",
        outcomes("{\"properties\":{\"v\":{\"const\":2}}}", records).get(4));
    assertEquals(List.of("+", "+", "+", "- {\"v\":\"NaN\"} validate: /v: null found, [number, array] expected", "+", "+", "+"),
        outcomes("{\"properties\":{\"v\":{\"type\":[\"number\",\"array\"],\"uniqueItems\":true,"
            + "\"items\":{\"properties\":{\"w\":{\"const\":-1.7976931348623157e+308}}}}}}", records));
    assertEquals(List.of("+", "- {\"v\":\"Infinity\"} validate: /v: must be at most 1e308", "+", "+",
            "- {\"v\":1e9999999999} validate: /v: must be at most 1e308", "+", "+"),
        outcomes("{\"properties\":{\"v\":{\"maximum\":1e308}}}", records));
    assertEquals(List.of("+", "+", "-", "+", "+", "+", "+").toString(),
        outcomes("{\"properties\":{\"v\":{\"minimum\":-1e-9999}}}", records).stream()
            .map(o -> o.substring(0, 1)).toList().toString(), "-1e-9999999999 is zero, above -1e-9999");
  }

  @Test
  void anEnumComparesADecimalWithAHugeExponentWithoutWritingOutItsDigits() {
    List<JsonNode> records = List.of(Harness.json("{\"v\":1e99999999}"), Harness.json("{\"v\":1e-99999999}"),
        Harness.json("{\"v\":1e2147483647}"), Harness.json("{\"v\":[2,-1e-2147483647]}"),
        Harness.json("{\"v\":1.0e-10002}"), Harness.json("{\"v\":2}"));
    List<String> got = assertTimeoutPreemptively(Duration.ofSeconds(5),
        () -> outcomes("{\"properties\":{\"v\":{\"enum\":[2,[2,3],1e-10002]}}}", records));
    String no = " validate: /v: does not have a value in the enumeration [2, [2,3], 1e-10002]";
    assertEquals(List.of("- {\"v\":1e99999999}" + no, "- {\"v\":1e-99999999}" + no, "- {\"v\":1e2147483647}" + no,
        "- {\"v\":[2,-1e-2147483647]}" + no, "+", "+"), got);
  }
}

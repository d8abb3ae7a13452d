package dev.wiz.processors;

import static dev.wiz.processors.Harness.check;
import static dev.wiz.processors.Harness.run;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.LoadLimits;
import dev.wiz.pipeline.YamlLoader;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processors.Harness.Ctx;
import dev.wiz.schema.PipelineValidator;
import dev.wiz.schema.SchemaCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CastTest {
  private static final CastFactory CAST = new CastFactory();
  private static final String EMPTY = "the string is empty (as a csv source reads an empty cell): to keep the record"
      + " without a value, make the field null in a set step before this one, which cast leaves as null";

  /** Casts field {@code v} of one record per value to the type; the values as JSON, or the rejection reason. */
  private static List<String> cast(String type, String... values) throws Exception {
    List<String> results = new ArrayList<>();
    for (String v : values) {
      Ctx ctx = new Ctx();
      List<String> out = run(CAST, "{\"fields\":{\"v\":" + type + "}}", ctx, "{\"v\":" + v + "}");
      if (out.isEmpty()) {
        assertEquals(1, ctx.rejected.size());
        String r = ctx.rejected.get(0);
        results.add(r.substring(r.indexOf(" cast: ") + 1));
      } else {
        assertEquals(List.of(), ctx.rejected);
        String record = out.get(0); // not parsed again: that would change what the cast made
        assertEquals(true, record.startsWith("{\"v\":") && record.endsWith("}"), record);
        results.add(record.substring(5, record.length() - 1));
      }
    }
    return results;
  }

  @Test
  void numbersKeepTheirWrittenTextAndAFloatIsSpelledAsOne() throws Exception {
    assertEquals(List.of("1e10", "41.0", "0.5", "1.10", "2.0", "1e+20", "9007199254740992.0", "1.2345678901234567e+19", "1e15"),
        cast("\"float\"", "1e10", "41.0", "0.5", "1.10", "2", "\"1e20\"", "9007199254740992", "12345678901234567890", "1e15"),
        "a float as it is; anything else spelled as a float");
    assertEquals(List.of("\"1e10\"", "\"41.0\"", "\"-0\"", "\"1E+400\"", "\"41.37\""),
        cast("\"string\"", "1e10", "41.0", "-0", "1E+400", "41.37"));
    Ctx ctx = new Ctx();
    ObjectNode computed = Json.mapper().createObjectNode().put("v", 3.0);
    assertEquals(List.of("{\"v\":\"3\"}"), strings(runChunks(CAST, "{\"fields\":{\"v\":\"string\"}}", ctx,
        List.of(List.of(computed)))), "a computed number as jq writes it");
    assertEquals(List.of("{\"v\":3.0}"), strings(runChunks(CAST, "{\"fields\":{\"v\":\"float\"}}", ctx,
        List.of(List.of(computed)))));
  }

  @Test
  void intFromNumbersNumericStringsAndBooleans() throws Exception {
    assertEquals(List.of("42", "42", "-7", "5", "1000", "42", "42", "42", "1", "0", "0", "100000000000000000000", "-3"),
        cast("\"int\"", "\"42\"", "\" 42 \"", "\"-7\"", "\"+5\"", "\"1e3\"", "\"42.0\"", "42.0", "42", "true", "false", "-0.0",
            "1e20", "\"-3.000\""));
  }

  @Test
  void intBeyondLongStaysExact() throws Exception {
    String big = "123456789012345678901234567890";
    assertEquals(List.of(big, big, "-" + big, "9223372036854775808"),
        cast("\"int\"", big, "\"" + big + "\"", "\"-" + big + ".000\"", "\"9223372036854775808\""));
    String longest = "7".repeat(1000);
    assertEquals(List.of(longest, longest), cast("\"int\"", "\"" + longest + "\"", "\"" + longest + ".0\""),
        "1000 digits, as many as the JSON reader takes");
    assertEquals(List.of("cast: field 'v': cannot convert \"" + "7".repeat(60) + "...\" to int: it has more than 1000 digits",
        "cast: field 'v': cannot convert \"1e1000\" to int: it has more than 1000 digits"),
        cast("\"int\"", "\"" + longest + "7\"", "\"1e1000\""));
  }

  @Test
  void intRefusesFractionsTextAndOtherTypesNamingFieldAndValue() throws Exception {
    assertEquals(List.of(
        "cast: field 'v': cannot convert \"abc\" to int",
        "cast: field 'v': cannot convert 42.5 to int: it has a fraction",
        "cast: field 'v': cannot convert \"42.5\" to int: it has a fraction",
        "cast: field 'v': cannot convert \"\" to int: " + EMPTY,
        "cast: field 'v': cannot convert \"0x10\" to int",
        "cast: field 'v': cannot convert \"1_000\" to int",
        "cast: field 'v': cannot convert \"٤٢\" to int",
        "cast: field 'v': cannot convert \"NaN\" to int",
        "cast: field 'v': cannot convert {\"a\":1} to int",
        "cast: field 'v': cannot convert [1] to int",
        "cast: field 'v': cannot convert \"1e-99999999\" to int: it has a fraction",
        "cast: field 'v': cannot convert \"1e20000\" to int: it has more than 1000 digits",
        "cast: field 'v': cannot convert \"1e99999999999\" to int: its exponent is out of range"),
        cast("\"int\"", "\"abc\"", "42.5", "\"42.5\"", "\"\"", "\"0x10\"", "\"1_000\"", "\"٤٢\"", "\"NaN\"", "{\"a\":1}", "[1]",
            "\"1e-99999999\"", "\"1e20000\"", "\"1e99999999999\""));
  }

  @Test
  void floatFromNumbersAndNumericStrings() throws Exception {
    assertEquals(List.of("3.14", "42.0", "1000.0", "1.5", "1.0", "0.0", "1.2345678901234568e+29", "-2.5"),
        cast("\"float\"", "\"3.14\"", "42", "\"1e3\"", "1.5", "true", "false", "123456789012345678901234567890", "\" -2.5 \""));
    assertEquals(List.of(
        "cast: field 'v': cannot convert \"1e400\" to float: it is out of the range of a float",
        "cast: field 'v': cannot convert \"NaN\" to float",
        "cast: field 'v': cannot convert \"Infinity\" to float",
        "cast: field 'v': cannot convert \"1.5f\" to float",
        "cast: field 'v': cannot convert {} to float"),
        cast("\"float\"", "\"1e400\"", "\"NaN\"", "\"Infinity\"", "\"1.5f\"", "{}"));
  }

  @Test
  void anInfiniteNumberIsOutOfAFloatsRangeAsTheExactOnesAreAndIsShownAsWritten() throws Exception {
    assertEquals(List.of(
        "cast: field 'v': cannot convert 1e400 to float: it is out of the range of a float",
        "cast: field 'v': cannot convert 1e9999999999 to float: it is out of the range of a float",
        "cast: field 'v': cannot convert -1E+9999999999 to float: it is out of the range of a float",
        "1e-9999999999"),
        cast("\"float\"", "1e400", "1e9999999999", "-1E+9999999999", "1e-9999999999"));
    assertEquals(List.of("cast: field 'v': cannot convert 1e2147483647 to int: it has more than 1000 digits",
        "cast: field 'v': cannot convert \"1e2147483647\" to int: it has more than 1000 digits",
        "cast: field 'v': cannot convert 1e9999999999 to int", "0"),
        cast("\"int\"", "1e2147483647", "\"1e2147483647\"", "1e9999999999", "1e-9999999999"), "no ArithmeticException");
    // 1e308 * 10, as jq computes it, is written (and shown) as jq writes it
    ObjectNode computed = Json.mapper().createObjectNode();
    computed.put("v", Double.POSITIVE_INFINITY);
    for (String type : List.of("float", "int")) {
      Ctx ctx = new Ctx();
      assertEquals(List.of(), Harness.runChunks(CAST, "{\"fields\":{\"v\":\"" + type + "\"}}", ctx, List.of(List.of(computed))));
      assertEquals(List.of("{\"v\":\"Infinity\"} cast: field 'v': cannot convert 1.7976931348623157e+308 to " + type
          + (type.equals("float") ? ": it is out of the range of a float" : "")), ctx.rejected);
    }
  }

  @Test
  void anEmptyStringSaysHowToKeepTheRecordWithoutAValueWhateverTheType() throws Exception {
    assertEquals(List.of(
        "cast: field 'v': cannot convert \"\" to float: " + EMPTY,
        "cast: field 'v': cannot convert \"\" to timestamp: " + EMPTY,
        "cast: field 'v': cannot convert \"\" to timestamp from epoch-millis: " + EMPTY,
        "\"\""),
        List.of(cast("\"float\"", "\"\"").get(0), cast("\"timestamp\"", "\"\"").get(0),
            cast("{\"to\":\"timestamp\",\"format\":\"epoch-millis\"}", "\"\"").get(0), cast("\"string\"", "\"\"").get(0)));
    assertEquals(List.of("cast: field 'v': cannot convert \" \" to int"), cast("\"int\"", "\" \""),
        "a blank string is text, not an empty cell");
  }

  @Test
  void boolFromWordsAndZeroOrOne() throws Exception {
    assertEquals(List.of("true", "true", "false", "true", "false", "true", "false", "true", "false", "true"),
        cast("\"bool\"", "\"TRUE\"", "\" yes \"", "\"No\"", "\"1\"", "\"0\"", "1", "0", "1.0", "\"false\"", "true"));
    assertEquals(List.of(
        "cast: field 'v': cannot convert 2 to bool: only the numbers 0 and 1 are booleans",
        "cast: field 'v': cannot convert \"maybe\" to bool",
        "cast: field 'v': cannot convert \"\" to bool: " + EMPTY,
        "cast: field 'v': cannot convert [] to bool"),
        cast("\"bool\"", "2", "\"maybe\"", "\"\"", "[]"));
  }

  @Test
  void stringKeepsTheWrittenFormOfNumbersAndWritesJsonForTheRest() throws Exception {
    String big = "123456789012345678901234567890";
    assertEquals(List.of("\"42\"", "\"41.0\"", "\"1e20\"", "\"" + big + "\"", "\"true\"", "\"{\\\"a\\\":[1,\\\"ü\\\"]}\"", "\"[]\"", "\"x\""),
        cast("\"string\"", "42", "41.0", "1e20", big, "true", "{\"a\":[1,\"ü\"]}", "[]", "\"x\""));
  }

  @Test
  void nullStaysNullAndAMissingFieldStaysMissingForEveryType() throws Exception {
    for (String type : List.of("\"string\"", "\"int\"", "\"float\"", "\"bool\"", "\"timestamp\"",
        "{\"to\":\"timestamp\",\"format\":\"epoch-millis\"}")) {
      Ctx ctx = new Ctx();
      assertEquals(List.of("{\"v\":null}", "{\"w\":1}", "{\"a\":{}}"),
          run(CAST, "{\"fields\":{\"v\":" + type + ",\"a.b\":" + type + "}}", ctx, "{\"v\":null}", "{\"w\":1}", "{\"a\":{}}"), type);
      assertEquals(List.of(), ctx.rejected, type);
    }
  }

  @Test
  void timestampsFromIsoText() throws Exception {
    assertEquals(List.of("\"2024-05-01T12:00:00Z\"", "\"2024-05-01T12:00:00Z\"", "\"2024-05-01T10:00:00Z\"",
        "\"2024-05-01T12:00:00.500Z\"", "\"2024-05-01T12:00:00Z\"", "\"2024-05-01T00:00:00Z\"", "\"2024-05-01T10:00:00Z\""),
        cast("\"timestamp\"", "\"2024-05-01T12:00:00Z\"", "\" 2024-05-01T12:00:00.000Z \"", "\"2024-05-01T12:00:00+02:00\"",
            "\"2024-05-01T12:00:00.5Z\"", "\"2024-05-01T12:00:00\"", "\"2024-05-01\"", "\"2024-05-01T12:00:00+02:00[Europe/Paris]\""));
    assertEquals(List.of("\"2024-05-01T10:00:00Z\"", "\"2024-04-30T22:00:00Z\"", "\"2024-05-01T12:00:00Z\""),
        cast("{\"to\":\"timestamp\",\"zone\":\"Europe/Paris\"}", "\"2024-05-01T12:00:00\"", "\"2024-05-01\"", "\"2024-05-01T12:00:00Z\""),
        "the zone applies to values without an offset only");
  }

  @Test
  void timestampsThatCannotBeReadSayWhy() throws Exception {
    assertEquals(List.of(
        "cast: field 'v': cannot convert \"yesterday\" to timestamp: it does not match at character 1",
        "cast: field 'v': cannot convert \"2024-13-01T00:00:00\" to timestamp: Invalid value for MonthOfYear (valid values 1 - 12): 13",
        "cast: field 'v': cannot convert 1714564800 to timestamp: expected a string (for epoch numbers, use format: epoch-seconds or epoch-millis)",
        "cast: field 'v': cannot convert true to timestamp: expected a string",
        "cast: field 'v': cannot convert \"2024-02-30\" to timestamp: Invalid date 'FEBRUARY 30'",
        "cast: field 'v': cannot convert \"2023-02-29T10:00:00Z\" to timestamp: Invalid date 'February 29' as '2023' is not a leap year",
        "cast: field 'v': cannot convert \"2024-05-01 12:00\" to timestamp: it does not match at character 11"),
        cast("\"timestamp\"", "\"yesterday\"", "\"2024-13-01T00:00:00\"", "1714564800", "true", "\"2024-02-30\"",
            "\"2023-02-29T10:00:00Z\"", "\"2024-05-01 12:00\""));
  }

  @Test
  void timestampsFromPatternsAreStrictAndUseTheZoneUnlessTheyHaveAnOffset() throws Exception {
    assertEquals(List.of("\"2024-05-01T12:30:00Z\"", "\"2024-02-29T09:00:00Z\""),
        cast("{\"to\":\"timestamp\",\"format\":\"dd/MM/yyyy HH:mm\",\"zone\":\"Europe/Paris\"}", "\"01/05/2024 14:30\"", "\"29/02/2024 10:00\""));
    assertEquals(List.of(
        "cast: field 'v': cannot convert \"30/02/2024 10:00\" to timestamp with format 'dd/MM/yyyy HH:mm': Invalid date 'FEBRUARY 30'",
        "cast: field 'v': cannot convert \"2024-05-01\" to timestamp with format 'dd/MM/yyyy HH:mm': it does not match at character 3"),
        cast("{\"to\":\"timestamp\",\"format\":\"dd/MM/yyyy HH:mm\"}", "\"30/02/2024 10:00\"", "\"2024-05-01\""));
    assertEquals(List.of("\"2024-05-01T10:00:00Z\"", "\"2024-05-01T00:00:00Z\""),
        cast("{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd HH:mm XXX\",\"zone\":\"Asia/Tokyo\"}", "\"2024-05-01 12:00 +02:00\"", "\"2024-05-01 09:00 +09:00\""));
    assertEquals(List.of("\"2024-05-01T00:00:00Z\""), cast("{\"to\":\"timestamp\",\"format\":\"d MMM uuuu\"}", "\"1 May 2024\""));
  }

  @Test
  void timestampsFromEpochNumbersAndNumericStrings() throws Exception {
    assertEquals(List.of("\"2024-05-01T12:00:00Z\"", "\"2024-05-01T12:00:00Z\"", "\"2024-05-01T12:00:00.500Z\"", "\"1969-12-31T23:59:59Z\"",
        "\"1969-12-31T23:59:59.500Z\""),
        cast("{\"to\":\"timestamp\",\"format\":\"epoch-seconds\"}", "1714564800", "\"1714564800\"", "1714564800.5", "-1", "-0.5"));
    assertEquals(List.of("\"2024-05-01T12:00:00.123Z\"", "\"1970-01-01T00:00:00Z\""),
        cast("{\"to\":\"timestamp\",\"format\":\"epoch-millis\"}", "1714564800123", "0"));
    assertEquals(List.of(
        "cast: field 'v': cannot convert 1e30 to timestamp from epoch-millis: it is out of the range of a timestamp",
        "cast: field 'v': cannot convert \"1e400\" to timestamp from epoch-millis: it is out of the range of a timestamp",
        "cast: field 'v': cannot convert 40000000000000000000 to timestamp from epoch-millis: it is out of the range of a timestamp",
        "cast: field 'v': cannot convert \"soon\" to timestamp from epoch-millis: expected a number of milliseconds since 1970-01-01T00:00:00Z",
        "cast: field 'v': cannot convert true to timestamp from epoch-millis: expected a number of milliseconds since 1970-01-01T00:00:00Z"),
        cast("{\"to\":\"timestamp\",\"format\":\"epoch-millis\"}", "1e30", "\"1e400\"", "40000000000000000000", "\"soon\"", "true"));
  }

  @Test
  void timestampsWrittenAsEpochNumbersHaveAFractionOnlyWhenThereIsOne() throws Exception {
    assertEquals(List.of("1714564800", "1714564800.5", "-1"),
        cast("{\"to\":\"timestamp\",\"output\":\"epoch-seconds\"}", "\"2024-05-01T12:00:00Z\"", "\"2024-05-01T12:00:00.5Z\"",
            "\"1969-12-31T23:59:59Z\""));
    assertEquals(List.of("1714564800123", "1714564800000.0005"),
        cast("{\"to\":\"timestamp\",\"output\":\"epoch-millis\"}", "\"2024-05-01T12:00:00.123Z\"", "\"2024-05-01T12:00:00.0000005Z\""));
    assertEquals(List.of("\"2024-05-01T12:00:00Z\""),
        cast("{\"to\":\"timestamp\",\"format\":\"epoch-millis\",\"output\":\"iso\"}", "1714564800000"));
    assertEquals(List.of("1714564800"), cast("{\"to\":\"timestamp\",\"format\":\"epoch-millis\",\"output\":\"epoch-seconds\"}", "1714564800000"));
  }

  @Test
  void theLongFormWorksForEveryType() throws Exception {
    assertEquals(List.of("7"), cast("{\"to\":\"int\"}", "\"7\""));
    assertEquals(List.of("\"7\""), cast("{\"to\":\"string\"}", "7"));
    assertEquals(List.of("7.0"), cast("{\"to\":\"float\"}", "7"));
    assertEquals(List.of("false"), cast("{\"to\":\"bool\"}", "\"no\""));
  }

  @Test
  void longValuesAreCutInTheReasonAfterSixtyCharacters() throws Exception {
    String sixty = "a".repeat(60);
    assertEquals(List.of("cast: field 'v': cannot convert \"" + sixty + "...\" to int: it is too long to be a number",
        "cast: field 'v': cannot convert \"" + "😀".repeat(60) + "...\" to bool",
        "cast: field 'v': cannot convert \"" + sixty + "\" to int",
        "cast: field 'v': cannot convert [" + "1,".repeat(29) + "1... to float"),
        List.of(cast("\"int\"", "\"" + "a".repeat(100_000) + "\"").get(0), cast("\"bool\"", "\"" + "😀".repeat(61) + "\"").get(0),
            cast("\"int\"", "\"" + sixty + "\"").get(0), cast("\"float\"", "[" + "1,".repeat(99) + "1]").get(0)));
    assertEquals(List.of("cast: field 'v': cannot convert \"" + "1".repeat(60) + "...\" to int: it is too long to be a number"),
        cast("\"int\"", "\"" + "1".repeat(10_001) + "\""));
    assertEquals(List.of("cast: field 'v': cannot convert \"tab\\there\" to int"), cast("\"int\"", "\"tab\\there\""),
        "the value is shown as JSON");
  }

  @Test
  void nestedUnicodeAndQuotedFieldsAndSeveralFieldsPerRecord() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"user\":{\"年齢\":30,\"x.y\":true},\"id\":\"1\",\"other\":\"5\"}"),
        run(CAST, "{\"fields\":{\"user.年齢\":\"int\",\"user.\\\"x.y\\\"\":\"bool\",\"id\":\"string\"}}", ctx,
            "{\"user\":{\"年齢\":\"30\",\"x.y\":\"yes\"},\"id\":1,\"other\":\"5\"}"));
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void oneBadFieldRejectsTheWholeRecordAndTheOthersGoOn() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"age\":3,\"n\":1}"), run(CAST, "{\"fields\":{\"age\":\"int\",\"n\":\"int\"}}", ctx,
        "{\"age\":\"3\",\"n\":\"1\"}", "{\"age\":\"3\",\"n\":\"one\"}", "[\"age\"]"));
    assertEquals(List.of("{\"age\":\"3\",\"n\":\"one\"} cast: field 'n': cannot convert \"one\" to int",
        "[\"age\"] cast: the record is an array, not an object"), ctx.rejected);
  }

  @Test
  void unchangedRecordsAndAnEmptyChunk() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("{\"a\":1,\"b\":\"x\"}"), run(CAST, "{\"fields\":{\"a\":\"int\",\"b\":\"string\"}}", ctx, "{\"a\":1,\"b\":\"x\"}"));
    assertEquals(List.of(), run(CAST, "{\"fields\":{\"a\":\"int\"}}", ctx));
    assertEquals(List.of(), ctx.rejected);
  }

  @Test
  void checkAcceptsEveryForm() {
    assertEquals(List.of(), check(CAST, "{\"fields\":{\"a\":\"int\",\"b\":{\"to\":\"float\"},\"c\":\"timestamp\","
        + "\"d\":{\"to\":\"timestamp\",\"format\":\"dd/MM/yyyy HH:mm\",\"zone\":\"+02:00\",\"output\":\"epoch-millis\"},"
        + "\"e\":{\"to\":\"timestamp\",\"format\":\"epoch-seconds\"},\"f\":{\"to\":\"timestamp\",\"format\":\"iso\",\"zone\":\"Europe/Paris\"}}}"));
  }

  @Test
  void checkValidatesPatternsAndZonesWithPointers() {
    assertEquals(List.of(
        new ConfigProblem("/fields/a~1b/format", "invalid date-time pattern 'yyyy-bb': Unknown pattern letter: b"),
        new ConfigProblem("/fields/c/format", "date-time pattern 'HH:mm' does not give a full date (year, month and day)"),
        new ConfigProblem("/fields/d/format", "date-time pattern 'yyyy-MM' does not give a full date (year, month and day)"),
        new ConfigProblem("/fields/e/zone", "unknown time zone 'Mars/Base': use a region such as Europe/Paris, or an offset such as +02:00"),
        new ConfigProblem("/fields/f/zone", "'zone' has no effect with format epoch-millis: epoch numbers count from 1970-01-01T00:00:00Z; remove it")),
        check(CAST, "{\"fields\":{\"a/b\":{\"to\":\"timestamp\",\"format\":\"yyyy-bb\"},"
            + "\"c\":{\"to\":\"timestamp\",\"format\":\"HH:mm\"},\"d\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM\"},"
            + "\"e\":{\"to\":\"timestamp\",\"zone\":\"Mars/Base\"},\"f\":{\"to\":\"timestamp\",\"format\":\"epoch-millis\",\"zone\":\"UTC\"}}}"));
  }

  @Test
  void checkRefusesAPatternWhoseTimeOfDayWouldBeLost() {
    String why = "reads part of a time of day but not the hour of the day, so every value would lose its time: "
        + "use HH for the hour (or hh or KK with a, the AM/PM marker), and give the minutes with the hour and the "
        + "seconds with the minutes";
    assertEquals(List.of(
        new ConfigProblem("/fields/a/format", "date-time pattern 'yyyy-MM-dd hh:mm' " + why),
        new ConfigProblem("/fields/b/format", "date-time pattern 'yyyy-MM-dd mm' " + why),
        new ConfigProblem("/fields/c/format", "date-time pattern 'yyyy-MM-dd HH:ss' " + why),
        new ConfigProblem("/fields/d/format", "date-time pattern 'yyyy-MM-dd a' " + why)),
        check(CAST, "{\"fields\":{\"a\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd hh:mm\"},"
            + "\"b\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd mm\"},\"c\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd HH:ss\"},"
            + "\"d\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd a\"}}}"));
    // the hour alone, hh with a, a date with only a weekday or a zone besides: all fine
    assertEquals(List.of(), check(CAST, "{\"fields\":{\"a\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd HH\"},"
        + "\"b\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd hh:mm a\"},\"c\":{\"to\":\"timestamp\",\"format\":\"EEE yyyy-MM-dd VV\"},"
        + "\"d\":{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd KK:mm:ss.SSS a XXX\"}}}"));
  }

  @Test
  void aPatternWithTheHourKeepsTheTimeOfDay() throws Exception {
    assertEquals(List.of("\"2024-05-01T23:05:00Z\"", "\"2024-05-01T11:05:00Z\""),
        cast("{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd hh:mm a\"}", "\"2024-05-01 11:05 PM\"", "\"2024-05-01 11:05 AM\""));
    assertEquals(List.of("\"2024-05-01T07:00:00Z\""), cast("{\"to\":\"timestamp\",\"format\":\"yyyy-MM-dd HH\"}", "\"2024-05-01 07\""));
  }

  @Test
  void checkRejectsTimestampOptionsOnOtherTypesBadPathsAndRepeats() {
    assertEquals(List.of(
        new ConfigProblem("/fields/a.", "field path 'a.' ends with a dot: name a field after it"),
        new ConfigProblem("/fields/\"n\"", "field '\"n\"' is the same field as 'n' at /fields/n: cast it once"),
        new ConfigProblem("/fields/n/format", "'format' applies only to 'to: timestamp', not to 'int'"),
        new ConfigProblem("/fields/n/output", "'output' applies only to 'to: timestamp', not to 'int'")),
        check(CAST, "{\"fields\":{\"n\":{\"to\":\"int\",\"format\":\"x\",\"output\":\"iso\"},\"a.\":\"int\",\"\\\"n\\\"\":\"int\"}}"));
  }

  private static List<String> validate(String yaml) throws Exception {
    var tree = new YamlLoader(LoadLimits.defaults(), v -> null).parse(yaml, "cast.yaml");
    PipelineValidator validator =
        new PipelineValidator(new SchemaCatalog(CastTest.class.getClassLoader()), ProcessorRegistry.loadDefault());
    return validator.validateConfig("cast", tree, Harness.SETUP).stream().map(Diagnostic::format).toList();
  }

  @Test
  void validateReportsSchemaProblemsInTheFileAndTheChecksTheyUsedToHide() throws Exception {
    assertEquals(List.of(
        "cast.yaml:2:8: /fields/age: 'intt' is not one of string, int, float, bool, timestamp (did you mean 'int'?)",
        "cast.yaml:4:22: /fields/x/zone: 'zone' applies only to 'to: timestamp', not to 'int'",
        "cast.yaml:4:27: /fields/x/extra: unknown key 'extra' (known keys: to, format, zone, output)"),
        validate("fields:\n  age: intt\n  when: {to: timestamp, format: 'yyyy-MM-dd'}\n  x: {to: int, zone: UTC, extra: 1}\n"));
  }

  @Test
  void validateReportsCheckProblemsInTheFile() throws Exception {
    assertEquals(List.of(
        "cast.yaml:3:33: /fields/when/format: invalid date-time pattern 'yyyy-bb': Unknown pattern letter: b",
        "cast.yaml:4:22: /fields/x/zone: 'zone' applies only to 'to: timestamp', not to 'int'"),
        validate("fields:\n  age: int\n  when: {to: timestamp, format: 'yyyy-bb'}\n  x: {to: int, zone: UTC}\n"));
  }

  @Test
  void checkReportsAPathInsideAnotherAtTheLaterEntry() {
    assertEquals(List.of(new ConfigProblem("/fields/a.b", "'a.b' is inside 'a', cast at /fields/a: a field cannot be"
            + " cast both whole and in part: cast 'a.b' in a cast step before this one")),
        Harness.check(CAST, "{\"fields\":{\"a\":\"string\",\"a.b\":\"int\"}}"));
    assertEquals(List.of(new ConfigProblem("/fields/a", "'a' holds 'a.b', cast at /fields/a.b: a field cannot be"
            + " cast both whole and in part: cast 'a.b' in a cast step before this one")),
        Harness.check(CAST, "{\"fields\":{\"a.b\":\"int\",\"a\":\"string\"}}"));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.processors.Harness.Ctx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A builtin given a value of the wrong type fails with jq 1.6's message, not jackson-jq's (which
 * named {@code _match_impl/3}, {@code explode}, {@code sort_by} and Java's type names). The
 * expected texts are what jq 1.6 said, with {@code try ... catch .}, for the same input and program.
 */
class JqErrorsTest {
  /** Input, program, jq 1.6's message. */
  private static final String[][] JQ16 = {
        {"1", "keys", "number (1) has no keys"},
        {"\"abc\"", "keys", "string (\"abc\") has no keys"},
        {"null", "keys", "null (null) has no keys"},
        {"true", "keys_unsorted", "boolean (true) has no keys"},
        {"1", "has(\"x\")", "Cannot check whether number has a string key"},
        {"{}", "has(0)", "Cannot check whether object has a number key"},
        {"[]", "has(\"x\")", "Cannot check whether array has a string key"},
        {"\"a\"", "has(0)", "Cannot check whether string has a number key"},
        {"1", "test(\"x\")", "number (1) cannot be matched, as it is not a string"},
        {"{}", "test(\"x\")", "object ({}) cannot be matched, as it is not a string"},
        {"[1]", "match(\"x\")", "array ([1]) cannot be matched, as it is not a string"},
        {"1", "capture(\"x\")", "number (1) cannot be matched, as it is not a string"},
        {"1", "split(\"a\";\"g\")", "number (1) cannot be matched, as it is not a string"},
        {"1", "splits(\"a\")", "number (1) cannot be matched, as it is not a string"},
        {"1", "scan(\"a\")", "number (1) cannot be matched, as it is not a string"},
        {"1", "ascii_downcase", "explode input must be a string"},
        {"1", "ascii_upcase", "explode input must be a string"},
        {"1", "min", "number (1) and number (1) cannot be iterated over"},
        {"1", "max", "number (1) and number (1) cannot be iterated over"},
        {"\"abc\"", "min", "string (\"abc\") and string (\"abc\") cannot be iterated over"},
        {"1", "sort", "number (1) cannot be sorted, as it is not an array"},
        {"1", "sort_by(.)", "Cannot iterate over number (1)"},
        {"1", "group_by(.)", "Cannot iterate over number (1)"},
        {"1", "unique_by(.)", "Cannot iterate over number (1)"},
        {"1", "unique", "Cannot iterate over number (1)"},
        {"1", "min_by(.)", "Cannot iterate over number (1)"},
        {"1", "max_by(.)", "Cannot iterate over number (1)"},
        {"1", "implode", "implode input must be an array"},
        {"1", "explode", "explode input must be a string"},
        {"5", "@base64d", "string (\"5\") trailing base64 byte found"},
        {"1", "indices(1)", "Cannot index number with number"},
        {"1", "index(\"a\")", "Cannot index number with string \"a\""},
        {"1", "rindex(\"a\")", "Cannot index number with string \"a\""},
        {"[{}]", "@sh", "object ({}) can not be escaped for shell"},
        {"1", "splits(1)", "number (1) cannot be matched, as it is not a string"},
        {"1", "in({})", "Cannot check whether object has a number key"},
        {"\"a\"", "gmtime", "gmtime() requires numeric inputs"},
        {"1", "test(\"(\")", "number (1) cannot be matched, as it is not a string"},
        {"1", "splits(\"a\";\"g\")", "number (1) cannot be matched, as it is not a string"},
        {"[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]", "has(\"a\")", "Cannot check whether array has a string key"},
        {"true", "keys", "boolean (true) has no keys"},
        {"null", "keys_unsorted", "null (null) has no keys"},
        {"1", "keys_unsorted", "number (1) has no keys"},
        {"\"abc\"", "keys_unsorted", "string (\"abc\") has no keys"},
        {"true", "has(\"a\")", "Cannot check whether boolean has a string key"},
        {"1", "has(\"a\")", "Cannot check whether number has a string key"},
        {"\"abc\"", "has(\"a\")", "Cannot check whether string has a string key"},
        {"true", "has(0)", "Cannot check whether boolean has a number key"},
        {"1", "has(0)", "Cannot check whether number has a number key"},
        {"null", "test(\"a\")", "null (null) cannot be matched, as it is not a string"},
        {"true", "test(\"a\")", "boolean (true) cannot be matched, as it is not a string"},
        {"1", "test(\"a\")", "number (1) cannot be matched, as it is not a string"},
        {"{\"a\":1}", "test(\"a\")", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "test(\"a\")", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "match(\"a\")", "null (null) cannot be matched, as it is not a string"},
        {"true", "match(\"a\")", "boolean (true) cannot be matched, as it is not a string"},
        {"1", "match(\"a\")", "number (1) cannot be matched, as it is not a string"},
        {"{\"a\":1}", "match(\"a\")", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "match(\"a\")", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "capture(\"a\")", "null (null) cannot be matched, as it is not a string"},
        {"true", "capture(\"a\")", "boolean (true) cannot be matched, as it is not a string"},
        {"1", "capture(\"a\")", "number (1) cannot be matched, as it is not a string"},
        {"{\"a\":1}", "capture(\"a\")", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "capture(\"a\")", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "scan(\"a\")", "null (null) cannot be matched, as it is not a string"},
        {"true", "scan(\"a\")", "boolean (true) cannot be matched, as it is not a string"},
        {"{\"a\":1}", "scan(\"a\")", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "scan(\"a\")", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "splits(\"a\")", "null (null) cannot be matched, as it is not a string"},
        {"true", "splits(\"a\")", "boolean (true) cannot be matched, as it is not a string"},
        {"{\"a\":1}", "splits(\"a\")", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "splits(\"a\")", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "split(\"a\";null)", "null (null) cannot be matched, as it is not a string"},
        {"true", "split(\"a\";null)", "boolean (true) cannot be matched, as it is not a string"},
        {"1", "split(\"a\";null)", "number (1) cannot be matched, as it is not a string"},
        {"{\"a\":1}", "split(\"a\";null)", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "split(\"a\";null)", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "min", "null (null) and null (null) cannot be iterated over"},
        {"true", "min", "boolean (true) and boolean (true) cannot be iterated over"},
        {"{\"a\":1}", "min", "object ({\"a\":1}) and object ({\"a\":1}) cannot be iterated over"},
        {"null", "max", "null (null) and null (null) cannot be iterated over"},
        {"true", "max", "boolean (true) and boolean (true) cannot be iterated over"},
        {"\"abc\"", "max", "string (\"abc\") and string (\"abc\") cannot be iterated over"},
        {"{\"a\":1}", "max", "object ({\"a\":1}) and object ({\"a\":1}) cannot be iterated over"},
        {"null", "min_by(.)", "Cannot iterate over null (null)"},
        {"true", "min_by(.)", "Cannot iterate over boolean (true)"},
        {"\"abc\"", "min_by(.)", "Cannot iterate over string (\"abc\")"},
        {"{\"a\":1}", "min_by(.)", "object ({\"a\":1}) and array ([[1]]) cannot be iterated over"},
        {"null", "max_by(.)", "Cannot iterate over null (null)"},
        {"true", "max_by(.)", "Cannot iterate over boolean (true)"},
        {"\"abc\"", "max_by(.)", "Cannot iterate over string (\"abc\")"},
        {"{\"a\":1}", "max_by(.)", "object ({\"a\":1}) and array ([[1]]) cannot be iterated over"},
        {"null", "sort", "null (null) cannot be sorted, as it is not an array"},
        {"true", "sort", "boolean (true) cannot be sorted, as it is not an array"},
        {"\"abc\"", "sort", "string (\"abc\") cannot be sorted, as it is not an array"},
        {"{\"a\":1}", "sort", "object ({\"a\":1}) cannot be sorted, as it is not an array"},
        {"null", "sort_by(.)", "Cannot iterate over null (null)"},
        {"true", "sort_by(.)", "Cannot iterate over boolean (true)"},
        {"\"abc\"", "sort_by(.)", "Cannot iterate over string (\"abc\")"},
        {"{\"a\":1}", "sort_by(.)", "object ({\"a\":1}) and array ([[1]]) cannot be sorted, as they are not both arrays"},
        {"null", "group_by(.)", "Cannot iterate over null (null)"},
        {"true", "group_by(.)", "Cannot iterate over boolean (true)"},
        {"\"abc\"", "group_by(.)", "Cannot iterate over string (\"abc\")"},
        {"{\"a\":1}", "group_by(.)", "object ({\"a\":1}) and array ([[1]]) cannot be sorted, as they are not both arrays"},
        {"null", "unique_by(.)", "Cannot iterate over null (null)"},
        {"true", "unique_by(.)", "Cannot iterate over boolean (true)"},
        {"\"abc\"", "unique_by(.)", "Cannot iterate over string (\"abc\")"},
        {"{\"a\":1}", "unique_by(.)", "object ({\"a\":1}) and array ([[1]]) cannot be sorted, as they are not both arrays"},
        {"null", "unique", "Cannot iterate over null (null)"},
        {"true", "unique", "Cannot iterate over boolean (true)"},
        {"\"abc\"", "unique", "Cannot iterate over string (\"abc\")"},
        {"{\"a\":1}", "unique", "object ({\"a\":1}) and array ([[1]]) cannot be sorted, as they are not both arrays"},
        {"true", "indices(\"a\")", "Cannot index boolean with string \"a\""},
        {"1", "indices(\"a\")", "Cannot index number with string \"a\""},
        {"true", "indices(1)", "Cannot index boolean with number"},
        {"{\"a\":1}", "indices(1)", "Cannot index object with number"},
        {"true", "index(\"a\")", "Cannot index boolean with string \"a\""},
        {"true", "rindex(1)", "Cannot index boolean with number"},
        {"1", "rindex(1)", "Cannot index number with number"},
        {"{\"a\":1}", "rindex(1)", "Cannot index object with number"},
        {"{\"a\":1}", "@base64d", "string (\"{\\\"a\\\":1}\") is not valid base64 data"},
        {"null", "in({})", "Cannot check whether object has a null key"},
        {"true", "in({})", "Cannot check whether object has a boolean key"},
        {"{\"a\":1}", "in({})", "Cannot check whether object has a object key"},
        {"[1]", "in({})", "Cannot check whether object has a array key"},
        {"null", "splits(1)", "null (null) cannot be matched, as it is not a string"},
        {"true", "splits(1)", "boolean (true) cannot be matched, as it is not a string"},
        {"\"abc\"", "splits(1)", "number (1) is not a string"},
        {"{\"a\":1}", "splits(1)", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "splits(1)", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "test(\"a\";1)", "null (null) cannot be matched, as it is not a string"},
        {"true", "test(\"a\";1)", "boolean (true) cannot be matched, as it is not a string"},
        {"1", "test(\"a\";1)", "number (1) cannot be matched, as it is not a string"},
        {"\"abc\"", "test(\"a\";1)", "number (1) is not a string"},
        {"{\"a\":1}", "test(\"a\";1)", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "test(\"a\";1)", "array ([1]) cannot be matched, as it is not a string"},
        {"null", "split(1;null)", "null (null) cannot be matched, as it is not a string"},
        {"true", "split(1;null)", "boolean (true) cannot be matched, as it is not a string"},
        {"1", "split(1;null)", "number (1) cannot be matched, as it is not a string"},
        {"\"abc\"", "split(1;null)", "number (1) is not a string"},
        {"{\"a\":1}", "split(1;null)", "object ({\"a\":1}) cannot be matched, as it is not a string"},
        {"[1]", "split(1;null)", "array ([1]) cannot be matched, as it is not a string"},
        {"true", "has(null)", "Cannot check whether boolean has a null key"},
        {"1", "has(null)", "Cannot check whether number has a null key"},
        {"\"abc\"", "has(null)", "Cannot check whether string has a null key"},
        {"{\"a\":1}", "has(null)", "Cannot check whether object has a null key"},
        {"[1]", "has(null)", "Cannot check whether array has a null key"},
        {"true", "indices([1])", "Cannot index boolean with array"},
        {"1", "indices([1])", "Cannot index number with array"},
        {"{\"a\":1}", "indices([1])", "Cannot index object with array"},
        {"null", "indices([1])", "Cannot index null with array"},
        {"null", "index([1])", "Cannot index null with array"},
        {"null", "rindex([1])", "Cannot index null with array"},
        {"null", "indices(null)", "Cannot index null with null"},
        {"null", "indices(true)", "Cannot index null with boolean"},
        {"null", "indices(1), indices(\"a\"), index(\"a\"), indices({})", "no error"},
        {"{\"a\":1}", "@sh \"\\(.)\"", "object ({\"a\":1}) can not be escaped for shell"},
        {"{\"a\":\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"}", "keys|1|has(0)", "Cannot check whether number has a number key"},
  };

  @Test
  void builtinsGivenTheWrongTypeFailWithJq16sMessage() throws Exception {
    StringBuilder program = new StringBuilder("[");
    for (String[] row : JQ16) {
      if (program.length() > 1) program.append(",\n");
      program.append("(").append(row[0]).append(" | try ([").append(row[1]).append("] | \"no error\") catch .)");
    }
    JsonNode out = Harness.json(Harness.jqOne(program.append("]").toString(), "null"));
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < JQ16.length; i++) {
      if (!JQ16[i][2].equals(out.get(i).asText())) {
        wrong.add(JQ16[i][0] + " | " + JQ16[i][1] + ": jq 1.6 says '" + JQ16[i][2] + "', wiz '" + out.get(i).asText() + "'");
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void theDocsExampleRejectsTheRecordWithJqsMessage() throws Exception {
    Ctx ctx = new Ctx();
    run(new JqFactory(), Json.mapper().createObjectNode().put("program", "{id, k: (.tags | keys)}").toString(), ctx,
        "{\"id\":2,\"tags\":5}", "{\"id\":3,\"tags\":\"a long string of tags\"}");
    assertEquals(List.of("{\"id\":2,\"tags\":5} jq: number (5) has no keys",
        "{\"id\":3,\"tags\":\"a long string of tags\"} jq: string (\"a long str...) has no keys"), ctx.rejected);
  }

  @Test
  void anErrorInsideABuiltinsArgumentKeepsItsOwnMessage() throws Exception {
    // the error of the inner keys, said by its own wrapper, not the outer sort_by's
    assertEquals("[\"number (1) has no keys\",\"string (\\\"abc\\\") cannot be parsed as a number\"]",
        Harness.jqOne("[([[1]] | try sort_by(.[0] | keys) catch .), (try (\"abc\" | tonumber) catch .)]", "null"));
    assertEquals("[[true,false],[\"a\"],3,\"b\"]", Harness.jqOne("[([\"b\", \"a\"] | sort | map(test(\"a\"))), ({a: 1} | keys),"
        + " ([1, 3] | max_by(.)), (\"Yg==\" | @base64d)]", "null"), "what works is unchanged");
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.jqOne;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.processor.ConfigProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code try A // B} and {@code try A, B} mean {@code (try A) // B} in jq and {@code try (A // B)}
 * to jackson-jq's parser: refused by validation, with the spellings both read alike.
 */
class JqTryBodyTest {
  @Test
  void aTryWhoseBodyJqWouldEndEarlierIsRefusedAtTheTry() {
    // it passed, and "abc" | [try tonumber // 0] gave [] where jq gives [0]
    List<ConfigProblem> p = Expression.check(".n | [try tonumber // 0]", "/program");
    assertEquals(List.of(new ConfigProblem("/program", "jq: try in '.n | [try tonumber // 0]' is read by jq as '(try A) // B',"
        + " the try taking only the term after it, and by wiz's jq as 'try (A // B)', which gives nothing where A fails;"
        + " write the parentheses jq reads, '(try A) // B', or 'try (A // B) catch empty' for the other", 6)), p);
    assertEquals("jq: try in '[try error(\"x\"), 1]' is read by jq as '(try A), B', the try taking only the term after it,"
        + " and by wiz's jq as 'try (A, B)', which drops B's outputs where A fails; write the parentheses jq reads, '(try A),"
        + " B', or 'try (A, B) catch empty' for the other", Expression.check("[try error(\"x\"), 1]", "/program").get(0).message());
  }

  @Test
  void aTryOfAGroupIsReadAlikeByBothAndPasses() throws Exception {
    // refused as if it were try A // B, whose tree jackson-jq makes the same; jq 1.6 gives [] too
    for (String program : List.of("[try (tonumber // 0)]", "try (false // 3)", "[try (error(\"x\"), 1)] | length",
        "try (.a // .b) | . + 1", "[try ( # why\n tonumber // 0 )]")) {
      assertEquals(List.of(), Expression.check(program, "/program"), program);
    }
    assertEquals("[]", jqOne("[try (tonumber // 0)]", "\"abc\""));
    assertEquals("3", jqOne("try (false // 3)", "null"));
    // a group followed by // or , is still the ambiguous spelling, and the place is the try at fault
    assertEquals(0, Expression.check("try (tonumber) // 0", "/program").get(0).offset());
    assertEquals(17, Expression.check("(try .a) // 1 | [try .b // 2]", "/program").get(0).offset());
  }

  @Test
  void theSpellingsThatSayWhichAreRunAsWritten() throws Exception {
    assertEquals("[0]", jqOne("[(try tonumber) // 0]", "\"abc\""));
    assertEquals("[]", jqOne("[try (tonumber // 0) catch empty]", "\"abc\""));
    assertEquals("[1]", jqOne("[(try error(\"x\")), 1]", "null"));
    assertEquals("[0,1]", jqOne("[.[] | tonumber? // 0]", "[\"a\",\"1\"]"));
    assertEquals("[\"x\"]", jqOne("[try error(\"x\") catch . // 1]", "null"));
    assertEquals("[]", jqOne("[(.a // 1)?]", "1"));
  }
}

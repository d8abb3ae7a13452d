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
  void theSpellingsThatSayWhichAreRunAsWritten() throws Exception {
    assertEquals("[0]", jqOne("[(try tonumber) // 0]", "\"abc\""));
    assertEquals("[]", jqOne("[try (tonumber // 0) catch empty]", "\"abc\""));
    assertEquals("[1]", jqOne("[(try error(\"x\")), 1]", "null"));
    assertEquals("[0,1]", jqOne("[.[] | tonumber? // 0]", "[\"a\",\"1\"]"));
    assertEquals("[\"x\"]", jqOne("[try error(\"x\") catch . // 1]", "null"));
    assertEquals("[]", jqOne("[(.a // 1)?]", "1"));
  }
}

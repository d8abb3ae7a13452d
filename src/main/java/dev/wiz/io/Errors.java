package dev.wiz.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One-line messages from Jackson's exceptions. */
final class Errors {
  private Errors() {}

  /**
   * Jackson's message for a read limit ({@code StreamReadConstraints}): what it measured, the
   * number it measured, and the limit. The number is exact for nesting and numbers, but not for
   * strings and long keys: the parser checks those as its buffer grows, and reports the buffer.
   */
  private static final Pattern LIMIT = Pattern.compile(
      "^(Document nesting depth|Name length|String value length|Number value length|Document length|Token count)"
          + " \\((\\d+)\\) exceeds the maximum allowed \\((\\d+)");

  /** Jackson's reference to its own settings, in any message that has one. */
  private static final Pattern CLASS_REFERENCE = Pattern.compile(",? from `?StreamReadConstraints[.\\w()]*`?");

  /** The message without Jackson's "at [Source: ...]" tail and without line breaks, never cut short. */
  static String message(Exception e) {
    return message(e, "value");
  }

  /**
   * As {@link #message(Exception)}, with {@code field} for the CSV reader: a CSV value is a field,
   * and is a string whatever it holds.
   */
  static String csvMessage(Exception e) {
    return message(e, "field");
  }

  private static String message(Exception e, String value) {
    String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    if (m == null) return e.getClass().getSimpleName();
    m = m.replace("\r", " ").replace("\n", " ").replaceAll("\\s+", " ").strip();
    // Jackson's own place ("at [Source: ...; line: 1, column: 5]") at the end goes; one inside the
    // message (where an unclosed array starts) becomes its line and column.
    m = TAIL.matcher(m).replaceAll("");
    m = SOURCE.matcher(m).replaceAll(r -> "line " + r.group(1) + (r.group(2) != null ? ", column " + r.group(2) : ""));
    if (e instanceof StreamConstraintsException) m = limit(m, value);
    return m;
  }

  private static final Pattern TAIL = Pattern.compile(" at \\[Source: [^\\]]*?; line: \\d+(?:, column: \\d+)?\\]$");
  private static final Pattern SOURCE = Pattern.compile("\\[Source: .*?; line: (\\d+)(?:, column: (\\d+))?\\]");

  /**
   * A read limit in wiz's words: what was too large and the limit ({@code Json.READ_LIMITS}; none
   * of them can be changed in a pipeline), never Jackson's class names nor a length the parser
   * only reached when it gave up.
   */
  private static String limit(String m, String value) {
    Matcher l = LIMIT.matcher(m);
    if (!l.find()) return CLASS_REFERENCE.matcher(m).replaceAll("");
    String found = l.group(2);
    String max = l.group(3);
    switch (l.group(1)) {
      case "Document nesting depth":
        return "a value nested more than " + max + " levels deep: wiz reads at most " + max
            + " levels of arrays and objects";
      case "Name length":
        // Counted in UTF-8 bytes, and only up to where the parser stopped on a long key.
        return "a key longer than the " + max + " bytes wiz reads in one key";
      case "String value length":
        return "a " + ("field".equals(value) ? "field" : "string") + " longer than the " + max
            + " characters wiz reads in one " + value;
      case "Number value length":
        // The digits, exactly: those before and after the point and of the exponent.
        return "a number of " + found + " digits: wiz reads numbers of at most " + max + " digits";
      case "Document length":
        return "an input longer than the " + max + " bytes wiz reads";
      default:
        return "an input of more than the " + max + " tokens wiz reads";
    }
  }
}

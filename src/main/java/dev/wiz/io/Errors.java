package dev.wiz.io;

import com.fasterxml.jackson.core.JsonProcessingException;

/** One-line messages from Jackson's exceptions. */
final class Errors {
  private Errors() {}

  private static final java.util.regex.Pattern LIMIT = java.util.regex.Pattern.compile(
      "(String value|Number value) length \\((\\d+)\\) exceeds the maximum allowed \\((\\d+), from `?StreamReadConstraints[^)]*\\)");

  /** The message without Jackson's "at [Source: ...]" tail and without line breaks. */
  static String message(Exception e) {
    String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    if (m == null) return e.getClass().getSimpleName();
    m = m.replace("\r", " ").replace("\n", " ").replaceAll("\\s+", " ").strip();
    int tail = m.indexOf(" at [Source:");
    if (tail > 0) m = m.substring(0, tail);
    // Jackson's limits name its own classes; say what the limit is instead.
    java.util.regex.Matcher limit = LIMIT.matcher(m);
    if (limit.find()) {
      m = "a " + (limit.group(1).startsWith("String") ? "string" : "number") + " of " + limit.group(2)
          + " characters is longer than the " + limit.group(3) + " wiz reads in one value";
    }
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}

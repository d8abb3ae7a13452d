package dev.wiz.io;

import com.fasterxml.jackson.core.JsonProcessingException;

/** One-line messages from Jackson's exceptions. */
final class Errors {
  private Errors() {}

  /** The message without Jackson's "at [Source: ...]" tail and without line breaks. */
  static String message(Exception e) {
    String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    if (m == null) return e.getClass().getSimpleName();
    m = m.replace("\r", " ").replace("\n", " ").replaceAll("\\s+", " ").strip();
    int tail = m.indexOf(" at [Source:");
    if (tail > 0) m = m.substring(0, tail);
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}

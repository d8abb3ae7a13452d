package dev.wiz.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the state folder that wiz wrote and can no longer read (edited, cut or overwritten by
 * something else): named, with what to do, never a parser's stack trace.
 */
public final class BrokenStateException extends IOException {
  public BrokenStateException(Path file, String what, Exception cause) {
    super(file + ": not a readable " + what + " (" + reason(cause) + "); move it away to start afresh", cause);
  }

  private static String reason(Exception e) {
    String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException
        ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    if (m == null) return e.getClass().getSimpleName();
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}

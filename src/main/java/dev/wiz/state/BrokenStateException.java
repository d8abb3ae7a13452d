package dev.wiz.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the state folder that wiz wrote and can no longer read (edited, cut or overwritten by
 * something else): named, with what to do, never a parser's stack trace or Java's class names.
 */
public final class BrokenStateException extends IOException {
  private final transient Path file;

  public BrokenStateException(Path file, String what, Exception cause) {
    super(file + ": not a readable " + what + " (" + reason(cause) + "); move it away to start afresh", cause);
    this.file = file;
  }

  /** The file that cannot be read. */
  public Path file() {
    return file;
  }

  private static String reason(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JsonParseException) {
      return oneLine(((com.fasterxml.jackson.core.JsonParseException) e).getOriginalMessage());
    }
    if (e instanceof com.fasterxml.jackson.core.JacksonException) {
      return "JSON, but not the fields wiz writes there"; // databind's words name Java classes
    }
    if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null) {
      return ((java.nio.file.FileSystemException) e).getReason();
    }
    return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private static String oneLine(String m) {
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}

package dev.wiz.pipeline;

import java.util.Objects;

/**
 * One problem found in a file, reported like a compiler does:
 * {@code FILE:LINE:COL: /json/pointer: message}. Line and column are 1-based; 0 means unknown.
 */
public record Diagnostic(String file, int line, int column, String pointer, String message)
    implements Comparable<Diagnostic> {

  public Diagnostic {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  public static Diagnostic at(String file, Location at, String pointer, String message) {
    return new Diagnostic(file, at.line(), at.column(), pointer, message);
  }

  /** The one-line form. The pointer part is left out when the problem is about the whole file. */
  public String format() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ");
    if (!pointer.isEmpty()) {
      sb.append(pointer).append(": ");
    }
    return sb.append(message).toString();
  }

  @Override
  public int compareTo(Diagnostic o) {
    int c = Integer.compare(line, o.line);
    if (c == 0) c = Integer.compare(column, o.column);
    if (c == 0) c = pointer.compareTo(o.pointer);
    if (c == 0) c = message.compareTo(o.message);
    return c;
  }

  @Override
  public String toString() {
    return format();
  }
}

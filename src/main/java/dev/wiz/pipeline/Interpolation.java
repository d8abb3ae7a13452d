package dev.wiz.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How one string value of a file differs from the text written there: which parts came from the
 * environment. Diagnostics use it to quote the value as written ({@code ${TOKEN}}), never the
 * value, and to map an offset in the value back to the text.
 *
 * @param value the value after substitution
 * @param written the value as written in the file, before substitution
 * @param pieces the substituted parts, in order
 */
public record Interpolation(String value, String written, List<Piece> pieces) {
  public Interpolation {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(written, "written");
    pieces = List.copyOf(pieces);
  }

  /**
   * One substituted part: {@code value[start, end)} stands for {@code written[writtenStart,
   * writtenEnd)}.
   *
   * @param variable the environment variable whose value it is, or null for text the file holds
   *     (a default, or {@code $${})
   */
  public record Piece(int start, int end, int writtenStart, int writtenEnd, String variable) {}

  /** The offset in the written text of an offset in the value; inside a substitution, its {@code ${}. */
  public int writtenOffset(int offset) {
    int shift = 0;
    for (Piece p : pieces) {
      if (offset < p.start()) break;
      if (offset < p.end()) return p.writtenStart();
      shift = p.writtenEnd() - p.end();
    }
    return Math.max(0, Math.min(written.length(), offset + shift));
  }

  /**
   * The message with every quotation of the value replaced by the text as written, and any other
   * occurrence of a value from the environment by its {@code ${NAME}}. One pass from left to
   * right, longest match first, so nothing replaced is looked at again; a match must not be part of
   * a longer word or number (a value {@code 4} leaves {@code column 14} alone).
   */
  public String redact(String message) {
    record Swap(String from, String to) {}
    List<Swap> swaps = new ArrayList<>();
    swaps.add(new Swap(value, written));
    swaps.add(new Swap(value.strip(), written.strip()));
    for (Piece p : pieces) {
      if (p.variable() != null) {
        swaps.add(new Swap(value.substring(p.start(), p.end()), "${" + p.variable() + "}"));
      }
    }
    swaps.removeIf(s -> s.from().isEmpty() || s.from().equals(s.to()));
    if (swaps.isEmpty()) return message;
    swaps.sort(Comparator.comparingInt((Swap s) -> s.from().length()).reversed());
    StringBuilder out = new StringBuilder(message.length());
    int i = 0;
    scan:
    while (i < message.length()) {
      for (Swap s : swaps) {
        if (message.startsWith(s.from(), i) && isWord(message, i, i + s.from().length())) {
          out.append(s.to());
          i += s.from().length();
          continue scan;
        }
      }
      out.append(message.charAt(i++));
    }
    return out.toString();
  }

  /** Whether {@code message[from, to)} is not part of a longer word or number. */
  private static boolean isWord(String message, int from, int to) {
    boolean before = from > 0 && Character.isLetterOrDigit(message.charAt(from - 1))
        && Character.isLetterOrDigit(message.charAt(from));
    boolean after = to < message.length() && Character.isLetterOrDigit(message.charAt(to))
        && Character.isLetterOrDigit(message.charAt(to - 1));
    return !before && !after;
  }
}

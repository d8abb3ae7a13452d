package dev.wiz.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one string value of a file differs from the text written there: which parts came from the
 * environment. Diagnostics use it to quote the value as written ({@code ${TOKEN}}), never the
 * value, and to map an offset in the value back to the text.
 *
 * @param value the value after substitution
 * @param written the value as written in the file, before substitution
 * @param pieces the substituted parts, in order
 * @param quotedWhole written as exactly one {@code ${...}} in quotes (or with a {@code !!str} tag):
 *     a string whatever it holds, where the same text unquoted would have been typed
 */
public record Interpolation(String value, String written, List<Piece> pieces, boolean quotedWhole) {
  public Interpolation {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(written, "written");
    pieces = List.copyOf(pieces);
  }

  public Interpolation(String value, String written, List<Piece> pieces) {
    this(value, written, pieces, false);
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
    Map<String, String> swaps = new LinkedHashMap<>();
    swaps.put(value, written);
    swaps.putIfAbsent(value.strip(), written.strip());
    variables(swaps);
    return swap(message, swaps);
  }

  /**
   * Adds, for every part that is a variable's value, the value and its {@code ${NAME}}; and the
   * value cut short with {@code ...}, as messages abbreviate long values ({@code "s3cr3t-val...}).
   */
  void variables(Map<String, String> swaps) {
    for (Piece p : pieces) {
      if (p.variable() == null) continue;
      String v = value.substring(p.start(), p.end());
      String name = "${" + p.variable() + "}";
      swaps.putIfAbsent(v, name);
      for (int k = Math.min(4, v.length()); k < v.length() && k < 256; k++) swaps.putIfAbsent(v.substring(0, k) + "...", name);
    }
  }

  /**
   * The message with every occurrence of a key of {@code swaps} replaced by its value. One pass
   * from left to right, longest match first, so nothing replaced is looked at again; a match must
   * not be part of a longer word or number (a value {@code 4} leaves {@code column 14} alone).
   */
  static String swap(String message, Map<String, String> swaps) {
    if (message == null) return null;
    List<Map.Entry<String, String>> list = new ArrayList<>();
    for (Map.Entry<String, String> e : swaps.entrySet()) {
      if (!e.getKey().isEmpty() && !e.getKey().equals(e.getValue())) list.add(e);
    }
    if (list.isEmpty()) return message;
    list.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    StringBuilder out = new StringBuilder(message.length());
    int i = 0;
    scan:
    while (i < message.length()) {
      for (Map.Entry<String, String> s : list) {
        if (message.startsWith(s.getKey(), i) && isWord(message, i, i + s.getKey().length())) {
          out.append(s.getValue());
          i += s.getKey().length();
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

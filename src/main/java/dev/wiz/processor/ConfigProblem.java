package dev.wiz.processor;

/**
 * A problem in a processor's config that its schema cannot see (an expression that does not
 * compile, say).
 *
 * @param pointer JSON pointer relative to the processor's {@code config} ({@code "/where"})
 * @param message what is wrong and, where possible, what to do
 * @param offset 0-based character offset inside the string value where the problem starts, or -1
 */
public record ConfigProblem(String pointer, String message, int offset) {
  public ConfigProblem(String pointer, String message) {
    this(pointer, message, -1);
  }

  /**
   * Where a char offset is in a text, as a message says it: {@code column 21}, or with {@code
   * lines} {@code line 4, column 9}. Lines end at LF, CR LF or CR; columns count code points, as
   * a diagnostic's do.
   */
  public static String position(String text, int offset, boolean lines) {
    int end = Math.max(0, Math.min(offset, text.length()));
    int[] at = lineOf(text, end);
    int column = text.codePointCount(at[1], end) + 1;
    return lines ? "line " + at[0] + ", column " + column : "column " + column;
  }

  /** The line (from 1) that holds the char offset, and the offset where it starts. */
  private static int[] lineOf(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        lineStart = i + 1;
      }
    }
    return new int[] {line, lineStart};
  }

  /**
   * What Java says is wrong with a regular expression, where it says it in its own terms: a
   * pattern ending in a single backslash is "Unexpected internal error" to it.
   */
  public static String regexDescription(String regex, java.util.regex.PatternSyntaxException e) {
    if (trailingBackslash(regex, e)) return "a backslash at the end escapes nothing (write \\\\ to match a backslash)";
    return e.getDescription();
  }

  /** Where in a regular expression its error is (Java puts a trailing backslash's one past the end). */
  public static int regexIndex(String regex, java.util.regex.PatternSyntaxException e) {
    return trailingBackslash(regex, e) ? regex.length() - 1 : e.getIndex();
  }

  private static boolean trailingBackslash(String regex, java.util.regex.PatternSyntaxException e) {
    int backslashes = 0;
    for (int i = regex.length() - 1; i >= 0 && regex.charAt(i) == '\\'; i--) backslashes++;
    return backslashes % 2 == 1 && "Unexpected internal error".equals(e.getDescription());
  }

  /** Whether a text has more than one line (a line break that ends it does not start another). */
  public static boolean hasLines(String text) {
    String t = text.stripTrailing();
    return t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0;
  }

  /**
   * The text quoted for a one-line message: all of it when it is one line; else the line that
   * holds the offset, named ({@code line 3 of the program, 'b: .b +* 2'}), or, with no offset,
   * all of it with its line breaks made spaces.
   */
  public static String quote(String text, int offset, String what) {
    if (!hasLines(text)) return "'" + text.strip() + "'";
    if (offset < 0 || offset > text.length()) return "'" + text.strip().replaceAll("\\s*\\R\\s*", " ") + "'";
    int[] at = lineOf(text, offset);
    int start = at[1];
    int end = start;
    while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') end++;
    return "line " + at[0] + " of the " + what + ", '" + text.substring(start, end).strip() + "'";
  }
}

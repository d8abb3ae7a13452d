package dev.wiz.io;

/**
 * One input record that could not be decoded.
 *
 * @param origin the file as the user named it, or {@code stdin}
 * @param line 1-based line where the record starts (0 when the format has no lines)
 * @param column 1-based column on that line where the problem is, or 0 when none is named
 * @param message what is wrong, without a stack trace
 * @param raw the undecodable text, cut to a bounded length
 */
public record RecordError(String origin, long line, int column, String message, String raw) {
  public static final int MAX_RAW = 1024;

  public RecordError {
    if (raw != null && raw.length() > MAX_RAW) {
      raw = raw.substring(0, MAX_RAW) + "...";
    }
  }

  /** An error named by its line alone. */
  public RecordError(String origin, long line, String message, String raw) {
    this(origin, line, 0, message, raw);
  }

  /** {@code origin:line}, or {@code origin:line:column} when the column is known, as a compiler names a place. */
  public String place() {
    return origin + ":" + line + (column > 0 ? ":" + column : "");
  }
}

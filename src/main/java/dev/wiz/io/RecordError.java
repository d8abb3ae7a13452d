package dev.wiz.io;

/**
 * One input record that could not be decoded.
 *
 * @param origin the file as the user named it, or {@code stdin}
 * @param line 1-based line where the record starts (0 when the format has no lines)
 * @param message what is wrong, without a stack trace
 * @param raw the undecodable text, cut to a bounded length
 */
public record RecordError(String origin, long line, String message, String raw) {
  public static final int MAX_RAW = 1024;

  public RecordError {
    if (raw != null && raw.length() > MAX_RAW) {
      raw = raw.substring(0, MAX_RAW) + "...";
    }
  }
}

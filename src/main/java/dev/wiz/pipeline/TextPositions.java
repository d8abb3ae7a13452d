package dev.wiz.pipeline;

import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.ScalarStyle;

/**
 * Where each character of one string value was written in the file, so a problem at an offset
 * inside the value (a jq syntax error, say) is reported at the very line and column. Any style:
 * plain, quoted with escapes, literal or folded, on one line or many. Worked out from the text
 * between the scalar's start and end the first time it is asked for, and only used when that text
 * reproduces the value exactly ({@link ScalarAligner}); else nothing is exact and callers fall
 * back to where the value starts.
 */
public final class TextPositions {
  private static final int[] UNKNOWN = new int[0];

  private final String text;
  private final int from;
  private final int to;
  private final Location start;
  private final ScalarStyle style;
  private final String written;
  private volatile int[] sources;

  /**
   * @param text the whole file
   * @param from the char index in it where the node starts
   * @param to the char index where the scalar ends
   * @param start the line and column of {@code from}
   * @param style how the scalar is written
   * @param written its value as written, before interpolation
   */
  TextPositions(String text, int from, int to, Location start, ScalarStyle style, String written) {
    this.text = Objects.requireNonNull(text, "text");
    this.start = Objects.requireNonNull(start, "start");
    this.style = Objects.requireNonNull(style, "style");
    this.written = Objects.requireNonNull(written, "written");
    if (from < 0 || to < from || to > text.length()) {
      throw new IllegalArgumentException("bad range " + from + ".." + to);
    }
    this.from = from;
    this.to = to;
  }

  /**
   * Where the char at an offset of the value as written is (columns count code points); at the
   * value's length, just after its last character. Empty when the offset is out of range or the
   * text does not reproduce the value.
   */
  public Optional<Location> locate(int offset) {
    int[] s = sources();
    if (offset < 0 || offset >= s.length) {
      return Optional.empty();
    }
    return Optional.of(locationOf(s[offset]));
  }

  /** Whether offsets inside the value map to exact positions. */
  public boolean exact() {
    return sources().length > 0;
  }

  private int[] sources() {
    int[] s = sources;
    if (s == null) {
      s = ScalarAligner.align(text, from, to, style, written);
      sources = s.length == 0 ? UNKNOWN : s;
    }
    return s;
  }

  /** The position of a char index at or after from, counting lines and columns as snakeyaml does. */
  private Location locationOf(int index) {
    int line = start.line();
    int column = start.column();
    for (int i = from; i < index; i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(c) && c != '\uFEFF') {
        column++;
      }
    }
    return new Location(line, column);
  }
}

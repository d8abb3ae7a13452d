package dev.wiz.pipeline;

/** A 1-based line and column in a text file. */
public record Location(int line, int column) {
  public static final Location UNKNOWN = new Location(0, 0);

  public Location {
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("negative position " + line + ":" + column);
    }
  }

  public boolean known() {
    return line > 0;
  }
}

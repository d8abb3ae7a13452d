package dev.wiz;

import java.util.regex.Pattern;

/** Words for the commands wiz suggests, written so that pasting them into a POSIX shell works. */
public final class Shell {
  /** The characters no POSIX shell treats specially anywhere in a word. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@%+=:,-]+");

  private Shell() {}

  /**
   * The word as it is when the shell would take it as one word unchanged; otherwise in single
   * quotes, each {@code '} written {@code '\''}, as git and the shells' own {@code printf %q}-like
   * quoting do. The empty word is {@code ''}.
   */
  public static String quote(String word) {
    if (PLAIN.matcher(word).matches()) return word;
    return "'" + word.replace("'", "'\\''") + "'";
  }
}

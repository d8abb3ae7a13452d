package dev.wiz.schema;

/**
 * Text from the file as a message quotes it, with the characters that cannot be seen written out:
 * a zero-width space, a byte order mark, a no-break space or a control character pasted into a key
 * or a value would otherwise make {@code unknown key 'workers' (did you mean 'workers'?)}.
 */
final class Visible {
  private Visible() {}

  static String of(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int n = Character.charCount(c);
      if (invisible(c)) {
        if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        sb.append(c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.format("\\u%04X", c));
      } else if (sb != null) {
        sb.appendCodePoint(c);
      }
      i += n;
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean invisible(int c) {
    if (c == ' ') return false;
    switch (Character.getType(c)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return true;
      default:
        return false;
    }
  }
}

package dev.wiz.processors;

/**
 * Finds where a name is used in the text of a jq program, for a problem's position: code only,
 * not inside string literals (but inside their {@code \(...)} interpolations) or comments.
 */
final class JqText {
  private JqText() {}

  /** The offset of the first {@code $name} in code, or -1. */
  static int variableOffset(String program, String name) {
    return find(program, name, true);
  }

  /** The offset of the first use of {@code name} as a function in code, or -1. */
  static int functionOffset(String program, String name) {
    return find(program, name, false);
  }

  private static int find(String program, String name, boolean variable) {
    int n = program.length();
    int interpolations = 0; // how many \( ... ) we are inside
    int[] depth = new int[8]; // open parentheses inside each of them
    boolean string = false;
    int i = 0;
    while (i < n) {
      char c = program.charAt(i);
      if (string) {
        if (c == '\\' && i + 1 < n && program.charAt(i + 1) == '(') {
          if (interpolations == depth.length) depth = java.util.Arrays.copyOf(depth, depth.length * 2);
          depth[interpolations++] = 0;
          string = false;
          i += 2;
        } else if (c == '\\') {
          i += 2;
        } else {
          if (c == '"') string = false;
          i++;
        }
        continue;
      }
      if (c == '#') {
        while (i < n && program.charAt(i) != '\n') i++;
      } else if (c == '"') {
        string = true;
        i++;
      } else if (c == '(') {
        if (interpolations > 0) depth[interpolations - 1]++;
        i++;
      } else if (c == ')') {
        if (interpolations > 0 && depth[interpolations - 1]-- == 0) {
          interpolations--;
          string = true;
        }
        i++;
      } else if (isStart(c)) {
        int end = i;
        while (end < n && isPart(program.charAt(end))) end++;
        if (program.startsWith(name, i) && end == i + name.length() && !variable && isCall(program, i, end)) {
          return i;
        }
        i = end;
      } else if (c == '$') {
        int at = i++;
        while (i < n && program.charAt(i) == ' ') i++;
        int end = i;
        while (end < n && isPart(program.charAt(end))) end++;
        if (variable && end == i + name.length() && program.startsWith(name, i)
            && !program.startsWith("::", end)) {
          return at;
        }
        i = Math.max(end, i);
      } else if (c == '.' || c == '@') {
        // .name is a field and @name a format, neither a call: skip the word that follows
        i++;
        while (i < n && isPart(program.charAt(i))) i++;
      } else {
        i++;
      }
    }
    return -1;
  }

  /** A word is a call unless it is an object key ({@code {name: ...}}, {@code {name}}) or follows {@code def}. */
  private static boolean isCall(String program, int start, int end) {
    int after = end;
    while (after < program.length() && Character.isWhitespace(program.charAt(after))) after++;
    if (after < program.length() && program.charAt(after) == ':' && !program.startsWith("::", after)) {
      return false;
    }
    int before = start - 1;
    while (before >= 0 && Character.isWhitespace(program.charAt(before))) before--;
    return !(before >= 2 && program.startsWith("def", before - 2));
  }

  private static boolean isStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isPart(char c) {
    return isStart(c) || (c >= '0' && c <= '9');
  }
}

package dev.wiz.pipeline;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YAML syntax errors people make most with jq programs and indentation, said in words with the
 * fix, instead of the parser's ({@code <block end>}, "mapping values are not allowed here"). Each
 * reads the line the parser stopped on; an error it does not know keeps the parser's words.
 */
final class YamlWords {
  private YamlWords() {}

  /** A block-style {@code key: value} line: indentation and list dashes, the key, the value. */
  private static final Pattern KEY_LINE =
      Pattern.compile("^(\\s*(?:-\\s+)*)([A-Za-z0-9_$.-][^:#'\"{}\\[\\],]*?):[ \\t]+(\\S.*?)\\s*$");
  private static final Pattern COMMENT = Pattern.compile("\\s+#");
  private static final Pattern CANNOT_START = Pattern.compile("found character '(.)' that cannot start any token.*");

  /**
   * Wiz's words for a parser error, or empty to keep the parser's.
   *
   * @param problem the parser's problem ("mapping values are not allowed here")
   * @param text the whole file
   * @param line the 0-based line the parser stopped on
   * @param column the 0-based column (code points) it stopped at
   */
  static Optional<String> of(String problem, String text, int line, int column) {
    String[] lines = text.split("\r?\n|\r", -1);
    if (line < 0 || line >= lines.length) return Optional.empty();
    String at = lines[line];
    if (problem.contains("\\t(TAB)")) {
      return Optional.of("a tab where YAML reads indentation: YAML indents with spaces only; replace the tab with spaces,"
          + " as many as the lines this one belongs with");
    }
    if (problem.startsWith("found undefined alias ")) {
      String name = problem.substring("found undefined alias ".length());
      return Optional.of("no anchor &" + name + " comes before this alias *" + name + ": put &" + name
          + " on the value to repeat, above this line (anchors are not shared between files)");
    }
    Matcher cannotStart = CANNOT_START.matcher(problem);
    if (cannotStart.matches()) {
      String c = cannotStart.group(1);
      return Optional.of("a plain (unquoted) YAML value cannot start with '" + c + "', which YAML reserves: quote the value"
          + example(at, column, " (single quotes suit jq programs): "));
    }
    if (problem.equals("mapping values are not allowed here")) {
      Matcher key = KEY_LINE.matcher(at);
      if (key.matches() && key.start(3) <= index(at, column)) {
        return Optional.of("': ' inside an unquoted value starts a mapping, which YAML does not allow here: quote the value"
            + example(at, column, " (single quotes suit jq programs): "));
      }
      int indent = indent(at);
      int above = keyAbove(lines, line, indent);
      if (above >= 0) {
        return Optional.of("this line is indented by " + spaces(indent) + ", deeper than the key on line " + (above + 1)
            + " (" + spaces(keyIndent(lines[above])) + "), so YAML reads it as more of that key's unquoted value, where ': '"
            + " cannot be: indent it as its sibling keys, or quote the value if the ': ' belongs to it");
      }
      return Optional.empty();
    }
    if (problem.startsWith("found unknown escape character")) {
      int i = index(at, column);
      String escape = i > 0 && i < at.length() ? "'\\" + at.charAt(i) + "'" : "this backslash";
      return Optional.of(escape + " is no escape in a double-quoted YAML string: use single quotes for jq programs"
          + " (a backslash is itself there, and a jq string keeps its double quotes inside them: '\"user \\(.user)\"'),"
          + " or write \\\\ for a backslash");
    }
    if (problem.startsWith("expected <block end>, but found")) {
      // More text after a quoted value that ended early: a ' inside single quotes, or a value that
      // starts with a quoted string ("x" + .a). Not a matter of indentation.
      Matcher key = KEY_LINE.matcher(at);
      if (key.matches() && index(at, column) > key.start(3) && (key.group(3).startsWith("'") || key.group(3).startsWith("\""))) {
        String value = key.group(3);
        boolean single = value.startsWith("'");
        String inner = single && value.endsWith("'") && value.length() > 1 ? value.substring(1, value.length() - 1) : value;
        return Optional.of("the quoted value ends before column " + (column + 1) + " and more text follows it: "
            + (single ? "inside single quotes a ' is written '' " : "a value that starts with a quoted string is quoted as a whole ")
            + "(single quotes suit jq programs): " + key.group(2) + ": '" + inner.replace("'", "''") + "'");
      }
      int indent = indent(at);
      for (int l = line - 1; l >= 0; l--) {
        if (blank(lines[l])) continue;
        int siblings = keyIndent(lines[l]);
        if (siblings == indent) break;
        return Optional.of("this line is indented by " + spaces(indent) + ", the line above it (" + (l + 1) + ") by "
            + spaces(siblings) + ": keys of one mapping, and items of one list, line up (YAML reads the structure from"
            + " indentation); indent it as the ones it belongs with");
      }
      return Optional.of("this line does not fit the structure above it: check its indentation (" + spaces(indent)
          + ") against the lines it belongs with");
    }
    return Optional.empty();
  }

  /**
   * A space that YAML does not take for one (a no-break space, an ideographic or zero-width space,
   * a byte order mark: what a web page, a chat or a word processor puts in text copied from it) in
   * the indentation of the line the parser stopped on or of the two lines above it, or just after a
   * key's ':' or a list's '-' there: what the parser says then (a key not found, a line indented
   * wrongly) is about what it made of that character.
   *
   * @param line the 0-based line the parser stopped on
   */
  static Optional<OpenQuote.Located> oddSpace(String text, int line) {
    String[] lines = text.split("\r?\n|\r", -1);
    int seen = 0;
    for (int l = Math.min(line, lines.length - 1); l >= 0 && seen < 3; l--) {
      String at = lines[l];
      if (at.isBlank() && at.chars().noneMatch(YamlWords::isOddSpace)) continue;
      seen++;
      for (int i = 0; i < at.length(); i++) {
        char c = at.charAt(i);
        boolean separator = i == 0 || at.charAt(i - 1) == ' ' || at.charAt(i - 1) == ':' || at.charAt(i - 1) == '-'
            || isOddSpace(at.charAt(i - 1));
        if (isOddSpace(c) && separator && (indentation(at, i) || at.charAt(i == 0 ? 0 : i - 1) == ':'
            || at.charAt(i == 0 ? 0 : i - 1) == '-')) {
          return Optional.of(new OpenQuote.Located(new Location(l + 1, at.codePointCount(0, i) + 1),
              String.format("a %s (U+%04X) here, which YAML does not read as a space (text copied from a web page or a"
                  + " document may hold one): replace it with a plain space", spaceName(c), (int) c)));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean indentation(String line, int i) {
    for (int k = 0; k < i; k++) {
      char c = line.charAt(k);
      if (c != ' ' && c != '-' && !isOddSpace(c)) return false;
    }
    return true;
  }

  private static boolean isOddSpace(int c) {
    return c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
  }

  private static String spaceName(char c) {
    return c == 0xA0 ? "no-break space" : c == 0x200B ? "zero-width space" : c == 0xFEFF ? "byte order mark" : "Unicode space";
  }

  /**
   * The line's {@code key: value} with the value in single quotes, after {@code lead}, when the
   * line is one key and a plain value that holds the column; else nothing.
   */
  private static String example(String line, int column, String lead) {
    Matcher key = KEY_LINE.matcher(line);
    if (!key.matches() || key.start(3) > index(line, column)) return "";
    String value = key.group(3);
    if (value.startsWith("{") || value.startsWith("[") || value.startsWith("'") || value.startsWith("\"")) return "";
    Matcher comment = COMMENT.matcher(value); // a comment after the value is none of it, as YAML reads it
    if (comment.find()) value = value.substring(0, comment.start());
    return lead + key.group(2) + ": '" + value.replace("'", "''") + "'";
  }

  /** The char index of a code-point column (the line's length past its end). */
  private static int index(String line, int column) {
    return column <= line.codePointCount(0, line.length()) ? line.offsetByCodePoints(0, column) : line.length();
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') i++;
    return i;
  }

  /** Where a line's key starts: after its indentation and any list dashes. */
  private static int keyIndent(String line) {
    int i = indent(line);
    while (i + 1 < line.length() && line.charAt(i) == '-' && (line.charAt(i + 1) == ' ' || line.charAt(i + 1) == '\t')) {
      i += 2;
      while (i < line.length() && line.charAt(i) == ' ') i++;
    }
    return i;
  }

  private static boolean blank(String line) {
    String t = line.strip();
    return t.isEmpty() || t.startsWith("#");
  }

  /** The nearest line above with a key indented less than {@code indent}, or -1. */
  private static int keyAbove(String[] lines, int line, int indent) {
    for (int l = line - 1; l >= 0; l--) {
      if (blank(lines[l])) continue;
      return keyIndent(lines[l]) < indent ? l : -1;
    }
    return -1;
  }

  private static String spaces(int n) {
    return n == 1 ? "1 space" : n + " spaces";
  }
}

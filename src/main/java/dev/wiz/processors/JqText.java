package dev.wiz.processors;

import java.io.StringReader;
import net.thisptr.jackson.jq.internal.javacc.ExpressionParserConstants;
import net.thisptr.jackson.jq.internal.javacc.ExpressionParserTokenManager;
import net.thisptr.jackson.jq.internal.javacc.SimpleCharStream;
import net.thisptr.jackson.jq.internal.javacc.Token;

/**
 * Finds where a name or statement is in the text of a jq program, for a problem's position: code
 * only, not inside string literals (but inside their {@code \(...)} interpolations) or comments.
 * {@link JqNames#offset} finds a free name exactly; the first use of a name found here is where a
 * problem points when that cannot.
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

  /**
   * The offset of the {@code import} or {@code include} keyword of the program's statement number
   * {@code index} (from 0), or -1. Read with jackson-jq's own lexer, so strings and comments are
   * what its parser saw; the statements are the keywords outside any bracket (an object key
   * {@code import} is inside braces).
   */
  static int importOffset(String program, int index) {
    // tabs as spaces: the lexer counts a tab as up to 8 columns, and a tab is never in a string
    SimpleCharStream chars = new SimpleCharStream(new StringReader(program.replace('\t', ' ')));
    chars.setTabSize(1);
    ExpressionParserTokenManager lexer = new ExpressionParserTokenManager(chars);
    int depth = 0;
    int seen = 0;
    try {
      for (Token t = lexer.getNextToken(); t.kind != ExpressionParserConstants.EOF; t = lexer.getNextToken()) {
        switch (t.kind) {
          case ExpressionParserConstants.OPEN_PAR:
          case ExpressionParserConstants.OPEN_BRACKET:
          case ExpressionParserConstants.OPEN_BRACE:
          case ExpressionParserConstants.OPEN_INTERP:
            depth++;
            break;
          case ExpressionParserConstants.CLOSE_PAR:
          case ExpressionParserConstants.CLOSE_BRACKET:
          case ExpressionParserConstants.CLOSE_BRACE:
            depth--;
            break;
          case ExpressionParserConstants.KEYWORD_IMPORT:
          case ExpressionParserConstants.KEYWORD_INCLUDE:
            if (depth == 0 && seen++ == index) return JqSupport.offsetOf(program, t.beginLine, t.beginColumn);
            break;
          default:
            break;
        }
      }
    } catch (RuntimeException | Error e) {
      return -1; // the lexer's TokenMgrError: not for a program that compiled
    }
    return -1;
  }

  /**
   * The offset of the first {@code try} that jq and jackson-jq may read differently when it has no
   * {@code catch} (see {@code JqSupport.tryBody}), or -1 when there is none: one followed, at its
   * own depth and before what ends its body (a closing bracket, {@code catch}, {@code |}, {@code ;},
   * {@code then}, {@code elif}, {@code else}, {@code end}), by {@code //} or {@code ,}. So
   * {@code try (A // B)}, {@code (try A) // B} and {@code try A catch B // C} are not, which both
   * read alike. Read with jackson-jq's own lexer.
   */
  static int ambiguousTryOffset(String program) {
    SimpleCharStream chars = new SimpleCharStream(new StringReader(program.replace('\t', ' ')));
    chars.setTabSize(1);
    ExpressionParserTokenManager lexer = new ExpressionParserTokenManager(chars);
    java.util.List<Token> tokens = new java.util.ArrayList<>();
    try {
      for (Token t = lexer.getNextToken(); t.kind != ExpressionParserConstants.EOF; t = lexer.getNextToken()) {
        if (t.kind != ExpressionParserConstants.SPACES && t.kind != ExpressionParserConstants.COMMENT) tokens.add(t);
      }
    } catch (RuntimeException | Error e) {
      return functionOffset(program, "try"); // the lexer's TokenMgrError: not for a program that compiled
    }
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).kind == ExpressionParserConstants.KEYWORD_TRY && alternativeAfter(tokens, i + 1)) {
        Token t = tokens.get(i);
        return JqSupport.offsetOf(program, t.beginLine, t.beginColumn);
      }
    }
    return -1;
  }

  /** Whether a {@code //} or {@code ,} comes at the depth of {@code from} before what ends a try's body. */
  private static boolean alternativeAfter(java.util.List<Token> tokens, int from) {
    int depth = 0;
    for (int k = from; k < tokens.size(); k++) {
      switch (tokens.get(k).kind) {
        case ExpressionParserConstants.OPEN_PAR:
        case ExpressionParserConstants.OPEN_BRACKET:
        case ExpressionParserConstants.OPEN_BRACE:
        case ExpressionParserConstants.OPEN_INTERP:
          depth++;
          break;
        case ExpressionParserConstants.CLOSE_PAR:
        case ExpressionParserConstants.CLOSE_BRACKET:
        case ExpressionParserConstants.CLOSE_BRACE:
          if (--depth < 0) return false;
          break;
        case ExpressionParserConstants.OP_DEFAULT:
        case ExpressionParserConstants.COMMA:
          if (depth == 0) return true;
          break;
        case ExpressionParserConstants.KEYWORD_CATCH:
        case ExpressionParserConstants.PIPE:
        case ExpressionParserConstants.SEMICOLON:
        case ExpressionParserConstants.KEYWORD_THEN:
        case ExpressionParserConstants.KEYWORD_ELIF:
        case ExpressionParserConstants.KEYWORD_ELSE:
        case ExpressionParserConstants.KEYWORD_END:
          if (depth == 0) return false;
          break;
        default:
          break;
      }
    }
    return false;
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

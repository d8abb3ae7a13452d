package dev.wiz.pipeline;

import java.util.Arrays;
import org.snakeyaml.engine.v2.common.CharConstants;
import org.snakeyaml.engine.v2.common.ScalarStyle;

/**
 * Aligns a scalar's value with the text it was read from: for every char of the value, the index
 * in the file's text of what produced it (the character itself, the {@code \} of an escape, the
 * first {@code '} of {@code ''}, the line break that folded into a space). It reads the text the
 * way snakeyaml-engine's scanner does, style by style, and checks its work as it goes: the chars
 * it produces must be the value's, one by one, and it must end where the scalar ends. When they
 * are not, there is no alignment, never a guessed one.
 *
 * <p>One instance per scalar.
 */
final class ScalarAligner {
  private final String text;
  private final String value;
  private final int[] sources;
  private int count;
  private int after = -1;
  private boolean failed;
  private int pos;
  private int column; // in a block scalar, after blockBreaks: the spaces it took on pos's line
  private int[] breaks = new int[4];
  private int breakCount;

  private ScalarAligner(String text, String value) {
    this.text = text;
    this.value = value;
    this.sources = new int[value.length() + 1];
  }

  /**
   * The index in the text of each char of the value, and last, where the value ends (just after
   * what produced its last char, or that line break itself); empty when the value is empty or the
   * text does not reproduce it.
   *
   * @param text the whole file
   * @param from where the node starts in it (its anchor or tag, if written, else the scalar)
   * @param to where the scalar ends in it
   * @param style how the scalar is written
   * @param value the scalar's value as snakeyaml read it
   */
  static int[] align(String text, int from, int to, ScalarStyle style, String value) {
    if (value.isEmpty() || from < 0 || to > text.length() || from >= to) {
      return new int[0];
    }
    ScalarAligner a = new ScalarAligner(text, value);
    int start = a.skipProperties(from, to);
    if (start == to) {
      return new int[0];
    }
    switch (style) {
      case PLAIN -> a.plain(start, to);
      case SINGLE_QUOTED -> a.quoted(start, to, false);
      case DOUBLE_QUOTED -> a.quoted(start, to, true);
      case LITERAL -> a.block(start, to, false);
      case FOLDED -> a.block(start, to, true);
      default -> a.failed = true;
    }
    if (a.failed || a.count != value.length()) {
      return new int[0];
    }
    a.sources[a.count] = a.after;
    return a.sources;
  }

  /** Past an anchor ({@code &a}) and a tag ({@code !!str}) written before the scalar. */
  private int skipProperties(int from, int to) {
    int i = from;
    while (i < to && (text.charAt(i) == '&' || text.charAt(i) == '!')) {
      while (i < to && !isBlank(text.charAt(i)) && !isBreak(text.charAt(i))) {
        i++;
      }
      while (i < to && (isBlank(text.charAt(i)) || isBreak(text.charAt(i)))) {
        i++;
      }
    }
    return i;
  }

  /** A plain scalar: its characters, with blanks around a line break folded as in a flow scalar. */
  private void plain(int from, int to) {
    pos = from;
    while (!failed && pos < to) {
      char c = text.charAt(pos);
      if (isBlank(c) || isBreak(c)) {
        blanks(to, false);
      } else {
        emit(c, pos, ++pos);
      }
    }
    if (pos != to) {
      failed = true;
    }
  }

  /** A quoted scalar: snakeyaml's scanFlowScalar, its escapes, and its line folding. */
  private void quoted(int from, int to, boolean doubled) {
    char quote = doubled ? '"' : '\'';
    if (text.charAt(from) != quote) {
      failed = true;
      return;
    }
    pos = from + 1;
    nonBlanks(to, doubled);
    while (!failed && pos < to && text.charAt(pos) != quote) {
      int before = pos;
      blanks(to, true);
      nonBlanks(to, doubled);
      if (pos == before) { // nothing the scanner would take: a lone backslash before the end
        failed = true;
      }
    }
    if (pos + 1 != to) {
      failed = true;
    }
  }

  private void nonBlanks(int to, boolean doubled) {
    while (!failed && pos < to) {
      char c = text.charAt(pos);
      if (!isBlank(c) && !isBreak(c) && c != '\'' && c != '"' && c != '\\') {
        emit(c, pos, ++pos);
      } else if (!doubled && c == '\'' && pos + 1 < to && text.charAt(pos + 1) == '\'') {
        emit('\'', pos, pos += 2);
      } else if (doubled ? c == '\'' : c == '"' || c == '\\') {
        emit(c, pos, ++pos);
      } else if (doubled && c == '\\' && pos + 1 < to) {
        escape(to);
      } else {
        return;
      }
    }
  }

  /** An escape in a double-quoted scalar, at its backslash. */
  private void escape(int to) {
    int at = pos;
    char e = text.charAt(pos + 1);
    String replacement = CharConstants.ESCAPE_REPLACEMENTS.get(e);
    Integer digits = CharConstants.ESCAPE_CODES.get(e);
    if (replacement != null) {
      pos += 2;
      for (int i = 0; i < replacement.length(); i++) {
        emit(replacement.charAt(i), at, pos);
      }
    } else if (digits != null && pos + 2 + digits <= to) {
      int code = hex(pos + 2, pos + 2 + digits);
      if (code < 0 || !Character.isValidCodePoint(code)) {
        failed = true;
        return;
      }
      pos += 2 + digits;
      for (char c : Character.toChars(code)) {
        emit(c, at, pos);
      }
    } else if (isBreak(e)) {
      pos = afterBreak(pos + 1, to);
      lineBreaks(to, true);
      emitBreaks();
    } else {
      failed = true;
    }
  }

  /**
   * Blanks, then maybe line breaks, in a flow or plain scalar: blanks that end a line go, the
   * break becomes a space unless blank lines follow, whose breaks stay; blanks inside a line stay.
   */
  private void blanks(int to, boolean quoted) {
    int start = pos;
    while (pos < to && isBlank(text.charAt(pos))) {
      pos++;
    }
    if (pos < to && isBreak(text.charAt(pos))) {
      int first = pos;
      pos = afterBreak(pos, to);
      lineBreaks(to, quoted);
      if (breakCount == 0) {
        emit(' ', first, first);
      } else {
        emitBreaks();
      }
    } else if (pos == to) {
      failed = true;
    } else {
      for (int i = start; i < pos; i++) {
        emit(text.charAt(i), i, i + 1);
      }
    }
  }

  /** The line breaks after a folded one, skipping the indentation (spaces, and in quotes tabs). */
  private void lineBreaks(int to, boolean tabsToo) {
    breakCount = 0;
    while (pos < to) {
      char c = text.charAt(pos);
      if (c == ' ' || (tabsToo && c == '\t')) {
        pos++;
      } else if (isBreak(c)) {
        addBreak(pos);
        pos = afterBreak(pos, to);
      } else {
        return;
      }
    }
  }

  /**
   * A literal or folded block scalar: snakeyaml's scanBlockScalar. The indentation is that of its
   * first line of content less the spaces its value starts with (an indentation indicator lets
   * content start with spaces); it must take the scanner to the scalar's end.
   */
  private void block(int from, int to, boolean folded) {
    int end = text.length();
    char indicator = text.charAt(from);
    if (indicator != (folded ? '>' : '|')) {
      failed = true;
      return;
    }
    char chomping = 'c';
    int i = from + 1;
    while (i < end && "+-123456789".indexOf(text.charAt(i)) >= 0) {
      char c = text.charAt(i++);
      if (c == '+' || c == '-') {
        chomping = c;
      }
    }
    i = lineEnd(i, end);
    if (i == end) {
      failed = true;
      return;
    }
    pos = afterBreak(i, end);
    int indent = blockIndent(end);
    if (indent < 1) {
      failed = true;
      return;
    }
    int endMark = blockBreaks(indent, end);
    int lineBreak = -1;
    while (!failed && pos < end && column == indent) {
      emitBreaks();
      boolean leadingNonBlank = !isBlank(text.charAt(pos));
      while (pos < end && !isBreak(text.charAt(pos))) {
        emit(text.charAt(pos), pos, ++pos);
      }
      lineBreak = pos < end ? pos : -1;
      if (lineBreak >= 0) {
        pos = afterBreak(pos, end);
      }
      endMark = blockBreaks(indent, end);
      if (pos >= end || column != indent || lineBreak < 0) {
        break;
      }
      if (folded && leadingNonBlank && !isBlank(text.charAt(pos))) {
        if (breakCount == 0) {
          emit(' ', lineBreak, lineBreak);
        }
      } else {
        emit('\n', lineBreak, lineBreak);
      }
    }
    if (chomping != '-' && lineBreak >= 0) {
      emit('\n', lineBreak, lineBreak);
    }
    if (chomping == '+') {
      emitBreaks();
    }
    if (endMark != to) {
      failed = true;
    }
  }

  /**
   * The block's indentation: the value's first line of content is the text's line after as many
   * lines as the value starts with line breaks; the spaces it starts with are the spaces of that
   * line less the indentation. The scanner's own is not known here (an indentation indicator
   * counts from the parent's), and the check of the whole value makes up for that.
   */
  private int blockIndent(int end) {
    int lines = 0;
    while (lines < value.length() && value.charAt(lines) == '\n') {
      lines++;
    }
    if (lines == value.length()) {
      return end; // empty lines only: any indentation past their spaces reads them so
    }
    int line = pos;
    for (int l = 0; l < lines; l++) {
      int e = lineEnd(line, end);
      if (e == end) {
        return -1;
      }
      line = afterBreak(e, end);
    }
    int written = 0;
    while (line + written < end && text.charAt(line + written) == ' ') {
      written++;
    }
    int kept = 0;
    while (lines + kept < value.length() && value.charAt(lines + kept) == ' ') {
      kept++;
    }
    return written - kept;
  }

  /**
   * Up to the indentation's spaces, then any empty lines, each with up to that many spaces, as
   * snakeyaml's scanBlockScalarBreaks: their breaks, and where the last one ends (the scalar's
   * end, if nothing follows). Called at the start of a line, it leaves the column there.
   */
  private int blockBreaks(int indent, int end) {
    breakCount = 0;
    int endMark = pos;
    column = 0;
    while (column < indent && pos < end && text.charAt(pos) == ' ') {
      pos++;
      column++;
    }
    while (pos < end && isBreak(text.charAt(pos))) {
      addBreak(pos);
      pos = afterBreak(pos, end);
      endMark = pos;
      column = 0;
      while (column < indent && pos < end && text.charAt(pos) == ' ') {
        pos++;
        column++;
      }
    }
    return endMark;
  }

  private int lineEnd(int from, int end) {
    int i = from;
    while (i < end && !isBreak(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private int afterBreak(int at, int end) {
    return text.charAt(at) == '\r' && at + 1 < end && text.charAt(at + 1) == '\n' ? at + 2 : at + 1;
  }

  private int hex(int from, int to) {
    int code = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(text.charAt(i), 16);
      if (d < 0 || code > 0x10FFFF) {
        return -1;
      }
      code = code * 16 + d;
    }
    return code;
  }

  private void addBreak(int at) {
    if (breakCount == breaks.length) {
      breaks = Arrays.copyOf(breaks, breakCount * 2);
    }
    breaks[breakCount++] = at;
  }

  private void emitBreaks() {
    for (int i = 0; i < breakCount; i++) {
      emit('\n', breaks[i], breaks[i]);
    }
    breakCount = 0;
  }

  /** The next char of the value, made by the text from source to end, if it is the value's. */
  private void emit(char c, int source, int end) {
    if (failed || count == value.length() || value.charAt(count) != c) {
      failed = true;
      return;
    }
    sources[count++] = source;
    after = end;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** A line break as the scanner counts lines: LF, CR (alone or before LF). */
  private static boolean isBreak(char c) {
    return c == '\n' || c == '\r';
  }
}

package dev.wiz.pipeline;

import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.tokens.ScalarToken;
import org.snakeyaml.engine.v2.tokens.Token;

/**
 * A quote that is not closed where its value ends, said at the quote. YAML lets a quoted value run
 * over several lines, so the parser stops where the text stops making sense: at the end of the
 * file, or far below, just after the next quote (which it took for the closing one), where its
 * words ("a plain value cannot start with '@'", "expected ',' or '}'") lead away from the mistake.
 */
final class OpenQuote {
  private OpenQuote() {}

  /** Where the quote is and what to do, or empty when the error is not an open quote's. */
  static Optional<Located> of(String problem, String context, Optional<Mark> problemMark, Optional<Mark> contextMark,
      String text) {
    if (problemMark.isEmpty()) return Optional.empty();
    if (problem.startsWith("found unexpected end of stream") && context.startsWith("while scanning a quoted scalar")
        && contextMark.isPresent()) {
      char q = quoteAt(text, contextMark.get());
      return Optional.of(new Located(YamlLoader.location(contextMark),
          "the quoted value that starts here is never closed: the file ends inside it; close it with " + q
              + " where the value ends" + escape(q)));
    }
    Optional<ScalarToken> runaway = lastMultiLineQuoted(text, problemMark.get());
    if (runaway.isEmpty()) return Optional.empty();
    Mark start = runaway.get().getStartMark().get();
    Mark end = runaway.get().getEndMark().get();
    char q = runaway.get().getStyle() == ScalarStyle.SINGLE_QUOTED ? '\'' : '"';
    return Optional.of(new Located(YamlLoader.location(Optional.of(start)),
        "the quoted value that starts here is not closed on its line: it runs on to the " + q + " at line "
            + (end.getLine() + 1) + ", column " + end.getColumn() + ", where what follows cannot be read; close it on"
            + " this line" + escape(q)));
  }

  /** A problem message at a position. */
  record Located(Location at, String message) {}

  /**
   * The last quoted value before the error that spans several lines and ends on the error's line,
   * with the error after it: the parser took its closing quote for the end of a value opened above.
   */
  private static Optional<ScalarToken> lastMultiLineQuoted(String text, Mark error) {
    LoadSettings settings = LoadSettings.builder().setUseMarks(true).setCodePointLimit(Math.max(text.length(), 1) * 2).build();
    ScalarToken last = null;
    try {
      ScannerImpl scanner = new ScannerImpl(settings, new StreamReader(settings, text));
      while (scanner.hasNext()) {
        Token token = scanner.next();
        if (token.getStartMark().isEmpty() || token.getStartMark().get().getIndex() >= error.getIndex()) break;
        if (token instanceof ScalarToken scalar && !scalar.isPlain() && isQuoted(scalar) && token.getEndMark().isPresent()) {
          last = scalar;
        }
      }
    } catch (YamlEngineException e) {
      // the same error, reached by the scanner: the tokens before it are what counts
    }
    if (last == null) return Optional.empty();
    Mark start = last.getStartMark().get();
    Mark end = last.getEndMark().get();
    boolean spans = end.getLine() > start.getLine();
    boolean endsOnErrorLine = end.getLine() == error.getLine() && end.getIndex() <= error.getIndex();
    return spans && endsOnErrorLine ? Optional.of(last) : Optional.empty();
  }

  private static boolean isQuoted(ScalarToken scalar) {
    return scalar.getStyle() == ScalarStyle.SINGLE_QUOTED || scalar.getStyle() == ScalarStyle.DOUBLE_QUOTED;
  }

  private static char quoteAt(String text, Mark mark) {
    int i = text.offsetByCodePoints(0, Math.min(mark.getIndex(), text.codePointCount(0, text.length())));
    return i < text.length() && text.charAt(i) == '"' ? '"' : '\'';
  }

  private static String escape(char q) {
    return q == '\'' ? " (inside single quotes a ' is written '')" : " (inside double quotes a \" is written \\\")";
  }
}

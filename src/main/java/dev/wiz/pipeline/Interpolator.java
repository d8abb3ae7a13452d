package dev.wiz.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in one string scalar with values from the
 * environment; a default may hold {@code ${...}} of its own ({@code ${A:-${B:-x}}}), interpolated
 * only when it is used; {@code $${} writes a literal {@code ${}. Shell semantics: the default is used when
 * the variable is unset or empty; a set but empty variable without a default gives {@code ""}.
 * Substituted values are never scanned again, and no value ever appears in a problem message.
 */
final class Interpolator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, String> env;

  Interpolator(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** A problem at a char offset of the scalar's value. */
  record Problem(int offset, String message) {
    Problem {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * The outcome for one scalar.
   *
   * @param value the text after substitution (meaningless when there are problems)
   * @param whole whether the text was exactly one {@code ${...}} expression and nothing else
   * @param names every variable name referenced, in order of first use
   * @param problems what went wrong, in text order; empty when the value is usable
   * @param pieces where the value differs from the text as written, in order
   */
  record Result(String value, boolean whole, Set<String> names, List<Problem> problems, List<Interpolation.Piece> pieces) {
    Result {
      Objects.requireNonNull(value, "value");
      names = Set.copyOf(names);
      problems = List.copyOf(problems);
      pieces = List.copyOf(pieces);
    }

    boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Whether the text has anything to interpolate or unescape at all. */
  static boolean mayInterpolate(String text) {
    return text.contains("${");
  }

  Result interpolate(String text) {
    if (!mayInterpolate(text)) {
      return new Result(text, false, Set.of(), List.of(), List.of());
    }
    StringBuilder out = new StringBuilder(text.length());
    Set<String> names = new LinkedHashSet<>();
    List<Problem> problems = new ArrayList<>();
    List<Interpolation.Piece> pieces = new ArrayList<>();
    int expressions = 0;
    boolean other = false;
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        pieces.add(new Interpolation.Piece(out.length(), out.length() + 2, i, i + 3, null));
        out.append("${");
        other = true;
        i += 3;
        continue;
      }
      if (!text.startsWith("${", i)) {
        out.append(text.charAt(i));
        other = true;
        i++;
        continue;
      }
      int close = closing(text, i + 2);
      if (close < 0) {
        problems.add(
            new Problem(
                i, "unterminated ${: close it with }, or write $${ for a literal ${"));
        break;
      }
      expressions++;
      String expression = text.substring(i + 2, close);
      int sep = expression.indexOf(":-");
      String name = sep < 0 ? expression : expression.substring(0, sep);
      String fallback = sep < 0 ? null : expression.substring(sep + 2);
      if (!NAME.matcher(name).matches()) {
        problems.add(new Problem(i, badName(expression, name)));
      } else {
        names.add(name);
        String value = env.apply(name);
        int start = out.length();
        if (fallback != null && (value == null || value.isEmpty()) && mayInterpolate(fallback)) {
          // A default with ${...} of its own (${A:-${B:-x}}): interpolated only when it is used.
          int at = i + 2 + sep + 2;
          Result inner = interpolate(fallback);
          names.addAll(inner.names());
          for (Problem p : inner.problems()) problems.add(new Problem(at + p.offset(), p.message()));
          out.append(inner.value());
          pieces.add(new Interpolation.Piece(start, start, i, at, null));
          for (Interpolation.Piece p : inner.pieces()) {
            pieces.add(new Interpolation.Piece(start + p.start(), start + p.end(), at + p.writtenStart(),
                at + p.writtenEnd(), p.variable()));
          }
          pieces.add(new Interpolation.Piece(out.length(), out.length(), close, close + 1, null));
        } else if (fallback != null && (value == null || value.isEmpty())) {
          out.append(fallback);
          pieces.add(new Interpolation.Piece(start, out.length(), i, close + 1, null));
        } else if (value != null) {
          out.append(value);
          pieces.add(new Interpolation.Piece(start, out.length(), i, close + 1, name));
        } else {
          problems.add(
              new Problem(
                  i,
                  "environment variable "
                      + name
                      + " is not set (export it, or write ${"
                      + name
                      + ":-default})"));
        }
      }
      i = close + 1;
    }
    boolean whole = expressions == 1 && !other && problems.isEmpty();
    return new Result(out.toString(), whole, names, problems, pieces);
  }

  /**
   * The index of the } that closes the ${ whose name starts at from, past nested ones (braces
   * pair up, a literal $${ with its } as well); -1 if none.
   */
  private static int closing(String text, int from) {
    int depth = 0;
    for (int j = from; j < text.length(); j++) {
      if (text.startsWith("$${", j)) {
        depth++; // a literal ${ in a default: its } is literal too
        j += 2;
      } else if (text.startsWith("${", j)) {
        depth++;
        j++;
      } else if (text.charAt(j) == '}') {
        if (depth == 0) return j;
        depth--;
      }
    }
    return -1;
  }

  private static String badName(String expression, String name) {
    if (name.isEmpty()) {
      return "${" + expression + "} names no variable: write ${NAME} or ${NAME:-default}";
    }
    return "'"
        + name
        + "' is not a variable name: use letters, digits and _, not starting with a digit,"
        + " as in ${NAME} or ${NAME:-default}";
  }
}

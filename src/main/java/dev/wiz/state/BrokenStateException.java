package dev.wiz.state;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * A file of the state folder that wiz wrote and can no longer read (edited, cut or overwritten by
 * something else): named ({@code file:line:col} when the parser gave a place), with what is wrong
 * and what to do, never a parser's stack trace or Java's class names.
 */
public final class BrokenStateException extends IOException {
  private static final String ADVICE = "; move it away to start afresh";

  private final transient Path file;
  private final String problem;

  public BrokenStateException(Path file, String what, Exception cause) {
    this(file + where(syntax(cause)) + ": not a readable " + what + " (" + reason(syntax(cause)) + ")", file, cause);
  }

  /**
   * The syntax error under a databind error: databind wraps one met inside a map or a list it
   * was filling ({@code versions}, {@code inputs}) in its own error, which would call a file cut in
   * the middle "JSON, but not the fields wiz writes there".
   */
  private static Exception syntax(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonParseException) return (JsonParseException) t;
      if (t.getCause() == t) break;
    }
    return e;
  }

  /** A file that parses, but does not hold what wiz writes there: {@code reason} says what is wrong. */
  public BrokenStateException(Path file, String what, String reason) {
    this(file + ": not a readable " + what + " (" + reason + ")", file, null);
  }

  private BrokenStateException(String problem, Path file, Exception cause) {
    super(problem + ADVICE, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file that cannot be read. */
  public Path file() {
    return file;
  }

  /** {@code file[:line:col]: not a readable ... (what is wrong)}, without what to do. */
  public String problem() {
    return problem;
  }

  /** {@code :line:col} where the parser stopped, for a syntax error or a value of the wrong type. */
  private static String where(Exception e) {
    if (!(e instanceof JsonParseException) && !(e instanceof MismatchedInputException)) return "";
    JsonLocation at = ((JacksonException) e).getLocation();
    if (at == null || at.getLineNr() < 1 || isEmpty(e)) return "";
    return ":" + at.getLineNr() + ":" + at.getColumnNr();
  }

  private static boolean isEmpty(Exception e) {
    return e instanceof MismatchedInputException && e.getMessage() != null && e.getMessage().startsWith("No content to map");
  }

  private static String reason(Exception e) {
    if (e instanceof JsonParseException) {
      // Jackson names the start of an unclosed object by a source it does not show: leave that out.
      return oneLine(((JsonParseException) e).getOriginalMessage().replaceAll(" \\(start marker at \\[Source: [^\\]]*\\]\\)", ""));
    }
    if (isEmpty(e)) return "the file is empty";
    if (e instanceof UnrecognizedPropertyException) {
      return "unknown field " + pointer((JsonMappingException) e);
    }
    if (e instanceof MismatchedInputException) {
      // databind's words name Java classes: say what JSON was expected instead.
      MismatchedInputException m = (MismatchedInputException) e;
      String at = pointer(m);
      return (at.isEmpty() ? "" : at + ": ") + "expected " + kind(m.getTargetType());
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException) {
      String at = pointer((JsonMappingException) e);
      return (at.isEmpty() ? "" : at + ": ") + oneLine(e.getCause().getMessage());
    }
    if (e instanceof JacksonException) {
      return "JSON, but not the fields wiz writes there";
    }
    if (e instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) e).getReason() != null) {
      return ((java.nio.file.FileSystemException) e).getReason();
    }
    return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  /** The JSON pointer of the value databind was at ({@code /inputs/0/size}), empty at the top. */
  private static String pointer(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      b.append('/');
      if (r.getFieldName() != null) {
        b.append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else {
        b.append(r.getIndex());
      }
    }
    return b.toString();
  }

  private static String kind(Class<?> type) {
    if (type == null) return "another value";
    if (CharSequence.class.isAssignableFrom(type)) return "a string";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) return "a number";
    if (type.isArray() || Collection.class.isAssignableFrom(type)) return "an array";
    if (type.isEnum()) return "one of " + java.util.Arrays.toString(type.getEnumConstants());
    if (Map.class.isAssignableFrom(type) || type.isRecord()) return "an object";
    return "another value";
  }

  private static String oneLine(String m) {
    if (m == null) return "no message";
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }
}

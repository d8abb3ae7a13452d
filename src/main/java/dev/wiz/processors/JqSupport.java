package dev.wiz.processors;

import dev.wiz.processor.ConfigProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq through jackson-jq: compiling with located errors, and the root scope with the builtins,
 * built once, when the interpreter first needs it (it is the expensive part), and shared
 * read-only; every instance gets a child scope.
 */
final class JqSupport {
  private JqSupport() {}

  private static final Pattern POSITION = Pattern.compile("at line (\\d+), column (\\d+)");
  private static final Pattern ENCOUNTERED = Pattern.compile("Encountered \"?\\s*(.*?)\"? at line");

  /**
   * The mapper jackson-jq's operators get from our scopes, which set none: its default. The fast
   * path hands it to them without making a scope.
   */
  static final ObjectMapper MAPPER = Scope.newEmptyScope().getObjectMapper();

  private static final class Root {
    static final Scope SCOPE = build();

    private static Scope build() {
      Scope root = Scope.newEmptyScope();
      BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
      return root;
    }
  }

  /** A fresh scope for one processor instance (scopes hold variables, so never share one). */
  static Scope newScope() {
    return Scope.newChildScope(Root.SCOPE);
  }

  /** Compiles, or says what is wrong with the program at the given config pointer. */
  static Compiled compile(String program, String pointer) {
    JsonQuery q;
    try {
      q = JsonQuery.compile(program, Versions.JQ_1_6);
    } catch (JsonQueryException e) {
      return new Compiled(null, null, problem(program, pointer, e));
    }
    // A query with a fast path calls no function but jq's own 'not': nothing unknown to look for,
    // and no need to load the builtins the probe would.
    FastPath.Node fast = FastPath.of(q).orElse(null);
    String unknown = fast != null ? null : probeForUnknownFunction(q);
    if (unknown != null) {
      return new Compiled(null, null, new ConfigProblem(pointer, "jq: " + unknown + " in '" + program.strip() + "'"));
    }
    return new Compiled(q, fast, null);
  }

  /** Thrown from the probe's output callback to stop at the first output. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  /**
   * jackson-jq binds function names only when a query runs, so an unknown function is found by
   * running the query once on {@code null}: stopped at its first output, and given up after a
   * short time (a program that loops on null is not an error here). Best effort: a runtime error
   * on null that comes before the unknown call hides it until a real record reaches it.
   */
  private static String probeForUnknownFunction(JsonQuery q) {
    AtomicReference<String> found = new AtomicReference<>();
    Thread probe = new Thread(() -> {
      try {
        q.apply(newScope(), NullNode.getInstance(), out -> {
          throw new Stop();
        });
      } catch (JsonQueryException | RuntimeException | StackOverflowError e) {
        String m = e.getMessage();
        if (m != null && m.matches("(?s)Function .* does not exist.*")) {
          found.set(oneLine(m).replace("Function ", "unknown function ").replace(" does not exist", ""));
        }
      }
    }, "wiz-jq-probe");
    probe.setDaemon(true);
    probe.start();
    try {
      probe.join(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return probe.isAlive() ? null : found.get();
  }

  private static ConfigProblem problem(String program, String pointer, JsonQueryException e) {
    String msg = oneLine(e.getMessage());
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      String parse = cause.getMessage();
      Matcher pos = POSITION.matcher(parse);
      if (pos.find()) {
        int line = Integer.parseInt(pos.group(1));
        int column = Integer.parseInt(pos.group(2));
        int offset = offsetOf(program, line, column);
        Matcher enc = ENCOUNTERED.matcher(parse);
        String found = enc.find() ? enc.group(1).trim() : "";
        String what = found.isEmpty() || found.contains("<EOF>")
            ? "unexpected end of expression"
            : "unexpected " + found;
        return new ConfigProblem(pointer,
            "jq syntax error at column " + (offset + 1) + ": " + what + " in '" + program.strip() + "'",
            offset);
      }
      return new ConfigProblem(pointer, "jq syntax error: " + oneLine(parse));
    }
    return new ConfigProblem(pointer, "jq: " + msg);
  }

  private static int offsetOf(String program, int line, int column) {
    int offset = 0;
    for (int l = 1; l < line; l++) {
      int nl = program.indexOf('\n', offset);
      if (nl < 0) break;
      offset = nl + 1;
    }
    return Math.min(program.length(), offset + Math.max(0, column - 1));
  }

  static String oneLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** A compiled query and its fast path (null when it has none), or the problem that stopped it. */
  record Compiled(JsonQuery query, FastPath.Node fast, ConfigProblem problem) {
    boolean ok() {
      return problem == null;
    }
  }
}

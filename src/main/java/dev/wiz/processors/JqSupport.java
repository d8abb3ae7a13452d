package dev.wiz.processors;

import dev.wiz.processor.ConfigProblem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
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
  /** JavaCC's {@code Encountered " KIND "IMAGE "" at line ...}: the image is what was written. */
  private static final Pattern ENCOUNTERED = Pattern.compile("Encountered \" \\S+ \"(.*?) \"\" at line");
  private static final Pattern UNEXPECTED = Pattern.compile("^Unexpected (.+?) at line");

  /** Jackson's escapes of JSON, and DEL's. */
  private static final com.fasterxml.jackson.core.io.CharacterEscapes JQ_ESCAPES =
      new com.fasterxml.jackson.core.io.CharacterEscapes() {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        {
          ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
          return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
          return null;
        }
      };

  /**
   * The mapper jackson-jq's operators get from our scopes, which set none: its default. The fast
   * path hands it to them without making a scope. Its functions write numbers with it, as jq does
   * once this class is loaded, before any jq program is compiled ({@link JqNumberText#install}).
   */
  static final ObjectMapper MAPPER = Scope.newEmptyScope().getObjectMapper();

  static {
    JqNumberText.install(MAPPER);
    // tojson, tostring and string interpolation write any depth a program builds, as jq does: the
    // sinks' advice for a record nested too deep to write is to make a string of it with tojson.
    // What is read (fromjson) keeps wiz's read limits.
    MAPPER.getFactory().setStreamWriteConstraints(
        com.fasterxml.jackson.core.StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build());
    // And strings as jq 1.6 writes them: the hex digits of a control character's escape in lower case
    // (1f, not 1F), and DEL (7f) escaped too; Jackson wrote it as it is.
    MAPPER.getFactory().configure(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_HEX_UPPER_CASE.mappedFeature(), false);
    MAPPER.getFactory().setCharacterEscapes(JQ_ESCAPES);
  }

  /**
   * jackson-jq builtins wiz's jq does not have, so that {@code wiz validate} reports them as
   * unknown functions, as it does the ones jackson-jq lacks ({@code localtime}, {@code env}, ...):
   * {@code now} makes a run's output depend on the clock, and {@code debug_scope}, jackson-jq's
   * own (not jq's), would write the interpreter's Java objects.
   */
  static final java.util.Set<String> REFUSED = java.util.Set.of("now/0", "debug_scope/0");

  /** Takes the {@link #REFUSED} builtins out of the root scope, so that they cannot run or be listed by {@code builtins}. */
  private static void refuse(Scope root) {
    try {
      Object functions = FastPath.get(root, "functions");
      if (functions instanceof java.util.Map<?, ?> map) map.keySet().removeAll(REFUSED);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // another jackson-jq: they stay in the scope, and validation still reports them (message)
    }
  }

  private static final class Root {
    static final Scope SCOPE = build();

    private static Scope build() {
      Scope root = Scope.newEmptyScope();
      BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
      refuse(root);
      JqBuiltins.install(root);
      JqErrors.install(root); // over wiz's builtins too: they leave jackson-jq's errors to it
      JqOperators.patch(root); // builtins such as add and sort do arithmetic and comparisons too
      JqUpdate.patch(root); // map_values is .[] |= f
      JqFieldShorthand.patch(root);
      JqNumberText.patchInterpolations(root);
      JqArithmetic.patchComputed(root);
      JqStop.patch(root); // the builtins jq defines look at the run's cancellation at every call
      JqStop.install(root); // and so does range at every value
      return root;
    }
  }

  /** A fresh scope for one processor instance (scopes hold variables, so never share one). */
  static Scope newScope() {
    return Scope.newChildScope(Root.SCOPE);
  }

  /** Compiles, or says what is wrong with the program at the given config pointer. */
  static Compiled compile(String program, String pointer) {
    try {
      JsonQuery q;
      try {
        q = JsonQuery.compile(program, Versions.JQ_1_6);
      } catch (JsonQueryException e) {
        return new Compiled(null, null, List.of(problem(program, pointer, e)));
      }
      JqOperators.patch(q); // before the fast path takes the operators
      FastPath.Node fast = FastPath.of(q).orElse(null);
      List<ConfigProblem> problems = new ArrayList<>(unbound(program, pointer, q, fast != null));
      ConfigProblem tryBody = tryBody(program, pointer, q);
      if (tryBody != null) problems.add(tryBody);
      String withLocations = program.contains("__loc__") && free(q, LOCATION) ? located(program) : null;
      if (withLocations != null) problems.removeIf(p -> p.message().startsWith("jq: $__loc__ is not defined"));
      if (!problems.isEmpty()) return new Compiled(null, null, problems);
      if (withLocations != null) {
        try {
          q = JsonQuery.compile(withLocations, Versions.JQ_1_6); // it compiled in located()
        } catch (JsonQueryException e) {
          return new Compiled(null, null, List.of(problem(program, pointer, e)));
        }
        JqOperators.patch(q);
        fast = FastPath.of(q).orElse(null);
      }
      JqIndexOf.patch(q); // after the fast path and the names, which read jackson-jq's nodes
      JqUpdate.patch(q); // likewise
      JqFieldShorthand.patch(q); // likewise
      JqNumberText.patchInterpolations(q); // likewise
      JqArithmetic.patchComputed(q);
      JqStop.patch(q); // likewise: the program's own functions look at the run's cancellation
      return new Compiled(q, fast, List.of());
    } catch (StackOverflowError e) {
      // Parsing and walking the program recurse once per level: thousands of nested parentheses
      // or chained operators. A program too deep to compile is too deep to run on a worker.
      return new Compiled(null, null, List.of(new ConfigProblem(pointer, "jq: the program nests too deeply to compile ("
          + program.length() + " characters): split it into several steps, or build the value with reduce or a"
          + " function over an array instead of writing every term out", 0)));
    }
  }

  /**
   * The names the program uses but nothing defines, found in its tree without running it
   * (jackson-jq itself looks names up only when a record reaches them): variables, labels of
   * {@code break}, functions and formats that are not builtins, and modules it imports. wiz
   * defines no variables and loads no modules, so every free variable and every import is an
   * error. A query with a fast path calls no function but jq's own 'not', so its builtins are not
   * loaded to look. Each problem is at the name's own place in the program, in the order of the
   * program.
   */
  private static List<ConfigProblem> unbound(String program, String pointer, JsonQuery q, boolean fast) {
    JqNames.Free free = JqNames.of(q);
    List<ConfigProblem> problems = new ArrayList<>();
    for (int i = 0; i < free.imports().size(); i++) {
      int at = JqText.importOffset(program, i);
      problems.add(new ConfigProblem(pointer, "jq: wiz's jq loads no modules, so '" + free.imports().get(i) + "' in "
          + ConfigProblem.quote(program, at, "program") + " cannot work; define the functions in the program"
          + " ('def name: ...;') instead", at));
    }
    for (JqNames.Use use : free.uses()) {
      String message = message(use, fast);
      if (message == null) continue;
      int at = JqNames.offset(program, use);
      if (at < 0 && use.kind() == JqNames.Kind.VARIABLE) at = JqText.variableOffset(program, use.name());
      if (at < 0 && use.kind() == JqNames.Kind.FUNCTION) at = JqText.functionOffset(program, use.word());
      problems.add(new ConfigProblem(pointer,
          String.format(message, ConfigProblem.quote(program, at, "program"), environmentExample(program, at)), at));
    }
    problems.sort(java.util.Comparator.comparingInt(ConfigProblem::offset));
    return problems;
  }

  /** jq's {@code $__loc__}. */
  private static final JqNames.Use LOCATION = new JqNames.Use(JqNames.Kind.VARIABLE, "__loc__");

  private static boolean free(JsonQuery q, JqNames.Use use) {
    return JqNames.of(q).uses().contains(use);
  }

  /**
   * The program with each {@code $__loc__} that nothing binds replaced by its value, as jq 1.6 gives
   * it: {@code {"file":"<top-level>","line":N}}, N the line of the program it is on. jackson-jq's
   * tree has no lines, so the text is rewritten: {@link JqNames#offset} finds each one, and the
   * value goes where it was (on the same line, so the lines after it stay theirs).
   */
  private static String located(String program) {
    String text = program;
    for (int i = 0; i < 1000; i++) {
      int at = JqNames.offset(text, LOCATION);
      if (at < 0) break; // none left, or none found (JqNames tries so many places)
      int end = text.indexOf("__loc__", at) + "__loc__".length();
      int line = 1;
      for (int k = 0; k < at; k++) {
        char c = text.charAt(k);
        if (c == '\n' || (c == '\r' && (k + 1 == text.length() || text.charAt(k + 1) != '\n'))) line++;
      }
      // Without parentheses: an object, as a variable, is a term that .line and [...] may follow, and
      // jackson-jq's parser takes no (...).line as the value of an object's key.
      text = text.substring(0, at) + "{\"file\":\"<top-level>\",\"line\":" + line + "}" + text.substring(end);
      try {
        JsonQuery.compile(text, Versions.JQ_1_6);
      } catch (JsonQueryException | RuntimeException e) {
        return null; // where a value cannot stand ({$__loc__}): wiz says so
      }
    }
    try {
      return free(JsonQuery.compile(text, Versions.JQ_1_6), LOCATION) ? null : text;
    } catch (JsonQueryException e) {
      return null;
    }
  }

  /**
   * A {@code try} with no {@code catch} whose body jackson-jq's parser took to be {@code A // B}
   * or {@code A, B}: jq reads {@code try A // B} as {@code (try A) // B} (the {@code try} takes the
   * term after it), jackson-jq as {@code try (A // B)}, which gives nothing where {@code A} fails,
   * so {@code try tonumber // 0} would drop a record jq gives 0 for. jackson-jq makes the same tree
   * of {@code try (A // B)}, told apart by the text: only a {@code try} whose body is not such a
   * group is refused, with the two ways to say which is meant. Null when there is none.
   */
  private static ConfigProblem tryBody(String program, String pointer, JsonQuery q) {
    List<JqTree.Slot> found = JqTree.find(q, v -> {
      if (v.getClass() != net.thisptr.jackson.jq.internal.tree.TryCatch.class) return false;
      try {
        Object body = FastPath.get(v, "tryExpr");
        return FastPath.get(v, "catchExpr") == null && body != null
            && (body.getClass() == net.thisptr.jackson.jq.internal.tree.binaryop.AlternativeOperatorExpression.class
                || body.getClass() == net.thisptr.jackson.jq.internal.tree.Tuple.class);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return false;
      }
    });
    if (found.isEmpty()) return null;
    boolean alternative;
    try {
      alternative = FastPath.get(found.get(0).value, "tryExpr").getClass()
          == net.thisptr.jackson.jq.internal.tree.binaryop.AlternativeOperatorExpression.class;
    } catch (ReflectiveOperationException e) {
      return null;
    }
    // The tree of try (A // B) is that of try A // B: the text tells them apart.
    int at = JqText.ambiguousTryOffset(program);
    if (at < 0) return null;
    String op = alternative ? " // " : ", ";
    return new ConfigProblem(pointer, "jq: try in " + ConfigProblem.quote(program, at, "program") + " is read by jq as '(try A)"
        + op + "B', the try taking only the term after it, and by wiz's jq as 'try (A" + op + "B)', which"
        + (alternative ? " gives nothing where A fails" : " drops B's outputs where A fails") + "; write the parentheses"
        + " jq reads, '(try A)" + op + "B', or 'try (A" + op + "B) catch empty' for the other", at);
  }

  /** What is wrong with a free name, with {@code %s} for where it is; null when nothing is. */
  private static String message(JqNames.Use use, boolean fast) {
    String name = use.name();
    switch (use.kind()) {
      case VARIABLE:
        return "jq: $" + name + " is not defined in %s; " + variableHint(name);
      case LABEL:
        return "jq: break $" + name + " has no label $" + name + " around it in %s; write 'label $" + name
            + " | ...' around the break";
      case FUNCTION: {
        if (fast) return null;
        int slash = name.lastIndexOf('/');
        if (!REFUSED.contains(name)
            && Root.SCOPE.getFunction(name.substring(0, slash), Integer.parseInt(name.substring(slash + 1))) != null) {
          return null;
        }
        String why = WHY_NOT.get(name);
        return why != null ? "jq: " + name.substring(0, slash) + " in %s " + why : "jq: unknown function " + name + " in %s";
      }
      default: // FORMAT
        if (Root.SCOPE.getFunction("@" + name, 0) != null) return null;
        return "jq: unknown format @" + name + " in %s; the formats are " + FORMATS;
    }
  }

  /**
   * What wiz says, after the place, of a builtin of jq 1.6 that it does not have on purpose: what
   * the builtin would need that a step has not, and what to do instead ({@code %2$s} is what to
   * write for an environment variable: {@link #environmentExample}).
   */
  private static final java.util.Map<String, String> WHY_NOT;

  static {
    String record = "has no meaning in a wiz step, which runs the program on each record alone (as .) and reads no"
        + " further input: to combine records, use an aggregate step (groupBy with count, sum, first, last, ...),"
        + " sort or dedupe";
    String env = "would read the environment when each record runs, which the request key does not record (a rerun"
        + " would not be known to give the same output): write %2$s in the pipeline file instead; wiz puts the"
        + " variable's value there before it checks the pipeline and keeps its digest in the run record";
    String module = "is about jq's modules, and wiz's jq loads none: define the functions in the program ('def name:"
        + " ...;')";
    String halt = "would end the whole run from one record: to refuse the record, use error(\"...\"); run.onError"
        + " then fails the run, skips the record or dead-letters it";
    String local = "depends on the time zone of the machine the run is on: use gmtime, todate or strftime, which"
        + " are UTC, and add the offset you want (\". + 3600\")";
    WHY_NOT = java.util.Map.ofEntries(
        java.util.Map.entry("input/0", record),
        java.util.Map.entry("inputs/0", record),
        java.util.Map.entry("input_line_number/0", "has no meaning in a wiz step: a record is not a line of the"
            + " program's input; a rejected record's file and line are in its dead letter (origin, line)"),
        java.util.Map.entry("input_filename/0", "has no meaning in a wiz step: the program sees a record, not the"
            + " file it came from; 'wiz provenance show <chunk-id>' names a chunk's file and lines, and a rejected"
            + " record's dead letter its file and line (origin, line)"),
        java.util.Map.entry("env/0", env),
        java.util.Map.entry("now/0", "would make the output depend on the clock, so that a rerun gives other bytes:"
            + " pass the time in (${NOW} in the pipeline file, set by whoever starts the run) or use a time in the"
            + " record"),
        java.util.Map.entry("localtime/0", local),
        java.util.Map.entry("strflocaltime/1", local),
        java.util.Map.entry("halt/0", halt),
        java.util.Map.entry("halt_error/0", halt),
        java.util.Map.entry("halt_error/1", halt),
        java.util.Map.entry("get_search_list/0", module),
        java.util.Map.entry("get_jq_origin/0", module),
        java.util.Map.entry("get_prog_origin/0", module),
        java.util.Map.entry("modulemeta/0", module));
  }

  private static final Pattern ENVIRONMENT_NAME =
      Pattern.compile("^(?:env|\\$\\s*ENV)\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*\"([A-Za-z_][A-Za-z0-9_]*)\"\\s*\\])");

  /**
   * What to write in the pipeline file for {@code env} or {@code $ENV} at {@code at}: {@code
   * "${HOME}"} for {@code env.HOME}, {@code $ENV.HOME} or {@code $ENV["HOME"]}, else {@code
   * "${NAME}"}.
   */
  static String environmentExample(String program, int at) {
    if (at >= 0 && at < program.length()) {
      Matcher m = ENVIRONMENT_NAME.matcher(program.substring(at));
      if (m.find()) return "\"${" + (m.group(1) != null ? m.group(1) : m.group(2)) + "}\"";
    }
    return "\"${NAME}\"";
  }

  private static final String FORMATS = "@text, @json, @html, @uri, @csv, @tsv, @sh, @base64 and @base64d";

  private static String variableHint(String name) {
    if (name.equals("ENV")) {
      return "$ENV " + WHY_NOT.get("env/0");
    }
    if (name.equals("__loc__")) {
      return "wiz's jq gives $__loc__ its value only where a value can be written (not in {$__loc__}): write"
          + " {\"__loc__\": $__loc__}";
    }
    return "bind it first ('... as $" + name + " | ...' or a function parameter), or write ." + name
        + " for a field of the record";
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
        String what = unexpected(parse);
        // In characters, as the file's column is (an emoji is two UTF-16 units of the offset); in a
        // program of several lines, as line and column, as an editor shows the program.
        boolean lines = ConfigProblem.hasLines(program);
        String at = ConfigProblem.position(program, offset, lines) + (lines ? " of the program" : "");
        String in = lines ? ConfigProblem.quote(program, offset, "program").replaceFirst("^line \\d+ of the program, ", "")
            : ConfigProblem.quote(program, offset, "program");
        return new ConfigProblem(pointer, "jq syntax error at " + at + ": " + what + " in " + in, offset);
      }
      ConfigProblem literal = bigLiteral(program, pointer, cause);
      if (literal != null) return literal;
      int alternative = program.indexOf("?//");
      if (alternative >= 0) {
        // jq 1.6's destructuring alternative, which jackson-jq's parser does not know (it says
        // "Assignment or label must be followed by pipes").
        boolean lines = ConfigProblem.hasLines(program);
        return new ConfigProblem(pointer, "jq: the destructuring alternative ?// at " + ConfigProblem.position(program, alternative, lines)
            + (lines ? " of the program" : "") + " is not in wiz's jq: destructure once and handle the other shape with"
            + " 'if type == \"array\" then ... else ... end', or use try: '(. as [$a, $b] | ...)? // ...'", alternative);
      }
      return new ConfigProblem(pointer, "jq syntax error: " + oneLine(parse));
    }
    return new ConfigProblem(pointer, "jq: " + msg);
  }

  /** Whether a character goes on a number or a name ({@code x1}, {@code 1.5}, {@code $a1}). */
  private static boolean word(char ch) {
    return Character.isLetterOrDigit(ch) || ch == '.' || ch == '_' || ch == '$';
  }

  /** jq's words after which a minus is a sign ({@code then -1}), not a subtraction. */
  private static final java.util.Set<String> KEYWORDS =
      java.util.Set.of("if", "then", "elif", "else", "and", "or", "try", "catch", "reduce", "foreach", "as", "label");

  private static final Pattern INTEGER_LITERAL = Pattern.compile("For input string: \"(\\d+)\"");

  /**
   * An integer literal jackson-jq's parser could not make a long of (it gives Java's {@code For
   * input string}, with no position): where it is, and what to write instead (jq.md). Null for
   * any other problem.
   */
  private static ConfigProblem bigLiteral(String program, String pointer, Throwable cause) {
    if (!(cause instanceof NumberFormatException)) return null;
    Matcher m = INTEGER_LITERAL.matcher(cause.getMessage());
    if (!m.find()) return null;
    String digits = m.group(1);
    int offset = -1;
    // Where the scan is: in code (the program, or a string's interpolation \(...), with the
    // parentheses open in it) or in a string. -1 stands for a string, n >= 0 for code with n open.
    java.util.ArrayDeque<int[]> nest = new java.util.ArrayDeque<>();
    nest.push(new int[] {0});
    for (int i = 0; i < program.length() && offset < 0; i++) {
      char ch = program.charAt(i);
      int[] top = nest.peek();
      if (top[0] < 0) {
        if (ch == '\\' && i + 1 < program.length() && program.charAt(i + 1) == '(') {
          nest.push(new int[] {0});
          i++;
        } else if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          nest.pop();
        }
      } else if (ch == '"') {
        nest.push(new int[] {-1});
      } else if (ch == '#') {
        while (i + 1 < program.length() && program.charAt(i + 1) != '\n') i++; // a comment
      } else if (ch == '(') {
        top[0]++;
      } else if (ch == ')') {
        if (top[0] == 0 && nest.size() > 1) nest.pop(); // the end of an interpolation: back in its string
        else top[0] = Math.max(0, top[0] - 1);
      } else if (program.startsWith(digits, i) && (i == 0 || !word(program.charAt(i - 1)))
          && (i + digits.length() == program.length() || !word(program.charAt(i + digits.length())))) {
        offset = i;
      }
    }
    // The parser reads -N as the negation of N: the sign goes with the number in what is said,
    // unless the minus subtracts it from what is before (.a - N, (.b) - N, .x[0] - N).
    int sign = offset;
    while (sign > 0 && Character.isWhitespace(program.charAt(sign - 1))) sign--;
    int before = Math.max(0, sign - 1);
    while (before > 0 && Character.isWhitespace(program.charAt(before - 1))) before--;
    int wordStart = before;
    while (wordStart > 0 && word(program.charAt(wordStart - 1))) wordStart--;
    boolean keyword = KEYWORDS.contains(program.substring(wordStart, Math.max(wordStart, before)));
    boolean subtracts = before > 0 && !keyword
        && (word(program.charAt(before - 1)) || ")]}\"".indexOf(program.charAt(before - 1)) >= 0);
    String number = sign > 0 && program.charAt(sign - 1) == '-' && !subtracts ? "-" + digits : digits;
    boolean lines = ConfigProblem.hasLines(program);
    String at = offset < 0 ? "" : " at " + ConfigProblem.position(program, offset, lines) + (lines ? " of the program" : "");
    String in = lines && offset >= 0
        ? ConfigProblem.quote(program, offset, "program").replaceFirst("^line \\d+ of the program, ", "")
        : ConfigProblem.quote(program, offset, "program");
    if (number.equals("-9223372036854775808")) {
      return new ConfigProblem(pointer, "jq: the integer " + number + at + " in " + in + " is the smallest 64-bit integer,"
          + " which wiz's jq reads as the negation of 9223372036854775808, one beyond 64 bits: write it as"
          + " (-9223372036854775807 - 1)", offset);
    }
    return new ConfigProblem(pointer, "jq: the integer " + number + at + " in " + in
        + " is beyond 64 bits, which wiz's jq cannot hold exactly: compare with a string instead ((.id | tostring) == \""
        + number + "\"), or write it as a double (" + number + ".0)", offset);
  }

  /** What the parser met where the program went wrong, said plainly. */
  private static String unexpected(String parse) {
    Matcher token = ENCOUNTERED.matcher(parse);
    if (token.find()) return "unexpected '" + token.group(1) + "'";
    Matcher other = UNEXPECTED.matcher(parse);
    if (other.find()) return "unexpected " + other.group(1);
    return "unexpected end of expression";
  }

  /** The char offset of the parser's line and column (in chars; a line ends at LF, CR LF or CR). */
  static int offsetOf(String program, int line, int column) {
    int offset = 0;
    for (int l = 1; l < line && offset < program.length(); l++) {
      while (offset < program.length() && program.charAt(offset) != '\n' && program.charAt(offset) != '\r') {
        offset++;
      }
      if (offset < program.length()) {
        boolean crlf = program.charAt(offset) == '\r' && offset + 1 < program.length()
            && program.charAt(offset + 1) == '\n';
        offset += crlf ? 2 : 1;
      }
    }
    return Math.min(program.length(), offset + Math.max(0, column - 1));
  }

  /**
   * A jq error as one line. jackson-jq wraps some Java exceptions as they are (tonumber on
   * {@code "x"} gave "N/A", the parser's word): those are said in jq's terms.
   */
  static String message(Throwable e) {
    String m = e.getMessage();
    Throwable cause = e.getCause();
    if (m == null || m.equals("N/A") || (cause != null && m.equals(cause.toString()))) {
      if (cause instanceof NumberFormatException) return "the string cannot be parsed as a number";
      if (cause != null && cause.getMessage() != null && !cause.getMessage().equals("N/A")) return oneLine(cause.getMessage());
      return m == null || m.equals("N/A") ? "unknown error (" + (cause != null ? cause : e).getClass().getSimpleName() + ")" : oneLine(m);
    }
    return oneLine(m);
  }

  static String oneLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** A compiled query and its fast path (null when it has none), or the problems that stopped it. */
  record Compiled(JsonQuery query, FastPath.Node fast, List<ConfigProblem> problems) {
    Compiled {
      problems = List.copyOf(problems);
    }

    boolean ok() {
      return problems.isEmpty();
    }

    /** The first problem, or null. */
    ConfigProblem problem() {
      return problems.isEmpty() ? null : problems.get(0);
    }
  }
}

package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.processor.ConfigProblem;
import java.io.File;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Output;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.path.Path;
import org.junit.jupiter.api.Test;

class JqNamesTest {

  private static List<ConfigProblem> check(String program) {
    return Expression.check(program, "/p");
  }

  @Test
  void anUndefinedVariableIsFoundAtCompileTimeWithItsOffset() {
    List<ConfigProblem> p = check(".a + $undefinedvar");
    assertEquals(1, p.size(), p.toString());
    assertEquals(5, p.get(0).offset());
    assertEquals("jq: $undefinedvar is not defined in '.a + $undefinedvar'; bind it first"
        + " ('... as $undefinedvar | ...' or a function parameter), or write .undefinedvar for a field of the record",
        p.get(0).message());
  }

  @Test
  void variablesOutsideTheirScopeOrNeverBoundAreFound() {
    String[][] cases = {
        {"$undefinedvar", "undefinedvar"},
        {".a as $x | $y", "y"},
        {"(. as $x | $x) | $x", "x"},
        {"reduce .[] as $x ($x; .)", "x"},
        {"foreach .[] as $x ($x; .; .)", "x"},
        {"def f($a): $a; $a", "a"},
        {"def f: $x; . as $x | f", "x"},
        {"def f: $x; 1", "x"},
        {"{$nope}", "nope"},
        {"\"text \\($nope)\"", "nope"},
        {"if false then $nope else . end", "nope"},
        {"[.[] | . as $v | $v], $v", "v"},
        {"$ENV.HOME", "ENV"},
    };
    for (String[] c : cases) {
      List<ConfigProblem> p = check(c[0]);
      assertEquals(1, p.size(), c[0] + ": " + p);
      assertTrue(p.get(0).message().startsWith("jq: $" + c[1] + " is not defined"), c[0] + ": " + p);
      assertTrue(p.get(0).offset() >= 0 && c[0].startsWith("$" + c[1], p.get(0).offset()), c[0] + ": " + p);
    }
  }

  @Test
  void variablesBoundInTheProgramAreValid() {
    String[] programs = {
        ". as $x | $x",
        ".a as $x | .b as $y | [$x, $y]",
        ". as $x | [$x | . as $y | $y + $x]",
        "reduce .[] as $x (0; . + $x)",
        "foreach .[] as $x (0; . + $x; [$x, .])",
        "def f($a): $a; f(1)",
        "def f($a; $b): $a + $b; f(1; 2)",
        "def f(g): g; f(.a)",
        ". as [$a, {b: $c}] | [$a, $c]",
        ". as {$a, $b: [$c], (.k): $d} | [$a, $b, $c, $d]",
        ". as $x | def f: $x; f",
        "label $out | 1, break $out",
        "\"$x is text\" | .",
        "# $x in a comment\n.",
        "{a: 1} as {$a} | {$a}",
        "def f: g; def g: 1; f",
    };
    for (String program : programs) {
      assertEquals(List.of(), check(program), program);
    }
  }

  @Test
  void unknownFunctionsAreFoundWithoutRunningTheProgram() {
    // on null the else branch runs: only a look at the whole program finds the call
    List<ConfigProblem> p = check("if .x then nosuch(.) else . end");
    assertEquals(1, p.size(), p.toString());
    assertEquals("jq: unknown function nosuch/1 in 'if .x then nosuch(.) else . end'", p.get(0).message());
    assertEquals(11, p.get(0).offset());
    // jackson-jq binds $a only as a variable, not also as the function a/0
    assertEquals("jq: unknown function a/0 in 'def f($a): a; f(3)'", check("def f($a): a; f(3)").get(0).message());
    for (String program : new String[] {"map(.a) | length", "select(.a) | not", "def g: 1; g", "test(\"a\")",
        "def f(g): g | g; f(.)", "[limit(2; .[])]", "{name: .a}"}) {
      assertEquals(List.of(), check(program), program);
    }
  }

  @Test
  void everyFreeNameIsReported() {
    List<ConfigProblem> p = check("[$a, $b, nosuch]");
    assertEquals(List.of("jq: $a", "jq: $b", "jq: unknown function nosuch/0"),
        p.stream().map(c -> c.message().substring(0, c.message().indexOf(c.message().startsWith("jq: $") ? " is" : " in")))
            .toList());
    assertEquals(List.of(1, 5, 9), p.stream().map(ConfigProblem::offset).toList());
  }

  @Test
  void anExpressionWithAnUndefinedVariableIsNeverPrepared() {
    try {
      Expression.require("$nope", "/where");
    } catch (dev.wiz.processor.ProcessorException e) {
      assertTrue(e.getMessage().startsWith("/where: jq: $nope is not defined"), e.getMessage());
      return;
    }
    throw new AssertionError("prepared");
  }

  /**
   * Every form of jq syntax jackson-jq parses, with {@code X} where a name goes. A typo there (a
   * function, or a variable) is found at its own place: {@code ^} marks it when it is not the
   * only {@code X}, and is not part of the program.
   */
  private static final String[] FORMS = {
      "X", "X?", ".a | X?", "(.t | X?)", "(X)?", "[.[] | X?]", "X?, 1", ".a? | X", ".[]? | X", ".a[]? | X",
      ".[\"a\"]? | X", ".a?.b? | X", ".[X]?", ".a[1:X]", ".a[X:]?", "try X", "try X catch .", "try . catch X",
      "try (X) catch .", "(try X)?", ".a // X", "X // .a", ".a |= X", ".a = X", ".a += X", ".a -= X", ".a *= X",
      ".a /= X", ".a %= X", ".a //= X", "-X", "X and true", "false or X", "X == 1", "1 < X", "X + 1 * 2",
      "if X then . else . end", "if . then X else . end", "if . then . elif X then . else . end",
      "if . then . else X end", "[X]", "[.[] | X]", ".. | X", "1, X", "X | .", "reduce X as $v (0; .)",
      "reduce .[] as $v (X; .)", "reduce .[] as $v (0; . + X)", "foreach X as $v (0; .)",
      "foreach .[] as $v (X; .)", "foreach .[] as $v (0; X)", "foreach .[] as $v (0; .; X)",
      "label $out | X", "label $out | .[] | if . then break $out else X end", "def f: X; f", "def f(g): g | X; f(.)",
      "def f($a): $a + X; f(1)", "def f(g; $a): [g, $a, X]; f(.; 1)", "def f: def g: X; g; f",
      "def f: 1; f, X", "\"\\(X)\"", "\"a \\(1) \\(X) b\"", "\"\\(\"b\\(X)\")\"", "@base64 \"x\\(X)\"",
      "@text \"\\(X)\"", "{a: X}", "{a: (1, X)}", "{(X): 1}", "{\"k\\(X)\": 1}", "{a: 1} | {b: X}",
      "{a: .a | X}", ". as $k | {($k): X}", ". as [$a, {b: $c}] | X", ". as {a: $x} | $x + X", ". as {(X): $x} | $x",
      ". as [$a] | [$a, X]", ".a as $x | .b as $y | X", "[.[] | X] | length", "[limit(1; X)]", "path(X)",
      "del(.a, X)", "to_entries | map(X)", "select(X)", "map(X)", "with_entries(.value |= X)", "X as $x | $x",
      "[X] as [$a] | $a", "# X in a comment\n^X", "\"X\" | ^X", ".X | ^X", "{X: 1} | ^X",
  };

  @Test
  void aTypoInEveryFormOfSyntaxIsFoundAtItsPlace() {
    int checked = 0;
    for (String form : FORMS) {
      for (boolean variable : new boolean[] {false, true}) {
        String name = variable ? "$nosuch" : "nosuch";
        String marked = form.contains("^") ? form.replace("^X", "^" + name).replace("X", "nosuch") : form.replace("X", "^" + name);
        if (variable && !form.contains("^") && !compiles(marked.replace("^", ""))) continue; // no $x there in jq
        if (variable && form.contains("^")) marked = form.replace("^X", "^$nosuch").replace("X", "nosuch");
        String program = marked.replace("^", "");
        List<ConfigProblem> p = check(program);
        String what = variable ? "jq: $nosuch is not defined in " : "jq: unknown function nosuch/0 in ";
        assertEquals(1, p.size(), program + ": " + p);
        assertTrue(p.get(0).message().startsWith(what), program + ": " + p);
        assertEquals(marked.indexOf('^'), p.get(0).offset(), program + ": " + p);
        checked++;
      }
    }
    assertTrue(checked > 2 * FORMS.length - 20, "most forms take a variable too: " + checked);
  }

  private static boolean compiles(String program) {
    try {
      JsonQuery.compile(program, Versions.JQ_1_6);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void theProblemIsAtTheUseThatIsFreeNotAtTheFirstWordThatMatches() {
    String[] marked = {
        "def f(g): g; ^g",
        "def x: 1; x, ^x(2)",
        "(. as $x | $x) | ^$x",
        "{nosuch: 1} | .nosuch | \"nosuch\" | ^nosuch",
        "def nosuch: 1; nosuch | ^nosuch(1)",
        "reduce .[] as $nosuch (0; . + $nosuch) | ^$nosuch",
        "def f($a): $a; f(1) | ^$a",
        "[.[] | . as $v | $v], ^$v",
        "(. as {a: $nosuch} | $nosuch) | ^$ nosuch",
        "\"$nosuch \\(1)\" | .nosuch | ^nosuch(.; 2)",
        "\"@nosuch\" | ^@nosuch \"\\(.)\"",
        "@csv, ^@ nosuch",
        "(label $y | 1), break ^$y",
        "label $y | (label $z | break $y), break ^$z",
        "1 as $x\n| 2 as $y\n| [$x,\n   ^$z]",
        "\"😀 nosuch\" | ^nosuch",
        "{a: 1, ^$nosuch}",
        "{nosuch, b: ^$here}",
    };
    for (String m : marked) {
      String program = m.replace("^", "");
      List<ConfigProblem> p = check(program);
      assertEquals(1, p.size(), program + ": " + p);
      assertEquals(m.indexOf('^'), p.get(0).offset(), program + ": " + p);
    }
  }

  @Test
  void formatsLabelsAndImportsThatCannotWorkAreFound() {
    assertEquals(List.of(new ConfigProblem("/p", "jq: unknown format @nosuch in '@nosuch \"x\\(.)\"'; the formats are"
        + " @text, @json, @html, @uri, @csv, @tsv, @sh, @base64 and @base64d", 0)), check("@nosuch \"x\\(.)\""));
    assertEquals(List.of(new ConfigProblem("/p", "jq: break $out has no label $out around it in '.[] | break $out';"
        + " write 'label $out | ...' around the break", 12)), check(".[] | break $out"));
    assertEquals(List.of(new ConfigProblem("/p", "jq: wiz's jq loads no modules, so 'import \"lib\"' in"
        + " 'import \"lib\" as lib; lib::f' cannot work; define the functions in the program ('def name: ...;') instead",
        0)), check("import \"lib\" as lib; lib::f"));
    List<ConfigProblem> two = check("module {import: 1};\n# import\ninclude \"a\";\nimport \"b\" as $b; $b::b");
    assertEquals(List.of(29, 42), two.stream().map(ConfigProblem::offset).toList(), two.toString());
    assertTrue(two.get(0).message().startsWith("jq: wiz's jq loads no modules, so 'include \"a\"' in line 3"), two.toString());
    // jackson-jq 1.6.0 has no destructuring alternative: an error at its column, never a silent pass
    assertTrue(check(".[] as [$a] ?// $a | nosuch").get(0).message().startsWith("jq: the destructuring alternative ?// at column"
        + " 13 is not in wiz's jq"));
    for (String program : new String[] {"@csv", "@text \"\\(.)\"", "@base64d", "label $f | 1, break $f",
        "label $f | def g: break $f; g", "module {a: 1}; .", "$__loc__ as $x | 1"}) {
      assertEquals(0, check(program).size(), program);
    }
    // jq 1.6 has no {$__loc__} either (a syntax error there)
    assertEquals(List.of(new ConfigProblem("/p", "jq: $__loc__ is not defined in '{$__loc__}'; wiz's jq gives $__loc__ its"
        + " value only where a value can be written (not in {$__loc__}): write {\"__loc__\": $__loc__}", 1)), check("{$__loc__}"));
  }

  /** Every kind of node jackson-jq's parser makes, read from its jar: a new one fails here first. */
  @Test
  void everyNodeKindOfJacksonJqIsKnown() throws Exception {
    ClassLoader loader = JsonQuery.class.getClassLoader();
    List<Class<?>> kinds = List.of(net.thisptr.jackson.jq.Expression.class,
        Class.forName("net.thisptr.jackson.jq.internal.tree.PipeComponent", false, loader),
        Class.forName("net.thisptr.jackson.jq.internal.tree.FieldConstruction", false, loader),
        Class.forName("net.thisptr.jackson.jq.internal.tree.matcher.PatternMatcher", false, loader),
        Class.forName("net.thisptr.jackson.jq.internal.tree.matcher.matchers.ObjectMatcher$FieldMatcher", false, loader));
    List<String> unknown = new ArrayList<>();
    int nodes = 0;
    File jar = new File(JsonQuery.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (JarFile j = new JarFile(jar)) {
      for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
        String entry = e.nextElement().getName();
        if (!entry.endsWith(".class") || !(entry.startsWith("net/thisptr/jackson/jq/internal/tree/")
            || entry.equals("net/thisptr/jackson/jq/internal/IsolatedScopeQuery.class"))) {
          continue;
        }
        Class<?> c = Class.forName(entry.substring(0, entry.length() - 6).replace('/', '.'), false, loader);
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers()) || c.isAnonymousClass()) continue;
        if (kinds.stream().noneMatch(k -> k.isAssignableFrom(c))) continue;
        nodes++;
        if (!JqNames.knows(c)) unknown.add(c.getName());
      }
    }
    assertEquals(List.of(), unknown);
    assertTrue(nodes > 60, "read the jar: " + nodes);
  }

  /** A node of another kind: what jackson-jq's tree might hold in another version. */
  private static final class Foreign implements net.thisptr.jackson.jq.Expression {
    private final net.thisptr.jackson.jq.Expression inner;

    Foreign(net.thisptr.jackson.jq.Expression inner) {
      this.inner = inner;
    }

    @Override
    public void apply(Scope scope, com.fasterxml.jackson.databind.JsonNode in, Path path, PathOutput output,
        boolean requirePath) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aNodeOfAnUnknownKindHidesOnlyWhatIsInsideIt() throws Exception {
    JsonQuery q = JsonQuery.compile("nosuch1, (def g: 1; ($free1 | nosuch2)), g, $free2", Versions.JQ_1_6);
    List<JqTree.Slot> slots = JqTree.find(q, v -> v.getClass().getSimpleName().equals("SemicolonOperator"));
    assertEquals(1, slots.size());
    assertTrue(slots.get(0).set(new Foreign((net.thisptr.jackson.jq.Expression) slots.get(0).value)));
    JqNames.Free free = JqNames.of(q);
    assertEquals(List.of(new JqNames.Use(JqNames.Kind.FUNCTION, "nosuch1/0"), new JqNames.Use(JqNames.Kind.VARIABLE, "free2")),
        free.uses(), "g is defined inside the unknown node, and nosuch2 and $free1 are not looked at");
  }
}

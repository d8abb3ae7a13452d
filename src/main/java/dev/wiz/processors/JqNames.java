package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Versions;

/**
 * The names a compiled jq program uses without defining them (variables, functions, formats such
 * as {@code @csv}, labels of {@code break}) and the modules it imports, found in the tree
 * jackson-jq's parser made, without running the program. jackson-jq looks all of them up only
 * when the program runs, so {@code $typo} or {@code typo(.)} would otherwise pass compilation and
 * fail on the first record that reaches it, or, under {@code ?} or {@code try}, silently make no
 * output for every record.
 *
 * <p>Scopes follow jackson-jq's interpreter: {@code E as $x | body} and {@code label $x | body}
 * bind in the rest of their pipe, {@code reduce}/{@code foreach} bind in their update and extract
 * (not in their initial value), {@code def f($a; g)} binds {@code $a} and {@code g/0} in its body.
 * A function a {@code def} makes counts as defined everywhere in the program: the interpreter
 * adds it, when the {@code def} runs, to a scope that the rest of the pipe and its neighbours
 * share, so where it can be called is a matter of evaluation order.
 *
 * <p>Every node kind jackson-jq 1.6.0 builds is known here ({@code JqNamesTest} lists them from
 * its jar). A node of a kind this does not know (another jackson-jq version), or one whose fields
 * cannot be read, is still walked for the nodes inside it, but what it might bind is unknown, so
 * nothing is reported inside it; the rest of the program is checked as usual. Nothing valid is
 * rejected for a node this cannot read.
 */
final class JqNames {
  private static final String JQ = "net.thisptr.jackson.jq.";
  private static final String TREE = JQ + "internal.tree.";
  /** Labels live beside variables, under a prefix no variable name can have (as jq's own {@code *label-}). */
  private static final String LABEL = "*label-";

  /** The nodes that bind nothing and whose children are walked as they are. */
  private static final Set<String> PLAIN = Set.of(
      "internal.IsolatedScopeQuery", "internal.misc.Pair",
      "tree.ArrayConstruction", "tree.Conditional", "tree.IdentifierKeyFieldConstruction",
      "tree.JsonQueryKeyFieldConstruction", "tree.NegativeExpression", "tree.ObjectConstruction",
      "tree.RecursionOperator", "tree.SemicolonOperator", "tree.StringInterpolation",
      "tree.StringKeyFieldConstruction", "tree.ThisObject", "tree.TransformPipeComponent", "tree.TryCatch",
      "tree.TryCatch$Question", "tree.Tuple", "tree.binaryop.AlternativeOperatorExpression",
      "tree.binaryop.BooleanAndExpression", "tree.binaryop.BooleanOrExpression", "tree.binaryop.DivideExpression",
      "tree.binaryop.MinusExpression", "tree.binaryop.ModuloExpression", "tree.binaryop.MultiplyExpression",
      "tree.binaryop.PlusExpression", "tree.binaryop.assignment.Assignment",
      "tree.binaryop.assignment.ComplexAlternativeAssignment", "tree.binaryop.assignment.ComplexAssignment",
      "tree.binaryop.assignment.ComplexDivideAssignment", "tree.binaryop.assignment.ComplexMinusAssignment",
      "tree.binaryop.assignment.ComplexModuloAssignment", "tree.binaryop.assignment.ComplexMultiplyAssignment",
      "tree.binaryop.assignment.ComplexPlusAssignment", "tree.binaryop.assignment.UpdateAssignment",
      "tree.binaryop.comparison.CompareEqualTest", "tree.binaryop.comparison.CompareGreaterEqualTest",
      "tree.binaryop.comparison.CompareGreaterTest", "tree.binaryop.comparison.CompareLessEqualTest",
      "tree.binaryop.comparison.CompareLessTest", "tree.binaryop.comparison.CompareNotEqualTest",
      "tree.fieldaccess.BracketExtractFieldAccess", "tree.fieldaccess.BracketFieldAccess",
      "tree.fieldaccess.IdentifierFieldAccess", "tree.fieldaccess.StringFieldAccess", "tree.literal.BooleanLiteral",
      "tree.literal.DoubleLiteral", "tree.literal.LongLiteral", "tree.literal.NullLiteral",
      "tree.literal.StringLiteral");

  /** The nodes with a case of their own in {@link #walk}: they bind or use names. */
  private static final Set<String> NAMING = Set.of(
      "tree.TopLevelExpression", "tree.VariableAccess", "tree.VariableKeyFieldConstruction", "tree.FunctionCall",
      "tree.FormattingFilter", "tree.BreakExpression", "tree.PipedQuery", "tree.ReduceExpression",
      "tree.ForeachExpression", "tree.FunctionDefinition", "tree.AssignPipeComponent", "tree.LabelPipeComponent",
      "tree.matcher.matchers.ValueMatcher", "tree.matcher.matchers.ArrayMatcher",
      "tree.matcher.matchers.ObjectMatcher", "tree.matcher.matchers.ObjectMatcher$FieldMatcher");

  /** What kind of name a {@link Use} is. */
  enum Kind { VARIABLE, FUNCTION, FORMAT, LABEL }

  /**
   * A name the program uses and does not define.
   *
   * @param name a variable or label without the {@code $}, a function as {@code name/arity}, a
   *     format without the {@code @}
   */
  record Use(Kind kind, String name) {
    /** The name as the program spells it: without the arity of a function. */
    String word() {
      return kind == Kind.FUNCTION ? name.substring(0, name.lastIndexOf('/')) : name;
    }
  }

  /**
   * What a program uses and does not define, each in the order first met.
   *
   * @param uses variables and labels nothing binds where they are used, functions no {@code def}
   *     in the program makes (they may still be builtins), and every format (it may be a builtin)
   * @param imports each {@code import} and {@code include} with its path as written ({@code
   *     import "lib"}), in order
   */
  record Free(List<Use> uses, List<String> imports) {
    Free {
      uses = List.copyOf(uses);
      imports = List.copyOf(imports);
    }
  }

  private final Set<Use> uses = new LinkedHashSet<>();
  private final List<String> imports = new ArrayList<>();
  private final Set<String> defined = new HashSet<>();
  /** How many nodes of unknown kind the walk is inside: names in them are not reported. */
  private int quiet;
  /** The name a probe put in place of one occurrence of {@link #standFor}, or null. */
  private final String standIn;
  private final String standFor;
  /** The uses found at the probe's name, looked up as {@link #standFor} would be. */
  private final Set<Use> hits = new LinkedHashSet<>();

  private JqNames(String standIn, String standFor) {
    this.standIn = standIn;
    this.standFor = standFor;
  }

  /** The free names of a compiled query. */
  static Free of(JsonQuery query) {
    JqNames names = new JqNames(null, null);
    names.walkQuery(query);
    return new Free(new ArrayList<>(names.uses), names.imports);
  }

  /** Whether jackson-jq's tree node or pattern of this class is one this knows (for tests). */
  static boolean knows(Class<?> c) {
    String name = c.getName();
    if (!name.startsWith(JQ)) return false;
    String local = local(name);
    return PLAIN.contains(local) || NAMING.contains(local);
  }

  private void walkQuery(JsonQuery query) {
    Object expr;
    try {
      expr = get(query, "expr");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return; // a JsonQuery of another shape: nothing to say about it
    }
    walk(expr, Set.of(), Set.of());
    uses.removeIf(u -> u.kind() == Kind.FUNCTION && defined.contains(u.name()));
    hits.removeIf(u -> u.kind() == Kind.FUNCTION && defined.contains(u.name()));
  }

  private void use(Kind kind, String name, boolean probed) {
    if (quiet > 0) return;
    Use u = new Use(kind, name);
    uses.add(u);
    if (probed) hits.add(u);
  }

  /** A name as the program has it, or the one the probe stands for. */
  private String named(Object name) {
    return standIn != null && standIn.equals(name) ? standFor : (String) name;
  }

  private boolean probed(Object name) {
    return standIn != null && standIn.equals(name);
  }

  private static String local(String className) {
    return className.substring(JQ.length()).replace("internal.tree.", "tree.");
  }

  /** Walks one node with the variables (and labels) and functions ({@code name/arity}) visible there. */
  private void walk(Object node, Set<String> vars, Set<String> fns) {
    if (node == null) return;
    if (node instanceof List<?> list) {
      for (Object o : list) walk(o, vars, fns);
      return;
    }
    String name = node.getClass().getName();
    if (!name.startsWith(JQ)) {
      unknown(node, vars, fns);
      return;
    }
    String local = local(name);
    try {
      switch (local) {
        case "tree.TopLevelExpression": {
          for (Object imp : (List<?>) get(node, "imports")) {
            String path = new TextNode((String) get(imp, "path")).toString();
            imports.add((get(imp, "name") == null ? "include " : "import ") + path);
          }
          walk(get(node, "expr"), vars, fns);
          return;
        }
        case "tree.VariableAccess":
        case "tree.VariableKeyFieldConstruction": {
          // $name::name reads data an import brings, which this does not follow
          boolean module = local.equals("tree.VariableAccess") && get(node, "moduleName") != null;
          Object var = get(node, "name");
          if (!module && !vars.contains(named(var))) use(Kind.VARIABLE, named(var), probed(var));
          return;
        }
        case "tree.FunctionCall": {
          List<?> args = (List<?>) get(node, "args");
          walk(args, vars, fns);
          Object fn = get(node, "name");
          String key = named(fn) + "/" + args.size();
          if (get(node, "moduleName") == null && !fns.contains(key)) use(Kind.FUNCTION, key, probed(fn));
          return;
        }
        case "tree.FormattingFilter": {
          Object format = get(node, "name");
          use(Kind.FORMAT, named(format), probed(format));
          return;
        }
        case "tree.BreakExpression": {
          Object label = get(node, "name");
          if (!vars.contains(LABEL + named(label))) use(Kind.LABEL, named(label), probed(label));
          return;
        }
        case "tree.PipedQuery": {
          Set<String> v = vars;
          List<?> components = (List<?>) get(node, "components");
          for (int i = 0; i < components.size(); i++) {
            Object component = components.get(i);
            String kind = component.getClass().getName();
            if (kind.equals(TREE + "AssignPipeComponent")) {
              walk(get(component, "expr"), v, fns);
              v = bind(get(component, "matcher"), v, fns);
              if (v == null) {
                quietly(components.subList(i + 1, components.size()), Set.of(), fns);
                return;
              }
            } else if (kind.equals(TREE + "TransformPipeComponent")) {
              walk(get(component, "expr"), v, fns);
            } else if (kind.equals(TREE + "LabelPipeComponent")) {
              v = with(v, LABEL + named(get(component, "name")));
            } else {
              // a component this does not know may bind anything for the rest of the pipe
              quietly(components.subList(i, components.size()), Set.of(), fns);
              return;
            }
          }
          return;
        }
        case "tree.ReduceExpression": {
          walk(get(node, "iterExpr"), vars, fns);
          walk(get(node, "initExpr"), vars, fns);
          walkBound(get(node, "reduceExpr"), bind(get(node, "matcher"), vars, fns), fns);
          return;
        }
        case "tree.ForeachExpression": {
          walk(get(node, "iterExpr"), vars, fns);
          walk(get(node, "initExpr"), vars, fns);
          Set<String> inner = bind(get(node, "matcher"), vars, fns);
          walkBound(get(node, "updateExpr"), inner, fns);
          walkBound(get(node, "extractExpr"), inner, fns);
          return;
        }
        case "tree.FunctionDefinition": {
          Set<String> v = new HashSet<>(vars);
          Set<String> f = new HashSet<>(fns);
          List<?> params = (List<?>) get(node, "args");
          defined.add(named(get(node, "fname")) + "/" + params.size());
          for (Object p : params) {
            String param = (String) p;
            if (param.startsWith("$")) v.add(named(param.substring(1)));
            else f.add(named(param) + "/0");
          }
          walk(get(node, "body"), v, f);
          return;
        }
        default:
          if (PLAIN.contains(local)) {
            walkFields(node, vars, fns);
          } else {
            unknown(node, vars, fns);
          }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      unknown(node, vars, fns); // a field that is not where this looks: another jackson-jq
    }
  }

  /** Walks what a binding scopes; when the pattern could not be read ({@code vars} null), quietly. */
  private void walkBound(Object node, Set<String> vars, Set<String> fns) {
    if (vars == null) {
      quietly(node, Set.of(), fns);
    } else {
      walk(node, vars, fns);
    }
  }

  private void unknown(Object node, Set<String> vars, Set<String> fns) {
    quiet++;
    try {
      walkFields(node, vars, fns);
    } finally {
      quiet--;
    }
  }

  private void quietly(Object node, Set<String> vars, Set<String> fns) {
    quiet++;
    try {
      walk(node, vars, fns);
    } finally {
      quiet--;
    }
  }

  private static Set<String> with(Set<String> vars, String name) {
    Set<String> v = new HashSet<>(vars);
    v.add(name);
    return v;
  }

  /** The children of a node: every field that holds part of the tree. */
  private void walkFields(Object node, Set<String> vars, Set<String> fns) {
    for (Class<?> c = node.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
        Object value;
        try {
          f.setAccessible(true);
          value = f.get(node);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue;
        }
        if (value instanceof List<?> || (value != null && isTree(value))) walk(value, vars, fns);
      }
    }
  }

  private static boolean isTree(Object value) {
    return value instanceof net.thisptr.jackson.jq.Expression || value.getClass().getName().startsWith(TREE)
        || value.getClass().getName().equals(JQ + "internal.misc.Pair");
  }

  /**
   * The variables a pattern ({@code $x}, {@code [$a, {b: $c}]}) adds to {@code vars}, or null
   * when the pattern has a part this does not know; walks the key expressions of object patterns
   * on the way, counting the pattern's own variables as defined there.
   */
  private Set<String> bind(Object matcher, Set<String> vars, Set<String> fns) {
    Set<String> bound = new HashSet<>(vars);
    List<Object> keys = new ArrayList<>();
    boolean known;
    try {
      known = collect(matcher, bound, keys);
    } catch (ReflectiveOperationException | RuntimeException e) {
      known = false;
    }
    if (!known) {
      quietly(matcher, Set.of(), fns); // the defs in its key expressions still count
      return null;
    }
    for (Object key : keys) walk(key, bound, fns);
    return bound;
  }

  private boolean collect(Object matcher, Set<String> bound, List<Object> keys) throws ReflectiveOperationException {
    if (matcher == null) return true;
    String name = matcher.getClass().getName();
    switch (name) {
      case TREE + "matcher.matchers.ValueMatcher":
        bound.add(named(get(matcher, "name")));
        return true;
      case TREE + "matcher.matchers.ArrayMatcher":
        for (Object m : (List<?>) get(matcher, "matchers")) {
          if (!collect(m, bound, keys)) return false;
        }
        return true;
      case TREE + "matcher.matchers.ObjectMatcher":
        for (Object field : (List<?>) get(matcher, "matchers")) {
          Object key = get(field, "name");
          if ((boolean) get(field, "dollar")) {
            // {$a} or {$a: pattern}: the key is the literal name of the variable it binds
            bound.add(named(((JsonNode) get(key, "value")).asText()));
          } else {
            keys.add(key);
          }
          if (!collect(get(field, "matcher"), bound, keys)) return false;
        }
        return true;
      default:
        return false;
    }
  }

  /** Where a name is not an identifier character: the edges of a word. */
  private static final String EDGE = "[A-Za-z0-9_]";
  /** How many occurrences of a name {@link #offset} tries before it gives up. */
  private static final int MAX_PROBES = 200;

  /**
   * The offset in {@code program} of the first place where {@code use} is used and not defined,
   * or -1: at the {@code $} of a variable or label, the {@code @} of a format, the name of a
   * function. jackson-jq's tree has no positions, so each occurrence of the word in the text is
   * renamed in turn, the text compiled again, and the occurrence is the one when the renamed
   * name is a free use of the same kind, looked up where it stands as the old name would be. This
   * is exact whatever the occurrence is (a call, a bound parameter, an object key, a field, a word
   * in a string or a comment), and costs a compile per occurrence, only for a program with an
   * error.
   */
  static int offset(String program, Use use) {
    String word = use.word();
    String probe = "wizprobe";
    while (program.contains(probe)) probe += "x";
    Matcher m = Pattern.compile("(?<!" + EDGE + ")" + Pattern.quote(word) + "(?!" + EDGE + ")").matcher(program);
    for (int tries = 0; tries < MAX_PROBES && m.find(); tries++) {
      String text = program.substring(0, m.start()) + probe + program.substring(m.end());
      JsonQuery q;
      try {
        q = JsonQuery.compile(text, Versions.JQ_1_6);
      } catch (Exception | StackOverflowError e) {
        continue; // not a place a name can be renamed (a format's name, say, is checked later)
      }
      JqNames names = new JqNames(probe, word);
      names.walkQuery(q);
      if (names.hits.contains(use)) return sigil(program, m.start(), use.kind());
    }
    return -1;
  }

  /** The offset of the {@code $} or {@code @} before a name, which may have spaces between. */
  private static int sigil(String program, int at, Kind kind) {
    char want = kind == Kind.FORMAT ? '@' : kind == Kind.FUNCTION ? 0 : '$';
    if (want == 0) return at;
    int i = at - 1;
    while (i >= 0 && Character.isWhitespace(program.charAt(i))) i--;
    return i >= 0 && program.charAt(i) == want ? i : at;
  }

  private static Object get(Object o, String name) throws ReflectiveOperationException {
    return FastPath.get(o, name);
  }
}

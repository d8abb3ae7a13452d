package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.thisptr.jackson.jq.JsonQuery;

/**
 * The variables and functions a compiled jq program uses without defining them, found in the
 * tree jackson-jq's parser made, without running the program. jackson-jq looks both up only when
 * the program runs, so {@code $typo} or {@code typo(.)} would otherwise pass compilation and fail
 * on the first record that reaches it.
 *
 * <p>Scopes follow jackson-jq's interpreter: {@code E as $x | body} binds in the rest of its pipe,
 * {@code reduce}/{@code foreach} bind in their update and extract (not in their initial value),
 * {@code def f($a; g)} binds {@code $a} and {@code g/0} in its body. A function a {@code def} makes
 * counts as defined everywhere in the program: the interpreter adds it, when the {@code def} runs,
 * to a scope that the rest of the pipe and its neighbours share, so where it can be called is a
 * matter of evaluation order. Where in doubt a name counts as defined: a tree
 * with a node this does not know (another jackson-jq version) gives no answer at all, so nothing
 * valid is ever rejected.
 */
final class JqNames {
  private static final String JQ = "net.thisptr.jackson.jq.";
  private static final String TREE = JQ + "internal.tree.";

  /** The nodes that bind nothing and whose children are walked as they are. */
  private static final Set<String> PLAIN = Set.of(
      "internal.IsolatedScopeQuery", "internal.misc.Pair",
      "tree.ArrayConstruction", "tree.BreakExpression", "tree.Conditional", "tree.FormattingFilter",
      "tree.IdentifierKeyFieldConstruction", "tree.JsonQueryKeyFieldConstruction", "tree.NegativeExpression",
      "tree.ObjectConstruction", "tree.RecursionOperator", "tree.SemicolonOperator", "tree.StringInterpolation",
      "tree.StringKeyFieldConstruction", "tree.ThisObject", "tree.TransformPipeComponent", "tree.TryCatch",
      "tree.Tuple", "tree.binaryop.AlternativeOperatorExpression", "tree.binaryop.BooleanAndExpression",
      "tree.binaryop.BooleanOrExpression", "tree.binaryop.DivideExpression", "tree.binaryop.MinusExpression",
      "tree.binaryop.ModuloExpression", "tree.binaryop.MultiplyExpression", "tree.binaryop.PlusExpression",
      "tree.binaryop.assignment.Assignment", "tree.binaryop.assignment.ComplexAlternativeAssignment",
      "tree.binaryop.assignment.ComplexAssignment", "tree.binaryop.assignment.ComplexDivideAssignment",
      "tree.binaryop.assignment.ComplexMinusAssignment", "tree.binaryop.assignment.ComplexModuloAssignment",
      "tree.binaryop.assignment.ComplexMultiplyAssignment", "tree.binaryop.assignment.ComplexPlusAssignment",
      "tree.binaryop.assignment.UpdateAssignment", "tree.binaryop.comparison.CompareEqualTest",
      "tree.binaryop.comparison.CompareGreaterEqualTest", "tree.binaryop.comparison.CompareGreaterTest",
      "tree.binaryop.comparison.CompareLessEqualTest", "tree.binaryop.comparison.CompareLessTest",
      "tree.binaryop.comparison.CompareNotEqualTest", "tree.fieldaccess.BracketExtractFieldAccess",
      "tree.fieldaccess.BracketFieldAccess", "tree.fieldaccess.IdentifierFieldAccess",
      "tree.fieldaccess.StringFieldAccess", "tree.literal.BooleanLiteral", "tree.literal.DoubleLiteral",
      "tree.literal.LongLiteral", "tree.literal.NullLiteral", "tree.literal.StringLiteral");

  /**
   * What a program uses and does not define, each in the order first met.
   *
   * @param variables names without the {@code $}
   * @param functions calls as {@code name/arity} that no {@code def} in the program makes; they
   *     may still be builtins
   */
  record Free(List<String> variables, List<String> functions) {
    Free {
      variables = List.copyOf(variables);
      functions = List.copyOf(functions);
    }
  }

  /** Thrown when the tree has a shape this does not know. */
  private static final class Unknown extends Exception {
    Unknown() {
      super(null, null, false, false);
    }
  }

  private final Set<String> variables = new LinkedHashSet<>();
  private final Set<String> functions = new LinkedHashSet<>();
  private final Set<String> defined = new HashSet<>();

  private JqNames() {}

  /** The free names of a compiled query, or empty when its tree cannot be read. */
  static Optional<Free> of(JsonQuery query) {
    JqNames names = new JqNames();
    try {
      names.walk(get(query, "expr"), Set.of(), Set.of());
    } catch (Unknown | ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
    names.functions.removeAll(names.defined);
    return Optional.of(new Free(new ArrayList<>(names.variables), new ArrayList<>(names.functions)));
  }

  /** Walks one node with the variables and functions ({@code name/arity}) visible there. */
  private void walk(Object node, Set<String> vars, Set<String> fns) throws Unknown, ReflectiveOperationException {
    if (node == null) return;
    if (node instanceof List<?> list) {
      for (Object o : list) walk(o, vars, fns);
      return;
    }
    String name = node.getClass().getName();
    if (!name.startsWith(JQ)) throw new Unknown();
    String local = name.substring(JQ.length()).replace("internal.tree.", "tree.");
    switch (local) {
      case "tree.VariableAccess":
      case "tree.VariableKeyFieldConstruction": {
        // $name::name reads data an import brings, which this does not follow
        boolean module = local.equals("tree.VariableAccess") && get(node, "moduleName") != null;
        String var = (String) get(node, "name");
        if (!module && !vars.contains(var)) variables.add(var);
        return;
      }
      case "tree.FunctionCall": {
        walk(get(node, "args"), vars, fns);
        String key = get(node, "name") + "/" + ((List<?>) get(node, "args")).size();
        if (get(node, "moduleName") == null && !fns.contains(key)) functions.add(key);
        return;
      }
      case "tree.PipedQuery": {
        Set<String> v = vars;
        for (Object component : (List<?>) get(node, "components")) {
          String kind = component.getClass().getName();
          if (kind.equals(TREE + "AssignPipeComponent")) {
            walk(get(component, "expr"), v, fns);
            v = bind(get(component, "matcher"), v, fns);
          } else if (kind.equals(TREE + "TransformPipeComponent")) {
            walk(get(component, "expr"), v, fns);
          } else if (!kind.equals(TREE + "LabelPipeComponent")) {
            throw new Unknown();
          }
        }
        return;
      }
      case "tree.ReduceExpression": {
        walk(get(node, "iterExpr"), vars, fns);
        walk(get(node, "initExpr"), vars, fns);
        walk(get(node, "reduceExpr"), bind(get(node, "matcher"), vars, fns), fns);
        return;
      }
      case "tree.ForeachExpression": {
        walk(get(node, "iterExpr"), vars, fns);
        walk(get(node, "initExpr"), vars, fns);
        Set<String> inner = bind(get(node, "matcher"), vars, fns);
        walk(get(node, "updateExpr"), inner, fns);
        walk(get(node, "extractExpr"), inner, fns);
        return;
      }
      case "tree.FunctionDefinition": {
        Set<String> v = new HashSet<>(vars);
        Set<String> f = new HashSet<>(fns);
        List<?> params = (List<?>) get(node, "args");
        defined.add(get(node, "fname") + "/" + params.size());
        for (Object p : params) {
          String param = (String) p;
          if (param.startsWith("$")) v.add(param.substring(1));
          else f.add(param + "/0");
        }
        walk(get(node, "body"), v, f);
        return;
      }
      default:
        if (!PLAIN.contains(local)) throw new Unknown();
        walkFields(node, vars, fns);
    }
  }

  /** The children of a node that binds nothing: every field that holds part of the tree. */
  private void walkFields(Object node, Set<String> vars, Set<String> fns)
      throws Unknown, ReflectiveOperationException {
    for (Class<?> c = node.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) continue;
        f.setAccessible(true);
        Object value = f.get(node);
        if (value instanceof List<?> || (value != null && isTree(value))) walk(value, vars, fns);
      }
    }
  }

  private static boolean isTree(Object value) {
    String name = value.getClass().getName();
    return name.startsWith(TREE) || name.equals(JQ + "internal.IsolatedScopeQuery")
        || name.equals(JQ + "internal.misc.Pair");
  }

  /**
   * The variables a pattern ({@code $x}, {@code [$a, {b: $c}]}) adds to {@code vars}; walks the
   * key expressions of object patterns on the way, counting the pattern's own variables as
   * defined there.
   */
  private Set<String> bind(Object matcher, Set<String> vars, Set<String> fns)
      throws Unknown, ReflectiveOperationException {
    Set<String> bound = new HashSet<>(vars);
    List<Object> keys = new ArrayList<>();
    collect(matcher, bound, keys);
    for (Object key : keys) walk(key, bound, fns);
    return bound;
  }

  private static void collect(Object matcher, Set<String> bound, List<Object> keys)
      throws Unknown, ReflectiveOperationException {
    if (matcher == null) return;
    String name = matcher.getClass().getName();
    switch (name) {
      case TREE + "matcher.matchers.ValueMatcher":
        bound.add((String) get(matcher, "name"));
        return;
      case TREE + "matcher.matchers.ArrayMatcher":
        for (Object m : (List<?>) get(matcher, "matchers")) collect(m, bound, keys);
        return;
      case TREE + "matcher.matchers.ObjectMatcher":
        for (Object field : (List<?>) get(matcher, "matchers")) {
          Object key = get(field, "name");
          if ((boolean) get(field, "dollar")) {
            // {$a} or {$a: pattern}: the key is the literal name of the variable it binds
            bound.add(((JsonNode) get(key, "value")).asText());
          } else {
            keys.add(key);
          }
          collect(get(field, "matcher"), bound, keys);
        }
        return;
      default:
        throw new Unknown();
    }
  }

  private static Object get(Object o, String name) throws ReflectiveOperationException {
    return FastPath.get(o, name);
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;

/**
 * A compiled fast path for the jq forms that most pipelines use: paths ({@code .a.b},
 * {@code ."x y"}), literals, comparisons, arithmetic, {@code and}/{@code or}/{@code not}, pipes
 * of those, and object construction from them ({@code {id, total: (.amount * 100)}}).
 *
 * <p>It is built from the tree jackson-jq's own parser made (so there is one jq grammar, theirs),
 * and the comparison and arithmetic operators are the ones in that tree (wiz's, once {@link
 * JqOperators#patch} has run), so values compare and add as in the interpreter. Each form gives exactly one output. Anything off the common case (a path into
 * a value that is not an object, an operator error) gives up with {@link #GIVE_UP} and the caller
 * runs the interpreter on that record, so both paths give the same outputs and the same errors.
 * A tree with any other node (or a jackson-jq whose internals look different) gets no fast path.
 */
final class FastPath {
  private FastPath() {}

  /** Evaluates on one record; throws {@link #GIVE_UP} to hand the record to the interpreter. */
  interface Node {
    JsonNode eval(JsonNode in) throws GiveUp;
  }

  /** Thrown, without a stack trace, when a record needs the interpreter. */
  static final class GiveUp extends Exception {
    private GiveUp() {
      super(null, null, false, false);
    }
  }

  static final GiveUp GIVE_UP = new GiveUp();

  private static final String TREE = "net.thisptr.jackson.jq.internal.tree.";

  /** The fast path for a compiled query, when every node of it has one. */
  static Optional<Node> of(JsonQuery query) {
    try {
      return Optional.ofNullable(build(get(query, "expr")));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Node build(Object e) throws ReflectiveOperationException {
    if (e == null) return null;
    String name = e.getClass().getName();
    switch (name) {
      case "net.thisptr.jackson.jq.internal.IsolatedScopeQuery":
        return build(get(e, "q"));
      case TREE + "ThisObject":
        return in -> in;
      case TREE + "literal.StringLiteral":
      case TREE + "literal.LongLiteral":
      case TREE + "literal.DoubleLiteral":
      case TREE + "literal.BooleanLiteral":
      case TREE + "literal.NullLiteral": {
        JsonNode value = (JsonNode) get(e, "value");
        return value == null ? null : in -> value;
      }
      case TREE + "fieldaccess.IdentifierFieldAccess": {
        if ((boolean) get(e, "permissive")) return null;
        return field(build(get(e, "target")), (String) get(e, "field"));
      }
      case TREE + "fieldaccess.StringFieldAccess": {
        if ((boolean) get(e, "permissive")) return null;
        Object key = get(e, "field");
        if (!key.getClass().getName().equals(TREE + "literal.StringLiteral")) return null;
        return field(build(get(e, "target")), ((JsonNode) get(key, "value")).asText());
      }
      case TREE + "NegativeExpression": {
        // A negative number literal (-2): folded once, as the interpreter's negation gives it (the
        // literal read in a scope without the builtins: a literal calls no function).
        Object inner = get(e, "value");
        if (inner == null || !inner.getClass().getName().startsWith(TREE + "literal.")) return null;
        List<JsonNode> out = new ArrayList<>();
        JsonNode value;
        try {
          ((net.thisptr.jackson.jq.Expression) inner).apply(Scope.newEmptyScope(), NullNode.getInstance(), null,
              (v, path) -> out.add(v), false);
          if (out.size() != 1) return null;
          value = JqArithmetic.negate(out.get(0));
        } catch (JsonQueryException x) {
          return null;
        }
        return in -> value;
      }
      case TREE + "fieldaccess.BracketFieldAccess": {
        Object key = get(e, "startExpr");
        if ((boolean) get(e, "permissive") || (boolean) get(e, "isRange") || get(e, "endExpr") != null
            || key == null || !key.getClass().getName().equals(TREE + "literal.StringLiteral")) {
          return null;
        }
        return field(build(get(e, "target")), ((JsonNode) get(key, "value")).asText());
      }
      case TREE + "binaryop.BooleanAndExpression":
      case TREE + "binaryop.BooleanOrExpression": {
        Node lhs = build(get(e, "lhs"));
        Node rhs = build(get(e, "rhs"));
        if (lhs == null || rhs == null) return null;
        boolean and = name.endsWith("AndExpression");
        return in -> {
          boolean l = Expression.truthy(lhs.eval(in));
          if (and ? !l : l) return BooleanNode.valueOf(l);
          return BooleanNode.valueOf(Expression.truthy(rhs.eval(in)));
        };
      }
      case TREE + "binaryop.comparison.CompareEqualTest":
      case TREE + "binaryop.comparison.CompareNotEqualTest":
      case TREE + "binaryop.comparison.CompareLessTest":
      case TREE + "binaryop.comparison.CompareLessEqualTest":
      case TREE + "binaryop.comparison.CompareGreaterTest":
      case TREE + "binaryop.comparison.CompareGreaterEqualTest":
        return comparison((BinaryOperator) get(e, "operator"), build(get(e, "lhs")), build(get(e, "rhs")));
      case TREE + "binaryop.PlusExpression":
      case TREE + "binaryop.MinusExpression":
      case TREE + "binaryop.MultiplyExpression":
      case TREE + "binaryop.DivideExpression":
      case TREE + "binaryop.ModuloExpression": {
        BinaryOperator op = (BinaryOperator) get(e, "operator");
        Node lhs = build(get(e, "lhs"));
        Node rhs = build(get(e, "rhs"));
        if (op == null || lhs == null || rhs == null) return null;
        return in -> {
          // jq evaluates the right side first: with single outputs the order does not show.
          JsonNode r = rhs.eval(in);
          JsonNode l = lhs.eval(in);
          try {
            return op.apply(JqSupport.MAPPER, l, r);
          } catch (JsonQueryException | RuntimeException x) {
            throw GIVE_UP;
          }
        };
      }
      case TREE + "PipedQuery": {
        List<Node> parts = new ArrayList<>();
        for (Object c : (List<?>) get(e, "components")) {
          if (!c.getClass().getName().equals(TREE + "TransformPipeComponent")) return null;
          Node n = build(get(c, "expr"));
          if (n == null) return null;
          parts.add(n);
        }
        Node[] chain = parts.toArray(new Node[0]);
        return in -> {
          JsonNode v = in;
          for (Node n : chain) v = n.eval(v);
          return v;
        };
      }
      case TREE + "FunctionCall": {
        // Only 'not', and only jq's: a pipeline that defines its own functions has other nodes.
        if (!"not".equals(get(e, "name")) || !((List<?>) get(e, "args")).isEmpty() || get(e, "moduleName") != null) {
          return null;
        }
        return in -> BooleanNode.valueOf(!Expression.truthy(in));
      }
      case TREE + "ObjectConstruction":
        return object((List<?>) get(e, "fields"));
      default:
        return null;
    }
  }

  /**
   * A comparison, with the test of wiz's operator that {@link JqOperators#patch} put in the tree
   * (so in {@link JqOrder}'s order, as the interpreter compares). A comparison never fails.
   */
  private static Node comparison(BinaryOperator op, Node lhs, Node rhs) {
    if (!(op instanceof JqComparison) || lhs == null || rhs == null) return null;
    JqComparison.Test test = ((JqComparison) op).test();
    return in -> {
      JsonNode r = rhs.eval(in); // jq evaluates the right side first
      JsonNode l = lhs.eval(in);
      return BooleanNode.valueOf(test.test(l, r));
    };
  }

  /** {@code .name} of what target gives: an object's field (null when absent), null of null. */
  private static Node field(Node target, String name) {
    if (target == null) return null;
    // Jackson interns the field names it parses: an interned key finds them by identity.
    String key = name.intern();
    return in -> {
      JsonNode t = target.eval(in);
      if (t.isObject()) {
        JsonNode v = t.get(key);
        return v == null ? NullNode.getInstance() : v;
      }
      if (t.isNull()) return NullNode.getInstance();
      throw GIVE_UP;
    };
  }

  private static Node object(List<?> fields) throws ReflectiveOperationException {
    List<String> keys = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object f : fields) {
      String kind = f.getClass().getName();
      String key;
      Object value = get(f, "value");
      if (kind.equals(TREE + "IdentifierKeyFieldConstruction")) {
        key = (String) get(f, "key");
      } else if (kind.equals(TREE + "StringKeyFieldConstruction")) {
        Object k = get(f, "key");
        if (!k.getClass().getName().equals(TREE + "literal.StringLiteral")) return null;
        key = ((JsonNode) get(k, "value")).asText();
      } else {
        return null;
      }
      if (!seen.add(key)) return null; // {a: 1, a: 2}: leave it to the interpreter
      Node v = value == null ? field(in -> in, key) : build(value);
      if (v == null) return null;
      keys.add(key);
      values.add(v);
    }
    String[] k = keys.toArray(new String[0]);
    Node[] v = values.toArray(new Node[0]);
    return in -> {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (int i = 0; i < k.length; i++) o.set(k[i], v[i].eval(in));
      return o;
    };
  }

  /** A field of a jackson-jq tree node, declared in its class or a superclass (JqNames reads them too). */
  static Object get(Object o, String name) throws ReflectiveOperationException {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(o.getClass().getName() + "." + name);
  }
}

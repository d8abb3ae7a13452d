package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.internal.tree.fieldaccess.BracketFieldAccess;
import net.thisptr.jackson.jq.internal.tree.fieldaccess.FieldAccess;
import net.thisptr.jackson.jq.path.ArrayIndexOfPath;
import net.thisptr.jackson.jq.path.Path;

/**
 * {@code .[e]} where {@code e} is no literal, with jq's equality when {@code e} gives an array:
 * {@code [0, 1] | .[[-0.0]]} is where the sequence {@code [-0.0]} starts, {@code [0]}, as jq gives
 * (jackson-jq searched with its own comparator, which told {@code -0.0} from {@code 0}). Every
 * other case is what jackson-jq's {@code .[e]} does: it evaluates {@code e} first and the target
 * once for each of its outputs, then hands the pair to the same helpers of jackson-jq's {@link
 * FieldAccess} (a number, a string; an array index into anything but an array, or where a path is
 * required and the target has none), so results, paths and errors stay as they were.
 */
final class JqIndexOf extends FieldAccess implements JqTree.Walked {
  private final Expression index;

  private JqIndexOf(Expression target, Expression index, boolean permissive) {
    super(target, permissive);
    this.index = index;
  }

  @Override
  public void apply(Scope scope, JsonNode in, Path ipath, PathOutput output, boolean requirePath) throws JsonQueryException {
    index.apply(scope, in, i -> target.apply(scope, in, ipath, (t, tpath) -> {
      if (i.isNumber()) {
        emitArrayIndexPath(permissive, i, t, tpath, output, requirePath);
      } else if (i.isTextual()) {
        emitObjectFieldPath(permissive, i.asText(), t, tpath, output, requirePath);
      } else if (i.isArray()) {
        if (t.isArray() && (tpath != null || !requirePath)) {
          ArrayNode at = JsonNodeFactory.instance.arrayNode();
          for (int p : JqOrderBuiltins.positions(t, i)) at.add(p);
          output.emit(at, ArrayIndexOfPath.chainIfNotNull(tpath, i));
        } else {
          emitArrayIndexOfPath(permissive, i, t, tpath, output, requirePath);
        }
      } else if (!permissive) {
        throw new JsonQueryTypeException("Cannot index %s with %s", t.getNodeType(), i.getNodeType());
      }
    }, requirePath));
  }

  @Override
  public String toString() {
    return String.format("%s[%s]%s", target, index, permissive ? "?" : "");
  }

  /**
   * Puts one of these in place of every {@code .[e]} in a compiled program whose {@code e} is no
   * literal (a literal is never an array). Run after {@link FastPath} and {@link JqNames} have
   * read the tree, which know jackson-jq's nodes only. Returns how many it swapped.
   */
  static int patch(Object program) {
    int swapped = 0;
    List<JqTree.Slot> found = JqTree.find(program, JqIndexOf::replaceable);
    // Inner ones first: a node is made from its children as they are then.
    for (int k = found.size() - 1; k >= 0; k--) {
      JqTree.Slot s = found.get(k);
      try {
        JqIndexOf ours = new JqIndexOf((Expression) FastPath.get(s.value, "target"),
            (Expression) FastPath.get(s.value, "startExpr"), (boolean) FastPath.get(s.value, "permissive"));
        if (s.set(ours)) swapped++;
      } catch (ReflectiveOperationException | RuntimeException e) {
        // another jackson-jq: its node stays
      }
    }
    return swapped;
  }

  private static boolean replaceable(Object e) {
    if (e.getClass() != BracketFieldAccess.class) return false;
    try {
      Object start = FastPath.get(e, "startExpr");
      return !(boolean) FastPath.get(e, "isRange") && FastPath.get(e, "endExpr") == null && start != null
          && !start.getClass().getName().startsWith("net.thisptr.jackson.jq.internal.tree.literal.");
    } catch (ReflectiveOperationException | RuntimeException x) {
      return false;
    }
  }
}

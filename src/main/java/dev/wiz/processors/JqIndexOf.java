package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.tree.fieldaccess.BracketFieldAccess;
import net.thisptr.jackson.jq.path.ArrayIndexOfPath;
import net.thisptr.jackson.jq.path.Path;

/**
 * {@code .[e]} where {@code e} is no literal, with jq's equality when {@code e} gives an array:
 * {@code [0, 1] | .[[-0.0]]} is where the sequence {@code [-0.0]} starts, {@code [0]}, as jq gives
 * (jackson-jq searched with its own comparator, which told {@code -0.0} from {@code 0}). Every
 * other index (a number, a string, null) and every other target goes to a {@code .[e]} of
 * jackson-jq's own, for the value that {@code e} gave: its results, paths and errors stay as they
 * were. Like jackson-jq's, it evaluates {@code e} first and the target once for each of its
 * outputs.
 */
final class JqIndexOf implements Expression {
  private final Expression target;
  private final Expression index;
  private final boolean permissive;

  private JqIndexOf(Expression target, Expression index, boolean permissive) {
    this.target = target;
    this.index = index;
    this.permissive = permissive;
  }

  @Override
  public void apply(Scope scope, JsonNode in, Path ipath, PathOutput output, boolean requirePath) throws JsonQueryException {
    index.apply(scope, in, i -> {
      if (!i.isArray()) {
        new BracketFieldAccess(target, new Fixed(i, null), permissive).apply(scope, in, ipath, output, requirePath);
        return;
      }
      target.apply(scope, in, ipath, (t, tpath) -> {
        if (t.isArray()) {
          ArrayNode at = JsonNodeFactory.instance.arrayNode();
          for (int p : JqOrderBuiltins.positions(t, i)) at.add(p);
          output.emit(at, ArrayIndexOfPath.chainIfNotNull(tpath, i));
        } else {
          // Not an array: jackson-jq's answer (null for null, else its error unless '?').
          new BracketFieldAccess(new Fixed(t, tpath), new Fixed(i, null), permissive).apply(scope, in, ipath, output,
              requirePath);
        }
      }, requirePath);
    });
  }

  /** A value that is already known, at the path it came from. */
  private static final class Fixed implements Expression {
    private final JsonNode value;
    private final Path path;

    Fixed(JsonNode value, Path path) {
      this.value = value;
      this.path = path;
    }

    @Override
    public void apply(Scope scope, JsonNode in, Path ipath, PathOutput output, boolean requirePath) throws JsonQueryException {
      output.emit(value, path);
    }
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

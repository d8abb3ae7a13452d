package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.misc.JsonNodeComparator;
import net.thisptr.jackson.jq.internal.misc.JsonNodeUtils;
import net.thisptr.jackson.jq.internal.tree.binaryop.assignment.UpdateAssignment;
import net.thisptr.jackson.jq.path.Path;
import net.thisptr.jackson.jq.path.RootPath;

/**
 * {@code paths |= f} as jq 1.7.1 defines it ({@code _modify}): each path the left side gives, on
 * the input, is set to the first output of {@code f} on the value there; a path for which {@code
 * f} has no output is deleted, all of them at once after the updates ({@code [1,2,3] | .[] |=
 * empty} is {@code []}, {@code (.[] | select(. >= 2)) |= empty} of {@code [1,5,3,0,7]} is {@code
 * [1,0]}). jackson-jq failed the record there ({@code `|= empty` is undefined}); jq 1.6 deleted
 * each path as it went, so that every other element survived ({@code [2]}). jackson-jq also ran
 * {@code f} to its end before it took the first output: here, as in jq, {@code f} stops after
 * it, so {@code .a |= (1, error("x"))} sets 1.
 */
final class JqUpdate extends UpdateAssignment implements JqTree.Walked {
  /** Thrown at the second output of the right side, to stop it as jq's {@code break} does. */
  private static final class First extends JsonQueryException {
    private static final long serialVersionUID = 1L;

    First() {
      super("|= takes the first output", (Throwable) null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not an error: no stack to fill in
    }
  }

  /** Thrown by the update of one path when the right side has no output: the path is deleted. */
  private static final class NoOutput extends JsonQueryException {
    private static final long serialVersionUID = 1L;

    NoOutput() {
      super("|= had no output", (Throwable) null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow, not an error: no stack to fill in
    }
  }

  private JqUpdate(Expression lhs, Expression rhs) {
    super(lhs, rhs, Versions.JQ_1_6);
  }

  @Override
  public void apply(Scope scope, JsonNode in, Path ipath, PathOutput output, boolean requirePath) throws JsonQueryException {
    JsonNode[] result = {in};
    ArrayNode[] deleted = {null};
    lhs.apply(scope, in, RootPath.getInstance(), (value, path) -> {
      // as jackson-jq's: a value equal to the input stands for the input's own path ('1 as $x | $x |= .')
      if (path == null && value.isValueNode() && JsonNodeComparator.getInstance().compare(value, in) == 0) {
        path = RootPath.getInstance();
      }
      if (path == null) throw new JsonQueryException("Invalid path expression with result %s", JsonNodeUtils.toString(value));
      Path at = path;
      try {
        result[0] = at.mutate(result[0], old -> {
          JsonNode first = first(scope, old == null ? NullNode.getInstance() : old);
          if (first != null) return first;
          throw new NoOutput();
        });
      } catch (NoOutput none) {
        // Deleted below, with the others. The value stays as it was: mutate makes the objects and
        // arrays on the way to a path that is not there ({"user":null} would become {"user":{}}),
        // and copies what it changes, so leaving it here leaves nothing made.
        if (deleted[0] == null) deleted[0] = JsonNodeFactory.instance.arrayNode();
        at.toJsonNode(deleted[0].addArray());
      }
    }, true);
    if (deleted[0] == null) {
      output.emit(result[0], null);
      return;
    }
    JsonNode paths = deleted[0];
    Function delpaths = scope.getFunction("delpaths", 1);
    Expression all = (s, x, p, out, r) -> out.emit(paths, null);
    delpaths.apply(scope, List.of(all), result[0], null, (v, p) -> output.emit(v, null), Versions.JQ_1_6);
  }

  /** The first output of the right side on {@code value}, or null when it has none. */
  private JsonNode first(Scope scope, JsonNode value) throws JsonQueryException {
    JsonNode[] first = {null};
    try {
      rhs.apply(scope, value, v -> {
        if (first[0] == null) first[0] = v;
        throw new First();
      });
    } catch (First stop) {
      // the first output came: the rest of the right side is not run
    }
    return first[0];
  }

  /**
   * Puts one of these in place of every {@code |=} of jackson-jq's reachable from {@code root} (a
   * compiled program, or a scope with its functions: {@code map_values} is {@code .[] |= f}). Run
   * after {@link FastPath} and {@link JqNames} have read the tree. Returns how many it swapped.
   */
  static int patch(Object root) {
    int swapped = 0;
    List<JqTree.Slot> found = JqTree.find(root, v -> v.getClass() == UpdateAssignment.class);
    for (int k = found.size() - 1; k >= 0; k--) { // inner ones first
      JqTree.Slot s = found.get(k);
      try {
        JqUpdate ours = new JqUpdate((Expression) FastPath.get(s.value, "lhs"), (Expression) FastPath.get(s.value, "rhs"));
        if (s.set(ours)) swapped++;
      } catch (ReflectiveOperationException | RuntimeException e) {
        // another jackson-jq: its node stays
      }
    }
    return swapped;
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.tree.FieldConstruction;
import net.thisptr.jackson.jq.internal.tree.IdentifierKeyFieldConstruction;
import net.thisptr.jackson.jq.internal.tree.StringKeyFieldConstruction;

/**
 * The shorthand fields of an object construction, {@code {id}}, {@code {"a b"}} and {@code
 * {"\(.k)"}}, as jq gives them: {@code .id}, so on an input that is neither an object nor null it
 * is jq's error ({@code [1] | {id}} says {@code Cannot index array with string "id"}), where
 * jackson-jq gave {@code {"id":null}}: a record of the wrong shape went through a step such as
 * {@code {id, user}} as nulls instead of being rejected. Fields with a value ({@code {a: .x}})
 * stay jackson-jq's.
 */
final class JqFieldShorthand implements FieldConstruction, JqTree.Walked {
  /** The key: a name as written, or null when {@link #keyExpr} gives it. */
  private final String key;
  private final Expression keyExpr;

  private JqFieldShorthand(String key, Expression keyExpr) {
    this.key = key;
    this.keyExpr = keyExpr;
  }

  @Override
  public void evaluate(Scope scope, JsonNode in, FieldConsumer consumer) throws JsonQueryException {
    if (key != null) {
      consumer.accept(key, field(in, key));
      return;
    }
    keyExpr.apply(scope, in, k -> {
      if (!k.isTextual()) throw new JsonQueryException("key must evaluate to string"); // jackson-jq's words
      consumer.accept(k.asText(), field(in, k.asText()));
    });
  }

  /** {@code .[name]}: an object's field (null when absent), null of null, else jq's error. */
  private static JsonNode field(JsonNode in, String name) throws JsonQueryException {
    if (in.isObject()) {
      JsonNode v = in.get(name);
      return v == null ? NullNode.getInstance() : v;
    }
    if (in.isNull()) return NullNode.getInstance();
    throw new JsonQueryException("Cannot index " + in.getNodeType().name().toLowerCase(Locale.ROOT) + " with string "
        + TextNode.valueOf(name));
  }

  @Override
  public String toString() {
    return key != null ? key : keyExpr.toString();
  }

  /**
   * Puts one of these in place of every shorthand field reachable from {@code root}. Run after
   * {@link FastPath} and {@link JqNames} have read the tree. Returns how many it swapped.
   */
  static int patch(Object root) {
    int swapped = 0;
    for (JqTree.Slot s : JqTree.find(root, JqFieldShorthand::shorthand)) {
      FieldConstruction ours = s.value instanceof IdentifierKeyFieldConstruction f
          ? new JqFieldShorthand(f.key, null)
          : new JqFieldShorthand(null, ((StringKeyFieldConstruction) s.value).key);
      if (s.set(ours)) swapped++;
    }
    return swapped;
  }

  private static boolean shorthand(Object o) {
    if (o.getClass() == IdentifierKeyFieldConstruction.class) return ((IdentifierKeyFieldConstruction) o).value == null;
    if (o.getClass() == StringKeyFieldConstruction.class) return ((StringKeyFieldConstruction) o).value == null;
    return false;
  }
}

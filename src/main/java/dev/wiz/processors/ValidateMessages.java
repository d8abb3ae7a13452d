package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code validate} processor's message for one validator error: networknt's own, except where
 * it says something the record contradicts or names Java internals. Rewritten:
 *
 * <ul>
 *   <li>a {@code false} schema: networknt says "schema for 'null' is false" at the root and names
 *       only the last step elsewhere ('0', '$ref'); wiz names the schema's place:
 *       {@code the schema at #/anyOf/0 is false, which no value passes};
 *   <li>{@code propertyNames: false}: {@code key 'a' is not allowed: the schema at #/propertyNames
 *       is false, which no name passes};
 *   <li>the bounds: draft-04's {@code exclusiveMaximum: true} made networknt say "must have a
 *       maximum value of 5" for 5; all four read {@code must be less than 5},
 *       {@code must be at most 5} (and {@code greater than}, {@code at least});
 *   <li>{@code dependencies} with a list: networknt printed a Java map ({@code {a=[b]}}); now
 *       {@code missing property 'b', which 'a' requires (dependencies)}, and likewise for
 *       {@code dependentRequired};
 *   <li>{@code contains}: the counts the schema asks for and where its item schema is.
 * </ul>
 */
final class ValidateMessages {
  private ValidateMessages() {}

  /** The message for one error; {@code root} is the user's schema document. */
  static String message(Error e, JsonNode root) {
    String keyword = String.valueOf(e.getKeyword());
    JsonNode rule = e.getSchemaNode();
    JsonNode value = e.getInstanceNode();
    switch (keyword) {
      case "false":
        return falseSchema(schemaPointer(e.getSchemaLocation() == null ? null : e.getSchemaLocation().getFragment(), 1));
      case "propertyNames":
        if (rule != null && rule.isBoolean() && !rule.booleanValue()) {
          return "key '" + e.getProperty() + "' is not allowed: the schema at #"
              + schemaPointer(e.getSchemaLocation().getFragment(), 0) + " is false, which no name passes";
        }
        return e.getMessage();
      case "maximum":
      case "minimum":
      case "exclusiveMaximum":
      case "exclusiveMinimum":
        return bound(e, keyword, rule, value, root);
      case "dependencies":
      case "dependentRequired":
        return dependency(e, keyword, rule, value);
      case "contains":
      case "minContains":
      case "maxContains":
        return contains(e, keyword, root);
      default:
        return e.getMessage();
    }
  }

  private static String falseSchema(String at) {
    return at.isEmpty() ? "the schema is false, which no value passes"
        : "the schema at #" + at + " is false, which no value passes";
  }

  private static String bound(Error e, String keyword, JsonNode rule, JsonNode value, JsonNode root) {
    if (rule == null || !rule.isNumber() || value == null || !value.isNumber()) return e.getMessage();
    boolean max = keyword.endsWith("aximum");
    boolean exclusive = keyword.startsWith("exclusive");
    if (!exclusive) {
      // draft-04: exclusiveMaximum/exclusiveMinimum is a flag next to maximum/minimum. A value equal
      // to the bound fails only then; otherwise the flag is read from the schema where it can be.
      exclusive = value.decimalValue().compareTo(rule.decimalValue()) == 0 || flag(e, keyword, root);
    }
    String must = max ? (exclusive ? "less than " : "at most ") : (exclusive ? "greater than " : "at least ");
    // the value is not shown: the validator sees numbers as ValidateNumbers made them, not as written
    return "must be " + must + Fields.show(rule);
  }

  /** Whether the draft-04 flag next to the bound is true in the schema document. */
  private static boolean flag(Error e, String keyword, JsonNode root) {
    if (root == null || e.getSchemaLocation() == null) return false;
    String at = schemaPointer(e.getSchemaLocation().getFragment(), 1);
    JsonNode flag = root.at(at).path(keyword.equals("maximum") ? "exclusiveMaximum" : "exclusiveMinimum");
    return flag.isBoolean() && flag.booleanValue();
  }

  private static String dependency(Error e, String keyword, JsonNode rule, JsonNode value) {
    String key = e.getProperty();
    JsonNode needs = rule == null || key == null ? null : rule.get(key);
    if (needs == null || !needs.isArray() || value == null || !value.isObject()) return e.getMessage();
    List<String> missing = new ArrayList<>();
    for (JsonNode n : needs) {
      if (!value.has(n.asText())) missing.add("'" + n.asText() + "'");
    }
    if (missing.isEmpty()) return e.getMessage();
    return "missing propert" + (missing.size() == 1 ? "y " : "ies ") + String.join(", ", missing)
        + ", which '" + key + "' requires (" + keyword + ")";
  }

  /**
   * {@code contains} with its counts. networknt applies {@code minContains}/{@code maxContains} in
   * drafts 06 and 07 too, where it then says "does not contain an element that passes" of an array
   * that holds one; so the message names the counts the schema next to {@code contains} has.
   */
  private static String contains(Error e, String keyword, JsonNode root) {
    if (e.getSchemaLocation() == null) return e.getMessage();
    String at = schemaPointer(e.getSchemaLocation().getFragment(), 0);
    if (!at.endsWith("/contains")) return e.getMessage();
    String pass = " passing the schema at #" + at;
    JsonNode parent = root == null ? null : root.at(at.substring(0, at.length() - "/contains".length()));
    JsonNode min = parent == null ? null : parent.get("minContains");
    JsonNode max = parent == null ? null : parent.get("maxContains");
    if (keyword.equals("maxContains") && max != null) return "must contain at most " + items(max) + pass;
    if (keyword.equals("minContains") && min != null) return "must contain at least " + items(min) + pass;
    if (min == null && max == null) return "must contain an item" + pass;
    if (max == null) return "must contain at least " + items(min) + pass;
    if (min == null) return "must contain at least 1 item and at most " + items(max) + pass;
    return "must contain at least " + items(min) + " and at most " + items(max) + pass;
  }

  private static String items(JsonNode n) {
    return n.asText() + (n.asText().equals("1") ? " item" : " items");
  }

  /** A schema location's fragment as a JSON pointer, without its last {@code drop} steps. */
  private static String schemaPointer(NodePath path, int drop) {
    if (path == null) return "";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < path.getNameCount() - drop; i++) {
      b.append('/').append(Fields.pointerToken(String.valueOf(path.getElement(i))));
    }
    return b.toString();
  }
}

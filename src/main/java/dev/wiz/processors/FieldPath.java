package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A dotted field path such as {@code customer.address.city}. A segment that holds a dot, a quote
 * or nothing is written in double quotes ({@code meta."x.y"}); inside quotes {@code \"} and
 * {@code \\} escape. Paths go through objects only: a path never indexes into an array.
 *
 * <p>Writing is copy-on-write: {@link #set} and {@link #remove} change the object they are given
 * but copy every nested object on the way down before changing it, so a caller that starts from
 * {@link #shallowCopy} of an input record never modifies the input.
 */
public final class FieldPath {
  private final List<String> segments;
  private final String text;

  private FieldPath(List<String> segments, String text) {
    this.segments = List.copyOf(segments);
    this.text = text;
  }

  /** Parses a path, or says what is wrong with it. */
  public static FieldPath parse(String text) {
    Optional<String> problem = problem(text);
    if (problem.isPresent()) throw new IllegalArgumentException(problem.get());
    return new FieldPath(split(text), text);
  }

  /** What is wrong with the path, if anything: for a processor's {@code check}. */
  public static Optional<String> problem(String text) {
    if (text == null || text.isEmpty()) return Optional.of("a field path cannot be empty");
    int i = 0;
    int n = text.length();
    while (true) {
      if (i >= n) return Optional.of("field path '" + text + "' ends with a dot: name a field after it");
      if (text.charAt(i) == '"') {
        int j = i + 1;
        boolean closed = false;
        while (j < n) {
          char c = text.charAt(j);
          if (c == '\\' && j + 1 < n) {
            j += 2;
            continue;
          }
          if (c == '"') {
            closed = true;
            break;
          }
          j++;
        }
        if (!closed) return Optional.of("field path '" + text + "' has an unclosed quote at column " + (i + 1));
        i = j + 1;
        if (i < n && text.charAt(i) != '.') {
          return Optional.of("field path '" + text + "' needs a dot after the quoted name at column " + (i + 1));
        }
      } else {
        int j = i;
        while (j < n && text.charAt(j) != '.') {
          if (text.charAt(j) == '"') {
            return Optional.of("field path '" + text + "' has a quote inside a name at column " + (j + 1)
                + ": quote the whole name");
          }
          j++;
        }
        if (j == i) return Optional.of("field path '" + text + "' has an empty name at column " + (i + 1)
            + ": quote a name that holds a dot, as in a.\"b.c\"");
        i = j;
      }
      if (i >= n) return Optional.empty();
      i++; // the dot
    }
  }

  private static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      StringBuilder seg = new StringBuilder();
      if (text.charAt(i) == '"') {
        i++;
        while (text.charAt(i) != '"') {
          char c = text.charAt(i);
          if (c == '\\') {
            i++;
            c = text.charAt(i);
          }
          seg.append(c);
          i++;
        }
        i++;
      } else {
        while (i < n && text.charAt(i) != '.') seg.append(text.charAt(i++));
      }
      out.add(seg.toString());
      i++; // the dot, or past the end
    }
    return out;
  }

  /** The names on the way down, first to last. */
  public List<String> segments() {
    return segments;
  }

  /** The last name. */
  public String leaf() {
    return segments.get(segments.size() - 1);
  }

  /** True when the path is one plain name. */
  public boolean isTopLevel() {
    return segments.size() == 1;
  }

  /** The value at the path, or a {@link MissingNode} when any step is absent or not an object. */
  public JsonNode get(JsonNode root) {
    JsonNode n = root;
    for (String s : segments) {
      if (n == null || !n.isObject()) return MissingNode.getInstance();
      n = n.get(s);
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  /** True when the path leads to a value (which may be JSON {@code null}). */
  public boolean exists(JsonNode root) {
    return !get(root).isMissingNode();
  }

  /**
   * Sets the value, making the objects on the way that are missing. Returns false and changes
   * nothing when a step on the way holds something that is not an object.
   */
  public boolean set(ObjectNode root, JsonNode value) {
    ObjectNode n = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      String s = segments.get(i);
      JsonNode child = n.get(s);
      ObjectNode copy;
      if (child == null || child.isNull()) {
        copy = JsonNodeFactory.instance.objectNode();
      } else if (child.isObject()) {
        copy = shallowCopy(child);
      } else {
        return false;
      }
      n.set(s, copy);
      n = copy;
    }
    n.set(leaf(), value);
    return true;
  }

  /** Removes the field; returns what it held, or {@code null} when there was nothing. */
  public JsonNode remove(ObjectNode root) {
    if (get(root).isMissingNode()) return null;
    ObjectNode n = root;
    for (int i = 0; i < segments.size() - 1; i++) {
      ObjectNode copy = shallowCopy(n.get(segments.get(i)));
      n.set(segments.get(i), copy);
      n = copy;
    }
    return n.remove(leaf());
  }

  /** A new object with the same fields (the values are shared, not copied). */
  public static ObjectNode shallowCopy(JsonNode object) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    copy.setAll((ObjectNode) object);
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldPath p && p.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  /** The path as written. */
  @Override
  public String toString() {
    return text;
  }
}

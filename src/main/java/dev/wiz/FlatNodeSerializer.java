package dev.wiz;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an array or an object, and all that is in it, with an explicit stack instead of a Java
 * frame per level of nesting (below its first 256 levels): the same bytes as Jackson's own {@code ArrayNode.serialize} and
 * {@code ObjectNode.serialize} (keys sorted when the mapper sorts them), but a value nested tens of
 * thousands of levels deep (a jq program can build one) no longer overflows the stack of the thread
 * that writes it, whatever the JIT had compiled by then.
 *
 * <p>The values in it that are not arrays or objects are written as Jackson writes them inside a
 * tree ({@code node.serialize}), or, for a mapper that writes some of them with serializers of its
 * own ({@link #lookingUpModule}), through the mapper's serializer for their class.
 */
public final class FlatNodeSerializer<T extends JsonNode> extends JsonSerializer<T> {
  private final boolean lookUp;

  private FlatNodeSerializer(boolean lookUp) {
    this.lookUp = lookUp;
  }

  /** A module that writes a mapper's arrays and objects so; the other values as Jackson writes them in a tree. */
  public static SimpleModule module() {
    return module(false);
  }

  /**
   * The module for a mapper with serializers of its own for some values (jackson-jq's, which writes
   * doubles as jq does): the values that are not arrays or objects go through the mapper's
   * serializer for their class, as jackson-jq's own serializers for arrays and objects did.
   */
  public static SimpleModule lookingUpModule() {
    return module(true);
  }

  private static SimpleModule module(boolean lookUp) {
    SimpleModule m = new SimpleModule("wiz-flat-nodes" + (lookUp ? "-looking-up" : ""));
    m.addSerializer(ArrayNode.class, new FlatNodeSerializer<ArrayNode>(lookUp));
    m.addSerializer(ObjectNode.class, new FlatNodeSerializer<ObjectNode>(lookUp));
    return m;
  }

  /**
   * Levels written by plain recursion, one Java frame each, as Jackson writes them: the usual
   * record costs no more than before. Deeper ones are written with the explicit stack.
   */
  private static final int RECURSIVE_LEVELS = 256;

  @Override
  public void serialize(T root, JsonGenerator g, SerializerProvider provider) throws IOException {
    if (!provider.isEnabled(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS)
        || !provider.isEnabled(JsonNodeFeature.WRITE_NULL_PROPERTIES)) {
      // Jackson leaves some values out then; no mapper of wiz's asks for it.
      ((JsonSerializable) root).serialize(g, provider);
      return;
    }
    write(root, g, provider, provider.isEnabled(JsonNodeFeature.WRITE_PROPERTIES_SORTED), 0);
  }

  /** The array or object at this depth: by recursion while that is shallow, with the stack below it. */
  private void write(JsonNode n, JsonGenerator g, SerializerProvider provider, boolean sorted, int depth)
      throws IOException {
    if (depth == RECURSIVE_LEVELS) {
      flat(n, g, provider, sorted);
      return;
    }
    Iterator<?> it = start(n, g, sorted);
    while (it.hasNext()) {
      JsonNode value = next(it.next(), g);
      if (value.isArray() || value.isObject()) {
        write(value, g, provider, sorted, depth + 1);
      } else {
        leaf(value, g, provider);
      }
    }
    end(g);
  }

  /** The array or object and all in it, with an explicit stack: no Java frame per level. */
  private void flat(JsonNode root, JsonGenerator g, SerializerProvider provider, boolean sorted) throws IOException {
    ArrayDeque<Iterator<?>> open = new ArrayDeque<>();
    open.push(start(root, g, sorted));
    while (!open.isEmpty()) {
      Iterator<?> it = open.peek();
      if (!it.hasNext()) {
        open.pop();
        end(g);
        continue;
      }
      JsonNode value = next(it.next(), g);
      if (value.isArray() || value.isObject()) {
        open.push(start(value, g, sorted));
      } else {
        leaf(value, g, provider);
      }
    }
  }

  /** The element of an array, or the value of a field after writing its name. */
  private static JsonNode next(Object element, JsonGenerator g) throws IOException {
    if (element instanceof Map.Entry<?, ?> e) {
      g.writeFieldName((String) e.getKey());
      return (JsonNode) e.getValue();
    }
    return (JsonNode) element;
  }

  private void leaf(JsonNode value, JsonGenerator g, SerializerProvider provider) throws IOException {
    if (lookUp) {
      provider.defaultSerializeValue(value, g);
    } else {
      ((JsonSerializable) value).serialize(g, provider);
    }
  }

  private static void end(JsonGenerator g) throws IOException {
    if (g.getOutputContext().inArray()) {
      g.writeEndArray();
    } else {
      g.writeEndObject();
    }
  }

  /** Writes the start of the array or object; its elements, or its fields (sorted by key when {@code sorted}). */
  private static Iterator<?> start(JsonNode n, JsonGenerator g, boolean sorted) throws IOException {
    if (n.isArray()) {
      g.writeStartArray(n, n.size());
      return n.elements();
    }
    g.writeStartObject(n);
    if (sorted && n.size() > 1) {
      Map<String, JsonNode> byKey = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) byKey.put(e.getKey(), e.getValue());
      return byKey.entrySet().iterator();
    }
    return n.properties().iterator();
  }
}

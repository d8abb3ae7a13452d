package dev.wiz.processors;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.JsonNumbers;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * Numbers turned into text inside jq as jq 1.6 does it, and as the sinks write them ({@link
 * JsonNumbers#text}): a computed double as jq writes it ({@code 3}, {@code 1e+19}, {@code null}
 * for NaN), a number read from the input as it was written. jackson-jq made the text of a double
 * three ways, none of them jq's: {@code tostring}, {@code tojson}, {@code @csv}, {@code @sh} and
 * the other formats with its mapper ({@code 1.0e+19}, {@code -0} as {@code 0}), string
 * interpolation with Java's {@code Double.toString} ({@code "p\(3.0)"} was {@code "p3.0"}), and
 * {@code join} with Jackson's ({@code 1.0E19}).
 */
final class JqNumberText {
  private JqNumberText() {}

  private static final String INTERPOLATION = "net.thisptr.jackson.jq.internal.tree.StringInterpolation";

  /**
   * Makes jackson-jq's mapper write doubles as jq does. It is jackson-jq's one shared mapper (every
   * scope has it, and its functions write with it): a module registered once, before any jq runs,
   * takes precedence over jackson-jq's own serializer for doubles. A number read from the input is
   * no double to it: it writes its own text. The mapper of jackson-jq's error messages too.
   */
  static void install(ObjectMapper jacksonJqMapper) {
    SimpleModule m = new SimpleModule("wiz-jq-numbers");
    m.addSerializer(DoubleNode.class, new JsonSerializer<DoubleNode>() {
      @Override
      public void serialize(DoubleNode v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeNumber(JsonNumbers.jq(v.doubleValue()));
      }
    });
    m.addSerializer(FloatNode.class, new JsonSerializer<FloatNode>() {
      @Override
      public void serialize(FloatNode v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeNumber(JsonNumbers.jq(v.doubleValue()));
      }
    });
    jacksonJqMapper.registerModule(m);
    // jackson-jq's serializers for arrays and objects hand every element back to the mapper, six
    // frames a level: tojson, tostring, interpolation and the @ formats of a value a thousand levels
    // deep overflowed a worker's stack, or not, depending on what the JIT had compiled by then.
    jacksonJqMapper.registerModule(dev.wiz.FlatNodeSerializer.lookingUpModule());
    // jackson-jq's error messages ("number (1e-07) and ...") write values with a mapper of their own
    try {
      Field f = Class.forName("net.thisptr.jackson.jq.internal.misc.JsonNodeUtils").getDeclaredField("MAPPER");
      f.setAccessible(true);
      ((ObjectMapper) f.get(null)).registerModule(m);
      ((ObjectMapper) f.get(null)).registerModule(dev.wiz.FlatNodeSerializer.lookingUpModule());
    } catch (ReflectiveOperationException | RuntimeException e) {
      // a jackson-jq that looks different: its messages keep its own text
    }
  }

  /** jq's {@code join}, with the text of a number as jq writes it; everything else is jackson-jq's. */
  static void installJoin(Scope root) {
    Function original = root.getFunction("join", 1);
    if (original == null) return;
    root.addFunction("join", 1, (scope, args, in, path, output, version) -> {
      JsonNode elements = numbersAsText(in);
      if (elements == in) {
        original.apply(scope, args, in, path, output, version);
        return;
      }
      // The separator from the input as it is ([1,2] | join(tostring) joins with "[1,2]"), each
      // of its values in turn; only the elements' numbers are their text.
      args.get(0).apply(scope, in, separator -> original.apply(scope, List.of(constant(separator)), elements, path, output,
          version));
    });
  }

  /** An expression whose one output is {@code value}. */
  private static Expression constant(JsonNode value) {
    return new Expression() {
      @Override
      public void apply(Scope scope, JsonNode in, net.thisptr.jackson.jq.path.Path path,
          net.thisptr.jackson.jq.PathOutput output, boolean requirePath) throws JsonQueryException {
        output.emit(value, null);
      }

      @Override
      public String toString() {
        return value.toString();
      }
    };
  }

  /** The array or object with every number that is an element made its text; anything else as it is. */
  private static JsonNode numbersAsText(JsonNode in) {
    if (!in.isContainerNode()) return in;
    boolean any = false;
    for (JsonNode e : in) any |= e.isNumber();
    if (!any) return in;
    if (in.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(in.size());
      for (JsonNode e : in) a.add(e.isNumber() ? TextNode.valueOf(JsonNumbers.text(e)) : e);
      return a;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      o.set(e.getKey(), e.getValue().isNumber() ? TextNode.valueOf(JsonNumbers.text(e.getValue())) : e.getValue());
    }
    return o;
  }

  /**
   * Gives every string interpolation without a format ({@code "p\(.n)"}, not {@code @csv "..."})
   * in {@code root} (a compiled query, or a scope with its functions) the text of a value as
   * {@code tojson} makes it, strings as they are. jackson-jq applies a format to each value before
   * it puts it in the string: an interpolation without one gets {@link #TEXT} as its format.
   * Returns how many it changed.
   */
  static int patchInterpolations(Object root) {
    int patched = 0;
    for (JqTree.Slot s : JqTree.find(root, v -> v.getClass().getName().equals(INTERPOLATION))) {
      try {
        Field f = s.value.getClass().getDeclaredField("formatter");
        f.setAccessible(true);
        if (f.get(s.value) == null) {
          f.set(s.value, TEXT);
          patched++;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // a jackson-jq that looks different: its interpolation stays as it is
      }
    }
    return patched;
  }

  /** A value as interpolation puts it in a string: a string as it is, anything else as tojson writes it. */
  static final Expression TEXT = new Expression() {
    @Override
    public void apply(Scope scope, JsonNode in, net.thisptr.jackson.jq.path.Path path,
        net.thisptr.jackson.jq.PathOutput output, boolean requirePath) throws JsonQueryException {
      JsonNode text;
      if (in.isTextual()) {
        text = in;
      } else if (in.isNumber()) {
        text = TextNode.valueOf(JsonNumbers.text(in));
      } else {
        try {
          text = TextNode.valueOf(scope.getObjectMapper().writeValueAsString(in));
        } catch (IOException e) {
          throw new JsonQueryException(e);
        }
      }
      // Outside the try: what the rest of the program throws at the text is not this one's error.
      output.emit(text, null);
    }

    @Override
    public String toString() {
      return "@text"; // what jq applies to an interpolation without a format
    }
  };
}

package dev.wiz.schema;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.pipeline.LocatedTree;
import dev.wiz.pipeline.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Test helper: a {@link LocatedTree} from JSON text, with the line and column Jackson's parser
 * reports for every value and key (the real YAML loader lives elsewhere). Write the JSON one key per
 * line and the positions read like a YAML file's.
 */
final class Trees {
  private Trees() {}

  static LocatedTree located(String json) {
    return located("p.yaml", json);
  }

  static LocatedTree located(String file, String json) {
    try {
      JsonNode root = Json.mapper().readTree(json);
      Map<String, Location> values = new HashMap<>();
      Map<String, Location> keys = new HashMap<>();
      try (JsonParser p = Json.mapper().createParser(json)) {
        Deque<Frame> stack = new ArrayDeque<>();
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          JsonLocation l = p.currentTokenLocation();
          Location here = new Location(l.getLineNr(), l.getColumnNr());
          if (t == JsonToken.FIELD_NAME) {
            Frame f = stack.peek();
            f.key = p.currentName();
            keys.put(f.prefix + "/" + escape(f.key), here);
          } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            stack.pop();
          } else {
            String pointer = stack.isEmpty() ? "" : stack.peek().child();
            values.put(pointer, here);
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
              stack.push(new Frame(pointer, t == JsonToken.START_ARRAY));
            }
          }
        }
      }
      return new LocatedTree(file, root, values, keys, Set.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static final class Frame {
    final String prefix;
    final boolean array;
    int index;
    String key;

    Frame(String prefix, boolean array) {
      this.prefix = prefix;
      this.array = array;
    }

    String child() {
      return prefix + "/" + (array ? String.valueOf(index++) : escape(key));
    }
  }
}

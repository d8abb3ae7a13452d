package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;

/** How messages name the kind of a JSON value ("a string", "null", ...). */
final class JsonKinds {
  private JsonKinds() {}

  static String kind(JsonNode v) {
    if (v == null || v.isMissingNode()) return "missing";
    if (v.isNull()) return "null";
    if (v.isTextual()) return "a string";
    if (v.isNumber()) return "a number";
    if (v.isBoolean()) return "a boolean";
    if (v.isArray()) return "an array";
    if (v.isObject()) return "an object";
    return "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}

package dev.wiz.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import dev.wiz.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a validator {@link Error} into a {@link SchemaProblem} in wiz's words. The common keywords
 * get their own short message built from the error's parts (keyword, instance location, property,
 * instance and schema node); a message the schema gives itself ({@code errorMessage}) is used as
 * written; anything else falls back to the validator's message.
 */
final class ProblemMessages {
  private static final int MAX_SHOWN = 40;

  private final Function<String, Optional<JsonNode>> documents;

  /** @param documents the schema document for an {@code $id}, to name the keys a schema knows */
  ProblemMessages(Function<String, Optional<JsonNode>> documents) {
    this.documents = documents;
  }

  SchemaProblem problem(Error error) {
    return problem(error, error.getInstanceNode());
  }

  /** The problem, naming {@code value} as the value found (the validator may give a converted one). */
  SchemaProblem problem(Error error, JsonNode value) {
    String pointer = pointer(error.getInstanceLocation());
    String keyword = String.valueOf(error.getKeyword());
    JsonNode rule = error.getSchemaNode();
    Optional<String> dependentKey = dependentKey(error.getEvaluationPath());
    if (keyword.equals("required") && dependentKey.isPresent()) {
      // a rule that applies because some key is present: the key is what to look at
      return new SchemaProblem(
          child(pointer, dependentKey.get()), customOr(error, "missing required key '" + error.getProperty() + "'"), true);
    }
    if (error.isCustomMessage()) {
      // a bound's own message says what the value must be; the value found follows, as in ours
      String found = NotFinite.isBound(keyword) ? ", got " + show(value) : "";
      return new SchemaProblem(pointer, error.getMessage() + found, false);
    }
    switch (keyword) {
      case "type":
        return new SchemaProblem(pointer, "expected " + expectedTypes(rule) + ", got " + describe(value), false);
      case "required":
        return new SchemaProblem(pointer, "missing required key '" + error.getProperty() + "'", false);
      case "additionalProperties":
        return unknownKey(error, pointer);
      case "enum":
        return new SchemaProblem(pointer, notOneOf(value, rule), false);
      case "const":
        return new SchemaProblem(pointer, "must be " + show(rule) + ", got " + got(rule, value), false);
      case "minimum":
        return new SchemaProblem(pointer, "must be at least " + rule + ", got " + show(value), false);
      case "maximum":
        return new SchemaProblem(pointer, "must be at most " + rule + ", got " + show(value), false);
      case "exclusiveMinimum":
        return new SchemaProblem(pointer, "must be greater than " + rule + ", got " + show(value), false);
      case "exclusiveMaximum":
        return new SchemaProblem(pointer, "must be less than " + rule + ", got " + show(value), false);
      case "minLength":
        return new SchemaProblem(pointer, minLength(rule, value), false);
      case "maxLength":
        return new SchemaProblem(
            pointer,
            "must be at most " + characters(rule.asInt()) + " long, got " + characters(length(value)),
            false);
      case "pattern":
        return new SchemaProblem(pointer, show(value) + " does not match the pattern " + rule.asText(), false);
      case "uniqueItems":
        return new SchemaProblem(pointer, repeated(value), false);
      case "minItems":
        return new SchemaProblem(
            pointer, "must have at least " + items(rule.asInt()) + ", got " + value.size(), false);
      case "maxItems":
        return new SchemaProblem(
            pointer, "must have at most " + items(rule.asInt()) + ", got " + value.size(), false);
      case "minProperties":
        return new SchemaProblem(
            pointer, "must have at least " + entries(rule.asInt()) + ", got " + value.size(), false);
      case "maxProperties":
        return new SchemaProblem(
            pointer, "must have at most " + entries(rule.asInt()) + ", got " + value.size(), false);
      default:
        return new SchemaProblem(pointer, error.getMessage(), false);
    }
  }

  /** Whether the error comes from a {@code then} marked {@value SchemaCatalog#CHECKED_BY_TYPE_KEYWORD}. */
  boolean checkedByType(Error error) {
    if (error.getSchemaLocation() == null || error.getSchemaLocation().getAbsoluteIri() == null) return false;
    NodePath at = error.getSchemaLocation().getFragment();
    if (at == null) return false;
    Optional<JsonNode> document = documents.apply(error.getSchemaLocation().getAbsoluteIri().toString());
    if (document.isEmpty()) return false;
    StringBuilder then = null;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < at.getNameCount(); i++) {
      path.append('/').append(escape(String.valueOf(at.getElement(i))));
      if ("then".equals(String.valueOf(at.getElement(i)))) then = new StringBuilder(path);
    }
    return then != null && document.get().at(then.toString()).path(SchemaCatalog.CHECKED_BY_TYPE_KEYWORD).asBoolean(false);
  }

  private SchemaProblem unknownKey(Error error, String pointer) {
    String key = error.getProperty();
    JsonNode objectSchema = objectSchema(error);
    List<String> known = new ArrayList<>();
    objectSchema.path("properties").fieldNames().forEachRemaining(known::add);
    JsonNode patterns = objectSchema.path("patternProperties");
    if (known.isEmpty() && patterns.isObject() && patterns.size() > 0) {
      // A map whose keys are the user's names (group fields, environment variables): the key is
      // not unknown, it is not a name this map takes.
      String why;
      if (key.isEmpty()) {
        why = "an empty key is not allowed here: give it a name";
      } else if (key.chars().anyMatch(c -> c < 0x20)) {
        why = "key '" + key.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
            + "' holds a control character, which a name here cannot";
      } else {
        List<String> rules = new ArrayList<>();
        patterns.fieldNames().forEachRemaining(rules::add);
        why = "key '" + Visible.of(key) + "' is not a name this map takes: a key here must match " + String.join(" or ", rules);
      }
      return new SchemaProblem(child(pointer, key), why, true);
    }
    StringBuilder message = new StringBuilder("unknown key '").append(Visible.of(key)).append('\'');
    Optional<String> suggestion = Suggestions.closest(key, known);
    if (suggestion.isPresent()) {
      message.append(" (did you mean '").append(suggestion.get()).append("'?)");
    } else if (!known.isEmpty()) {
      message.append(" (known keys: ").append(String.join(", ", known)).append(')');
    }
    return new SchemaProblem(child(pointer, key), message.toString(), true);
  }

  /** The object schema around a failing {@code additionalProperties}; missing when it cannot be found. */
  private JsonNode objectSchema(Error error) {
    if (error.getSchemaLocation() == null || error.getSchemaLocation().getAbsoluteIri() == null) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    Optional<JsonNode> document = documents.apply(error.getSchemaLocation().getAbsoluteIri().toString());
    if (document.isEmpty()) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    String at = pointer(error.getSchemaLocation().getFragment());
    int slash = at.lastIndexOf('/');
    return document.get().at(slash < 0 ? "" : at.substring(0, slash));
  }

  private static String notOneOf(JsonNode value, JsonNode allowed) {
    List<String> shown = new ArrayList<>();
    List<String> words = new ArrayList<>();
    for (JsonNode a : allowed) {
      shown.add(a.isTextual() ? a.asText() : compact(a));
      if (a.isTextual()) words.add(a.asText());
    }
    StringBuilder message =
        new StringBuilder(show(value)).append(" is not one of ").append(String.join(", ", shown));
    if (value != null && value.isTextual()) {
      Suggestions.closest(value.asText(), words)
          .ifPresent(s -> message.append(" (did you mean '").append(s).append("'?)"));
    }
    return message.toString();
  }

  private static String minLength(JsonNode rule, JsonNode value) {
    int min = rule.asInt();
    if (min == 1) {
      return "must not be empty";
    }
    return "must be at least " + characters(min) + " long, got " + characters(length(value));
  }

  private static String repeated(JsonNode array) {
    Set<JsonNode> seen = new HashSet<>();
    for (JsonNode item : array) {
      if (!seen.add(item)) {
        return "must not repeat items: " + show(item) + " appears more than once";
      }
    }
    return "must not repeat items";
  }

  /** The found value, with its type named when the expected value has another type. */
  private static String got(JsonNode expected, JsonNode value) {
    return value != null && expected != null && value.getNodeType() == expected.getNodeType()
        ? show(value)
        : describe(value);
  }

  /** "an integer", "a string or null". */
  private static String expectedTypes(JsonNode rule) {
    if (rule == null) {
      return "another type";
    }
    if (rule.isArray()) {
      List<String> names = new ArrayList<>();
      rule.forEach(t -> names.add(article(t.asText())));
      return String.join(" or ", names);
    }
    return article(rule.asText());
  }

  private static String article(String type) {
    switch (type) {
      case "integer":
      case "object":
      case "array":
        return "an " + type;
      case "null":
        return "null";
      default:
        return "a " + type;
    }
  }

  /** What a value is, for "got ...": {@code string "four"}, {@code number 4.5}, {@code an object}. */
  static String describe(JsonNode value) {
    if (value == null || value.isMissingNode()) return "nothing";
    if (value.isNull()) return "null";
    if (value.isObject()) return "an object";
    if (value.isArray()) return "an array";
    if (value.isTextual()) return "string " + truncate(Visible.of(compact(value)));
    if (value.isBoolean()) return "boolean " + value.asText();
    if (value.isIntegralNumber()) return "integer " + value.asText();
    if (value.isNumber()) return "number " + value.asText();
    return truncate(compact(value));
  }

  /** A value as a user wrote it: {@code 'xml'} for strings, JSON for the rest. */
  static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) return "nothing";
    if (value.isTextual()) return "'" + truncate(Visible.of(value.asText())) + "'";
    return truncate(compact(value));
  }

  private static String compact(JsonNode value) {
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      return value.asText(); // a number, not the string JSON would quote it as
    }
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return value.toString();
    }
  }

  private static String truncate(String s) {
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
  }

  private static int length(JsonNode value) {
    return value == null ? 0 : value.asText().codePointCount(0, value.asText().length());
  }

  private static String characters(int n) {
    return n + (n == 1 ? " character" : " characters");
  }

  private static String items(int n) {
    return n + (n == 1 ? " item" : " items");
  }

  private static String entries(int n) {
    return n + (n == 1 ? " entry" : " entries");
  }

  private static String customOr(Error error, String fallback) {
    return error.isCustomMessage() ? error.getMessage() : fallback;
  }

  /** The key K when the error comes from {@code dependentSchemas/K}: the rule K's presence brings. */
  private static Optional<String> dependentKey(NodePath evaluationPath) {
    if (evaluationPath == null) {
      return Optional.empty();
    }
    for (int i = evaluationPath.getNameCount() - 2; i >= 0; i--) {
      if ("dependentSchemas".equals(String.valueOf(evaluationPath.getElement(i)))) {
        return Optional.of(String.valueOf(evaluationPath.getElement(i + 1)));
      }
    }
    return Optional.empty();
  }

  /** A node path as a JSON pointer ({@code ""} for the root). */
  static String pointer(NodePath path) {
    if (path == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      sb.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    return sb.toString();
  }

  static String child(String pointer, String key) {
    return pointer + "/" + escape(key);
  }

  private static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }
}

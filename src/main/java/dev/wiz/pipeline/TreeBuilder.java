package dev.wiz.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Converts one composed snakeyaml node tree into a Jackson tree, recording positions, checking
 * keys, tags, the node and depth budgets, and interpolating string values. One instance per load:
 * it holds that load's state.
 */
final class TreeBuilder {
  // The YAML 1.2 core schema forms, used to check scalars that carry an explicit !!tag.
  private static final Pattern INT = Pattern.compile("[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+");
  private static final Pattern FLOAT =
      Pattern.compile(
          "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?"
              + "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");

  private final String file;
  private final String text;
  private final LoadLimits limits;
  private final Interpolator interpolator;
  private final ScalarResolver resolver;
  // Jackson's own node factory, which Json.mapper() uses too: building the mapper first would hold up
  // reading the file by the mapper's set-up, which runs on another thread meanwhile (SchemaCatalog).
  private final JsonNodeFactory factory = JsonNodeFactory.instance;
  private final Map<String, Location> locations = new HashMap<>();
  private final Map<String, Location> keyLocations = new HashMap<>();
  private final Map<String, TextPositions> textPositions = new HashMap<>();
  private final Set<String> names = new LinkedHashSet<>();
  private final List<Diagnostic> problems = new ArrayList<>();
  private final Map<String, Interpolation> interpolations = new HashMap<>();
  private final Set<String> unresolved = new LinkedHashSet<>();
  private final List<Diagnostic> unresolvedProblems = new ArrayList<>();
  private final Set<Node> path = Collections.newSetFromMap(new IdentityHashMap<>());
  private int[] codePointToChar; // built on first use; empty when every char is one code point
  private int nodes;
  private boolean stopped;

  TreeBuilder(
      String file,
      String text,
      LoadLimits limits,
      Interpolator interpolator,
      ScalarResolver resolver) {
    this.file = file;
    this.text = text;
    this.limits = limits;
    this.interpolator = interpolator;
    this.resolver = resolver;
  }

  /**
   * The tree. When the only problems are values that could not be interpolated (an unset
   * variable, say), the exception carries the tree too, with those values as written and marked
   * unresolved, so the rest of the file can still be checked.
   */
  LocatedTree build(Node root) throws InvalidPipelineException {
    JsonNode tree = convert(root, "", 0);
    if (!problems.isEmpty()) {
      problems.addAll(unresolvedProblems);
      throw new InvalidPipelineException(problems);
    }
    LocatedTree located =
        new LocatedTree(file, tree, locations, keyLocations, names, textPositions, interpolations, unresolved);
    if (!unresolvedProblems.isEmpty()) {
      throw new InvalidPipelineException(unresolvedProblems, located);
    }
    return located;
  }

  private JsonNode convert(Node node, String pointer, int depth) {
    if (stopped) {
      return factory.nullNode();
    }
    Location at = YamlLoader.location(node.getStartMark());
    if (++nodes > limits.maxNodes()) {
      stop(at, pointer,
          "too many nodes: more than "
              + limits.maxNodes()
              + " values (an alias counts each time it is used); make the file smaller");
      return factory.nullNode();
    }
    locations.put(pointer, at);
    if (node instanceof ScalarNode scalar) {
      return scalar(scalar, pointer, at);
    }
    if (depth + 1 > limits.maxDepth()) {
      stop(at, pointer, Precheck.tooDeep(limits.maxDepth()));
      return factory.nullNode();
    }
    if (!path.add(node)) {
      problems.add(
          Diagnostic.at(file, at, pointer,
              "recursive alias: this node contains itself; a pipeline file must be a tree"));
      return factory.nullNode();
    }
    try {
      if (node instanceof MappingNode mapping) {
        if (!node.getTag().equals(Tag.MAP)) {
          problems.add(Diagnostic.at(file, at, pointer, badTag(node.getTag(), "a mapping")));
        }
        return mapping(mapping, pointer, depth + 1);
      }
      if (node instanceof SequenceNode sequence) {
        if (!node.getTag().equals(Tag.SEQ)) {
          problems.add(Diagnostic.at(file, at, pointer, badTag(node.getTag(), "a sequence")));
        }
        return sequence(sequence, pointer, depth + 1);
      }
      problems.add(Diagnostic.at(file, at, pointer, "unsupported YAML node"));
      return factory.nullNode();
    } finally {
      path.remove(node);
    }
  }

  private JsonNode mapping(MappingNode node, String pointer, int depth) {
    ObjectNode object = factory.objectNode();
    Map<String, Location> seen = new HashMap<>();
    for (NodeTuple tuple : node.getValue()) {
      if (stopped) {
        break;
      }
      Node keyNode = tuple.getKeyNode();
      Location keyAt = YamlLoader.location(keyNode.getStartMark());
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        String kind = keyNode instanceof MappingNode ? "a mapping" : "a sequence";
        problems.add(
            Diagnostic.at(file, keyAt, pointer,
                "a key must be a plain value, not " + kind + "; use a string key"));
        continue;
      }
      String key = keyScalar.getValue();
      String child = pointer + "/" + escape(key);
      if (!isKnownScalarTag(keyScalar)) {
        problems.add(Diagnostic.at(file, keyAt, child, badTag(keyScalar.getTag(), "a key")));
        continue;
      }
      Location first = seen.putIfAbsent(key, keyAt);
      if (first != null) {
        problems.add(
            Diagnostic.at(file, keyAt, child,
                "duplicate key '"
                    + key
                    + "' (first defined at "
                    + first.line()
                    + ":"
                    + first.column()
                    + "); remove one of them"));
        continue;
      }
      keyLocations.put(child, keyAt);
      object.set(key, convert(tuple.getValueNode(), child, depth));
    }
    return object;
  }

  private JsonNode sequence(SequenceNode node, String pointer, int depth) {
    ArrayNode array = factory.arrayNode();
    List<Node> items = node.getValue();
    for (int i = 0; i < items.size() && !stopped; i++) {
      array.add(convert(items.get(i), pointer + "/" + i, depth));
    }
    return array;
  }

  private JsonNode scalar(ScalarNode node, String pointer, Location at) {
    String value = node.getValue();
    Tag tag = node.getTag();
    boolean explicit = hasExplicitTag(node);
    boolean implicitPlain = node.isPlain() && !explicit;
    if (tag.equals(Tag.STR) || (tag.equals(Tag.ENV_TAG) && !explicit)) {
      return string(node, pointer, implicitPlain);
    }
    JsonNode typed = typed(tag, value);
    if (typed != null) {
      return typed;
    }
    if (isCoreTag(tag)) {
      problems.add(
          Diagnostic.at(file, at, pointer,
              "'" + value + "' is not a valid " + tagName(tag) + "; fix the value or drop the tag"));
    } else {
      problems.add(Diagnostic.at(file, at, pointer, badTag(tag, "a value")));
    }
    return factory.nullNode();
  }

  private JsonNode string(ScalarNode node, String pointer, boolean implicitPlain) {
    Interpolator.Result result = interpolator.interpolate(node.getValue());
    names.addAll(result.names());
    Optional<TextPositions> positions = positions(node);
    if (!result.ok()) {
      Location at = YamlLoader.location(node.getStartMark());
      for (Interpolator.Problem p : result.problems()) {
        Location exact = positions.flatMap(t -> t.locate(p.offset())).orElse(at);
        unresolvedProblems.add(Diagnostic.at(file, exact, pointer, p.message()));
      }
      unresolved.add(pointer);
      return factory.textNode(node.getValue());
    }
    boolean substituted = !result.pieces().isEmpty();
    if (substituted) {
      interpolations.put(pointer, new Interpolation(result.value(), node.getValue(), result.pieces(),
          result.whole() && !implicitPlain));
    }
    if (result.whole() && implicitPlain) {
      // The core schema types the substituted text as if it had been written there; what it
      // resolves to snakeyaml's own tags (a ${...} look-alike, <<) stays a string.
      JsonNode typed = typed(resolver.resolve(result.value(), true), result.value());
      if (typed != null) {
        return typed;
      }
    }
    if (substituted || result.value().equals(node.getValue())) {
      positions.ifPresent(t -> textPositions.put(pointer, t));
    }
    return factory.textNode(result.value());
  }

  /** The core-schema value of a scalar, or null when the tag is not a core one or does not fit. */
  private JsonNode typed(Tag tag, String value) {
    if (tag.equals(Tag.STR)) {
      return factory.textNode(value);
    }
    if (tag.equals(Tag.NULL)) {
      return NULL.matcher(value).matches() ? factory.nullNode() : null;
    }
    if (tag.equals(Tag.BOOL)) {
      return BOOL.matcher(value).matches()
          ? factory.booleanNode(Character.toLowerCase(value.charAt(0)) == 't')
          : null;
    }
    if (tag.equals(Tag.INT)) {
      return INT.matcher(value).matches() ? integer(value) : null;
    }
    if (tag.equals(Tag.FLOAT)) {
      return FLOAT.matcher(value).matches() ? factory.numberNode(real(value)) : null;
    }
    return null;
  }

  private JsonNode integer(String value) {
    BigInteger n;
    if (value.startsWith("0o")) {
      n = new BigInteger(value.substring(2), 8);
    } else if (value.startsWith("0x")) {
      n = new BigInteger(value.substring(2), 16);
    } else {
      n = new BigInteger(value);
    }
    if (n.bitLength() < 32) {
      return factory.numberNode(n.intValue());
    }
    if (n.bitLength() < 64) {
      return factory.numberNode(n.longValue());
    }
    return factory.numberNode(n);
  }

  private static double real(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.endsWith(".inf")) {
      return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (v.equals(".nan")) {
      return Double.NaN;
    }
    return Double.parseDouble(value);
  }

  private static boolean isCoreTag(Tag tag) {
    return tag.equals(Tag.NULL)
        || tag.equals(Tag.BOOL)
        || tag.equals(Tag.INT)
        || tag.equals(Tag.FLOAT)
        || tag.equals(Tag.STR);
  }

  private boolean isKnownScalarTag(ScalarNode node) {
    Tag tag = node.getTag();
    return isCoreTag(tag) || (tag.equals(Tag.ENV_TAG) && !hasExplicitTag(node));
  }

  /**
   * Whether the scalar was written with a tag ({@code !!str x}, {@code !foo x}) rather than typed
   * by the schema. The node does not say, so look at the source where it starts: an optional
   * anchor, then {@code !}. (The core schema resolves plain {@code ${X}} to snakeyaml's own
   * environment tag; only a written tag makes it an error.)
   */
  private boolean hasExplicitTag(ScalarNode node) {
    Optional<Mark> start = node.getStartMark();
    if (start.isEmpty()) {
      return false;
    }
    int i = charIndex(start.get().getIndex());
    if (i < 0) {
      return false;
    }
    if (i < text.length() && text.charAt(i) == '&') {
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
    }
    return i < text.length() && text.charAt(i) == '!';
  }

  private static String badTag(Tag tag, String where) {
    String name = tagName(tag);
    if (tag.equals(Tag.MAP) || tag.equals(Tag.SEQ) || isCoreTag(tag)) {
      return "tag " + name + " cannot be used on " + where + "; remove it";
    }
    return "unknown tag "
        + name
        + ": a pipeline file uses plain YAML (strings, numbers, booleans, null, lists and"
        + " mappings); remove the tag";
  }

  private static String tagName(Tag tag) {
    String v = tag.getValue();
    return v.startsWith(Tag.PREFIX) ? "!!" + v.substring(Tag.PREFIX.length()) : v;
  }

  /**
   * Where the characters of a scalar's value as written are in the file, worked out when first
   * asked for; empty when the node has no marks.
   */
  private Optional<TextPositions> positions(ScalarNode node) {
    Optional<Mark> start = node.getStartMark();
    Optional<Mark> end = node.getEndMark();
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    int from = charIndex(start.get().getIndex());
    int to = charIndex(end.get().getIndex());
    if (from < 0 || to < from) {
      return Optional.empty();
    }
    return Optional.of(
        new TextPositions(text, from, to, YamlLoader.location(start), node.getScalarStyle(), node.getValue()));
  }

  /**
   * The char index in the text of a code point index (what snakeyaml marks count), or -1. Equal
   * unless the text has characters outside the BMP; then a table is built once.
   */
  private int charIndex(int codePointIndex) {
    if (codePointToChar == null) {
      int count = text.codePointCount(0, text.length());
      if (count == text.length()) {
        codePointToChar = new int[0];
      } else {
        codePointToChar = new int[count + 1];
        int c = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
          codePointToChar[c++] = i;
        }
        codePointToChar[count] = text.length();
      }
    }
    if (codePointIndex < 0) {
      return -1;
    }
    if (codePointToChar.length == 0) {
      return codePointIndex <= text.length() ? codePointIndex : -1;
    }
    return codePointIndex < codePointToChar.length ? codePointToChar[codePointIndex] : -1;
  }

  private void stop(Location at, String pointer, String message) {
    problems.add(Diagnostic.at(file, at, pointer, message));
    stopped = true;
  }

  /** RFC 6901: {@code ~} becomes {@code ~0}, {@code /} becomes {@code ~1}. */
  static String escape(String key) {
    if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
      return key;
    }
    return key.replace("~", "~0").replace("/", "~1");
  }
}

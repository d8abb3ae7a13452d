package dev.wiz.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed YAML or JSON document as a Jackson tree, with the line and column where every node
 * starts, keyed by its JSON pointer ({@code ""} is the root, {@code "/processors/1/config"} a node
 * below it). For an object member the location is that of its value; {@link #keyLocation} gives
 * the key's.
 *
 * @param file the name to print in diagnostics (as the user gave it)
 * @param root the document, after interpolation
 * @param locations pointer to the position of the node's value
 * @param keyLocations pointer to the position of the key of an object member
 * @param interpolated the names of the environment variables whose values went into the tree
 * @param textPositions pointer to where each character of a string value was written, so an
 *     offset inside the string maps to its exact line and column
 * @param interpolations pointer to how a string value differs from the text written there
 * @param unresolved pointers of the string values that could not be interpolated (an unset
 *     variable); they hold the text as written, and checks skip them
 */
public record LocatedTree(
    String file,
    JsonNode root,
    Map<String, Location> locations,
    Map<String, Location> keyLocations,
    Set<String> interpolated,
    Map<String, TextPositions> textPositions,
    Map<String, Interpolation> interpolations,
    Set<String> unresolved) {

  public LocatedTree {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(root, "root");
    locations = Map.copyOf(locations);
    keyLocations = Map.copyOf(keyLocations);
    interpolated = Set.copyOf(interpolated);
    textPositions = Map.copyOf(textPositions);
    interpolations = Map.copyOf(interpolations);
    unresolved = Set.copyOf(unresolved);
  }

  /** A tree without interpolated values. */
  public LocatedTree(String file, JsonNode root, Map<String, Location> locations,
      Map<String, Location> keyLocations, Set<String> interpolated, Map<String, TextPositions> textPositions) {
    this(file, root, locations, keyLocations, interpolated, textPositions, Map.of(), Set.of());
  }

  /** A tree without text positions. */
  public LocatedTree(String file, JsonNode root, Map<String, Location> locations,
      Map<String, Location> keyLocations, Set<String> interpolated) {
    this(file, root, locations, keyLocations, interpolated, Map.of());
  }

  /**
   * The position of the character at {@code offset} inside the string at the pointer (at its
   * length: just after the last one): exact when the text there reproduces the string, else where
   * the node starts. In an interpolated string the offset counts in the value; the position is
   * that of the text as written (inside a substitution, its {@code ${}).
   */
  public Location locateInText(String pointer, int offset) {
    TextPositions positions = textPositions.get(pointer);
    JsonNode node = root.at(pointer);
    if (positions == null || offset < 0 || !node.isTextual() || offset > node.textValue().length()) {
      return locate(pointer);
    }
    Interpolation i = interpolations.get(pointer);
    int written = i != null ? i.writtenOffset(offset) : offset;
    return positions.locate(written).orElseGet(() -> locate(pointer));
  }

  /**
   * The message with every value from the environment that the node at the pointer, its parents
   * or its children hold replaced by the text as written ({@code ${NAME}}): values never reach a
   * diagnostic.
   */
  /**
   * The text with every value the environment gave to any string of the file replaced by its
   * {@code ${NAME}}: for what a run says (errors, dead letters, provenance events, graph labels),
   * which may quote a value wherever it came from.
   */
  public java.util.function.UnaryOperator<String> valueRedactor() {
    Map<String, String> swaps = new java.util.LinkedHashMap<>();
    for (Interpolation i : interpolations.values()) i.variables(swaps);
    if (swaps.isEmpty()) return text -> text;
    return text -> Interpolation.swap(text, swaps);
  }

  public String redact(String pointer, String message) {
    String m = message;
    for (Map.Entry<String, Interpolation> e : interpolations.entrySet()) {
      if (related(pointer, e.getKey())) m = e.getValue().redact(m);
    }
    return m;
  }

  /** Whether the node at the pointer is, or is inside, a value that could not be interpolated. */
  public boolean isUnresolved(String pointer) {
    for (String u : unresolved) {
      if (pointer.equals(u) || pointer.startsWith(u + "/")) return true;
    }
    return false;
  }

  private static boolean related(String a, String b) {
    return a.equals(b) || a.isEmpty() || b.isEmpty() || a.startsWith(b + "/") || b.startsWith(a + "/");
  }

  /**
   * The position of the node at the pointer, or of its nearest ancestor that has one (a missing
   * property is reported where its parent object starts).
   */
  public Location locate(String pointer) {
    String p = pointer;
    while (true) {
      Location l = locations.get(p);
      if (l != null) return l;
      if (p.isEmpty()) return Location.UNKNOWN;
      int slash = p.lastIndexOf('/');
      p = slash <= 0 ? "" : p.substring(0, slash);
    }
  }

  /** The position of the key of the member at the pointer, falling back to {@link #locate}. */
  public Location locateKey(String pointer) {
    Location l = keyLocations.get(pointer);
    return l != null ? l : locate(pointer);
  }

  /** A diagnostic located at the node at the pointer, its message {@linkplain #redact redacted}. */
  public Diagnostic diagnostic(String pointer, String message) {
    return Diagnostic.at(file, locate(pointer), pointer, redact(pointer, message));
  }
}

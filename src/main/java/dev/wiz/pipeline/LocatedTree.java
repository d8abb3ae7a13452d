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
 * @param textStarts pointer to where the text of a one-line string begins, for strings written
 *     without escapes or interpolation, so an offset inside the string maps exactly to a column
 */
public record LocatedTree(
    String file,
    JsonNode root,
    Map<String, Location> locations,
    Map<String, Location> keyLocations,
    Set<String> interpolated,
    Map<String, Location> textStarts) {

  public LocatedTree {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(root, "root");
    locations = Map.copyOf(locations);
    keyLocations = Map.copyOf(keyLocations);
    interpolated = Set.copyOf(interpolated);
    textStarts = Map.copyOf(textStarts);
  }

  /** A tree without text positions. */
  public LocatedTree(String file, JsonNode root, Map<String, Location> locations,
      Map<String, Location> keyLocations, Set<String> interpolated) {
    this(file, root, locations, keyLocations, interpolated, Map.of());
  }

  /**
   * The position of the character at {@code offset} inside the string at the pointer: exact when
   * the string's text position is known, else where the node starts.
   */
  public Location locateInText(String pointer, int offset) {
    Location start = textStarts.get(pointer);
    JsonNode node = root.at(pointer);
    if (start == null || offset < 0 || !node.isTextual() || offset > node.textValue().length()) {
      return locate(pointer);
    }
    return new Location(start.line(), start.column() + node.textValue().codePointCount(0, offset));
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

  /** A diagnostic located at the node at the pointer. */
  public Diagnostic diagnostic(String pointer, String message) {
    return Diagnostic.at(file, locate(pointer), pointer, message);
  }
}

package dev.wiz.io;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A source glob, cut into the literal folder where matching starts ({@code root}) and the pattern
 * below it. {@code **}{@code /} matches zero or more folders, as in shells with globstar: Java's
 * glob syntax needs at least one, so the pattern is tried with every {@code **}{@code /} also
 * left out ({@code logs/**}{@code /*.jsonl} matches {@code logs/a.jsonl} and {@code logs/x/y/a.jsonl}).
 */
final class Glob {
  /** More {@code **}{@code /} segments than this are not expanded further (2^n patterns). */
  private static final int MAX_GLOBSTARS = 8;

  private final String literal;
  private final Path root;
  private final String rest;
  private final int segments;
  private final List<PathMatcher> matchers;

  private Glob(String literal, Path root, String rest, int segments, List<PathMatcher> matchers) {
    this.literal = literal;
    this.root = root;
    this.rest = rest;
    this.segments = segments;
    this.matchers = List.copyOf(matchers);
  }

  /** A source path that is not a glob Java can match: what is wrong, said for the user. */
  static final class BadGlob extends IllegalArgumentException {
    BadGlob(String message) {
      super(message);
    }
  }

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  /**
   * The glob {@code pattern} (a source {@code path}) relative to {@code baseDir}.
   *
   * @throws BadGlob when the pattern is not a valid glob
   */
  static Glob parse(String pattern, Path baseDir) {
    String[] parts = pattern.split("/");
    StringBuilder literal = new StringBuilder(pattern.startsWith("/") ? "/" : "");
    int first = 0;
    for (; first < parts.length; first++) {
      if (isGlob(parts[first])) break;
      if (!parts[first].isEmpty()) literal.append(parts[first]).append('/');
    }
    Path root = literal.length() == 0 ? baseDir : baseDir.resolve(literal.toString());
    String rest = String.join("/", java.util.Arrays.copyOfRange(parts, first, parts.length));
    FileSystem fs = baseDir.getFileSystem();
    List<PathMatcher> matchers = new ArrayList<>();
    for (String variant : variants(rest)) {
      try {
        matchers.add(fs.getPathMatcher("glob:" + variant));
      } catch (java.util.regex.PatternSyntaxException e) {
        String near = variant.equals(rest) && e.getIndex() >= 0
            ? " at character " + (pattern.length() - rest.length() + e.getIndex() + 1) : "";
        throw new BadGlob("'" + pattern + "' is not a valid glob (" + e.getDescription().toLowerCase(java.util.Locale.ROOT)
            + near + "): its wildcards are * ? ** [abc] and {a,b}, whose groups do not nest ({a,b,c}, not {a,{b,c}})");
      }
    }
    return new Glob(literal.toString(), root, rest, parts.length - first, matchers);
  }

  /**
   * The pattern and every pattern made from it by leaving out some of its {@code **}{@code /}
   * segments (a {@code **}{@code /} at the start or after a {@code /}).
   */
  static Set<String> variants(String pattern) {
    List<Integer> at = new ArrayList<>();
    for (int i = pattern.indexOf("**/"); i >= 0; i = pattern.indexOf("**/", i + 3)) {
      if (i == 0 || pattern.charAt(i - 1) == '/') at.add(i);
    }
    int n = Math.min(at.size(), MAX_GLOBSTARS);
    Set<String> out = new LinkedHashSet<>();
    for (int mask = 0; mask < (1 << n); mask++) {
      StringBuilder sb = new StringBuilder();
      int from = 0;
      for (int k = 0; k < n; k++) {
        if ((mask & (1 << k)) == 0) continue;
        sb.append(pattern, from, at.get(k));
        from = at.get(k) + 3;
      }
      out.add(sb.append(pattern.substring(from)).toString());
    }
    return out;
  }

  /** The folder the walk starts in (as resolved, not normalised). */
  Path root() {
    return root;
  }

  /** The literal folder as written, ending in {@code /}, or empty. */
  String literal() {
    return literal;
  }

  /** How deep below the root a match can be. */
  int depth() {
    return rest.contains("**") ? Integer.MAX_VALUE : segments;
  }

  /** Whether a path relative to the root matches. */
  boolean matches(Path relative) {
    for (PathMatcher m : matchers) {
      if (m.matches(relative)) return true;
    }
    return false;
  }

  /**
   * Whether a file (absolute, normalised) would be matched: below the root as written, or below
   * the root with its symbolic links resolved.
   */
  boolean wouldMatch(Path file, Path realFile) {
    Path lexical = root.toAbsolutePath().normalize();
    if (file.startsWith(lexical) && !file.equals(lexical) && matches(lexical.relativize(file))) return true;
    Path real = PathOverlaps.real(root);
    return realFile.startsWith(real) && !realFile.equals(real) && matches(real.relativize(realFile));
  }
}

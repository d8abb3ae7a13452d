package dev.wiz.io;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Resolves a source {@code path} (a file or a glob) against the pipeline's folder. */
final class Inputs {
  private Inputs() {}

  /** One input file: the name to show and where it is. */
  record Named(String name, Path path) {}

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  static List<Named> resolve(String pattern, Path baseDir) throws IOException {
    FileSystem fs = baseDir.getFileSystem();
    if (!isGlob(pattern)) {
      Path p = baseDir.resolve(pattern);
      if (Files.isDirectory(p)) {
        throw new IoConfigException("/path", "'" + pattern + "' is a folder: name a file, or a glob such as '"
            + pattern.replaceAll("/+$", "") + "/*.jsonl'");
      }
      if (!Files.isRegularFile(p)) {
        throw new IoConfigException("/path", "no such file: '" + pattern + "' (looked for " + p.toAbsolutePath() + ")");
      }
      return List.of(new Named(pattern, p));
    }
    // The literal folder before the first segment with a glob character is where the walk starts.
    String[] segments = pattern.split("/");
    StringBuilder literal = new StringBuilder(pattern.startsWith("/") ? "/" : "");
    int first = 0;
    for (; first < segments.length; first++) {
      if (isGlob(segments[first])) break;
      if (!segments[first].isEmpty()) literal.append(segments[first]).append('/');
    }
    Path root = literal.length() == 0 ? baseDir : baseDir.resolve(literal.toString());
    String rest = String.join("/", java.util.Arrays.copyOfRange(segments, first, segments.length));
    PathMatcher matcher = fs.getPathMatcher("glob:" + rest);
    List<Named> out = new ArrayList<>();
    if (Files.isDirectory(root)) {
      int depth = rest.contains("**") ? Integer.MAX_VALUE : segments.length - first;
      try (Stream<Path> walk = Files.walk(root, depth)) {
        for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
          if (matcher.matches(root.relativize(p))) {
            out.add(new Named(literal + root.relativize(p).toString(), p));
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IoConfigException("/path", "no file matches '" + pattern + "' (looked in " + root.toAbsolutePath() + ")");
    }
    return out;
  }
}

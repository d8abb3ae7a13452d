package dev.wiz.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Resolves a source {@code path} (a file or a glob) against the pipeline's folder. A glob never
 * matches wiz's own files: it does not look into state folders (any folder named {@code .wiz},
 * and the run's state folder wherever it is) and skips the temporary outputs of runs
 * ({@code .<name>.<run-id>.tmp}).
 */
final class Inputs {
  private Inputs() {}

  /** The temporary output of a run: {@code .<name>.<run-id>.tmp}, the run id a UUID. */
  private static final Pattern RUN_TEMP =
      Pattern.compile("\\..+\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

  /** One input file: the name to show and where it is. */
  record Named(String name, Path path) {}

  static boolean isGlob(String s) {
    return Glob.isGlob(s);
  }

  /** Whether a file name is that of a run's temporary output. */
  static boolean isRunTemp(String fileName) {
    return RUN_TEMP.matcher(fileName).matches();
  }

  /** The state folder, or, when the walk starts inside it, one of the folders wiz keeps in it. */
  private static boolean isStateFolder(Path realDir, Path state) {
    if (realDir.equals(state)) return true;
    return realDir.getParent() != null && realDir.getParent().equals(state)
        && PathOverlaps.STATE_CONTENTS.contains(realDir.getFileName().toString());
  }

  /**
   * Why a path that is not a folder is no file to read: it is missing, a symbolic link to nothing,
   * or something that is there but not a regular file (a named pipe such as bash's {@code <(...)},
   * a device such as {@code /dev/stdin}, a socket), which can be read once at most: a file source
   * is read again for {@code --checksum} and {@code --resume}, so such a path is said to be one,
   * with how to read it instead.
   */
  private static String notAFile(String pattern, Path p) {
    if (Files.exists(p)) {
      String abs = p.toAbsolutePath().toString();
      return "'" + pattern + "' is not a regular file but a pipe or device" + (abs.equals(pattern) ? "" : " (" + abs + ")")
          + ", which a file source cannot read: read it with source type stdin, as in: wiz run PIPELINE < " + dev.wiz.Shell.quote(abs);
    }
    if (Files.isSymbolicLink(p)) {
      return "'" + pattern + "' is a symbolic link to a file that does not exist (looked for " + p.toAbsolutePath() + ")";
    }
    return "no such file: '" + pattern + "' (looked for " + p.toAbsolutePath() + ")";
  }

  /** Why a glob that matches something other than a regular file or a folder is refused. */
  private static String notAMatch(String pattern, Glob glob, Path root, List<Path> unreadable) {
    Path p = unreadable.get(0);
    String name = glob.literal() + root.relativize(p);
    String what = Files.exists(p) ? "is not a regular file but a pipe, device or socket, which a file source cannot read"
        : "is a symbolic link to a file that does not exist";
    int more = unreadable.size() - 1;
    return "'" + pattern + "' matches '" + name + "', which " + what
        + (more > 0 ? " (and " + more + " more such " + (more == 1 ? "path" : "paths") + ")" : "")
        + ": narrow the glob or move it away" + (Files.exists(p) ? "; read a pipe with source type stdin, as in: wiz run "
        + "PIPELINE < " + dev.wiz.Shell.quote(p.toAbsolutePath().toString()) : "");
  }

  static List<Named> resolve(String pattern, Path baseDir) throws IOException {
    return resolve(pattern, baseDir, null);
  }

  /** As {@link #resolve(String, Path)}; {@code stateDir} is the run's state folder, or null. */
  static List<Named> resolve(String pattern, Path baseDir, Path stateDir) throws IOException {
    if (!isGlob(pattern)) {
      Path p = baseDir.resolve(pattern);
      if (Files.isDirectory(p)) {
        throw new IoConfigException("/path", "'" + pattern + "' is a folder: name a file, or a glob such as '"
            + pattern.replaceAll("/+$", "") + "/*.jsonl'");
      }
      if (!Files.isRegularFile(p)) {
        throw new IoConfigException("/path", notAFile(pattern, p));
      }
      return List.of(new Named(pattern, p));
    }
    Glob glob;
    try {
      glob = Glob.parse(pattern, baseDir);
    } catch (Glob.BadGlob e) {
      throw new IoConfigException("/path", e.getMessage());
    }
    Path root = glob.root();
    Path state = stateDir == null ? null : PathOverlaps.real(stateDir);
    List<Path> found = new ArrayList<>();
    List<Path> unreadable = new ArrayList<>();
    if (Files.isDirectory(root)) {
      Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), glob.depth(),
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (dir.equals(root)) return FileVisitResult.CONTINUE;
              boolean isState = dir.getFileName() != null && PathOverlaps.STATE_NAME.equals(dir.getFileName().toString())
                  || state != null && isStateFolder(PathOverlaps.real(dir), state);
              return isState ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (isRunTemp(file.getFileName().toString()) || !glob.matches(root.relativize(file))) {
                return FileVisitResult.CONTINUE;
              }
              if (Files.isRegularFile(file)) {
                found.add(file);
              } else if (!Files.isDirectory(file)) {
                unreadable.add(file); // a pipe, device or socket, or a symbolic link to nothing
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IoConfigException {
              throw new IoConfigException("/path", "cannot read " + file.toAbsolutePath() + " while matching '"
                  + pattern + "'" + (e instanceof java.nio.file.AccessDeniedException ? " (permission denied)" : ": " + e));
            }
          });
    }
    if (!unreadable.isEmpty()) {
      // Read, a pipe nobody writes would hang the run, and a file source reads its inputs again
      // (--checksum, --resume); left out, what the glob names would be lost without a word. So it
      // is refused, as the same path given alone is.
      unreadable.sort(Comparator.comparing(Path::toString));
      throw new IoConfigException("/path", notAMatch(pattern, glob, root, unreadable));
    }
    found.sort(Comparator.comparing(Path::toString));
    List<Named> out = new ArrayList<>();
    for (Path p : found) out.add(new Named(glob.literal() + root.relativize(p).toString(), p));
    if (out.isEmpty()) {
      throw new IoConfigException("/path", "no file matches '" + pattern + "' (looked in " + root.toAbsolutePath() + ")");
    }
    return out;
  }
}

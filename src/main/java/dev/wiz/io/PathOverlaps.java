package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths of a pipeline that must not meet: the sink must not write over its own input, over the
 * pipeline file, or into a state folder (nor name a folder, ending in {@code /}); a glob source must not match the sink's output (a later
 * run would read it back); a source must not read from a state folder; and the same for a file a
 * processor reads (a lookup table): the sink must not overwrite it, nor may it be in a state folder. Paths are compared
 * absolute and normalised, and again with symbolic links resolved as far as the file exists, so
 * {@code ./data.jsonl}, {@code data.jsonl} and a link to it are one file. Standard input and
 * standard output never collide.
 */
public final class PathOverlaps {
  /**
   * The name of a state folder ({@code .wiz}, as {@code dev.wiz.state.StateDir#DEFAULT_NAME}): a
   * folder of that name is wiz's wherever it is.
   */
  static final String STATE_NAME = ".wiz";

  /** The folders wiz keeps in a state folder (as {@code dev.wiz.state.StateDir} lays it out). */
  static final List<String> STATE_CONTENTS = List.of("runs", "requests", "chunks");

  private PathOverlaps() {}

  /**
   * One collision, at a JSON pointer of the pipeline file ({@code /sink/path} or {@code /source/path}).
   */
  public record Problem(String pointer, String message) {}

  /**
   * A file a processor reads whole before the run (a {@code lookup} table), named at a JSON
   * pointer of the pipeline file.
   *
   * @param pointer where the pipeline names it ({@code /processors/0/config/file})
   * @param path the path as written, relative to the pipeline's folder
   * @param what what it is, for messages ({@code the lookup file of processor 'users'})
   */
  public record Read(String pointer, String path, String what) {}

  /**
   * Every collision of a pipeline's {@code source} and {@code sink} (as written, possibly not
   * valid yet: what is not a file source or sink with a textual path is left to the schema).
   *
   * @param pipelineFile the pipeline file; relative paths resolve against its folder
   * @param stateDir the run's state folder, or null for {@code .wiz} next to the pipeline file
   */
  public static List<Problem> check(JsonNode source, JsonNode sink, Path pipelineFile, Path stateDir) {
    return check(source, sink, pipelineFile, stateDir, List.of());
  }

  /**
   * As {@link #check(JsonNode, JsonNode, Path, Path)}, and also: the sink must not overwrite a file
   * a processor reads ({@code reads}), which must not be inside a state folder either.
   */
  public static List<Problem> check(JsonNode source, JsonNode sink, Path pipelineFile, Path stateDir, List<Read> reads) {
    Path file = pipelineFile.toAbsolutePath().normalize();
    Path baseDir = file.getParent();
    Path state = (stateDir == null ? baseDir.resolve(STATE_NAME) : stateDir.toAbsolutePath()).normalize();
    List<Problem> out = new ArrayList<>();
    String sourcePath = filePath(source);
    Glob glob = null;
    if (sourcePath != null && Glob.isGlob(sourcePath)) {
      try {
        glob = Glob.parse(sourcePath, baseDir);
      } catch (Glob.BadGlob e) {
        out.add(new Problem("/source/path", e.getMessage()));
        sourcePath = null; // nothing it reads can be told
      }
    }
    if (sourcePath != null && IoFactory.namesAFolder(sourcePath)) {
      // As for the sink: a name that ends in a slash (or in . or ..) is a folder's, by its text alone.
      out.add(new Problem("/source/path", "'" + sourcePath + "' names a folder: name a file, or a glob such as '"
          + sourcePath.replaceAll("/+$", "") + "/*." + IoFactory.extension(source.path("format").asText("jsonl")) + "'"));
      sourcePath = null;
    }
    if (sourcePath != null) {
      Path read = glob != null ? glob.root() : baseDir.resolve(sourcePath);
      Path in = stateFolderOf(read.toAbsolutePath().normalize(), state, baseDir);
      if (in != null) {
        out.add(new Problem("/source/path", "the source '" + sourcePath + "' is inside a state folder (" + in
            + "), which wiz writes while it runs: copy what you want to read out of it and read the copy (e.g. cp "
            + (Glob.isGlob(sourcePath) ? ".wiz/runs/RUN/dead-letter.jsonl" : "'" + sourcePath + "'") + " retry.jsonl)"));
      }
    }
    for (Read r : reads) {
      Path in = stateFolderOf(baseDir.resolve(r.path()).toAbsolutePath().normalize(), state, baseDir);
      if (in != null) {
        out.add(new Problem(r.pointer(), r.what() + " '" + r.path() + "' is inside a state folder (" + in
            + "), which wiz writes while it runs: copy the file out of it and name the copy"));
      }
    }
    String sinkPath = filePath(sink);
    if (sinkPath == null) return out;
    if (IoFactory.namesAFolder(sinkPath)) {
      // A name that ends in a slash is a folder's, whether it exists yet or not.
      out.add(new Problem("/sink/path", IoFactory.namesAFolder(sinkPath, sink.path("format").asText("jsonl"))));
      return out;
    }
    String compressed = compressedName(sinkPath);
    if (compressed != null) {
      // wiz reads xz input, so a user may well expect it to write it: it writes text (or gzip, named
      // .gz), which under this name every reader would take for damaged compressed data.
      String plain = sinkPath.substring(0, sinkPath.length() - compressed.length());
      String suffix = compressed.toLowerCase(java.util.Locale.ROOT);
      // An archive holds files: the one file wiz writes is archived after the run, not piped.
      String archive = switch (suffix) {
        case ".tar" -> "tar -cf";
        case ".tgz" -> "tar -czf";
        case ".tbz2" -> "tar -cjf";
        case ".txz" -> "tar -cJf";
        case ".zip" -> "zip";
        default -> null;
      };
      if (archive != null) {
        out.add(new Problem("/sink/path", "'" + sinkPath + "' ends in " + compressed + ", but wiz writes its output as one"
            + " file, not an archive, which " + (archive.equals("zip") ? "unzip" : "tar") + " would not read: name the"
            + " file '" + plain + "' and archive it after the run (" + archive + " " + dev.wiz.Shell.quote(sinkPath) + " "
            + dev.wiz.Shell.quote(plain) + ")"));
      } else {
        String tool = switch (suffix) {
          case ".xz" -> "xz";
          case ".zst" -> "zstd";
          case ".lz4" -> "lz4";
          default -> "bzip2";
        };
        out.add(new Problem("/sink/path", "'" + sinkPath + "' ends in " + compressed + ", but wiz writes text (or gzip,"
            + " named .gz), which " + tool + " would not read: name the file '" + plain + "' and compress it after"
            + " the run (" + tool + " " + dev.wiz.Shell.quote(plain) + "), or use sink type stdout and pipe it:"
            + " wiz run PIPELINE | " + tool + " > " + dev.wiz.Shell.quote(sinkPath) + "; wiz writes gzip itself: name"
            + " the file '" + plain + ".gz'"));
      }
    }
    Path target = baseDir.resolve(sinkPath).toAbsolutePath().normalize();
    Path realTarget = real(target);
    String what = "the sink '" + sinkPath + "' (" + target + ")";
    if (same(target, realTarget, file)) {
      out.add(new Problem("/sink/path", what + " is the pipeline file itself, which the run would overwrite: "
          + "write the output to another file, e.g. '" + suggestion(sinkPath) + "'"));
    }
    Path in = stateFolderOf(target, state, baseDir);
    if (in != null) {
      out.add(new Problem("/sink/path", what + " is inside a state folder (" + in
          + "), which holds wiz's run records: write the output outside of it"));
    }
    for (Read r : reads) {
      if (same(target, realTarget, baseDir.resolve(r.path()))) {
        out.add(new Problem("/sink/path", what + " is " + r.what() + " (" + r.pointer() + "), which the run would"
            + " overwrite with its own output: write the output to another file, e.g. '" + suggestion(sinkPath) + "'"));
      }
    }
    if (sourcePath != null) {
      if (glob == null) {
        Path input = baseDir.resolve(sourcePath).toAbsolutePath().normalize();
        if (same(target, realTarget, input)) {
          out.add(new Problem("/sink/path", what + " is the file the source '" + sourcePath
              + "' reads, which the run would overwrite with its own output: write the output to another file, e.g. '"
              + suggestion(sinkPath) + "'"));
        }
      } else if (glob.wouldMatch(target, realTarget)) {
        out.add(new Problem("/sink/path", what + " matches the source glob '" + sourcePath
            + "', so the next run would read this run's output as input: write the output where the glob does not"
            + " reach, or narrow the glob so that it does not match '" + sinkPath
            + "' (e.g. keep the inputs in a folder of their own: 'in/*.jsonl')"));
      }
    }
    return out;
  }

  /**
   * The suffix of a compression wiz does not write, or of an archive, that a file name ends in
   * ({@code .xz}, {@code .tar}, any case), or null. (A name ending in {@code .gz} is written as
   * gzip: {@link SinkCompression}.)
   */
  private static String compressedName(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    for (String suffix : new String[] {".xz", ".zst", ".bz2", ".lz4", ".tgz", ".tar", ".zip", ".tbz2", ".txz"}) {
      if (last.length() > suffix.length() && last.regionMatches(true, last.length() - suffix.length(), suffix, 0, suffix.length())) {
        return path.substring(path.length() - suffix.length());
      }
    }
    return null;
  }

  /** The {@code path} of a file source or sink, or null. */
  private static String filePath(JsonNode spec) {
    if (spec == null || !"file".equals(spec.path("type").asText())) return null;
    JsonNode p = spec.get("path");
    return p != null && p.isTextual() && !p.asText().isEmpty() ? p.asText() : null;
  }

  /** Whether {@code p} (absolute, normalised) is the file {@code other}, written another way or through links. */
  private static boolean same(Path p, Path realP, Path other) {
    Path o = other.toAbsolutePath().normalize();
    return p.equals(o) || realP.equals(real(o));
  }

  /**
   * The state folder a path (absolute, normalised) is in, as written or with links resolved: the
   * run's, or below the pipeline's folder one named {@code .wiz} (another pipeline's); else null.
   */
  private static Path stateFolderOf(Path p, Path state, Path baseDir) {
    Path in = lexicalStateFolderOf(p, state, baseDir);
    return in != null ? in : lexicalStateFolderOf(real(p), real(state), real(baseDir));
  }

  private static Path lexicalStateFolderOf(Path p, Path state, Path baseDir) {
    if (baseDir.startsWith(state)) {
      // A state folder around the pipeline's own folder (--state-dir .): only what wiz keeps in it.
      for (String kept : STATE_CONTENTS) {
        if (p.startsWith(state.resolve(kept))) return state.resolve(kept);
      }
    } else if (p.startsWith(state)) {
      return state;
    }
    if (!p.startsWith(baseDir)) return null;
    Path at = baseDir;
    for (Path name : baseDir.relativize(p)) {
      at = at.resolve(name.toString());
      if (STATE_NAME.equals(name.toString())) return at;
    }
    return null;
  }

  /** Another name next to the one written: {@code data.jsonl} gives {@code data.out.jsonl}. */
  static String suggestion(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot <= slash + 1) return path + ".out";
    return path.substring(0, dot) + ".out" + path.substring(dot);
  }

  /**
   * The path absolute and normalised, with symbolic links resolved as far as it exists: the
   * nearest existing folder above a file yet to be written is resolved, the rest appended.
   */
  static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    if (existing == null) return abs;
    try {
      Path real = existing.toRealPath();
      return existing.equals(abs) ? real : real.resolve(existing.relativize(abs).toString()).normalize();
    } catch (IOException | SecurityException e) {
      return abs;
    }
  }
}

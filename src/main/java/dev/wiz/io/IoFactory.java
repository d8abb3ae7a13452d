package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the source and the sink a validated pipeline names. */
public final class IoFactory {
  private final InputStream stdin;
  private final OutputStream stdout;

  public IoFactory(InputStream stdin, OutputStream stdout) {
    this.stdin = stdin;
    this.stdout = stdout;
  }

  /** The source of a validated {@code source} object; relative paths resolve against baseDir. */
  public Source openSource(JsonNode spec, Path baseDir) throws IOException {
    return openSource(spec, baseDir, null);
  }

  /**
   * As {@link #openSource(JsonNode, Path)}; a glob does not look into {@code stateDir} (the run's
   * state folder, or null) nor into any folder named {@code .wiz}, and skips runs' temporary outputs.
   */
  public Source openSource(JsonNode spec, Path baseDir, Path stateDir) throws IOException {
    return openSource(spec, baseDir, stateDir, () -> false);
  }

  /**
   * As {@link #openSource(JsonNode, Path, Path)}, for a run that {@code cancelled} says is being
   * cancelled: reading standard input, which may wait for ever, then stops at once with a {@link
   * ReadCancelledException}.
   */
  public Source openSource(JsonNode spec, Path baseDir, Path stateDir, java.util.function.BooleanSupplier cancelled)
      throws IOException {
    return openSource(spec, baseDir, stateDir, cancelled, () -> false);
  }

  /**
   * As {@link #openSource(JsonNode, Path, Path, java.util.function.BooleanSupplier)}; once {@code
   * stopWaiting} says the run needs no more input, a read of standard input that waits for more
   * stops with a {@link ReadCancelledException} (one that has input at hand takes it).
   */
  public Source openSource(JsonNode spec, Path baseDir, Path stateDir, java.util.function.BooleanSupplier cancelled,
      java.util.function.BooleanSupplier stopWaiting) throws IOException {
    Format format = Format.parse(spec.path("format").asText("jsonl"));
    List<Input> inputs = new ArrayList<>();
    if ("stdin".equals(spec.path("type").asText())) {
      inputs.add(Input.stream("stdin", stdin, cancelled, stopWaiting));
    } else {
      for (Inputs.Named n : Inputs.resolve(spec.path("path").asText(), baseDir, stateDir)) {
        if (!Files.isReadable(n.path())) {
          throw new IoConfigException("/path", "cannot read '" + n.name() + "' (permission denied)");
        }
        inputs.add(Input.file(n));
      }
    }
    switch (format) {
      case JSON:
        return new JsonSource(inputs);
      case CSV:
        return new CsvSource(inputs, delimiter(spec), spec.path("allowShortRows").asBoolean(false));
      case LINES:
        return new LineSource(inputs, false);
      case JSONL:
      default:
        return new LineSource(inputs, true);
    }
  }

  /** The sink of a validated {@code sink} object; a file sink writes a temporary file named after the run. */
  public Sink openSink(JsonNode spec, Path baseDir, String runId) throws IOException {
    return openSink(spec, baseDir, runId, null);
  }

  /** What a resumed run takes over from the run it resumes: its partial output, cut to what it committed. */
  public record Partial(String runId, long bytes, long records) {}

  /** Where the partial output of a run of a file sink is, or empty for stdout. */
  public static java.util.Optional<Path> partialFile(JsonNode spec, Path baseDir, String runId) {
    if ("stdout".equals(spec.path("type").asText())) return java.util.Optional.empty();
    return java.util.Optional.of(Target.AtomicFile.tempFile(followLinks(baseDir.resolve(spec.path("path").asText())), runId));
  }

  /** How many symbolic links in a row are followed before the chain is taken for a loop (as Linux's ELOOP). */
  private static final int MAX_LINKS = 40;

  /**
   * The file a path names once the symbolic links at its end are followed (a link to a link to a
   * file gives the file, which need not exist yet); absolute. A path that is no link is returned as
   * it is, made absolute. Still a link after {@value #MAX_LINKS} links: a loop, returned as found.
   */
  public static Path followLinks(Path path) {
    Path at = path.toAbsolutePath();
    if (!Files.isSymbolicLink(at)) return at;
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(at); i++) {
      try {
        at = at.resolveSibling(Files.readSymbolicLink(at));
      } catch (IOException | UnsupportedOperationException e) {
        return at;
      }
    }
    // Shown and compared as the file it is: its folder's real path when the folder is there.
    Path dir = at.getParent();
    try {
      if (dir != null && Files.isDirectory(dir)) return dir.toRealPath().resolve(at.getFileName().toString());
    } catch (IOException e) {
      // keep it as followed
    }
    return at.normalize();
  }

  /**
   * The file a file sink writes (see {@link #followLinks}: a symbolic link's target is replaced,
   * the link kept), refused before anything is written when it cannot be a file: a path ending in
   * {@code /}, a folder, a path below a file, a named pipe, a device or a socket (which the atomic
   * move into place would replace), a symbolic link in a loop.
   */
  public static Path sinkFile(JsonNode spec, Path baseDir) throws IoConfigException {
    String path = spec.path("path").asText();
    if (namesAFolder(path)) throw new IoConfigException("/path", namesAFolder(path, spec.path("format").asText("jsonl")));
    Path p = followLinks(baseDir.resolve(path));
    String via = p.equals(baseDir.resolve(path).toAbsolutePath()) ? "" : " (a symbolic link to " + p + ")";
    if (Files.isDirectory(p)) {
      throw new IoConfigException("/path", "'" + path + "'" + via + " is a folder: name the file to write");
    }
    if (Files.isSymbolicLink(p)) {
      throw new IoConfigException("/path", "'" + path + "' is a symbolic link in a loop (its links lead round"
          + " in a circle, never to a file): point it at the file to write, or name another file");
    }
    if (Files.exists(p) && !Files.isRegularFile(p)) {
      throw new IoConfigException("/path", "'" + path + "'" + via + " is " + kindOf(p)
          + ", not a regular file: a file sink writes a temporary file and moves it into place, which would replace it;"
          + " to write into it, use sink type stdout and redirect it, as in: wiz run PIPELINE > " + dev.wiz.Shell.quote(p.toString()));
    }
    // The nearest folder that exists: missing ones are created, but not below a file.
    Path parent = p.getParent();
    while (parent != null && !Files.exists(parent)) parent = parent.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IoConfigException("/path", "cannot write '" + path + "': " + parent + " is a file, not a folder");
    }
    return p;
  }

  /**
   * Whether a sink path names a folder, existing or not, by its text alone: it ends in {@code /}, or
   * its last name is {@code .} or {@code ..}.
   */
  public static boolean namesAFolder(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    return path.endsWith("/") || last.equals(".") || last.equals("..");
  }

  /** The message for a sink path that names a folder ({@link #namesAFolder(String)}). */
  public static String namesAFolder(String path, String format) {
    String ext = extension(format);
    return "'" + path + "' names a folder: name the file to write, e.g. '" + (path.endsWith("/") ? path : path + "/") + "out."
        + ext + "'";
  }

  /** The file extension of a format, for an example file name. */
  static String extension(String format) {
    return switch (format) {
      case "csv" -> "csv";
      case "json" -> "json";
      case "lines" -> "txt";
      default -> "jsonl";
    };
  }

  /** What a path that is there but is neither a folder nor a regular file is, in words ("a named pipe"). */
  public static String kindOf(Path p) {
    try {
      int type = ((Integer) Files.getAttribute(p, "unix:mode")) & 0170000;
      switch (type) {
        case 0010000: return "a named pipe";
        case 0020000: return "a device";
        case 0060000: return "a block device (a disk)";
        case 0140000: return "a socket";
        default: break;
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      // A file system without unix attributes: said in general words.
    }
    return "a pipe or device";
  }

  /** A run's temporary output next to a target: the run's id and the file. */
  public record PartialFile(String runId, Path path) {}

  /**
   * The temporary outputs of every run next to the target whose temporary output {@code partial}
   * is ({@code .<name>.<run-id>.tmp} in its folder), in name order.
   */
  public static List<PartialFile> partialFiles(Path partial) throws IOException {
    Path dir = partial.getParent();
    String name = partial.getFileName().toString();
    // ".<target>.<run-id>.tmp": the run id is a UUID, 36 characters.
    String prefix = name.substring(0, name.length() - ".tmp".length() - 36);
    List<PartialFile> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.startsWith(prefix) && n.length() == prefix.length() + 36 + 4 && Inputs.isRunTemp(n)) {
          out.add(new PartialFile(n.substring(prefix.length(), prefix.length() + 36), p));
        }
      }
    }
    out.sort(java.util.Comparator.comparing(f -> f.path().toString()));
    return out;
  }

  /** As {@link #openSink(JsonNode, Path, String)}, going on from a partial output when one is given. */
  public Sink openSink(JsonNode spec, Path baseDir, String runId, Partial partial) throws IOException {
    Format format = Format.parse(spec.path("format").asText("jsonl"));
    Target target;
    if ("stdout".equals(spec.path("type").asText())) {
      target = new Target.Stdout(stdout);
    } else {
      String path = spec.path("path").asText();
      Path p = sinkFile(spec, baseDir);
      try {
        target = partial == null ? new Target.AtomicFile(p, runId)
            : new Target.AtomicFile(p, runId, partial.runId(), partial.bytes());
      } catch (java.nio.file.AccessDeniedException e) {
        throw new IoConfigException("/path", "cannot write '" + path + "' (permission denied)");
      } catch (java.nio.file.FileSystemException e) {
        if (partial != null) throw e;
        // A folder that cannot be made (a read-only or virtual file system, a full disk, ...).
        throw new IoConfigException("/path", "cannot write '" + path + "': cannot create " + e.getFile()
            + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
      }
    }
    List<String> columns = null;
    if (spec.has("columns")) {
      columns = new ArrayList<>();
      for (JsonNode c : spec.get("columns")) columns.add(c.asText());
    }
    FormatSink sink = new FormatSink(format, target, delimiter(spec), columns, dev.wiz.Json.digest(spec),
        SinkCompression.gzipLevel(spec));
    if (partial != null && target instanceof Target.AtomicFile) {
      sink.resumeAfter(partial.records(), partial.bytes(), Target.AtomicFile.tempFile(followLinks(baseDir.resolve(spec.path("path").asText())), runId));
    }
    return sink;
  }

  private static char delimiter(JsonNode spec) {
    String d = spec.path("delimiter").asText(",");
    return d.isEmpty() ? ',' : d.charAt(0);
  }
}

package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * One whole file of records in a source format ({@code jsonl}, {@code json}, {@code csv}), read
 * once from start to end with the sources' own readers (so the same decompression of gzip and xz,
 * the same rules and the same messages), each record handed on with the line it starts on; and
 * the file's fingerprint and sha-256 over its bytes as stored. For a file a processor holds whole
 * (a {@code lookup} table), not for a run's input: the first record that cannot be read ends the
 * reading with its place, since a table with a line left out would give wrong answers quietly.
 */
public final class RecordFile {
  private RecordFile() {}

  /** Records are read in batches of this many (the batch is the unit the readers cut). */
  private static final int BATCH = 4096;

  /** Takes each record of the file, in file order. */
  @FunctionalInterface
  public interface Rows {
    /** One record, starting on {@code line} (1-based; 0 when not known). */
    void row(JsonNode record, long line) throws Problem;
  }

  /**
   * The file cannot be used: it is missing, a folder, unreadable, a record in it cannot be read,
   * or {@link Rows} refused a record. The message starts with the place when there is one
   * ({@code users.csv:3:7: ...}) and says what to do.
   */
  public static final class Problem extends Exception {
    public Problem(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * What was read.
   *
   * @param name the file as the config names it
   * @param path its absolute path
   * @param bytes its size as stored
   * @param modified its modification time, epoch milliseconds
   * @param digest {@code sha256:<hex>} of its bytes as stored
   * @param records how many records it holds
   */
  public record Read(String name, String path, long bytes, long modified, String digest, long records) {}

  /**
   * Reads the file {@code name} (relative to {@code baseDir}) in {@code format}, giving each record
   * to {@code rows}.
   */
  public static Read read(Path baseDir, String name, String format, char delimiter, Rows rows) throws Problem {
    Path p = baseDir.resolve(name);
    java.util.Optional<String> unusable = problem(baseDir, name);
    if (unusable.isPresent()) throw new Problem(unusable.get());
    // The digest is taken of the bytes the reader reads, as it reads them: the file is read once.
    Digesting stored = new Digesting();
    Input input = Input.file(new Inputs.Named(name, p), stored::wrap);
    InputFile taken;
    try {
      taken = input.fingerprint();
    } catch (IOException e) {
      throw new Problem("cannot read '" + name + "': " + e);
    }
    long records = 0;
    try (Source source = open(format, input, delimiter)) {
      for (SourceBatch b; (b = source.next(BATCH)) != null; ) {
        Decoded d = b.decode();
        RecordError first = null;
        for (RecordError e : d.errors()) {
          if (first == null || e.line() < first.line()) first = e;
        }
        List<JsonNode> in = d.records();
        int[] at = d.recordLines();
        for (int i = 0; i < in.size(); i++) {
          long line = at == null || at[i] < 0 ? b.firstLine() : b.firstLine() + at[i];
          if (first != null && line >= first.line()) break; // the bad record comes first
          rows.row(in.get(i), line);
          records++;
        }
        if (first != null) {
          throw new Problem(first.place() + ": " + first.message() + "; fix the line, then run again");
        }
      }
    } catch (AccessDeniedException e) {
      throw new Problem("cannot read '" + name + "' (permission denied)");
    } catch (IoConfigException e) {
      throw new Problem(e.getMessage()); // a broken CSV header, said with its place
    } catch (BrokenInputException e) {
      throw new Problem(e.getMessage());
    } catch (IOException e) {
      // A json file the parser gave up on says its place; anything else is the file system's word.
      throw new Problem(e.getMessage() != null && e.getMessage().startsWith(name + ":") ? e.getMessage()
          : "cannot read '" + name + "': " + e);
    }
    // Read to its end by the reader, which checks the file did not change meanwhile; a reader that
    // stops before the end (what follows a gzip stream) is checked here.
    String digest;
    try {
      digest = stored.rest(p, taken);
    } catch (IOException e) {
      throw new Problem("cannot read '" + name + "': " + e);
    }
    if (!unchanged(p, taken)) throw new Problem(name + " changed while it was read: run again once nothing writes to it");
    return new Read(name, p.toAbsolutePath().normalize().toString(), taken.size(), taken.modified(), digest, records);
  }

  /**
   * Why the file {@code name} (relative to {@code baseDir}) cannot be read, seen without reading it:
   * it is missing, a folder, a pipe or device, or not readable. Empty when it can be.
   */
  public static java.util.Optional<String> problem(Path baseDir, String name) {
    Path p = baseDir.resolve(name);
    if (Files.isDirectory(p)) return java.util.Optional.of("'" + name + "' is a folder: name the file to read");
    if (!Files.isRegularFile(p)) {
      if (Files.exists(p)) {
        return java.util.Optional.of("'" + name + "' is not a regular file but a pipe or device, which can be read"
            + " only once: copy it into a file and name that");
      }
      if (Files.isSymbolicLink(p)) {
        return java.util.Optional.of("'" + name + "' is a symbolic link to a file that does not exist (looked for "
            + p.toAbsolutePath() + ")");
      }
      return java.util.Optional.of("no such file: '" + name + "' (looked for " + p.toAbsolutePath() + ")"
          + (Glob.isGlob(name) ? "; it is one file: a glob is not expanded" : ""));
    }
    if (!Files.isReadable(p)) return java.util.Optional.of("cannot read '" + name + "' (permission denied)");
    return java.util.Optional.empty();
  }

  private static boolean unchanged(Path p, InputFile taken) {
    try {
      return Files.size(p) == taken.size() && Files.getLastModifiedTime(p).toMillis() == taken.modified();
    } catch (IOException e) {
      return true; // removed once read: it was read whole, as it was
    }
  }

  private static Source open(String format, Input input, char delimiter) {
    List<Input> inputs = List.of(input);
    switch (Format.parse(format)) {
      case JSON:
        return new JsonSource(inputs);
      case CSV:
        return new CsvSource(inputs, delimiter, false, false);
      case JSONL:
        return new LineSource(inputs, true);
      default:
        throw new IllegalArgumentException("format " + format + " holds no records to look up");
    }
  }

  /**
   * The sha-256 of a file's bytes as stored, taken as its reader reads them ({@link #wrap}); what
   * the reader left unread at the end (what follows a gzip stream) is read by {@link #rest}.
   */
  private static final class Digesting {
    private final MessageDigest md = Json.sha256();
    private long n;

    InputStream wrap(InputStream in) {
      return new java.io.FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = in.read();
          if (b >= 0) {
            md.update((byte) b);
            n++;
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int r = in.read(b, off, len);
          if (r > 0) {
            md.update(b, off, r);
            n += r;
          }
          return r;
        }

        @Override
        public long skip(long count) throws IOException {
          // Skipped bytes are digested too: read them.
          byte[] buf = new byte[(int) Math.min(count, 8192)];
          long done = 0;
          for (int r; done < count && (r = read(buf, 0, (int) Math.min(buf.length, count - done))) > 0; ) done += r;
          return done;
        }

        @Override
        public boolean markSupported() {
          return false;
        }
      };
    }

    /** The digest once the rest of the file after the bytes read is added; it must be the size its fingerprint says. */
    String rest(Path p, InputFile taken) throws IOException, Problem {
      if (n < taken.size()) {
        try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(p)) {
          ch.position(n);
          java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
          for (int r; (r = ch.read(buf)) > 0; buf.clear()) {
            md.update(buf.array(), 0, r);
            n += r;
          }
        }
      }
      if (n != taken.size()) {
        throw new Problem(taken.name() + " changed while it was read (" + taken.size() + " bytes, then " + n
            + "): run again once nothing writes to it");
      }
      return Json.hex(md);
    }
  }
}

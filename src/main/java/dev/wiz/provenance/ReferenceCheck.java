package dev.wiz.provenance;

import dev.wiz.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Holds a file a run read whole to prepare (a {@code lookup} table, run.json's {@code references})
 * against the size and sha-256 run.json records for it. Another table does not make the run's
 * output corrupt (it is still the bytes the log says), but the output no longer says what a run on
 * the file as it is now would: {@code wiz provenance verify} says so, without failing.
 */
public final class ReferenceCheck {
  private ReferenceCheck() {}

  /** What the file is now, against what the run read. */
  public enum State {
    UNCHANGED("unchanged"),
    CHANGED("changed"),
    MISSING("missing"),
    UNREADABLE("unreadable");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * The file now: its state, and its size and digest when it could be read (else -1 and null);
   * {@code why}, what kept it from being read.
   */
  public record Result(State state, long bytes, String digest, String why) {}

  /** Reads {@code file} whole and holds its sha-256 against {@code digest} ({@code sha256:<hex>}). */
  public static Result check(Path file, String digest) {
    if (!Files.exists(file)) return new Result(State.MISSING, -1, null, "no such file");
    if (!Files.isRegularFile(file)) return new Result(State.UNREADABLE, -1, null, "not a regular file");
    MessageDigest md = Json.sha256();
    long n = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
        n += r;
      }
    } catch (NoSuchFileException e) {
      return new Result(State.MISSING, -1, null, "no such file");
    } catch (AccessDeniedException e) {
      return new Result(State.UNREADABLE, -1, null, "permission denied");
    } catch (IOException e) {
      return new Result(State.UNREADABLE, -1, null, String.valueOf(e.getMessage()));
    }
    String now = Json.hex(md);
    return new Result(now.equals(digest) ? State.UNCHANGED : State.CHANGED, n, now, null);
  }
}

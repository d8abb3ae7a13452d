package dev.wiz.state;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code requests/<key>/lock}: held, as an operating-system file lock, while a run of the request
 * is alive. The operating system drops the lock when the process dies however it dies, so a lock
 * is never stale; but the file keeps what its last holder wrote until that holder ends cleanly
 * (which empties it), so a new holder that finds it non-empty knows the previous run crashed.
 */
public final class RequestLock implements AutoCloseable {
  /** Who holds (or held) the lock. */
  @JsonPropertyOrder({"runId", "pid", "startedAt"})
  public record Holder(String runId, long pid, String startedAt) {
    public Holder {
      RunRecord.require(runId, "runId");
      if (!StateDir.safeId(runId)) throw new IllegalArgumentException("runId '" + runId + "' is not a run id");
      RunRecord.require(startedAt, "startedAt");
    }
  }

  /** What trying to take the lock gave. */
  public sealed interface Outcome permits Acquired, Held {}

  /**
   * Taken. {@code crashed} is the previous holder when it ended without letting go cleanly.
   */
  public record Acquired(RequestLock lock, Optional<Holder> crashed) implements Outcome {}

  /** Another live run holds it (its holder, when it could be read). */
  public record Held(Optional<Holder> holder) implements Outcome {}

  /**
   * Lock files this process holds. On Linux, closing any channel of a file drops every lock the
   * process has on it, so a second attempt from this process must not even open the file.
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private volatile boolean abandoned;

  private RequestLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** Tries once, without waiting. */
  public static Outcome tryAcquire(Path file, Holder me) throws IOException {
    Files.createDirectories(file.getParent());
    Path key = file.toAbsolutePath().normalize();
    if (!HELD_HERE.add(key)) return new Held(holder(file));
    try {
      Outcome o = open(file, me);
      if (!(o instanceof Acquired)) HELD_HERE.remove(key);
      return o;
    } catch (IOException | RuntimeException e) {
      HELD_HERE.remove(key);
      throw e;
    }
  }

  /**
   * Whether a live run holds the lock, found without taking it (a shared lock is refused while
   * another process holds it). A missing file is not held.
   */
  public static boolean isHeld(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    if (HELD_HERE.contains(key)) return true;
    if (!Files.exists(file)) return false;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
      if (l == null) return true;
      l.release();
      return false;
    } catch (OverlappingFileLockException sameProcess) {
      return true;
    }
  }

  private static Outcome open(Path file, Holder me) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      l = null;
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      return new Held(holder(file));
    }
    try {
      Optional<Holder> before = lastHolder(file, readAll(ch, file));
      byte[] mine = StateJson.compact(me);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(mine), 0);
      ch.force(true);
      return new Acquired(new RequestLock(file, ch, l), before);
    } catch (IOException | RuntimeException e) {
      l.release();
      ch.close();
      throw e;
    }
  }

  /**
   * Lets go at {@link #close} without emptying the file, as a process that died does: for a run
   * that could not record its end, so the next holder records it as crashed.
   */
  public void abandon() {
    abandoned = true;
  }

  /** Ends cleanly: empties the file (no crash to report, unless {@link #abandon}ed), then lets go. Never throws. */
  @Override
  public void close() {
    try {
      if (!abandoned) {
        channel.truncate(0);
        channel.force(true);
      }
    } catch (IOException ignored) {
      // The next holder will report this run as crashed: better than losing the lock.
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
    HELD_HERE.remove(file.toAbsolutePath().normalize());
  }

  /**
   * The holder of a held lock as written in the file, when it can be read. The holder writes it
   * just after taking the lock, so a reader may come in between: it looks again a few times
   * before giving up.
   */
  public static Optional<Holder> holder(Path file) {
    for (int i = 0; i < 50; i++) {
      try {
        Optional<Holder> h = parse(Files.readAllBytes(file));
        if (h.isPresent()) return h;
        Thread.sleep(10);
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static byte[] readAll(FileChannel ch, Path file) throws IOException {
    long size = ch.size();
    if (size == 0) return new byte[0];
    if (size > 64 * 1024) throw new BrokenStateException(file, LOCK, size + " bytes, more than a lock holds");
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
      // keep reading
    }
    return buf.array();
  }

  private static final String LOCK = "request lock";

  /**
   * Who last held a lock that no live run holds, as its file says: empty when its last holder
   * ended cleanly (the file is empty) or there is no file. Anything else wiz does not write there
   * is a {@link BrokenStateException}: whether the last run crashed cannot be told.
   */
  public static Optional<Holder> lastHolder(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BrokenStateException(file, LOCK, e);
    }
    return lastHolder(file, bytes);
  }

  private static Optional<Holder> lastHolder(Path file, byte[] bytes) throws BrokenStateException {
    if (bytes.length == 0) return Optional.empty();
    return Optional.of(StateDir.parse(file, LOCK, bytes, Holder.class));
  }

  /** The holder a live run wrote, or empty when it cannot be read (yet): it only names who runs. */
  private static Optional<Holder> parse(byte[] bytes) {
    if (bytes.length == 0) return Optional.empty();
    Holder fast = StateJson.read(bytes, Holder.class);
    if (fast != null) return Optional.of(fast);
    try {
      return Optional.ofNullable(Json.mapper().readValue(bytes, Holder.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

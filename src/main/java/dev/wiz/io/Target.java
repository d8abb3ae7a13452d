package dev.wiz.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;

/** Where a sink's bytes go: a file written atomically, or standard output. */
interface Target extends AutoCloseable {
  void write(byte[] bytes) throws IOException;

  /** Makes what was written durable (fsync for files, flush for stdout). */
  void commit() throws IOException;

  /** Puts the output in place. */
  void complete() throws IOException;

  /** Gives up; never throws. */
  void abort();

  /** Stops without completing and keeps what was written, for a later {@code --resume}; never throws. */
  default void suspend() {
    abort();
  }

  String name();

  @Override
  void close() throws IOException;

  /**
   * A file written to {@code .<name>.<run>.tmp} in the target's folder, forced, and moved over the
   * target only by {@link #complete()}: a failed run never leaves a half-written file in its place.
   */
  final class AtomicFile implements Target {
    private final Path target;
    private final Path temp;
    private FileChannel channel;
    private boolean done;

    AtomicFile(Path target, String runId) throws IOException {
      this.target = target.toAbsolutePath();
      Path dir = this.target.getParent();
      Files.createDirectories(dir);
      this.temp = tempFile(this.target, runId);
      java.util.Set<PosixFilePermission> keep = permissionsOf(this.target);
      if (keep == null) {
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } else {
        // No wider than the file it replaces from the start (a file only its owner may read stays
        // so), but writable by its owner, so that --resume can open it again.
        java.util.Set<PosixFilePermission> writable = java.util.EnumSet.copyOf(keep);
        writable.add(PosixFilePermission.OWNER_READ);
        writable.add(PosixFilePermission.OWNER_WRITE);
        this.channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(writable));
      }
    }

    /**
     * The permissions of the regular file the output replaces (through a symbolic link, its
     * target's), which the output keeps; null when there is none, or the file system has no POSIX
     * permissions.
     */
    private static java.util.Set<PosixFilePermission> permissionsOf(Path target) {
      try {
        return Files.isRegularFile(target) ? Files.getPosixFilePermissions(target) : null;
      } catch (IOException | UnsupportedOperationException e) {
        return null;
      }
    }

    /**
     * Takes over the partial output an earlier run of the same request left ({@code
     * partialRunId}'s temporary file): it becomes this run's, cut to the first {@code keep} bytes
     * (what that run committed), and writing goes on after them.
     */
    AtomicFile(Path target, String runId, String partialRunId, long keep) throws IOException {
      this.target = target.toAbsolutePath();
      this.temp = tempFile(this.target, runId);
      Files.move(tempFile(this.target, partialRunId), temp, StandardCopyOption.ATOMIC_MOVE);
      // The new name is durable before this run commits anything in the file under it.
      forceFolder(this.target.getParent());
      this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
      long size = channel.size();
      if (size < keep) {
        channel.close();
        throw new IOException("the partial output " + temp + " has " + size + " bytes, fewer than the "
            + keep + " its run committed");
      }
      channel.truncate(keep);
      channel.position(keep);
    }

    /** Where a run writes its output before it is complete. */
    static Path tempFile(Path target, String runId) {
      Path abs = target.toAbsolutePath();
      return abs.getParent().resolve("." + abs.getFileName() + "." + runId + ".tmp");
    }

    @Override
    public void write(byte[] bytes) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      try {
        while (b.hasRemaining()) channel.write(b);
      } catch (IOException e) {
        throw DiskFullException.naming(temp, e);
      }
    }

    @Override
    public void commit() throws IOException {
      try {
        channel.force(false);
      } catch (IOException e) {
        throw DiskFullException.naming(temp, e);
      }
    }

    @Override
    public void complete() throws IOException {
      channel.force(true);
      channel.close();
      // Checked when the run started; something else may have been put there since.
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        String what = Files.isSymbolicLink(target) ? "a symbolic link" : IoFactory.kindOf(target);
        throw new IOException(target + " became " + what + " while the run wrote its output, which would replace it:"
            + " it is left as it is, and the output is kept in " + temp);
      }
      java.util.Set<PosixFilePermission> keep = permissionsOf(target);
      if (keep != null) Files.setPosixFilePermissions(temp, keep); // exactly, whatever the umask took away
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      forceFolder(target.getParent());
    }

    @Override
    public void abort() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to do with it.
      }
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // The temporary file has a name of its own; the target is untouched either way.
      }
      done = true;
    }

    @Override
    public void suspend() {
      long size;
      try {
        size = channel.size();
        channel.force(false);
        channel.close();
      } catch (IOException e) {
        size = -1; // keep it: what was committed was forced at its commit point
      }
      done = true;
      if (size == 0) abort(); // nothing to go on from
    }

    @Override
    public String name() {
      return target.toString();
    }

    @Override
    public void close() {
      if (!done) abort();
    }

    private static void forceFolder(Path dir) {
      try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
        ch.force(true);
      } catch (IOException | UnsupportedOperationException e) {
        // Not every file system lets a folder be opened for fsync; the file itself is forced.
      }
    }
  }

  /**
   * Standard output: flushed after every chunk; what is written cannot be taken back. Once its
   * reader closed it, writing throws {@link OutputClosedException} and the rest does nothing.
   * Once a write or flush failed otherwise (a full disk), closing it says nothing more: the run
   * was told, and the bytes its buffer still holds would only fail again.
   */
  final class Stdout implements Target {
    private final OutputStream out;
    private boolean closed;
    private boolean failed;

    Stdout(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
      if (closed) throw new OutputClosedException(null);
      try {
        out.write(bytes);
        // Handed on whole before the chunk's SEND is logged: a full disk or a closed reader is
        // found at the chunk it stops, not at the next commit point, after SENDs of bytes that
        // never left the buffer.
        out.flush();
      } catch (IOException e) {
        throw closedOr(e);
      }
    }

    @Override
    public void commit() throws IOException {
      flush();
    }

    @Override
    public void complete() throws IOException {
      flush();
    }

    private void flush() throws IOException {
      if (closed) return;
      try {
        out.flush();
      } catch (IOException e) {
        throw closedOr(e);
      }
    }

    private IOException closedOr(IOException e) {
      if (!OutputClosedException.isClosedPipe(e)) {
        failed = true;
        return e;
      }
      closed = true;
      return new OutputClosedException(e);
    }

    @Override
    public void abort() {
      try {
        flush();
      } catch (IOException ignored) {
        // stdout is gone (a closed pipe); nothing to save.
      }
    }

    @Override public String name() { return "stdout"; }

    @Override
    public void close() throws IOException {
      if (!failed) flush();
    }
  }
}

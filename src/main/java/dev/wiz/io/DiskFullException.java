package dev.wiz.io;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A write that failed because the file system it goes to has no room left: {@code ENOSPC} ("No
 * space left on device"), or {@code EDQUOT} (the user's quota is used up). Names the file, which
 * the JDK's exception of a failed write to an open channel does not.
 */
public final class DiskFullException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  public DiskFullException(Path file, Throwable cause) {
    super(file.toString(), null, cause.getMessage());
    initCause(cause);
  }

  /** The reason the system gave, as it gave it ("No space left on device"). */
  public String systemReason() {
    return getReason();
  }

  /** True when the exception (or one it wraps) says the disk or the quota is full. */
  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DiskFullException) return true;
      String m = t.getMessage();
      // Linux's words for ENOSPC and EDQUOT; jimfs's (an in-memory file system) for its own limit.
      if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
          || m.equals("out of disk space"))) return true;
    }
    return false;
  }

  /** The exception naming the file it was writing when it says the disk is full; else the exception itself. */
  public static java.io.IOException naming(Path file, java.io.IOException e) {
    return e instanceof DiskFullException || !is(e) ? e : new DiskFullException(file, e);
  }
}

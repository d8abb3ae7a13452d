package dev.wiz.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * wiz's standard input, refused when the process was started with it closed ({@code wiz run p.yaml
 * <&-}). The descriptor is then free, and the first file the JVM opens takes it: on Linux the
 * runtime image {@code lib/modules} of the JDK, whose bytes a {@code stdin} source would read as
 * records (garbage, exit 0). So the first read looks at what descriptor 0 is ({@code
 * /proc/self/fd/0}): a file inside the Java installation wiz runs on was not given to wiz, and
 * reading fails, saying why. Where that cannot be told (no {@code /proc}), it reads as it is.
 * Commands that never read standard input never look.
 */
final class StandardInput extends InputStream {
  static final String CLOSED = "standard input was closed when wiz started (as by <&-), and descriptor 0 is now a file"
      + " of the Java runtime: give the records on standard input (wiz run PIPELINE < in.jsonl, or a pipe), or read a"
      + " file with a source of type file";

  private final InputStream in;
  /** What descriptor 0 is (a path), or null when that cannot be told. */
  private final Supplier<Path> descriptor;
  private final Path javaHome;
  private boolean checked;
  private boolean closed;

  StandardInput(InputStream in, Supplier<Path> descriptor, Path javaHome) {
    this.in = in;
    this.descriptor = descriptor;
    this.javaHome = javaHome;
  }

  /** The process's standard input, {@code System.in}, checked on its first read (Linux). */
  static InputStream ofProcess() {
    return new StandardInput(System.in, () -> {
      try {
        return java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        return null; // no /proc: nothing to tell by
      }
    }, javaHome());
  }

  private static Path javaHome() {
    String home = System.getProperty("java.home");
    if (home == null) return null;
    Path p = Path.of(home);
    try {
      return p.toRealPath(); // /proc names the file by its real path
    } catch (IOException | SecurityException e) {
      return p.toAbsolutePath().normalize();
    }
  }

  /** Whether descriptor 0, naming {@code target}, is a file of the Java runtime at {@code javaHome}. */
  static boolean closedAtStart(Path target, Path javaHome) {
    return target != null && javaHome != null && target.isAbsolute() && target.normalize().startsWith(javaHome);
  }

  private void check() throws IOException {
    if (!checked) {
      checked = true;
      closed = closedAtStart(descriptor.get(), javaHome);
    }
    if (closed) throw new IOException(CLOSED);
  }

  @Override
  public int read() throws IOException {
    check();
    return in.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    check();
    return in.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    check();
    return in.available();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

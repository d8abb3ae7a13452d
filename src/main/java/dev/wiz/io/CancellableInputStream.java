package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A stream whose reads may wait for ever (standard input: a pipe whose writer waits, a terminal
 * nobody types into), read so that a cancelled run is not held up by it. When the stream says
 * input is there ({@link InputStream#available()}), a read takes it at once, as a plain read
 * would; otherwise the read is made by a daemon thread, which reads what the caller asks for, no
 * more (so nothing read is lost when the caller stops), and the caller waits for it {@link
 * #POLL_MILLIS} at a time, throwing {@link ReadCancelledException} once the run is being
 * cancelled. The thread, blocked in the underlying read, is then left behind (a daemon: it does
 * not keep the process alive). Closing this stream does not close the underlying one.
 *
 * <p>Once {@code stopWaiting} says so (the run needs no more input: a limit passed its count),
 * only a read that waits is cut: one that got nothing for {@link #POLL_MILLIS}. A read that has
 * input at hand (a file redirected to standard input, a writer faster than wiz: {@code yes}) takes
 * it, so that what is read does not depend on when the flag was set.
 */
final class CancellableInputStream extends InputStream {
  /** How long a read waits for input between two looks at the cancel flag. */
  private static final long POLL_MILLIS = 50;
  /** The most the thread reads at once (a pipe gives at most what it holds, 64 KiB on Linux). */
  private static final int READ_SIZE = 1 << 20;

  /** What one read of the thread gave: bytes, the end of the input ({@code bytes} null), or an error. */
  private record Block(byte[] bytes, IOException error) {
    static final Block END = new Block(null, null);
  }

  private final InputStream in;
  private final BooleanSupplier cancelled;
  private final BooleanSupplier stopWaiting;
  private final String threadName;
  /** How many bytes the caller wants; the thread reads at most that many. */
  private final BlockingQueue<Integer> asks = new SynchronousQueue<>();
  private final BlockingQueue<Block> answers = new SynchronousQueue<>();
  private Thread reader;
  /** True while the thread reads for an ask that was not answered yet. */
  private boolean asked;
  /** What an answer held beyond what the read that took it could take, and where that starts. */
  private byte[] rest;
  private int restPos;
  /** The end, or an error: every later read says the same. */
  private Block last;
  private volatile boolean closed;

  CancellableInputStream(InputStream in, BooleanSupplier cancelled, String threadName) {
    this(in, cancelled, () -> false, threadName);
  }

  /**
   * @param cancelled the run is being cancelled: every read stops
   * @param stopWaiting no more input is needed: a read that waits for input stops
   */
  CancellableInputStream(InputStream in, BooleanSupplier cancelled, BooleanSupplier stopWaiting, String threadName) {
    this.in = Objects.requireNonNull(in, "in");
    this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
    this.stopWaiting = Objects.requireNonNull(stopWaiting, "stopWaiting");
    this.threadName = threadName;
  }

  /** After a wait of {@link #POLL_MILLIS} for input: is the read to stop? */
  private boolean stopAfterWait() {
    return cancelled.getAsBoolean() || stopWaiting.getAsBoolean();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  /** Waits for input as long as it takes, unless the run is being cancelled. */
  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) throw new IOException("stream closed");
    if (len == 0) return 0;
    if (rest != null) return fromRest(b, off, len);
    if (last == null && !asked && ready()) {
      // Input is there: no wait, no thread (a large input goes this way, as fast as a plain read).
      if (cancelled.getAsBoolean()) throw new ReadCancelledException();
      return in.read(b, off, len);
    }
    Block block = last != null ? last : next(len);
    if (block.error() != null) {
      last = block;
      throw block.error();
    }
    if (block.bytes() == null) {
      last = block;
      return -1;
    }
    rest = block.bytes();
    restPos = 0;
    return fromRest(b, off, len);
  }

  private int fromRest(byte[] b, int off, int len) {
    int n = Math.min(len, rest.length - restPos);
    System.arraycopy(rest, restPos, b, off, n);
    restPos += n;
    if (restPos == rest.length) rest = null;
    return n;
  }

  /** Whether a read of the stream returns without waiting (a stream that cannot tell says no). */
  private boolean ready() {
    try {
      return in.available() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** What the thread (started on the first read) reads for at most {@code len} bytes. */
  private Block next(int len) throws IOException {
    if (cancelled.getAsBoolean()) throw new ReadCancelledException();
    if (reader == null) {
      reader = new Thread(this::serve, threadName);
      reader.setDaemon(true);
      reader.start();
    }
    try {
      while (!asked) {
        asked = asks.offer(len, POLL_MILLIS, TimeUnit.MILLISECONDS); // the thread waits for it
        if (!asked && stopAfterWait()) throw new ReadCancelledException();
      }
      while (true) {
        Block b = answers.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (b != null) {
          asked = false;
          return b;
        }
        if (stopAfterWait()) throw new ReadCancelledException();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for input");
    }
  }

  /** On the thread: one read per ask, until the end of the input, an error, or close. */
  private void serve() {
    byte[] buf = new byte[READ_SIZE];
    try {
      while (true) {
        Integer len = asks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (closed) return;
        if (len == null) continue;
        Block answer;
        try {
          int n = in.read(buf, 0, Math.min(len, buf.length));
          answer = n < 0 ? Block.END : new Block(Arrays.copyOf(buf, n), null);
        } catch (IOException e) {
          answer = new Block(null, e);
        }
        while (!closed && !answers.offer(answer, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          // the caller comes back for it, or closes
        }
        if (answer.bytes() == null) return;
      }
    } catch (InterruptedException e) {
      // nobody reads any more
    }
  }

  /** Stops the thread once its read returns; the underlying stream is left open (standard input belongs to the process). */
  @Override
  public void close() {
    closed = true;
  }
}

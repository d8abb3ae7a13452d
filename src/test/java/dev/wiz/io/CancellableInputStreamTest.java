package dev.wiz.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellableInputStreamTest {
  /** Gives its bytes, then waits in read until {@link #end}; counts the bytes it was asked for. */
  private static final class Waits extends InputStream {
    private final ByteArrayInputStream bytes;
    final CountDownLatch waiting = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);

    Waits(byte[] bytes) {
      this.bytes = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = bytes.read(b, off, len);
      if (n > 0) return n;
      waiting.countDown();
      try {
        ended.await();
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      }
      return -1;
    }

    void end() {
      ended.countDown();
    }
  }

  /** A stream that cannot tell whether a read would wait (as a pipe that is empty for now): every read goes through the thread. */
  private static InputStream untold(InputStream s) {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return s.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return s.read(b, off, len);
      }
    };
  }

  @Test
  void everyByteComesThroughInOrderThenTheEndAgainAndAgain() throws IOException {
    byte[] data = new byte[3_000_000];
    new Random(7).nextBytes(data);
    for (boolean ready : new boolean[] {true, false}) {
      InputStream stdin = ready ? new ByteArrayInputStream(data) : untold(new ByteArrayInputStream(data));
      try (InputStream in = new CancellableInputStream(stdin, () -> false, "test")) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[70_001];
        assertEquals(data[0] & 0xff, in.read());
        got.write(data[0]);
        for (int n; (n = in.read(buf, 1, buf.length - 1)) >= 0; ) got.write(buf, 1, n);
        assertArrayEquals(data, got.toByteArray());
        assertEquals(-1, in.read(buf, 0, 10));
        assertEquals(-1, in.read());
        assertEquals(0, in.read(buf, 0, 0));
      }
    }
  }

  @Test
  void readsNoMoreThanItIsAskedFor() throws IOException {
    AtomicInteger asked = new AtomicInteger();
    InputStream counting = new InputStream() {
      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        asked.addAndGet(len);
        return len;
      }
    };
    try (InputStream in = new CancellableInputStream(counting, () -> false, "test")) {
      assertEquals(10, in.read(new byte[100], 0, 10));
      assertEquals(10, asked.get(), "nothing is read ahead: a run that stops loses nothing it did not take");
    }
  }

  @Test
  void anErrorOfTheStreamIsThrownAndThrownAgain() {
    IOException broken = new IOException("Input/output error");
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw broken;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        throw broken;
      }
    };
    InputStream in = new CancellableInputStream(failing, () -> false, "test");
    assertSame(broken, assertThrows(IOException.class, () -> in.read(new byte[5], 0, 5)));
    assertSame(broken, assertThrows(IOException.class, () -> in.read(new byte[5], 0, 5)));
  }

  @Test
  void aReadThatWaitsForInputStopsWhenTheRunIsCancelled() throws Exception {
    Waits stdin = new Waits("abc".getBytes());
    AtomicBoolean cancelled = new AtomicBoolean();
    InputStream in = new CancellableInputStream(stdin, cancelled::get, "test");
    try {
      byte[] buf = new byte[10];
      assertEquals(3, in.read(buf, 0, 10));
      CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return in.read(buf, 0, 10);
        } catch (IOException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      assertTrue(stdin.waiting.await(10, TimeUnit.SECONDS));
      assertFalse(waiting.isDone());
      cancelled.set(true);
      ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof ReadCancelledException, e.getCause().toString());
      assertThrows(ReadCancelledException.class, () -> in.read(buf, 0, 10), "and so does every later read");
    } finally {
      in.close();
      stdin.end();
    }
  }

  @Test
  void onceNoMoreInputIsNeededOnlyAReadThatWaitsStops() throws Exception {
    // Input at hand (a file redirected to standard input; a writer faster than wiz, as yes): every
    // byte comes through, as when no limit filled. A stream that cannot tell it has input is read
    // by the thread, and once no more is needed, a read it has not answered within 50 ms is cut:
    // on a loaded machine that can happen to input at hand too, so that path is checked here with
    // input still needed (its cut is checked below, on a read that waits).
    byte[] data = new byte[3_000_000];
    new Random(11).nextBytes(data);
    for (boolean told : new boolean[] {true, false}) {
      InputStream stdin = told ? new ByteArrayInputStream(data) : untold(new ByteArrayInputStream(data));
      boolean stop = told;
      try (InputStream in = new CancellableInputStream(stdin, () -> false, () -> stop, "test")) {
        assertArrayEquals(data, in.readAllBytes(), told ? "ready" : "through the thread");
      }
    }
    // A read that waits stops.
    Waits stdin = new Waits("abc".getBytes());
    AtomicBoolean stop = new AtomicBoolean();
    InputStream in = new CancellableInputStream(stdin, () -> false, stop::get, "test");
    try {
      byte[] buf = new byte[10];
      assertEquals(3, in.read(buf, 0, 10));
      CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return in.read(buf, 0, 10);
        } catch (IOException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      assertTrue(stdin.waiting.await(10, TimeUnit.SECONDS));
      assertFalse(waiting.isDone());
      stop.set(true);
      ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof ReadCancelledException, e.getCause().toString());
    } finally {
      in.close();
      stdin.end();
    }
  }

  @Test
  void closingLeavesTheStreamOpen() throws IOException {
    AtomicBoolean closed = new AtomicBoolean();
    InputStream stdin = new ByteArrayInputStream(new byte[] {1, 2}) {
      @Override
      public void close() {
        closed.set(true);
      }
    };
    InputStream in = new CancellableInputStream(stdin, () -> false, "test");
    assertEquals(1, in.read());
    in.close();
    assertFalse(closed.get(), "standard input belongs to the process");
    assertThrows(IOException.class, in::read);
  }
}

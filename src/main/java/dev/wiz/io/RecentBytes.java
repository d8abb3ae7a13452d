package dev.wiz.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that keeps the last bytes read from it (at most {@code capacity}), so that an
 * error a parser reports at a byte offset can be shown in the text of its line: the column in
 * characters, the word that is wrong. Keeping them is one copy of each block read.
 */
final class RecentBytes extends FilterInputStream {
  static final int CAPACITY = 1 << 20;

  private final byte[] ring;
  private long total;

  RecentBytes(InputStream in) {
    this(in, CAPACITY);
  }

  RecentBytes(InputStream in, int capacity) {
    super(in);
    this.ring = new byte[capacity];
  }

  /** Whether all that was read is a UTF-8 byte order mark (an empty input that starts with one). */
  boolean onlyByteOrderMark() {
    return total == 3 && ring.length >= 3 && (ring[0] & 0xFF) == 0xEF && (ring[1] & 0xFF) == 0xBB
        && (ring[2] & 0xFF) == 0xBF;
  }

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c >= 0) {
      ring[(int) (total % ring.length)] = (byte) c;
      total++;
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) keep(b, off, n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] b = new byte[(int) Math.min(n, 8192)];
    int r = read(b, 0, b.length);
    return Math.max(r, 0);
  }

  private void keep(byte[] b, int off, int n) {
    int cap = ring.length;
    if (n >= cap) {
      System.arraycopy(b, off + n - cap, ring, 0, cap);
      total += n;
      // The ring's start is now index 0 for offset total - cap: realign so that offset % cap works.
      realign();
      return;
    }
    int pos = (int) (total % cap);
    int first = Math.min(n, cap - pos);
    System.arraycopy(b, off, ring, pos, first);
    if (first < n) System.arraycopy(b, off + first, ring, 0, n - first);
    total += n;
  }

  /** After a whole-ring copy to index 0: rotate so that each offset sits at {@code offset % capacity}. */
  private void realign() {
    int cap = ring.length;
    int shift = (int) ((total - cap) % cap);
    if (shift == 0) return;
    byte[] copy = ring.clone();
    for (int i = 0; i < cap; i++) ring[(shift + i) % cap] = copy[i];
  }

  /**
   * The bytes kept, for a problem at byte {@code offset} of the input, on line {@code line} at byte
   * column {@code byteColumn} (as the parser counts them).
   */
  JsonErrors.Window window(long offset, long line, int byteColumn) {
    int cap = ring.length;
    int len = (int) Math.min(total, cap);
    long first = total - len;
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) b[i] = ring[(int) ((first + i) % cap)];
    int at = offset >= first && offset <= total ? (int) (offset - first) : -1;
    return new JsonErrors.Window(b, 0, len, first == 0, at, line, byteColumn);
  }
}

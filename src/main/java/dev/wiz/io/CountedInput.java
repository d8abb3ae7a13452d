package dev.wiz.io;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The compressed bytes a decompressor reads ({@link XzInput}, {@link CodecInput}), buffered: it
 * counts them, for messages, and knows whether their end was reached.
 */
final class CountedInput extends FilterInputStream {
  long count;
  boolean ended;

  CountedInput(InputStream in) {
    super(new BufferedInputStream(in, 1 << 16));
  }

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c < 0) ended = true; else count++;
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) ended = true; else count += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Through read, so that the count and the end are seen (lz4 skips its skippable frames).
    byte[] b = new byte[(int) Math.max(1, Math.min(n, 8192))];
    int r = read(b, 0, b.length);
    return Math.max(r, 0);
  }

  /**
   * Reads the rest of a file whose data is broken, so that a check made at its end ({@link
   * UnchangedInput}) is made: what that check throws when the file changed while it was read (then
   * it is that, not corrupt), or null. Standard input is not read on: it is not waited for.
   */
  BrokenInputException changedWhileRead(boolean stdin) {
    if (stdin || ended) return null;
    try {
      byte[] skip = new byte[1 << 16];
      while (read(skip, 0, skip.length) >= 0) {
        // to the end
      }
    } catch (BrokenInputException changed) {
      return changed;
    } catch (IOException ignored) {
      // the data is broken all the same
    }
    return null;
  }
}

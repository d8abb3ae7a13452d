package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * The text a compressed input holds ({@link GzipInput}, {@link XzInput}, {@link CodecInput}): a read of one byte is a
 * read of a block of one, repeated while the decompressor makes no text yet.
 */
abstract class DecompressingInput extends InputStream {
  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) {
      // no text yet: go on
    }
    return n < 0 ? -1 : one[0] & 0xff;
  }
}

package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Refuses an input that starts as a compressed file does (gzip, zstd, xz), which no format wiz
 * reads could make sense of: {@code lines} would pass it on as text of U+FFFD, the others would
 * blame a byte of it. Each of these starts with a byte that no UTF-8 text starts with (a lone
 * continuation byte, or {@code 0xFD}), so no input wiz can read is refused.
 */
final class CompressedInput {
  private CompressedInput() {}

  private record Magic(String name, String unpack, String cat, byte[] bytes) {}

  private static final Magic[] MAGICS = {
    new Magic("gzip", "gunzip", "zcat", new byte[] {0x1f, (byte) 0x8b}),
    new Magic("zstd", "unzstd", "zstdcat", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    new Magic("xz", "unxz", "xzcat", new byte[] {(byte) 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00}),
  };
  private static final int LONGEST = 6;

  /**
   * The stream, with the bytes it looked at put back; or, when it starts as a compressed file
   * does, closed and refused. It reads more than the first bytes only while they are the start
   * of such a file, so a slow standard input is not waited for longer than before.
   *
   * @param name the input as messages name it ({@code logs/a.jsonl.gz}, {@code stdin})
   * @param stdin whether it is standard input (the advice differs)
   */
  static InputStream check(InputStream in, String name, boolean stdin) throws IOException {
    PushbackInputStream p = new PushbackInputStream(in, LONGEST);
    byte[] head = new byte[LONGEST];
    int n = 0;
    while (n < LONGEST) {
      int r = p.read(head, n, LONGEST - n);
      if (r < 0) break;
      n += r;
      if (startOfAny(head, n) == null) break;
    }
    Magic m = whole(head, n);
    if (m == null) {
      if (n > 0) p.unread(head, 0, n);
      return p;
    }
    p.close();
    throw new IoConfigException("", name + ": the input is " + m.name() + "-compressed (it starts with the bytes "
        + hex(m.bytes()) + "), and wiz reads only uncompressed text: "
        + (stdin ? "decompress it on the way in (" + m.cat() + " FILE | wiz run PIPELINE)"
            : "decompress it first (" + m.unpack() + "), or pipe it in with source type: stdin ("
                + m.cat() + " FILE | wiz run PIPELINE)"));
  }

  /** A magic whose start the first n bytes are (or which they hold whole), or null. */
  private static Magic startOfAny(byte[] head, int n) {
    for (Magic m : MAGICS) {
      if (matches(m.bytes(), head, Math.min(n, m.bytes().length))) return m;
    }
    return null;
  }

  private static Magic whole(byte[] head, int n) {
    for (Magic m : MAGICS) {
      if (n >= m.bytes().length && matches(m.bytes(), head, m.bytes().length)) return m;
    }
    return null;
  }

  private static boolean matches(byte[] magic, byte[] head, int len) {
    for (int i = 0; i < len; i++) {
      if (magic[i] != head[i]) return false;
    }
    return true;
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      if (s.length() > 0) s.append(' ');
      s.append(String.format(java.util.Locale.ROOT, "%02x", x & 0xff));
    }
    return s.toString();
  }
}

package dev.wiz.io;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One complete gzip member (RFC 1952) of some text: a fixed 10-byte header (no name, no comment,
 * modification time 0, operating system 255 "unknown"), the text deflated by {@link Deflater} at a
 * fixed level, and the CRC-32 and length of the text. The same text and level give the same bytes
 * on every run, thread and machine with this build of Java's zlib; another zlib may deflate the
 * same text to other (equally valid) bytes. Members written one after another are one valid gzip
 * file, which {@code gzip -d} and {@code zcat} read as the text of each in turn.
 */
final class GzipMember {
  /** What gzip uses when no level is given. */
  static final int DEFAULT_LEVEL = 6;

  private GzipMember() {}

  /** The member of {@code text} at {@code level} (1 fastest to 9 smallest). */
  static byte[] of(byte[] text, int level) {
    Deflater deflater = new Deflater(level, true); // raw deflate: the gzip framing is written here
    try {
      deflater.setInput(text);
      deflater.finish();
      byte[] out = new byte[Math.max(64, text.length / 3 + 64)];
      out[0] = (byte) 0x1f;
      out[1] = (byte) 0x8b;
      out[2] = 8; // deflate
      out[3] = 0; // no flags: no name, comment, extra field or header CRC
      // out[4..7]: modification time 0 (none), so the bytes do not depend on when they were written
      out[8] = (byte) (level == 9 ? 2 : level == 1 ? 4 : 0); // XFL, as gzip sets it
      out[9] = (byte) 255; // operating system: unknown (the same on every machine)
      int n = 10;
      while (!deflater.finished()) {
        if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
        n += deflater.deflate(out, n, out.length - n);
      }
      CRC32 crc = new CRC32();
      crc.update(text);
      if (out.length < n + 8) out = Arrays.copyOf(out, n + 8);
      n = littleEndian(out, n, crc.getValue());
      n = littleEndian(out, n, text.length & 0xffffffffL); // ISIZE: the length modulo 2^32
      return n == out.length ? out : Arrays.copyOf(out, n);
    } finally {
      deflater.end();
    }
  }

  private static int littleEndian(byte[] b, int at, long value) {
    for (int i = 0; i < 4; i++) b[at + i] = (byte) (value >>> (8 * i));
    return at + 4;
  }
}

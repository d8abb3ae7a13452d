package dev.wiz.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.apache.commons.codec.digest.XXHash32;

/**
 * The text of lz4 frames (the format of the {@code lz4} command), frame after frame, its blocks
 * decompressed with aircompressor's lz4 block decoder: about 15 times faster than Commons Compress's
 * frame reader, which is kept for frames whose blocks depend on the ones before them (as the lz4
 * library's own default and Python's {@code lz4.frame} write; the {@code lz4} command writes
 * independent blocks), and is handed the rest of the data from such a frame on. Every checksum the
 * frame holds is verified: its header's, each block's and its content's, and its content size.
 * Problems are IOExceptions in the words {@link CodecInput} sorts: "premature end" when the data
 * ends inside a frame.
 */
final class Lz4FrameInput extends DecompressingInput {
  private static final int MAGIC = 0x184D2204;
  private static final int SKIPPABLE = 0x184D2A50;
  /** The magic of the legacy format (lz4 -l), refused: {@link ForeignInput} refuses data that starts with it. */
  private static final int LEGACY = 0x184C2102;

  private final InputStream in;
  private final io.airlift.compress.lz4.Lz4Decompressor lz4 = new io.airlift.compress.lz4.Lz4Decompressor();
  private final byte[] four = new byte[4];
  private byte[] block = new byte[0];
  private byte[] out = new byte[0];
  private int pos;
  private int limit;
  private boolean inFrame;
  private boolean blockChecksum;
  private int maxBlock;
  private XXHash32 content;
  private long contentSize;
  private long produced;
  private boolean end;
  /** Commons Compress's reader, once a frame with dependent blocks is met. */
  private InputStream slow;

  /** @param in the compressed bytes, at the start of a frame (its magic checked by the caller) */
  Lz4FrameInput(InputStream in) throws IOException {
    this.in = in;
    if (!nextFrame(true)) throw new IOException("Premature end of data: no lz4 frame");
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) return 0;
    while (true) {
      if (slow != null) return slow.read(b, off, len);
      if (pos < limit) {
        int n = Math.min(len, limit - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
      }
      if (end) return -1;
      if (inFrame) {
        nextBlock();
      } else if (!nextFrame(false)) {
        end = true;
      }
    }
  }

  /** Reads a frame's header, skipping skippable frames; false at the end of the data (between frames). */
  private boolean nextFrame(boolean first) throws IOException {
    while (true) {
      int got = in.readNBytes(four, 0, 4);
      if (got == 0 && !first) return false;
      if (got < 4) throw new IOException("Premature end of data inside the magic of a frame");
      int magic = le32(four, 0);
      if ((magic & 0xFFFFFFF0) == SKIPPABLE) {
        long size = le32(need(4), 0) & 0xFFFFFFFFL;
        if (!skipped(size)) throw new IOException("Premature end of data inside a skippable frame");
        continue;
      }
      if (magic == LEGACY) {
        throw new IOException("a frame in the legacy format (lz4 -l) after the ones before it, which wiz does not read");
      }
      if (magic != MAGIC) throw new IOException("bytes that are not lz4 after its last frame (garbage)");
      byte[] d = need(2);
      int flg = d[0] & 0xff;
      int bd = d[1] & 0xff;
      if ((flg >> 6) != 1) throw new IOException("a frame header of version " + (flg >> 6) + ", which lz4 does not write (damaged)");
      if ((flg & 2) != 0 || (bd & 0x8f) != 0) throw new IOException("reserved bits set in a frame header (damaged)");
      boolean independent = (flg & 0x20) != 0;
      blockChecksum = (flg & 0x10) != 0;
      boolean hasSize = (flg & 8) != 0;
      boolean hasChecksum = (flg & 4) != 0;
      boolean hasDict = (flg & 1) != 0;
      int sizeId = (bd >> 4) & 7;
      if (sizeId < 4) throw new IOException("a frame header with a block size lz4 does not have (damaged)");
      maxBlock = 1 << (8 + 2 * sizeId);
      byte[] size = hasSize ? need(8) : new byte[0];
      byte[] dict = hasDict ? need(4) : new byte[0];
      int hc = need(1)[0] & 0xff;
      XXHash32 h = new XXHash32();
      h.update(d, 0, 2);
      h.update(size, 0, size.length);
      h.update(dict, 0, dict.length);
      if (hc != (int) ((h.getValue() >> 8) & 0xff)) throw new IOException("frame header checksum mismatch");
      if (!independent || hasDict) {
        // Blocks that refer to the ones before (or to a dictionary): Commons Compress reads this frame and the rest.
        byte[] header = new byte[7 + size.length + dict.length];
        le32put(header, 0, MAGIC);
        header[4] = d[0];
        header[5] = d[1];
        System.arraycopy(size, 0, header, 6, size.length);
        System.arraycopy(dict, 0, header, 6 + size.length, dict.length);
        header[header.length - 1] = (byte) hc;
        slow = new org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream(
            new SequenceInputStream(new ByteArrayInputStream(header), in), true);
        return true;
      }
      contentSize = hasSize ? le64(size) : -1;
      content = hasChecksum ? new XXHash32() : null;
      produced = 0;
      if (block.length < maxBlock) {
        block = new byte[maxBlock];
        out = new byte[maxBlock];
      }
      inFrame = true;
      return true;
    }
  }

  /** Reads and decompresses the next block of the frame, or its end mark and content checksum. */
  private void nextBlock() throws IOException {
    int header = le32(need(4), 0);
    int size = header & 0x7FFFFFFF;
    pos = 0;
    limit = 0;
    if (header == 0) {
      inFrame = false;
      if (content != null && le32(need(4), 0) != (int) content.getValue()) throw new IOException("content checksum mismatch");
      if (contentSize >= 0 && contentSize != produced) {
        throw new IOException("the frame holds " + produced + " bytes of text, and its header says " + contentSize + " (damaged)");
      }
      return;
    }
    if (size > maxBlock) throw new IOException("a block of " + size + " bytes, more than the frame's " + maxBlock + " (damaged)");
    if (in.readNBytes(block, 0, size) < size) throw new IOException("Premature end of data inside a block");
    if (blockChecksum) {
      XXHash32 h = new XXHash32();
      h.update(block, 0, size);
      if (le32(need(4), 0) != (int) h.getValue()) throw new IOException("block checksum mismatch");
    }
    if (header < 0) { // the high bit: stored uncompressed
      System.arraycopy(block, 0, out, 0, size);
      limit = size;
    } else {
      try {
        limit = lz4.decompress(block, 0, size, out, 0, maxBlock);
      } catch (RuntimeException e) {
        throw new IOException("a damaged block (" + e.getMessage() + ")");
      }
    }
    if (content != null) content.update(out, 0, limit);
    produced += limit;
  }

  /** Skips n bytes by reading them: whether there were as many. */
  private boolean skipped(long n) throws IOException {
    byte[] b = new byte[8192];
    for (long left = n; left > 0; ) {
      int r = in.read(b, 0, (int) Math.min(b.length, left));
      if (r < 0) return false;
      left -= r;
    }
    return true;
  }

  private byte[] need(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) throw new IOException("Premature end of data inside a frame");
    return b;
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  private static void le32put(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >> (8 * i));
  }

  private static long le64(byte[] b) {
    return (le32(b, 0) & 0xFFFFFFFFL) | (long) le32(b, 4) << 32;
  }

  @Override
  public void close() throws IOException {
    if (slow != null) slow.close(); else in.close();
  }
}

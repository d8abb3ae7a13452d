package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The text of gzip data (RFC 1952) as {@code gzip -d} gives it: every member in turn, so that
 * files joined with {@code cat a.gz b.gz} (and what {@code pigz}, {@code bgzip} and log rotators
 * write) are read whole. Unlike {@link java.util.zip.GZIPInputStream}, it never takes the end of
 * the bytes at hand for the end of the data (on a pipe that would stop at a member boundary), and
 * it reads nothing as a shorter input: data cut short, corrupt deflate data, a member whose text
 * does not match its CRC-32 or size, and bytes after the last member that are not gzip (gzip -d
 * ignores those with a warning; they may be a member whose header is damaged) all throw a {@link
 * BrokenInputException} that names the input and the byte of the compressed file. Zero bytes after
 * the last member (padding, as gzip -d also accepts) end the data.
 *
 * <p>The compressed bytes are read in blocks of {@value #BLOCK} bytes and inflated straight into
 * the caller's buffer; the stream below is read to its very end, so that a check made there
 * ({@link UnchangedInput}) is made.
 */
final class GzipInput extends DecompressingInput {
  static final int BLOCK = 1 << 17;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xe0;

  private final InputStream in;
  private final String name;
  private final boolean stdin;
  private final byte[] buf = new byte[BLOCK];
  /** The compressed bytes not consumed yet are {@code buf[pos, limit)}; {@code buf[0]} is byte {@code base} of the input. */
  private int pos;
  private int limit;
  private long base;
  private boolean rawEnd;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  /** 1-based number of the member being read, 0 before the first. */
  private int member;
  private boolean inMember;
  /** Bytes of text the current member gave so far. */
  private long memberText;
  private boolean end;
  private boolean closed;

  /**
   * @param in the input, at the start of its gzip data
   * @param name the input as messages name it
   * @param stdin whether it is standard input (the advice differs)
   */
  GzipInput(InputStream in, String name, boolean stdin) {
    this.in = in;
    this.name = name;
    this.stdin = stdin;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (closed) throw new IOException("stream closed");
    if (len == 0) return 0;
    while (!end) {
      if (!inMember) {
        if (!startMember()) {
          end = true;
          break;
        }
        continue;
      }
      int before = pos;
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        pos = limit - inflater.getRemaining();
        throw broken("the gzip data is corrupt (found at byte " + offset() + " of " + (stdin ? "it" : "the file") + ": "
            + (e.getMessage() == null ? "invalid deflate data" : e.getMessage()) + "), so the records from there on"
            + " cannot be read", true);
      }
      pos = limit - inflater.getRemaining();
      if (n > 0) {
        crc.update(b, off, n);
        memberText += n;
        return n;
      }
      if (inflater.finished()) {
        endMember();
      } else if (inflater.needsDictionary()) {
        throw broken("the gzip data is corrupt (found at byte " + offset() + " of " + (stdin ? "it" : "the file")
            + ": deflate data that asks for a preset dictionary, which gzip never uses)", true);
      } else if (inflater.needsInput()) {
        if (!fill()) throw cutShort("inside its compressed data");
        inflater.setInput(buf, pos, limit - pos);
      } else if (pos == before) {
        throw broken("the gzip data is corrupt (found at byte " + offset() + " of " + (stdin ? "it" : "the file")
            + ": the deflate data makes no progress)", true);
      }
    }
    return -1;
  }

  /** Where the next compressed byte is, from the start of the input. */
  private long offset() {
    return base + pos;
  }

  /** Reads more compressed bytes into an empty buffer; false at the end of the input. */
  private boolean fill() throws IOException {
    if (rawEnd) return false;
    base += limit;
    pos = 0;
    limit = 0;
    while (limit == 0) {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        rawEnd = true;
        return false;
      }
      limit = n;
    }
    return true;
  }

  /** The next compressed byte, or -1 at the end of the input. */
  private int next() throws IOException {
    if (pos == limit && !fill()) return -1;
    return buf[pos++] & 0xff;
  }

  /** The next compressed byte of a header or trailer, which must be there. */
  private int need(String where) throws IOException {
    int c = next();
    if (c < 0) throw cutShort(where);
    return c;
  }

  /**
   * Reads a member's header, or finds that the data ended: false at the end of the input after a
   * member, and after zero bytes there.
   */
  private boolean startMember() throws IOException {
    int first = next();
    if (first < 0) {
      if (member == 0) throw cutShort("before its first byte"); // not made for an empty input
      return false;
    }
    long at = offset() - 1;
    if (member > 0 && first == 0) {
      // Zero bytes to the end: padding (gzip -d accepts it). Anything else after them is not.
      for (int c; (c = next()) >= 0; ) {
        if (c != 0) throw trailing(at, c);
      }
      return false;
    }
    int second = next();
    if (first != 0x1f || second != 0x8b) {
      if (member == 0) throw new IllegalStateException("not gzip data: " + first + " " + second);
      if (second < 0 && first == 0x1f) throw cutShort("inside the header of its member " + (member + 1));
      throw trailing(at, first);
    }
    member++;
    CRC32 header = new CRC32();
    header.update(0x1f);
    header.update(0x8b);
    String where = "inside the header of its member " + member;
    int method = need(where);
    int flags = need(where);
    header.update(method);
    header.update(flags);
    if (method != 8) {
      throw broken("gzip member " + member + " (at byte " + at + ") says compression method " + method
          + ", and gzip has only deflate (8): the file is corrupt, or not made by gzip", true);
    }
    if ((flags & RESERVED) != 0) {
      throw broken("the header of gzip member " + member + " (at byte " + at + ") has reserved flags set (0x"
          + String.format(Locale.ROOT, "%02x", flags & RESERVED) + "): the file is corrupt, or made by a newer gzip"
          + " format than wiz reads", true);
    }
    for (int i = 0; i < 6; i++) header.update(need(where)); // time, extra flags, operating system
    if ((flags & FEXTRA) != 0) {
      int lo = need(where);
      int hi = need(where);
      header.update(lo);
      header.update(hi);
      for (int i = 0, n = lo | hi << 8; i < n; i++) header.update(need(where));
    }
    if ((flags & FNAME) != 0) {
      for (int c; (c = need(where)) != 0; ) header.update(c);
      header.update(0);
    }
    if ((flags & FCOMMENT) != 0) {
      for (int c; (c = need(where)) != 0; ) header.update(c);
      header.update(0);
    }
    if ((flags & FHCRC) != 0) {
      int stored = need(where) | need(where) << 8;
      if (stored != ((int) header.getValue() & 0xffff)) {
        throw broken("the header of gzip member " + member + " (at byte " + at + ") does not match its header"
            + " checksum: the file is corrupt", true);
      }
    }
    inflater.reset();
    crc.reset();
    memberText = 0;
    inflater.setInput(buf, pos, limit - pos);
    inMember = true;
    return true;
  }

  /** Checks the member's trailer: the CRC-32 and the size (modulo 2^32) of its text. */
  private void endMember() throws IOException {
    inMember = false;
    String where = "inside the trailer of its member " + member;
    long storedCrc = 0;
    for (int i = 0; i < 4; i++) storedCrc |= (long) need(where) << (8 * i);
    long storedSize = 0;
    for (int i = 0; i < 4; i++) storedSize |= (long) need(where) << (8 * i);
    if (storedCrc != crc.getValue()) {
      throw broken("the gzip data is corrupt: the text of its member " + member + " does not match the CRC-32 stored"
          + " with it (" + hex(storedCrc) + ", the text gives " + hex(crc.getValue()) + "), so records read from it"
          + " may be wrong", true);
    }
    if (storedSize != (memberText & 0xffffffffL)) {
      throw broken("the gzip data is corrupt: its member " + member + " gave " + memberText + " bytes of text, and"
          + " the size stored with it is " + storedSize + " (modulo 2^32)", true);
    }
  }

  private static String hex(long v) {
    return String.format(Locale.ROOT, "%08x", v);
  }

  /** Bytes after the last member, at {@code at}, that are not gzip: {@code first} is the first that is not zero. */
  private BrokenInputException trailing(long at, int first) {
    return broken("after the end of its gzip data (byte " + at + ") " + (stdin ? "the input" : "the file")
        + " goes on with bytes that are not gzip (the first that is not zero is 0x"
        + String.format(Locale.ROOT, "%02x", first) + "): something was added after the compressed data, or the"
        + " header of a member is damaged; gzip -d ignores such bytes with a warning, which may leave records"
        + " unread, and wiz does not: " + (stdin ? "send only the gzip data" : "cut them off, or get the file again"),
        false);
  }

  private BrokenInputException cutShort(String where) {
    long size = base + limit;
    return broken("the gzip data is cut short: " + (stdin ? "the input" : "the file") + " ends " + where + " (after "
        + size + (size == 1 ? " byte" : " bytes") + "), so its records from there on are missing (" + (stdin ? "did the command that wrote it stop early?" : "a copy or download that did not finish?")
        + ")", true);
  }

  /**
   * A message naming the input; {@code corrupt}: ends with how to check the file or its source. A
   * file is first read to its end, so that a file changed while it was read is said to be that
   * ({@link UnchangedInput}), not to be corrupt; standard input is not waited for.
   */
  private BrokenInputException broken(String what, boolean corrupt) {
    if (!stdin) {
      try {
        while (fill()) {
          // to the end
        }
      } catch (BrokenInputException changed) {
        return changed;
      } catch (IOException e) {
        // what it says stays unsaid: the data is corrupt all the same
      }
    }
    String todo = !corrupt ? "" : stdin ? ": check what writes it (gzip -t checks a file)"
        : ": get the whole file again (gzip -t checks one)";
    return new BrokenInputException(name + ": " + what + todo);
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    inflater.end();
    in.close();
  }
}

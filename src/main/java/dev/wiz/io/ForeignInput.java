package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Looks at how an input starts. gzip data ({@code 1f 8b}) and xz data ({@code fd 37 7a 58 5a 00})
 * are read as the text they hold ({@link GzipInput}, {@link XzInput}), whatever the input's name;
 * that text is looked at in turn. An input that starts as no UTF-8 text does is refused: zstd
 * data, or text in UTF-16 or UTF-32 with a byte order mark (as Windows PowerShell and Excel's
 * "Unicode text" write); so is a tar archive inside gzip or xz. No format wiz reads could make
 * sense of it: {@code lines} would pass it on as text of U+FFFD and NUL characters, the others
 * would blame one byte of it. Each of these starts with a byte that no UTF-8 text starts with (a lone
 * continuation byte, {@code 0xFD}, {@code 0xFE} or {@code 0xFF}), so no input wiz can read is
 * refused.
 */
final class ForeignInput {
  private ForeignInput() {}

  /**
   * How an input starts, and what to say of it.
   *
   * @param what what the input is ("gzip-compressed")
   * @param mark what its first bytes are called ("the bytes", "the byte order mark")
   * @param readable what wiz reads instead ("uncompressed, gzip or xz text")
   * @param first what to do to a file first ("decompress it first (gunzip)")
   * @param onTheWay the verb for doing it on the way in ("decompress")
   * @param pipe the command that does it to a stream ("zcat")
   */
  private record Kind(String what, String mark, String readable, String first, String onTheWay, String pipe,
      byte[] bytes) {}

  private static final String ICONV16 = "iconv -f UTF-16 -t UTF-8";
  private static final String ICONV32 = "iconv -f UTF-32 -t UTF-8";
  /**
   * Longer marks first: UTF-32LE's starts with UTF-16LE's. gzip's (the first) and xz's (the third)
   * are read, the others refused.
   */
  private static final Kind[] KINDS = {
    new Kind("gzip-compressed", "the bytes", "uncompressed text", "decompress it first (gunzip)", "decompress", "zcat",
        new byte[] {0x1f, (byte) 0x8b}),
    new Kind("zstd-compressed", "the bytes", "uncompressed, gzip or xz text", "decompress it first (unzstd)", "decompress", "zstdcat",
        new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    new Kind("xz-compressed", "the bytes", "uncompressed text", "decompress it first (unxz)", "decompress", "xzcat",
        new byte[] {(byte) 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00}),
    new Kind("UTF-32 text", "the byte order mark", "UTF-8", "convert it first (" + ICONV32 + ")", "convert", ICONV32,
        new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x00}),
    new Kind("UTF-16 text", "the byte order mark", "UTF-8", "convert it first (" + ICONV16 + ")", "convert", ICONV16,
        new byte[] {(byte) 0xff, (byte) 0xfe}),
    new Kind("UTF-16 text", "the byte order mark", "UTF-8", "convert it first (" + ICONV16 + ")", "convert", ICONV16,
        new byte[] {(byte) 0xfe, (byte) 0xff}),
    new Kind("lz4-compressed", "the bytes", "uncompressed, gzip or xz text", "decompress it first (unlz4)", "decompress",
        "lz4 -dc", new byte[] {0x04, 0x22, 0x4d, 0x18}),
    bzip2(1), bzip2(2), bzip2(3), bzip2(4), bzip2(5), bzip2(6), bzip2(7), bzip2(8), bzip2(9),
  };

  /**
   * bzip2 data: BZh, the block size digit, then the magic of its first block (the digits of pi),
   * which is text, but none that is not bzip2 data starts so: read as text, it made records of
   * its compressed bytes.
   */
  private static Kind bzip2(int level) {
    return new Kind("bzip2-compressed", "the bytes", "uncompressed, gzip or xz text", "decompress it first (bunzip2)",
        "decompress", "bzcat", new byte[] {'B', 'Z', 'h', (byte) ('0' + level), 0x31, 0x41, 0x59, 0x26, 0x53, 0x59});
  }

  private static final int LONGEST = 10;
  /** The bytes of a tar header. */
  private static final int TAR_HEAD = 512;

  /**
   * The stream to read: gzip and xz data decompressed, other text as it is, with the bytes looked
   * at put back; or, when it starts as another compressed file or as UTF-16 or UTF-32 text does
   * (also inside gzip or xz data), closed and refused. It reads more than the first bytes only
   * while they are the start of such a file, so a slow standard input is not waited for longer
   * than before (inside gzip or xz, it reads the first 512 bytes of the text, to find a tar header).
   *
   * @param name the input as messages name it ({@code logs/a.jsonl.gz}, {@code stdin})
   * @param stdin whether it is standard input (the advice differs)
   * @param named what compression its name says ({@code .gz}: gzip, {@code .xz}: xz), or null: then
   *     an empty input, or one that ends inside that compression's first bytes, is its data cut
   *     short rather than text
   */
  static InputStream check(InputStream in, String name, boolean stdin, String named) throws IOException {
    PushbackInputStream p = new PushbackInputStream(in, LONGEST);
    byte[] head = new byte[LONGEST];
    int n = peek(p, head);
    Kind k = whole(head, n);
    if (k == KINDS[0] || k == KINDS[2]) {
      p.unread(head, 0, n);
      try {
        return k == KINDS[0] ? inside(new GzipInput(p, name, stdin), name, stdin, "gzip", "zcat")
            : inside(new XzInput(p, name, stdin), name, stdin, "xz", "xzcat");
      } catch (IOException | RuntimeException e) {
        p.close(); // data that fails at its start leaves no file open
        throw e;
      }
    }
    if (k == null) {
      byte[] magic = "gzip".equals(named) ? KINDS[0].bytes() : "xz".equals(named) ? KINDS[2].bytes() : null;
      if (magic != null && n < magic.length && matches(magic, head, n)) {
        // The peek read on while the bytes could start the mark: fewer than the mark is the whole input.
        p.close();
        throw new BrokenInputException(name + ": the file is " + (n == 0 ? "empty" : n + (n == 1 ? " byte" : " bytes")
            + " long") + ", and its name says " + named + ", whose data is " + ("gzip".equals(named) ? 20 : 32)
            + " bytes or more (even of no text): a copy or download that did not finish? Get the whole file again, or"
            + " rename it without ." + ("gzip".equals(named) ? "gz" : "xz") + " if it is meant to be "
            + (n == 0 ? "empty" : "text"));
      }
      if (n > 0) p.unread(head, 0, n);
      return p;
    }
    p.close();
    throw new IoConfigException("", name + ": the input is " + k.what() + " (it starts with " + k.mark() + " "
        + hex(k.bytes()) + "), and wiz reads only " + k.readable() + ": "
        + (stdin ? k.onTheWay() + " it on the way in (" + k.pipe() + " FILE | wiz run PIPELINE)"
            : k.first() + ", or pipe it in with source type: stdin (" + k.pipe() + " FILE | wiz run PIPELINE)"));
  }

  /**
   * The text of compressed data, looked at as {@link #check} looks at an input: anything but UTF-8
   * text is refused. {@code codec} names the compression, {@code cat} the command that undoes it.
   */
  private static InputStream inside(InputStream text, String name, boolean stdin, String codec, String cat)
      throws IOException {
    PushbackInputStream p = new PushbackInputStream(text, TAR_HEAD);
    byte[] head = new byte[TAR_HEAD];
    int n = peek(p, head);
    Kind k = whole(head, n);
    if (k == null) {
      // A tar archive (logs.tar.gz) starts with a file name, which is text: its header says ustar at
      // byte 257 and holds its own checksum, which no text matches by chance.
      while (n < TAR_HEAD) {
        int r = p.read(head, n, TAR_HEAD - n);
        if (r < 0) break;
        n += r;
      }
      if (n == TAR_HEAD && isTarHeader(head)) {
        String member = firstFile(head, p);
        p.close();
        String opt = "gzip".equals(codec) ? "z" : "J";
        throw new IoConfigException("", name + ": the text inside its " + codec + " compression is a tar archive (its"
            + " first file is " + dev.wiz.Shell.quote(member) + "), whose files wiz does not read as text: "
            + (stdin ? "extract the one to read on the way in (... | tar -x" + opt + "O " + dev.wiz.Shell.quote(member)
                + " | wiz run PIPELINE)"
                : "extract the one to read (tar -x" + opt + "f FILE " + dev.wiz.Shell.quote(member) + "), or pipe it in with"
                + " source type: stdin (tar -x" + opt + "Of FILE " + dev.wiz.Shell.quote(member) + " | wiz run PIPELINE)"));
      }
      if (n > 0) p.unread(head, 0, n);
      return p;
    }
    p.close();
    String pipe = cat + (stdin ? "" : " FILE") + " | " + k.pipe() + " | wiz run PIPELINE";
    throw new IoConfigException("", name + ": the text inside its " + codec + " compression is " + k.what() + " (it starts with "
        + k.mark() + " " + hex(k.bytes()) + "), and wiz reads only " + k.readable() + ": "
        + (stdin ? k.onTheWay() + " it on the way in (... | " + pipe + ")"
            : "pipe it in with source type: stdin (" + pipe + ")"));
  }

  /**
   * The name of the first file of a tar archive that starts with {@code header}, the rest read from
   * {@code rest}: a long name is not in the header's name field but in a pax extended header
   * ({@code path=}, tar --format=posix), a GNU long-name entry ({@code ././@LongLink}) before it, or
   * split between the ustar prefix and name fields; those entries are not the file to extract.
   * When the archive cannot be followed, the first header's name field, as it is.
   */
  static String firstFile(byte[] header, InputStream rest) {
    byte[] h = header;
    try {
      for (int entries = 0; entries < 8; entries++) {
        byte type = h[156];
        if (type != 'x' && type != 'g' && type != 'L' && type != 'K') {
          String name = field(h, 0, 100);
          // POSIX ustar (magic "ustar" then NUL) splits a long name: prefix, then a slash, then name.
          String prefix = h[262] == 0 ? field(h, 345, 155) : "";
          return prefix.isEmpty() ? name : prefix + "/" + name;
        }
        long size = 0;
        for (int i = 124; i < 136 && h[i] != 0 && h[i] != ' '; i++) {
          if (h[i] < '0' || h[i] > '7') return field(header, 0, 100);
          size = size * 8 + (h[i] - '0');
        }
        if (size > 1 << 16) return field(header, 0, 100);
        byte[] data = rest.readNBytes((int) ((size + 511) / 512 * 512));
        if (data.length < size) return field(header, 0, 100);
        if (type == 'L') return field(data, 0, (int) size);
        if (type == 'x') {
          // Records "LENGTH key=value\n", LENGTH counting the whole record.
          String text = new String(data, 0, (int) size, java.nio.charset.StandardCharsets.UTF_8);
          for (String record : text.split("\n")) {
            int eq = record.indexOf('=');
            int sp = record.indexOf(' ');
            if (sp >= 0 && eq > sp && record.substring(sp + 1, eq).equals("path")) return record.substring(eq + 1);
          }
        }
        h = rest.readNBytes(TAR_HEAD);
        if (h.length < TAR_HEAD || !isTarHeader(h)) return field(header, 0, 100);
      }
    } catch (IOException e) {
      // The archive is refused either way: name what the first header says.
    }
    return field(header, 0, 100);
  }

  /** A NUL-ended text field of a tar header. */
  private static String field(byte[] b, int from, int length) {
    int end = from;
    while (end < from + length && end < b.length && b[end] != 0) end++;
    return new String(b, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Whether 512 bytes are a POSIX tar header: {@code ustar} at byte 257, and the checksum at byte
   * 148 (octal) is the sum of its bytes, the checksum's own taken as spaces.
   */
  static boolean isTarHeader(byte[] h) {
    if (h[257] != 'u' || h[258] != 's' || h[259] != 't' || h[260] != 'a' || h[261] != 'r') return false;
    long stored = 0;
    int i = 148;
    while (i < 156 && h[i] == ' ') i++;
    int digits = 0;
    for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++, digits++) stored = stored * 8 + (h[i] - '0');
    if (digits == 0 || i < 156 && h[i] != 0 && h[i] != ' ') return false;
    long sum = 0;
    for (int j = 0; j < 512; j++) sum += j >= 148 && j < 156 ? ' ' : h[j] & 0xff;
    return sum == stored;
  }

  /** Reads the first bytes into head while they may start a kind's mark; how many were read. */
  private static int peek(PushbackInputStream p, byte[] head) throws IOException {
    int n = 0;
    while (n < LONGEST && startsAny(head, n)) {
      int r = p.read(head, n, LONGEST - n);
      if (r < 0) break;
      n += r;
    }
    return n;
  }

  /** Whether the first n bytes are the start of a kind's mark, or hold one whole (none read yet: true). */
  private static boolean startsAny(byte[] head, int n) {
    for (Kind k : KINDS) {
      if (matches(k.bytes(), head, Math.min(n, k.bytes().length))) return true;
    }
    return false;
  }

  private static Kind whole(byte[] head, int n) {
    for (Kind k : KINDS) {
      if (n >= k.bytes().length && matches(k.bytes(), head, k.bytes().length)) return k;
    }
    return null;
  }

  private static boolean matches(byte[] mark, byte[] head, int len) {
    for (int i = 0; i < len; i++) {
      if (mark[i] != head[i]) return false;
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

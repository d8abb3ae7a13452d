package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Looks at how an input starts. gzip ({@code 1f 8b}), xz ({@code fd 37 7a 58 5a 00}), zstd
 * ({@code 28 b5 2f fd}), bzip2 ({@code BZh} and the digit of its block size, then the magic of its
 * first block or of its end) and lz4 frame data ({@code 04 22 4d 18}) are read as the text they hold
 * ({@link GzipInput}, {@link XzInput}, {@link CodecInput}), whatever the input's name; that text is
 * looked at in turn. An input that starts as no UTF-8 text does is refused: text in UTF-16 or UTF-32
 * with a byte order mark (as Windows PowerShell and Excel's "Unicode text" write); so is a tar or
 * zip archive, also inside compressed data. No format wiz reads could make sense of it: {@code
 * lines} would pass it on as text of U+FFFD and NUL characters, the others would blame one byte of
 * it. The byte order marks start with a byte that no UTF-8 text starts with ({@code 0xFE} or {@code
 * 0xFF}); a zip archive starts with {@code PK} and two control characters, and a tar archive with a
 * header that holds its own checksum, which no text matches by chance.
 */
final class ForeignInput {
  private ForeignInput() {}

  /**
   * How an input starts, and what to say of it.
   *
   * @param what what the input is ("gzip-compressed")
   * @param mark what its first bytes are called ("the bytes", "the byte order mark")
   * @param readable what wiz reads instead ("uncompressed text")
   * @param first what to do to a file first ("decompress it first (gunzip)")
   * @param onTheWay the verb for doing it on the way in ("decompress")
   * @param pipe the command that does it to a stream ("zcat")
   * @param codec the compression wiz reads it as ("gzip"), or null when it is refused
   */
  private record Kind(String what, String mark, String readable, String first, String onTheWay, String pipe,
      String codec, byte[] bytes) {}

  private static final String ICONV16 = "iconv -f UTF-16 -t UTF-8";
  private static final String ICONV32 = "iconv -f UTF-32 -t UTF-8";
  /** Where a zip archive starts with a file; where an empty one starts. */
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] ZIP_EMPTY = {'P', 'K', 5, 6};
  /**
   * Longer marks first: UTF-32LE's starts with UTF-16LE's. The compressed kinds are read (inside
   * compressed data, they are refused: wiz decompresses once), the others refused.
   */
  private static final Kind[] KINDS = {
    compressed("gzip", "gunzip", "zcat", new byte[] {0x1f, (byte) 0x8b}),
    compressed("zstd", "unzstd", "zstdcat", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    compressed("xz", "unxz", "xzcat", new byte[] {(byte) 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00}),
    new Kind("UTF-32 text", "the byte order mark", "UTF-8", "convert it first (" + ICONV32 + ")", "convert", ICONV32,
        null, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x00}),
    new Kind("UTF-16 text", "the byte order mark", "UTF-8", "convert it first (" + ICONV16 + ")", "convert", ICONV16,
        null, new byte[] {(byte) 0xff, (byte) 0xfe}),
    new Kind("UTF-16 text", "the byte order mark", "UTF-8", "convert it first (" + ICONV16 + ")", "convert", ICONV16,
        null, new byte[] {(byte) 0xfe, (byte) 0xff}),
    compressed("lz4", "unlz4", "lz4 -dc", new byte[] {0x04, 0x22, 0x4d, 0x18}),
    // The legacy format (lz4 -l, the Linux kernel's): read as text, it made records of compressed bytes.
    new Kind("lz4 data in the legacy format, as lz4 -l writes", "the bytes", "lz4 data in its frame format",
        "decompress it first (unlz4)", "decompress", "lz4 -dc", null, new byte[] {0x02, 0x21, 0x4c, 0x18}),
    bzip2(1, false), bzip2(2, false), bzip2(3, false), bzip2(4, false), bzip2(5, false), bzip2(6, false),
    bzip2(7, false), bzip2(8, false), bzip2(9, false),
    bzip2(1, true), bzip2(2, true), bzip2(3, true), bzip2(4, true), bzip2(5, true), bzip2(6, true),
    bzip2(7, true), bzip2(8, true), bzip2(9, true),
    skippable(0), skippable(1), skippable(2), skippable(3), skippable(4), skippable(5), skippable(6), skippable(7),
    skippable(8), skippable(9), skippable(10), skippable(11), skippable(12), skippable(13), skippable(14), skippable(15),
    new Kind("a zip archive", "the bytes", null, null, null, null, null, ZIP),
    new Kind("an empty zip archive", "the bytes", null, null, null, null, null, ZIP_EMPTY),
  };

  private static Kind compressed(String codec, String un, String cat, byte[] bytes) {
    return new Kind(codec + "-compressed", "the bytes", "uncompressed text", "decompress it first (" + un + ")",
        "decompress", cat, codec, bytes);
  }

  /**
   * A skippable frame (magic 0x184D2A50 to 0x184D2A5F, little-endian), which pzstd writes before each
   * of its frames and wiz's zstd reader does not read: as text, it made records of compressed bytes.
   */
  private static Kind skippable(int n) {
    return new Kind("zstd data that starts with a skippable frame, as pzstd writes", "the bytes",
        "zstd data without skippable frames", "decompress it first (unzstd)", "decompress", "zstdcat", null,
        new byte[] {(byte) (0x50 + n), 0x2a, 0x4d, 0x18});
  }

  /**
   * bzip2 data: BZh, the block size digit, then the magic of its first block (the digits of pi) or,
   * for no text, of its end (the square root of pi), which is text, but none that is not bzip2 data
   * starts so: read as text, it made records of its compressed bytes.
   */
  private static Kind bzip2(int level, boolean empty) {
    byte[] magic = empty ? new byte[] {0x17, 0x72, 0x45, 0x38, 0x50, (byte) 0x90} : new byte[] {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
    byte[] b = new byte[10];
    b[0] = 'B';
    b[1] = 'Z';
    b[2] = 'h';
    b[3] = (byte) ('0' + level);
    System.arraycopy(magic, 0, b, 4, 6);
    return compressed("bzip2", "bunzip2", "bzcat", b);
  }

  /**
   * What a file's name says it is compressed with, and the shortest such data (of no text): a file
   * of that name that ends inside the first bytes of the kind is that data cut short. {@code
   * starts} says how the data starts, for messages.
   */
  private record Named(String codec, String ext, byte[] start, int shortest, String starts) {
    Named(String codec, String ext, byte[] start, int shortest) {
      this(codec, ext, start, shortest, hex(start));
    }
  }

  private static final Named[] NAMED = {
    new Named("gzip", "gz", KINDS[0].bytes(), 20),
    // as a file sink names gzip too
    new Named("gzip", "gzip", KINDS[0].bytes(), 20),
    new Named("xz", "xz", KINDS[2].bytes(), 32),
    new Named("zstd", "zst", KINDS[1].bytes(), 9),
    new Named("bzip2", "bz2", new byte[] {'B', 'Z', 'h'}, 14, "42 5a 68, BZh, then the digit of its block size and"
        + " 31 41 59 26 53 59"),
    new Named("lz4", "lz4", KINDS[6].bytes(), 11),
  };

  /**
   * The compression a file name's ending says ({@code .gz}: gzip, any case), or null. A name that is
   * only the ending ({@code .gz}) is a hidden file's, and says nothing, as a file sink of that name
   * writes text ({@link SinkCompression#gzipName}).
   */
  static String namedCodec(String fileName) {
    String f = fileName.toLowerCase(java.util.Locale.ROOT);
    for (Named n : NAMED) {
      if (f.endsWith("." + n.ext()) && f.length() > n.ext().length() + 1) return n.codec();
    }
    return null;
  }

  private static final int LONGEST = 10;
  /** The bytes of a tar header. */
  private static final int TAR_HEAD = 512;

  /**
   * The stream to read: compressed data decompressed, other text as it is, with the bytes looked
   * at put back; or, when it starts as an archive or as UTF-16 or UTF-32 text does (also inside
   * compressed data), closed and refused. It reads more than the first bytes only while they are
   * the start of such a file, so a slow standard input is not waited for past its first line: a tar
   * header is looked for only while that line has not ended within the header's name field (100
   * bytes) and the bytes after it are what a tar header holds there (inside compressed data, it reads
   * the first 512 bytes of the text).
   *
   * @param name the input as messages name it ({@code logs/a.jsonl.gz}, {@code stdin})
   * @param stdin whether it is standard input (the advice differs)
   * @param named what compression its name says ({@link #namedCodec}), or null: then an empty
   *     input, or one that ends inside that compression's first bytes, is its data cut short rather
   *     than text
   */
  static InputStream check(InputStream in, String name, boolean stdin, String named) throws IOException {
    PushbackInputStream p = new PushbackInputStream(in, TAR_HEAD);
    byte[] head = new byte[TAR_HEAD];
    int n = peek(p, head);
    boolean eof = n < 0;
    if (eof) n = -n - 1;
    Kind k = whole(head, n);
    if (k != null && k.codec() != null) {
      p.unread(head, 0, n);
      try {
        return switch (k.codec()) {
          case "gzip" -> inside(new GzipInput(p, name, stdin), name, stdin, "gzip", "zcat");
          case "xz" -> inside(new XzInput(p, name, stdin), name, stdin, "xz", "xzcat");
          case "zstd" -> inside(new CodecInput(p, CodecInput.Codec.ZSTD, name, stdin), name, stdin, "zstd", "zstdcat");
          case "bzip2" -> inside(new CodecInput(p, CodecInput.Codec.BZIP2, name, stdin), name, stdin, "bzip2", "bzcat");
          default -> inside(new CodecInput(p, CodecInput.Codec.LZ4, name, stdin), name, stdin, "lz4", "lz4cat");
        };
      } catch (IOException | RuntimeException e) {
        p.close(); // data that fails at its start leaves no file open
        throw e;
      }
    }
    if (k == null) {
      Named says = null;
      String lower = name.toLowerCase(java.util.Locale.ROOT);
      for (Named x : NAMED) {
        if (x.codec().equals(named) && (says == null || lower.endsWith("." + x.ext()))) says = x;
      }
      if (says != null && n < says.shortest() && matches(says.start(), head, Math.min(n, says.start().length))) {
        // The peek read on while the bytes could start the mark: fewer than the mark is the whole input.
        boolean whole = n < says.start().length || eof;
        if (!whole) {
          int r = p.read(head, n, 1);
          if (r < 0) whole = true; else n += r;
        }
        if (whole) {
          p.close();
          throw new BrokenInputException(name + ": the file is " + (n == 0 ? "empty" : n + (n == 1 ? " byte" : " bytes")
              + " long") + ", and its name says " + named + ", whose data is " + says.shortest()
              + " bytes or more (even of no text): a copy or download that did not finish? Get the whole file again, or"
              + " rename it without ." + says.ext() + " if it is meant to be " + (n == 0 ? "empty" : "text"));
        }
      }
      if (!eof) n = tarPeek(p, head, n);
      if (n == TAR_HEAD && isTarHeader(head)) throw tar(p, head, name, stdin, null);
      if (says != null) throw misnamed(p, head, n, eof, name, says);
      if (n > 0) p.unread(head, 0, n);
      return p;
    }
    if (k.bytes() == ZIP || k.bytes() == ZIP_EMPTY) throw zip(p, head, n, name, stdin, null, null);
    p.close();
    throw new IoConfigException("", name + ": the input is " + k.what() + " (it starts with " + k.mark() + " "
        + hex(k.bytes()) + "), and wiz reads only " + k.readable() + ": "
        + (stdin ? k.onTheWay() + " it on the way in (" + k.pipe() + " FILE | wiz run PIPELINE)"
            : k.first() + ", or pipe it in with source type: stdin (" + k.pipe() + " FILE | wiz run PIPELINE)"));
  }

  /** The bytes of a misnamed file looked at (text or not), and those a message shows in hex. */
  private static final int LOOKED_AT = 32;
  private static final int SHOWN = 8;

  /**
   * The refusal of a file whose name says it is compressed ({@code says}) and whose first {@code n}
   * bytes (in {@code head}) are not such data, nor other data wiz reads: read as text, damaged data
   * made records of its compressed bytes, all bad. The name decides, as a file sink's name decides
   * what it writes: text named so is renamed, and then read as text. Closes the input.
   */
  private static BrokenInputException misnamed(PushbackInputStream p, byte[] head, int n, boolean eof, String name,
      Named says) throws IOException {
    // A file (a name says something): its next bytes are at hand.
    while (n < LOOKED_AT && !eof) {
      int r = p.read(head, n, LOOKED_AT - n);
      if (r < 0) eof = true; else n += r;
    }
    p.close();
    byte[] first = java.util.Arrays.copyOf(head, Math.min(n, SHOWN));
    String text = textOf(java.util.Arrays.copyOf(head, Math.min(n, LOOKED_AT)));
    if (text != null) {
      // Its first line, as much of it as was looked at.
      int end = text.indexOf('\n');
      if (end >= 0) text = text.substring(0, end + 1); else if (!eof) text += "...";
    }
    // The command, when the name as shown ends in the ending (it is the file's, which says so).
    String ending = "." + says.ext();
    boolean ends = name.toLowerCase(java.util.Locale.ROOT).endsWith(ending) && name.length() > ending.length();
    String mv = !ends ? "" : " (mv " + dev.wiz.Shell.quote(name) + " "
        + dev.wiz.Shell.quote(name.substring(0, name.length() - ending.length())) + ")";
    String test = says.codec() + " -t";
    return new BrokenInputException(name + ": its name says " + says.codec() + ", but the file does not start as "
        + says.codec() + " data does (" + says.starts() + "): it starts with " + hex(first)
        + (text == null
            ? ", which is not text either: damaged data (its first bytes overwritten?), or data of another kind: get the"
                + " file again (" + test + " checks one), or, if it really is text, rename it without ." + says.ext()
                + mv
            : ", the text \"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                .quoteAsString(text)) + "\": if it is text (a download that a client already"
                + " decompressed?), rename it without ." + says.ext() + mv + "; if not, get the file again ("
                + test + " checks one)"));
  }

  /**
   * The bytes as text when they look like text: UTF-8 (the last character may be cut off) with no
   * control characters but tab, line feed and carriage return; else null.
   */
  private static String textOf(byte[] b) {
    java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
    // Not at the end of the input: a character cut off at the end is left in the buffer, not malformed.
    if (d.decode(in, out, false).isError() || in.remaining() > 3) return null;
    out.flip();
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c < 0xa0)) return null;
    }
    return out.toString();
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
    if (n < 0) n = -n - 1;
    Kind k = whole(head, n);
    if (k == null) {
      // A tar archive (logs.tar.gz) starts with a file name, which is text: its header says ustar at
      // byte 257 and holds its own checksum, which no text matches by chance.
      while (n < TAR_HEAD) {
        int r = p.read(head, n, TAR_HEAD - n);
        if (r < 0) break;
        n += r;
      }
      if (n == TAR_HEAD && isTarHeader(head)) throw tar(p, head, name, stdin, codec);
      if (n > 0) p.unread(head, 0, n);
      return p;
    }
    if (k.bytes() == ZIP || k.bytes() == ZIP_EMPTY) throw zip(p, head, n, name, stdin, codec, cat);
    p.close();
    String pipe = cat + (stdin ? "" : " FILE") + " | " + k.pipe() + " | wiz run PIPELINE";
    throw new IoConfigException("", name + ": the text inside its " + codec + " compression is " + k.what() + " (it starts with "
        + k.mark() + " " + hex(k.bytes()) + "), and wiz reads only " + k.readable() + ": "
        + (stdin ? k.onTheWay() + " it on the way in (... | " + pipe + ")"
            : "pipe it in with source type: stdin (" + pipe + ")"));
  }

  /**
   * Reads on from {@code n} bytes while they may be the start of a tar header: a name with no line
   * end, then (from byte 100) a mode of octal digits, blanks and NULs; how many bytes there are.
   * Text stops it at its first line end or at byte 100, so a slow standard input is not waited for.
   */
  private static int tarPeek(PushbackInputStream p, byte[] head, int n) throws IOException {
    while (n < TAR_HEAD && mayBeTar(head, n)) {
      int r = p.read(head, n, TAR_HEAD - n);
      if (r < 0) break;
      n += r;
    }
    return n;
  }

  private static boolean mayBeTar(byte[] h, int n) {
    if (n > 0 && h[0] == 0) return false; // a name comes first
    for (int i = 0; i < Math.min(n, 100); i++) {
      if (h[i] == 0) break;
      if (h[i] == '\n' || h[i] == '\r') return false;
    }
    for (int i = 100; i < Math.min(n, 108); i++) {
      if (h[i] != 0 && h[i] != ' ' && (h[i] < '0' || h[i] > '7')) return false;
    }
    return true;
  }

  /**
   * The refusal of a tar archive whose header is {@code head}, naming its first file and the tar
   * command that reads it; {@code codec} is the compression around it, or null.
   */
  private static IoConfigException tar(InputStream rest, byte[] head, String name, boolean stdin, String codec)
      throws IOException {
    String member = dev.wiz.Shell.quote(firstFile(head, rest));
    rest.close();
    // GNU tar and bsdtar both take -z, -J and -j; zstd and lz4 by name.
    String pre = codec == null ? "" : switch (codec) {
      case "zstd" -> "--zstd ";
      case "lz4" -> "-I lz4 ";
      default -> "";
    };
    String opt = codec == null ? "" : switch (codec) {
      case "gzip" -> "z";
      case "xz" -> "J";
      case "bzip2" -> "j";
      default -> "";
    };
    String x = "tar " + pre + "-x" + opt;
    return new IoConfigException("", name + ": " + (codec == null ? "the input" : "the text inside its " + codec
        + " compression") + " is a tar archive (its first file is " + member + "), whose files wiz does not read as"
        + " text: " + (stdin ? "extract the one to read on the way in (... | " + x + "O " + member + " | wiz run PIPELINE)"
            : "extract the one to read (" + x + "f FILE " + member + "), or pipe it in with source type: stdin (" + x
            + "Of FILE " + member + " | wiz run PIPELINE)"));
  }

  /**
   * The refusal of a zip archive whose first {@code n} bytes are in {@code head}, naming its first
   * file and the unzip command that reads it; {@code codec} is the compression around it, or null.
   */
  private static IoConfigException zip(InputStream rest, byte[] head, int n, String name, boolean stdin, String codec,
      String cat) throws IOException {
    String in = codec == null ? "the input" : "the text inside its " + codec + " compression";
    String file = null;
    if (head[2] == 3) {
      try {
        file = zipFirstFile(head, n, rest);
      } catch (IOException e) {
        // The archive is refused either way: it is named without its first file.
      }
    }
    rest.close();
    // unzip reads a file, not a stream: standard input, or what is inside compression, is saved first.
    String save = stdin && codec == null ? "save it to a file first (... > FILE.zip), then "
        : codec != null ? "decompress it to a file first (" + cat + (stdin ? " > FILE.zip" : " FILE > FILE.zip") + "), then "
        : "";
    String zipName = save.isEmpty() ? "FILE" : "FILE.zip";
    if (file == null) {
      return new IoConfigException("", name + ": " + in + " is " + (head[2] == 5 ? "an empty zip archive" : "a zip archive")
          + " (it starts with the bytes " + hex(java.util.Arrays.copyOf(head, 4)) + "), whose files wiz does not read as"
          + " text" + (head[2] == 5 ? ", and it holds none: there is nothing to read"
              : ": " + save + "list its files (unzip -l " + zipName + ") and read one (unzip -p " + zipName
                  + " NAME | wiz run PIPELINE)"));
    }
    String member = dev.wiz.Shell.quote(file);
    return new IoConfigException("", name + ": " + in + " is a zip archive (its first file is " + member + "), whose files"
        + " wiz does not read as text: " + save + (save.isEmpty() && !stdin ? "extract the one to read (unzip " + zipName
            + " " + member + "), or pipe it in with source type: stdin (unzip -p " + zipName + " " + member
            + " | wiz run PIPELINE)" : "pipe the one to read in with source type: stdin (unzip -p " + zipName + " "
            + member + " | wiz run PIPELINE)"));
  }

  /**
   * The name of the first file of a zip archive, from its local file headers (the first {@code n}
   * bytes are in {@code head}, the rest read from {@code rest}): folders, which come first when
   * zip(1) archives one, are passed over while their sizes are in their headers.
   */
  static String zipFirstFile(byte[] head, int n, InputStream rest) throws IOException {
    byte[] h = java.util.Arrays.copyOf(head, 30);
    byte[] more = rest.readNBytes(Math.max(0, 30 - n));
    System.arraycopy(more, 0, h, n, more.length);
    if (n + more.length < 30) return null;
    String first = null;
    for (int entries = 0; entries < 16; entries++) {
      int flags = u16(h, 6);
      long size = u16(h, 18) | (long) u16(h, 20) << 16;
      int nameLength = u16(h, 26);
      int extra = u16(h, 28);
      byte[] nm = rest.readNBytes(nameLength);
      if (nm.length < nameLength) return first;
      String file = new String(nm, java.nio.charset.StandardCharsets.UTF_8);
      if (first == null) first = file;
      if (!file.endsWith("/")) return file;
      // A folder: its data (none, unless the sizes follow it: bit 3) and the next header.
      if ((flags & 8) != 0 || skipped(rest, extra + size) < extra + size || rest.readNBytes(h, 0, 30) < 30
          || h[0] != 'P' || h[1] != 'K' || h[2] != 3 || h[3] != 4) {
        return first;
      }
    }
    return first;
  }

  /**
   * The name of the first file of a tar archive that starts with {@code header}, the rest read from
   * {@code rest}: a long name is not in the header's name field but in a pax extended header
   * ({@code path=}, tar --format=posix), a GNU long-name entry ({@code ././@LongLink}) before it, or
   * split between the ustar prefix and name fields; those entries are not the file to extract, and
   * nor are folders, which come first when tar archives one ({@code tar -cf logs.tar logs}): they are
   * passed over, as {@link #zipFirstFile} passes over a zip's. When the archive cannot be followed,
   * the first folder met, or the first header's name field, as it is.
   */
  static String firstFile(byte[] header, InputStream rest) {
    byte[] h = header;
    String folder = null;
    String longName = null;
    try {
      for (int entries = 0; entries < 32; entries++) {
        byte type = h[156];
        if (type != 'x' && type != 'g' && type != 'L' && type != 'K') {
          String name = longName;
          if (name == null) {
            name = field(h, 0, 100);
            // POSIX ustar (magic "ustar" then NUL) splits a long name: prefix, then a slash, then name.
            String prefix = h[262] == 0 ? field(h, 345, 155) : "";
            if (!prefix.isEmpty()) name = prefix + "/" + name;
          }
          longName = null;
          if (type != '5') return name;
          if (folder == null) folder = name;
          // A folder has no data: the next header follows it.
          h = rest.readNBytes(TAR_HEAD);
          if (h.length < TAR_HEAD || !isTarHeader(h)) break;
          continue;
        }
        long size = 0;
        for (int i = 124; i < 136 && h[i] != 0 && h[i] != ' '; i++) {
          if (h[i] < '0' || h[i] > '7') return fallback(header, folder);
          size = size * 8 + (h[i] - '0');
        }
        if (size > 1 << 16) return fallback(header, folder);
        byte[] data = rest.readNBytes((int) ((size + 511) / 512 * 512));
        if (data.length < size) return fallback(header, folder);
        if (type == 'L') longName = field(data, 0, (int) size);
        if (type == 'x') {
          // Records "LENGTH key=value\n", LENGTH counting the whole record.
          String text = new String(data, 0, (int) size, java.nio.charset.StandardCharsets.UTF_8);
          for (String record : text.split("\n")) {
            int eq = record.indexOf('=');
            int sp = record.indexOf(' ');
            if (sp >= 0 && eq > sp && record.substring(sp + 1, eq).equals("path")) longName = record.substring(eq + 1);
          }
        }
        h = rest.readNBytes(TAR_HEAD);
        if (h.length < TAR_HEAD || !isTarHeader(h)) return fallback(header, folder);
      }
    } catch (IOException e) {
      // The archive is refused either way: name what the first header says.
    }
    return fallback(header, folder);
  }

  /** The first folder met, or else the first header's name field. */
  private static String fallback(byte[] header, String folder) {
    return folder != null ? folder : field(header, 0, 100);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  /** Skips up to n bytes by reading them; how many there were. */
  private static long skipped(InputStream in, long n) throws IOException {
    byte[] b = new byte[8192];
    long done = 0;
    while (done < n) {
      int r = in.read(b, 0, (int) Math.min(b.length, n - done));
      if (r < 0) break;
      done += r;
    }
    return done;
  }

  /** A NUL-ended text field of a tar header. */
  private static String field(byte[] b, int from, int length) {
    int end = from;
    while (end < from + length && end < b.length && b[end] != 0) end++;
    return new String(b, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Whether 512 bytes are a tar header: {@code ustar} at byte 257 (POSIX and GNU tar), or zeros there
   * and a name and a file type (tar before POSIX, {@code tar --format=v7}), and the checksum at byte
   * 148 (octal) is the sum of its bytes, the checksum's own taken as spaces.
   */
  static boolean isTarHeader(byte[] h) {
    boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    // The header of tar before POSIX (tar --format=v7) has no magic: zeros there, a name, a file's type.
    boolean v7 = h[0] != 0 && h[257] == 0 && h[258] == 0 && h[259] == 0 && h[260] == 0 && h[261] == 0 && h[262] == 0
        && (h[156] == 0 || h[156] >= '0' && h[156] <= '7');
    if (!ustar && !v7) return false;
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

  /**
   * Reads the first bytes into head while they may start a kind's mark: how many were read, or
   * {@code -n - 1} when the input ended after n bytes (then it is not read again: a terminal would
   * wait for a second end).
   */
  private static int peek(PushbackInputStream p, byte[] head) throws IOException {
    int n = 0;
    while (n < LONGEST && startsAny(head, n)) {
      int r = p.read(head, n, LONGEST - n);
      if (r < 0) return -n - 1;
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

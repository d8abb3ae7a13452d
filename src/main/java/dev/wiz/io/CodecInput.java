package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * The text of zstd, bzip2 or lz4 data, as {@code zstdcat}, {@code bzcat} and {@code lz4cat} give
 * it: concatenated frames and streams are read whole (zstd with aircompressor, bzip2 with Apache
 * Commons Compress, lz4 frames with {@link Lz4FrameInput}, all pure Java), and every checksum the
 * data holds is verified (zstd's content checksum, bzip2's block and stream CRCs, lz4's header,
 * block and content checksums, when the writer put them there). Data cut short or corrupt, and bytes after it that are
 * not of its kind, throw a {@link BrokenInputException} naming the input, never read as a shorter
 * input. The stream below is read to its end, so that a check made there ({@link UnchangedInput}) is
 * made; a file that changed while it was read is said to be that, not corrupt.
 *
 * <p>The libraries' classes are loaded only when such input is met (this class itself is loaded,
 * from the class-data archive, by every run that reads a file: {@link ForeignInput} names it).
 */
final class CodecInput extends DecompressingInput {
  /** The compressions read here: their names, and the command that tests a file of them. */
  enum Codec {
    ZSTD("zstd", "zstd -t", "zstdcat"),
    BZIP2("bzip2", "bzip2 -t", "bzcat"),
    LZ4("lz4", "lz4 -t", "lz4cat");

    final String label;
    final String test;
    final String cat;

    Codec(String label, String test, String cat) {
      this.label = label;
      this.test = test;
      this.cat = cat;
    }
  }

  // One class for each library, so that only the one of the data met is loaded (the verifier loads
  // a class that it checks an object of against InputStream).
  private static final class Zstd {
    static InputStream open(InputStream in) {
      return new io.airlift.compress.zstd.ZstdInputStream(in);
    }
  }

  private static final class Bzip2 {
    static InputStream open(InputStream in) throws IOException {
      // true: the streams after the first are read too, as bzcat reads them.
      return new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(in, true);
    }
  }

  private static final class Lz4 {
    static InputStream open(InputStream in) throws IOException {
      return new Lz4FrameInput(in);
    }
  }

  private final Codec codec;
  private final CountedInput raw;
  private final InputStream text;
  private final String name;
  private final boolean stdin;
  private boolean end;

  /**
   * @param in the input, at the start of its compressed data
   * @param codec what compression it is
   * @param name the input as messages name it
   * @param stdin whether it is standard input (the advice differs)
   */
  CodecInput(InputStream in, Codec codec, String name, boolean stdin) throws IOException {
    this.codec = codec;
    this.raw = new CountedInput(in);
    this.name = name;
    this.stdin = stdin;
    InputStream text;
    try {
      text = switch (codec) {
        case ZSTD -> Zstd.open(raw);
        case BZIP2 -> Bzip2.open(raw);
        case LZ4 -> Lz4.open(raw);
      };
    } catch (BrokenInputException | ReadCancelledException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw broken(e);
    }
    this.text = text;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (end) return -1;
    int n;
    try {
      n = text.read(b, off, len);
    } catch (BrokenInputException | ReadCancelledException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The libraries report bad data as IOException, and aircompressor also as unchecked exceptions.
      throw broken(e);
    }
    if (n < 0) {
      end = true;
      // A decompressor may stop at the end of its data without reading on: bytes left are not its.
      if (!raw.ended && raw.read() >= 0) {
        throw broken(new IOException("the data is followed by bytes that are not " + codec.label));
      }
    }
    return n;
  }

  /** What the decompressor says, in words, naming the input; a file is first read to its end (see the class). */
  private BrokenInputException broken(Exception e) {
    long at = raw.count;
    // aircompressor ends its messages with where it was in memory (": offset=45"), not in the file.
    String how = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceFirst(": offset=-?\\d+$", "")
        .replaceFirst("\\.$", "");
    // The data ended where the decompressor wanted more (it says so with an IOException; aircompressor
    // reports bad data unchecked), unless what it found was a checksum or other damage it names: a small
    // file is read to its end before its checksum is checked.
    String lower = how.toLowerCase(java.util.Locale.ROOT);
    boolean cut = raw.ended && e instanceof IOException && (lower.contains("premature end")
        || lower.contains("unexpected end") || !lower.contains("checksum") && !lower.contains("crc")
        && !lower.contains("corrupt") && !lower.contains("garbage") && !lower.contains("unexpected data")
        && !lower.contains("illegal") && !lower.contains("legacy"));
    BrokenInputException changed = raw.changedWhileRead(stdin);
    if (changed != null) return changed;
    String input = stdin ? "the input" : "the file";
    String label = codec.label;
    if (codec == Codec.ZSTD && how.startsWith("Window size too large")) {
      // aircompressor decompresses with a window of at most 8 MiB: zstd --long and --ultra -20 to -22 use more.
      return new BrokenInputException(name + ": the zstd data was written with a window larger than the 8 MiB wiz's"
          + " zstd reader supports (zstd --long, or --ultra -20 and above): decompress it with zstd on the way in"
          + (stdin ? " (... | zstdcat --long=31 | wiz run PIPELINE)"
              : ", with source type: stdin (zstdcat --long=31 FILE | wiz run PIPELINE)"));
    }
    if (codec == Codec.ZSTD && how.startsWith("Custom dictionaries not supported")) {
      // zstd -D writes the id of its dictionary in the frame, and the frame cannot be read without it.
      return new BrokenInputException(name + ": the zstd data was compressed with a dictionary (zstd -D), which wiz's"
          + " zstd reader cannot take: decompress it with zstd and that dictionary on the way in"
          + (stdin ? " (... | zstd -dc -D DICT | wiz run PIPELINE)"
              : ", with source type: stdin (zstd -dc -D DICT FILE | wiz run PIPELINE), or first (zstd -d -D DICT FILE)"));
    }
    if (codec == Codec.ZSTD && how.startsWith("Invalid magic prefix: 184d2a5")) {
      return new BrokenInputException(name + ": the zstd data holds a skippable frame (pzstd writes one before each"
          + " frame), which wiz's zstd reader does not read: decompress it with zstd on"
          + " the way in" + (stdin ? " (... | zstdcat | wiz run PIPELINE)"
              : ", with source type: stdin (zstdcat FILE | wiz run PIPELINE)"));
    }
    String what;
    if (cut) {
      what = "the " + label + " data is cut short: " + input + " ends inside it (after " + at
          + (at == 1 ? " byte" : " bytes") + "), so its records from there on are missing ("
          + (stdin ? "did the command that wrote it stop early?" : "a copy or download that did not finish?") + ")";
    } else {
      what = "the " + label + " data is corrupt (found after " + at + (at == 1 ? " byte" : " bytes") + " of " + input
          + ": " + how + "), so the records from there on cannot be read";
    }
    return new BrokenInputException(name + ": " + what + (stdin ? ": check what writes it (" + codec.test
        + " checks a file)" : ": get the whole file again (" + codec.test + " checks one)"));
  }

  @Override
  public void close() throws IOException {
    text.close();
  }
}

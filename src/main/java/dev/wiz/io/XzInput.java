package dev.wiz.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.tukaani.xz.CorruptedInputException;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZIOException;
import org.tukaani.xz.XZInputStream;

/**
 * The text of xz data as {@code xz -d} gives it (XZ for Java): concatenated streams and stream
 * padding are read, and the integrity check of every block is verified. Data cut short or
 * corrupt, bytes after it that are not xz, and a file that needs more than {@value #MEMORY_MIB}
 * MiB to decompress throw a {@link BrokenInputException} naming the input, never read as a
 * shorter input. The stream below is read to its end, so that a check made there ({@link
 * UnchangedInput}) is made; a file that changed while it was read is said to be that, not corrupt.
 */
final class XzInput extends DecompressingInput {
  /**
   * The most memory a file may ask for (its dictionary): {@code xz -9} asks for 65 MiB; far more
   * is a corrupt or hostile header, which would take the heap.
   */
  static final int MEMORY_MIB = 256;

  private final CountedInput raw;
  private final InputStream xz;
  private final String name;
  private final boolean stdin;

  /**
   * @param in the input, at the start of its xz data
   * @param name the input as messages name it
   * @param stdin whether it is standard input (the advice differs)
   */
  XzInput(InputStream in, String name, boolean stdin) throws IOException {
    this.raw = new CountedInput(in); // counts what xz took: where it found a problem
    this.name = name;
    this.stdin = stdin;
    InputStream xz;
    try {
      xz = new XZInputStream(raw, MEMORY_MIB * 1024);
    } catch (BrokenInputException | ReadCancelledException e) {
      throw e;
    } catch (XZIOException | EOFException e) {
      throw broken(e);
    }
    this.xz = xz;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return xz.read(b, off, len);
    } catch (BrokenInputException | ReadCancelledException e) {
      throw e;
    } catch (XZIOException | EOFException e) {
      throw broken(e);
    }
  }

  /** What xz says, in words, naming the input; a file is first read to its end (see the class). */
  private BrokenInputException broken(IOException e) {
    long at = raw.count;
    BrokenInputException changed = raw.changedWhileRead(stdin);
    if (changed != null) return changed;
    String input = stdin ? "the input" : "the file";
    String what;
    if (e instanceof EOFException) {
      what = "the xz data is cut short: " + input + " ends inside it (after " + at + (at == 1 ? " byte" : " bytes")
          + "), or goes on with bytes that are not xz, so its records from there on are missing ("
          + (stdin ? "did the command that wrote it stop early?" : "a copy or download that did not finish?") + ")";
    } else if (e instanceof MemoryLimitException) {
      MemoryLimitException m = (MemoryLimitException) e;
      what = "the xz data asks for " + (m.getMemoryNeeded() + 1023) / 1024 + " MiB of memory to decompress, more than"
          + " the " + MEMORY_MIB + " MiB wiz allows (xz -9 needs 65 MiB): decompress it with xz on the way in"
          + (stdin ? " (... | xzcat | wiz run PIPELINE)" : ", with source type: stdin (xzcat FILE | wiz run PIPELINE)");
      return new BrokenInputException(name + ": " + what);
    } else if (e instanceof UnsupportedOptionsException) {
      what = "the xz data uses options wiz's xz reader does not support (" + e.getMessage() + ")";
      return new BrokenInputException(name + ": " + what + ": decompress it with xz on the way in"
          + (stdin ? " (... | xzcat | wiz run PIPELINE)" : ", with source type: stdin (xzcat FILE | wiz run PIPELINE)"));
    } else if (e instanceof CorruptedInputException) {
      what = "the xz data is corrupt (found after " + at + " bytes of " + input + ": " + e.getMessage()
          + "), so the records from there on cannot be read";
    } else {
      what = "the xz data cannot be read (after " + at + " bytes of " + input + ": " + e.getMessage() + ")";
    }
    return new BrokenInputException(name + ": " + what + (stdin ? ": check what writes it (xz -t checks a file)"
        : ": get the whole file again (xz -t checks one)"));
  }

  @Override
  public void close() throws IOException {
    xz.close();
  }
}

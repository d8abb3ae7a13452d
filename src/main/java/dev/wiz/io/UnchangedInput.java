package dev.wiz.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An input file read to its end only when it is still the file the run started with: when it
 * ends, the bytes read must be the size its fingerprint (the request key, the run record) has, and
 * the file must not have been modified since. An input cut or written to while it is read (a file
 * still being copied in, a log rotated) would otherwise end the run as a success with the records
 * it happened to hold, recorded as the input it was when the run started. A file removed once
 * open is still read whole (its size was read), as it was.
 */
final class UnchangedInput extends FilterInputStream {
  private final Path path;
  private final InputFile expected;
  private long read;
  private boolean checked;

  UnchangedInput(InputStream in, Path path, InputFile expected) {
    super(in);
    this.path = path;
    this.expected = expected;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      atEnd();
    } else {
      read++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      atEnd();
    } else {
      read += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = super.skip(n);
    read += s;
    return s;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void atEnd() throws IOException {
    if (checked) return;
    checked = true;
    long size;
    long modified;
    try {
      size = Files.size(path);
      modified = Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      size = -1;
      modified = -1;
    }
    // Removed once open (a clean-up job), the file was still read whole: the bytes it held then.
    if (read == expected.size() && (modified == expected.modified() || size < 0)) return;
    String now = size < 0 ? "it is gone now" : size == expected.size() ? "modified since" : "it is " + size + " bytes now";
    throw new BrokenInputException(expected.name() + " changed while it was read (" + expected.size() + " bytes when the run started, "
        + read + " read, " + now + "), so the records read may be cut short or mixed with newer ones: run again once "
        + "nothing writes to it");
  }
}

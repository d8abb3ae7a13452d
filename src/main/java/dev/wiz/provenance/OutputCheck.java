package dev.wiz.provenance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Holds a run's output file against what its log says the run wrote there: the bytes of every
 * chunk ({@code SEND} and {@code REUSED} events) at their offset hash to the digest logged for
 * them, and the file is as long as the run's record says (plus the closing bracket of a {@code
 * json} array, or with no record written, the one line a sink writes then: {@code []}, a {@code csv}
 * header). So an output edited, cut or added to after the run is caught, as the hash chain
 * catches an edited log.
 */
public final class OutputCheck {
  private OutputCheck() {}

  /** What the {@code json} format writes after the last record. */
  private static final byte[] JSON_CLOSE = "\n]\n".getBytes(StandardCharsets.US_ASCII);

  /** The most a file with no record written may hold: the {@code []} of {@code json}, a {@code csv} header. */
  private static final int MAX_TAIL = 1 << 16;

  /**
   * Whether what a sink wrote with no record is one line: {@code []} ({@code json}) or the header
   * of {@code csv} {@code columns}, neither of which is a chunk's.
   */
  private static boolean oneLine(byte[] tail) {
    for (int i = 0; i < tail.length - 1; i++) {
      if (tail[i] == '\n') return false;
    }
    return tail.length > 0 && tail[tail.length - 1] == '\n';
  }

  /**
   * What is wrong with the output {@code file}, of which the run recorded {@code bytes} bytes,
   * against the events that wrote to it (those whose sink is another target are left out):
   * empty when it is what the run wrote.
   */
  public static Optional<String> check(Path file, long bytes, List<Event> events) throws IOException {
    if (!Files.exists(file)) {
      return Optional.of("missing, but the run wrote " + ProvenanceReader.plural(bytes, "byte") + " there");
    }
    if (!Files.isRegularFile(file)) return Optional.of("not a regular file, but the run wrote a file there");
    List<Event> sent = new ArrayList<>();
    String target = file.toString();
    for (Event e : events) {
      if ((e.type() == EventType.SEND || e.type() == EventType.REUSED) && e.sink() != null
          && target.equals(e.sink().target()) && e.outputDigest() != null) {
        sent.add(e);
      }
    }
    sent.sort(Comparator.comparingLong(e -> e.sink().offset()));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      // A file of another length whose chunks before its end are not the ones logged was changed,
      // not only cut or added to (a gzip file compressed again): that is said first.
      Optional<String> length = Optional.empty();
      if (size != bytes) {
        byte[] tail = size > bytes && size - bytes <= MAX_TAIL ? read(ch, bytes, (int) (size - bytes)) : null;
        // A gzip file (named .gz) ends in a member of its own: the text of that member is the tail,
        // and a file with no record written holds one member even when its text is empty.
        boolean gzip = dev.wiz.io.SinkCompression.gzipName(file.getFileName().toString());
        if (gzip && tail != null) tail = gunzip(tail);
        if (tail == null || !(bytes == 0 ? oneLine(tail) || (gzip && tail.length == 0) : Arrays.equals(tail, JSON_CLOSE))) {
          length = Optional.of(ProvenanceReader.plural(size, "byte") + ", but the run wrote " + ProvenanceReader.plural(bytes, "byte")
              + (size < bytes ? ": it was cut" : ": bytes were added") + " after the run" + LATER);
        }
      }
      MessageDigest sha = sha256();
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      for (Event e : sent) {
        long from = e.sink().offset();
        long to = from + e.sink().bytes();
        if (to > bytes) {
          return Optional.of("chunk " + e.chunk() + " was logged at byte " + from + " (" + ProvenanceReader.plural(to - from, "byte")
              + "), past the " + ProvenanceReader.plural(bytes, "byte") + " the run recorded");
        }
        if (to > size) return length;
        sha.reset();
        for (long at = from; at < to; ) {
          buf.clear().limit((int) Math.min(buf.capacity(), to - at));
          int n = ch.read(buf, at);
          if (n < 0) break;
          sha.update(buf.array(), 0, n);
          at += n;
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (!digest.equals(e.outputDigest())) {
          return Optional.of("the " + ProvenanceReader.plural(to - from, "byte") + " at byte " + from + " (chunk " + e.chunk()
              + ", " + ProvenanceReader.plural(
              e.recordsOut() == null ? 0 : e.recordsOut(), "record") + ") hash to " + digest + ", not to the "
              + e.outputDigest() + " the log recorded for them: they were changed after the run" + LATER);
        }
      }
      return length;
    }
  }

  /**
   * What is wrong with the text of a compressed (gzip) output against the length and digest its
   * run recorded for it, read as {@code zcat} reads it: empty when it is that text.
   */
  public static Optional<String> checkText(Path file, long textBytes, String textDigest) throws IOException {
    MessageDigest sha = sha256();
    long n = 0;
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; n += r) sha.update(buf, 0, r);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      return Optional.of("is not whole gzip data (" + e.getMessage() + "), but the run wrote gzip there" + LATER);
    }
    String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (n != textBytes || !digest.equals(textDigest)) {
      return Optional.of("its text (as zcat reads it) is " + ProvenanceReader.plural(n, "byte") + " hashing to " + digest
          + ", but the run recorded " + ProvenanceReader.plural(textBytes, "byte") + " hashing to " + textDigest
          + " in run.json" + LATER);
    }
    return Optional.empty();
  }

  private static final String LATER = " (by hand, or by a later run that wrote the same file)";

  /**
   * The text of one gzip member as wiz writes it (its fixed header: no name, modification time 0,
   * operating system 255; see {@code GzipMember}) that is all of {@code gz}, or null when it is not
   * that: another header, a member after it or bytes after its end are bytes added or changed after
   * the run, even when their text is the same.
   */
  private static byte[] gunzip(byte[] gz) {
    if (gz.length < 18 || (gz[0] & 0xff) != 0x1f || (gz[1] & 0xff) != 0x8b || gz[2] != 8 || gz[3] != 0
        || gz[4] != 0 || gz[5] != 0 || gz[6] != 0 || gz[7] != 0 || (gz[8] != 0 && gz[8] != 2 && gz[8] != 4)
        || (gz[9] & 0xff) != 255) {
      return null;
    }
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    try {
      inflater.setInput(gz, 10, gz.length - 10);
      java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) return null;
        text.write(buf, 0, n);
        if (text.size() > MAX_TAIL) return null;
      }
      // The CRC-32 and length of the text, then the end of the file.
      if (inflater.getRemaining() != 8) return null;
      byte[] t = text.toByteArray();
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(t);
      int at = gz.length - 8;
      return littleEndian(gz, at) == crc.getValue() && littleEndian(gz, at + 4) == (t.length & 0xffffffffL) ? t : null;
    } catch (java.util.zip.DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  private static long littleEndian(byte[] b, int at) {
    long v = 0;
    for (int i = 3; i >= 0; i--) v = v << 8 | (b[at + i] & 0xff);
    return v;
  }

  private static byte[] read(FileChannel ch, long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining() && ch.read(b, at + b.position()) >= 0) {
      // read on until the buffer is full or the file ends
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}

package dev.wiz.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Line formats ({@code jsonl}, {@code lines}) over a list of inputs. The reader thread only finds
 * line ends in large blocks and copies each batch's bytes out; decoding happens on the workers. A
 * batch holds {@code maxRecords} lines (fewer at the end of a file) and never spans two files.
 */
final class LineSource implements Source {
  private static final int BLOCK = 1 << 20;
  private static final JsonFactory JSON_FACTORY = Json.mapper().getFactory();
  /** Said of a jsonl line that only opens an array or object: the first line of JSON that is not JSON Lines. */
  private static final String SPREAD_OVER_LINES = ": a jsonl line holds one whole JSON value; for one value spread over"
      + " lines (a JSON array, pretty-printed JSON) use format: json";

  private final List<Input> inputs;
  private final boolean json;
  private int inputIndex = -1;
  private InputStream in;
  private String name;
  private long line;
  private byte[] buf = new byte[BLOCK];
  private int pos;
  private int limit;
  private boolean eof = true;

  LineSource(List<Input> inputs, boolean json) {
    this.inputs = List.copyOf(inputs);
    this.json = json;
  }

  @Override
  public SourceBatch next(int maxRecords) throws IOException {
    while (true) {
      if (eof && pos >= limit) {
        if (!openNext()) return null;
      }
      SourceBatch b = cut(maxRecords);
      if (b != null) return b;
    }
  }

  private boolean openNext() throws IOException {
    closeCurrent();
    inputIndex++;
    if (inputIndex >= inputs.size()) return false;
    Input input = inputs.get(inputIndex);
    in = input.open();
    name = input.name();
    line = 0;
    pos = 0;
    limit = 0;
    eof = false;
    return true;
  }

  /**
   * Cuts up to maxRecords records from the current input, or null when it has no more. A record
   * is a line; in JSON Lines a blank line is none, so it does not count against the chunk's size
   * (it still counts for line numbers).
   */
  private SourceBatch cut(int maxRecords) throws IOException {
    int start = pos;
    int lines = 0;
    int records = 0;
    int scan = pos;
    int lineStart = pos;
    while (records < maxRecords) {
      if (scan >= limit) {
        if (eof) break;
        // Keep the batch's bytes from start, read more after them.
        int kept = limit - start;
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, kept);
          scan -= start;
          lineStart -= start;
          start = 0;
        } else if (kept == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        limit = kept;
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
          eof = true;
        } else {
          limit += n;
        }
        continue;
      }
      if (buf[scan] == '\n') {
        lines++;
        if (!json || !LineBatch.blank(buf, lineStart, scan)) records++;
        scan++;
        lineStart = scan;
        continue;
      }
      int nl = indexOf(buf, scan, limit);
      scan = nl < 0 ? limit : nl;
    }
    if (eof && scan >= limit && scan > start && buf[scan - 1] != '\n') {
      lines++; // a last line without a line end
      if (!json || !LineBatch.blank(buf, lineStart, scan)) records++;
    }
    pos = scan;
    // Only blank lines left in the file (the loop ends early only at its end): no chunk of them.
    if (scan == start || records == 0) return null;
    byte[] bytes = Arrays.copyOfRange(buf, start, scan);
    long first = line + 1;
    line += lines;
    return new LineBatch(name, first, line, records, bytes, json);
  }

  private static int indexOf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  @Override
  public List<InputFile> inputs() {
    return Input.fingerprints(inputs);
  }

  private void closeCurrent() throws IOException {
    if (in != null) {
      in.close();
      in = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeCurrent();
  }

  /** The bytes of consecutive lines; decoded on a worker. */
  private static final class LineBatch implements SourceBatch {
    private final String origin;
    private final long first;
    private final long last;
    private final int records;
    private final byte[] bytes;
    private final boolean json;
    private volatile String digest;

    LineBatch(String origin, long first, long last, int records, byte[] bytes, boolean json) {
      this.origin = origin;
      this.first = first;
      this.last = last;
      this.records = records;
      this.bytes = bytes;
      this.json = json;
    }

    @Override public String origin() { return origin; }
    @Override public long firstLine() { return first; }
    @Override public long lastLine() { return last; }
    @Override public int recordCount() { return records; }

    @Override
    public String inputDigest() {
      String d = digest;
      if (d == null) digest = d = Json.digest(bytes);
      return d;
    }

    @Override
    public Decoded decode() {
      List<JsonNode> records = new ArrayList<>(this.records);
      List<RecordError> errors = new ArrayList<>(0);
      int[] starts = new int[this.records];
      int[] ends = new int[this.records];
      int[] at = new int[this.records];
      int count = 0;
      long lineNo = first;
      int s = first == 1 && startsWithBom(bytes) ? 3 : 0; // a UTF-8 byte order mark is not text
      int n = bytes.length;
      // One parser reads the values of consecutive lines; a line it cannot take alone (a syntax
      // error, a value that runs past its line, more than one value on a line) is read again on
      // its own, which gives the error message and column of that line, and a new parser starts
      // after it.
      JsonParser batch = null;
      int base = 0;
      try {
        while (s < n) {
          int e = lineEnd(bytes, s, n);
          int end = e > s && bytes[e - 1] == '\r' ? e - 1 : e;
          JsonNode record = null;
          if (!json) {
            record = TextNode.valueOf(new String(bytes, s, end - s, StandardCharsets.UTF_8));
          } else if (!blank(bytes, s, end)) {
            if (batch == null) {
              batch = JSON_FACTORY.createParser(bytes, s, n - s);
              base = s;
            }
            record = readInBatch(batch, base, s, end);
            if (record == null) {
              batch.close();
              batch = null;
              try {
                record = TreeReader.readWhole(JSON_FACTORY, bytes, s, end - s);
              } catch (IOException ex) {
                JsonErrors.Problem p = JsonErrors.ofLine(bytes, s, end, ex);
                errors.add(new RecordError(origin, lineNo, p.column(),
                    loneOpener(bytes, s, end) ? p.message() + SPREAD_OVER_LINES : p.message(),
                    new String(bytes, s, end - s, StandardCharsets.UTF_8)));
              }
            }
          }
          if (record != null) {
            if (count == starts.length) {
              starts = Arrays.copyOf(starts, count * 2 + 1);
              ends = Arrays.copyOf(ends, count * 2 + 1);
              at = Arrays.copyOf(at, count * 2 + 1);
            }
            starts[count] = s;
            ends[count] = end;
            at[count] = (int) (lineNo - first); // a batch's bytes fit an array: so do its lines
            count++;
            records.add(record);
          }
          lineNo++;
          s = e + 1;
        }
        if (batch != null) batch.close();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex); // closing a parser over a byte array does no I/O
      }
      return new Decoded(records, errors,
          new Decoded.Lines(bytes, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count)),
          count == at.length ? at : Arrays.copyOf(at, count));
    }

    /**
     * The value of the line {@code [from, to)} read by the batch parser (created at {@code base}),
     * or null when the line must be read on its own: the parser failed, or the value does not lie
     * within the line with only white space after it.
     */
    private JsonNode readInBatch(JsonParser p, int base, int from, int to) {
      try {
        if (p.nextToken() == null) return null;
        long start = base + p.currentTokenLocation().getByteOffset();
        if (start < from || start >= to) return null;
        JsonNode node = TreeReader.read(p);
        long end = base + p.currentLocation().getByteOffset();
        if (end > to) {
          // A number at the root ends where the parser saw the next character: it has taken the
          // line end after it (and the \n of a \r\n).
          if (!node.isNumber() || end > to + 2 || !lineEnds(bytes, to, (int) end)) return null;
          end = to;
        }
        return blank(bytes, (int) end, to) ? node : null;
      } catch (IOException | RuntimeException ex) {
        return null;
      }
    }

    /** The index of the first \n at or after from, or to. (Small, so the JIT compiles it early.) */
    private static int lineEnd(byte[] b, int from, int to) {
      int i = from;
      while (i < to && b[i] != '\n') i++;
      return i;
    }

    private static boolean lineEnds(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (b[i] != '\r' && b[i] != '\n') return false;
      }
      return true;
    }

    private static boolean startsWithBom(byte[] b) {
      return b.length >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF;
    }

    /** Whether the line {@code [from, to)} holds only {@code [} or <code>{</code>, with blanks around it. */
    static boolean loneOpener(byte[] b, int from, int to) {
      int opener = -1;
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (c == ' ' || c == '\t' || c == '\r') continue;
        if (opener >= 0 || c != '[' && c != '{') return false;
        opener = i;
      }
      return opener >= 0;
    }

    /** Whether the line {@code b[from, to)} holds no value: white space, after a byte order mark if it starts with one. */
    static boolean blank(byte[] b, int from, int to) {
      if (to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB && b[from + 2] == (byte) 0xBF) from += 3;
      for (int i = from; i < to; i++) {
        byte c = b[i];
        if (c != ' ' && c != '\t' && c != '\r') return false;
      }
      return true;
    }
  }
}

package dev.wiz.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.wiz.Json;
import dev.wiz.JsonNumbers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** A sink: records encoded in a format, written to a target in chunk order. */
final class FormatSink implements Sink {
  private static final byte[] OPEN = "[\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BETWEEN = ",\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CLOSE = "\n]\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = "[]\n".getBytes(StandardCharsets.UTF_8);

  private final Format format;
  private final Target target;
  private final char delimiter;
  private List<String> columns;
  /** Whether sink.columns named the columns: the output's shape, so other keys are left out. */
  private final boolean namedColumns;
  private boolean wroteAny;
  private final String configDigest;
  /** The gzip level when the output is gzip (each chunk a member of its own), else 0: text. */
  private final int gzipLevel;
  /** Whether any bytes reached the target (a gzip file ends with a member even when none did). */
  private boolean wroteBytes;
  /** Of a gzip output: the sha-256 of all its text so far, and its length; null for text. */
  private final java.security.MessageDigest textSha;
  private long textBytes;
  /** Of a gzip output, once complete: its whole text. */
  private Text text;

  FormatSink(Format format, Target target, char delimiter, List<String> columns) {
    this(format, target, delimiter, columns, null);
  }

  FormatSink(Format format, Target target, char delimiter, List<String> columns, String configDigest) {
    this(format, target, delimiter, columns, configDigest, 0);
  }

  /**
   * A sink whose output is gzip when {@code gzipLevel} is 1 to 9: every chunk's text is written as
   * a gzip member of its own ({@link GzipMember}), so what a run committed always ends at the end of
   * a member, and the end of the output (a json array's bracket) is a member of its own too.
   */
  FormatSink(Format format, Target target, char delimiter, List<String> columns, String configDigest, int gzipLevel) {
    if (gzipLevel < 0 || gzipLevel > 9) throw new IllegalArgumentException("gzip level " + gzipLevel);
    this.gzipLevel = gzipLevel;
    this.textSha = gzipLevel > 0 ? Json.sha256() : null;
    this.configDigest = configDigest;
    this.format = format;
    this.target = target;
    this.delimiter = delimiter;
    this.columns = columns == null ? null : List.copyOf(columns);
    this.namedColumns = columns != null;
  }

  /**
   * Goes on after the records a resumed run's partial output already holds: the json framing and
   * the csv header are not written again (csv columns are read back from the header).
   */
  void resumeAfter(long records, long bytes, java.nio.file.Path partial) throws IOException {
    if (bytes > 0) wroteBytes = true;
    if (textSha != null && bytes > 0) {
      // The text of the members taken over, for the digest of the whole text.
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(partial), 1 << 16)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) textOf(buf, n);
      }
    }
    if (records <= 0) return;
    wroteAny = true;
    if (format == Format.CSV && columns == null) {
      // read back as the csv source reads it, so a header the sink wrote is the header it gets
      java.io.InputStream in = java.nio.file.Files.newInputStream(partial);
      if (gzipLevel > 0) in = new java.util.zip.GZIPInputStream(in, 1 << 16);
      try (CsvRows rows = new CsvRows(in, delimiter)) {
        if (!rows.next()) throw new IOException("the partial output " + partial + " has no csv header");
        if (rows.fields() == null) {
          throw new IOException("cannot read the csv header of the partial output " + partial + ": " + rows.problem());
        }
        columns = List.copyOf(rows.fields());
      }
    }
  }

  @Override
  public void suspend() {
    target.suspend();
  }

  @Override
  public Encoded encode(List<JsonNode> records) throws IOException {
    switch (format) {
      case CSV:
        return Encoded.deferred(records);
      case JSON:
        return encodeJoined(records);
      case LINES:
      case JSONL:
      default:
        Encoded e = encodeLines(records);
        // Compressed here, on a worker, in parallel: write() stores exactly these bytes.
        return gzipLevel > 0 && e.bytes().length > 0 ? e.withStored(GzipMember.of(e.bytes(), gzipLevel)) : e;
    }
  }

  @Override
  public String compression() {
    return gzipLevel > 0 ? "gzip" : null;
  }

  @Override
  public Text outputText() {
    return text;
  }

  private void textOf(byte[] b, int n) {
    textSha.update(b, 0, n);
    textBytes += n;
  }

  @Override
  public String format() {
    return format.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String configDigest() {
    return configDigest;
  }

  /** Why a value nested too deep is not written. */
  static final String TOO_DEEP = "the record is nested more than " + Json.OUTPUT_NESTING + " levels deep: wiz writes"
      + " at most " + Json.OUTPUT_NESTING + " levels of arrays and objects, as many as it reads; flatten it (jq: tojson"
      + " makes a string of it)";

  /** Why a value nested too deep for the array of the {@code json} format is not written. */
  static final String TOO_DEEP_IN_ARRAY = "the record is nested more than " + (Json.OUTPUT_NESTING - 1) + " levels deep,"
      + " and format json puts it in an array: wiz writes at most " + Json.OUTPUT_NESTING + " levels of arrays and"
      + " objects, as many as it reads; flatten it (jq: tojson makes a string of it), or use format jsonl";

  private Encoded encodeLines(List<JsonNode> records) throws IOException {
    Bytes out = new Bytes(Math.max(64, records.size() * 96));
    List<Encoded.Rejected> rejected = new ArrayList<>(0);
    JsonGenerator g = generator(out, Json.output());
    try {
      for (int i = 0; i < records.size(); i++) {
        JsonNode r = records.get(i);
        if (format == Format.LINES && r.isTextual()) {
          String text = r.textValue();
          if (text.indexOf('\n') >= 0) {
            // Written as it is, it would be read back as more than one record.
            rejected.add(new Encoded.Rejected(i, "the record is a string with a line break, which format lines cannot"
                + " write as one line: use format jsonl, or replace the breaks (jq: gsub(\"\\n\"; \" \"))"));
            continue;
          }
          if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
            // Before the \n after it, a CRLF line end, which the lines source takes off. A \r inside
            // the text is a character of the line, as the lines source (and jq -R) reads it.
            rejected.add(new Encoded.Rejected(i, "the record is a string that ends with a carriage return (\\r), which"
                + " format lines would write as a CRLF line end, read back without it: use format jsonl, or take it off"
                + " (jq: rtrimstr(\"\\r\"))"));
            continue;
          }
          g.flush();
          out.write(text.getBytes(StandardCharsets.UTF_8));
        } else {
          int mark = out.length() + g.getOutputBuffered();
          try {
            Json.output().writeTree(g, r);
          } catch (StreamConstraintsException e) {
            g = rollBack(g, out, mark, Json.output());
            rejected.add(new Encoded.Rejected(i, TOO_DEEP));
            continue;
          }
        }
        g.writeRaw('\n');
      }
    } finally {
      g.close();
    }
    return new Encoded(out.toByteArray(), records.size() - rejected.size(), List.of(), rejected);
  }

  private Encoded encodeJoined(List<JsonNode> records) throws IOException {
    Bytes out = new Bytes(Math.max(64, records.size() * 96));
    List<Encoded.Rejected> rejected = new ArrayList<>(0);
    JsonGenerator g = generator(out, Json.outputInArray());
    try {
      boolean first = true;
      for (int i = 0; i < records.size(); i++) {
        int mark = out.length() + g.getOutputBuffered();
        try {
          if (!first) g.writeRaw(",\n");
          Json.outputInArray().writeTree(g, records.get(i));
        } catch (StreamConstraintsException e) {
          g = rollBack(g, out, mark, Json.outputInArray());
          rejected.add(new Encoded.Rejected(i, TOO_DEEP_IN_ARRAY));
          continue;
        }
        first = false;
      }
    } finally {
      g.close();
    }
    return new Encoded(out.toByteArray(), records.size() - rejected.size(), List.of(), rejected);
  }

  private static JsonGenerator generator(Bytes out, com.fasterxml.jackson.databind.ObjectMapper mapper) throws IOException {
    JsonGenerator g = mapper.getFactory().createGenerator(out);
    g.setRootValueSeparator(null);
    return g;
  }

  /**
   * Drops what a generator wrote of a record it failed to write: its bytes from {@code mark} on,
   * and the generator itself (it is inside the record), which is closed without closing what it
   * had open. Returns a fresh generator that goes on at {@code mark}.
   */
  private static JsonGenerator rollBack(JsonGenerator g, Bytes out, int mark, com.fasterxml.jackson.databind.ObjectMapper mapper)
      throws IOException {
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
    g.close();
    out.truncate(mark);
    return generator(out, mapper);
  }

  /** A byte buffer that can drop what was written after a point. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    /** {@link #size()}, without its lock (one thread writes it). */
    int length() {
      return count;
    }

    void truncate(int size) {
      count = size;
    }
  }

  @Override
  public Encoded ordered(Encoded chunk) throws IOException {
    if (format != Format.CSV || chunk.bytes() != null) return chunk;
    return csvRows(chunk.deferred());
  }

  @Override
  public byte[] write(Encoded chunk) throws IOException {
    return writeChunk(chunk).stored();
  }

  @Override
  public Written writeChunk(Encoded chunk) throws IOException {
    if (chunk.bytes() == null) throw new IllegalStateException("write before ordered");
    byte[] bytes;
    if (format == Format.JSON) {
      if (chunk.records() == 0) return new Written(new byte[0], new byte[0]);
      bytes = concat(wroteAny ? BETWEEN : OPEN, chunk.bytes());
    } else {
      bytes = chunk.bytes();
    }
    if (chunk.records() > 0) wroteAny = true;
    byte[] stored = bytes;
    if (gzipLevel > 0 && bytes.length > 0) {
      stored = bytes == chunk.bytes() && chunk.stored() != null ? chunk.stored() : GzipMember.of(bytes, gzipLevel);
    }
    target.write(stored);
    if (stored.length > 0) wroteBytes = true;
    if (textSha != null) textOf(bytes, bytes.length);
    return new Written(stored, bytes);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * A chunk's CSV rows, with the header when nothing was written before. Without named columns,
   * they are the keys of the first record written that has any (the first object with keys). A
   * {@code {}} before that record in the stream is rejected wherever the chunks end: a row needs
   * the columns, and the rows of the chunks before that record are written already.
   */
  private Encoded csvRows(List<JsonNode> records) throws IOException {
    List<Encoded.Rejected> rejected = new ArrayList<>(0);
    // The records before this index come before the columns (none when they are known already).
    int firstKeyed = 0;
    if (columns == null) {
      for (firstKeyed = 0; firstKeyed < records.size(); firstKeyed++) {
        JsonNode r = records.get(firstKeyed);
        if (!r.isObject() || r.isEmpty() || r.has("")) continue; // an empty key is rejected: no column without a name
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(names::add);
        columns = List.copyOf(names);
        break;
      }
    }
    List<String[]> rows = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      String[] row = row(records.get(i), i, i >= firstKeyed, rejected);
      if (row != null) rows.add(row);
    }
    if (rows.isEmpty()) return new Encoded(new byte[0], 0, List.of(), rejected);
    StringBuilder out = new StringBuilder();
    if (!wroteAny) CsvCells.appendRow(out, columns, delimiter);
    for (String[] row : rows) CsvCells.appendRow(out, Arrays.asList(row), delimiter);
    return new Encoded(out.toString().getBytes(StandardCharsets.UTF_8), rows.size(), List.of(), rejected);
  }

  /**
   * The record's row, or null when it cannot be one (then it is added to {@code rejected}); {@code
   * hasColumns} tells whether the columns came before it in the stream.
   */
  private String[] row(JsonNode r, int index, boolean hasColumns, List<Encoded.Rejected> rejected) throws IOException {
    if (!r.isObject()) {
      rejected.add(new Encoded.Rejected(index, "a CSV row must be an object, got "
          + r.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(r.toString())
          + ": make it an object (jq: {value: .})"));
      return null;
    }
    if (!namedColumns && r.has("")) {
      rejected.add(new Encoded.Rejected(index, "the record " + abbreviate(r.toString()) + " has an empty key, which"
          + " cannot name a CSV column (a header column without a name, which wiz's csv source refuses): rename it"
          + " (jq: with_entries(.key |= if . == \"\" then \"_\" else . end)), or list the columns in the sink's columns"));
      return null;
    }
    if (columns == null || !hasColumns) {
      rejected.add(new Encoded.Rejected(index, "the record {} has no fields, and no record before it had any to make"
          + " the CSV columns of: list the columns in the sink's columns"));
      return null;
    }
    for (Iterator<String> it = r.fieldNames(); !namedColumns && it.hasNext(); ) {
      String f = it.next();
      if (!columns.contains(f)) {
        rejected.add(new Encoded.Rejected(index, "the record " + abbreviate(r.toString()) + " has a field '" + f
            + "' that is not among the CSV columns " + columns + ", which came from the first record: list the"
            + " columns in the sink's columns (keys not listed there are left out)"));
        return null;
      }
    }
    String[] row = new String[columns.size()];
    for (int i = 0; i < row.length; i++) {
      JsonNode v = r.get(columns.get(i));
      if (v == null || v.isNull() || (v.isNumber() && Double.isNaN(v.doubleValue()))) row[i] = ""; // NaN: null, as jq writes it
      else if (v.isNumber()) row[i] = JsonNumbers.text(v);
      else if (v.isValueNode()) row[i] = v.asText();
      else row[i] = Json.records().writeValueAsString(v);
    }
    return row;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  @Override
  public void commit() throws IOException {
    target.commit();
  }

  @Override
  public String complete() throws IOException {
    byte[] tail = new byte[0];
    if (format == Format.JSON) {
      tail = wroteAny ? CLOSE : EMPTY;
    } else if (format == Format.CSV && !wroteAny && namedColumns) {
      // No records: the header alone, so a reader still finds the columns it expects.
      StringBuilder out = new StringBuilder();
      CsvCells.appendRow(out, columns, delimiter);
      tail = out.toString().getBytes(StandardCharsets.UTF_8);
    }
    if (gzipLevel > 0) {
      // A member of its own; and one even when nothing was written, since an empty file is no gzip.
      if (tail.length > 0 || !wroteBytes) target.write(GzipMember.of(tail, gzipLevel));
      textOf(tail, tail.length);
      text = new Text(textBytes, Json.hex(textSha));
    } else if (tail.length > 0) {
      target.write(tail);
    }
    target.complete();
    return target.name();
  }

  @Override
  public void abort() {
    target.abort();
  }

  @Override
  public String target() {
    return target.name();
  }

  @Override
  public void close() throws IOException {
    target.close();
  }
}

package dev.wiz.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.wiz.Json;
import dev.wiz.JsonNumbers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
  private final CsvMapper csv;
  private boolean wroteAny;

  FormatSink(Format format, Target target, char delimiter, List<String> columns) {
    this.format = format;
    this.target = target;
    this.delimiter = delimiter;
    this.columns = columns == null ? null : List.copyOf(columns);
    this.namedColumns = columns != null;
    this.csv = format == Format.CSV ? new CsvMapper() : null;
  }

  /**
   * Goes on after the records a resumed run's partial output already holds: the json framing and
   * the csv header are not written again (csv columns are read back from the header).
   */
  void resumeAfter(long records, java.nio.file.Path partial) throws IOException {
    if (records <= 0) return;
    wroteAny = true;
    if (format == Format.CSV && columns == null) {
      try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(partial, StandardCharsets.UTF_8)) {
        String header = r.readLine();
        if (header == null) throw new IOException("the partial output " + partial + " has no csv header");
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
        try (com.fasterxml.jackson.databind.MappingIterator<String[]> it =
            csv.readerFor(String[].class).with(schema).with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(header)) {
          columns = List.of(it.next());
        }
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
        return Encoded.of(encodeJoined(records), records.size());
      case LINES:
      case JSONL:
      default:
        return Encoded.of(encodeLines(records), records.size());
    }
  }

  private byte[] encodeLines(List<JsonNode> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, records.size() * 96));
    try (JsonGenerator g = Json.records().getFactory().createGenerator(out)) {
      g.setRootValueSeparator(null);
      int n = 0;
      for (JsonNode r : records) {
        n++;
        if (format == Format.LINES && r.isTextual()) {
          String text = r.textValue();
          if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            // Written as it is, it would be read back as more than one record.
            throw new IOException("record " + n + " of the chunk is a string with a line break, which format lines "
                + "cannot write as one line: use format jsonl, or replace the breaks (jq: gsub(\"\\n\"; \" \"))");
          }
          g.flush();
          out.write(text.getBytes(StandardCharsets.UTF_8));
        } else {
          Json.records().writeTree(g, r);
        }
        g.writeRaw('\n');
      }
    }
    return out.toByteArray();
  }

  private byte[] encodeJoined(List<JsonNode> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, records.size() * 96));
    try (JsonGenerator g = Json.records().getFactory().createGenerator(out)) {
      g.setRootValueSeparator(null);
      boolean first = true;
      for (JsonNode r : records) {
        if (!first) g.writeRaw(",\n");
        first = false;
        Json.records().writeTree(g, r);
      }
    }
    return out.toByteArray();
  }

  @Override
  public byte[] write(Encoded chunk) throws IOException {
    byte[] bytes;
    switch (format) {
      case CSV:
        bytes = csvRows(chunk.deferred());
        break;
      case JSON:
        if (chunk.records() == 0) return new byte[0];
        bytes = concat(wroteAny ? BETWEEN : OPEN, chunk.bytes());
        break;
      default:
        bytes = chunk.bytes();
    }
    if (chunk.records() > 0) wroteAny = true;
    target.write(bytes);
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private byte[] csvRows(List<JsonNode> records) throws IOException {
    if (records.isEmpty()) return new byte[0];
    boolean header = !wroteAny;
    if (columns == null) {
      List<String> names = new ArrayList<>();
      records.get(0).fieldNames().forEachRemaining(names::add);
      columns = List.copyOf(names);
    }
    CsvSchema.Builder b = CsvSchema.builder().setColumnSeparator(delimiter).setUseHeader(header);
    for (String c : columns) b.addColumn(c);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SequenceWriter w = csv.writerFor(String[].class).with(b.build()).writeValues(out)) {
      for (JsonNode r : records) {
        w.write(row(r));
      }
    }
    return out.toByteArray();
  }

  private String[] row(JsonNode r) throws IOException {
    if (!r.isObject()) {
      throw new IOException("a CSV row must be an object, got " + r.getNodeType().toString().toLowerCase() + " " + abbreviate(r.toString()));
    }
    for (Iterator<String> it = r.fieldNames(); !namedColumns && it.hasNext(); ) {
      String f = it.next();
      if (!columns.contains(f)) {
        throw new IOException("the record " + abbreviate(r.toString()) + " has a field '" + f + "' that is not"
            + " among the CSV columns " + columns + ", which came from the first record: list the columns in the"
            + " sink's columns (keys not listed there are left out)");
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
    if (format == Format.JSON) {
      target.write(wroteAny ? CLOSE : EMPTY);
    } else if (format == Format.CSV && !wroteAny && namedColumns) {
      // No records: the header alone, so a reader still finds the columns it expects.
      CsvSchema.Builder b = CsvSchema.builder().setColumnSeparator(delimiter).setUseHeader(true);
      for (String c : columns) b.addColumn(c);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (SequenceWriter w = csv.writerFor(String[].class).with(b.build()).writeValues(out)) {
        w.flush();
      }
      target.write(out.toByteArray());
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

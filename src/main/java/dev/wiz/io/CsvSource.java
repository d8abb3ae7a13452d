package dev.wiz.io;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.wiz.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code csv}: the first row of each input is the header; every other row becomes an object of
 * strings in header order. Quoting follows RFC 4180 (jackson-dataformat-csv). A row with more
 * fields than the header is a record error at its line; missing trailing fields are empty strings.
 * A row the parser rejects is a record error too, and reading goes on after it; when the parser
 * cannot go on (bytes that are not UTF-8), reading the input fails, naming the row.
 */
final class CsvSource implements Source {
  private final List<Input> inputs;
  private final CsvMapper mapper =
      new CsvMapper(CsvFactory.builder().streamReadConstraints(Json.READ_LIMITS).build());
  private final CsvSchema schema;
  private int index = -1;
  private CsvParser parser;
  private String name;
  private List<String> header;

  CsvSource(List<Input> inputs, char delimiter) {
    this.inputs = List.copyOf(inputs);
    this.schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
  }

  /** Why the current input cannot be read any further, once a batch has carried the row that stopped it. */
  private String unreadable;

  @Override
  public SourceBatch next(int maxRecords) throws IOException {
    if (unreadable != null) throw new IOException(unreadable);
    while (true) {
      if (parser == null && !openNext()) return null;
      SourceBatch b = cut(maxRecords);
      if (b != null) return b;
      parser.close();
      parser = null;
    }
  }

  private boolean openNext() throws IOException {
    index++;
    if (index >= inputs.size()) return false;
    Input in = inputs.get(index);
    name = in.name();
    parser = mapper.getFactory().createParser(in.open());
    parser.setSchema(schema);
    header = null;
    List<String> row;
    try {
      row = row();
    } catch (ReadCancelledException e) {
      throw e;
    } catch (IOException e) {
      throw new IoConfigException("", name + ":1: cannot read the CSV header: " + Errors.csvMessage(e));
    }
    if (row == null) {
      return true; // an empty file: no header, no records
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < row.size(); i++) {
      String h = row.get(i);
      if (h.isEmpty()) {
        throw new IoConfigException("", name + ":1: column " + (i + 1) + " of the CSV header has no name");
      }
      if (!seen.add(h)) {
        throw new IoConfigException("", name + ":1: the CSV header names column '" + h + "' twice");
      }
    }
    header = row;
    return true;
  }

  private long rowLine;

  /** The next row's fields, or null at end of input; rowLine is where it starts. */
  private List<String> row() throws IOException {
    rowLine = -1;
    JsonToken t = parser.nextToken();
    while (t != null && t != JsonToken.START_ARRAY) t = parser.nextToken();
    if (t == null) return null;
    // Known before the fields are parsed, so a row that fails to parse (an unclosed quote) is
    // reported where it starts, not where the parser gave up.
    rowLine = parser.currentLocation().getLineNr();
    List<String> fields = new ArrayList<>();
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
      fields.add(parser.getText());
    }
    // The parser is past the row's line end (column 1 of the next line), or at the end of input.
    com.fasterxml.jackson.core.JsonLocation end = parser.currentLocation();
    rowEndLine = Math.max(rowLine, end.getColumnNr() <= 1 ? end.getLineNr() - 1 : end.getLineNr());
    return fields;
  }

  /** The line the last row read ends on (later than rowLine when a quoted field holds line breaks). */
  private long rowEndLine;

  /**
   * After a row the parser rejected (a quote followed by more text), goes on to the end of that
   * row. False when the parser cannot go on: it fails again at once (bytes that
   * are not UTF-8).
   */
  private boolean skipRestOfRow() throws ReadCancelledException {
    // A parser that can go on gives a token after the error; one that cannot fails again at once
    // (it would fail on every call, each a new exception: do not keep asking).
    for (int tokens = 0; tokens < 1_000_000; tokens++) {
      JsonToken t;
      try {
        t = parser.nextToken();
      } catch (ReadCancelledException e) {
        throw e;
      } catch (IOException again) {
        return false;
      }
      if (t == null || t == JsonToken.END_ARRAY) return true;
    }
    return false;
  }

  private SourceBatch cut(int maxRecords) throws IOException {
    if (header == null) return null;
    List<JsonNode> records = new ArrayList<>();
    RecordLines lines = new RecordLines();
    List<RecordError> errors = new ArrayList<>();
    long first = -1;
    long last = -1;
    while (records.size() + errors.size() < maxRecords) {
      List<String> row;
      try {
        row = row();
      } catch (ReadCancelledException e) {
        throw e; // not the input's fault: the run stops
      } catch (IOException e) {
        long at = rowLine > 0 ? rowLine : parser.currentLocation().getLineNr();
        errors.add(new RecordError(name, at, Errors.csvMessage(e), null));
        if (first < 0) first = at;
        last = at;
        if (!skipRestOfRow()) {
          // Nothing after this row can be read: say so, rather than end the input quietly.
          unreadable = name + ":" + at + ": the rest of the file cannot be read after this row (" + Errors.csvMessage(e)
              + "); fix the row, or the file's encoding, and run again";
          header = null;
          break;
        }
        continue;
      }
      if (row == null) {
        header = null;
        break;
      }
      if (first < 0) first = rowLine;
      last = rowEndLine;
      if (row.size() == 1 && row.get(0).isEmpty() && header.size() > 1) {
        continue; // a blank line
      }
      if (row.size() > header.size()) {
        errors.add(new RecordError(name, rowLine, "row has " + row.size() + " fields but the header has "
            + header.size(), String.join(String.valueOf(schema.getColumnSeparator()), row)));
        continue;
      }
      ObjectNode o = Json.mapper().createObjectNode();
      for (int i = 0; i < header.size(); i++) {
        o.put(header.get(i), i < row.size() ? row.get(i) : "");
      }
      records.add(o);
      lines.add(rowLine, first); // where the row starts: a quoted field may go on over several lines
    }
    if (records.isEmpty() && errors.isEmpty()) return null;
    return new ParsedBatch(name, first < 0 ? last : first, last, records, lines.toArray(), errors);
  }

  @Override
  public List<InputFile> inputs() {
    return Input.fingerprints(inputs);
  }

  @Override
  public void close() throws IOException {
    if (parser != null) {
      parser.close();
      parser = null;
    }
  }
}

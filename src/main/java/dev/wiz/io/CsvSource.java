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
 * strings in header order. Quoting follows RFC 4180 (jackson-dataformat-csv). A row must have as
 * many fields as the header: one with more, or fewer (a file cut off in the middle of a row), is a
 * record error at its line and the column of its first extra field, or of its last field; with
 * {@code allowShortRows} a row with fewer is a record whose missing fields are null. An empty line
 * is no row when the header has several columns (it is one empty field when it has one: that is
 * how a one-column file writes an empty value). A row the parser rejects is a record error too,
 * and reading goes on after it; when the parser cannot go on (bytes that are not UTF-8), reading
 * the input fails, naming the row.
 */
final class CsvSource implements Source {
  private final List<Input> inputs;
  private final CsvMapper mapper =
      new CsvMapper(CsvFactory.builder().streamReadConstraints(Json.READ_LIMITS).build());
  private final CsvSchema schema;
  private final boolean allowShortRows;
  private int index = -1;
  private CsvParser parser;
  private String name;
  private List<String> header;

  CsvSource(List<Input> inputs, char delimiter, boolean allowShortRows) {
    this.inputs = List.copyOf(inputs);
    this.schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
    this.allowShortRows = allowShortRows;
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

  /** Whether the last row read is an empty line: one empty field that took no characters (not {@code ""}). */
  private boolean emptyLine;

  /**
   * The column where the last row read stops matching the header: where its first field past the
   * header's width starts, or, for a row with fewer fields, where its last field starts; 0 when
   * the row matches, or that place is not on the row's first line.
   */
  private int mismatchColumn;

  /** The next row's fields, or null at end of input; rowLine is where it starts. */
  private List<String> row() throws IOException {
    rowLine = -1;
    emptyLine = false;
    mismatchColumn = 0;
    JsonToken t = parser.nextToken();
    while (t != null && t != JsonToken.START_ARRAY) t = parser.nextToken();
    if (t == null) return null;
    // Known before the fields are parsed, so a row that fails to parse (an unclosed quote) is
    // reported where it starts, not where the parser gave up.
    rowLine = parser.currentLocation().getLineNr();
    int width = header == null ? Integer.MAX_VALUE : header.size();
    List<String> fields = new ArrayList<>(header == null ? 10 : width);
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY && t != null) {
      String text = parser.getText();
      if (fields.isEmpty() && text.isEmpty()) {
        // Nothing read past the line start: an empty line (a quoted "" has taken two characters).
        emptyLine = parser.currentLocation().getColumnNr() == 1;
      } else if (fields.size() == width) {
        mismatchColumn = columnOnRowLine(parser.currentTokenLocation());
      }
      fields.add(text);
    }
    if (fields.size() < width && header != null) {
      // At the end of a row the parser's token location is still that of the row's last field.
      mismatchColumn = columnOnRowLine(parser.currentTokenLocation());
    }
    // The parser is past the row's line end (column 1 of the next line), or at the end of input.
    com.fasterxml.jackson.core.JsonLocation end = parser.currentLocation();
    rowEndLine = Math.max(rowLine, end.getColumnNr() <= 1 ? end.getLineNr() - 1 : end.getLineNr());
    return fields;
  }

  private int columnOnRowLine(com.fasterxml.jackson.core.JsonLocation at) {
    return at.getLineNr() == rowLine && at.getColumnNr() > 0 ? at.getColumnNr() : 0;
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
      if (row.size() != header.size()) {
        if (emptyLine && header.size() > 1) continue; // an empty line: no row
        if (row.size() > header.size() || !allowShortRows) {
          errors.add(new RecordError(name, rowLine, mismatchColumn, mismatch(row.size()),
              String.join(String.valueOf(schema.getColumnSeparator()), row)));
          continue;
        }
      }
      ObjectNode o = Json.mapper().createObjectNode();
      for (int i = 0; i < header.size(); i++) {
        if (i < row.size()) {
          o.put(header.get(i), row.get(i));
        } else {
          o.putNull(header.get(i)); // allowShortRows: a field the row does not have
        }
      }
      records.add(o);
      lines.add(rowLine, first); // where the row starts: a quoted field may go on over several lines
    }
    if (records.isEmpty() && errors.isEmpty()) return null;
    return new ParsedBatch(name, first < 0 ? last : first, last, records, lines.toArray(), errors);
  }

  /** Why a row of {@code fields} fields is not a record under the header, and what to do. */
  private String mismatch(int fields) {
    String has = "row has " + fields + (fields == 1 ? " field" : " fields") + " but the header has " + header.size();
    char d = schema.getColumnSeparator();
    String delimiter = d == '\t' ? "a tab" : "'" + d + "'";
    if (fields > header.size()) {
      return has + " (" + names(0, header.size(), ", ") + "): a field holding " + delimiter + " must be in double quotes";
    }
    int missing = header.size() - fields;
    return has + ": " + names(fields, header.size(), " and ") + (missing == 1 ? " is" : " are") + " missing (is the row cut off?);"
        + " set allowShortRows: true on the source if rows may end early (missing fields are read as null)";
  }

  /** Header names from..to, at most five of them, then how many more; {@code last} before the last name. */
  private String names(int from, int to, String last) {
    int shown = Math.min(to - from, 5);
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + shown; i++) {
      if (i > from) b.append(i == to - 1 ? last : ", ");
      b.append(header.get(i));
    }
    if (to - from > shown) b.append(" and ").append(to - from - shown).append(" more");
    return b.toString();
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

package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code csv}: the first row of each input is the header; every other row becomes an object of
 * strings in header order. Rows are read by {@link CsvRows} (RFC 4180 quoting, UTF-8). A row must
 * have as many fields as the header: one with more, or fewer (a file cut off in the middle of a
 * row), is a record error at its line and the column of its first extra field, or of its last
 * field; with {@code allowShortRows} a row with fewer is a record whose missing fields are null.
 * An empty line is no row when the header has several columns (it is one empty field when it has
 * one: that is how a one-column file writes an empty value). A row that cannot be read (text after
 * a closing quote, a quote never closed, a byte that is not UTF-8, a field over the read limit) is
 * a record error with its text, and reading goes on after it.
 */
final class CsvSource implements Source {
  private final List<Input> inputs;
  private final char delimiter;
  private final boolean allowShortRows;
  private int index = -1;
  private CsvRows rows;
  private String name;
  private List<String> header;

  /** Whether a message about a short row tells of allowShortRows (a source's, which has it). */
  private final boolean tellsAllowShortRows;

  CsvSource(List<Input> inputs, char delimiter, boolean allowShortRows) {
    this(inputs, delimiter, allowShortRows, true);
  }

  CsvSource(List<Input> inputs, char delimiter, boolean allowShortRows, boolean tellsAllowShortRows) {
    this.inputs = List.copyOf(inputs);
    this.delimiter = delimiter;
    this.allowShortRows = allowShortRows;
    this.tellsAllowShortRows = tellsAllowShortRows;
  }

  @Override
  public SourceBatch next(int maxRecords) throws IOException {
    while (true) {
      if (rows == null && !openNext()) return null;
      SourceBatch b = cut(maxRecords);
      if (b != null) return b;
      rows.close();
      rows = null;
    }
  }

  private boolean openNext() throws IOException {
    index++;
    if (index >= inputs.size()) return false;
    Input in = inputs.get(index);
    name = in.name();
    rows = new CsvRows(in.open(), delimiter);
    header = null;
    if (!rows.next()) {
      return true; // an empty file: no header, no records
    }
    List<String> row = rows.fields();
    if (row == null) {
      throw new IoConfigException("", name + ":1" + (rows.problemColumn() > 0 ? ":" + rows.problemColumn() : "")
          + ": cannot read the CSV header: " + rows.problem());
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

  private SourceBatch cut(int maxRecords) throws IOException {
    if (header == null) return null;
    List<JsonNode> records = new ArrayList<>();
    RecordLines lines = new RecordLines();
    List<RecordError> errors = new ArrayList<>();
    long first = -1;
    long last = -1;
    while (records.size() + errors.size() < maxRecords) {
      if (!rows.next()) {
        header = null;
        break;
      }
      long rowLine = rows.line();
      List<String> row = rows.fields();
      if (row == null) {
        String problem = rows.problem() + (rows.cutShort() ? " (the lines after line " + rows.endLine() + " are read as rows)" : "");
        errors.add(new RecordError(name, rowLine, rows.problemColumn(), problem, rows.raw()));
        if (first < 0) first = rowLine;
        last = rows.endLine();
        continue;
      }
      if (first < 0) first = rowLine;
      last = rows.endLine();
      if (row.size() != header.size() && rows.emptyLine() && header.size() > 1) continue; // an empty line: no row
      if (row.size() != header.size() && (row.size() > header.size() || !allowShortRows)) {
        // The first extra field, or the last field of a short row.
        int field = Math.min(row.size(), header.size()) - (row.size() > header.size() ? 0 : 1);
        errors.add(new RecordError(name, rowLine, rows.column(field), mismatch(row.size(), rows.laterPlace(field)),
            rows.raw()));
        continue;
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

  /**
   * Why a row of {@code fields} fields is not a record under the header, and what to do; {@code
   * later} is where the field the error names (the first extra one, or the last one) starts when
   * that is on a later line of the row than its first, which the error's place names, or null.
   */
  private String mismatch(int fields, String later) {
    String m = mismatch(fields);
    if (later == null) return m;
    return m + " (" + (fields > header.size() ? "the first extra field" : "its last field") + " starts on " + later + ")";
  }

  private String mismatch(int fields) {
    String has = "row has " + fields + (fields == 1 ? " field" : " fields") + " but the header has " + header.size();
    char d = delimiter;
    String delimiter = d == '\t' ? "a tab" : "'" + d + "'";
    if (fields > header.size()) {
      return has + " (" + names(0, header.size(), ", ") + "): a field holding " + delimiter + " must be in double quotes";
    }
    int missing = header.size() - fields;
    return has + ": " + names(fields, header.size(), " and ") + (missing == 1 ? " is" : " are") + " missing (is the row cut off?)"
        + (tellsAllowShortRows ? "; set allowShortRows: true on the source if rows may end early (missing fields are read as null)" : "");
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
    if (rows != null) {
      rows.close();
      rows = null;
    }
  }
}

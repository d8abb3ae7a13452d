package dev.wiz.io;

import java.util.List;

/**
 * How the csv sink writes a row: RFC 4180 with the pipeline's delimiter, each field quoted only
 * when a reader would otherwise read it differently, whatever the delimiter. (Jackson's CSV
 * writer, used before, quoted any field holding a character whose code is below the delimiter's,
 * so with {@code ;} every number and with {@code |} every word.)
 *
 * <p>A field is quoted when it holds the delimiter, a quote, CR or LF, or starts with a byte
 * order mark (which a reader drops at the start of a file). Spaces around a value need no quotes:
 * {@link CsvRows}, Python's csv module and spreadsheets keep them. A row of one empty field is
 * written {@code ""}, not as an empty line, which most readers skip (wiz's own reads both as one
 * empty value). Rows end with {@code \n}.
 */
final class CsvCells {
  private CsvCells() {}

  /** Whether a reader needs the field in quotes to read it back as it is. */
  static boolean needsQuotes(String field, char delimiter) {
    if (!field.isEmpty() && field.charAt(0) == '\uFEFF') return true;
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
    }
    return false;
  }

  /** Appends one row and its line end. */
  static void appendRow(StringBuilder out, List<String> fields, char delimiter) {
    if (fields.size() == 1 && fields.get(0).isEmpty()) {
      out.append("\"\"\n");
      return;
    }
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) out.append(delimiter);
      String f = fields.get(i);
      if (needsQuotes(f, delimiter)) {
        out.append('"').append(f.replace("\"", "\"\"")).append('"');
      } else {
        out.append(f);
      }
    }
    out.append('\n');
  }
}

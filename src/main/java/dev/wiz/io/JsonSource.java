package dev.wiz.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code json}: each input is one JSON array (each element a record) or one other value (one
 * record). Streamed with a Jackson parser, never loaded whole. A value that is not JSON, content
 * after it, and an input that ends inside the array are record errors at their line. An array
 * element the parser rejects fails reading instead, naming the place: a parser cannot tell where
 * a malformed element ends (a stray quote changes what every later bracket means), so the
 * elements after it cannot be read exactly, and leaving them out quietly would lose them. The
 * elements before it are still given, in a batch of their own.
 */
final class JsonSource implements Source {
  private final List<Input> inputs;
  private int index = -1;
  private JsonParser parser;
  private String name;
  private boolean inArray;

  JsonSource(List<Input> inputs) {
    this.inputs = List.copyOf(inputs);
  }

  /** Why the current input cannot be read any further, once the elements before the problem were given. */
  private String unreadable;

  @Override
  public SourceBatch next(int maxRecords) throws IOException {
    if (unreadable != null) throw new IOException(unreadable);
    while (true) {
      if (parser == null && !openNext()) return null;
      SourceBatch b = cut(maxRecords);
      if (b != null) return b;
      closeCurrent();
    }
  }

  private boolean openNext() throws IOException {
    index++;
    if (index >= inputs.size()) return false;
    Input in = inputs.get(index);
    name = in.name();
    recent = new RecentBytes(in.open());
    parser = Json.mapper().getFactory().createParser(recent);
    inArray = false;
    started = false;
    try {
      JsonToken t = parser.nextToken();
      if (t == JsonToken.START_ARRAY) {
        inArray = true;
      }
    } catch (ReadCancelledException | BrokenInputException e) {
      throw e; // not a problem of the JSON: the run stops
    } catch (IOException e) {
      if (recent.onlyByteOrderMark()) {
        // An empty input but for its byte order mark, which the parser skips only with more after it:
        // no value, as an empty input has none.
        started = true;
      } else {
        pendingError = error(e);
      }
    }
    return true;
  }

  private RecordError pendingError;
  /** The last bytes the parser read, to show an error in the text of its line. */
  private RecentBytes recent;
  private boolean started;

  private long line() {
    return parser.currentTokenLocation().getLineNr();
  }

  private SourceBatch cut(int maxRecords) throws IOException {
    if (pendingError != null) {
      RecordError e = pendingError;
      pendingError = null;
      parser.close();
      parser = null;
      return ParsedBatch.errors(name, e.line(), List.of(e));
    }
    List<JsonNode> records = new ArrayList<>();
    RecordLines lines = new RecordLines();
    long first = -1;
    long last = -1;
    boolean after = false; // looking past the whole array or value, where nothing but white space may follow
    try {
      if (!inArray) {
        if (started || parser.currentToken() == null) return null;
        started = true;
        first = line();
        JsonNode v = TreeReader.read(parser);
        records.add(v);
        lines.add(first, first);
        last = parser.currentLocation().getLineNr();
        after = true;
        if (parser.nextToken() != null) {
          // What follows cannot be told apart any better than after a bad array element: the run
          // fails rather than drop it as one bad record.
          unreadable = name + ":" + line() + ":" + column() + ": more than one JSON value at the top level: a json input"
              + " is one array or one value; for one value per line use format: jsonl";
        }
        return new ParsedBatch(name, first, last, records, lines.toArray(), List.of());
      }
      while (records.size() < maxRecords) {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY || t == null) {
          inArray = false;
          started = true;
          after = t == JsonToken.END_ARRAY;
          if (t == JsonToken.END_ARRAY && parser.nextToken() != null) {
            unreadable = name + ":" + line() + ":" + column() + ": more JSON after the closing ']' of the array: a json"
                + " input is one array or one value; for one value per line use format: jsonl";
          }
          break;
        }
        long at = line();
        if (first < 0) first = at;
        JsonNode v = TreeReader.read(parser);
        records.add(v);
        lines.add(at, first); // where the element starts
        last = parser.currentLocation().getLineNr();
      }
    } catch (ReadCancelledException | BrokenInputException e) {
      throw e; // not a problem of the JSON (a cancelled read, a gzip file cut short, a file changed): the run stops
    } catch (IOException e) {
      if (after) {
        // Text after the whole array or value: like more JSON there, it fails the run, since what
        // follows (the rest of a second array, say) cannot be told apart.
        JsonErrors.Problem p = JsonErrors.ofInput(e, at(e), recent);
        unreadable = name + ":" + (at(e).getLineNr() - p.linesBack()) + (p.column() > 0 ? ":" + p.column() : "") + ": "
            + p.message();
        if (records.isEmpty()) throw new IOException(unreadable, e);
        return new ParsedBatch(name, first, last, records, lines.toArray(), List.of());
      }
      if (inArray && !endOfInput(e)) {
        // Inside the array and not at its end: elements may follow that cannot be told apart.
        unreadable = unreadableAfter(e);
        inArray = false;
        started = true;
        if (records.isEmpty()) throw new IOException(unreadable, e);
        return new ParsedBatch(name, first, last, records, lines.toArray(), List.of());
      }
      RecordError err = error(e);
      inArray = false;
      started = true;
      if (records.isEmpty()) {
        parser.close();
        parser = null;
        return ParsedBatch.errors(name, err.line(), List.of(err));
      }
      pendingError = err;
    }
    // Content after the array found with no record left to return: report it now, before the
    // caller closes this input (a pending error must never outlive its own file).
    if (records.isEmpty() && unreadable != null) throw new IOException(unreadable);
    if (records.isEmpty()) return pendingError == null ? null : cut(maxRecords);
    return new ParsedBatch(name, first, last, records, lines.toArray(), List.of());
  }

  /**
   * Whether the input ended inside the array (a file cut off), also just after a comma, where the
   * parser says so without a {@link JsonEOFException}: nothing follows that could be lost.
   */
  private static boolean endOfInput(IOException e) {
    if (e instanceof JsonEOFException) return true;
    String m = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
    return m != null && m.startsWith("Unexpected end-of-input");
  }

  /** {@code name:line:column: ...}: where the parser gave up on an element, and what to do. */
  private String unreadableAfter(IOException e) {
    JsonErrors.Problem p = JsonErrors.ofInput(e, at(e), recent);
    return name + ":" + (at(e).getLineNr() - p.linesBack()) + (p.column() > 0 ? ":" + p.column() : "") + ": the rest of the file cannot "
        + "be read after this array element (" + p.message() + "); fix the element and run again";
  }

  /** The record error for {@code e}, at its line and column. */
  private RecordError error(IOException e) {
    JsonErrors.Problem p = JsonErrors.ofInput(e, at(e), recent);
    return new RecordError(name, at(e).getLineNr() - p.linesBack(), p.column(), p.message(), null);
  }

  /** Where the parser stopped on {@code e}. */
  private JsonLocation at(IOException e) {
    return e instanceof JsonProcessingException && ((JsonProcessingException) e).getLocation() != null
        ? ((JsonProcessingException) e).getLocation()
        : parser.currentLocation();
  }

  /** The column, in characters, of the current token. */
  private int column() {
    return JsonErrors.column(parser.currentTokenLocation(), recent);
  }

  @Override
  public List<InputFile> inputs() {
    return Input.fingerprints(inputs);
  }

  private void closeCurrent() throws IOException {
    if (parser != null) {
      parser.close();
      parser = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeCurrent();
  }
}

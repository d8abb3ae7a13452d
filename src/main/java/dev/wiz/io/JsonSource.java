package dev.wiz.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code json}: each input is one JSON array (each element a record) or one other value (one
 * record). Streamed with a Jackson parser, never loaded whole. Malformed JSON is a record error at
 * its line, and reading that input ends there.
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

  @Override
  public SourceBatch next(int maxRecords) throws IOException {
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
    parser = Json.mapper().getFactory().createParser(in.open());
    inArray = false;
    try {
      JsonToken t = parser.nextToken();
      if (t == JsonToken.START_ARRAY) {
        inArray = true;
      }
    } catch (ReadCancelledException e) {
      throw e;
    } catch (IOException e) {
      pendingError = new RecordError(name, line(), Errors.message(e), null);
    }
    started = false;
    return true;
  }

  private RecordError pendingError;
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
      return new ParsedBatch(name, e.line(), e.line(), List.of(), List.of(e));
    }
    List<JsonNode> records = new ArrayList<>();
    long first = -1;
    long last = -1;
    try {
      if (!inArray) {
        if (started || parser.currentToken() == null) return null;
        started = true;
        first = line();
        JsonNode v = TreeReader.read(parser);
        records.add(v);
        last = parser.currentLocation().getLineNr();
        if (parser.nextToken() != null) {
          pendingError = new RecordError(name, line(), "more than one JSON value at the top level (use format jsonl for one value per line)", null);
        }
        return new ParsedBatch(name, first, last, records, List.of());
      }
      while (records.size() < maxRecords) {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY || t == null) {
          if (t == JsonToken.END_ARRAY && parser.nextToken() != null) {
            pendingError = new RecordError(name, line(), "unexpected content after the closing ']'", null);
          }
          inArray = false;
          started = true;
          break;
        }
        long at = line();
        if (first < 0) first = at;
        JsonNode v = TreeReader.read(parser);
        records.add(v);
        last = parser.currentLocation().getLineNr();
      }
    } catch (ReadCancelledException e) {
      throw e; // not the input's fault: the run stops
    } catch (IOException e) {
      RecordError err = new RecordError(name, parser.currentLocation().getLineNr(), Errors.message(e), null);
      inArray = false;
      started = true;
      if (records.isEmpty()) {
        parser.close();
        parser = null;
        return new ParsedBatch(name, err.line(), err.line(), List.of(), List.of(err));
      }
      pendingError = err;
    }
    // Content after the array found with no record left to return: report it now, before the
    // caller closes this input (a pending error must never outlive its own file).
    if (records.isEmpty()) return pendingError == null ? null : cut(maxRecords);
    return new ParsedBatch(name, first, last, records, List.of());
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

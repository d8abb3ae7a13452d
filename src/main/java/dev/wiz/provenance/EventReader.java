package dev.wiz.provenance;

import static dev.wiz.ExactJson.DECLINED;
import static dev.wiz.ExactJson.fields;
import static dev.wiz.ExactJson.index;
import static dev.wiz.ExactJson.integral;
import static dev.wiz.ExactJson.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.wiz.ExactJson.Declined;
import dev.wiz.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads provenance events, one line at a time, as databind reads them into {@link Event}, but
 * without databind's reflection for the lines wiz writes: every field of the JSON type the log
 * writes, none unknown or repeated, nothing after the object. Anything else (an edited or torn
 * line) is read by databind, which gives the event or the exception it always gave. The provenance
 * commands read every event of a log, and a resumed run the last ones; databind built its
 * deserializers by reflection at the first and called each record's constructor through
 * reflection for every event.
 */
public final class EventReader {
  private ObjectReader databind;

  /** The event the bytes hold; an {@link IOException} when they hold none, as databind says. */
  public Event read(byte[] bytes, int offset, int length) throws IOException {
    Event e = fast(Json.mapper().createParser(bytes, offset, length));
    return e != null ? e : databind().readValue(bytes, offset, length);
  }

  /** The event the line holds; an {@link IOException} when it holds none, as databind says. */
  public Event read(String line) throws IOException {
    Event e = fast(Json.mapper().createParser(line));
    return e != null ? e : databind().readValue(line);
  }

  /**
   * The type of the event on a line, read no further than its {@code type}: null when the line
   * does not get that far as an object of an event, or names no type wiz knows (then only reading
   * all of it tells). A reader that wants no event of the type leaves the line there.
   */
  static EventType type(byte[] bytes, int offset, int length) {
    try (JsonParser p = Json.mapper().createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean type = "type".equals(p.currentName());
        JsonToken t = p.nextToken();
        if (type) {
          if (t != JsonToken.VALUE_STRING) return null;
          String name = p.getText();
          for (EventType k : TYPES) {
            if (k.name().equals(name)) return k;
          }
          return null;
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private ObjectReader databind() {
    if (databind == null) databind = Json.mapper().readerFor(Event.class);
    return databind;
  }

  private static final String[] FIELDS = {
    "v", "seq", "id", "time", "run", "request", "chunk", "parents", "children", "type", "processor",
    "state", "recordsIn", "recordsOut", "inputDigest", "outputDigest", "seed", "durationMicros",
    "error", "source", "sink", "committedBy", "prev", "hash", "deadLetters", "filtered", "created"
  };

  private static final EventType[] TYPES = EventType.values();

  /** The event, read without databind; null when the line is not one as the log writes it. */
  static Event fast(JsonParser p) {
    try (p) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      int v = 0;
      Long seq = null;
      Long seed = null;
      Long durationMicros = null;
      Integer recordsIn = null;
      Integer recordsOut = null;
      Integer filtered = null;
      Integer created = null;
      String[] s = new String[FIELDS.length];
      List<String> parents = null;
      List<String> children = null;
      EventType type = null;
      Event.ProcessorRef processor = null;
      Event.StateChange state = null;
      Event.SourceRef source = null;
      Event.SinkRef sink = null;
      Event.DeadLetterRef deadLetters = null;
      long seen = 0;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        int i = index(FIELDS, p.currentName());
        if (i < 0 || (seen & (1L << i)) != 0) return null;
        seen |= 1L << i;
        p.nextToken();
        switch (i) {
          case 0 -> v = (int) integral(p, true);
          case 1 -> seq = nullOr(p) ? null : integral(p, false);
          case 7 -> parents = strings(p);
          case 8 -> children = strings(p);
          case 9 -> type = type(p);
          case 10 -> processor = processor(p);
          case 11 -> state = state(p);
          case 12 -> recordsIn = nullOr(p) ? null : (int) integral(p, true);
          case 13 -> recordsOut = nullOr(p) ? null : (int) integral(p, true);
          case 16 -> seed = nullOr(p) ? null : integral(p, false);
          case 17 -> durationMicros = nullOr(p) ? null : integral(p, false);
          case 19 -> source = source(p);
          case 20 -> sink = sink(p);
          case 24 -> deadLetters = deadLetters(p);
          case 25 -> filtered = nullOr(p) ? null : (int) integral(p, true);
          case 26 -> created = nullOr(p) ? null : (int) integral(p, true);
          default -> s[i] = string(p);
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) return null;
      return new Event(v, seq, s[2], s[3], s[4], s[5], s[6], parents, children, type, processor, state, recordsIn,
          recordsOut, filtered, created, s[14], s[15], seed, durationMicros, s[18], source, sink, deadLetters, s[21], s[22], s[23]);
    } catch (Declined | IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean nullOr(JsonParser p) {
    return p.currentToken() == JsonToken.VALUE_NULL;
  }

  private static List<String> strings(JsonParser p) throws IOException, Declined {
    if (nullOr(p)) return null;
    if (p.currentToken() != JsonToken.START_ARRAY) throw DECLINED;
    List<String> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) list.add(string(p));
    return list;
  }

  private static EventType type(JsonParser p) throws IOException, Declined {
    if (nullOr(p)) return null;
    String name = string(p);
    for (EventType t : TYPES) {
      if (t.name().equals(name)) return t;
    }
    throw DECLINED;
  }

  /**
   * The fields of a nested record, by the index of their names: the first {@code strings} are
   * strings (or null), the others integers written as numbers (missing is 0, as databind reads a
   * missing long). A null object gives null.
   */
  private static Object[] object(JsonParser p, String[] names, int strings) throws IOException, Declined {
    if (nullOr(p)) return null;
    if (p.currentToken() != JsonToken.START_OBJECT) throw DECLINED;
    Object[] values = new Object[names.length];
    for (int i = strings; i < names.length; i++) values[i] = 0L;
    fields(p, names, i -> values[i] = i < strings ? string(p) : (Object) integral(p, false));
    return values;
  }

  private static final String[] PROCESSOR = {"id", "type", "version", "configDigest"};
  private static final String[] STATE = {"from", "event", "to"};
  private static final String[] SOURCE = {"file", "firstLine", "lastLine"};
  private static final String[] SINK = {"target", "offset", "bytes", "text"};

  private static Event.ProcessorRef processor(JsonParser p) throws IOException, Declined {
    Object[] v = object(p, PROCESSOR, 4);
    return v == null ? null : new Event.ProcessorRef((String) v[0], (String) v[1], (String) v[2], (String) v[3]);
  }

  private static Event.StateChange state(JsonParser p) throws IOException, Declined {
    Object[] v = object(p, STATE, 3);
    return v == null ? null : new Event.StateChange((String) v[0], (String) v[1], (String) v[2]);
  }

  private static Event.SourceRef source(JsonParser p) throws IOException, Declined {
    Object[] v = object(p, SOURCE, 1);
    return v == null ? null : new Event.SourceRef((String) v[0], (Long) v[1], (Long) v[2]);
  }

  private static final String[] DEAD_LETTERS = {"digest", "offset", "bytes"};

  private static Event.DeadLetterRef deadLetters(JsonParser p) throws IOException, Declined {
    Object[] v = object(p, DEAD_LETTERS, 1);
    return v == null ? null : new Event.DeadLetterRef((Long) v[1], (Long) v[2], (String) v[0]);
  }

  private static final String[] SINK_TEXT = {"digest", "bytes"};

  private static Event.SinkRef sink(JsonParser p) throws IOException, Declined {
    if (nullOr(p)) return null;
    if (p.currentToken() != JsonToken.START_OBJECT) throw DECLINED;
    Object[] v = {null, 0L, 0L, null};
    fields(p, SINK, i -> v[i] = i == 0 ? string(p) : i == 3 ? text(p) : (Object) integral(p, false));
    return new Event.SinkRef((String) v[0], (Long) v[1], (Long) v[2], (Event.SinkText) v[3]);
  }

  /** The text a gzip member holds ({@code sink.text}). */
  private static Event.SinkText text(JsonParser p) throws IOException, Declined {
    Object[] v = object(p, SINK_TEXT, 1);
    return v == null ? null : new Event.SinkText((Long) v[1], (String) v[0]);
  }
}

package dev.wiz.state;

import static dev.wiz.ExactJson.DECLINED;
import static dev.wiz.ExactJson.fields;
import static dev.wiz.ExactJson.integral;
import static dev.wiz.ExactJson.isNull;
import static dev.wiz.ExactJson.string;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.wiz.ExactJson.Declined;
import dev.wiz.Json;
import dev.wiz.engine.RunReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state files' records as JSON, written and read with Jackson's streaming API rather than
 * through databind: databind builds its serializers and deserializers of a record type by
 * reflection the first time it meets it, which cost a run about 40 ms at start (a lock holder,
 * a request record and a run record written and read once each; bench/README.md).
 *
 * <p>The writers give the bytes databind gives for the records and their annotations
 * ({@code StateJsonTest} compares them). The readers read only what wiz writes: every field of the
 * right JSON type, none unknown or repeated. For anything else they return null, and the caller
 * reads the bytes with databind, which says what is wrong ({@link BrokenStateException}).
 */
final class StateJson {
  private StateJson() {}

  /** The run record as {@code run.json} holds it: indented, as databind's default pretty printer does. */
  static String pretty(RunRecord r) {
    return pretty(g -> write(g, r));
  }

  /** The request record as {@code record.json} holds it. */
  static String pretty(RequestRecord r) {
    return pretty(g -> write(g, r));
  }

  /** The lock holder as the lock file holds it: one line. */
  static byte[] compact(RequestLock.Holder h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = Json.mapper().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("runId", h.runId());
      g.writeNumberField("pid", h.pid());
      g.writeStringField("startedAt", h.startedAt());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String pretty(Body body) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator g = Json.mapper().createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  // Writers: the order of @JsonPropertyOrder; RunRecord's own fields without nulls (NON_NULL),
  // its nested records' with them (databind's default); Attempt without its defaults (NON_DEFAULT).

  private static void write(JsonGenerator g, RunRecord r) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schema", r.schema());
    g.writeStringField("runId", r.runId());
    g.writeStringField("requestKey", r.requestKey());
    g.writeStringField("status", r.status());
    if (r.error() != null) g.writeStringField("error", r.error());
    if (r.pipeline() != null) {
      RunRecord.PipelineInfo p = r.pipeline();
      g.writeObjectFieldStart("pipeline");
      g.writeStringField("file", p.file());
      g.writeStringField("name", p.name());
      g.writeStringField("digest", p.digest());
      g.writeEndObject();
    }
    if (r.versions() != null) writeMap(g, "versions", r.versions());
    g.writeStringField("startedAt", r.startedAt());
    if (r.endedAt() != null) g.writeStringField("endedAt", r.endedAt());
    if (r.seconds() != null) g.writeNumberField("seconds", r.seconds());
    g.writeNumberField("workers", r.workers());
    g.writeNumberField("chunkRecords", r.chunkRecords());
    if (r.onError() != null) g.writeStringField("onError", r.onError());
    g.writeNumberField("seed", r.seed());
    g.writeNumberField("pid", r.pid());
    if (r.inputs() != null) {
      g.writeArrayFieldStart("inputs");
      for (RunRecord.Input i : r.inputs()) {
        g.writeStartObject();
        g.writeStringField("name", i.name());
        g.writeStringField("path", i.path());
        g.writeNumberField("size", i.size());
        g.writeNumberField("modified", i.modified());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (r.references() != null) {
      g.writeArrayFieldStart("references");
      for (RunRecord.Reference f : r.references()) {
        g.writeStartObject();
        g.writeStringField("processor", f.processor());
        g.writeStringField("name", f.name());
        g.writeStringField("path", f.path());
        g.writeNumberField("bytes", f.bytes());
        g.writeStringField("digest", f.digest());
        g.writeNumberField("records", f.records());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (r.output() != null) {
      RunRecord.Output o = r.output();
      g.writeObjectFieldStart("output");
      g.writeStringField("target", o.target());
      g.writeNumberField("bytes", o.bytes());
      g.writeNumberField("records", o.records());
      if (o.text() != null) {
        g.writeObjectFieldStart("text");
        g.writeNumberField("bytes", o.text().bytes());
        g.writeStringField("digest", o.text().digest());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    if (r.environment() != null) writeMap(g, "environment", r.environment());
    if (r.counts() != null) {
      RunRecord.Counts c = r.counts();
      g.writeObjectFieldStart("counts");
      g.writeNumberField("chunks", c.chunks());
      g.writeNumberField("read", c.read());
      g.writeNumberField("decodeErrors", c.decodeErrors());
      g.writeNumberField("written", c.written());
      g.writeNumberField("skipped", c.skipped());
      g.writeNumberField("deadLettered", c.deadLettered());
      g.writeEndObject();
    }
    if (r.processors() != null) {
      g.writeArrayFieldStart("processors");
      for (RunReport.StepCounts s : r.processors()) {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        g.writeStringField("type", s.type());
        g.writeNumberField("chunks", s.chunks());
        g.writeNumberField("in", s.in());
        g.writeNumberField("out", s.out());
        g.writeNumberField("filtered", s.filtered());
        g.writeNumberField("created", s.created());
        g.writeNumberField("skipped", s.skipped());
        g.writeNumberField("deadLettered", s.deadLettered());
        if (s.held() != 0) g.writeNumberField("held", s.held());
        g.writeNumberField("millis", s.millis());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (r.provenance() != null) {
      RunRecord.ProvenanceInfo p = r.provenance();
      g.writeObjectFieldStart("provenance");
      g.writeStringField("file", p.file());
      g.writeNumberField("events", p.events());
      g.writeStringField("head", p.head());
      g.writeStringField("deadLetters", p.deadLetters());
      g.writeEndObject();
    }
    if (r.resumed() != null) {
      RunRecord.Resumed m = r.resumed();
      g.writeObjectFieldStart("resumed");
      g.writeStringField("fromRun", m.fromRun());
      g.writeNumberField("chunksTakenOver", m.chunksTakenOver());
      g.writeNumberField("tornBytesCut", m.tornBytesCut());
      g.writeEndObject();
    }
    if (r.partialOutput() != null) g.writeStringField("partialOutput", r.partialOutput());
    if (r.readStopped() != null) {
      RunReport.ReadStop m = r.readStopped();
      g.writeObjectFieldStart("readStopped");
      g.writeStringField("step", m.step());
      g.writeStringField("chunk", m.chunk());
      g.writeStringField("origin", m.origin());
      g.writeNumberField("line", m.line());
      g.writeNumberField("records", m.records());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void writeMap(JsonGenerator g, String name, Map<String, String> map) throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> e : map.entrySet()) g.writeStringField(e.getKey(), e.getValue());
    g.writeEndObject();
  }

  private static void write(JsonGenerator g, RequestRecord r) throws IOException {
    g.writeStartObject();
    g.writeNumberField("schema", r.schema());
    g.writeStringField("key", r.key());
    g.writeStringField("pipeline", r.pipeline());
    g.writeStringField("status", r.status());
    g.writeArrayFieldStart("attempts");
    for (RequestRecord.Attempt a : r.attempts()) {
      g.writeStartObject();
      nonDefault(g, "runId", a.runId());
      nonDefault(g, "status", a.status());
      nonDefault(g, "startedAt", a.startedAt());
      nonDefault(g, "endedAt", a.endedAt());
      nonDefault(g, "error", a.error());
      if (a.forced()) g.writeBooleanField("forced", true);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A string of a NON_DEFAULT record: left out when null or empty, as databind does. */
  private static void nonDefault(JsonGenerator g, String name, String value) throws IOException {
    if (value != null && !value.isEmpty()) g.writeStringField(name, value);
  }

  // Readers.

  /**
   * The record of this type the bytes hold, when they hold one exactly as wiz writes it (one JSON
   * object, nothing after it); otherwise null.
   */
  static <T> T read(byte[] bytes, Class<T> type) {
    try (JsonParser p = Json.mapper().createParser(bytes)) {
      Object value;
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      if (type == RunRecord.class) {
        value = runRecord(p);
      } else if (type == RequestRecord.class) {
        value = requestRecord(p);
      } else if (type == RequestLock.Holder.class) {
        value = holder(p);
      } else {
        return null;
      }
      if (p.nextToken() != null) return null;
      return type.cast(value);
    } catch (Declined | IOException | IllegalArgumentException e) {
      // Not what wiz writes (a record's own checks refuse it, or the JSON is broken).
      return null;
    }
  }

  private static long number(JsonParser p) throws Declined, IOException {
    return integral(p, false);
  }

  private static int integer(JsonParser p) throws Declined, IOException {
    return (int) integral(p, true);
  }

  private static Double decimal(JsonParser p) throws Declined, IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) return null;
    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) throw DECLINED;
    double d = p.getDoubleValue();
    if (!Double.isFinite(d)) throw DECLINED;
    return d;
  }

  private static boolean bool(JsonParser p) throws Declined {
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) throw DECLINED;
    return t == JsonToken.VALUE_TRUE;
  }

  /** An object of strings (or nulls), in its order; null for null. */
  private static Map<String, String> map(JsonParser p) throws Declined, IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) return null;
    if (p.currentToken() != JsonToken.START_OBJECT) throw DECLINED;
    Map<String, String> m = new LinkedHashMap<>();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      if (m.containsKey(key)) throw DECLINED;
      m.put(key, string(p));
    }
    if (t != JsonToken.END_OBJECT) throw DECLINED;
    return m;
  }

  private static final String[] RUN_FIELDS = {
    "schema", "runId", "requestKey", "status", "error", "pipeline", "versions", "startedAt", "endedAt",
    "seconds", "workers", "chunkRecords", "onError", "seed", "pid", "inputs", "output", "environment", "counts",
    "processors", "provenance", "resumed", "partialOutput", "readStopped", "references"
  };

  private static RunRecord runRecord(JsonParser p) throws IOException, Declined {
    Object[] v = new Object[RUN_FIELDS.length];
    fields(p, RUN_FIELDS, i -> v[i] = switch (i) {
      case 0, 10, 11 -> integer(p);
      case 13, 14 -> number(p);
      case 5 -> pipelineInfo(p);
      case 6, 17 -> map(p);
      case 9 -> decimal(p);
      case 15 -> inputs(p);
      case 16 -> output(p);
      case 18 -> counts(p);
      case 19 -> stepCounts(p);
      case 20 -> provenanceInfo(p);
      case 21 -> resumed(p);
      case 23 -> readStopped(p);
      case 24 -> references(p);
      default -> string(p);
    });
    @SuppressWarnings("unchecked")
    RunRecord r = new RunRecord(intOf(v[0]), (String) v[1], (String) v[2], (String) v[3], (String) v[4],
        (RunRecord.PipelineInfo) v[5], (Map<String, String>) v[6], (String) v[7], (String) v[8], (Double) v[9],
        intOf(v[10]), intOf(v[11]), (String) v[12], longOf(v[13]), longOf(v[14]), (List<RunRecord.Input>) v[15],
        (RunRecord.Output) v[16], (Map<String, String>) v[17], (RunRecord.Counts) v[18],
        (List<RunReport.StepCounts>) v[19], (RunRecord.ProvenanceInfo) v[20], (RunRecord.Resumed) v[21],
        (String) v[22], (RunReport.ReadStop) v[23], (List<RunRecord.Reference>) v[24]);
    return r;
  }

  private static int intOf(Object o) {
    return o == null ? 0 : (Integer) o;
  }

  private static long longOf(Object o) {
    return o == null ? 0 : (Long) o;
  }

  private static boolean boolOf(Object o) {
    return o != null && (Boolean) o;
  }

  private static RunRecord.PipelineInfo pipelineInfo(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    String[] v = new String[3];
    fields(p, new String[] {"file", "name", "digest"}, i -> v[i] = string(p));
    return new RunRecord.PipelineInfo(v[0], v[1], v[2]);
  }

  private static List<RunRecord.Input> inputs(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_ARRAY)) return null;
    List<RunRecord.Input> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (isNull(p, JsonToken.START_OBJECT)) throw DECLINED; // the record's own check would refuse it
      Object[] v = new Object[4];
      fields(p, new String[] {"name", "path", "size", "modified"}, i -> v[i] = i < 2 ? string(p) : number(p));
      list.add(new RunRecord.Input((String) v[0], (String) v[1], longOf(v[2]), longOf(v[3])));
    }
    return list;
  }

  private static List<RunRecord.Reference> references(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_ARRAY)) return null;
    List<RunRecord.Reference> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (isNull(p, JsonToken.START_OBJECT)) throw DECLINED; // the record's own check would refuse it
      Object[] v = new Object[6];
      fields(p, new String[] {"processor", "name", "path", "bytes", "digest", "records"},
          i -> v[i] = i == 3 || i == 5 ? number(p) : string(p));
      if (v[0] == null || v[1] == null || v[4] == null) throw DECLINED; // databind says what is missing
      list.add(new RunRecord.Reference((String) v[0], (String) v[1], (String) v[2], longOf(v[3]), (String) v[4],
          longOf(v[5])));
    }
    return list;
  }

  private static RunRecord.Output output(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    Object[] v = new Object[4];
    fields(p, new String[] {"target", "bytes", "records", "text"},
        i -> v[i] = i == 0 ? string(p) : i == 3 ? text(p) : number(p));
    return new RunRecord.Output((String) v[0], longOf(v[1]), longOf(v[2]), (RunRecord.Text) v[3]);
  }

  private static RunRecord.Text text(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    Object[] v = new Object[2];
    fields(p, new String[] {"bytes", "digest"}, i -> v[i] = i == 0 ? number(p) : string(p));
    return new RunRecord.Text(longOf(v[0]), (String) v[1]);
  }

  private static RunRecord.Counts counts(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    long[] v = new long[6];
    fields(p, new String[] {"chunks", "read", "decodeErrors", "written", "skipped", "deadLettered"},
        i -> v[i] = number(p));
    return new RunRecord.Counts(v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  private static final String[] STEP_FIELDS = {
    "id", "type", "chunks", "in", "out", "filtered", "created", "skipped", "deadLettered", "millis", "held"
  };

  private static List<RunReport.StepCounts> stepCounts(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_ARRAY)) return null;
    List<RunReport.StepCounts> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (isNull(p, JsonToken.START_OBJECT)) throw DECLINED;
      String[] s = new String[2];
      long[] n = new long[STEP_FIELDS.length];
      fields(p, STEP_FIELDS, i -> {
        if (i < 2) s[i] = string(p); else n[i] = number(p);
      });
      list.add(new RunReport.StepCounts(s[0], s[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[10], n[9]));
    }
    return list;
  }

  private static RunRecord.ProvenanceInfo provenanceInfo(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    Object[] v = new Object[4];
    fields(p, new String[] {"file", "events", "head", "deadLetters"}, i -> v[i] = i == 1 ? number(p) : string(p));
    return new RunRecord.ProvenanceInfo((String) v[0], longOf(v[1]), (String) v[2], (String) v[3]);
  }

  private static RunRecord.Resumed resumed(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    Object[] v = new Object[3];
    fields(p, new String[] {"fromRun", "chunksTakenOver", "tornBytesCut"}, i -> v[i] = i == 0 ? string(p) : number(p));
    return new RunRecord.Resumed((String) v[0], longOf(v[1]), longOf(v[2]));
  }

  private static RunReport.ReadStop readStopped(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_OBJECT)) return null;
    Object[] v = new Object[5];
    fields(p, new String[] {"step", "chunk", "origin", "line", "records"}, i -> v[i] = i < 3 ? string(p) : number(p));
    return new RunReport.ReadStop((String) v[0], (String) v[1], (String) v[2], longOf(v[3]), longOf(v[4]));
  }

  private static RequestRecord requestRecord(JsonParser p) throws IOException, Declined {
    Object[] v = new Object[5];
    fields(p, new String[] {"schema", "key", "pipeline", "status", "attempts"}, i -> v[i] = switch (i) {
      case 0 -> integer(p);
      case 4 -> attempts(p);
      default -> string(p);
    });
    @SuppressWarnings("unchecked")
    List<RequestRecord.Attempt> attempts = (List<RequestRecord.Attempt>) v[4];
    return new RequestRecord(intOf(v[0]), (String) v[1], (String) v[2], (String) v[3], attempts);
  }

  private static List<RequestRecord.Attempt> attempts(JsonParser p) throws IOException, Declined {
    if (isNull(p, JsonToken.START_ARRAY)) return null;
    List<RequestRecord.Attempt> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (isNull(p, JsonToken.START_OBJECT)) throw DECLINED;
      Object[] v = new Object[6];
      fields(p, new String[] {"runId", "status", "startedAt", "endedAt", "error", "forced"},
          i -> v[i] = i == 5 ? (Object) bool(p) : string(p));
      list.add(new RequestRecord.Attempt((String) v[0], (String) v[1], (String) v[2], (String) v[3], (String) v[4],
          boolOf(v[5])));
    }
    return list;
  }

  private static RequestLock.Holder holder(JsonParser p) throws IOException, Declined {
    Object[] v = new Object[3];
    fields(p, new String[] {"runId", "pid", "startedAt"}, i -> v[i] = i == 1 ? number(p) : string(p));
    return new RequestLock.Holder((String) v[0], longOf(v[1]), (String) v[2]);
  }
}

package dev.wiz.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One line of {@code provenance.jsonl}. Absent fields are left out of the JSON. {@code seq},
 * {@code id}, {@code prev} and {@code hash} are set by the log when the event is appended; the
 * hash is sha-256 over the canonical JSON of the event without {@code hash}, so the events form a
 * chain. A step's {@code filtered} and {@code created} (counted per record) are there only when
 * the step did both to the chunk; logs written before wiz counted per record never have them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "v", "seq", "id", "time", "run", "request", "chunk", "parents", "children", "type", "processor",
  "state", "recordsIn", "recordsOut", "filtered", "created", "inputDigest", "outputDigest", "seed", "durationMicros",
  "error", "source", "sink", "deadLetters", "committedBy", "prev", "hash"
})
public record Event(
    int v,
    Long seq,
    String id,
    String time,
    String run,
    String request,
    String chunk,
    List<String> parents,
    List<String> children,
    EventType type,
    ProcessorRef processor,
    StateChange state,
    Integer recordsIn,
    Integer recordsOut,
    Integer filtered,
    Integer created,
    String inputDigest,
    String outputDigest,
    Long seed,
    Long durationMicros,
    String error,
    SourceRef source,
    SinkRef sink,
    DeadLetterRef deadLetters,
    String committedBy,
    String prev,
    String hash) {

  public static final int VERSION = 1;

  /** The processor a step or state change belongs to. */
  @JsonPropertyOrder({"id", "type", "version", "configDigest"})
  public record ProcessorRef(String id, String type, String version, String configDigest) {}

  /** A lifecycle transition. */
  @JsonPropertyOrder({"from", "event", "to"})
  public record StateChange(String from, String event, String to) {}

  /** Where a chunk came from. */
  @JsonPropertyOrder({"file", "firstLine", "lastLine"})
  public record SourceRef(String file, long firstLine, long lastLine) {}

  /**
   * Where a chunk's output went: the target, the byte offset in it and the length, of the bytes as
   * stored (for a gzip file: its gzip member), and when those are not the text, the text they hold.
   */
  @JsonPropertyOrder({"target", "offset", "bytes", "text"})
  public record SinkRef(String target, long offset, long bytes, @JsonInclude(JsonInclude.Include.NON_NULL) SinkText text) {
    /** Bytes stored as they are (text). */
    public SinkRef(String target, long offset, long bytes) {
      this(target, offset, bytes, null);
    }
  }

  /**
   * The text a chunk's stored bytes hold when they are not the text (a gzip member): its length and
   * sha-256, as a text sink would log them for its output.
   */
  @JsonPropertyOrder({"bytes", "digest"})
  public record SinkText(long bytes, String digest) {}

  /**
   * Where the dead letters a DEAD_LETTER event (or, in a resumed run, the dead letters a REUSED
   * chunk brought along) are in the run's {@code dead-letter.jsonl}: the byte offset, the length and
   * the sha-256 of those bytes, as a SEND's output digest is of the bytes it wrote. Absent in logs
   * written before wiz recorded it.
   */
  @JsonPropertyOrder({"offset", "bytes", "digest"})
  public record DeadLetterRef(long offset, long bytes, String digest) {}

  /** A new event of the given type for a chunk (null for run-level events); chain fields unset. */
  public static Builder of(EventType type, String chunk) {
    return new Builder(type, chunk);
  }

  /** The same event with another error text (not chained yet: it has no hash). */
  public Event withError(String newError) {
    return new Event(v, seq, id, time, run, request, chunk, parents, children, type,
        processor, state, recordsIn, recordsOut, filtered, created, inputDigest, outputDigest, seed, durationMicros,
        newError, source, sink, deadLetters, committedBy, prev, hash);
  }

  /** The same event with its place in the chain. */
  public Event chained(long newSeq, String newId, String newTime, String newRun, String newRequest, String newPrev, String newHash) {
    return new Event(v, newSeq, newId, newTime, newRun, newRequest, chunk, parents, children, type,
        processor, state, recordsIn, recordsOut, filtered, created, inputDigest, outputDigest, seed, durationMicros,
        error, source, sink, deadLetters, committedBy, newPrev, newHash);
  }

  /** The same event without its hash (what the hash is computed over). */
  public Event withoutHash() {
    return chained(seq, id, time, run, request, prev, null);
  }

  /**
   * Writes the event as one JSON object, absent fields left out (inside the nested records they
   * are written as null, as Jackson does): in the order of the log, or with
   * {@code canonical} in alphabetical order at every level (the form the hash is over). The same
   * bytes Jackson gives for the record (and, canonical, for its tree with sorted keys), written
   * without the reflection Jackson needs the first time it meets a record type, and without
   * allocating: the log writes two forms of every event on the sink thread.
   */
  public void writeTo(JsonGenerator g, boolean canonical) throws IOException {
    g.writeStartObject();
    for (Field f : canonical ? Field.ALPHABETICAL : Field.LOG_ORDER) {
      if (f.value.apply(this) == null) continue;
      g.writeFieldName(f.name);
      f.writer.write(this, g, canonical);
    }
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, List<String> values) throws IOException {
    g.writeStartArray();
    for (String s : values) g.writeString(s);
    g.writeEndArray();
  }

  private interface Writer {
    void write(Event e, JsonGenerator g, boolean canonical) throws IOException;
  }

  /** A top-level field: its name, its value (null when absent) and how it is written. */
  private static final class Field {
    /** In the order of the log, which is that of {@link JsonPropertyOrder} above. */
    static final Field[] LOG_ORDER = {
      new Field("v", e -> e.v, (e, g, c) -> g.writeNumber(e.v)),
      new Field("seq", Event::seq, (e, g, c) -> g.writeNumber(e.seq)),
      new Field("id", Event::id, (e, g, c) -> g.writeString(e.id)),
      new Field("time", Event::time, (e, g, c) -> g.writeString(e.time)),
      new Field("run", Event::run, (e, g, c) -> g.writeString(e.run)),
      new Field("request", Event::request, (e, g, c) -> g.writeString(e.request)),
      new Field("chunk", Event::chunk, (e, g, c) -> g.writeString(e.chunk)),
      new Field("parents", Event::parents, (e, g, c) -> strings(g, e.parents)),
      new Field("children", Event::children, (e, g, c) -> strings(g, e.children)),
      new Field("type", Event::type, (e, g, c) -> g.writeString(e.type.name())),
      new Field("processor", Event::processor, (e, g, c) -> {
        ProcessorRef p = e.processor;
        g.writeStartObject();
        if (c) g.writeStringField("configDigest", p.configDigest());
        g.writeStringField("id", p.id());
        g.writeStringField("type", p.type());
        g.writeStringField("version", p.version());
        if (!c) g.writeStringField("configDigest", p.configDigest());
        g.writeEndObject();
      }),
      new Field("state", Event::state, (e, g, c) -> {
        StateChange s = e.state;
        g.writeStartObject();
        if (c) g.writeStringField("event", s.event());
        g.writeStringField("from", s.from());
        if (!c) g.writeStringField("event", s.event());
        g.writeStringField("to", s.to());
        g.writeEndObject();
      }),
      new Field("recordsIn", Event::recordsIn, (e, g, c) -> g.writeNumber(e.recordsIn)),
      new Field("recordsOut", Event::recordsOut, (e, g, c) -> g.writeNumber(e.recordsOut)),
      new Field("filtered", Event::filtered, (e, g, c) -> g.writeNumber(e.filtered)),
      new Field("created", Event::created, (e, g, c) -> g.writeNumber(e.created)),
      new Field("inputDigest", Event::inputDigest, (e, g, c) -> g.writeString(e.inputDigest)),
      new Field("outputDigest", Event::outputDigest, (e, g, c) -> g.writeString(e.outputDigest)),
      new Field("seed", Event::seed, (e, g, c) -> g.writeNumber(e.seed)),
      new Field("durationMicros", Event::durationMicros, (e, g, c) -> g.writeNumber(e.durationMicros)),
      new Field("error", Event::error, (e, g, c) -> g.writeString(e.error)),
      new Field("source", Event::source, (e, g, c) -> {
        // file, firstLine, lastLine: alphabetical already
        g.writeStartObject();
        g.writeStringField("file", e.source.file());
        g.writeNumberField("firstLine", e.source.firstLine());
        g.writeNumberField("lastLine", e.source.lastLine());
        g.writeEndObject();
      }),
      new Field("sink", Event::sink, (e, g, c) -> {
        SinkRef s = e.sink;
        g.writeStartObject();
        if (c) {
          g.writeNumberField("bytes", s.bytes());
          g.writeNumberField("offset", s.offset());
          g.writeStringField("target", s.target());
        } else {
          g.writeStringField("target", s.target());
          g.writeNumberField("offset", s.offset());
          g.writeNumberField("bytes", s.bytes());
        }
        if (s.text() != null) {
          // last in both orders; its own fields (bytes, digest) are alphabetical already
          g.writeFieldName("text");
          g.writeStartObject();
          g.writeNumberField("bytes", s.text().bytes());
          g.writeStringField("digest", s.text().digest());
          g.writeEndObject();
        }
        g.writeEndObject();
      }),
      new Field("deadLetters", Event::deadLetters, (e, g, c) -> {
        DeadLetterRef d = e.deadLetters;
        g.writeStartObject();
        if (c) {
          g.writeNumberField("bytes", d.bytes());
          g.writeStringField("digest", d.digest());
          g.writeNumberField("offset", d.offset());
        } else {
          g.writeNumberField("offset", d.offset());
          g.writeNumberField("bytes", d.bytes());
          g.writeStringField("digest", d.digest());
        }
        g.writeEndObject();
      }),
      new Field("committedBy", Event::committedBy, (e, g, c) -> g.writeString(e.committedBy)),
      new Field("prev", Event::prev, (e, g, c) -> g.writeString(e.prev)),
      new Field("hash", Event::hash, (e, g, c) -> g.writeString(e.hash)),
    };

    /** The same fields sorted by name, as the canonical form has them. */
    static final Field[] ALPHABETICAL = sorted(LOG_ORDER);

    final SerializedString name;
    final Function<Event, Object> value;
    final Writer writer;

    private Field(String name, Function<Event, Object> value, Writer writer) {
      this.name = new SerializedString(name);
      this.value = value;
      this.writer = writer;
    }

    private static Field[] sorted(Field[] fields) {
      Field[] out = fields.clone();
      Arrays.sort(out, Comparator.comparing(f -> f.name.getValue()));
      return out;
    }
  }

  /** Fills the fields of an event; the log adds the chain fields. */
  public static final class Builder {
    private final EventType type;
    private final String chunk;
    private List<String> parents;
    private List<String> children;
    private ProcessorRef processor;
    private StateChange state;
    private Integer recordsIn;
    private Integer recordsOut;
    private Integer filtered;
    private Integer created;
    private String inputDigest;
    private String outputDigest;
    private Long seed;
    private Long durationMicros;
    private String error;
    private SourceRef source;
    private SinkRef sink;
    private DeadLetterRef deadLetters;
    private String committedBy;

    private Builder(EventType type, String chunk) {
      this.type = type;
      this.chunk = chunk;
    }

    public Builder parents(List<String> v) { this.parents = List.copyOf(v); return this; }
    public Builder children(List<String> v) { this.children = List.copyOf(v); return this; }
    public Builder processor(ProcessorRef v) { this.processor = v; return this; }
    public Builder state(StateChange v) { this.state = v; return this; }
    public Builder records(int in, int out) { this.recordsIn = in; this.recordsOut = out; return this; }
    public Builder recordsOut(int out) { this.recordsOut = out; return this; }
    /**
     * What a step filtered and created of the chunk, counted per record: logged only when it did
     * both (an explode of empty and long arrays), since otherwise records in less out less
     * rejected says it.
     */
    public Builder filteredCreated(long f, long c) {
      boolean both = f > 0 && c > 0;
      this.filtered = both ? (int) Math.min(Integer.MAX_VALUE, f) : null;
      this.created = both ? (int) Math.min(Integer.MAX_VALUE, c) : null;
      return this;
    }
    public Builder digests(String in, String out) { this.inputDigest = in; this.outputDigest = out; return this; }
    public Builder outputDigest(String out) { this.outputDigest = out; return this; }
    public Builder seed(long v) { this.seed = v; return this; }
    public Builder durationMicros(long v) { this.durationMicros = v; return this; }
    public Builder error(String v) { this.error = v; return this; }
    public Builder source(SourceRef v) { this.source = v; return this; }
    public Builder sink(SinkRef v) { this.sink = v; return this; }
    /** Where the event's dead letters were written (see {@link DeadLetterRef}). */
    public Builder deadLetters(DeadLetterRef v) { this.deadLetters = v; return this; }
    /** For REUSED: the run that committed the chunk a resumed run took over. */
    public Builder committedBy(String runId) { this.committedBy = runId; return this; }

    public Event build() {
      return new Event(VERSION, null, null, null, null, null, chunk, parents, children, type,
          processor, state, recordsIn, recordsOut, filtered, created, inputDigest, outputDigest, seed,
          durationMicros, error, source, sink, deadLetters, committedBy, null, null);
    }
  }
}

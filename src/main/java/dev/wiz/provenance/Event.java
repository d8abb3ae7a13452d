package dev.wiz.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One line of {@code provenance.jsonl}. Absent fields are left out of the JSON. {@code seq},
 * {@code id}, {@code prev} and {@code hash} are set by the log when the event is appended; the
 * hash is sha-256 over the canonical JSON of the event without {@code hash}, so the events form a
 * chain.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "v", "seq", "id", "time", "run", "request", "chunk", "parents", "children", "type", "processor",
  "state", "recordsIn", "recordsOut", "inputDigest", "outputDigest", "seed", "durationMicros",
  "error", "source", "sink", "prev", "hash"
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
    String inputDigest,
    String outputDigest,
    Long seed,
    Long durationMicros,
    String error,
    SourceRef source,
    SinkRef sink,
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

  /** Where a chunk's output went: the target, the byte offset in it and the length. */
  @JsonPropertyOrder({"target", "offset", "bytes"})
  public record SinkRef(String target, long offset, long bytes) {}

  /** A new event of the given type for a chunk (null for run-level events); chain fields unset. */
  public static Builder of(EventType type, String chunk) {
    return new Builder(type, chunk);
  }

  /** The same event with its place in the chain. */
  public Event chained(long newSeq, String newId, String newTime, String newRun, String newRequest, String newPrev, String newHash) {
    return new Event(v, newSeq, newId, newTime, newRun, newRequest, chunk, parents, children, type,
        processor, state, recordsIn, recordsOut, inputDigest, outputDigest, seed, durationMicros,
        error, source, sink, newPrev, newHash);
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
   * without the reflection Jackson needs the first time it meets a record type.
   */
  public void writeTo(JsonGenerator g, boolean canonical) throws IOException {
    Fields f = new Fields();
    f.add("v", v, () -> g.writeNumber(v));
    f.add("seq", seq, () -> g.writeNumber(seq));
    f.add("id", id, () -> g.writeString(id));
    f.add("time", time, () -> g.writeString(time));
    f.add("run", run, () -> g.writeString(run));
    f.add("request", request, () -> g.writeString(request));
    f.add("chunk", chunk, () -> g.writeString(chunk));
    f.add("parents", parents, () -> strings(g, parents));
    f.add("children", children, () -> strings(g, children));
    f.add("type", type, () -> g.writeString(type.name()));
    f.add("processor", processor, () -> {
      Fields p = new Fields();
      p.add("id", processor, () -> g.writeString(processor.id()));
      p.add("type", processor, () -> g.writeString(processor.type()));
      p.add("version", processor, () -> g.writeString(processor.version()));
      p.add("configDigest", processor, () -> g.writeString(processor.configDigest()));
      p.write(g, canonical);
    });
    f.add("state", state, () -> {
      Fields p = new Fields();
      p.add("from", state, () -> g.writeString(state.from()));
      p.add("event", state, () -> g.writeString(state.event()));
      p.add("to", state, () -> g.writeString(state.to()));
      p.write(g, canonical);
    });
    f.add("recordsIn", recordsIn, () -> g.writeNumber(recordsIn));
    f.add("recordsOut", recordsOut, () -> g.writeNumber(recordsOut));
    f.add("inputDigest", inputDigest, () -> g.writeString(inputDigest));
    f.add("outputDigest", outputDigest, () -> g.writeString(outputDigest));
    f.add("seed", seed, () -> g.writeNumber(seed));
    f.add("durationMicros", durationMicros, () -> g.writeNumber(durationMicros));
    f.add("error", error, () -> g.writeString(error));
    f.add("source", source, () -> {
      Fields p = new Fields();
      p.add("file", source, () -> g.writeString(source.file()));
      p.add("firstLine", source, () -> g.writeNumber(source.firstLine()));
      p.add("lastLine", source, () -> g.writeNumber(source.lastLine()));
      p.write(g, canonical);
    });
    f.add("sink", sink, () -> {
      Fields p = new Fields();
      p.add("target", sink, () -> g.writeString(sink.target()));
      p.add("offset", sink, () -> g.writeNumber(sink.offset()));
      p.add("bytes", sink, () -> g.writeNumber(sink.bytes()));
      p.write(g, canonical);
    });
    f.add("prev", prev, () -> g.writeString(prev));
    f.add("hash", hash, () -> g.writeString(hash));
    f.write(g, canonical);
  }

  private static void strings(JsonGenerator g, List<String> values) throws IOException {
    g.writeStartArray();
    for (String s : values) g.writeString(s);
    g.writeEndArray();
  }

  private interface Value {
    void write() throws IOException;
  }

  /** The present fields of one object, written in the given or in alphabetical order. */
  private static final class Fields {
    private final List<String> names = new ArrayList<>(24);
    private final List<Value> values = new ArrayList<>(24);

    void add(String name, Object present, Value value) {
      if (present == null) return;
      names.add(name);
      values.add(value);
    }

    void write(JsonGenerator g, boolean alphabetical) throws IOException {
      Integer[] order = new Integer[names.size()];
      for (int i = 0; i < order.length; i++) order[i] = i;
      if (alphabetical) Arrays.sort(order, Comparator.comparing(names::get));
      g.writeStartObject();
      for (int i : order) {
        g.writeFieldName(names.get(i));
        values.get(i).write();
      }
      g.writeEndObject();
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
    private String inputDigest;
    private String outputDigest;
    private Long seed;
    private Long durationMicros;
    private String error;
    private SourceRef source;
    private SinkRef sink;

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
    public Builder digests(String in, String out) { this.inputDigest = in; this.outputDigest = out; return this; }
    public Builder outputDigest(String out) { this.outputDigest = out; return this; }
    public Builder seed(long v) { this.seed = v; return this; }
    public Builder durationMicros(long v) { this.durationMicros = v; return this; }
    public Builder error(String v) { this.error = v; return this; }
    public Builder source(SourceRef v) { this.source = v; return this; }
    public Builder sink(SinkRef v) { this.sink = v; return this; }

    public Event build() {
      return new Event(VERSION, null, null, null, null, null, chunk, parents, children, type,
          processor, state, recordsIn, recordsOut, inputDigest, outputDigest, seed,
          durationMicros, error, source, sink, null, null);
    }
  }
}

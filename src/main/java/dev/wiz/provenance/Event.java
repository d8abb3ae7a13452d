package dev.wiz.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
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

package dev.wiz.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.wiz.engine.RunReport;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<run-id>/run.json}: what a run was, and how it went. {@code partialOutput} is the
 * temporary file a file sink writes until the output is complete ({@code .<name>.<run-id>.tmp}
 * next to the target): what {@code --resume} goes on from when the run does not finish.
 * {@code readStopped} says where a run stopped reading its input before its end, because a limit
 * passed its count; absent when it read to the end. {@code references} are the files processors
 * read whole before the first chunk (lookup tables), with their digests: null when none did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "schema", "runId", "requestKey", "status", "error", "pipeline", "versions", "startedAt", "endedAt",
  "seconds", "workers", "chunkRecords", "onError", "seed", "pid", "inputs", "references", "output", "environment",
  "counts", "processors", "provenance", "resumed", "partialOutput", "readStopped"
})
public record RunRecord(
    int schema,
    String runId,
    String requestKey,
    String status,
    String error,
    PipelineInfo pipeline,
    Map<String, String> versions,
    String startedAt,
    String endedAt,
    Double seconds,
    int workers,
    int chunkRecords,
    String onError,
    long seed,
    long pid,
    List<Input> inputs,
    Output output,
    Map<String, String> environment,
    Counts counts,
    List<RunReport.StepCounts> processors,
    ProvenanceInfo provenance,
    Resumed resumed,
    String partialOutput,
    RunReport.ReadStop readStopped,
    List<Reference> references) {

  public static final int SCHEMA = 1;

  /** What every record holds (a record read from a run.json that lacks it is not one wiz wrote). */
  public RunRecord {
    if (schema != SCHEMA) {
      throw new IllegalArgumentException(schema == 0 ? "no schema" : "schema " + schema + " (this wiz reads schema " + SCHEMA + ")");
    }
    require(runId, "runId");
    require(requestKey, "requestKey");
    require(status, "status");
    require(pipeline, "pipeline");
    require(startedAt, "startedAt");
    require(inputs, "inputs");
    noNulls(inputs, "inputs");
    if (processors != null) noNulls(processors, "processors");
    if (references != null) noNulls(references, "references");
  }

  static void require(Object value, String field) {
    if (value == null) throw new IllegalArgumentException("no " + field);
  }

  static void noNulls(List<?> list, String field) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) throw new IllegalArgumentException("/" + field + "/" + i + ": null");
    }
  }

  /**
   * A record of a run that read its input to the end (or has not ended yet), without {@code
   * references} (no processor read a file to prepare, or an older record).
   */
  public RunRecord(int schema, String runId, String requestKey, String status, String error, PipelineInfo pipeline,
      Map<String, String> versions, String startedAt, String endedAt, Double seconds, int workers, int chunkRecords,
      String onError, long seed, long pid, List<Input> inputs, Output output, Map<String, String> environment,
      Counts counts, List<RunReport.StepCounts> processors, ProvenanceInfo provenance, Resumed resumed,
      String partialOutput) {
    this(schema, runId, requestKey, status, error, pipeline, versions, startedAt, endedAt, seconds, workers,
        chunkRecords, onError, seed, pid, inputs, output, environment, counts, processors, provenance, resumed,
        partialOutput, null, null);
  }

  /** A record without {@code partialOutput} (a sink with no temporary file, or an older record). */
  public RunRecord(int schema, String runId, String requestKey, String status, String error, PipelineInfo pipeline,
      Map<String, String> versions, String startedAt, String endedAt, Double seconds, int workers, int chunkRecords,
      String onError, long seed, long pid, List<Input> inputs, Output output, Map<String, String> environment,
      Counts counts, List<RunReport.StepCounts> processors, ProvenanceInfo provenance, Resumed resumed) {
    this(schema, runId, requestKey, status, error, pipeline, versions, startedAt, endedAt, seconds, workers,
        chunkRecords, onError, seed, pid, inputs, output, environment, counts, processors, provenance, resumed, null);
  }

  /** The same record, marked as crashed: its process ended without ending the run. */
  public RunRecord crashed(String endedAt, String why) {
    return new RunRecord(schema, runId, requestKey, "crashed", why, pipeline, versions, startedAt, endedAt, seconds,
        workers, chunkRecords, onError, seed, pid, inputs, output, environment, counts, processors, provenance, resumed,
        partialOutput, readStopped, references);
  }

  /**
   * A file a processor read whole before the first chunk (a lookup table).
   *
   * @param processor the id of the processor that read it
   * @param name the file as its config names it
   * @param path its absolute path
   * @param bytes its size as stored
   * @param digest {@code sha256:<hex>} of its bytes
   * @param records how many records it holds
   */
  @JsonPropertyOrder({"processor", "name", "path", "bytes", "digest", "records"})
  public record Reference(String processor, String name, String path, long bytes, String digest, long records) {
    public Reference {
      require(processor, "processor");
      require(name, "name");
      require(digest, "digest");
    }
  }

  /** The pipeline file, by path, name and digest of its canonical form (after interpolation). */
  public record PipelineInfo(String file, String name, String digest) {
    public PipelineInfo {
      require(file, "file");
      require(name, "name");
    }
  }

  /** One input's fingerprint. */
  public record Input(String name, String path, long size, long modified) {
    public Input {
      require(name, "name");
    }
  }

  /**
   * A resumed run: the run it went on from, how many chunks it took over (the first ones of its
   * partial output: those that run committed, and those it had taken over from the run before it
   * without logging that before it ended), and how many bytes of a torn last line were cut from
   * that run's provenance log.
   */
  public record Resumed(String fromRun, long chunksTakenOver, long tornBytesCut) {}

  /**
   * Where the output went: the target, its length as stored, the records written, and for an
   * output stored as other bytes than its text (gzip), that text's length and sha-256 (else null).
   */
  @JsonPropertyOrder({"target", "bytes", "records", "text"})
  public record Output(String target, long bytes, long records, @JsonInclude(JsonInclude.Include.NON_NULL) Text text) {
    public Output(String target, long bytes, long records) {
      this(target, bytes, records, null);
    }
  }

  /** The text a compressed output holds: what {@code zcat FILE | wc -c} and {@code sha256sum} give. */
  @JsonPropertyOrder({"bytes", "digest"})
  public record Text(long bytes, String digest) {}

  /** Record counts of the whole run. */
  @JsonPropertyOrder({"chunks", "read", "decodeErrors", "written", "skipped", "deadLettered"})
  public record Counts(long chunks, long read, long decodeErrors, long written, long skipped, long deadLettered) {}

  /** The provenance log: its file, number of events and the hash at its head. */
  public record ProvenanceInfo(String file, long events, String head, String deadLetters) {}
}

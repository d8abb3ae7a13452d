package dev.wiz.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code requests/<key>/record.json}: one request (a pipeline on given inputs) and every run that
 * attempted it, oldest first. The request rules (never twice at once, never again after success,
 * the failure budget) read this record.
 */
@JsonPropertyOrder({"schema", "key", "pipeline", "status", "attempts"})
public record RequestRecord(int schema, String key, String pipeline, String status, List<Attempt> attempts) {
  public static final int SCHEMA = 1;

  public RequestRecord {
    if (schema != SCHEMA) {
      throw new IllegalArgumentException(schema == 0 ? "no schema" : "schema " + schema + " (this wiz reads schema " + SCHEMA + ")");
    }
    RunRecord.require(key, "key");
    RunRecord.require(status, "status");
    RunRecord.require(attempts, "attempts");
    RunRecord.noNulls(attempts, "attempts");
    attempts = List.copyOf(attempts);
  }

  /**
   * One run of the request.
   *
   * @param forced true when the run was started with {@code --force} past a request rule
   */
  @JsonPropertyOrder({"runId", "status", "startedAt", "endedAt", "error", "forced"})
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record Attempt(String runId, String status, String startedAt, String endedAt, String error, boolean forced) {
    public Attempt {
      RunRecord.require(runId, "runId");
      RunRecord.require(status, "status");
    }

    public Attempt(String runId, String status, String startedAt, String endedAt, String error) {
      this(runId, status, startedAt, endedAt, error, false);
    }

    /** The same attempt with another status, end and error (forced stays). */
    public Attempt ended(String newStatus, String newEndedAt, String newError) {
      return new Attempt(runId, newStatus, startedAt, newEndedAt, newError, forced);
    }
  }

  /** Attempts that count against {@code run.maxFailures}: failed or crashed runs. */
  public long failures() {
    return attempts.stream().filter(a -> a.status().equals("failed") || a.status().equals("crashed")).count();
  }

  /** The attempt with the run id, if any. */
  public java.util.Optional<Attempt> attempt(String runId) {
    return attempts.stream().filter(a -> a.runId().equals(runId)).findFirst();
  }

  /** The same record with another status (the attempts stay). */
  public RequestRecord withStatus(String newStatus) {
    return new RequestRecord(schema, key, pipeline, newStatus, attempts);
  }

  /** A record with the attempt added, or replacing the attempt with the same run id. */
  public RequestRecord with(Attempt attempt) {
    List<Attempt> next = new ArrayList<>();
    for (Attempt a : attempts) {
      if (!a.runId().equals(attempt.runId())) next.add(a);
    }
    next.add(attempt);
    return new RequestRecord(schema, key, pipeline, attempt.status(), next);
  }
}

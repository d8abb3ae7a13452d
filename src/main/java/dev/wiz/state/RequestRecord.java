package dev.wiz.state;

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
    attempts = List.copyOf(attempts);
  }

  /** One run of the request. */
  @JsonPropertyOrder({"runId", "status", "startedAt", "endedAt", "error"})
  public record Attempt(String runId, String status, String startedAt, String endedAt, String error) {}

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

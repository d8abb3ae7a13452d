package dev.wiz.engine;

import java.util.List;

/**
 * What a run did.
 *
 * @param status how it ended
 * @param error the one-line reason when it failed, else null
 * @param internal true when the failure is a bug in wiz rather than in the data or pipeline
 */
public record RunReport(
    Status status,
    String error,
    boolean internal,
    long chunks,
    long recordsRead,
    long decodeErrors,
    long recordsWritten,
    long skipped,
    long deadLettered,
    List<StepCounts> processors,
    String output,
    long bytesWritten,
    String provenanceHead,
    long events,
    long millis,
    long reusedChunks) {

  public RunReport {
    processors = List.copyOf(processors);
  }

  /** How a run ended. */
  public enum Status {
    SUCCESS("success"),
    COMPLETED_WITH_ERRORS("completed-with-errors"),
    FAILED("failed"),
    INTERRUPTED("interrupted");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Per processor: records in and out, and what was skipped or dead-lettered. */
  public record StepCounts(String id, String type, long chunks, long in, long out, long skipped, long deadLettered, long millis) {
    /** Records in minus records out minus errors, when positive: what the processor left out. */
    public long filtered() {
      return Math.max(0, in - out - skipped - deadLettered);
    }
  }
}

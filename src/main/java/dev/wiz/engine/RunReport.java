package dev.wiz.engine;

import java.util.List;

/**
 * What a run did.
 *
 * @param status how it ended
 * @param error the one-line reason when it failed (or stopped because its output was closed), else null
 * @param internal true when the failure is a bug in wiz rather than in the data or pipeline
 * @param reusedFiltered records filtered in the chunks a resumed run took over without processing them
 *     again ({@code processors} counts only what this run processed)
 * @param outputClosed true when it was interrupted because standard output's reader closed it
 * @param sinkSkipped of {@code skipped}, the records the sink could not write (in the chunks this run wrote)
 * @param sinkDeadLettered of {@code deadLettered}, likewise
 * @param firstSkip why the first record this run skipped was skipped, as its {@code DROP} event says
 *     it, with the step's id and type in front ({@code 'c' (cast): in.csv:2: cast: ...}): of the first
 *     chunk logged with one, the event that names the earliest line (whatever the chunk size); null
 *     when this run logged none
 * @param readStop where the run stopped reading its input before its end because a step passes no
 *     more records (a limit that passed its count); null when it read to the end (or stopped
 *     for another reason: a failure, an interruption)
 * @param outputText the whole text of an output stored as other bytes (gzip) that the run completed,
 *     else null
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
    long reusedChunks,
    long reusedFiltered,
    long reusedCreated,
    boolean outputClosed,
    long sinkSkipped,
    long sinkDeadLettered,
    String firstSkip,
    ReadStop readStop,
    dev.wiz.io.Sink.Text outputText) {

  public RunReport {
    processors = List.copyOf(processors);
  }

  /** The same report with another error text. */
  public RunReport withError(String newError) {
    return new RunReport(status, newError, internal, chunks, recordsRead, decodeErrors, recordsWritten, skipped,
        deadLettered, processors, output, bytesWritten, provenanceHead, events, millis, reusedChunks, reusedFiltered,
        reusedCreated, outputClosed, sinkSkipped, sinkDeadLettered, firstSkip, readStop, outputText);
  }

  /**
   * A run stopped reading its input early: a step ({@code limit}) passed every record it would
   * pass. The chunks read by then were processed and committed as any other.
   *
   * @param step the id of that step
   * @param chunk the id of the chunk with which it passed its last record; null when it passed
   *     none from the start ({@code count: 0}), and nothing was read
   * @param origin the input (as the user named it, or {@code stdin}) of the last line read; null
   *     when nothing was read
   * @param line that last line (1-based; 0 when nothing was read): the input was read to it, and
   *     nothing after it
   * @param records the records read from the input (with those that could not be decoded)
   */
  @com.fasterxml.jackson.annotation.JsonPropertyOrder({"step", "chunk", "origin", "line", "records"})
  public record ReadStop(String step, String chunk, String origin, long line, long records) {}

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

  /**
   * What one processor did with the records of the chunks this run processed: {@code in + created
   * = out + filtered + skipped + deadLettered + held}. Filtered and created are counted per record
   * (an input record that gave no output record was filtered, one that gave n created n - 1; see
   * {@link RecordCounts}), so they do not depend on the chunk size; of a processor that emits at end
   * of input they are its records in against its records out over the run ({@link #settled}).
   * {@code held}: the records a processor that
   * emits at end of input (a sort, an aggregate, a reservoir sample) still held when the run
   * stopped before its end, which it neither filtered nor passed on; 0 in a run that completed,
   * and left out of the JSON then.
   */
  @com.fasterxml.jackson.annotation.JsonPropertyOrder({"id", "type", "chunks", "in", "out", "filtered", "created",
      "skipped", "deadLettered", "held", "millis"})
  public record StepCounts(String id, String type, long chunks, long in, long out, long filtered, long created,
      long skipped, long deadLettered,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT) long held,
      long millis) {
    /** Counts of a processor that holds no records. */
    public StepCounts(String id, String type, long chunks, long in, long out, long filtered, long created,
        long skipped, long deadLettered, long millis) {
      this(id, type, chunks, in, out, filtered, created, skipped, deadLettered, 0, millis);
    }

    /** True when the counts add up. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean balanced() {
      return in + created == out + filtered + skipped + deadLettered + held;
    }

    /**
     * The counts of a processor that emits at end of input and did: what it did over the whole
     * run, its records in less those it rejected against its records out, as filtered when fewer
     * came out (an aggregate's records folded into groups, a sample's records not kept), as
     * created when more (the one group of an aggregate of no records); a sort neither filtered nor
     * created any. Whatever the chunk size, unlike what it took in and emitted chunk by chunk.
     */
    StepCounts settled() {
      long net = in - out - skipped - deadLettered - held;
      return new StepCounts(id, type, chunks, in, out, Math.max(net, 0), Math.max(-net, 0), skipped, deadLettered,
          held, millis);
    }

    /**
     * The counts of a processor that emits at end of input and did not (the run stopped before):
     * the records it took in and counted as filtered chunk by chunk were held, not filtered.
     */
    StepCounts holding() {
      return new StepCounts(id, type, chunks, in, out, 0, created, skipped, deadLettered, held + filtered, millis);
    }
  }

  /** Records filtered by all processors, in the chunks this run processed and in those it reused. */
  public long filtered() {
    return processors.stream().mapToLong(StepCounts::filtered).sum() + reusedFiltered;
  }

  /** Records the processors that emit at end of input held when the run stopped before its end. */
  public long held() {
    return processors.stream().mapToLong(StepCounts::held).sum();
  }

  /** Records created by all processors, in the chunks this run processed and in those it reused. */
  public long created() {
    return processors.stream().mapToLong(StepCounts::created).sum() + reusedCreated;
  }
}

package dev.wiz.provenance;

import java.util.List;

/**
 * What the exports need to know of a run besides its log, taken from its record (run.json): who
 * ran what, when, on which inputs, to which output, and how it ended.
 *
 * @param status {@code success}, {@code completed-with-errors}, {@code failed}, {@code crashed},
 *     {@code interrupted} or {@code running}
 * @param endedAt null while the run has not ended (or when its process died without saying)
 * @param output the sink's target (a file's absolute path, or {@code stdout}); null when not known
 * @param outputRecords records written, null when not recorded
 * @param outputBytes bytes written, null when not recorded
 * @param deadLetters the dead-letter file, null when not recorded
 * @param outputText for an output stored as other bytes than its text (gzip), that text's length
 *     and sha-256 (run.json's {@code output.text}); null otherwise or when not recorded
 */
public record RunInfo(
    String runId,
    String pipeline,
    String status,
    String startedAt,
    String endedAt,
    String error,
    String wizVersion,
    List<Input> inputs,
    String output,
    Long outputRecords,
    Long outputBytes,
    String deadLetters,
    Event.SinkText outputText) {

  public RunInfo {
    inputs = List.copyOf(inputs);
  }

  /** A run whose output is stored as its text (or whose text was not recorded). */
  public RunInfo(String runId, String pipeline, String status, String startedAt, String endedAt, String error,
      String wizVersion, List<Input> inputs, String output, Long outputRecords, Long outputBytes, String deadLetters) {
    this(runId, pipeline, status, startedAt, endedAt, error, wizVersion, inputs, output, outputRecords, outputBytes,
        deadLetters, null);
  }

  /** An input file: its name as the pipeline gives it (and the log's CREATE events), and its absolute path. */
  public record Input(String name, String path) {}

  /** The sink target of a file sink; empty for stdout or when not known. */
  java.util.Optional<String> outputFile() {
    return output == null || output.equals("stdout") ? java.util.Optional.empty() : java.util.Optional.of(output);
  }
}

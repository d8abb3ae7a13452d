package dev.wiz.processor;

import java.util.Locale;

/** The states of a processor instance in the Processor API lifecycle (DESIGN section 4). */
public enum ProcessorState {
  UNINITIALIZED,
  CONFIGURED,
  /** Fixing the chunk's seed; only for processors that use randomness. */
  DETERMINING,
  /** Checking that the chunk's data can be processed. */
  VALIDATING,
  RUNNING,
  /** The output exists but the next step or the sink has not taken it yet. */
  READY,
  FAILED,
  SUCCESS,
  COMPLETED_WITH_ERRORS;

  /** No transition leaves a terminal state. */
  public boolean terminal() {
    return this == FAILED || this == SUCCESS || this == COMPLETED_WITH_ERRORS;
  }

  /** The name used in provenance and messages: lower case with dashes. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

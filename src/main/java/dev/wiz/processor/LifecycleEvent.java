package dev.wiz.processor;

import java.util.Locale;

/** What happens to a processor instance; {@link Lifecycle} says which state each leads to. */
public enum LifecycleEvent {
  CONFIGURE,
  /** Data arrived for a processor that needs a seed. */
  DETERMINE,
  /** Data arrived (or its seed is fixed): check it. */
  VALIDATE,
  /** The data is valid: process it. */
  RUN,
  /** The data is invalid: the chunk is not processed (non-fatal). */
  REJECT,
  /** The output is ready for the next step. */
  PRODUCE,
  /** The next step or the sink took the output. */
  TAKE,
  /** The chunk failed and {@code onError} is skip or dead-letter. */
  DROP,
  /** A fatal failure ({@code onError: fail}, or the instance could not start or finish). */
  FAIL,
  /** All data was sent and nothing was skipped or dead-lettered. */
  SUCCEED,
  /** All data was sent, but something was skipped or dead-lettered. */
  COMPLETE_WITH_ERRORS;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

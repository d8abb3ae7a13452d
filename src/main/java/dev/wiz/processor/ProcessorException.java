package dev.wiz.processor;

/**
 * A chunk could not be processed. {@link #retryable()} says whether trying again may help; {@link
 * #outputInDoubt()} that what the processor passed on before may be wrong too.
 */
public class ProcessorException extends Exception {
  private final boolean retryable;
  private final boolean outputInDoubt;

  public ProcessorException(String message, boolean retryable, Throwable cause) {
    this(message, retryable, cause, false);
  }

  public ProcessorException(String message) {
    this(message, false, null);
  }

  private ProcessorException(String message, boolean retryable, Throwable cause, boolean outputInDoubt) {
    super(message, cause);
    this.retryable = retryable;
    this.outputInDoubt = outputInDoubt;
  }

  /**
   * The processor found that output it passed on for earlier chunks may be wrong (a long-lived
   * program whose answers turned out shifted): the run fails whatever {@code run.onError} says,
   * and what it wrote is not kept, so {@code --resume} cannot take those chunks over.
   */
  public static ProcessorException outputInDoubt(String message) {
    return new ProcessorException(message, false, null, true);
  }

  public boolean retryable() {
    return retryable;
  }

  /** See {@link #outputInDoubt(String)}. */
  public boolean outputInDoubt() {
    return outputInDoubt;
  }
}

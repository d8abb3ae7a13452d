package dev.wiz.processor;

/** A chunk could not be processed. {@link #retryable()} says whether trying again may help. */
public class ProcessorException extends Exception {
  private final boolean retryable;

  public ProcessorException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public ProcessorException(String message) {
    this(message, false, null);
  }

  public boolean retryable() {
    return retryable;
  }
}

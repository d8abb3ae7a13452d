package dev.wiz.processor;

/**
 * A chunk could not be processed. {@link #retryable()} says whether trying again may help; {@link
 * #outputInDoubt()} that what the processor passed on before may be wrong too.
 */
public class ProcessorException extends Exception {
  private final boolean retryable;
  private final boolean outputInDoubt;
  private final String pointer;

  public ProcessorException(String message, boolean retryable, Throwable cause) {
    this(message, retryable, cause, false);
  }

  public ProcessorException(String message) {
    this(message, false, null);
  }

  private ProcessorException(String message, boolean retryable, Throwable cause, boolean outputInDoubt) {
    this(message, retryable, cause, outputInDoubt, null);
  }

  private ProcessorException(String message, boolean retryable, Throwable cause, boolean outputInDoubt, String pointer) {
    super(message, cause);
    this.retryable = retryable;
    this.outputInDoubt = outputInDoubt;
    this.pointer = pointer;
  }

  /**
   * A config that passed its checks cannot be prepared because of what its field at {@code pointer}
   * names (a lookup file with a bad line): the message is said at that field of the pipeline file.
   *
   * @param pointer JSON pointer relative to the processor's {@code config} ({@code "/file"})
   */
  public static ProcessorException inConfig(String pointer, String message) {
    return new ProcessorException(message, false, null, false, pointer);
  }

  /** The config field the problem is at ({@link #inConfig}), relative to the config; null when none is named. */
  public String pointer() {
    return pointer;
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

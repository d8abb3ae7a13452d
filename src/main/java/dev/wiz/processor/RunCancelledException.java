package dev.wiz.processor;

/**
 * A processor stopped work on a chunk because the run is being cancelled ({@link
 * ProcessorContext#cancelled()}: SIGINT, SIGTERM). The chunk is neither done nor in error: the
 * engine commits nothing of it (no output, no skip, no dead letter) and leaves it for {@code
 * --resume}, and the run ends interrupted, not failed. Never retried.
 */
public final class RunCancelledException extends ProcessorException {
  public RunCancelledException(String message) {
    super(message, false, null);
  }
}

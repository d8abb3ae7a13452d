package dev.wiz.io;

import java.io.IOException;

/**
 * Standard output was closed by the process reading it ({@code wiz run p.yaml | head}): the run
 * stops as jq or cat would on SIGPIPE, rather than failing.
 */
public final class OutputClosedException extends IOException {
  public OutputClosedException(IOException cause) {
    super("standard output was closed by its reader", cause);
  }

  /** Whether the error is a write to a pipe whose reader is gone (EPIPE). */
  public static boolean isClosedPipe(IOException e) {
    return e.getMessage() != null && e.getMessage().contains("Broken pipe");
  }
}

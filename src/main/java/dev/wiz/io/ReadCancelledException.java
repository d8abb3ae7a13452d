package dev.wiz.io;

import java.io.IOException;

/**
 * Reading stopped because the run is being cancelled (SIGINT, SIGTERM) while it waited for input:
 * not an error of the input. The run ends interrupted with what it committed.
 */
public final class ReadCancelledException extends IOException {
  ReadCancelledException() {
    super("reading stopped: the run is being cancelled");
  }
}

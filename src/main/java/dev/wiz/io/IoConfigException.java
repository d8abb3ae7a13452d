package dev.wiz.io;

import java.io.IOException;

/**
 * A problem with a source or sink that the user must fix in the pipeline or on disk (no file
 * matches the path, the target is a folder, a CSV header is broken). The pointer is relative to the
 * {@code source} or {@code sink} object, so the message can carry the line and column.
 */
public final class IoConfigException extends IOException {
  private final String pointer;

  public IoConfigException(String pointer, String message) {
    super(message);
    this.pointer = pointer;
  }

  /** JSON pointer relative to the source or sink object ({@code "/path"}, or {@code ""}). */
  public String pointer() {
    return pointer;
  }
}

package dev.wiz.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Comparing the paths of a pipeline: absolute, normalised, symbolic links resolved where they exist. */
final class PathOverlaps {
  /**
   * The name of a state folder ({@code .wiz}, as {@code dev.wiz.state.StateDir#DEFAULT_NAME}): a
   * folder of that name is wiz's wherever it is.
   */
  static final String STATE_NAME = ".wiz";

  private PathOverlaps() {}

  /**
   * The path absolute and normalised, with symbolic links resolved as far as it exists: the
   * nearest existing folder above a file yet to be written is resolved, the rest appended.
   */
  static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    if (existing == null) return abs;
    try {
      Path real = existing.toRealPath();
      return existing.equals(abs) ? real : real.resolve(existing.relativize(abs).toString()).normalize();
    } catch (IOException | SecurityException e) {
      return abs;
    }
  }
}

package dev.wiz.pipeline;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline or config file that cannot be used; carries every problem found, in file order. */
public final class InvalidPipelineException extends Exception {
  private final List<Diagnostic> diagnostics;

  public InvalidPipelineException(List<Diagnostic> diagnostics) {
    super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")), null, false, false);
    if (diagnostics.isEmpty()) {
      throw new IllegalArgumentException("an invalid pipeline needs at least one diagnostic");
    }
    this.diagnostics = List.copyOf(diagnostics.stream().sorted().toList());
  }

  public InvalidPipelineException(Diagnostic diagnostic) {
    this(List.of(diagnostic));
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}

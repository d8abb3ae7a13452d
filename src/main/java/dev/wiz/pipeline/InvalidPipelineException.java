package dev.wiz.pipeline;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A pipeline or config file that cannot be used; carries every problem found, in file order. */
public final class InvalidPipelineException extends Exception {
  private final List<Diagnostic> diagnostics;
  private final transient LocatedTree partial;

  public InvalidPipelineException(List<Diagnostic> diagnostics) {
    this(diagnostics, null);
  }

  /**
   * @param partial the file's tree when every problem is a value that could not be interpolated
   *     (those values are left as written and marked unresolved), so the rest can be checked
   */
  public InvalidPipelineException(List<Diagnostic> diagnostics, LocatedTree partial) {
    super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")), null, false, false);
    if (diagnostics.isEmpty()) {
      throw new IllegalArgumentException("an invalid pipeline needs at least one diagnostic");
    }
    this.diagnostics = List.copyOf(diagnostics.stream().sorted().toList());
    this.partial = partial;
  }

  public InvalidPipelineException(Diagnostic diagnostic) {
    this(List.of(diagnostic));
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** The tree with the values that could not be interpolated left unresolved, if that was all. */
  public Optional<LocatedTree> partial() {
    return Optional.ofNullable(partial);
  }
}

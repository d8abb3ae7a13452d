package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

/**
 * The output of a builtin that a wrapper runs, remembering what the rest of the program threw at
 * it: a function's outputs go on through the rest of the program before the function returns, so
 * an error (or the {@code break} that {@code first}, {@code label} and {@code isempty} stop with)
 * thrown further on comes out of the function too. A wrapper that says a function's own errors in
 * jq's words must pass those on untouched; so must jackson-jq's {@code tostring} and {@code
 * tojson}, which wrap whatever their output throws (a {@code break} became a failure, {@code
 * error("x")} a message {@code N/A}).
 */
final class Downstream implements PathOutput {
  private final PathOutput out;
  private JsonQueryException thrown;

  Downstream(PathOutput out) {
    this.out = out;
  }

  @Override
  public void emit(JsonNode value, Path path) throws JsonQueryException {
    try {
      out.emit(value, path);
    } catch (JsonQueryException e) {
      thrown = e;
      throw e;
    }
  }

  /** What the rest of the program threw, when {@code e} is it or wraps it; null for the function's own error. */
  JsonQueryException thrown(Throwable e) {
    if (thrown == null) return null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t == thrown) return thrown;
    }
    return null;
  }
}

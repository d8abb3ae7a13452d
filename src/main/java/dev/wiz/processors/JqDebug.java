package dev.wiz.processors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.util.function.Consumer;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * jq's {@code debug} and {@code stderr}: each passes its input through unchanged and writes it,
 * as compact JSON with numbers as jq writes them, to the log of the step that runs the program
 * (stderr, a line each, naming the step): {@code debug} as jq's {@code ["DEBUG:",value]}, {@code
 * stderr} the value alone (jq 1.6 writes it with no newline). The records a step writes, and so
 * the run's output and provenance, are the same with or without them. Where a program runs with no
 * step around it (as when {@code wiz validate} compiles it) they write nothing.
 */
final class JqDebug {
  private JqDebug() {}

  /**
   * The variable a scope keeps its lines' consumer in: a name no program can write (jq names have
   * no spaces), so no program can read or bind it.
   */
  private static final String LINES = "wiz debug lines";

  static void install(Scope root) {
    root.addFunction("debug", 0, (scope, args, in, path, output, version) -> {
      write(scope, "[\"DEBUG:\"," + text(in) + "]");
      output.emit(in, path);
    });
    root.addFunction("stderr", 0, (scope, args, in, path, output, version) -> {
      write(scope, text(in));
      output.emit(in, path);
    });
  }

  /** Makes {@code debug} and {@code stderr} in {@code scope} (an instance's) write to {@code lines}. */
  static void writeTo(Scope scope, Consumer<String> lines) {
    scope.setValue(LINES, new POJONode(lines));
  }

  @SuppressWarnings("unchecked")
  private static void write(Scope scope, String line) {
    JsonNode holder = scope.getValue(LINES);
    if (holder instanceof POJONode p && p.getPojo() instanceof Consumer<?> c) ((Consumer<String>) c).accept(line);
  }

  private static String text(JsonNode v) throws JsonQueryException {
    try {
      return JqSupport.MAPPER.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new JsonQueryException(e);
    }
  }
}

package dev.wiz.processors;

import dev.wiz.processor.ProcessorContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.thisptr.jackson.jq.Scope;

/**
 * The jq scope of one processor instance (scopes hold variables, so instances never share one),
 * made when the interpreter first needs it. An expression on the fast path never does, so a run
 * whose expressions are all on it never loads jq's builtin functions, the slowest part of
 * starting jackson-jq (about 0.1 s). Used by one thread at a time, like the instance. It also
 * carries the instance's cancellation, which stops an evaluation in the middle of a record
 * ({@link JqStop}).
 */
final class JqScope {
  private Scope scope;
  private BooleanSupplier stop;
  private Consumer<String> debug;

  /** The scope, made on the first call. */
  Scope get() {
    Scope s = scope;
    if (s == null) {
      scope = s = JqSupport.newScope();
      if (debug != null) JqDebug.writeTo(s, debug);
    }
    return s;
  }

  /**
   * Evaluations in this scope stop once the context says the run is being cancelled, and {@code
   * debug} and {@code stderr} write to the context's logger, which names the step (the
   * processor's {@code init} calls it; a null context, as in tests, changes nothing).
   */
  void stopWhenCancelled(ProcessorContext context) {
    if (context == null) return;
    stop = context::cancelled;
    debugTo(line -> context.logger().info(line));
  }

  /** Where {@code debug} and {@code stderr} write their lines in this scope. */
  void debugTo(Consumer<String> lines) {
    debug = lines;
    if (scope != null) JqDebug.writeTo(scope, lines);
  }

  /** What says an evaluation is to stop, or null when nothing does. */
  BooleanSupplier stop() {
    return stop;
  }

  /** True once {@link #get()} has made the scope (for tests). */
  boolean made() {
    return scope != null;
  }
}

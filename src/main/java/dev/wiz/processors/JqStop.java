package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.internal.JsonQueryFunction;
import net.thisptr.jackson.jq.internal.tree.FunctionDefinition;
import net.thisptr.jackson.jq.path.Path;

/**
 * Stops a jq evaluation in the middle of a record once the run is being cancelled, so that a
 * program that runs for ever ({@code last(range(1e15))}, a function that calls itself twice at
 * every level) does not hold the run up. jackson-jq has no hook of its own for that, so wiz looks
 * at the cancellation in the two places every long evaluation passes through again and again:
 *
 * <ul>
 *   <li>every call of a function defined in jq (a program's own {@code def}, and the builtins jq
 *       defines, such as {@code until}, {@code while}, {@code recurse}, {@code limit}, {@code
 *       first}, {@code last}, {@code select} and {@code map}): the function's body is wrapped;
 *   <li>every value {@code range} gives, the one builtin that loops in Java for as long as it is
 *       told to.
 * </ul>
 *
 * What is left is bounded by the record: Java builtins over one value ({@code sort}, {@code
 * tostring}, a regular expression) and iterating a value ({@code .[]}, {@code ..}) without calling
 * a function. Those end with the record, and the processor looks at the cancellation between
 * records.
 *
 * <p>The evaluation learns of the cancellation from the thread it runs on: {@link
 * dev.wiz.processors.Expression} binds the processor instance's flag around the interpreter
 * ({@link #bind}). A check
 * costs a thread-local read when nothing is bound, and the flag's read when something is. It
 * throws {@link Stopped}, an unchecked exception, which jq's {@code try} and {@code ?} do not
 * catch (they catch jackson-jq's own exceptions only); the expression turns it into a {@link
 * dev.wiz.processor.RunCancelledException} for its processor. Thread interruption is not used: a
 * worker that is interrupted would also close the files it is writing (spill files, through
 * interruptible channels).
 */
final class JqStop {
  private JqStop() {}

  private static final ThreadLocal<BooleanSupplier> WHEN = new ThreadLocal<>();

  /** The evaluation stopped because the run is being cancelled. Never caught by jq. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("the jq evaluation stopped: the run is being cancelled", null, false, false);
    }
  }

  /**
   * Makes {@code when} the flag the evaluations on this thread look at; returns the one it
   * replaces, for {@link #unbind}.
   */
  static BooleanSupplier bind(BooleanSupplier when) {
    BooleanSupplier before = WHEN.get();
    WHEN.set(when);
    return before;
  }

  /** Puts back what {@link #bind} replaced. */
  static void unbind(BooleanSupplier before) {
    WHEN.set(before);
  }

  /** Throws {@link Stopped} when the flag bound to this thread says the run is being cancelled. */
  static void check() {
    BooleanSupplier when = WHEN.get();
    if (when != null && when.getAsBoolean()) throw new Stopped();
  }

  /**
   * Wraps the body of every jq-defined function reachable from {@code root} (a compiled program,
   * or a scope with its functions) so that each call looks at the cancellation first. Run after
   * {@link FastPath} and {@link JqNames} have read the tree, which know jackson-jq's nodes only.
   * Returns how many it wrapped.
   */
  static int patch(Object root) {
    int wrapped = 0;
    for (JqTree.Slot s : JqTree.find(root, v -> v instanceof FunctionDefinition || v instanceof JsonQueryFunction)) {
      if (wrapBody(s.value)) wrapped++;
    }
    return wrapped;
  }

  private static boolean wrapBody(Object function) {
    try {
      Field f = function.getClass().getDeclaredField("body");
      f.setAccessible(true);
      Object body = f.get(function);
      if (!(body instanceof Expression) || body instanceof Checked) return false;
      f.set(function, new Checked((Expression) body));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // another jackson-jq: its functions are not looked at
    }
  }

  /** {@code range/1}, {@code range/2} and {@code range/3} that look at the cancellation before each value. */
  static void install(Scope root) {
    for (int arity = 1; arity <= 3; arity++) {
      Function range = root.getFunction("range", arity);
      if (range == null) continue;
      root.addFunction("range", arity, (scope, args, in, path, output, version) ->
          range.apply(scope, args, in, path, checking(output), version));
    }
  }

  private static PathOutput checking(PathOutput output) {
    return (value, path) -> {
      check();
      output.emit(value, path);
    };
  }

  /** A function body that looks at the cancellation each time it is evaluated. */
  private static final class Checked implements Expression, JqTree.Walked {
    private final Expression body;

    Checked(Expression body) {
      this.body = body;
    }

    @Override
    public void apply(Scope scope, JsonNode in, Path path, PathOutput output, boolean requirePath) throws JsonQueryException {
      check();
      body.apply(scope, in, path, output, requirePath);
    }

    @Override
    public String toString() {
      return body.toString();
    }
  }
}

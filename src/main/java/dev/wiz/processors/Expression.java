package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Output;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A compiled jq expression from a config field. Immutable and shared by every instance of a
 * processor; each instance passes its own {@link JqScope} (from {@link #newScope()}), because scopes
 * hold variables. Evaluation throws {@link JsonQueryException} for a runtime error on a record,
 * and {@link RunCancelledException} when the scope's processor is told the run is being cancelled
 * in the middle of a long evaluation ({@link JqStop}); the fast path is bounded by the record and
 * never stops.
 */
public final class Expression {
  private final String source;
  private final JsonQuery query;
  private final FastPath.Node fast;

  private Expression(String source, JsonQuery query, FastPath.Node fast) {
    this.source = source;
    this.query = query;
    this.fast = fast;
  }

  /** The problems of the expression in the config field (none when it compiles). */
  public static List<ConfigProblem> check(JsonNode config, String field) {
    return check(config.path(field).asText(), "/" + field);
  }

  /** The problems of one expression that sits at the given config pointer. */
  public static List<ConfigProblem> check(String program, String pointer) {
    JqSupport.Compiled c = JqSupport.compile(program, pointer);
    return c.problems();
  }

  /** The compiled expression in the config field; a config that was validated always compiles. */
  public static Expression require(JsonNode config, String field) throws ProcessorException {
    return require(config.path(field).asText(), "/" + field);
  }

  /** The compiled expression; a config that was validated always compiles. */
  public static Expression require(String program, String pointer) throws ProcessorException {
    return require(program, pointer, FAST_PATH);
  }

  /** {@code -Dwiz.jq.fastPath=false} runs every expression on the interpreter: for measuring the fast path. */
  private static final boolean FAST_PATH = !"false".equals(System.getProperty("wiz.jq.fastPath"));

  /** As {@link #require(String, String)}; {@code fastPath} false always runs the interpreter (for tests). */
  static Expression require(String program, String pointer, boolean fastPath) throws ProcessorException {
    JqSupport.Compiled c = JqSupport.compile(program, pointer);
    if (!c.ok()) throw new ProcessorException(c.problem().pointer() + ": " + c.problem().message());
    return new Expression(program, c.query(), fastPath ? c.fast() : null);
  }

  /**
   * The fast path's own result for one input, or empty when it hands the record to the
   * interpreter (for tests: that the common case really takes the fast path).
   */
  java.util.Optional<JsonNode> fastResult(JsonNode in) {
    if (fast == null) return java.util.Optional.empty();
    try {
      return java.util.Optional.of(fast.eval(in));
    } catch (FastPath.GiveUp g) {
      return java.util.Optional.empty();
    }
  }

  /** True when the expression runs on the compiled fast path (falling back per record when needed). */
  public boolean fast() {
    return fast != null;
  }

  /** A fresh scope for one processor instance, made when the interpreter first needs it. */
  static JqScope newScope() {
    return new JqScope();
  }

  /** The expression as written. */
  public String source() {
    return source;
  }

  /** Every output of the expression for one input, in order. */
  void apply(JqScope scope, JsonNode in, Output out) throws JsonQueryException, RunCancelledException {
    if (fast != null) {
      JsonNode v;
      try {
        v = fast.eval(in);
      } catch (FastPath.GiveUp g) {
        interpret(scope, in, out);
        return;
      }
      out.emit(v);
      return;
    }
    interpret(scope, in, out);
  }

  /**
   * Runs the interpreter, which stops with a {@link RunCancelledException} when the scope says the
   * run is being cancelled (its flag is bound to this thread meanwhile: {@link JqStop}).
   */
  private void interpret(JqScope scope, JsonNode in, Output out) throws JsonQueryException, RunCancelledException {
    BooleanSupplier stop = scope.stop();
    if (stop == null) {
      query.apply(scope.get(), in, out);
      return;
    }
    BooleanSupplier before = JqStop.bind(stop);
    try {
      query.apply(scope.get(), in, out);
    } catch (JqStop.Stopped e) {
      throw new RunCancelledException("jq: stopped in the middle of a record: the run is being cancelled");
    } finally {
      JqStop.unbind(before);
    }
  }

  /** Every output of the expression for one input, as a list. */
  List<JsonNode> all(JqScope scope, JsonNode in) throws JsonQueryException, RunCancelledException {
    List<JsonNode> out = new ArrayList<>(2);
    apply(scope, in, out::add);
    return out;
  }

  /** The first output, or {@code null} when the expression has none (jq's {@code empty}). */
  JsonNode first(JqScope scope, JsonNode in) throws JsonQueryException, RunCancelledException {
    if (fast != null) {
      try {
        return fast.eval(in);
      } catch (FastPath.GiveUp g) {
        // the interpreter below
      }
    }
    List<JsonNode> out = new ArrayList<>(2);
    interpret(scope, in, out::add);
    return out.isEmpty() ? null : out.get(0);
  }

  /** True when any output is truthy (anything but {@code false} and {@code null}), as jq's {@code select}. */
  boolean test(JqScope scope, JsonNode in) throws JsonQueryException, RunCancelledException {
    if (fast != null) {
      try {
        return truthy(fast.eval(in));
      } catch (FastPath.GiveUp g) {
        // the interpreter below
      }
    }
    List<JsonNode> out = new ArrayList<>(2);
    interpret(scope, in, out::add);
    for (JsonNode v : out) {
      if (truthy(v)) return true;
    }
    return false;
  }

  /** jq truthiness: everything but {@code false} and {@code null} (and a missing value). */
  public static boolean truthy(JsonNode v) {
    return !(v == null || v.isNull() || v.isMissingNode() || (v.isBoolean() && !v.booleanValue()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Expression e && e.source.equals(source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source);
  }

  @Override
  public String toString() {
    return source;
  }
}

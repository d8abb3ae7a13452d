package dev.wiz.processor;

import static dev.wiz.processor.LifecycleEvent.*;
import static dev.wiz.processor.ProcessorState.*;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lifecycle state machine of one processor instance, driven by an explicit transition table:
 *
 * <pre>
 * uninitialized --configure--> configured
 * configured --determine--> determining --validate--> validating   (processors that need a seed)
 * configured --validate--> validating --run--> running --produce--> ready --take--> configured
 * validating --reject--> configured                                 (invalid data, non-fatal)
 * running --drop--> configured                                      (chunk failed, onError skip|dead-letter)
 * running|configured|uninitialized|validating|determining --fail--> failed   (fatal)
 * configured --succeed--> success      configured --complete-with-errors--> completed-with-errors
 * </pre>
 *
 * An event the table does not allow throws {@link IllegalTransitionException}. Every transition is
 * passed to the listener, which records it in the provenance log. Not thread-safe: one instance is
 * driven by one thread at a time.
 */
public final class Lifecycle {

  /** One row of the table. */
  public record Transition(ProcessorState from, LifecycleEvent event, ProcessorState to) {}

  /** Receives every transition, in order. */
  @FunctionalInterface
  public interface Listener {
    void onTransition(String processorId, Transition transition);
  }

  /** The whole table. Anything not listed is illegal. */
  public static final List<Transition> TABLE =
      List.of(
          new Transition(UNINITIALIZED, CONFIGURE, CONFIGURED),
          new Transition(UNINITIALIZED, FAIL, FAILED),
          new Transition(CONFIGURED, DETERMINE, DETERMINING),
          new Transition(CONFIGURED, VALIDATE, VALIDATING),
          new Transition(DETERMINING, VALIDATE, VALIDATING),
          new Transition(DETERMINING, FAIL, FAILED),
          new Transition(VALIDATING, RUN, RUNNING),
          new Transition(VALIDATING, REJECT, CONFIGURED),
          new Transition(VALIDATING, FAIL, FAILED),
          new Transition(RUNNING, PRODUCE, READY),
          new Transition(RUNNING, DROP, CONFIGURED),
          new Transition(RUNNING, FAIL, FAILED),
          new Transition(READY, TAKE, CONFIGURED),
          new Transition(CONFIGURED, FAIL, FAILED),
          new Transition(CONFIGURED, SUCCEED, SUCCESS),
          new Transition(CONFIGURED, COMPLETE_WITH_ERRORS, ProcessorState.COMPLETED_WITH_ERRORS));

  private static final Map<ProcessorState, Map<LifecycleEvent, Transition>> INDEX = index();

  private static Map<ProcessorState, Map<LifecycleEvent, Transition>> index() {
    Map<ProcessorState, Map<LifecycleEvent, Transition>> m = new EnumMap<>(ProcessorState.class);
    for (Transition t : TABLE) {
      Transition before =
          m.computeIfAbsent(t.from(), k -> new EnumMap<>(LifecycleEvent.class)).put(t.event(), t);
      if (before != null) {
        throw new ExceptionInInitializerError("two rows for " + t.from() + " + " + t.event());
      }
    }
    m.replaceAll((k, v) -> Collections.unmodifiableMap(v));
    return Collections.unmodifiableMap(m);
  }

  private final String processorId;
  private final Listener listener;
  private ProcessorState state = UNINITIALIZED;

  public Lifecycle(String processorId, Listener listener) {
    this.processorId = Objects.requireNonNull(processorId, "processorId");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The transition the event leads to from the given state, if the table has one. */
  public static Optional<Transition> lookup(ProcessorState from, LifecycleEvent event) {
    return Optional.ofNullable(INDEX.getOrDefault(from, Map.of()).get(event));
  }

  public ProcessorState state() {
    return state;
  }

  /** Applies the event, tells the listener, and returns the new state. */
  public ProcessorState fire(LifecycleEvent event) {
    Transition t =
        lookup(state, event).orElseThrow(() -> new IllegalTransitionException(processorId, state, event));
    state = t.to();
    listener.onTransition(processorId, t);
    return state;
  }
}

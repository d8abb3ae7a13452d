package dev.wiz.processor;

import static dev.wiz.processor.LifecycleEvent.*;
import static dev.wiz.processor.ProcessorState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LifecycleTest {

  /** Drives a fresh lifecycle along a path of events; returns the transitions heard. */
  private static List<Lifecycle.Transition> drive(LifecycleEvent... events) {
    List<Lifecycle.Transition> heard = new ArrayList<>();
    Lifecycle lc = new Lifecycle("p", (id, t) -> {
      assertEquals("p", id);
      heard.add(t);
    });
    for (LifecycleEvent e : events) lc.fire(e);
    return heard;
  }

  /** A path of events from uninitialized to the given state. */
  private static LifecycleEvent[] pathTo(ProcessorState s) {
    switch (s) {
      case UNINITIALIZED: return new LifecycleEvent[] {};
      case CONFIGURED: return new LifecycleEvent[] {CONFIGURE};
      case DETERMINING: return new LifecycleEvent[] {CONFIGURE, DETERMINE};
      case VALIDATING: return new LifecycleEvent[] {CONFIGURE, VALIDATE};
      case RUNNING: return new LifecycleEvent[] {CONFIGURE, VALIDATE, RUN};
      case READY: return new LifecycleEvent[] {CONFIGURE, VALIDATE, RUN, PRODUCE};
      case FAILED: return new LifecycleEvent[] {FAIL};
      case SUCCESS: return new LifecycleEvent[] {CONFIGURE, SUCCEED};
      case COMPLETED_WITH_ERRORS: return new LifecycleEvent[] {CONFIGURE, COMPLETE_WITH_ERRORS};
      default: throw new AssertionError(s);
    }
  }

  static Stream<Arguments> everyStateAndEvent() {
    List<Arguments> out = new ArrayList<>();
    for (ProcessorState s : ProcessorState.values()) {
      for (LifecycleEvent e : LifecycleEvent.values()) out.add(Arguments.of(s, e));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("everyStateAndEvent")
  void everyTransitionIsLegalExactlyWhenTheTableHasIt(ProcessorState from, LifecycleEvent event) {
    Lifecycle lc = new Lifecycle("p", (id, t) -> {});
    for (LifecycleEvent e : pathTo(from)) lc.fire(e);
    assertEquals(from, lc.state());
    var row = Lifecycle.lookup(from, event);
    if (row.isPresent()) {
      assertEquals(row.get().to(), lc.fire(event));
      assertEquals(row.get().to(), lc.state());
    } else {
      IllegalTransitionException ex = assertThrows(IllegalTransitionException.class, () -> lc.fire(event));
      assertTrue(ex.getMessage().contains("'" + event.label() + "' in state '" + from.label() + "'"), ex.getMessage());
      assertEquals(from, lc.state(), "an illegal event leaves the state as it was");
    }
  }

  @Test
  void theTableHasExactlyTheDesignedTransitions() {
    assertEquals(16, Lifecycle.TABLE.size());
    assertEquals(java.util.Optional.of(new Lifecycle.Transition(RUNNING, DROP, CONFIGURED)), Lifecycle.lookup(RUNNING, DROP));
    assertEquals(java.util.Optional.of(new Lifecycle.Transition(VALIDATING, REJECT, CONFIGURED)), Lifecycle.lookup(VALIDATING, REJECT));
    assertTrue(Lifecycle.lookup(READY, RUN).isEmpty());
    assertTrue(Lifecycle.lookup(UNINITIALIZED, VALIDATE).isEmpty());
  }

  @Test
  void terminalStatesHaveNoWayOut() {
    for (Lifecycle.Transition t : Lifecycle.TABLE) {
      assertTrue(!t.from().terminal(), "a row leaves terminal state " + t.from());
    }
    assertTrue(FAILED.terminal() && SUCCESS.terminal() && COMPLETED_WITH_ERRORS.terminal());
  }

  @Test
  void aSeededChunkPassesThroughDeterminingAndEveryTransitionIsHeard() {
    List<Lifecycle.Transition> heard =
        drive(CONFIGURE, DETERMINE, VALIDATE, RUN, PRODUCE, TAKE, SUCCEED);
    assertEquals(List.of(UNINITIALIZED, CONFIGURED, DETERMINING, VALIDATING, RUNNING, READY, CONFIGURED),
        heard.stream().map(Lifecycle.Transition::from).toList());
    assertEquals(SUCCESS, heard.get(heard.size() - 1).to());
  }

  @Test
  void invalidDataAndDroppedChunksReturnToConfiguredAndEndWithErrors() {
    List<Lifecycle.Transition> heard =
        drive(CONFIGURE, VALIDATE, REJECT, VALIDATE, RUN, DROP, COMPLETE_WITH_ERRORS);
    assertEquals(CONFIGURED, heard.get(2).to());
    assertEquals(CONFIGURED, heard.get(5).to());
    assertEquals(COMPLETED_WITH_ERRORS, heard.get(6).to());
  }

  @Test
  void aFatalChunkFailureIsTerminal() {
    Lifecycle lc = new Lifecycle("p", (id, t) -> {});
    lc.fire(CONFIGURE);
    lc.fire(VALIDATE);
    lc.fire(RUN);
    assertEquals(FAILED, lc.fire(FAIL));
    assertThrows(IllegalTransitionException.class, () -> lc.fire(CONFIGURE));
  }
}

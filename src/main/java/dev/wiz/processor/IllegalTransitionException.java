package dev.wiz.processor;

/** A lifecycle event that the transition table does not allow in the current state: a bug in wiz. */
public final class IllegalTransitionException extends IllegalStateException {
  public IllegalTransitionException(String processorId, ProcessorState from, LifecycleEvent event) {
    super("processor '" + processorId + "': illegal lifecycle event '" + event.label()
        + "' in state '" + from.label() + "'");
  }
}

package dev.wiz.provenance;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The events of a log, read from the start as often as a reader needs (an export reads its log
 * once for each part of what it writes, rather than hold it): {@link ProvenanceReader#events} for a
 * file, {@link #of} for events in memory.
 */
@FunctionalInterface
public interface EventSource {
  /**
   * Calls {@code visit} with each event of the log whose type is one of {@code types}, in order;
   * lines that are not events are skipped, as {@link ProvenanceReader#select} skips them.
   */
  void forEach(Set<EventType> types, Consumer<Event> visit) throws IOException;

  /** Events held in memory. */
  static EventSource of(List<Event> events) {
    List<Event> copy = List.copyOf(events);
    return (types, visit) -> {
      for (Event e : copy) {
        if (types.contains(e.type())) visit.accept(e);
      }
    };
  }
}

package dev.wiz.provenance;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link EventType#REUSED} event says about the chunk a resumed run took over: the run that
 * committed it (where its full history is) and the records that run skipped and dead-lettered in it.
 * The engine writes these in the event's {@code error} text,
 * {@code committed by run <id> (skipped <n>, deadLettered <n>)}; this reads them back.
 */
public record ReusedFrom(String run, long skipped, long deadLettered) {
  private static final Pattern TEXT =
      Pattern.compile("committed by run (\\S+)(?: \\(skipped (\\d+), deadLettered (\\d+)\\))?.*", Pattern.DOTALL);

  /** The run and counts of a REUSED event; empty for any other event, or one whose text does not say. */
  public static Optional<ReusedFrom> of(Event e) {
    if (e.type() != EventType.REUSED || e.error() == null) return Optional.empty();
    Matcher m = TEXT.matcher(e.error());
    if (!m.matches()) return Optional.empty();
    return Optional.of(new ReusedFrom(m.group(1), count(m.group(2)), count(m.group(3))));
  }

  private static long count(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}

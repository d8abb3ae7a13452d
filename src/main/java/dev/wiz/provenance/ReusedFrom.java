package dev.wiz.provenance;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link EventType#REUSED} event says about the chunk a resumed run took over: the run that
 * committed it, where its full history is, and (in logs written before REUSED events had
 * {@code committedBy}) the records that run skipped and dead-lettered in it, which those logs kept
 * in the event's {@code error} text, {@code committed by run <id> (skipped <n>, deadLettered <n>)}.
 *
 * @param skipped null when the event does not say (that run's log does)
 * @param deadLettered null when the event does not say
 */
public record ReusedFrom(String run, Long skipped, Long deadLettered) {
  private static final Pattern TEXT =
      Pattern.compile("committed by run (\\S+)(?: \\(skipped (\\d+), deadLettered (\\d+)\\))?.*", Pattern.DOTALL);

  /** The run (and counts) of a REUSED event; empty for any other event, or one that does not say. */
  public static Optional<ReusedFrom> of(Event e) {
    if (e.type() != EventType.REUSED) return Optional.empty();
    if (e.committedBy() != null) return Optional.of(new ReusedFrom(e.committedBy(), null, null));
    if (e.error() == null) return Optional.empty();
    Matcher m = TEXT.matcher(e.error());
    if (!m.matches()) return Optional.empty();
    return Optional.of(new ReusedFrom(m.group(1), count(m.group(2)), count(m.group(3))));
  }

  private static Long count(String digits) {
    return digits == null ? null : Long.parseLong(digits);
  }
}

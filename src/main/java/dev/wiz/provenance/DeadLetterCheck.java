package dev.wiz.provenance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Holds a run's dead-letter file against what its log says the run wrote there, as {@link
 * OutputCheck} holds its output: the lines of every DEAD_LETTER event (and of every chunk a resumed
 * run took over with its dead letters: REUSED) at their offset hash to the digest logged for them,
 * one after another from the first byte, and the file ends where the last ends. A run that did not
 * end (it crashed) may have written dead letters of chunks it never committed after them: they are
 * let be.
 */
public final class DeadLetterCheck {
  private DeadLetterCheck() {}

  /**
   * What the check came to: {@code checked} false when the log records no digest of the dead
   * letters (a wiz from before they were recorded wrote it); {@code bytes}, the bytes the log says
   * the run wrote; {@code problem}, what is wrong with the file.
   */
  public record Result(boolean checked, long bytes, Optional<String> problem) {
    /** Whether the run wrote dead letters, or may have (an older log), that is worth saying. */
    public boolean any() {
      return !checked || bytes > 0 || problem.isPresent();
    }
  }

  /** Why a log's dead letters were not checked. */
  public static final String NOT_RECORDED = "its log records no digest of them (a wiz from before it did wrote the log)";

  /**
   * Checks {@code file} against the events of the log (those that are not DEAD_LETTER or REUSED
   * are left out); {@code ended}: whether the run ended as runs end, committing all it wrote.
   */
  public static Result check(Path file, List<Event> events, boolean ended) throws IOException {
    List<Event> logged = new ArrayList<>();
    for (Event e : events) {
      if (e.type() != EventType.DEAD_LETTER && e.type() != EventType.REUSED) continue;
      if (e.deadLetters() != null) logged.add(e);
    }
    boolean hasFile = Files.isRegularFile(file) && Files.size(file) > 0;
    if (logged.isEmpty()) {
      // Dead letters without digests: a wiz from before wrote the log (a resumed run of one logged
      // its REUSED chunks' dead letters without any DEAD_LETTER event). With no file, there is
      // nothing to check: the DEAD_LETTER events of a chunk that failed the run wrote no lines.
      return hasFile ? new Result(false, 0, Optional.empty()) : new Result(true, 0, Optional.empty());
    }
    logged.sort(Comparator.comparingLong(e -> e.deadLetters().offset()));
    Event last = logged.get(logged.size() - 1);
    long bytes = last.deadLetters().offset() + last.deadLetters().bytes();
    if (!Files.exists(file)) {
      return problem(bytes, "missing, but the run wrote " + ProvenanceReader.plural(bytes, "byte") + " of dead letters there");
    }
    if (!Files.isRegularFile(file)) return problem(bytes, "not a regular file, but the run wrote its dead letters there");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < bytes || (size > bytes && ended)) {
        return problem(bytes, ProvenanceReader.plural(size, "byte") + ", but the run wrote " + ProvenanceReader.plural(bytes, "byte")
            + " of dead letters" + (size < bytes ? ": it was cut" : ": bytes were added") + " after the run");
      }
      MessageDigest sha = dev.wiz.Json.sha256();
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long at = 0;
      for (Event e : logged) {
        Event.DeadLetterRef d = e.deadLetters();
        if (d.offset() != at) {
          return problem(bytes, d.offset() > at
              ? "bytes " + at + " to " + d.offset() + " are no chunk's dead letters: the log records none there"
              : "the log records the dead letters of chunk " + e.chunk() + " at byte " + d.offset()
                  + ", inside those before it (ending at byte " + at + ")");
        }
        Optional<String> changed = changed(ch, buf, sha, e);
        if (changed.isPresent()) return problem(bytes, changed.get());
        at = d.offset() + d.bytes();
      }
    }
    return new Result(true, bytes, Optional.empty());
  }

  /**
   * Checks the lines of each event (DEAD_LETTER or REUSED, with {@code deadLetters}) on its own,
   * wherever they are in {@code file}, without asking that they follow one another or end the file:
   * what a resumed run checks before it copies the dead letters of the chunks it takes over. Empty
   * when they all hash to what the log recorded.
   */
  public static Optional<String> checkEach(Path file, List<Event> events) throws IOException {
    if (events.isEmpty()) return Optional.empty();
    long bytes = 0;
    for (Event e : events) bytes = Math.max(bytes, e.deadLetters().offset() + e.deadLetters().bytes());
    if (!Files.isRegularFile(file)) {
      return Optional.of("missing, but the run wrote " + ProvenanceReader.plural(bytes, "byte") + " of dead letters there");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < bytes) {
        return Optional.of(ProvenanceReader.plural(size, "byte") + ", but the run wrote " + ProvenanceReader.plural(bytes, "byte")
            + " of dead letters: it was cut after the run");
      }
      MessageDigest sha = dev.wiz.Json.sha256();
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      for (Event e : events) {
        Optional<String> changed = changed(ch, buf, sha, e);
        if (changed.isPresent()) return changed;
      }
    }
    return Optional.empty();
  }

  /** What is wrong with the lines of the event's {@code deadLetters}: empty when they hash to its digest. */
  private static Optional<String> changed(FileChannel ch, ByteBuffer buf, MessageDigest sha, Event e) throws IOException {
    Event.DeadLetterRef d = e.deadLetters();
    sha.reset();
    long to = d.offset() + d.bytes();
    for (long p = d.offset(); p < to; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), to - p));
      int n = ch.read(buf, p);
      if (n < 0) break;
      sha.update(buf.array(), 0, n);
      p += n;
    }
    String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (digest.equals(d.digest())) return Optional.empty();
    String whose = e.type() == EventType.REUSED
        ? "dead letters chunk " + e.chunk() + " brought from run " + ReusedFrom.of(e).map(ReusedFrom::run).orElse("?")
        : ProvenanceReader.plural(e.recordsIn() == null ? 0 : e.recordsIn(), "dead letter") + " of chunk " + e.chunk()
            + (e.processor() == null ? "" : " from '" + e.processor().id() + "'");
    return Optional.of("the " + ProvenanceReader.plural(d.bytes(), "byte") + " at byte " + d.offset() + " (" + whose
        + ") hash to " + digest + ", not to the " + d.digest() + " the log recorded for them: they were changed after the run");
  }

  private static Result problem(long bytes, String message) {
    return new Result(true, bytes, Optional.of(message));
  }
}

package dev.wiz.provenance;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads a run's provenance log and checks its hash chain. */
public final class ProvenanceReader {
  private ProvenanceReader() {}

  /** A problem with one line of the log. */
  public record BadLine(long line, String message) {}

  /**
   * Cuts what a crash tore off the end of the log: a last line without its newline, or last lines
   * that do not parse. Returns the number of bytes cut (0 when the log ended cleanly).
   */
  public static long cutTornTail(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int end = all.length;
    EventReader reader = new EventReader();
    while (end > 0) {
      if (all[end - 1] != '\n') {
        int nl = lastNewline(all, end - 1);
        end = nl + 1;
        continue;
      }
      int start = lastNewline(all, end - 2) + 1;
      try {
        reader.read(all, start, end - start);
        break;
      } catch (IOException torn) {
        end = start;
      }
    }
    long cut = all.length - end;
    if (cut > 0) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
    return cut;
  }

  private static int lastNewline(byte[] b, int from) {
    for (int i = from; i >= 0; i--) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  /** Every event of the log matching the predicate, in order. Lines that do not parse are skipped. */
  public static List<Event> read(Path file, Predicate<Event> keep) throws IOException {
    return select(file, keep).kept();
  }

  /**
   * The events of a log that match a predicate, with what the whole log came to: how many events
   * parsed and the hash of the last ({@link ProvenanceLog#GENESIS} when none did), to hold against
   * what the run's record says with {@link #mismatch}.
   *
   * @param unreadable how many lines were not events (torn, edited, not JSON)
   * @param firstUnreadable the number of the first of them, 0 when there is none
   * @param chainBreak the first event, before any unreadable line, that breaks the hash chain (a
   *     line changed, removed, inserted or reordered), as {@link #verify} names it; empty when the
   *     events up to the first unreadable line (or the end) chain
   */
  public record Selection(List<Event> kept, long events, String head, long unreadable, long firstUnreadable,
      Optional<BadLine> chainBreak) {
    public Selection {
      kept = List.copyOf(kept);
      Objects.requireNonNull(chainBreak, "chainBreak");
    }
  }

  /**
   * The log, to read: a folder where the log should be is broken state, named with its path (the
   * file system said only "Is a directory").
   */
  private static BufferedReader open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new dev.wiz.state.BrokenStateException(file, "provenance log", "it is a folder");
    }
    return reader(Files.newInputStream(file));
  }

  /**
   * Bytes that are not UTF-8 become U+FFFD, so the line that holds them is the one that does not
   * parse or whose hash does not match: a decoder that reports them stops the whole read, some
   * thousands of characters before them, with words that name neither the file nor the line
   * ("Input length = 1").
   */
  private static BufferedReader reader(java.io.InputStream in) {
    return new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)));
  }

  /** {@link #open(Path)}, reading no more than the first {@code bytes} bytes of the log. */
  private static BufferedReader open(Path file, long bytes) throws IOException {
    if (Files.isDirectory(file)) {
      throw new dev.wiz.state.BrokenStateException(file, "provenance log", "it is a folder");
    }
    return reader(new Prefix(Files.newInputStream(file), bytes));
  }

  /** The first bytes of a stream. */
  private static final class Prefix extends java.io.FilterInputStream {
    private long left;

    Prefix(java.io.InputStream in, long bytes) {
      super(in);
      this.left = bytes;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = super.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }
  }

  /**
   * The events of the first {@code bytes} bytes of a log (its length when an export began), to be
   * read as often as needed: the lines that {@link #select} reads as events, but a line whose
   * type the reader does not want is left once its {@code type} is read. A pass that finds the
   * log shorter than that fails: it was cut or replaced meanwhile (a resumed run cuts a torn tail).
   */
  public static EventSource events(Path file, long bytes) {
    return (types, visit) -> scan(file, bytes, types, visit);
  }

  private static void scan(Path file, long bytes, java.util.Set<EventType> types, java.util.function.Consumer<Event> visit)
      throws IOException {
    EventReader reader = new EventReader();
    long total = 0;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int start = 0;
      int end = 0;
      int from = 0;
      boolean eof = false;
      while (true) {
        int nl = -1;
        for (int i = from; i < end; i++) {
          if (buf[i] == '\n') {
            nl = i;
            break;
          }
        }
        if (nl < 0 && !eof) {
          if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
          }
          if (end == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          from = end;
          int n = total >= bytes ? -1 : in.read(buf, end, (int) Math.min(buf.length - end, bytes - total));
          if (n < 0) {
            eof = true;
          } else {
            end += n;
            total += n;
          }
          continue;
        }
        int lineEnd = nl < 0 ? end : nl;
        if (lineEnd > start || nl >= 0) line(reader, buf, start, lineEnd - start, types, visit);
        if (nl < 0) break;
        start = nl + 1;
        from = start;
      }
    }
    if (total < bytes) {
      throw new IOException(file + " has " + plural(total, "byte") + ", not the " + plural(bytes, "byte")
          + " it had when it was first read: it was cut or replaced meanwhile");
    }
  }

  private static void line(EventReader reader, byte[] b, int off, int len, java.util.Set<EventType> types,
      java.util.function.Consumer<Event> visit) {
    EventType peeked = EventReader.type(b, off, len);
    if (peeked != null && !types.contains(peeked)) return;
    Event e;
    try {
      e = reader.read(b, off, len);
    } catch (IOException bad) {
      return;
    }
    if (isEvent(e) && types.contains(e.type())) visit.accept(e);
  }

  /**
   * Reads the log once: the events matching the predicate, in order; lines that do not parse are
   * skipped. The chain is checked on the way, as {@link #verify} checks it, so that what is shown
   * of a log someone edited is not taken for what the run did.
   */
  public static Selection select(Path file, Predicate<Event> keep) throws IOException {
    return select(file, keep, Long.MAX_VALUE);
  }

  /** {@link #select(Path, Predicate)} of the first {@code bytes} bytes of the log. */
  public static Selection select(Path file, Predicate<Event> keep, long bytes) throws IOException {
    EventReader reader = new EventReader();
    List<Event> out = new ArrayList<>();
    long events = 0;
    long lineNo = 0;
    long unreadable = 0;
    long firstUnreadable = 0;
    String head = ProvenanceLog.GENESIS;
    Optional<BadLine> chainBreak = Optional.empty();
    try (BufferedReader r = bytes == Long.MAX_VALUE ? open(file) : open(file, bytes)) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        Event e;
        try {
          e = line.isBlank() ? null : reader.read(line);
        } catch (IOException bad) {
          e = null;
        }
        if (!isEvent(e)) { // not JSON, or JSON but not an event wiz logs (null, {})
          if (unreadable++ == 0) firstUnreadable = lineNo;
          continue;
        }
        if (unreadable == 0 && chainBreak.isEmpty()) chainBreak = link(lineNo, head, e);
        events++;
        head = e.hash();
        if (keep.test(e)) out.add(e);
      }
    }
    return new Selection(out, events, head, unreadable, firstUnreadable, chainBreak);
  }

  /**
   * What is wrong with event {@code e} on line {@code lineNo} as the link after an event whose
   * hash is {@code prev}: empty when it is the next link of the chain.
   */
  private static Optional<BadLine> link(long lineNo, String prev, Event e) {
    if (e.seq() == null || e.seq() != lineNo) {
      return Optional.of(new BadLine(lineNo, "sequence number " + e.seq() + " where " + lineNo
          + " was expected (a line was removed, inserted or reordered)"));
    }
    if (!Objects.equals(e.prev(), prev)) {
      return Optional.of(new BadLine(lineNo, "prev does not match the hash of line " + (lineNo - 1)));
    }
    if (!Objects.equals(ProvenanceLog.hashOf(e), e.hash())) {
      return Optional.of(new BadLine(lineNo, "hash does not match the event (the line was changed)"));
    }
    return Optional.empty();
  }

  /** Whether a line that parsed holds what every logged event has: its place in the chain and a type. */
  private static boolean isEvent(Event e) {
    return e != null && e.seq() != null && e.hash() != null && e.type() != null;
  }

  /**
   * What is wrong with a log of {@code events} events ending in {@code head}, against the number
   * of events and the head its run's record gives (written when the run ended): empty when they
   * agree. The chain alone cannot tell a log cut at an event boundary, or emptied, from a whole one.
   */
  public static Optional<String> mismatch(long events, String head, long recordedEvents, String recordedHead) {
    String recorded = "run.json records " + plural(recordedEvents, "event") + " ending in head " + recordedHead;
    if (events == 0 && recordedEvents > 0) {
      return Optional.of("the log is empty, but " + recorded + ": it was emptied or replaced");
    }
    if (events < recordedEvents) {
      return Optional.of("the log has " + plural(events, "event") + ", but " + recorded + ": events were cut off the end");
    }
    if (events > recordedEvents) {
      return Optional.of("the log has " + plural(events, "event") + ", but " + recorded
          + ": events were added after the run ended");
    }
    if (recordedHead != null && !recordedHead.equals(head)) {
      return Optional.of("the last event's hash (" + head + ") is not the head recorded in run.json (" + recordedHead
          + "): the log was replaced or rewritten");
    }
    return Optional.empty();
  }

  /** {@code 1 event}, {@code 2 events}. */
  public static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /**
   * An intact chain of {@code events} events whose last has the hash {@code head} ({@link
   * ProvenanceLog#GENESIS} when the log is empty), or the first bad line (then {@code events} and
   * {@code head} are those of the lines before it).
   */
  public record Chain(long events, String head, Optional<BadLine> bad) {
    public boolean intact() {
      return bad.isEmpty();
    }
  }

  /**
   * Checks the chain: every line parses, sequence numbers count up from 1, every {@code prev} is
   * the previous line's hash, every hash matches its event. Returns the first bad line, if any.
   */
  public static Optional<BadLine> verify(Path file) throws IOException {
    return chain(file).bad();
  }

  /** Checks the chain as {@link #verify} does, and says how long it is and what its head is. */
  public static Chain chain(Path file) throws IOException {
    return chain(file, e -> false, new ArrayList<>());
  }

  /** Checks the chain as {@link #chain(Path)} does, adding to {@code kept} the events of it that match {@code keep}. */
  public static Chain chain(Path file, Predicate<Event> keep, List<Event> kept) throws IOException {
    EventReader reader = new EventReader();
    String prev = ProvenanceLog.GENESIS;
    long lineNo = 0;
    try (BufferedReader r = open(file)) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        Event e;
        try {
          e = reader.read(line);
        } catch (IOException bad) {
          return broken(lineNo, prev, "not a provenance event (torn or edited line)");
        }
        if (e == null) return broken(lineNo, prev, "not a provenance event (null)");
        Optional<BadLine> bad = link(lineNo, prev, e);
        if (bad.isPresent()) return new Chain(lineNo - 1, prev, bad);
        if (keep.test(e)) kept.add(e);
        prev = e.hash();
      }
    }
    return new Chain(lineNo, prev, Optional.empty());
  }

  private static Chain broken(long lineNo, String prev, String message) {
    return new Chain(lineNo - 1, prev, Optional.of(new BadLine(lineNo, message)));
  }
}

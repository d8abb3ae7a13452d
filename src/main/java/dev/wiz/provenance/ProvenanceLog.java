package dev.wiz.provenance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wiz.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The append-only, hash-chained event log of one run ({@code provenance.jsonl}). Appends are
 * buffered and reach the disk with an fsync at {@link #commit()} points (a chunk is committed when
 * its events are). Thread-safe.
 */
public final class ProvenanceLog implements AutoCloseable {
  /**
   * For measuring what provenance costs, and nothing else: with the system property
   * {@code wiz.measure.provenance=off} the engine takes no digests and the log keeps no events
   * (bench/run.sh runs the 1M-record job with and without, bench/README.md). A run made so has an empty
   * log: it cannot be shown, verified or resumed, and wiz says so when it starts.
   */
  public static final boolean MEASURING_WITHOUT = "off".equals(System.getProperty("wiz.measure.provenance"));

  /** The {@code prev} of the first event. */
  public static final String GENESIS = "sha256:" + "0".repeat(64);

  private final Path file;
  private final FileChannel channel;
  private final String runId;
  private final String requestKey;
  private final Clock clock;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1 << 16);
  /** The canonical form of the event being appended, for its hash. */
  private final ByteArrayOutputStream canonical = new ByteArrayOutputStream(1024);
  private final MessageDigest sha = Json.sha256();
  private long seq;
  private String head = GENESIS;
  private java.util.function.UnaryOperator<String> redactor;

  private ProvenanceLog(Path file, FileChannel channel, String runId, String requestKey, Clock clock) {
    this.file = file;
    this.channel = channel;
    this.runId = runId;
    this.requestKey = requestKey;
    this.clock = clock;
  }

  /** Creates the log file (it must not exist). */
  public static ProvenanceLog create(Path file, String runId, String requestKey, Clock clock) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new ProvenanceLog(file, ch, runId, requestKey, clock);
  }

  /** Chains and buffers the events, in order. Returns them as written. */
  public synchronized List<Event> append(List<Event> events) {
    Event[] out = new Event[events.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = appendOne(events.get(i));
    }
    return List.of(out);
  }

  public synchronized Event append(Event event) {
    return appendOne(event);
  }

  /**
   * What every event's {@code error} goes through before it is chained: the run's values from the
   * environment made {@code ${NAME}} again (a message may quote a record's value next to one).
   */
  public synchronized void redactErrors(java.util.function.UnaryOperator<String> redactor) {
    this.redactor = redactor;
  }

  private Event appendOne(Event e) {
    if (MEASURING_WITHOUT) return e;
    if (e.error() != null && redactor != null) e = e.withError(redactor.apply(e.error()));
    long s = ++seq;
    Event unhashed = e.chained(s, runId.substring(0, 8) + "-" + s, clock.instant().toString(), runId, requestKey, head, null);
    canonical.reset();
    write(unhashed, canonical, true);
    String hash = "sha256:" + HexFormat.of().formatHex(sha.digest(canonical.toByteArray()));
    Event chained = unhashed.chained(s, unhashed.id(), unhashed.time(), runId, requestKey, head, hash);
    write(chained, pending, false);
    pending.write('\n');
    head = hash;
    return chained;
  }

  /** The hash of an event: sha-256 over the canonical JSON of the event without its hash. */
  public static String hashOf(Event e) {
    return Json.digest(canonicalBytes(e.withoutHash()));
  }

  /**
   * The canonical JSON of an event: its fields (and those of the records in it) in alphabetical
   * order, absent ones left out, compact: the bytes {@link Json#canonicalBytes} gives for the event
   * as a tree.
   */
  static byte[] canonicalBytes(Event e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    write(e, out, true);
    return out.toByteArray();
  }

  private static void write(Event e, java.io.OutputStream out, boolean canonical) {
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
      e.writeTo(g, canonical);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Writes the buffered events and forces them to disk. */
  public synchronized void commit() throws IOException {
    flush();
    channel.force(false);
  }

  private void flush() throws IOException {
    if (pending.size() == 0) return;
    ByteBuffer buf = ByteBuffer.wrap(pending.toByteArray());
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
    pending.reset();
  }

  /** The log's file. */
  public Path file() {
    return file;
  }

  /** The hash of the last event appended (the head of the chain). */
  public synchronized String head() {
    return head;
  }

  public synchronized long count() {
    return seq;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      commit();
    } finally {
      channel.close();
    }
  }

  static String toJson(Event e) {
    try {
      return Json.mapper().writeValueAsString(e);
    } catch (JsonProcessingException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processors.ChildProcess.End;
import dev.wiz.processors.ChildProcess.Line;
import dev.wiz.processors.ChildProcess.Out;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code exec} instance: pipes each chunk through an external program as JSON lines. With
 * {@code stream} every chunk gets its own process; with {@code line-per-record} one process serves
 * every chunk the instance sees and is ended in {@link #close}. Whatever goes wrong with the program
 * kills it (and what it started) and fails the chunk with the reason and the program's last stderr
 * lines; the next chunk, or the retry, starts a fresh process.
 */
final class ExecProcessor implements Processor {
  /** How often waiting looks at the deadline and at cancellation. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** How long a long-lived program may take to exit once its stdin is closed. */
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int EXCERPT_CHARS = 80;
  private static final Map<Integer, String> SIGNALS =
      Map.of(1, "HUP", 2, "INT", 3, "QUIT", 6, "ABRT", 9, "KILL", 11, "SEGV", 13, "PIPE", 14, "ALRM", 15, "TERM");

  private static final class Reader {
    /** One JSON value per line, and nothing after it. */
    static final ObjectReader LINE = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private final ExecConfig config;
  private ProcessorContext context;
  private ChildProcess child;

  ExecProcessor(ExecConfig config) {
    this.config = config;
  }

  @Override
  public void init(ProcessorContext context) {
    this.context = context;
  }

  @Override
  public Chunk process(Chunk chunk) throws ProcessorException {
    List<JsonNode> in = chunk.records();
    if (in.isEmpty()) return chunk.withRecords(List.of());
    long deadline = System.nanoTime() + config.timeout().toNanos();
    return chunk.withRecords(
        config.protocol() == ExecConfig.Protocol.STREAM ? stream(in, deadline) : linePerRecord(in, deadline));
  }

  /** A fresh process; stdin is closed after the records, every stdout line is a record, exit 0 needed. */
  private List<JsonNode> stream(List<JsonNode> in, long deadline) throws ProcessorException {
    ChildProcess c = start();
    child = c;
    c.write(in, true);
    List<JsonNode> out = new ArrayList<>();
    int line = 0;
    while (true) {
      Out o = next(c, deadline, line + " stdout lines");
      if (o instanceof Line l) {
        line++;
        if (!l.text().isBlank()) out.add(parse(c, l, line));
      } else {
        IOException error = ((End) o).error();
        if (error != null) throw fail(c, notReadable(line, error), false);
        break;
      }
    }
    int code = exit(c, deadline, "its output ended");
    if (code != 0) throw fail(c, exited(code) + " after " + line + " stdout lines", true);
    c.end();
    child = null;
    return out;
  }

  /** The instance's process (started when there is none); exactly one stdout line per record. */
  private List<JsonNode> linePerRecord(List<JsonNode> in, long deadline) throws ProcessorException {
    if (child != null) extraLines(child, 0);
    if (child != null && !child.alive()) endChild("ended between chunks");
    if (child == null) child = start();
    ChildProcess c = child;
    c.write(in, false);
    List<JsonNode> out = new ArrayList<>(in.size());
    int answered = 0;
    int line = 0;
    while (answered < in.size()) {
      Out o = next(c, deadline, answered + " of " + in.size() + " answers");
      if (o instanceof Line l) {
        line++;
        if (l.text().isBlank()) continue;
        answered++;
        JsonNode r = parse(c, l, line);
        if (!r.isNull()) out.add(r);
      } else {
        IOException error = ((End) o).error();
        if (error != null) throw fail(c, notReadable(line, error), false);
        int code = exit(c, deadline, "its output ended");
        throw fail(c, exited(code) + " after answering " + answered + " of " + in.size() + " records", true);
      }
    }
    try {
      if (!c.awaitWriter(Math.max(SLICE_NANOS, deadline - System.nanoTime()))) {
        throw fail(c, "answered every record but did not read all of its input", false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(c, "stopped: interrupted", false);
    }
    if (c.writeError() != null) {
      throw fail(c, "could not be written to: " + c.writeError().getMessage(), true);
    }
    extraLines(c, line);
    return out;
  }

  /**
   * Fails when stdout holds lines nobody asked for: after the answers of a chunk (line is the last
   * line read), or before the next chunk's records are sent (line 0: they came late). Best effort: a
   * line that arrives later still is taken as the next record's answer.
   */
  private void extraLines(ChildProcess c, int line) throws ProcessorException {
    for (Out o : c.pending()) {
      if (o instanceof Line l && !l.text().isBlank()) {
        throw fail(c, "wrote more lines than it was sent records (" + (line == 0 ? "between chunks" : "line " + (line + 1))
            + ": " + excerpt(l.text()) + "); with protocol line-per-record it must answer every line with exactly one line",
            false);
      }
      if (o instanceof End) {
        endChild("closed its stdout after a chunk");
        return;
      }
    }
  }

  private ChildProcess start() throws ProcessorException {
    String id = context == null ? "exec" : context.processorId();
    try {
      ChildProcess c = ChildProcess.start(config, "wiz-exec-" + id);
      if (context != null) context.logger().debug("exec '{}': started {} (pid {})", id, config.program(), c.pid());
      return c;
    } catch (IOException e) {
      throw new ProcessorException("program '" + config.program() + "' could not be started: " + e.getMessage(), false, e);
    }
  }

  /** The next thing stdout says; fails the chunk at the deadline or when the run is cancelled. */
  private Out next(ChildProcess c, long deadline, String progress) throws ProcessorException {
    try {
      while (true) {
        long left = checkTime(c, deadline, progress);
        Out o = c.poll(Math.min(left, SLICE_NANOS));
        if (o != null) return o;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(c, "stopped: interrupted", false);
    }
  }

  /** The exit code; fails the chunk at the deadline or when the run is cancelled. */
  private int exit(ChildProcess c, long deadline, String progress) throws ProcessorException {
    try {
      while (true) {
        long left = checkTime(c, deadline, progress);
        Integer code = c.waitFor(Math.min(left, SLICE_NANOS));
        if (code != null) return code;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(c, "stopped: interrupted", false);
    }
  }

  /** The time left before the deadline; throws when there is none or the run is being cancelled. */
  private long checkTime(ChildProcess c, long deadline, String progress) throws ProcessorException {
    if (context != null && context.cancelled()) {
      throw fail(c, "stopped because the run is being cancelled (after " + progress + "); it was killed", false);
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw fail(c, "timed out: the chunk took longer than timeoutSeconds (" + seconds() + ") after " + progress
          + "; it was killed", true);
    }
    return left;
  }

  private String seconds() {
    double s = config.timeout().toNanos() / 1e9;
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }

  private JsonNode parse(ChildProcess c, Line l, int line) throws ProcessorException {
    if (!l.utf8()) {
      throw fail(c, "wrote a line that is not UTF-8 (stdout line " + line + " of the chunk): " + excerpt(l.text()), false);
    }
    try {
      return Reader.LINE.readTree(l.text());
    } catch (IOException e) {
      throw fail(c, "wrote a line that is not JSON (stdout line " + line + " of the chunk): " + excerpt(l.text()), false);
    }
  }

  private static String notReadable(int line, IOException error) {
    return "stdout could not be read after line " + line + ": " + error.getMessage();
  }

  /** The start of a line, quoted as JSON so control characters show. */
  static String excerpt(String text) {
    String cut = text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "…" : text;
    return Json.mapper().getNodeFactory().textNode(cut).toString();
  }

  static String exited(int code) {
    String signal = code > 128 && code < 160 ? SIGNALS.get(code - 128) : null;
    return "exited with code " + code
        + (code > 128 && code < 160 ? " (killed by signal " + (code - 128) + (signal == null ? "" : " " + signal) + ")" : "");
  }

  /** Kills the program and what it started, and makes the chunk error with its stderr tail. */
  private ProcessorException fail(ChildProcess c, String reason, boolean retryable) {
    c.kill();
    List<String> tail = c.stderrTail();
    c.end();
    if (c == child) child = null;
    return new ProcessorException(message("program '" + config.program() + "' " + reason, tail), retryable, null);
  }

  /** The reason, then the last stderr lines, each on its own line. */
  static String message(String reason, List<String> stderrTail) {
    if (stderrTail.isEmpty()) return reason + " (its stderr was empty)";
    StringBuilder b = new StringBuilder(reason).append("; the last lines of its stderr:");
    for (String l : stderrTail) b.append("\n  | ").append(l);
    return b.toString();
  }

  /** Ends a long-lived process: end of input, a little time to exit, then the kill. */
  private void endChild(String why) {
    ChildProcess c = child;
    child = null;
    c.closeStdin();
    Integer code = null;
    try {
      code = c.waitFor(CLOSE_GRACE_NANOS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    c.kill();
    if (context != null && (code == null || code != 0)) {
      context.logger().warn("exec '{}': program '{}' {} and {}", context.processorId(), config.program(), why,
          code == null ? "was killed" : exited(code));
    }
    c.end();
  }

  @Override
  public void close() {
    if (child != null) endChild("was ended after the last chunk");
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import dev.wiz.io.JsonErrors;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Emitter;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.ChildProcess.Cleanup;
import dev.wiz.processors.ChildProcess.End;
import dev.wiz.processors.ChildProcess.Line;
import dev.wiz.processors.ChildProcess.Out;
import dev.wiz.processors.ChildProcess.Stray;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One {@code exec} instance: pipes each chunk through an external program as JSON lines. With
 * {@code stream} every chunk gets its own process; with {@code line-per-record} one process serves
 * every chunk the instance sees and is ended in {@link #close}. Whatever goes wrong with the program
 * kills it (and what it started) and fails the chunk with the reason and the program's last stderr
 * lines; the next chunk, or the retry, starts a fresh process. The run's cancellation kills it too,
 * and stops the chunk with a {@link RunCancelledException}, which is no error. A program that
 * ends well has what it left running killed (see {@link ChildProcess#kill}), with a warning.
 */
final class ExecProcessor implements Processor {
  /** How often waiting looks at the deadline and at cancellation. */
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** How long a long-lived program may take to exit once its stdin is closed. */
  private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final int EXCERPT_CHARS = 80;
  /** The signals that cancel a run (SIGHUP, SIGINT, SIGTERM): a program they ended ended with the run. */
  private static final java.util.Set<Integer> STOP_SIGNALS = java.util.Set.of(1, 2, 15);
  /** How long a program's end by one of those waits for the run to be marked cancelled. */
  private static final long CANCEL_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final Map<Integer, String> SIGNALS =
      Map.of(1, "HUP", 2, "INT", 3, "QUIT", 6, "ABRT", 9, "KILL", 11, "SEGV", 13, "PIPE", 14, "ALRM", 15, "TERM");

  private final ExecConfig config;
  private final ProcessSweep sweep;
  private ProcessorContext context;
  private ChildProcess child;
  /** Chunks the current process answered and that were passed on. */
  private int served;

  ExecProcessor(ExecConfig config) {
    this(config, ProcessSweep.system());
  }

  /** With the sweep that finds the processes a program started (a test may give one without /proc). */
  ExecProcessor(ExecConfig config, ProcessSweep sweep) {
    this.config = config;
    this.sweep = sweep;
  }

  @Override
  public void init(ProcessorContext context) {
    this.context = context;
  }

  @Override
  public Chunk process(Chunk chunk) throws ProcessorException {
    List<JsonNode> in = chunk.records();
    if (in.isEmpty()) return chunk.withRecords(List.of());
    if (cancelled()) {
      // A chunk that reaches the step once the run is stopping: no program is started for it.
      throw new RunCancelledException("program '" + config.program() + "' was not started: the run is being cancelled");
    }
    long deadline = System.nanoTime() + config.timeout().toNanos();
    return (config.protocol() == ExecConfig.Protocol.STREAM ? stream(in, deadline) : linePerRecord(in, deadline))
        .of(chunk);
  }

  /**
   * A fresh process; stdin is closed after the records, every stdout line is a record, exit 0 needed.
   * The program may drop, make, merge or reorder records, so no output is tied to an input record.
   */
  private Outputs stream(List<JsonNode> in, long deadline) throws ProcessorException {
    ChildProcess c = start();
    child = c;
    c.write(in, true);
    Outputs out = new Outputs(in.size());
    int line = 0;
    while (true) {
      Out o = next(c, deadline, line + " stdout lines");
      if (o instanceof Line l) {
        line++;
        if (!blank(l)) out.add(parse(c, l, line), -1);
      } else {
        IOException error = ((End) o).error();
        if (error != null) throw fail(c, notReadable(line, error), false);
        break;
      }
    }
    int code = exit(c, deadline, "its output ended");
    if (code != 0 && endedByTheCancellation(code)) throw stopped(c, exited(code) + " after " + line + " stdout lines");
    Cleanup held = c.held();
    if (held != null && !held.strays().isEmpty()) {
      // What the background process wrote after the exit would be output or not by chance of
      // timing. (When there was nothing to kill and stdout then ended, wiz was only slow to read it.)
      String after = exited(code) + " after " + line + " stdout lines";
      throw fail(c, cleanup -> heldOpen(after, held) + note(cleanup), false);
    }
    if (code != 0) throw fail(c, exited(code) + " after " + line + " stdout lines", true);
    leftovers(c.kill());
    c.end();
    child = null;
    return out;
  }

  /**
   * Why a chunk fails whose program exited while a process it started held its stdout open: the
   * processes found holding it, or why none was.
   */
  private static String heldOpen(String exited, Cleanup held) {
    List<Stray> holders = held.holders();
    String open = " still held its stdout open " + graceSeconds() + " s later";
    String how;
    if (!holders.isEmpty()) {
      how = ", but " + (holders.size() == 1 ? "a process" : holders.size() + " processes") + " it started in the"
          + " background (" + describe(holders) + ")" + open + "; wiz killed " + (holders.size() == 1 ? "it" : "them")
          + " and keeps";
    } else if (!held.strays().isEmpty()) {
      how = ", but a process it started in the background" + open + "; wiz killed what it had left running ("
          + describe(held.strays()) + ") and keeps";
    } else {
      how = ", but a process it started in the background" + open + "; wiz keeps";
    }
    return exited + how + " no output of the chunk: redirect the output of a background process"
        + " (cmd >/dev/null 2>&1 &) or wait for it";
  }

  private static String graceSeconds() {
    return Double.toString(ChildProcess.PIPE_GRACE_NANOS / 1e9);
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** The first few processes, as {@code pid 1: 'sleep 300', pid 2: 'x', …}. */
  private static String describe(List<Stray> strays) {
    int shown = Math.min(strays.size(), 3);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < shown; i++) {
      Stray s = strays.get(i);
      b.append(i == 0 ? "" : ", ").append("pid ").append(s.pid()).append(s.command().isEmpty() ? "" : ": " + quoted(s.command()));
    }
    return b.append(strays.size() > shown ? ", …" : "").toString();
  }

  /**
   * What a message that says the program was killed adds when the processes it started may not all
   * be gone: those that still ran after SIGKILL, or that those which left its process tree could
   * not be looked for.
   */
  private static String note(Cleanup cleanup) {
    if (!cleanup.survivors().isEmpty()) {
      return "; " + count(cleanup.survivors().size(), "process", "processes") + " it started still ran after wiz"
          + " killed " + (cleanup.survivors().size() == 1 ? "it" : "them") + " (" + describe(cleanup.survivors()) + ")";
    }
    if (!cleanup.searched()) {
      return "; processes it started that left its process tree cannot be found without /proc and may still run";
    }
    return "";
  }

  /** A warning when a program that ended left processes running, which were killed. */
  private void leftovers(Cleanup cleanup) {
    if (context == null || cleanup.strays().isEmpty() && cleanup.survivors().isEmpty()) return;
    List<Stray> strays = cleanup.strays().isEmpty() ? cleanup.survivors() : cleanup.strays();
    context.logger().warn("exec '{}': program '{}' left {} running when it ended ({}); wiz killed {}{}",
        context.processorId(), config.program(), count(strays.size(), "process", "processes"), describe(strays),
        strays.size() == 1 ? "it" : "them", note(cleanup));
  }

  /** A command line as a message quotes it: in single quotes, cut at 80 characters, controls as spaces. */
  private static String quoted(String command) {
    String cut = command.length() > EXCERPT_CHARS ? command.substring(0, EXCERPT_CHARS) + "…" : command;
    StringBuilder b = new StringBuilder("'");
    cut.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
    return b.append('\'').toString();
  }

  /**
   * The instance's process (started when there is none); exactly one stdout line per record. When
   * the instance serves this chunk only, the program's stdin is closed after the records and its
   * stdout read to its end, so a line too many is always seen and fails the chunk. A process that
   * serves several chunks (a pool) cannot be read to its end after each: a line too many that has
   * arrived by the end of its first chunk's answers fails that chunk; after chunks it answered were
   * passed on, one fails the run, and what it wrote is not kept ({@link #doubt}), since those
   * chunks may then hold answers paired with the wrong records (the end of one chunk's answers
   * cannot be told from the next's). So an answer is
   * tied to the record it answers (and keeps its input line) only when the process serves this
   * chunk alone.
   */
  private Outputs linePerRecord(List<JsonNode> in, long deadline) throws ProcessorException {
    boolean once = context != null && context.servesOneChunk();
    if (child != null) betweenChunks();
    if (child == null) {
      child = start();
      served = 0;
    }
    ChildProcess c = child;
    c.write(in, once);
    Outputs out = new Outputs(in.size());
    int answered = 0;
    int line = 0;
    while (answered < in.size()) {
      Out o = next(c, deadline, answered + " of " + in.size() + " answers");
      if (o instanceof Line l) {
        line++;
        if (blank(l)) continue;
        answered++;
        JsonNode r = parse(c, l, line);
        if (!r.isNull()) out.add(r, once ? answered - 1 : -1);
      } else {
        IOException error = ((End) o).error();
        if (error != null) throw fail(c, notReadable(line, error), false);
        int code = exit(c, deadline, "its output ended");
        String after = exited(code) + " after answering " + answered + " of " + in.size() + " records";
        if (endedByTheCancellation(code)) throw stopped(c, after);
        if (c.held() != null && !c.held().strays().isEmpty()) after += " (" + heldBriefly(c.held()) + ")";
        throw fail(c, after, true);
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
    Extra extra = once ? ending(c, line) : Extra.of(c.pending(), line);
    if (!extra.lines.isEmpty()) {
      if (served > 0) throw doubt(c, extra.describe() + " right after answering a chunk, having answered others before it");
      throw fail(c, "wrote " + extra.count(" line") + " more than the " + in.size() + (in.size() == 1 ? " record" : " records")
          + " of the chunk"
          + (once ? " before it ended" : "") + " (" + extra.shown() + "), so its answers cannot be paired with the"
          + " records and none is kept" + ONE_LINE, false);
    }
    if (extra.ended && !once) endChild("closed its stdout after a chunk");
    served++;
    return out;
  }

  /** What held the stdout of a program that ended, in a message about something else. */
  private static String heldBriefly(Cleanup held) {
    List<Stray> holders = held.holders();
    return holders.isEmpty()
        ? "its stdout was held open after it exited, by a process it started in the background"
        : describe(holders) + ", which it started in the background, held its stdout open after it exited; wiz killed "
            + (holders.size() == 1 ? "it" : "them");
  }

  private static final String ONE_LINE =
      "; with protocol line-per-record a program must answer every record with exactly one line and write nothing else";

  /**
   * Before a chunk is sent to a process that served chunks before: lines that came since it
   * answered the last one mean the chunks it served may hold answers paired with the wrong
   * records: the run fails ({@link #doubt}). A process that ended is replaced.
   */
  private void betweenChunks() throws ProcessorException {
    Extra late = Extra.of(child.pending(), 0);
    if (!late.lines.isEmpty()) {
      throw doubt(child, late.describe() + " between chunks, after answering every record it was sent");
    } else if (late.ended || !child.alive()) {
      endChild("ended between chunks");
    }
  }

  /**
   * The lines a program wrote beyond its answers: none, when it answered every record with one
   * line. {@code ended} when its stdout ended. Keeps the first few, for the message.
   */
  private record Extra(List<String> lines, int total, boolean ended) {
    private static final int SHOWN = 3;

    /** {@code line}: the chunk's stdout lines before these (0: not in a chunk, so no line numbers). */
    static Extra of(List<Out> outs, int line) {
      boolean numbered = line > 0;
      List<String> shown = new ArrayList<>();
      int total = 0;
      boolean ended = false;
      for (Out o : outs) {
        if (o instanceof Line l) {
          line++;
          if (blank(l)) continue;
          total++;
          if (shown.size() < SHOWN) shown.add((numbered ? "line " + line + ": " : "") + excerpt(l.text()));
        } else {
          ended = true;
        }
      }
      return new Extra(shown, total, ended);
    }

    String count(String what) {
      return total + what + (total == 1 ? "" : "s");
    }

    /** The lines kept for the message, with their numbers when in a chunk. */
    String shown() {
      return String.join(", ", lines) + (total > lines.size() ? ", …" : "");
    }

    String describe() {
      return count(" line") + " (" + shown() + ")";
    }
  }

  /**
   * Ends a program that answered every record of the chunk it serves alone: its stdin is closed
   * (the writer did that), then what it still writes is read until its stdout ends, at most for
   * the grace a closing program gets (or, once it exited, until a process it started is seen to
   * hold its stdout open), and it is killed with what it started. Returns what it wrote beyond
   * its answers (line numbers follow the chunk's {@code line} lines).
   */
  private Extra ending(ChildProcess c, int line) throws ProcessorException {
    List<Out> rest = new ArrayList<>();
    long until = System.nanoTime() + CLOSE_GRACE_NANOS;
    Integer code = null;
    Cleanup cleanup;
    try {
      boolean ended = false;
      while (!ended) {
        long left = until - System.nanoTime();
        if (cancelled()) throw stopped(c, "after answering every record");
        if (left <= 0) break;
        Out o = c.poll(Math.min(left, SLICE_NANOS));
        if (o == null) {
          if (c.stdoutHeld()) break;
          continue;
        }
        rest.add(o);
        ended = o instanceof End;
      }
      code = ended ? c.waitFor(Math.max(1, until - System.nanoTime())) : c.exitCode();
      cleanup = c.kill();
      // Killed (or a process it started held stdout open): what it wrote until then still counts.
      for (long stop = System.nanoTime() + ChildProcess.PIPE_GRACE_NANOS; !ended && System.nanoTime() < stop; ) {
        Out o = c.poll(SLICE_NANOS);
        if (o == null) continue;
        rest.add(o);
        ended = o instanceof End;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(c, "stopped: interrupted", false);
    }
    Extra extra = Extra.of(rest, line);
    if (extra.lines.isEmpty()) {
      if (context != null && (code == null || code != 0)) {
        context.logger().warn("exec '{}': program '{}' was ended after its answers and {}", context.processorId(),
            config.program(), code == null ? "was killed" : exited(code));
      }
      leftovers(cleanup);
      c.end();
      child = null;
    }
    return new Extra(extra.lines, extra.total, true);
  }

  private ChildProcess start() throws ProcessorException {
    String id = context == null ? "exec" : context.processorId();
    try {
      ChildProcess c = ChildProcess.start(config, "wiz-exec-" + id, sweep);
      if (context != null) context.logger().debug("exec '{}': started {} (pid {})", id, config.program(), c.pid());
      return c;
    } catch (IOException e) {
      throw new ProcessorException("program '" + config.program() + "' could not be started: " + e.getMessage(), false, e);
    }
  }

  /**
   * The next thing stdout says; fails the chunk at the deadline, stops it when the run is
   * cancelled. When the program exited but a process it started holds its stdout open, kills what
   * it left running so that stdout ends ({@link ChildProcess#held} then says so), and fails the
   * chunk when it is still held open a grace later.
   */
  private Out next(ChildProcess c, long deadline, String progress) throws ProcessorException {
    try {
      while (true) {
        long left = checkTime(c, deadline, progress);
        Out o = c.poll(Math.min(left, SLICE_NANOS));
        if (o != null) return o;
        if (c.stdoutHeld()) {
          Cleanup held = c.held();
          if (held == null) {
            c.release();
          } else {
            // Killing what the program left running did not end it: a holder wiz could not find.
            String after = exited(c.exitCode()) + " after " + progress;
            throw fail(c, cleanup -> heldOpen(after, held) + note(cleanup), false);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw fail(c, "stopped: interrupted", false);
    }
  }

  /** The exit code; fails the chunk at the deadline, stops it when the run is cancelled. */
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
    if (cancelled()) throw stopped(c, "after " + progress);
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw fail(c, cleanup -> "timed out: the chunk took longer than timeoutSeconds (" + seconds() + ") after " + progress
          + "; it was killed" + note(cleanup), true);
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
    // A byte order mark at the start of a line is skipped, as the jsonl source skips it (a .NET or
    // PowerShell program may write one before its first line).
    String text = l.text().startsWith("\uFEFF") ? l.text().substring(1) : l.text();
    try {
      // One JSON value per line, and nothing after it; read as the sources read records, so a
      // number the program passes through keeps its text.
      return TreeReader.parse(text);
    } catch (IOException e) {
      JsonErrors.Problem p = JsonErrors.ofText(text, e, true);
      int column = p.column() > 0 ? p.column() + (l.text().length() - text.length()) : 0;
      throw fail(c, "wrote a line that is not JSON (stdout line " + line + " of the chunk"
          + (column > 0 ? ", column " + column : "") + ": " + p.message() + "): " + excerpt(l.text()), false);
    }
  }

  /** A line that holds no answer: white space, or a byte order mark and white space. */
  private static boolean blank(Line l) {
    String t = l.text();
    return (t.startsWith("\uFEFF") ? t.substring(1) : t).isBlank();
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

  private boolean cancelled() {
    return context != null && context.cancelled();
  }

  /**
   * Whether a program that ended with the code ended by the run's cancellation: it died of SIGHUP,
   * SIGINT or SIGTERM (or a shell said so, 128 + the signal), and the run is being cancelled within
   * {@link #CANCEL_GRACE_NANOS}. Such a signal reaches wiz and the program at once when it comes
   * from the terminal (Ctrl-C signals its whole process group) or is sent to the group, but wiz
   * may see the program's end before it has marked the run cancelled.
   */
  private boolean endedByTheCancellation(int code) {
    if (context == null || !STOP_SIGNALS.contains(code - 128)) return false;
    long until = System.nanoTime() + CANCEL_GRACE_NANOS;
    while (!context.cancelled()) {
      if (System.nanoTime() >= until) return false;
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /**
   * Kills the program and what it started because the run is being cancelled: the chunk is not
   * in error, it is left for --resume (so no stderr tail: nothing went wrong with the program).
   */
  private RunCancelledException stopped(ChildProcess c, String how) {
    Cleanup cleanup = c.kill();
    c.end();
    if (c == child) child = null;
    return new RunCancelledException("program '" + config.program() + "' stopped because the run is being cancelled"
        + " (" + how + "); it was killed" + note(cleanup));
  }

  /**
   * Kills the program and what it started, and makes the chunk error with its stderr tail. The
   * message tells of processes that still ran after SIGKILL.
   */
  private ProcessorException fail(ChildProcess c, String reason, boolean retryable) {
    return fail(c, cleanup -> reason + (cleanup.survivors().isEmpty() ? "" : note(cleanup)), retryable);
  }

  /** The same, with a reason that says what the kill did. */
  private ProcessorException fail(ChildProcess c, Function<Cleanup, String> reason, boolean retryable) {
    Cleanup cleanup = c.kill();
    List<String> tail = c.stderrTail();
    c.end();
    if (c == child) child = null;
    return new ProcessorException(message("program '" + config.program() + "' " + reason.apply(cleanup), tail), retryable,
        null);
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
    Cleanup cleanup = c.kill();
    if (context != null && (code == null || code != 0)) {
      context.logger().warn("exec '{}': program '{}' {} and {}", context.processorId(), config.program(), why,
          code == null ? "was killed" : exited(code));
    }
    leftovers(cleanup);
    c.end();
  }

  /**
   * End of input for an instance of a pool: the program is ended and read to the end of its
   * stdout. Fails when it wrote a line beyond its answers at any time after its first chunk, or
   * before it ended: the chunks it served may hold answers paired with the wrong records.
   */
  @Override
  public void finish(Emitter out) throws ProcessorException {
    if (child != null) {
      ChildProcess c = child;
      c.closeStdin();
      Extra last = ending(c, 0);
      if (!last.lines.isEmpty()) {
        c.end();
        child = null;
        throw ProcessorException.outputInDoubt("program '" + config.program() + "' wrote " + last.describe()
            + " at end of input, after answering every record it was sent" + DOUBT + ONE_LINE);
      }
    }
  }

  private static final String DOUBT = ": the chunks it had answered before may hold answers paired with the wrong"
      + " records, so the output is not kept (run again once the program is fixed; --resume starts over)";

  /**
   * A line a process of a pool owed no record, after it had answered chunks that were passed on:
   * ends it, and fails the run with what it wrote passed on ({@link
   * ProcessorException#outputInDoubt}).
   */
  private ProcessorException doubt(ChildProcess c, String what) {
    return ProcessorException.outputInDoubt(fail(c, "wrote " + what + DOUBT + ONE_LINE, false).getMessage());
  }

  @Override
  public void close() {
    if (child != null) endChild("was ended after the last chunk");
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running external program with its three pipes served by their own threads, so that none can
 * fill up and stall it: records are written to stdin by a writer thread, stdout is read line by
 * line into a bounded queue, and stderr into a {@link StderrTail}. Used by one thread at a time.
 */
final class ChildProcess {
  /**
   * How long a pipe may take to reach its end once the program exited and nothing more comes: its
   * last bytes are in the pipe and the thread that reads it only has to be scheduled, which takes
   * far less even on a loaded machine. A pipe still open after it is held by a process the
   * program started.
   */
  static final long PIPE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** How long {@link #kill} goes on killing what carries the token before it gives up. */
  private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What the stdout thread saw: a line, or the end of the output. */
  sealed interface Out permits Line, End {}

  /** One line of stdout, without its line break; {@code utf8} is false when it is not valid UTF-8. */
  record Line(String text, boolean utf8) implements Out {}

  /** The end of stdout; {@code error} is null at a normal end of file. */
  record End(IOException error) implements Out {}

  private final Process process;
  private final ProcessSweep sweep;
  /** The token in the environment of the program, and so of every process it started. */
  private final String token;
  /** When the token was made (wall clock, ms): no process that existed before can carry it. */
  private final long tokenMillis;
  /** What the program's stdout was when it started ({@code pipe:[inode]}), or null when unknown. */
  private final String stdoutPipe;
  private final OutputStream stdin;
  /** Lines in batches (those of one read), so that a busy program costs few thread hand-offs. */
  private final BlockingQueue<List<Out>> stdout = new LinkedBlockingQueue<>(64);
  /** The batch being taken, on the reading side. */
  private final ArrayDeque<Out> taken = new ArrayDeque<>();
  private final StderrTail stderr = new StderrTail();
  private final Thread stdoutThread;
  /** Opened once the stdout thread holds the lock of the stdout stream (see {@link #readStdout}). */
  private final CountDownLatch reading = new CountDownLatch(1);
  private final Thread stderrThread;
  private final String name;
  private Thread writer;
  private volatile IOException writeError;
  /** When the stdout thread last got on (or the program started), for {@link #stdoutHeld}. */
  private volatile long lastRead = System.nanoTime();
  /** True once stdout has reached its end (or could not be read further). */
  private volatile boolean stdoutEnded;
  /** Since when the program is known to have exited (or since {@link #release}), if it is. */
  private long exitSeen;
  private boolean exitKnown;
  /** The processes besides the program that {@link #kill} killed, by pid. */
  private final Map<Long, Stray> strays = new LinkedHashMap<>();
  private Cleanup held;
  private boolean ended;

  private ChildProcess(Process process, String name, ProcessSweep sweep, String token, long tokenMillis) {
    this.process = process;
    this.name = name;
    this.sweep = sweep;
    this.token = token;
    this.tokenMillis = tokenMillis;
    // start() returns once the program runs (exec'd), with its stdout still the pipe to wiz.
    this.stdoutPipe = sweep.descriptor(process.pid(), 1);
    this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
    this.stdoutThread = daemon(name + "-stdout", this::readStdout);
    this.stderrThread = daemon(name + "-stderr", () -> stderr.readAll(process.getErrorStream()));
    // No input is written before the stdout thread holds the stream's lock, so a program that
    // exits once it has read its input exits only when the JDK can no longer end stdout at the exit.
    boolean interrupted = false;
    while (true) {
      try {
        reading.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the thread only has to be scheduled: wait for it, and keep the interrupt
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /**
   * Runs in the stdout thread before it takes the lock of the stdout stream; null but in tests,
   * which make the thread late with it.
   */
  static volatile Consumer<Process> beforeReading;

  /**
   * Starts the program; its stdin, stdout and stderr are pipes to this process. Its environment
   * gets {@value ProcessSweep#VARIABLE} with a fresh token, so that {@link #kill} finds every
   * process it started, even one that left its process tree.
   */
  static ChildProcess start(ExecConfig config, String threadName, ProcessSweep sweep) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(config.argv());
    // A process runs in the real file system: the folder must be a default-file-system path.
    pb.directory(config.workdir().toFile());
    pb.environment().putAll(config.env());
    String token = ProcessSweep.newToken();
    long tokenMillis = System.currentTimeMillis();
    pb.environment().put(ProcessSweep.VARIABLE, ProcessSweep.value(pb.environment().get(ProcessSweep.VARIABLE), token));
    return new ChildProcess(pb.start(), threadName, sweep, token, tokenMillis);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Reads stdout to its end, holding the stream's lock all the while: when the program exits,
   * the JDK's process reaper takes that lock to drain what stdout has available and close it
   * (ProcessImpl.ProcessPipeInputStream#processExited), which would end stdout at the exit,
   * before a process the program left running closed it, whenever this thread was not inside a
   * read at that moment. Held, the reaper waits; stdout ends only when every process that has
   * it open has closed it (or was killed), whatever this thread was doing.
   *
   * <p>That holds only from the moment this thread has the lock: a program that exited before
   * (this thread is started after the program, and on a loaded machine may wait long to be
   * scheduled) had its stdout ended by the reaper, and a process it left holding stdout was never
   * seen. So the constructor waits until this thread has the lock, and no input is written
   * before: a program that exits after reading its input cannot exit too early. (One that exits
   * without waiting for its input, in the moment before this thread gets on, still can: see the
   * limits in docs/processors/exec.md.)
   */
  private void readStdout() {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      readStdout(decoder);
    } finally {
      reading.countDown(); // in case the lock was never taken: the constructor must not wait forever
    }
  }

  private void readStdout(CharsetDecoder decoder) {
    Consumer<Process> hook = beforeReading;
    if (hook != null) hook.accept(process);
    try (InputStream in = process.getInputStream()) {
      synchronized (in) {
        reading.countDown();
        IOException error = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        byte[] buf = new byte[1 << 16];
        try {
          for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            lastRead = System.nanoTime();
            List<Out> batch = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < n; i++) {
              if (buf[i] == '\n') {
                line.write(buf, start, i - start);
                batch.add(decode(line, decoder));
                line.reset();
                start = i + 1;
              }
            }
            line.write(buf, start, n - start);
            if (!batch.isEmpty()) {
              stdout.put(batch);
              lastRead = System.nanoTime(); // a full queue held it up: that was no silence of stdout
            }
          }
          if (line.size() > 0) stdout.put(List.of(decode(line, decoder)));
        } catch (IOException e) {
          error = e;
        }
        stdoutEnded = true;
        stdout.put(List.of(new End(error)));
      }
    } catch (IOException e) {
      // closing the pipe failed: nothing more to read either way
    } catch (InterruptedException e) {
      // killed: nobody reads what is left
    }
  }

  /** One line without its line break (LF or CRLF); text decoded leniently when it is not UTF-8. */
  private static Line decode(ByteArrayOutputStream line, CharsetDecoder strict) {
    byte[] bytes = line.toByteArray();
    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    try {
      return new Line(strict.decode(ByteBuffer.wrap(bytes, 0, n)).toString(), true);
    } catch (CharacterCodingException e) {
      return new Line(new String(bytes, 0, n, StandardCharsets.UTF_8), false);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * True when the program has exited but its stdout has not ended, though nothing came on it for
   * {@link #PIPE_GRACE_NANOS} since (or since {@link #release}): a process it started (in the
   * background) holds it open. Call after a poll that found nothing.
   */
  boolean stdoutHeld() {
    if (stdoutEnded) return false;
    long now = System.nanoTime();
    if (!exitKnown) {
      if (process.isAlive()) return false;
      exitKnown = true;
      exitSeen = now;
    }
    return now - exitSeen > PIPE_GRACE_NANOS && now - lastRead > PIPE_GRACE_NANOS;
  }

  /**
   * Writes the records as JSON lines on a writer thread, then flushes; closes stdin after them
   * when {@code thenClose}. A write error (the program stopped reading) is kept for
   * {@link #writeError()}: what the program did tells more.
   */
  void write(List<JsonNode> records, boolean thenClose) {
    writeError = null;
    writer = daemon(name + "-stdin", () -> {
      try {
        for (JsonNode r : records) {
          stdin.write(Json.records().writeValueAsBytes(r));
          stdin.write('\n');
        }
        stdin.flush();
        if (thenClose) stdin.close();
      } catch (IOException e) {
        writeError = e;
      }
    });
  }

  /** Waits at most the given time for the writer thread; true when it finished. */
  boolean awaitWriter(long nanos) throws InterruptedException {
    if (writer == null) return true;
    TimeUnit.NANOSECONDS.timedJoin(writer, Math.max(1, nanos));
    return !writer.isAlive();
  }

  IOException writeError() {
    return writeError;
  }

  /** The next thing stdout says, or null when none came within the given time. */
  Out poll(long nanos) throws InterruptedException {
    if (taken.isEmpty()) {
      List<Out> batch = stdout.poll(nanos, TimeUnit.NANOSECONDS);
      if (batch == null) return null;
      taken.addAll(batch);
    }
    return taken.poll();
  }

  /** What stdout said that was not taken yet, without waiting. */
  List<Out> pending() {
    List<List<Out>> batches = new ArrayList<>();
    stdout.drainTo(batches);
    List<Out> out = new ArrayList<>(taken);
    taken.clear();
    batches.forEach(out::addAll);
    return out;
  }

  /** Waits at most the given time for the exit; the exit code, or null while it still runs. */
  Integer waitFor(long nanos) throws InterruptedException {
    return process.waitFor(Math.max(1, nanos), TimeUnit.NANOSECONDS) ? process.exitValue() : null;
  }

  /**
   * The last lines the program wrote to stderr. After the program ended, waits a little for
   * stderr to be read to its end (a child it left behind may keep it open).
   */
  List<String> stderrTail() {
    if (!process.isAlive()) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(stderrThread, PIPE_GRACE_NANOS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return stderr.lines();
  }

  /** Closes stdin so the program sees the end of its input. */
  void closeStdin() {
    try {
      stdin.close();
    } catch (IOException e) {
      // the program already closed its end
    }
  }

  /**
   * Kills what holds stdout open after the program exited (see {@link #stdoutHeld}): the program
   * left it running, so the same as {@link #kill}. Remembered for {@link #held}; stdout gets a
   * grace again to reach its end.
   */
  Cleanup release() {
    held = kill();
    exitSeen = System.nanoTime();
    return held;
  }

  /** What {@link #release} found, or null when stdout was not held open after the program exited. */
  Cleanup held() {
    return held;
  }

  /** The exit code, or null while the program runs. */
  Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
  }

  /**
   * A process the program started, as {@link #kill} found it.
   *
   * @param command its command line, empty when it could not be read
   * @param holdsStdout whether it had the program's stdout open
   */
  record Stray(long pid, String command, boolean holdsStdout) {}

  /**
   * What {@link #kill} did, over every call.
   *
   * @param strays the processes besides the program it killed: its descendants, and those that
   *     carried its token
   * @param survivors those that still carried the token when it gave up
   * @param searched false when there was no /proc to look for the processes that left the
   *     program's process tree: then those may still run
   */
  record Cleanup(List<Stray> strays, List<Stray> survivors, boolean searched) {
    Cleanup {
      strays = List.copyOf(strays);
      survivors = List.copyOf(survivors);
    }

    /** The strays that held the program's stdout open. */
    List<Stray> holders() {
      return strays.stream().filter(Stray::holdsStdout).toList();
    }
  }

  /**
   * Kills the program (when it still runs) and every process it started, with SIGKILL (they cannot
   * ignore it): its descendants, and every process that carries its token, which finds those that
   * left its process tree as well. A process is killed only if it carries the token right before
   * (its handle, taken before that check, refuses to signal a pid that a new process took since),
   * and never this one. Looks again until none carries it (a process may have started another in
   * between), for at most {@link #SWEEP_NANOS}. Then waits (bounded) until the program is gone;
   * then {@link #stderrTail()} has all they wrote, and {@link #end()} releases the rest. The
   * processes it started are not waited for: they are not ours to reap, and as zombies they may
   * look alive until their new parent reaps them. Without a program still running and without
   * strays this costs one look through /proc: about 3 µs a process, and 10 to 20 µs more for each
   * one that started since the program (see {@link ProcessSweep#carrying}).
   */
  Cleanup kill() {
    boolean running = process.isAlive();
    List<ProcessHandle> tree = running ? process.descendants().toList() : List.of();
    Set<String> ours = new HashSet<>();
    if (running) process.destroyForcibly();
    for (ProcessHandle h : tree) {
      strays.putIfAbsent(h.pid(), stray(h.pid(), ours));
      h.destroyForcibly();
    }
    List<Stray> survivors = new ArrayList<>();
    boolean interrupted = false;
    long until = System.nanoTime() + SWEEP_NANOS;
    for (long pause = 1; sweep.available(); pause = Math.min(pause * 2, 50)) {
      List<Long> found = sweep.carrying(token, tokenMillis);
      if (found.isEmpty()) break;
      if (System.nanoTime() > until) {
        for (long pid : found) survivors.add(strays.containsKey(pid) ? strays.get(pid) : stray(pid, ours));
        break;
      }
      for (long pid : found) {
        // The handle holds the start time of the process it found: taken before the check, it
        // signals no process that took the pid after it.
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null || !sweep.carries(pid, token)) continue;
        if (pid != process.pid()) strays.putIfAbsent(pid, stray(pid, ours));
        h.destroyForcibly();
      }
      // Killed processes still carry the token until they have exited: look again soon. (An
      // interrupt waits until the end: what the program started must go in any case.)
      try {
        TimeUnit.MILLISECONDS.sleep(pause);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (running) {
      try {
        process.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    return new Cleanup(new ArrayList<>(strays.values()), survivors, sweep.available());
  }

  /**
   * What a process is, read before it is killed: its command line, and whether it holds the
   * program's stdout (the pipe that this process reads, so not one the program made itself).
   */
  private Stray stray(long pid, Set<String> ours) {
    boolean holds = false;
    if (stdoutPipe != null && stdoutPipe.startsWith("pipe:")) {
      if (ours.isEmpty()) ours.addAll(sweep.ownDescriptors());
      holds = ours.contains(stdoutPipe) && sweep.descriptors(pid).contains(stdoutPipe);
    }
    return new Stray(pid, sweep.commandLine(pid), holds);
  }

  /** Stops the threads and closes the pipes; the program has ended or was killed. */
  void end() {
    if (ended) return;
    ended = true;
    closeStdin();
    stdoutThread.interrupt();
    if (writer != null) writer.interrupt();
    for (InputStream pipe : List.of(process.getInputStream(), process.getErrorStream())) {
      try {
        pipe.close();
      } catch (IOException e) {
        // nothing more to read
      }
    }
  }
}

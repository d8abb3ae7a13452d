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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running external program with its three pipes served by their own threads, so that none can
 * fill up and stall it: records are written to stdin by a writer thread, stdout is read line by
 * line into a bounded queue, and stderr into a {@link StderrTail}. Used by one thread at a time.
 */
final class ChildProcess {
  /** How long stderr may take to reach its end after the program exited. */
  private static final long STDERR_DRAIN_MILLIS = 500;

  /** What the stdout thread saw: a line, or the end of the output. */
  sealed interface Out permits Line, End {}

  /** One line of stdout, without its line break; {@code utf8} is false when it is not valid UTF-8. */
  record Line(String text, boolean utf8) implements Out {}

  /** The end of stdout; {@code error} is null at a normal end of file. */
  record End(IOException error) implements Out {}

  private final Process process;
  private final OutputStream stdin;
  /** Lines in batches (those of one read), so that a busy program costs few thread hand-offs. */
  private final BlockingQueue<List<Out>> stdout = new LinkedBlockingQueue<>(64);
  /** The batch being taken, on the reading side. */
  private final ArrayDeque<Out> taken = new ArrayDeque<>();
  private final StderrTail stderr = new StderrTail();
  private final Thread stdoutThread;
  private final Thread stderrThread;
  private final String name;
  private Thread writer;
  private volatile IOException writeError;
  private boolean ended;

  private ChildProcess(Process process, String name) {
    this.process = process;
    this.name = name;
    this.stdin = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
    this.stdoutThread = daemon(name + "-stdout", this::readStdout);
    this.stderrThread = daemon(name + "-stderr", () -> stderr.readAll(process.getErrorStream()));
  }

  /** Starts the program; its stdin, stdout and stderr are pipes to this process. */
  static ChildProcess start(ExecConfig config, String threadName) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(config.argv());
    // A process runs in the real file system: the folder must be a default-file-system path.
    pb.directory(config.workdir().toFile());
    pb.environment().putAll(config.env());
    return new ChildProcess(pb.start(), threadName);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void readStdout() {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (InputStream in = process.getInputStream()) {
      IOException error = null;
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      byte[] buf = new byte[1 << 16];
      try {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
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
          if (!batch.isEmpty()) stdout.put(batch);
        }
        if (line.size() > 0) stdout.put(List.of(decode(line, decoder)));
      } catch (IOException e) {
        error = e;
      }
      stdout.put(List.of(new End(error)));
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
   * Writes the records as JSON lines on a writer thread, then flushes; closes stdin after them
   * when {@code thenClose}. A write error (the program stopped reading) is kept for
   * {@link #writeError()}: what the program did tells more.
   */
  void write(List<JsonNode> records, boolean thenClose) {
    writeError = null;
    writer = daemon(name + "-stdin", () -> {
      try {
        for (JsonNode r : records) {
          stdin.write(Json.mapper().writeValueAsBytes(r));
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
        stderrThread.join(STDERR_DRAIN_MILLIS);
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
   * Kills the program and every process it started (SIGKILL: they cannot ignore it), and waits
   * (bounded) until the program is gone; then {@link #stderrTail()} has all they wrote, and
   * {@link #end()} releases the rest. The processes it started are not waited for: they are not
   * ours to reap, and as zombies they may look alive until their new parent reaps them.
   */
  void kill() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(0, process.toHandle());
    for (ProcessHandle h : all) h.destroyForcibly();
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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

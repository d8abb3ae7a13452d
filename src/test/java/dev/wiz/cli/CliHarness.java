package dev.wiz.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs the real command line through its factory with captured streams. */
final class CliHarness {
  final Path cwd;
  final Map<String, String> env = new HashMap<>();
  /** When set, how environment variables are looked up instead of {@link #env} (one that throws, to break a command). */
  java.util.function.Function<String, String> envLookup;
  String stdin = "";
  /** When set, standard input instead of {@link #stdin}'s text (a stream that blocks, as a pipe may). */
  java.io.InputStream stdinStream;
  /** The flag SIGINT/SIGTERM set, shared with the test; null: a fresh one that stays false. */
  AtomicBoolean cancelled;
  /** The flag a second SIGINT/SIGTERM sets, shared with the test; null: a fresh one that stays false. */
  AtomicBoolean stopNow;
  /** Whether stderr is a terminal (the progress display, and what a signal makes a run do, are shown). */
  boolean terminal;
  /** Build every subcommand, as {@code Cli.create(env)} does, instead of only the one named. */
  boolean fullCommandLine;

  CliHarness(Path cwd) {
    this.cwd = cwd;
  }

  /** The outcome of one command. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /** When 0 or more: standard output's reader goes away after this many bytes (EPIPE, as under {@code | head}). */
  int stdoutClosesAfter = -1;

  /**
   * When set, standard output cannot be written, and says so with this message when it is flushed,
   * as a buffered stream over a full disk does ({@code > /dev/full}: "No space left on device"); what
   * is written before is lost.
   */
  String stdoutFlushFails;

  Result run(String... args) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int limit = stdoutClosesAfter;
    String flushFails = stdoutFlushFails;
    java.io.OutputStream stdout = flushFails != null ? new java.io.OutputStream() {
      @Override
      public void write(int b) {
        // held in a buffer that never reaches the disk
      }

      @Override
      public void flush() throws java.io.IOException {
        throw new java.io.IOException(flushFails);
      }
    } : limit < 0 ? captured : new java.io.OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws java.io.IOException {
        if (captured.size() + len > limit) throw new java.io.IOException("Broken pipe");
        captured.write(b, off, len);
      }
    };
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    StringWriter err = new StringWriter();
    java.io.InputStream in = stdinStream != null ? stdinStream : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CliEnv e = new CliEnv(in, stdout, out, new PrintWriter(err, true), envLookup != null ? envLookup : env::get, cwd,
        cancelled != null ? cancelled : new AtomicBoolean(), stopNow != null ? stopNow : new AtomicBoolean(), terminal);
    int code;
    if (fullCommandLine) {
      code = Cli.create(e).execute(args);
      e.out().flush();
      e.err().flush();
    } else {
      code = Cli.execute(e, args);
    }
    out.flush();
    return new Result(code, captured.toString(StandardCharsets.UTF_8), err.toString());
  }
}

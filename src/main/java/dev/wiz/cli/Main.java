package dev.wiz.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The only place that calls System.exit. */
public final class Main {
  private Main() {}

  /**
   * How long a run a signal cancelled has to end before it is told to stop at once, as a second
   * signal does: its steps stop at their next record, so what holds it up longer is work that
   * cannot be cut short (a step in a Java builtin, a write). Well within the time a supervisor
   * gives a process after SIGTERM (Kubernetes 30 s, systemd 90 s). {@code -Dwiz.stopGraceMillis=N}
   * changes it.
   */
  static final long STOP_GRACE_MILLIS = Math.max(0, Long.getLong("wiz.stopGraceMillis", 5_000));
  /**
   * How long a run told to stop at once has to record its end (it waits only for the chunk being
   * written) before wiz exits without it: the last resort, for a write or a disk that does not
   * answer.
   */
  static final long RECORD_BOUND_MILLIS = 10_000;

  public static void main(String[] args) {
    Cli.start(args);
    OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicBoolean stopNow = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    boolean waits = waitsOnSignal(args);
    AtomicInteger exit = new AtomicInteger(ExitCode.INTERRUPTED.code());
    // SIGINT/SIGTERM: a run is asked to stop and record itself, and wiz waits for it and exits
    // with the code of the outcome it recorded (130 when the signal cut it short); a second
    // signal, or the grace running out, tells it to stop at once. Any other command has nothing
    // to finish: it exits 130 at once.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (done.getCount() == 0) return;
      cancelled.set(true);
      if (waits) {
        boolean ended;
        try {
          ended = awaitRun(done, stopNow, STOP_GRACE_MILLIS, RECORD_BOUND_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ended = false;
        }
        if (ended) {
          out.flush();
        } else {
          // Standard output is not flushed: a write to it may be what never returned.
          err.println("wiz: the run did not end within " + RECORD_BOUND_MILLIS / 1000 + " s of being told to stop at once "
              + "(a step or a write that does not return): exiting without waiting for it. If its run.json still says "
              + "running, the next run of the request records it as crashed; wiz run --resume goes on from the chunks "
              + "it committed");
        }
        err.flush();
      }
      Runtime.getRuntime().halt(exit.get());
    }, "wiz-signal"));
    if (waits) {
      try {
        SecondSignal.install(cancelled, stopNow);
      } catch (LinkageError e) {
        // A runtime without jdk.unsupported: a second signal is lost, the grace still ends the run.
      }
    }
    CliEnv env = new CliEnv(StandardInput.ofProcess(), stdout, out, err, System::getenv, Path.of("").toAbsolutePath(),
        cancelled, stopNow, progressTerminal(System::getenv, Path.of("/proc/self/fd/2"), System.console() != null));
    int code = ExitCode.INTERNAL_ERROR.code();
    try {
      code = Cli.execute(env, args);
    } catch (LinkageError e) {
      // A class that cannot be loaded: the jar was run without its libraries (target/lib), or is
      // half-built. Cli.execute reports every other error itself.
      err.println("wiz: internal error: " + e + ": the installation is incomplete; run wiz as bin/wiz, which"
          + " rebuilds it, or rebuild it with mvn -B -ntp package");
    } finally {
      out.flush();
      err.flush();
      code = exitCode(waits, code, cancelled.get());
      exit.set(code);
      // Before exiting: the signal hook waits for this, and would otherwise wait its full minute.
      done.countDown();
    }
    System.exit(code);
  }

  /**
   * Whether stderr is a terminal wiz may draw its progress line on ({@code \r}, {@code ESC[K}).
   * Java 17 tells only whether standard input and output are ({@link System#console}): at a
   * terminal, {@code wiz run p.yaml 2> run.log} would fill the log with progress lines, and {@code
   * wiz run p.yaml > summary.json} would show none. Where the file system says what descriptor 2
   * is ({@code /proc/self/fd/2} on Linux: a link to {@code /dev/pts/N} or {@code /dev/ttyN} for a
   * terminal), that decides; elsewhere, {@code console}. Never on a terminal that says it cannot
   * move the cursor ({@code TERM=dumb}: an editor's shell buffer).
   *
   * @param fd2 what descriptor 2 links to, where the system shows it
   * @param console whether Java found a console
   */
  static boolean progressTerminal(java.util.function.Function<String, String> env, Path fd2, boolean console) {
    if ("dumb".equals(env.apply("TERM"))) return false;
    String target;
    try {
      target = java.nio.file.Files.readSymbolicLink(fd2).toString();
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return console;
    }
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
  }

  /**
   * Waits for a run a signal cancelled to end ({@code done}): after {@code graceMillis}, or at
   * once when a second signal set {@code stopNow} meanwhile, it is told to stop at once, and then
   * has {@code boundMillis} more. Returns whether it ended.
   */
  static boolean awaitRun(CountDownLatch done, AtomicBoolean stopNow, long graceMillis, long boundMillis)
      throws InterruptedException {
    long start = System.nanoTime();
    long toldAt = 0;
    boolean told = false;
    while (!done.await(20, TimeUnit.MILLISECONDS)) {
      long now = System.nanoTime();
      if (!told) {
        if (stopNow.get() || now - start >= TimeUnit.MILLISECONDS.toNanos(graceMillis)) {
          stopNow.set(true);
          told = true;
          toldAt = now;
        }
      } else if (now - toldAt >= TimeUnit.MILLISECONDS.toNanos(boundMillis)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a signal waits for the command: only for {@code run}, which stops reading, records
   * its outcome and says which it was. Also when the subcommand cannot be told from the arguments
   * (an argument file, {@code --}): it may be a run.
   */
  static boolean waitsOnSignal(String[] args) {
    String sub = Cli.subcommandIn(args);
    return sub == null || sub.equals("run");
  }

  /**
   * The exit code of a command that ended, given whether a signal came: a run's own code, the
   * outcome it recorded (0, 5 or 4 when it had ended before the signal took effect, 130 when the
   * signal cut it short); 130 for any other command.
   */
  static int exitCode(boolean waitsOnSignal, int commandCode, boolean cancelled) {
    return cancelled && !waitsOnSignal ? ExitCode.INTERRUPTED.code() : commandCode;
  }
}

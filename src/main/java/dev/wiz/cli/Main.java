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

  public static void main(String[] args) {
    OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    boolean waits = waitsOnSignal(args);
    AtomicInteger exit = new AtomicInteger(ExitCode.INTERRUPTED.code());
    // SIGINT/SIGTERM: a run is asked to drain and record itself, and wiz waits for it and exits
    // with the code of the outcome it recorded (130 when the signal cut it short). Any other
    // command has nothing to finish: it exits 130 at once.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (done.getCount() == 0) return;
      cancelled.set(true);
      if (waits) {
        try {
          done.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        err.flush();
        out.flush();
      }
      Runtime.getRuntime().halt(exit.get());
    }, "wiz-signal"));
    CliEnv env = new CliEnv(System.in, stdout, out, err, System::getenv, Path.of("").toAbsolutePath(),
        cancelled, System.console() != null);
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

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

/** The only place that calls System.exit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    // SIGINT/SIGTERM: ask the run to drain and record itself, wait for it, then exit 130.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (done.getCount() == 0) return;
      cancelled.set(true);
      try {
        done.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      err.flush();
      out.flush();
      Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
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
      // Before exiting: the signal hook waits for this, and would otherwise wait its full minute.
      done.countDown();
    }
    if (cancelled.get()) {
      code = ExitCode.INTERRUPTED.code();
    }
    System.exit(code);
  }
}

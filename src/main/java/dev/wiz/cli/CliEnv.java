package dev.wiz.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Everything a command may touch of the outside world, injected so tests run the real commands.
 *
 * @param stdin records for a {@code stdin} source
 * @param stdout raw bytes for a {@code stdout} sink (the same stream {@code out} writes to)
 * @param out results
 * @param err logs, progress and diagnostics
 * @param env environment variables for interpolation
 * @param cwd the folder relative command-line paths resolve against
 * @param cancelled set by SIGINT/SIGTERM
 * @param stopNow set by a second SIGINT/SIGTERM (or when a run did not stop soon after the
 *     first): a run ends at once with what it wrote
 * @param terminal true when stderr is a terminal (progress display)
 */
public record CliEnv(
    InputStream stdin,
    OutputStream stdout,
    PrintWriter out,
    PrintWriter err,
    Function<String, String> env,
    Path cwd,
    AtomicBoolean cancelled,
    AtomicBoolean stopNow,
    boolean terminal) {

  /** An environment whose runs are never told to stop at once. */
  public CliEnv(InputStream stdin, OutputStream stdout, PrintWriter out, PrintWriter err, Function<String, String> env,
      Path cwd, AtomicBoolean cancelled, boolean terminal) {
    this(stdin, stdout, out, err, env, cwd, cancelled, new AtomicBoolean(), terminal);
  }
}

package dev.wiz.cli;

import dev.wiz.engine.RunService;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.schema.SchemaCatalog;
import java.nio.file.Path;
import java.time.Clock;

/** What every subcommand shares: the environment, the global options, the services. */
abstract class Subcommand {
  private WizCommand top;

  final void bind(WizCommand top) {
    this.top = top;
  }

  final CliEnv env() {
    return top.env;
  }

  final boolean quiet() {
    return top.quiet;
  }

  final boolean verbose() {
    return top.verbose;
  }

  /** Resolves a command-line path against the current folder. */
  final Path path(String p) {
    return env().cwd().resolve(p);
  }

  final RunService service() {
    ClassLoader cl = Subcommand.class.getClassLoader();
    return new RunService(ProcessorRegistry.load(cl), new SchemaCatalog(cl), env().env(),
        env().stdin(), env().stdout(), Clock.systemUTC());
  }
}

package dev.wiz.cli;

import dev.wiz.engine.RunService;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.schema.SchemaCatalog;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** What every subcommand shares: the environment, the global options, the services. */
abstract class Subcommand {
  private WizCommand top;
  private boolean answered;

  final void bind(WizCommand top) {
    this.top = top;
  }

  /**
   * picocli's model of this command, over this object: what its {@code @Command}, {@code @Option}
   * and {@code @Parameters} annotations would declare, built in code ({@link Specs}).
   */
  abstract CommandSpec spec(CommandLine.IFactory factory);

  /** A subcommand of this one, bound to the same top command, with its model. */
  final CommandLine subcommand(Subcommand sub, CommandLine.IFactory factory) {
    sub.bind(top);
    return new CommandLine(sub.spec(factory), factory);
  }

  final CliEnv env() {
    return top.env;
  }

  final boolean quiet() {
    return top.quiet.value();
  }

  final boolean verbose() {
    return top.verbose.value();
  }

  /** Resolves a command-line path against the current folder. */
  final Path path(String p) {
    return env().cwd().resolve(p);
  }

  /** A file named on the command line that must exist and be a file (not a folder). */
  final Path inputFile(String name) throws java.io.IOException {
    if (name.isEmpty()) {
      throw new java.io.IOException("the file name is empty: name a file");
    }
    Path p = path(name);
    if (java.nio.file.Files.isDirectory(p)) {
      throw new java.io.IOException(name + ": is a folder; name a file");
    }
    if (!java.nio.file.Files.exists(p)) {
      throw new java.nio.file.NoSuchFileException(name);
    }
    return p;
  }

  /** Prints a value as indented JSON on stdout (the result of a reporting command). */
  final void printJson(Object value) throws java.io.IOException {
    String json = dev.wiz.Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
    noteAnswered();
    env().out().println(json);
  }

  /**
   * Prints the JSON a command asked for {@code --format json} answers with when it failed before
   * giving its result ({@link JsonAnswers#failed}): indented on stdout, as {@link #printJson}.
   */
  void answerJson(com.fasterxml.jackson.databind.node.ObjectNode answer) throws java.io.IOException {
    printJson(answer);
  }

  /** Says that the command printed its JSON answer: an exception after it adds none ({@link JsonAnswers#failed}). */
  final void noteAnswered() {
    answered = true;
  }

  /** Whether stdout carries a run's records (a {@code stdout} sink), whose sink reports its fate itself. */
  boolean stdoutIsTheSinks() {
    return false;
  }

  /** Whether the command printed its JSON answer. */
  final boolean answered() {
    return answered;
  }

  /**
   * wiz's schemas, one catalog for every command of the process: what {@link Cli#execute} starts
   * compiling before the command line is even parsed is there when the command checks its pipeline.
   */
  static final SchemaCatalog SCHEMAS = new SchemaCatalog(Subcommand.class.getClassLoader());

  final RunService service() {
    ClassLoader cl = Subcommand.class.getClassLoader();
    return new RunService(ProcessorRegistry.load(cl), SCHEMAS, env().env(),
        env().stdin(), env().stdout(), Clock.systemUTC());
  }
}

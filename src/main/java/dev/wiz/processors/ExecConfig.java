package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.ProcessorSetup;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one {@code exec} processor, with its program found: immutable, shared by every
 * instance.
 *
 * @param program the program as the config names it (for messages)
 * @param argv the command with the program replaced by the file that will run
 * @param env variables added to (or replacing ones in) the environment wiz runs with
 * @param workdir the working folder of the program
 * @param timeout the longest one chunk may take
 * @param protocol how records go in and come out
 */
record ExecConfig(String program, List<String> argv, Map<String, String> env, Path workdir, Duration timeout,
    Protocol protocol) {

  /** The search path used when PATH is not set, as POSIX shells do. */
  static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
  static final double DEFAULT_TIMEOUT_SECONDS = 60;

  /** How records travel between wiz and the program. */
  enum Protocol {
    /** One process per chunk: every record a line on stdin, then end of input; every stdout line a record. */
    STREAM("stream"),
    /** A long-lived process that answers each input line with exactly one output line. */
    LINE_PER_RECORD("line-per-record");

    final String label;

    Protocol(String label) {
      this.label = label;
    }

    static Protocol of(String label) {
      for (Protocol p : values()) {
        if (p.label.equals(label)) return p;
      }
      throw new IllegalArgumentException("unknown protocol '" + label + "'");
    }
  }

  ExecConfig {
    Objects.requireNonNull(program, "program");
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    Objects.requireNonNull(workdir, "workdir");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(protocol, "protocol");
  }

  /** What the schema cannot see in a config that passed it: the program, the folder, NUL characters. */
  static List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    JsonNode command = config.path("command");
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i).asText().indexOf('\0') >= 0) {
        problems.add(new ConfigProblem("/command/" + i, "a command argument cannot hold a NUL character"));
      }
    }
    config.path("env").properties().forEach(e -> {
      if (e.getValue().asText().indexOf('\0') >= 0) {
        problems.add(new ConfigProblem("/env/" + e.getKey(), "an environment value cannot hold a NUL character"));
      }
    });
    if (problems.isEmpty()) {
      Found found = findProgram(command.path(0).asText(), setup);
      if (found.problem() != null) problems.add(new ConfigProblem("/command/0", found.problem()));
    }
    if (config.has("workdir")) {
      Path dir = setup.resolve(config.get("workdir").asText());
      if (!Files.isDirectory(dir)) {
        problems.add(new ConfigProblem("/workdir", "working folder " + dir + " does not exist or is not a folder"));
      }
    }
    return problems;
  }

  /** The settings of a config that passed the schema and {@link #check}. */
  static ExecConfig of(JsonNode config, ProcessorSetup setup) {
    List<String> argv = new ArrayList<>();
    config.path("command").forEach(a -> argv.add(a.asText()));
    String program = argv.get(0);
    Found found = findProgram(program, setup);
    if (found.path() != null) argv.set(0, found.path().toString());
    Map<String, String> env = new LinkedHashMap<>();
    config.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    Path workdir = config.has("workdir") ? setup.resolve(config.get("workdir").asText()) : setup.baseDir();
    double seconds = config.path("timeoutSeconds").asDouble(DEFAULT_TIMEOUT_SECONDS);
    Duration timeout = Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE / 2.0));
    Protocol protocol = Protocol.of(config.path("protocol").asText(Protocol.STREAM.label));
    return new ExecConfig(program, argv, env, workdir, timeout, protocol);
  }

  /** The file a program name stands for, or why there is none. */
  record Found(Path path, String problem) {}

  /**
   * A name with a slash is a file, relative to the pipeline folder; a name without one is looked
   * up in the absolute folders of PATH ({@link #DEFAULT_PATH} when PATH is unset), as a shell does.
   */
  static Found findProgram(String program, ProcessorSetup setup) {
    if (program.isEmpty()) return new Found(null, "the program name is empty");
    if (program.indexOf('/') >= 0) {
      Path file = setup.resolve(program).normalize();
      if (!Files.exists(file)) return new Found(null, "program " + file + " does not exist");
      if (Files.isDirectory(file)) return new Found(null, "program " + file + " is a folder");
      if (!Files.isExecutable(file)) return new Found(null, "program " + file + " is not executable (chmod +x)");
      return new Found(file, null);
    }
    String path = setup.variable("PATH").orElse(DEFAULT_PATH);
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path folder = setup.baseDir().getFileSystem().getPath(dir);
      if (!folder.isAbsolute()) continue;
      Path file = folder.resolve(program);
      if (Files.isRegularFile(file) && Files.isExecutable(file)) return new Found(file, null);
    }
    return new Found(null, "program '" + program + "' was not found in the folders of PATH (" + path
        + "); give a path with a '/' for a file relative to the pipeline folder");
  }
}

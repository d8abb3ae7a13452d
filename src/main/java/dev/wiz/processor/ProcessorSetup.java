package dev.wiz.processor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a processor type may look at while it checks and prepares a config: the pipeline file's
 * folder (relative paths in a config resolve against it) and the environment (read through here,
 * never {@code System.getenv}, so tests can give their own).
 *
 * @param baseDir the folder of the pipeline file
 * @param env a variable's value, or {@code null} when it is unset
 */
public record ProcessorSetup(Path baseDir, Function<String, String> env) {
  public ProcessorSetup {
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(env, "env");
  }

  /** A path from a config, resolved against the pipeline file's folder. */
  public Path resolve(String path) {
    return baseDir.resolve(path);
  }

  /** An environment variable, when it is set. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(env.apply(name));
  }
}

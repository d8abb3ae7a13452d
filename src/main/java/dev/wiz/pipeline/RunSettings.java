package dev.wiz.pipeline;

/**
 * The {@code run} section.
 *
 * @param workers how many workers at once; 0 means "the number of cores"
 */
public record RunSettings(int workers, OnError onError, int maxAttempts, int maxFailures, long seed) {
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_MAX_FAILURES = 3;

  public RunSettings {
    if (workers < 0 || maxAttempts < 1 || maxFailures < 1) {
      throw new IllegalArgumentException("invalid run settings");
    }
  }

  public RunSettings withWorkers(int n) {
    return new RunSettings(n, onError, maxAttempts, maxFailures, seed);
  }

  /** The worker count to use: the setting, or the number of cores. */
  public int effectiveWorkers() {
    return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
  }
}

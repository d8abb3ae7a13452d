package dev.wiz.pipeline;

/**
 * The {@code run} section.
 *
 * @param workers how many workers at once; 0 means "the number of cores"
 * @param commitMillis at most how long committed chunks wait to be made durable
 */
public record RunSettings(int workers, OnError onError, int maxAttempts, int maxFailures, long seed, int commitMillis) {
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_MAX_FAILURES = 3;
  public static final int DEFAULT_COMMIT_MILLIS = 1000;
  /** The most workers a run may have (the schema's {@code run.workers} maximum; {@code --workers} too). */
  public static final int MAX_WORKERS = 256;

  public RunSettings {
    if (workers < 0 || workers > MAX_WORKERS || maxAttempts < 1 || maxFailures < 1 || commitMillis < 0) {
      throw new IllegalArgumentException("invalid run settings");
    }
  }

  public RunSettings(int workers, OnError onError, int maxAttempts, int maxFailures, long seed) {
    this(workers, onError, maxAttempts, maxFailures, seed, DEFAULT_COMMIT_MILLIS);
  }

  public RunSettings withWorkers(int n) {
    return new RunSettings(n, onError, maxAttempts, maxFailures, seed, commitMillis);
  }

  /** The worker count to use: the setting, or the number of cores. */
  public int effectiveWorkers() {
    return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
  }
}

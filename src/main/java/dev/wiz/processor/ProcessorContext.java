package dev.wiz.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.slf4j.Logger;

/** What the engine hands a processor instance in {@link Processor#init}. */
public interface ProcessorContext {
  /** The instance id from the pipeline file ({@code processors[].id}). */
  String processorId();

  /** The config, after interpolation and validation against the type's schema. */
  JsonNode config();

  /** The run seed ({@code run.seed}); per-chunk seeds arrive in {@link Chunk#seed()}. */
  long runSeed();

  /** A folder private to this processor in this run, for spill files; created on first use. */
  Path dataDir();

  Logger logger();

  /**
   * True once the run is being cancelled (SIGINT, SIGTERM, standard output closed by its reader).
   * A processor that polls it (wiz's own do before every record, and inside a long jq
   * evaluation) stops early by throwing {@link RunCancelledException}: the chunk is then left for
   * {@code --resume}, not failed (a {@link ProcessorException} would be an error of the chunk,
   * which {@code run.onError} handles).
   */
  boolean cancelled();

  /**
   * True when the instance is dropped after the one chunk it is given (the lifetime model, the
   * default for load-balanced processors; the chunk may be retried on it): what it holds for the
   * chunk can end with it. False when it may see further chunks (one instance for every chunk, or
   * a pool).
   */
  default boolean servesOneChunk() {
    return false;
  }

  /**
   * Rejects one input record of the chunk being processed: it is left out of the output and
   * handled as {@code run.onError} says (skipped, dead-lettered with the reason, or failing the
   * run). Use for a problem with one record; throw {@link ProcessorException} for the chunk.
   */
  void reject(JsonNode record, String reason);
}

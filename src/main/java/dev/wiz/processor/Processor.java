package dev.wiz.processor;


/**
 * One processor instance. Only {@link #process} is required. By default the engine makes a fresh
 * instance for every chunk and drops it afterwards; a type whose factory says {@code loadBalance
 * false} gets one instance that sees every chunk in order.
 */
@FunctionalInterface
public interface Processor extends AutoCloseable {

  /** Called once before the first chunk. */
  default void init(ProcessorContext context) throws ProcessorException {}

  /** Turns one chunk into one chunk (possibly empty). Must not modify the input records. */
  Chunk process(Chunk chunk) throws ProcessorException;

  /**
   * True once this instance will pass on no record it is given from now on, whatever it is given
   * (a {@code limit} that passed its count). Asked of the one instance of a processor that sees
   * every chunk ({@code loadBalance false}), after it started and after each chunk: the engine
   * then stops reading the input, when every step before it passes records on as it reads them,
   * with no side effects. The chunks already read still reach it.
   */
  default boolean passesNoMore() {
    return false;
  }

  /** Called after the sink durably wrote the output of the chunk with that id. */
  default void onComplete(String chunkId) {}

  /**
   * Called once at end of input, for processors that hold state across chunks (one instance that
   * sees every chunk): what it emits flows on as more chunks, recorded as a JOIN in provenance.
   * Also called on every instance of a pool (after those, since what they emit may still reach a
   * pool), which may check what it holds but not emit: a {@link ProcessorException} from either
   * fails the run.
   */
  default void finish(Emitter out) throws ProcessorException {}

  @Override
  default void close() {}
}

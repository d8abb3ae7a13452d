package dev.wiz.processor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Takes the records a processor emits at end of input ({@link Processor#finish}). The engine cuts
 * them into chunks of the pipeline's chunk size and sends each through the processors after it and
 * to the sink before {@code emit} returns, so a processor may emit far more records than fit in
 * memory (a sort merging its spilled runs).
 */
@FunctionalInterface
public interface Emitter {
  void emit(JsonNode record) throws ProcessorException;
}

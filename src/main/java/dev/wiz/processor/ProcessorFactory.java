package dev.wiz.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Supplier;

/**
 * A processor type, found with {@link java.util.ServiceLoader}. Its config schema is the resource
 * {@code /schemas/processors/<type>.schema.json}, and what users read about the type comes from
 * there, never from code: the schema's {@code description} (its first sentence is the one-line
 * summary), each field's {@code description}, and the sample config (the first of the schema's
 * {@code examples}).
 */
public interface ProcessorFactory {

  /** The {@code type} name in pipeline files: lower case, digits and dashes. */
  String type();

  /** Bumped when the output for a given input and config changes; recorded in provenance. */
  default String version() {
    return "1";
  }

  /** May chunks be spread over parallel instances? False: one instance sees all, in order. */
  default boolean loadBalance() {
    return true;
  }

  /** Does it use randomness? Then every chunk passes through {@code determining} for a seed. */
  default boolean needsSeed() {
    return false;
  }

  /**
   * Does it fork? Then the engine records its output for a chunk as child chunks (a FORK event in
   * provenance, naming the parent and the children), each of at most the pipeline's chunk size,
   * which flow through the processors after it on their own.
   */
  default boolean forks() {
    return false;
  }

  /** Does it act on the world outside the run (an external program, a network)? */
  default boolean sideEffects() {
    return false;
  }

  /**
   * Does it hold records back until the end of input and emit them in {@link Processor#finish}
   * (a sort, an aggregate, a reservoir sample) with this config? A step after it cannot stop the
   * reading of the input early ({@link Processor#passesNoMore}): what it emits needs every record.
   */
  default boolean emitsAtEnd(JsonNode config) {
    return false;
  }

  /** The classpath resource of the config schema. */
  default String schemaResource() {
    return "/schemas/processors/" + type() + ".schema.json";
  }

  /**
   * The environment variables the processor reads with this config, beside the pipeline's own
   * {@code ${NAME}} (a salt named by {@code saltEnv}). Their values make the work another request,
   * as an interpolated value does: the request key and the step's config digest take their digests
   * (never the values), and {@code run.json} records those digests under {@code environment}.
   */
  default List<String> variables(JsonNode config) {
    return List.of();
  }

  /**
   * The files the processor reads with this config (a lookup table), each by the JSON pointer of
   * its config field ({@code /file}) to its path as written, relative to the pipeline's folder: a
   * run refuses a sink that would overwrite one of them, or one of them inside a state folder.
   */
  default java.util.Map<String, String> files(JsonNode config) {
    return java.util.Map.of();
  }

  /**
   * Checks what the schema cannot (expressions compile, fields agree). Called only with a config
   * that passes the schema: the one written, or, when the schema refused some of its values, what
   * is left with those taken out (so every other field is still checked; problems of the places
   * that held them are not reported). Never throws for bad config: returns the problems.
   */
  default List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return List.of();
  }

  /**
   * Compiles a valid config once per run into a supplier of fresh instances. The supplier is
   * called from worker threads, so what it shares must be immutable or thread-safe. A supplier
   * that is {@link Referencing} names the files it read to prepare (a lookup table), which are
   * then part of what the run depends on.
   */
  Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException;
}

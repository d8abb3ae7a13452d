package dev.wiz.processor;

import java.util.List;
import java.util.function.Supplier;

/**
 * What {@link ProcessorFactory#prepare} returns when the instances depend on files it read while
 * preparing (a lookup table): the engine records them ({@link ReferenceFile}) in the request key,
 * the step's config digest and {@code run.json}.
 */
public interface Referencing extends Supplier<Processor> {
  /** The files read, in the order the config names them. */
  List<ReferenceFile> references();
}

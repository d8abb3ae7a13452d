package dev.wiz.engine;

import dev.wiz.Json;
import dev.wiz.pipeline.ProcessorSpec;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.provenance.Event.ProcessorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** One processor of the pipeline, compiled and ready to make instances. */
public record Step(ProcessorSpec spec, ProcessorFactory factory, Supplier<Processor> instances, ProcessorRef ref) {

  /** Prepares every processor of the pipeline, in order. */
  public static List<Step> prepare(List<ProcessorSpec> specs, ProcessorRegistry registry, ProcessorSetup setup)
      throws ProcessorException {
    List<Step> steps = new ArrayList<>(specs.size());
    for (ProcessorSpec s : specs) {
      ProcessorFactory f = registry.find(s.type())
          .orElseThrow(() -> new ProcessorException("unknown processor type '" + s.type() + "'"));
      Supplier<Processor> sup = f.prepare(s.config(), setup);
      steps.add(new Step(s, f, sup, new ProcessorRef(s.id(), f.type(), f.version(), configDigest(s, f, setup))));
    }
    return List.copyOf(steps);
  }

  /**
   * The digest of a step's config; with the digests of the environment variables it reads ({@link
   * ProcessorFactory#variables}), so that another salt is another config. Unchanged for a step
   * that reads none.
   */
  static String configDigest(ProcessorSpec s, ProcessorFactory f, ProcessorSetup setup) {
    List<String> names = f.variables(s.config());
    if (names.isEmpty()) return Json.digest(s.config());
    StringBuilder b = new StringBuilder(Json.digest(s.config()));
    for (String name : names) {
      b.append('\n').append(name).append('\0').append(setup.variable(name).map(Json::digest).orElse("unset"));
    }
    return Json.digest(b.toString());
  }

  /** True when one instance must see every chunk, in order. */
  public boolean serial() {
    return !factory.loadBalance();
  }

  public String id() {
    return spec.id();
  }
}

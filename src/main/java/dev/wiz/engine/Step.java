package dev.wiz.engine;

import dev.wiz.Json;
import dev.wiz.pipeline.ProcessorSpec;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processor.ReferenceFile;
import dev.wiz.processor.Referencing;
import dev.wiz.provenance.Event.ProcessorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** One processor of the pipeline, compiled and ready to make instances. */
public record Step(ProcessorSpec spec, ProcessorFactory factory, Supplier<Processor> instances, ProcessorRef ref,
    List<ReferenceFile> references) {

  public Step {
    references = List.copyOf(references);
  }

  /**
   * Prepares every processor of the pipeline, in order. A problem a factory names at a field of
   * its config ({@link ProcessorException#inConfig}) comes out named at that field of the pipeline
   * ({@code /processors/1/config/file}).
   */
  public static List<Step> prepare(List<ProcessorSpec> specs, ProcessorRegistry registry, ProcessorSetup setup)
      throws ProcessorException {
    List<Step> steps = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      ProcessorSpec s = specs.get(i);
      ProcessorFactory f = registry.find(s.type())
          .orElseThrow(() -> new ProcessorException("unknown processor type '" + s.type() + "'"));
      Supplier<Processor> sup;
      try {
        sup = f.prepare(s.config(), setup);
      } catch (ProcessorException e) {
        if (e.pointer() == null) throw e;
        throw ProcessorException.inConfig("/processors/" + i + "/config" + e.pointer(), e.getMessage());
      }
      List<ReferenceFile> refs = new ArrayList<>();
      if (sup instanceof Referencing r) r.references().forEach(ref -> refs.add(ref.withProcessor(s.id())));
      steps.add(new Step(s, f, sup, new ProcessorRef(s.id(), f.type(), f.version(), configDigest(s, f, setup, refs)), refs));
    }
    return List.copyOf(steps);
  }

  /**
   * The digest of a step's config; with the digests of the environment variables it reads ({@link
   * ProcessorFactory#variables}), so that another salt is another config, and of the files it read
   * to prepare ({@link Referencing}), so that another lookup table is another config. Unchanged
   * for a step that reads neither.
   */
  static String configDigest(ProcessorSpec s, ProcessorFactory f, ProcessorSetup setup, List<ReferenceFile> refs) {
    List<String> names = f.variables(s.config());
    if (names.isEmpty() && refs.isEmpty()) return Json.digest(s.config());
    StringBuilder b = new StringBuilder(Json.digest(s.config()));
    for (String name : names) {
      b.append('\n').append(name).append('\0').append(setup.variable(name).map(Json::digest).orElse("unset"));
    }
    for (ReferenceFile r : refs) b.append("\nfile\0").append(r.name()).append('\0').append(r.digest());
    return Json.digest(b.toString());
  }

  /** The files every step read to prepare, in step order. */
  public static List<ReferenceFile> references(List<Step> steps) {
    List<ReferenceFile> all = new ArrayList<>();
    for (Step s : steps) all.addAll(s.references());
    return all;
  }

  /** True when one instance must see every chunk, in order. */
  public boolean serial() {
    return !factory.loadBalance();
  }

  public String id() {
    return spec.id();
  }
}

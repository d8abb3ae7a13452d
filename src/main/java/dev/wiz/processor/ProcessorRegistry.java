package dev.wiz.processor;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The processor types known to this process, found with {@link ServiceLoader} into an object that
 * is passed around (never a static registry). Two factories with one type name is an error.
 */
public final class ProcessorRegistry {
  private final Map<String, ProcessorFactory> byType;

  public ProcessorRegistry(Collection<? extends ProcessorFactory> factories) {
    Map<String, ProcessorFactory> m = new TreeMap<>();
    for (ProcessorFactory f : factories) {
      ProcessorFactory before = m.putIfAbsent(f.type(), f);
      if (before != null) {
        throw new IllegalStateException(
            "two processor factories claim type '" + f.type() + "': "
                + before.getClass().getName() + " and " + f.getClass().getName());
      }
    }
    this.byType = Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** Every factory on the class path of the given loader. */
  public static ProcessorRegistry load(ClassLoader loader) {
    return new ProcessorRegistry(
        ServiceLoader.load(ProcessorFactory.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  public static ProcessorRegistry loadDefault() {
    return load(ProcessorRegistry.class.getClassLoader());
  }

  public Optional<ProcessorFactory> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  /** Type names in alphabetical order. */
  public List<String> types() {
    return List.copyOf(byType.keySet());
  }

  public Collection<ProcessorFactory> factories() {
    return byType.values();
  }
}

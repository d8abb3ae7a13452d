package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ReferenceFile;
import dev.wiz.processor.Referencing;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code lookup}: enriches each record from a reference file (a join against a lookup table). The
 * file is read once per run, in {@link #prepare}, into a {@link LookupTable} that every instance
 * shares read-only; its digest goes into the request key and {@code run.json} ({@link Referencing}).
 */
public final class LookupFactory implements ProcessorFactory {
  static final String FILE = "file";
  static final String KEY = "key";
  static final String FILE_KEY = "fileKey";

  @Override
  public String type() {
    return "lookup";
  }

  @Override
  public java.util.Map<String, String> files(JsonNode config) {
    JsonNode f = config.get(FILE);
    return f != null && f.isTextual() && !f.asText().isEmpty() ? java.util.Map.of("/" + FILE, f.asText()) : java.util.Map.of();
  }

  /**
   * What can be seen without reading the file: the expressions compile, and the file is there, a
   * file and readable (so {@code wiz validate} says so; its lines are read by the run).
   */
  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>(Expression.check(config, KEY));
    if (config.has(FILE_KEY)) problems.addAll(Expression.check(config, FILE_KEY));
    if (config.has(FILE)) {
      dev.wiz.io.RecordFile.problem(setup.baseDir(), config.get(FILE).asText())
          .ifPresent(p -> problems.add(new ConfigProblem("/" + FILE, p)));
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    Expression key = Expression.require(config, KEY);
    Expression fileKey = config.has(FILE_KEY) ? Expression.require(config, FILE_KEY) : key;
    LookupTable table = LookupTable.load(LookupTable.Settings.of(config, key, fileKey), setup.baseDir());
    List<ReferenceFile> refs = List.of(table.reference());
    return new Referencing() {
      @Override
      public Processor get() {
        return new LookupProcessor(table);
      }

      @Override
      public List<ReferenceFile> references() {
        return refs;
      }
    };
  }
}

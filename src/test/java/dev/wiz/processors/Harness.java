package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs processor types the way the engine does, without the engine, for the processor tests. */
final class Harness {
  private Harness() {}

  /** The pipeline folder is the working folder; the environment is empty. */
  static final ProcessorSetup SETUP = new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null);

  /** A context that remembers rejections; its data folder is the given one (or none). */
  static final class Ctx implements ProcessorContext {
    final List<String> rejected = new ArrayList<>();
    final List<JsonNode> rejectedRecords = new ArrayList<>();
    private final Path dataDir;
    private final long runSeed;
    volatile boolean cancelled;
    /** Also cancelled once this says so (a flag that follows something the test cannot set itself). */
    java.util.function.BooleanSupplier cancelledWhen = () -> false;
    /** What {@link #servesOneChunk} says: true as for the lifetime model. */
    boolean oneChunk;

    Ctx() {
      this(null, 0);
    }

    Ctx(Path dataDir, long runSeed) {
      this.dataDir = dataDir;
      this.runSeed = runSeed;
    }

    @Override public String processorId() { return "p"; }
    @Override public JsonNode config() { return Json.mapper().createObjectNode(); }
    @Override public long runSeed() { return runSeed; }
    @Override public Logger logger() { return LoggerFactory.getLogger("test"); }
    @Override public boolean cancelled() { return cancelled || cancelledWhen.getAsBoolean(); }
    @Override public boolean servesOneChunk() { return oneChunk; }

    @Override
    public Path dataDir() {
      if (dataDir == null) throw new IllegalStateException("this test gave no data folder");
      try {
        return Files.createDirectories(dataDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void reject(JsonNode record, String reason) {
      rejected.add(record + " " + reason);
      rejectedRecords.add(record);
    }
  }

  /** One value as wiz reads records ({@link TreeReader}: numbers keep their text). */
  static JsonNode json(String s) {
    try {
      return TreeReader.parse(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> records(String... json) {
    List<JsonNode> in = new ArrayList<>();
    for (String r : json) in.add(json(r));
    return in;
  }

  /** Each record as a sink writes it (numbers as wiz writes them). */
  static List<String> strings(List<JsonNode> records) {
    return records.stream().map(Harness::text).toList();
  }

  /** A value as a sink writes it. */
  static String text(JsonNode v) {
    try {
      return Json.records().writeValueAsString(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the type's own check says of the config (the schema is not applied here). */
  static List<ConfigProblem> check(ProcessorFactory f, String config) {
    return f.check(json(config), SETUP);
  }

  /** One fresh instance, one chunk (id "c", seed 0), closed afterwards: the output records as JSON text. */
  static List<String> run(ProcessorFactory f, String config, Ctx ctx, String... records) throws Exception {
    return strings(runChunks(f, config, ctx, List.of(records(records))));
  }

  /** The one output of a {@code jq} step running {@code program} on {@code record}, which it must not reject. */
  static String jqOne(String program, String record) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(new JqFactory(), Json.mapper().createObjectNode().put("program", program).toString(), ctx, record);
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), ctx.rejected, program);
    org.junit.jupiter.api.Assertions.assertEquals(1, out.size(), program + ": " + out);
    return out.get(0);
  }

  /** One fresh instance, one chunk: the chunk it returned, with its records and what it says they were made from. */
  static Chunk process(ProcessorFactory f, String config, Ctx ctx, List<JsonNode> records) throws Exception {
    try (Processor p = f.prepare(json(config), SETUP).get()) {
      p.init(ctx);
      return p.process(new Chunk("c", 0, records, 0));
    }
  }

  /**
   * One instance sees the chunks in order, then {@code finish} (as for {@code loadBalance: false});
   * returns every output record, the finish records last.
   */
  static List<JsonNode> runChunks(ProcessorFactory f, String config, Ctx ctx, List<List<JsonNode>> chunks)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (Processor p = f.prepare(json(config), SETUP).get()) {
      p.init(ctx);
      long i = 0;
      for (List<JsonNode> records : chunks) {
        List<JsonNode> before = new ArrayList<>();
        for (JsonNode r : records) before.add(r.deepCopy());
        Chunk result = p.process(new Chunk("c" + i, i, records, i));
        if (!before.equals(records)) throw new AssertionError("the processor modified its input records");
        out.addAll(result.records());
        i++;
      }
      p.finish(out::add);
    }
    return out;
  }
}

package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ProcessorContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The context of one processor instance; collects the records it rejects for the current chunk. */
final class EngineProcessorContext implements ProcessorContext {
  private final Step step;
  private final long runSeed;
  private final Path runDataDir;
  private final BooleanSupplier cancelled;
  private List<RecordRejection> rejected = new ArrayList<>();

  EngineProcessorContext(Step step, long runSeed, Path runDataDir, BooleanSupplier cancelled) {
    this.step = step;
    this.runSeed = runSeed;
    this.runDataDir = runDataDir;
    this.cancelled = cancelled;
  }

  @Override
  public String processorId() {
    return step.id();
  }

  @Override
  public JsonNode config() {
    return step.spec().config();
  }

  @Override
  public long runSeed() {
    return runSeed;
  }

  @Override
  public Path dataDir() {
    if (runDataDir == null) {
      throw new IllegalStateException("this run has no data folder");
    }
    Path dir = runDataDir.resolve(step.id());
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Logger logger() {
    return LoggerFactory.getLogger("wiz.processor." + step.id());
  }

  @Override
  public boolean cancelled() {
    return cancelled.getAsBoolean();
  }

  @Override
  public boolean servesOneChunk() {
    return !step.serial() && step.spec().poolSize() == 0;
  }

  @Override
  public void reject(JsonNode record, String reason) {
    rejected.add(new RecordRejection(record, reason));
  }

  void beginChunk() {
    rejected.clear();
  }

  List<RecordRejection> drain() {
    List<RecordRejection> out = rejected;
    rejected = new ArrayList<>();
    return out;
  }
}

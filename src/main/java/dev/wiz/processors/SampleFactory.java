package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Emitter;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code sample}: keeps a random fraction of the records, or a fixed number of them chosen
 * uniformly (reservoir sampling). All randomness comes from derived seeds, so a run seed gives the
 * same sample whatever the number of workers.
 *
 * <ul>
 *   <li>{@code fraction}: each record of a chunk is kept when the next {@code double} of a
 *       {@link SplittableRandom} seeded with the chunk's seed is below the fraction, records taken
 *       in chunk order.
 *   <li>{@code size}: Algorithm R over the whole stream with one {@link SplittableRandom} seeded from
 *       the run seed and the processor id (not the chunks, so the chunk size does not change the
 *       sample); the reservoir is emitted at end of input in input order.
 * </ul>
 */
public final class SampleFactory implements ProcessorFactory {
  static final String FRACTION = "fraction";
  static final String SIZE = "size";

  @Override
  public String type() {
    return "sample";
  }

  @Override
  public boolean loadBalance() {
    return false;
  }

  /** A reservoir ({@code size}) is emitted at end of input; a {@code fraction} passes records as they come. */
  @Override
  public boolean emitsAtEnd(JsonNode config) {
    return !config.has(FRACTION);
  }

  @Override
  public boolean needsSeed() {
    return true;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return mode(config) == null ? List.of(new ConfigProblem("", ONE_OF)) : List.of();
  }

  private static final String ONE_OF = "give exactly one of 'fraction' (keep each record with that probability) "
      + "and 'size' (keep that many records)";

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    String mode = mode(config);
    if (mode == null) throw new ProcessorException(ONE_OF);
    if (mode.equals(FRACTION)) {
      double fraction = config.get(FRACTION).asDouble();
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new ProcessorException("/fraction: must be between 0 and 1, got " + config.get(FRACTION));
      }
      return () -> new Fraction(fraction);
    }
    JsonNode size = config.get(SIZE);
    if (!size.canConvertToInt() || size.asInt() < 0) {
      throw new ProcessorException("/size: must be a whole number from 0 to " + Integer.MAX_VALUE + ", got " + size);
    }
    int n = size.asInt();
    return () -> new Reservoir(n);
  }

  /** {@code fraction} or {@code size}, or null when the config has neither or both. */
  private static String mode(JsonNode config) {
    boolean f = config.has(FRACTION);
    boolean s = config.has(SIZE);
    if (f == s) return null;
    return f ? FRACTION : SIZE;
  }

  /** The reservoir's seed: sha-256 of the run seed, the processor id and a label, first 8 bytes. */
  static long reservoirSeed(long runSeed, String processorId) {
    MessageDigest md = Json.sha256();
    md.update(ByteBuffer.allocate(8).putLong(runSeed).array());
    md.update((byte) 0);
    md.update(processorId.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update("sample/reservoir".getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(md.digest()).getLong();
  }

  private static final class Fraction implements Processor {
    private final double fraction;

    Fraction(double fraction) {
      this.fraction = fraction;
    }

    @Override
    public Chunk process(Chunk chunk) {
      SplittableRandom random = new SplittableRandom(chunk.seed());
      Outputs out = new Outputs(0);
      List<JsonNode> in = chunk.records();
      for (int i = 0; i < in.size(); i++) {
        if (random.nextDouble() < fraction) out.add(in.get(i), i);
      }
      return out.of(chunk);
    }
  }

  private record Entry(long index, JsonNode record) {}

  private static final class Reservoir implements Processor {
    private final int size;
    private final List<Entry> kept = new ArrayList<>();
    private SplittableRandom random;
    private long seen;

    Reservoir(int size) {
      this.size = size;
    }

    @Override
    public void init(ProcessorContext context) {
      random = new SplittableRandom(reservoirSeed(context.runSeed(), context.processorId()));
    }

    @Override
    public Chunk process(Chunk chunk) {
      for (JsonNode record : chunk.records()) {
        if (seen < size) {
          kept.add(new Entry(seen, record));
        } else {
          long j = random.nextLong(seen + 1);
          if (j < size) kept.set((int) j, new Entry(seen, record));
        }
        seen++;
      }
      return chunk.withRecords(List.of());
    }

    @Override
    public void finish(Emitter out) throws ProcessorException {
      kept.sort(Comparator.comparingLong(Entry::index));
      for (Entry e : kept) out.emit(e.record());
      kept.clear();
    }
  }
}

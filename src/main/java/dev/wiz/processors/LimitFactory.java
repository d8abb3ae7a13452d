package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code limit}: passes the first {@code count} records of the whole stream and drops the rest.
 * One instance sees every chunk in order, so "first" means first in input order. Once it passed
 * them it {@linkplain Processor#passesNoMore passes no more}, and the engine may stop reading the
 * input; {@code readAll: true} keeps it reading to the end.
 */
public final class LimitFactory implements ProcessorFactory {
  static final String COUNT = "count";
  static final String READ_ALL = "readAll";

  @Override
  public String type() {
    return "limit";
  }

  @Override
  public boolean loadBalance() {
    return false;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    JsonNode count = config.path(COUNT);
    if (!count.isNumber() || !(count.asDouble() >= 0)) {
      throw new ProcessorException("/count: expected a whole number of at least 0, got " + count);
    }
    long limit = wholeCount(count);
    boolean readAll = config.path(READ_ALL).asBoolean(false);
    return () -> new Limit(limit, readAll);
  }

  /**
   * A whole number of records the schema accepted (an integer, or a float without a fraction such
   * as YAML's {@code 1e20}), at least 0; one beyond 64 bits is {@link Long#MAX_VALUE}, more than
   * any input holds, rather than its low 64 bits or a failure.
   */
  static long wholeCount(JsonNode n) {
    return n.canConvertToLong() ? n.asLong() : Long.MAX_VALUE;
  }

  private static final class Limit implements Processor {
    private final long limit;
    private final boolean readAll;
    private long passed;

    Limit(long limit, boolean readAll) {
      this.limit = limit;
      this.readAll = readAll;
    }

    /** Full: every later record is dropped here (with {@code readAll}, the input is read to its end all the same). */
    @Override
    public boolean passesNoMore() {
      return !readAll && passed >= limit;
    }

    @Override
    public Chunk process(Chunk chunk) {
      long room = limit - passed;
      if (room >= chunk.size()) {
        passed += chunk.size();
        return chunk;
      }
      List<JsonNode> kept = chunk.records().subList(0, (int) Math.max(0, room));
      passed += kept.size();
      int[] from = new int[kept.size()];
      for (int i = 0; i < from.length; i++) from[i] = i;
      return chunk.withRecords(kept, from);
    }
  }
}

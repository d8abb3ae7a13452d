package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Emitter;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Small processor types whose behaviour the engine tests observe. */
final class TestProcessors {
  private TestProcessors() {}

  /** Counts the instances it makes; rejects records whose id is a multiple of {@code rejectEvery}. */
  static final class Counting implements ProcessorFactory {
    final AtomicInteger instances = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final int rejectEvery;

    Counting(int rejectEvery) {
      this.rejectEvery = rejectEvery;
    }

    @Override public String type() { return "counting"; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> {
        instances.incrementAndGet();
        return new Processor() {
          ProcessorContext ctx;

          @Override
          public void init(ProcessorContext context) {
            ctx = context;
          }

          @Override
          public Chunk process(Chunk chunk) {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode r : chunk.records()) {
              if (rejectEvery > 0 && r.path("id").asInt() % rejectEvery == 0) {
                ctx.reject(r, "id " + r.path("id").asInt() + " is unlucky");
              } else {
                ObjectNode o = r.deepCopy();
                o.put("seen", true);
                out.add(o);
              }
            }
            return chunk.withRecords(out);
          }

          @Override
          public void close() {
            closed.incrementAndGet();
          }
        };
      };
    }
  }

  /**
   * Rejects the records whose id is in the config's {@code ids}, and passes the others on as they
   * are, without saying which input record each output is ({@link Chunk#from()} is null).
   */
  static final class Refusing implements ProcessorFactory {
    @Override public String type() { return "refusing"; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      java.util.Set<Integer> ids = new java.util.HashSet<>();
      config.path("ids").forEach(id -> ids.add(id.asInt()));
      return () -> new Processor() {
        ProcessorContext ctx;

        @Override
        public void init(ProcessorContext context) {
          ctx = context;
        }

        @Override
        public Chunk process(Chunk chunk) {
          List<JsonNode> out = new ArrayList<>();
          for (JsonNode r : chunk.records()) {
            if (ids.contains(r.path("id").asInt())) {
              ctx.reject(r, "id " + r.path("id").asInt() + " is refused");
            } else {
              out.add(r);
            }
          }
          return chunk.withRecords(out);
        }
      };
    }
  }

  /** loadBalance false: one instance; records the chunk order it saw; emits a total at the end. */
  static final class Ordered implements ProcessorFactory {
    final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger instances = new AtomicInteger();
    final List<String> completed = Collections.synchronizedList(new ArrayList<>());

    @Override public String type() { return "ordered"; }
    @Override public boolean loadBalance() { return false; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> {
        instances.incrementAndGet();
        return new Processor() {
          long total;

          @Override
          public Chunk process(Chunk chunk) {
            seen.add(chunk.index());
            total += chunk.size();
            return chunk;
          }

          @Override
          public void onComplete(String chunkId) {
            completed.add(chunkId);
          }

          @Override
          public void finish(Emitter out) throws ProcessorException {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("total", total);
            out.emit(o);
          }
        };
      };
    }
  }

  /** Forks: every record comes out {@code copies} times, marked with its copy number. */
  static final class Forking implements ProcessorFactory {
    @Override public String type() { return "forking"; }
    @Override public boolean forks() { return true; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      int copies = config.path("copies").asInt(2);
      return () -> chunk -> {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : chunk.records()) {
          for (int k = 0; k < copies; k++) out.add(((ObjectNode) r.deepCopy()).put("copy", k));
        }
        return chunk.withRecords(out);
      };
    }
  }

  /** loadBalance false: keeps every record and emits them all again at the end, one by one. */
  static final class Replaying implements ProcessorFactory {
    @Override public String type() { return "replaying"; }
    @Override public boolean loadBalance() { return false; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> new Processor() {
        final List<JsonNode> kept = new ArrayList<>();

        @Override
        public Chunk process(Chunk chunk) {
          kept.addAll(chunk.records());
          return chunk.withRecords(List.of());
        }

        @Override
        public void finish(Emitter out) throws ProcessorException {
          for (JsonNode r : kept) out.emit(r);
        }
      };
    }
  }

  /**
   * loadBalance false: passes chunks on; at the end of input it says so ({@code finishing}) and
   * waits for {@code release} without looking at the cancellation, as work that cannot be cut
   * short does.
   */
  static final class StuckAtEnd implements ProcessorFactory {
    final java.util.concurrent.CountDownLatch finishing = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    @Override public String type() { return "stuck-at-end"; }
    @Override public boolean loadBalance() { return false; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> new Processor() {
        @Override
        public Chunk process(Chunk chunk) {
          return chunk;
        }

        @Override
        public void finish(Emitter out) {
          finishing.countDown();
          awaitUninterruptibly(release);
        }
      };
    }
  }

  /** Waits for the latch (at most a minute), whatever interrupts come meanwhile. */
  static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
    long until = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (latch.getCount() > 0 && System.nanoTime() < until) {
      try {
        latch.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        // as a computation would: on
      }
    }
  }

  /** Needs a seed; writes the seed it got into every record. */
  static final class Seeded implements ProcessorFactory {
    @Override public String type() { return "seeded"; }
    @Override public boolean needsSeed() { return true; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> chunk -> {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : chunk.records()) {
          out.add(((ObjectNode) r.deepCopy()).put("seed", chunk.seed()));
        }
        return chunk.withRecords(out);
      };
    }
  }

  /** Fails every chunk: retryable ones {@code failures} times, then succeeds. */
  static final class Flaky implements ProcessorFactory {
    final AtomicInteger calls = new AtomicInteger();
    final int failures;
    final boolean retryable;

    Flaky(int failures, boolean retryable) {
      this.failures = failures;
      this.retryable = retryable;
    }

    @Override public String type() { return "flaky"; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> chunk -> {
        if (calls.incrementAndGet() <= failures) {
          throw new ProcessorException("the external program crashed", retryable, null);
        }
        return chunk;
      };
    }
  }

  /** Does what {@code body} says with each chunk; {@code onClose} runs when an instance is closed. */
  static final class Scripted implements ProcessorFactory {
    /** One chunk's processing, with the instance's context. */
    @FunctionalInterface
    interface Body {
      Chunk process(Chunk chunk, ProcessorContext context) throws ProcessorException;
    }

    final Body body;
    final Runnable onClose;

    Scripted(Body body, Runnable onClose) {
      this.body = body;
      this.onClose = onClose;
    }

    @Override public String type() { return "scripted"; }

    @Override
    public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
      return () -> new Processor() {
        ProcessorContext ctx;

        @Override
        public void init(ProcessorContext context) {
          ctx = context;
        }

        @Override
        public Chunk process(Chunk chunk) throws ProcessorException {
          return body.process(chunk, ctx);
        }

        @Override
        public void close() {
          onClose.run();
        }
      };
    }
  }
}

package dev.wiz.engine;

import java.util.concurrent.atomic.AtomicLong;

/** Record counts of one processor over a run; thread-safe. */
final class ProcessorStats {
  final AtomicLong in = new AtomicLong();
  final AtomicLong out = new AtomicLong();
  /** Records a chunk's step left out (net, per chunk): in minus rejected minus out, when positive. */
  final AtomicLong filtered = new AtomicLong();
  /** Records a step added (net, per chunk: out beyond in minus rejected), and what it emitted at the end. */
  final AtomicLong created = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong chunks = new AtomicLong();
  final AtomicLong micros = new AtomicLong();

  RunReport.StepCounts snapshot(Step step) {
    return new RunReport.StepCounts(step.id(), step.factory().type(), chunks.get(), in.get(), out.get(),
        filtered.get(), created.get(), skipped.get(), deadLettered.get(), micros.get() / 1000);
  }
}

package dev.wiz.engine;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every task on a fresh thread that dies when the task is done (the lifetime model of
 * DESIGN section 5), with at most {@code max} threads alive at once; further tasks wait in order.
 */
final class LifetimeExecutor implements Executor {
  private final int max;
  private final String name;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger alive = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();

  LifetimeExecutor(int max, String name) {
    if (max < 1) throw new IllegalArgumentException("max must be at least 1");
    this.max = max;
    this.name = name;
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
    spawn();
  }

  private void spawn() {
    while (!queue.isEmpty()) {
      int n = alive.get();
      if (n >= max) return;
      if (!alive.compareAndSet(n, n + 1)) continue;
      Runnable task = queue.poll();
      if (task == null) {
        alive.decrementAndGet();
        continue;
      }
      Thread t = new Thread(() -> {
        try {
          task.run();
        } finally {
          alive.decrementAndGet();
          spawn();
        }
      }, name + "-" + started.incrementAndGet());
      t.setDaemon(true);
      t.start();
    }
  }

  /** How many workers were started so far (one per task). */
  int started() {
    return started.get();
  }
}

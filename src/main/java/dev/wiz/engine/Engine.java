package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.io.Decoded;
import dev.wiz.io.DiskFullException;
import dev.wiz.io.Encoded;
import dev.wiz.io.OutputClosedException;
import dev.wiz.io.ReadCancelledException;
import dev.wiz.io.RecordError;
import dev.wiz.io.Sink;
import dev.wiz.io.Source;
import dev.wiz.io.SourceBatch;
import dev.wiz.pipeline.OnError;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Emitter;
import dev.wiz.processor.Lifecycle;
import dev.wiz.processor.LifecycleEvent;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorState;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.ProvenanceLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs chunks through the processors (DESIGN section 5). The calling thread reads the source and
 * cuts chunks, never more than a bounded number ahead of the sink; each chunk is decoded and
 * processed on short-lived workers (a fresh thread and fresh processor instances per chunk, at most
 * {@code workers} at once); processors with {@code loadBalance: false} run on one thread with one
 * instance that sees every chunk in order; the sink writes chunks in chunk order, so the output is
 * the same whatever the number of workers. A chunk is committed when its provenance events are
 * appended to the log.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  /** Off only to measure what provenance costs (see {@link ProvenanceLog#MEASURING_WITHOUT}). */
  private static final boolean DIGESTS = !ProvenanceLog.MEASURING_WITHOUT;
  /**
   * How many chunks past the one with which a {@code limit} passed its count are still read (fewer
   * at the end of the input): a fixed number, so that what a run reads does not depend on timing.
   */
  public static final int READ_AHEAD = 8;

  /** The dead letters copied for chunks taken over that a resumed run commits at the latest. */
  static final long COPIED_COMMIT_BYTES = 4L << 20;

  /** How a run is carried out. */
  public record Options(int workers, int chunkRecords, OnError onError, int maxAttempts, long runSeed,
      long commitIntervalMillis, Map<String, Reused> reused) {
    public Options {
      if (workers < 1 || chunkRecords < 1 || maxAttempts < 1) {
        throw new IllegalArgumentException("workers, chunkRecords and maxAttempts must be at least 1");
      }
      reused = Map.copyOf(reused);
    }

    public Options(int workers, int chunkRecords, OnError onError, int maxAttempts, long runSeed, long commitIntervalMillis) {
      this(workers, chunkRecords, onError, maxAttempts, runSeed, commitIntervalMillis, Map.of());
    }
  }

  /**
   * A chunk an earlier run of the same request committed, taken over by a resumed run: its output
   * is already in the partial file, so it is not written again (a REUSED event says so).
   */
  /**
   * @param recordsIn the chunk's {@code CREATE} records in (the REUSED event repeats it)
   * @param read what the run that processed the chunk read of it: records decoded, and records
   *     that could not be decoded (skipped or dead-lettered at reading)
   */
  public record Reused(String fromRun, int recordsIn, int recordsOut, long read, long undecodable, String inputDigest,
      String outputDigest, long offset, long bytes, long skipped, long deadLettered, long filtered, long created,
      Event.SinkText text) {

    /** Of bytes stored as text (or whose text was not logged). */
    public Reused(String fromRun, int recordsIn, int recordsOut, long read, long undecodable, String inputDigest,
        String outputDigest, long offset, long bytes, long skipped, long deadLettered, long filtered, long created) {
      this(fromRun, recordsIn, recordsOut, read, undecodable, inputDigest, outputDigest, offset, bytes, skipped,
          deadLettered, filtered, created, null);
    }

    /** Without the filtered and created counts (-1: taken as the chunk's net, records in less records out). */
    public Reused(String fromRun, int recordsIn, int recordsOut, long read, long undecodable, String inputDigest,
        String outputDigest, long offset, long bytes, long skipped, long deadLettered) {
      this(fromRun, recordsIn, recordsOut, read, undecodable, inputDigest, outputDigest, offset, bytes, skipped,
          deadLettered, -1, -1);
    }
  }

  /**
   * Where a run's events and dead letters go, how its chunks are named, and what stops it.
   *
   * @param cancelled true once the run is asked to stop (SIGINT, SIGTERM): it reads no more, its
   *     steps stop at their next record (an exec program is killed), the chunks that were done
   *     are written, and it ends interrupted
   * @param stopNow true once it is asked to stop at once (a second signal), looked at only once
   *     {@code cancelled} is: it no longer waits for steps that did not stop, nor for a serial
   *     step's end of input, and ends with what was written so far
   * @param stopReading called (once, from any thread) when the run reads no more because a step
   *     passes no more records (a limit that passed its count): a source whose read may wait for
   *     input (standard input) should then stop waiting, with a {@link ReadCancelledException}
   */
  public record Context(String chunkPrefix, ProvenanceLog log, DeadLetterLog deadLetters, java.nio.file.Path dataDir,
      BooleanSupplier cancelled, BooleanSupplier stopNow, Runnable stopReading) {
    public Context {
      Objects.requireNonNull(chunkPrefix, "chunkPrefix");
      Objects.requireNonNull(log, "log");
      Objects.requireNonNull(deadLetters, "deadLetters");
      Objects.requireNonNull(cancelled, "cancelled");
      Objects.requireNonNull(stopNow, "stopNow");
      Objects.requireNonNull(stopReading, "stopReading");
    }

    /** A run whose source need not be told that the reading stopped. */
    public Context(String chunkPrefix, ProvenanceLog log, DeadLetterLog deadLetters, java.nio.file.Path dataDir,
        BooleanSupplier cancelled, BooleanSupplier stopNow) {
      this(chunkPrefix, log, deadLetters, dataDir, cancelled, stopNow, () -> {});
    }

    /** A run that is never told to stop at once. */
    public Context(String chunkPrefix, ProvenanceLog log, DeadLetterLog deadLetters, java.nio.file.Path dataDir,
        BooleanSupplier cancelled) {
      this(chunkPrefix, log, deadLetters, dataDir, cancelled, () -> false);
    }
  }

  /** Told about each committed chunk, on the sink thread (for progress display), and about a cancellation. */
  @FunctionalInterface
  public interface Progress {
    void committed(long chunks, long recordsRead, long recordsWritten);

    /**
     * The run was asked to stop ({@link Context#cancelled()}, not standard output closed): it waits
     * for the chunks in flight (read and not yet written, or left) to stop or be written. Told
     * once, on the thread that called {@link Engine#run}.
     */
    default void interrupting(int chunksInFlight) {}

    /**
     * The run was asked to stop at once ({@link Context#stopNow()}) while chunks were still in
     * flight: it ends without them, which are left for {@code --resume}. Told once, on the thread
     * that called {@link Engine#run}.
     */
    default void stoppingAtOnce(int chunksInFlight) {}
  }

  private final Options options;
  private final Context context;
  private final Progress progress;

  /** Set when standard output's reader closed it: the run stops as if interrupted. */
  private final java.util.concurrent.atomic.AtomicBoolean outputClosed = new java.util.concurrent.atomic.AtomicBoolean();
  /** A processor said output it passed on may be wrong ({@link ProcessorException#outputInDoubt}): none is kept. */
  private final java.util.concurrent.atomic.AtomicBoolean outputInDoubt = new java.util.concurrent.atomic.AtomicBoolean();
  /** The cancellation as the caller gave it: a signal, not standard output closed. */
  private final BooleanSupplier signalled;

  public Engine(Options options, Context context, Progress progress) {
    this.options = options;
    // Everything that stops on an interruption stops when the output is gone as well.
    BooleanSupplier signalled = context.cancelled();
    this.context = new Context(context.chunkPrefix(), context.log(), context.deadLetters(), context.dataDir(),
        () -> outputClosed.get() || signalled.getAsBoolean(), context.stopNow(), context.stopReading());
    this.signalled = signalled;
    this.progress = progress;
  }

  /**
   * What names the sink where a step's id names the step: the {@code processor} of the dead
   * letters, and the id of the processor in the events, of a record the sink could not write.
   */
  public static final String SINK = "sink";

  /** The reason a run that stopped because standard output was closed gives. */
  public static final String OUTPUT_CLOSED = "standard output was closed by its reader";

  /** Runs the whole source through the steps into the sink. Never throws for data problems. */
  public RunReport run(Source source, Sink sink, List<Step> steps) {
    return new Run(source, sink, steps).execute();
  }

  /** What a run's failure says of a Java error thrown {@code where} (e.g. "in chunk x"). */
  static String errorMessage(String where, Error e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory " + where + " (" + e.getMessage() + "): give wiz a larger heap (WIZ_JAVA_OPTS=-Xmx4g "
          + "bin/wiz ...) or smaller chunks (chunking.records)";
    }
    if (e instanceof StackOverflowError) {
      return "nesting too deep " + where + " (stack overflow): give wiz's threads a larger stack (WIZ_JAVA_OPTS=-Xss8m "
          + "bin/wiz ...) or nest less";
    }
    return "internal error " + where + ": " + e;
  }

  /** The chunk id of the chunk at the index. */
  public static String chunkId(String prefix, long index) {
    return prefix + "-" + position(index);
  }

  /**
   * The place of the input chunk at the index, as its id ends: the id without the pipeline's name
   * and the request key, so the same for the same input bytes whatever the file's name or time.
   */
  static String position(long index) {
    return String.format("%06d", index);
  }

  /** One run: the state shared by its threads. */
  private final class Run {
    private final Source source;
    private final Sink sink;
    private final List<Step> steps;
    private final List<Segment> segments;
    private final boolean anySerial;
    /**
     * Per step: may it stop the reading of the input once it {@linkplain Processor#passesNoMore
     * passes no more}? Only a serial step all of whose steps before it pass records on as they are
     * read: none holds records back until the end of input ({@link
     * dev.wiz.processor.ProcessorFactory#emitsAtEnd}), none acts on the world outside the run.
     */
    private final boolean[] mayStopReading;
    /**
     * Set by the step that passes no more, and set again by another one that passes no more from
     * an earlier chunk on: the reader cuts no more chunks past {@link #READ_AHEAD} after it.
     */
    private final AtomicReference<Full> full = new AtomicReference<>();
    /** Set by the reader when it stopped because of {@link #full}, before the end of the input. */
    private RunReport.ReadStop readStop;
    /**
     * Does a step stop the reading ({@link #mayStopReading})? Then the reader keeps at most {@link
     * #READ_AHEAD} chunks ahead of the last one written (also once a step is full, since another
     * may yet turn out full from an earlier chunk), and reads exactly that many past the chunk
     * with which the step passed its last record: which chunks are read, and so the counts, the
     * dead letters and the exit code of the run, never depend on how fast the workers were.
     */
    private final boolean readsAhead;
    /** The index of the last chunk from the input that the sink wrote (or dropped), guarded by itself. */
    private final long[] written1 = {-1};
    private final ProcessorStats[] stats;
    private final LifetimeExecutor workers;
    private final List<ExecutorService> serialThreads = new ArrayList<>();
    private final ExecutorService sinkThread;
    private final Semaphore inFlight;
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    /**
     * The lowest index of a chunk the cancellation cut short (Long.MAX_VALUE while none was): the
     * chunks after it are not processed further, since none of them can be committed before it.
     */
    private final AtomicLong cutAt = new AtomicLong(Long.MAX_VALUE);
    /** Set on the sink thread at the first chunk cut short: nothing is committed after it. */
    private volatile boolean stopped;
    /**
     * Set when the run is told to stop at once: what is still being processed is left behind (its
     * threads go on until they end, and nothing they do is written), and the sink writes nothing
     * more. The thread that set it holds {@link #writing} from then on.
     */
    private volatile boolean abandoned;
    /** The run ends the sink: the commit timer commits no more ({@link #commitIfDue}). */
    private volatile boolean writesEnded;
    /** Held while a chunk is written and recorded, so that a run told to stop at once ends between two chunks. */
    private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
    /** Whether the progress display was told of the cancellation (on the thread that runs the run). */
    private boolean toldInterrupting;
    private final int maxInFlight;
    private final AtomicLong chunksDone = new AtomicLong();
    private final AtomicLong reusedChunks = new AtomicLong();
    /** Records the processors filtered (or created) in reused chunks, when they were not processed again. */
    private final AtomicLong reusedFiltered = new AtomicLong();
    private final AtomicLong reusedCreated = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    /** Of skipped and deadLettered: the records the sink could not write. */
    private final AtomicLong sinkSkipped = new AtomicLong();
    private final AtomicLong sinkDeadLettered = new AtomicLong();
    /** The first DROP event logged, for the summary (RunReport.firstSkip): set as chunks are logged, in log order. */
    private volatile String firstSkip;
    /** Names the sink in the DROP and DEAD_LETTER events of the records it could not write. */
    private final Event.ProcessorRef sinkRef;
    private final Persistent[] serial;
    private final Pool[] pools;
    private long lastCommit = System.nanoTime();
    private final List<String> uncommitted = new ArrayList<>();
    private final java.util.Queue<Persistent> retired = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final long started = System.nanoTime();

    Run(Source source, Sink sink, List<Step> steps) {
      this.source = source;
      this.sink = sink;
      this.sinkRef = new Event.ProcessorRef(SINK, SINK, "1", sink.configDigest());
      this.steps = List.copyOf(steps);
      this.segments = Segment.split(this.steps);
      this.anySerial = this.steps.stream().anyMatch(Step::serial);
      this.mayStopReading = new boolean[this.steps.size()];
      boolean streaming = true;
      for (int i = 0; i < this.steps.size(); i++) {
        Step s = this.steps.get(i);
        mayStopReading[i] = streaming && s.serial();
        if (s.factory().sideEffects() || s.factory().emitsAtEnd(s.spec().config())) streaming = false;
      }
      boolean any = false;
      for (boolean b : mayStopReading) any |= b;
      this.readsAhead = any;
      this.stats = new ProcessorStats[steps.size()];
      for (int i = 0; i < stats.length; i++) stats[i] = new ProcessorStats();
      this.serial = new Persistent[steps.size()];
      this.pools = new Pool[steps.size()];
      for (int i = 0; i < steps.size(); i++) {
        int size = steps.get(i).spec().poolSize();
        if (size != 0 && !steps.get(i).serial()) {
          pools[i] = new Pool(steps.get(i), size > 0 ? size : options.workers());
        }
      }
      this.workers = new LifetimeExecutor(options.workers(), "wiz-worker");
      this.sinkThread = Executors.newSingleThreadExecutor(daemon("wiz-sink"));
      this.maxInFlight = options.workers() * 2 + 2;
      this.inFlight = new Semaphore(maxInFlight);
    }

    RunReport execute() {
      RunReport.Status status;
      boolean ended = false;
      java.util.concurrent.ScheduledExecutorService timer = commitTimer();
      try {
        startSerialInstances();
        if (failure.get() == null) {
          readAll();
        }
        if (failure.get() == null && !context.cancelled().getAsBoolean()) {
          finish();
        }
        endWrites();
        status = endStatus();
        if (status == RunReport.Status.SUCCESS || status == RunReport.Status.COMPLETED_WITH_ERRORS) {
          commit();
          sink.complete();
        } else if (outputInDoubt.get()) {
          sink.abort(); // what was written may be wrong: nothing for --resume to take over
        } else {
          // What was written so far is kept (durably) for --resume; the target is left as it was.
          sink.commit();
          sink.suspend();
        }
        ended = true;
        endSerialInstances(status);
        commitLogs();
      } catch (IOException | RuntimeException | Error e) {
        if (e instanceof Error) {
          failOnError("reading " + (chunksDone.get() == 0 ? "the input" : "after chunk " + chunksDone.get()), (Error) e);
          status = RunReport.Status.FAILED;
        } else if (e instanceof OutputClosedException && failure.get() == null) {
          outputClosed.set(true);
          status = RunReport.Status.INTERRUPTED;
        } else {
          fail(e instanceof StateWriteFailed ? e.getMessage()
              : e instanceof IOException ? "writing output: " + why((IOException) e) : "internal error: " + e,
              !(e instanceof IOException), e);
          status = RunReport.Status.FAILED;
        }
        if (!ended) {
          endWritesAfterFailure();
          if (outputInDoubt.get()) sink.abort();
          else sink.suspend();
          endSerialInstances(status);
        }
        try {
          commitLogs();
        } catch (IOException | RuntimeException again) {
          // The run failed already, for this reason or another, and says so; its record cannot
          // be written either when the state folder is full (RunService says what to do then).
          LOG.debug("could not commit the provenance log: {}", again.getMessage());
        }
      } finally {
        if (timer != null) timer.shutdownNow();
        while (writing.isHeldByCurrentThread()) writing.unlock(); // what still reaches the sink sees the run abandoned
        sinkThread.shutdownNow();
        serialThreads.forEach(ExecutorService::shutdownNow);
      }
      Failure f = failure.get();
      List<RunReport.StepCounts> counts = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        RunReport.StepCounts c = stats[i].snapshot(steps.get(i));
        // A sort or an aggregate the run stopped before its end still held what it took in.
        boolean atEnd = serial[i] != null && steps.get(i).factory().emitsAtEnd(steps.get(i).spec().config());
        // One that reached it: what it did over the whole run, records in against records out (a
        // sort neither filtered nor created any), not what it took in chunk by chunk.
        counts.add(!atEnd ? c : serial[i].finished ? c.settled() : c.holding());
      }
      boolean closed = status == RunReport.Status.INTERRUPTED && outputClosed.get();
      return new RunReport(status, f != null ? f.message : closed ? OUTPUT_CLOSED : null, f != null && f.internal,
          chunksDone.get(), read.get(), decodeErrors.get(), written.get(), skipped.get(), deadLettered.get(),
          counts, sink.target(), bytes.get(), context.log().head(), context.log().count(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), reusedChunks.get(), reusedFiltered.get(),
          reusedCreated.get(), closed, sinkSkipped.get(), sinkDeadLettered.get(), firstSkip, readStop,
          status == RunReport.Status.SUCCESS || status == RunReport.Status.COMPLETED_WITH_ERRORS ? sink.outputText() : null);
    }

    private RunReport.Status endStatus() {
      if (failure.get() != null) return RunReport.Status.FAILED;
      if (context.cancelled().getAsBoolean()) return RunReport.Status.INTERRUPTED;
      if (skipped.get() + deadLettered.get() > 0) return RunReport.Status.COMPLETED_WITH_ERRORS;
      return RunReport.Status.SUCCESS;
    }

    // ---- reading and scheduling ------------------------------------------------------------

    private void readAll() {
      CompletableFuture<ChunkWork>[] serialTails = newTails(segments.size());
      CompletableFuture<ChunkWork> sinkTail = CompletableFuture.completedFuture(null);
      long index = 0;
      // How far the input was read: the last line of the last batch cut, and the records cut.
      String origin = null;
      long line = 0;
      long records = 0;
      while (failure.get() == null && !context.cancelled().getAsBoolean()) {
        if (readsAhead) {
          if (readEnds(index)) {
            readStop = full.get().stop(origin, line, records);
            break;
          }
          // Also once a step is full: another one, further on, may yet fill in an earlier chunk
          // (it is known once that chunk was written), and it is the one that stops the reading.
          if (!writtenThrough(index - READ_AHEAD - 1)) continue;
        }
        try {
          if (!inFlight.tryAcquire(50, TimeUnit.MILLISECONDS)) continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (readsAhead && readEnds(index)) {
          // Filled while this waited for room: the next batch is not cut.
          inFlight.release();
          readStop = full.get().stop(origin, line, records);
          break;
        }
        SourceBatch batch;
        try {
          batch = source.next(options.chunkRecords());
        } catch (ReadCancelledException e) {
          // A read that waited for input (stdin) stopped for the cancellation, or because a step
          // passes no more records: the batch it was cutting is left.
          inFlight.release();
          if (full.get() != null) readStop = full.get().stop(origin, line, records);
          break;
        } catch (IOException e) {
          inFlight.release();
          // In chunk order, once the chunks read before are written: a bad record in one of them is
          // the first the run names, as it is when they are cut smaller (a json element that is
          // not JSON ends the batch before it, and the next read fails).
          String message = "reading input: " + e.getMessage();
          sinkTail = sinkTail.thenApplyAsync(prev -> {
            fail(message, false, e);
            return prev;
          }, sinkThread);
          break;
        }
        if (batch == null) {
          inFlight.release();
          break;
        }
        origin = batch.origin();
        line = batch.lastLine();
        records += batch.recordCount();
        ChunkWork c = new ChunkWork(chunkId(context.chunkPrefix(), index), position(index), index, batch);
        index++;
        c.reused = options.reused().get(c.id);
        if (c.reused != null && DIGESTS && c.reused.inputDigest() != null
            && !c.reused.inputDigest().equals(batch.inputDigest())) {
          // Same size and time, other bytes: what that run wrote for it is not this input's.
          inFlight.release();
          fail(batch.origin() + ":" + batch.firstLine() + "-" + batch.lastLine() + ": the input of chunk " + c.id
              + " is not what run " + c.reused.fromRun() + " read (its digest differs), so its output cannot be "
              + "taken over: run again without --resume (--checksum tells inputs apart by content)", false, null);
          break;
        }
        if (c.reused != null && !anySerial) {
          // Committed by the run this one resumes: nothing to compute, nothing to write.
          sinkTail = sinkTail.thenApplyAsync(prev -> {
            write(c);
            return c;
          }, sinkThread);
        } else {
          sinkTail = schedule(c, serialTails, sinkTail);
        }
      }
      await(sinkTail);
    }

    /**
     * Is the chunk with this index not to be read, because a step passes no more records? None is
     * read when it passed none from the start ({@code count: 0}); else {@link #READ_AHEAD} more
     * past the chunk with which it passed its last record.
     */
    private boolean readEnds(long index) {
      Full f = full.get();
      return f != null && (f.index() < 0 || index > f.index() + READ_AHEAD);
    }

    /**
     * Has the sink written (or dropped) every chunk up to the one with this index? Waits up to 50
     * ms for it when not.
     */
    private boolean writtenThrough(long index) {
      synchronized (written1) {
        if (written1[0] >= index) return true;
        try {
          written1.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
        return written1[0] >= index;
      }
    }

    /**
     * End of input, on a thread of its own so that a run told to stop at once need not wait for
     * it: every processor that saw all chunks may emit records, then the instances of pools check
     * what they hold.
     */
    private void finish() {
      if (!anySerial && java.util.Arrays.stream(pools).allMatch(Objects::isNull)) return; // nothing holds records back
      ExecutorService finisher = Executors.newSingleThreadExecutor(daemon("wiz-finish"));
      try {
        await(CompletableFuture.runAsync(() -> {
          finishSerialInstances();
          if (failure.get() == null && !context.cancelled().getAsBoolean()) {
            finishPooledInstances();
          }
        }, finisher));
      } finally {
        finisher.shutdown();
      }
    }

    /**
     * Waits for a stage of the run (every chunk through the sink, or the end of input) to end.
     * Once the run is being cancelled, tells the progress display so (also when the stage ended
     * meanwhile), and when it is told to stop at once, stops waiting: the run is abandoned ({@link
     * #abandon}). A Java error or a bug in the stage is thrown as it was.
     */
    private void await(CompletableFuture<?> stage) {
      boolean interrupted = false;
      try {
        while (true) {
          tellInterrupting();
          if (context.cancelled().getAsBoolean() && context.stopNow().getAsBoolean()) {
            abandon();
            return;
          }
          try {
            stage.get(50, TimeUnit.MILLISECONDS);
            tellInterrupting();
            return;
          } catch (java.util.concurrent.TimeoutException e) {
            // look again
          } catch (InterruptedException e) {
            interrupted = true; // as join(): waits on, and says so afterwards
          } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error) throw (Error) cause;
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            throw new java.util.concurrent.CompletionException(cause);
          }
        }
      } finally {
        if (interrupted) Thread.currentThread().interrupt();
      }
    }

    /** Tells the progress display, once, that the run was asked to stop, and how many chunks it waits for. */
    private void tellInterrupting() {
      if (toldInterrupting || !signalled.getAsBoolean()) return;
      toldInterrupting = true;
      progress.interrupting(chunksInFlight());
    }

    /** Chunks read (or made at end of input) and not yet written, dropped or left. */
    private int chunksInFlight() {
      return maxInFlight - inFlight.availablePermits();
    }

    /**
     * Told to stop at once: leaves the chunks still in flight behind (they are not committed, and
     * --resume processes them again) and ends the run with what was written. Waits only for the
     * chunk being written, if any, so that the sink, the dead letters and the provenance log end
     * on a whole chunk; from then on the sink writes nothing (this thread holds {@link #writing}).
     * The instances still at work on another thread are not ended ({@link Persistent#held}).
     */
    private void abandon() {
      int left = chunksInFlight();
      abandoned = true;
      progress.stoppingAtOnce(left);
      writing.lock();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CompletableFuture<ChunkWork>[] newTails(int n) {
      CompletableFuture<ChunkWork>[] tails = new CompletableFuture[n];
      for (int i = 0; i < n; i++) tails[i] = CompletableFuture.completedFuture(null);
      return tails;
    }

    private CompletableFuture<ChunkWork> schedule(
        ChunkWork c, CompletableFuture<ChunkWork>[] serialTails, CompletableFuture<ChunkWork> sinkTail) {
      Segment first = segments.isEmpty() ? null : segments.get(0);
      CompletableFuture<ChunkWork> f;
      if (first == null || !first.serial()) {
        f = CompletableFuture.supplyAsync(() -> guarded(c, () -> {
          decode(c);
          if (first != null) runSegment(first, c);
          if (segments.size() <= 1) encode(c);
        }), workers);
      } else {
        f = CompletableFuture.supplyAsync(() -> guarded(c, () -> decode(c)), workers);
      }
      for (int s = (first != null && !first.serial()) ? 1 : 0; s < segments.size(); s++) {
        Segment seg = segments.get(s);
        boolean last = s == segments.size() - 1;
        if (seg.serial()) {
          f = f.thenCombineAsync(serialTails[s], (w, prev) -> guarded(w, () -> {
            runSegment(seg, w);
            if (last) encode(w);
          }), seg.executor(this));
          serialTails[s] = f;
        } else {
          f = f.thenApplyAsync(w -> guarded(w, () -> {
            runSegment(seg, w);
            if (last) encode(w);
          }), workers);
        }
      }
      return f.thenCombineAsync(sinkTail, (w, prev) -> {
        write(w);
        return w;
      }, sinkThread);
    }

    /**
     * A Java error on the way: the run fails and says what to do. Running out of memory is not a
     * bug of wiz but of its heap size (a record of hundreds of megabytes, too large chunks); a
     * stack overflow is a nesting too deep to handle; anything else is internal.
     */
    private void failOnError(String where, Error e) {
      fail(errorMessage(where, e), !(e instanceof OutOfMemoryError || e instanceof StackOverflowError), e);
    }

    /** Runs a stage; a bug becomes an internal failure of the run, never a lost future. */
    private ChunkWork guarded(ChunkWork c, Runnable stage) {
      if (c.fatal != null || c.dropped || c.cutShort || failure.get() != null) return c;
      if (c.index > cutAt.get()) {
        c.cutShort = true; // an earlier chunk will not be committed: neither will this one
        return c;
      }
      try {
        stage.run();
      } catch (RuntimeException e) {
        c.fatal = "internal error in chunk " + c.id + ": " + e;
        c.internal = true;
        c.cause = e;
      } catch (Error e) {
        c.fatal = errorMessage("in chunk " + c.id, e);
        c.internal = !(e instanceof OutOfMemoryError || e instanceof StackOverflowError);
        c.cause = e;
      }
      return c;
    }

    // ---- stages ----------------------------------------------------------------------------

    private void decode(ChunkWork c) {
      SourceBatch b = c.batch;
      Decoded d;
      try {
        d = b.decode();
      } catch (IOException e) {
        c.fatal = b.origin() + ":" + b.firstLine() + ": cannot read input: " + e.getMessage();
        return;
      }
      c.records = d.records();
      c.lines = d.recordLines();
      c.content = new ContentDigest(d.records(), d.lines());
      read.addAndGet(d.records().size());
      c.inputDigest = DIGESTS ? b.inputDigest() : null;
      c.events.add(Event.of(EventType.CREATE, c.id)
          .source(new Event.SourceRef(b.origin(), b.firstLine(), b.lastLine()))
          .records(b.recordCount(), d.records().size())
          .digests(c.inputDigest, null)
          );
      if (!d.errors().isEmpty()) {
        decodeErrors.addAndGet(d.errors().size());
        handleDecodeErrors(c, d.errors());
      }
    }

    private void handleDecodeErrors(ChunkWork c, List<RecordError> errors) {
      RecordError first = errors.get(0);
      switch (options.onError()) {
        case FAIL:
          String message = first.place() + ": " + first.message()
              + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more in this chunk)" : "")
              + "; set run.onError to skip or dead-letter to go on past bad records";
          if (failLater(c, (int) (first.line() - c.batch.firstLine()), message)) {
            cutAtFailure(c);
          } else {
            c.fatal = message;
          }
          break;
        case SKIP:
          skipped.addAndGet(errors.size());
          c.dropEvent(Event.of(EventType.DROP, c.id).records(errors.size(), 0)
              .error(errors.size() + " undecodable record(s), first at " + first.place() + ": " + first.message()),
              (int) (first.line() - c.batch.firstLine()));
          break;
        case DEAD_LETTER:
          deadLettered.addAndGet(errors.size());
          for (RecordError e : errors) {
            ObjectNode dl = deadLetter(c, "source", e.message(), 1, -1);
            dl.put("origin", e.origin());
            dl.put("line", e.line());
            if (e.column() > 0) dl.put("column", e.column());
            dl.put("raw", e.raw());
            c.deadLetters.add(dl);
          }
          c.deadLetterEvent(Event.of(EventType.DEAD_LETTER, c.id).records(errors.size(), 0)
              .error(errors.size() + " undecodable record(s), first at " + first.place() + ": " + first.message())
              );
          break;
        default:
          throw new IllegalStateException("unknown onError " + options.onError());
      }
    }

    private void runSegment(Segment seg, ChunkWork c) {
      for (int i = seg.from(); i < seg.to(); i++) {
        if (c.fatal != null || c.dropped || c.cutShort) return;
        step(i, c);
      }
    }

    /**
     * Runs step i on the chunk, or, once the chunk has forked, on each of its children in order;
     * a step whose type forks turns the chunk's output into children.
     */
    private void step(int i, ChunkWork c) {
      if (c.children == null) {
        runStep(i, c);
        if (c.fatal == null && !c.dropped && !c.cutShort && steps.get(i).factory().forks()) fork(i, c);
        return;
      }
      for (ChunkWork child : c.children) {
        if (child.fatal != null || child.dropped) continue;
        runStep(i, child);
        if (child.fatal != null) {
          c.fatal = child.fatal;
          c.internal = child.internal;
          c.cause = child.cause;
          return;
        }
        if (child.failLater != null && child.failLaterLine < c.failLaterLine) {
          // Its bad record comes before every record of the children after it, which stop here.
          c.failLater = child.failLater;
          c.failLaterLine = child.failLaterLine;
          for (ChunkWork later : c.children.subList(c.children.indexOf(child) + 1, c.children.size())) {
            later.records = List.of();
            later.lines = null;
          }
        }
        if (child.cutShort) {
          c.cutShort = true;
          return;
        }
      }
    }

    /**
     * A FORK: the chunk's records are cut into children of at most the chunk size, with ids
     * {@code <parent>.<n>}, that go through the rest of the steps and to the sink on their own.
     */
    private void fork(int i, ChunkWork c) {
      Step step = steps.get(i);
      List<JsonNode> all = c.records;
      int size = options.chunkRecords();
      List<ChunkWork> children = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int from = 0, n = 0; from < all.size(); from += size, n++) {
        ChunkWork child = new ChunkWork(c.id + "." + n, c.position + "." + n, c.index, c.batch);
        child.records = List.copyOf(all.subList(from, Math.min(all.size(), from + size)));
        child.lines = InputLines.slice(c.lines(), from, from + child.records.size());
        child.content = c.content;
        child.inputDigest = DIGESTS ? child.content.of(child.records) : null;
        child.events.add(Event.of(EventType.FORK, child.id).parents(List.of(c.id)).processor(step.ref())
            .records(child.records.size(), child.records.size()).digests(null, child.inputDigest));
        children.add(child);
        ids.add(child.id);
      }
      c.events.add(Event.of(EventType.FORK, c.id).children(ids).processor(step.ref())
          .records(all.size(), all.size()).digests(c.inputDigest, null));
      c.lastStepEvent = -1;
      c.records = List.of();
      c.lines = null;
      c.children = children;
    }

    private void runStep(int i, ChunkWork c) {
      Pool pool = pools[i];
      Persistent pi = serial[i];
      if (pool != null) {
        pi = pool.acquire();
        if (pi == null) {
          c.fatal = "interrupted while waiting for an instance of '" + steps.get(i).id() + "'";
          return;
        }
      }
      if (pi != null && !pi.held.compareAndSet(false, true)) {
        // The run was abandoned and the instance ended: nothing of this chunk is committed.
        c.cutShort = true;
        cutAt.accumulateAndGet(c.index, Math::min);
        if (pool != null) pool.release(pi);
        return;
      }
      try {
        runStep(i, c, pi);
        if (mayStopReading[i]) noteFull(i, pi, c.id, c.index);
      } finally {
        if (pi != null) pi.held.set(false);
        if (pool != null) pool.release(pi);
      }
    }

    /**
     * After serial step i (one that may stop the reading) started or took a chunk ({@code chunk},
     * null when it started): when it passes no more records, the reader cuts no more chunks.
     */
    private void noteFull(int i, Persistent si, String chunk, long index) {
      Full was = full.get();
      if (si == null || (was != null && was.index() <= index)) return;
      Processor p = si.instance.processor;
      if (p == null || !p.passesNoMore()) return;
      // Of several steps, the one that filled in the earliest chunk stops the reading, whichever
      // thread got there first (a step before it on its way to a later chunk may have); of two in
      // the same chunk, the first in the pipeline, which saw the chunk first.
      Full mine = new Full(steps.get(i).id(), chunk, index);
      while (!full.compareAndSet(was, mine)) {
        was = full.get();
        if (was != null && was.index() <= index) return;
      }
      if (was == null) context.stopReading().run(); // a read waiting for more input need not wait
    }

    private void runStep(int i, ChunkWork c, Persistent si) {
      Step step = steps.get(i);
      ProcessorStats st = stats[i];
      Instance inst;
      if (si != null) {
        si.events = c.events;
        si.chunk = c.id;
        inst = si.instance;
        if (inst.lifecycle.state() == ProcessorState.UNINITIALIZED) {
          try {
            inst.start(c);
          } catch (ProcessorException e) {
            if (cancelling()) {
              cutShort(c, inst);
            } else {
              chunkFailed(i, c, inst, si, "init: " + e.getMessage(), 1);
            }
            return;
          }
        }
      } else {
        inst = new Instance(step, (id, t) -> c.events.add(stateEvent(c.id, step, t)));
        try {
          inst.start(c);
        } catch (ProcessorException e) {
          if (cancelling()) {
            cutShort(c, inst);
          } else {
            chunkFailed(i, c, inst, null, "init: " + e.getMessage(), 1);
          }
          return;
        }
      }
      List<JsonNode> in = c.records;
      // Every step gets its derived seed (recorded in provenance); processors that use
      // randomness pass through 'determining' for it.
      if (step.factory().needsSeed()) {
        inst.lifecycle.fire(LifecycleEvent.DETERMINE);
      }
      long seed = Seeds.derive(options.runSeed(), step.id(), c.position);
      inst.lifecycle.fire(LifecycleEvent.VALIDATE);
      inst.lifecycle.fire(LifecycleEvent.RUN);
      long t0 = System.nanoTime();
      Chunk out = null;
      int attempts = 0;
      String error = null;
      boolean cancelled = false;
      Error tooBig = null;
      while (out == null) {
        attempts++;
        inst.context.beginChunk();
        try {
          out = inst.processor.process(new Chunk(c.id, c.index, in, seed));
        } catch (ProcessorException e) {
          if (cancelling()) {
            cancelled = true;
            break;
          }
          error = e.getMessage();
          if (e.outputInDoubt()) {
            outputInDoubt.set(true);
            break;
          }
          if (!e.retryable() || attempts >= options.maxAttempts()) break;
          // An attempt that may yet pass: the cancellation, not the error, ends the chunk here.
          if (!backoff(attempts)) {
            cancelled = true;
            break;
          }
        } catch (RuntimeException e) {
          if (cancelling()) {
            cancelled = true;
            break;
          }
          error = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
          break;
        } catch (StackOverflowError | OutOfMemoryError e) {
          // Not of one record (a step's loop makes an overflow on one record a record error): of
          // the chunk, so the run stops, as it does in any other stage, named by the step.
          tooBig = e;
          break;
        }
      }
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
      st.micros.addAndGet(micros);
      if (cancelled) {
        cutShort(c, inst);
        return;
      }
      if (tooBig != null) {
        c.fatal = errorMessage("in processor '" + step.id() + "' (" + step.factory().type() + ") on chunk " + c.id, tooBig);
        c.cause = tooBig;
        if (!inst.lifecycle.state().terminal()) inst.lifecycle.fire(LifecycleEvent.FAIL);
        inst.close();
        return;
      }
      if (out == null) {
        chunkFailed(i, c, inst, si, error, attempts);
        return;
      }
      List<RecordRejection> rejects = inst.context.drain();
      if (si != null && si == serial[i] && !in.isEmpty()) {
        si.fedBy.add(c.id); // what it emits at end of input comes from these chunks
        si.fedRecords += in.size();
      }
      st.chunks.incrementAndGet();
      st.in.addAndGet(in.size());
      st.out.addAndGet(out.size());
      long[] fc = RecordCounts.filteredCreated(in, out, rejects.size());
      st.filtered.addAndGet(fc[0]);
      st.created.addAndGet(fc[1]);
      int[] inLines = c.lines;
      c.records = out.records();
      if (!rejects.isEmpty()) {
        recordsRejected(i, c, in, inLines, rejects);
      }
      boolean lastStep = i == steps.size() - 1;
      if (lastStep && inLines != null) {
        // Only the sink can still reject a record and need its line, which it seldom does: found then.
        Chunk done = out;
        c.lines = null;
        c.linesLater = () -> InputLines.after(inLines, in, done);
      } else {
        c.lines = InputLines.after(inLines, in, out);
      }
      if (c.failLater != null) cutAtFailure(c);
      inst.lifecycle.fire(LifecycleEvent.PRODUCE);
      String inDigest = c.inputDigest != null || !DIGESTS ? c.inputDigest : c.content.of(in);
      // The last step's output digest is taken from the encoded bytes (same bytes, no second pass).
      String outDigest = (lastStep && !step.factory().forks()) || !DIGESTS ? null : c.content.of(c.records);
      Event.Builder ev = Event.of(stepType(in, c.records, rejects.size()), c.id)
          .processor(step.ref())
          .records(in.size(), out.size())
          .filteredCreated(fc[0], fc[1])
          .digests(inDigest, outDigest)
          .durationMicros(micros)
          .seed(seed);
      if (lastStep) {
        c.lastStepEvent = c.events.size();
      }
      c.events.add(ev);
      c.inputDigest = outDigest;
      inst.lifecycle.fire(LifecycleEvent.TAKE);
      if (c.fatal == null && si == null) {
        inst.end(rejects.isEmpty() ? LifecycleEvent.SUCCEED : LifecycleEvent.COMPLETE_WITH_ERRORS);
      } else if (si != null && !rejects.isEmpty()) {
        si.hadErrors = true;
      }
    }

    /**
     * What a step did to a chunk's records: FILTERED when it dropped some (beyond those it rejected,
     * which DEAD_LETTER or DROP events tell) or passed the very records it was given through
     * unchanged; CONTENT_MODIFIED when it made records of its own.
     */
    private EventType stepType(List<JsonNode> in, List<JsonNode> out, int rejected) {
      if (out.size() < in.size() - rejected) return EventType.FILTERED;
      if (out.size() > in.size()) return EventType.CONTENT_MODIFIED;
      int j = 0;
      for (JsonNode r : out) {
        while (j < in.size() && in.get(j) != r) j++; // kept records keep their order
        if (j++ >= in.size()) return EventType.CONTENT_MODIFIED;
      }
      return EventType.FILTERED;
    }

    /**
     * Whether a processor's error leaves its chunk for --resume rather than counting against it:
     * when the run is being cancelled. The processor may have stopped for it ({@link
     * RunCancelledException}), or the signal may be the error's cause (Ctrl-C reaches an exec
     * program too); --resume processes the chunk again, so an error of its own comes back then. A
     * RunCancelledException while the run is not being cancelled is an error like any other: a
     * chunk is never left out of a run that goes on.
     */
    private boolean cancelling() {
      return context.cancelled().getAsBoolean();
    }

    /** Waits before the next attempt; false, at once, when the run is being cancelled. */
    private boolean backoff(int attempt) {
      long base = Math.min(2000, 50L << Math.min(attempt, 10));
      long jitter = ThreadLocalRandom.current().nextLong(base / 2 + 1);
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(base / 2 + jitter);
      try {
        for (long left; (left = until - System.nanoTime()) > 0; ) {
          if (context.cancelled().getAsBoolean()) return false;
          TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return !context.cancelled().getAsBoolean();
    }

    /**
     * The cancellation of the run cut the chunk short in a step (the processor stopped or failed
     * once the run was being cancelled, or a retry was not made): it is neither done nor in error,
     * so nothing of it is committed, and no chunk after it; --resume processes it again. The
     * instance ends, as every instance of an interrupted run does.
     */
    private void cutShort(ChunkWork c, Instance inst) {
      c.cutShort = true;
      cutAt.accumulateAndGet(c.index, Math::min);
      if (!inst.lifecycle.state().terminal()) inst.lifecycle.fire(LifecycleEvent.FAIL);
      inst.close();
    }

    /**
     * Records step i rejected ({@code in} and {@code inLines}: the records it was given and their
     * lines). Each is named by its own input line when that is known, else by its chunk's range.
     */
    private void recordsRejected(int i, ChunkWork c, List<JsonNode> in, int[] inLines, List<RecordRejection> rejects) {
      Step step = steps.get(i);
      RecordRejection first = rejects.get(0);
      int[] at = InputLines.ofRejected(inLines, in, rejects);
      String line = lineOf(c, at[0]);
      String processor = "processor '" + step.id() + "' (" + step.factory().type() + ")";
      // The events name the first record by its line too, as they do a record that could not be decoded.
      String eventError = line == null ? first.reason() : (rejects.size() > 1 ? "first at " : "") + line + ": " + first.reason();
      switch (options.onError()) {
        case FAIL:
          String message = (line == null ? c.where() + ": " + processor + ": " + first.reason()
              : line + ": " + processor + ": " + first.reason() + " (chunk " + c.id + ")")
              + "; set run.onError to skip or dead-letter to go on past bad records";
          // The chunk is cut at the record once the step's output has its lines (runStep).
          if (inLines == null || !failLater(c, at[0], message)) c.fatal = message;
          break;
        case SKIP:
          stats[i].skipped.addAndGet(rejects.size());
          skipped.addAndGet(rejects.size());
          c.dropEvent(Event.of(EventType.DROP, c.id).processor(step.ref()).records(rejects.size(), 0)
              .error(eventError), at[0]);
          break;
        case DEAD_LETTER:
          stats[i].deadLettered.addAndGet(rejects.size());
          deadLettered.addAndGet(rejects.size());
          for (int k = 0; k < rejects.size(); k++) {
            RecordRejection r = rejects.get(k);
            ObjectNode dl = deadLetter(c, step.id(), r.reason(), 1, at[k]);
            dl.set("record", r.record());
            c.deadLetters.add(dl);
          }
          c.deadLetterEvent(Event.of(EventType.DEAD_LETTER, c.id).processor(step.ref()).records(rejects.size(), 0)
              .error(eventError));
          break;
        default:
          throw new IllegalStateException("unknown onError " + options.onError());
      }
    }

    private void chunkFailed(int i, ChunkWork c, Instance inst, Persistent persistent, String reason, int attempts) {
      Step step = steps.get(i);
      int n = c.records.size();
      String message = c.where() + ": processor '" + step.id() + "' (" + step.factory().type() + ") failed"
          + (attempts > 1 ? " after " + attempts + " attempts" : "") + ": " + reason;
      ProcessorState state = inst.lifecycle.state();
      // Output in doubt is no error of this chunk that run.onError could pass over.
      switch (outputInDoubt.get() ? OnError.FAIL : options.onError()) {
        case FAIL:
          c.fatal = message;
          if (!state.terminal()) inst.lifecycle.fire(LifecycleEvent.FAIL);
          inst.close();
          return;
        case SKIP:
          stats[i].skipped.addAndGet(n);
          skipped.addAndGet(n);
          c.events.add(Event.of(EventType.DROP, c.id).processor(step.ref()).records(n, 0).error(message));
          break;
        case DEAD_LETTER:
          stats[i].deadLettered.addAndGet(n);
          deadLettered.addAndGet(n);
          for (int k = 0; k < n; k++) {
            // The chunk failed, not the record: each is still named by its own line.
            ObjectNode dl = deadLetter(c, step.id(), message, attempts, c.lines == null ? -1 : c.lines[k]);
            dl.set("record", c.records.get(k));
            c.deadLetters.add(dl);
          }
          c.deadLetterEvent(Event.of(EventType.DEAD_LETTER, c.id).processor(step.ref()).records(n, 0).error(message));
          break;
        default:
          throw new IllegalStateException("unknown onError " + options.onError());
      }
      st(i).chunks.incrementAndGet();
      st(i).in.addAndGet(n);
      c.dropped = true;
      c.records = List.of();
      c.lines = null;
      if (state == ProcessorState.RUNNING) {
        inst.lifecycle.fire(LifecycleEvent.DROP);
      }
      if (persistent == null) {
        if (inst.lifecycle.state() == ProcessorState.CONFIGURED) {
          inst.end(LifecycleEvent.COMPLETE_WITH_ERRORS);
        } else {
          inst.close();
        }
      } else {
        persistent.hadErrors = true;
      }
    }

    private ProcessorStats st(int i) {
      return stats[i];
    }

    /**
     * A dead letter of chunk c: its range of lines, and the record's own line when {@code line}
     * (an offset from the chunk's first line) is known.
     */
    private ObjectNode deadLetter(ChunkWork c, String processor, String reason, int attempts, int line) {
      ObjectNode dl = Json.mapper().createObjectNode();
      dl.put("chunk", c.id);
      dl.put("processor", processor);
      dl.put("reason", reason);
      dl.put("attempts", attempts);
      dl.put("origin", c.batch == null ? null : c.batch.origin());
      if (c.batch != null) {
        dl.put("firstLine", c.batch.firstLine());
        dl.put("lastLine", c.batch.lastLine());
        if (line >= 0) dl.put("line", c.batch.firstLine() + line);
      }
      return dl;
    }

    /**
     * With {@code run.onError: fail}, a record of chunk c at that line offset is bad. The run fails
     * at the first bad record in input order whatever the chunk size, so rather than fail the chunk
     * at once, the records before it go on through the steps and to the sink, which may find one on
     * an earlier line (a chunk of one record would have failed there first); the run fails with the
     * earliest when the chunk is written ({@link #failNow}). False when the line is not known: the
     * chunk fails now.
     */
    private boolean failLater(ChunkWork c, int line, String message) {
      if (line < 0 || c.batch == null) return false;
      if (line < c.failLaterLine) {
        c.failLater = message;
        c.failLaterLine = line;
      }
      return true;
    }

    /** Leaves out of chunk c its records from the line of its bad record on (see {@link #failLater}). */
    private void cutAtFailure(ChunkWork c) {
      int[] lines = c.lines();
      if (lines == null) {
        c.records = List.of();
        return;
      }
      int k = 0;
      while (k < c.records.size() && k < lines.length && lines[k] < c.failLaterLine) k++;
      if (k < c.records.size()) {
        c.records = List.copyOf(c.records.subList(0, k));
        c.lines = Arrays.copyOf(lines, k);
      }
    }

    /** A chunk with a bad record fails the run when written; the sink may find an earlier one first (csv). */
    private void failNow(ChunkWork c) throws IOException {
      for (ChunkWork w : c.children == null ? List.of(c) : c.children) {
        if (w.encoded == null && !w.dropped) encode(w);
        ordered(w);
        if (w.fatal != null) {
          c.fatal = w.fatal;
          c.internal = w.internal;
          c.cause = w.cause;
          return;
        }
      }
      c.fatal = c.failLater;
    }

    /** {@code file:line} of a record of chunk c at that line offset, or null when it is not known. */
    private String lineOf(ChunkWork c, int line) {
      return line < 0 || c.batch == null ? null : c.batch.origin() + ":" + (c.batch.firstLine() + line);
    }

    private void encode(ChunkWork c) {
      if (c.fatal != null || c.dropped || c.cutShort) return;
      if (c.children != null) {
        for (ChunkWork child : c.children) encode(child);
        return;
      }
      try {
        c.encoded = sink.encode(c.records);
        // Digested here, on a worker, rather than on the sink thread: when the sink writes exactly
        // these bytes (line formats), send() takes this digest.
        if (c.encoded.bytes() != null && DIGESTS) c.encodedDigest = Json.digest(c.encoded.bytes());
        if (c.encoded.stored() != null && DIGESTS) c.storedDigest = Json.digest(c.encoded.stored());
      } catch (IOException e) {
        c.fatal = c.where() + ": cannot encode output for " + sink.target() + ": " + e.getMessage();
        return;
      }
      if (!c.encoded.rejected().isEmpty()) sinkRejected(c, c.encoded.rejected());
    }

    /**
     * Records the sink cannot write (a record error, as one a step rejects): each is named by its
     * own input line when that is known, else by its chunk's range, and {@code run.onError} says
     * what happens to it. They are not in the chunk's output; the others are.
     */
    private void sinkRejected(ChunkWork c, List<Encoded.Rejected> rejects) {
      int[] lines = c.lines();
      int n = rejects.size();
      int[] at = new int[n];
      for (int k = 0; k < n; k++) {
        int index = rejects.get(k).index();
        at[k] = lines == null || index >= lines.length ? -1 : lines[index];
      }
      Encoded.Rejected first = rejects.get(0);
      String line = lineOf(c, at[0]);
      String who = "sink (" + sink.format() + ")";
      String eventError = line == null ? first.reason() : (n > 1 ? "first at " : "") + line + ": " + first.reason();
      switch (options.onError()) {
        case FAIL:
          c.fatal = (line == null ? c.where() + ": " + who + ": " + first.reason()
              : line + ": " + who + ": " + first.reason() + " (chunk " + c.id + ")")
              + "; set run.onError to skip or dead-letter to go on past bad records";
          break;
        case SKIP:
          sinkSkipped.addAndGet(n);
          skipped.addAndGet(n);
          c.dropEvent(Event.of(EventType.DROP, c.id).processor(sinkRef).records(n, 0).error(eventError), at[0]);
          break;
        case DEAD_LETTER:
          sinkDeadLettered.addAndGet(n);
          deadLettered.addAndGet(n);
          for (int k = 0; k < n; k++) {
            Encoded.Rejected r = rejects.get(k);
            ObjectNode dl = deadLetter(c, SINK, r.reason(), 1, at[k]);
            dl.set("record", c.records.get(r.index()));
            c.deadLetters.add(dl);
          }
          c.deadLetterEvent(Event.of(EventType.DEAD_LETTER, c.id).processor(sinkRef).records(n, 0).error(eventError));
          break;
        default:
          throw new IllegalStateException("unknown onError " + options.onError());
      }
    }

    /**
     * On the sink thread, in chunk order: write, record, commit now and then. Nothing once the run
     * is abandoned.
     */
    private void write(ChunkWork c) {
      writing.lock();
      try {
        if (!abandoned) writeLocked(c);
      } finally {
        writing.unlock();
        c.release();
        inFlight.release();
        if (readsAhead) {
          synchronized (written1) {
            written1[0] = Math.max(written1[0], c.index);
            written1.notifyAll();
          }
        }
      }
    }

    private void writeLocked(ChunkWork c) {
      try {
        if (failure.get() != null) return;
        // A chunk taken over but processed again (to rebuild a step's state) is counted again,
        // with what the sink cannot write of it; nothing of it is written.
        if (c.reused != null && anySerial) {
          ordered(c);
          if (c.children != null) {
            for (ChunkWork child : c.children) ordered(child);
          }
        }
        if (c.fatal == null && c.failLater != null) failNow(c);
        if (c.fatal != null) {
          // A failure is one even when the cancellation cut an earlier chunk short.
          fail(c.fatal, c.internal, c.cause);
          // The events up to the failure still tell what happened to this chunk.
          context.log().append(built(c));
          return;
        }
        if (c.cutShort || stopped) {
          // Not committed, nor anything after it (the output is in chunk order): --resume goes on here.
          stopped = true;
          return;
        }
        if (c.reused != null) {
          reuse(c);
        } else if (c.children == null) {
          if (!send(c)) return;
        } else {
          // The parent's events and dead letters, then each child's output, in order.
          logWithDeadLetters(c);
          for (ChunkWork child : c.children) {
            if (!send(child)) return;
            uncommitted.add(child.id);
          }
        }
        chunksDone.incrementAndGet();
        uncommitted.add(c.id);
        // Also after every few MB of dead letters a resumed run copied for the chunks it took over
        // (quickly, most of them at once): a disk that fills while they are copied loses no more.
        if (System.nanoTime() - lastCommit >= TimeUnit.MILLISECONDS.toNanos(options.commitIntervalMillis())
            || (c.reused != null && context.deadLetters().pendingBytes() >= COPIED_COMMIT_BYTES)) {
          commit();
        }
        progress.committed(chunksDone.get(), read.get(), written.get());
      } catch (OutputClosedException e) {
        outputClosed.set(true);
      } catch (IOException e) {
        fail(writeFailure(e), false, e);
      } catch (RuntimeException e) {
        fail("internal error writing chunk " + c.id + ": " + e, true, e);
      } catch (Error e) {
        // Caught, or the sink chain would end here and the reader wait for room forever.
        failOnError("writing chunk " + c.id, e);
      }
    }

    /**
     * A chunk the resumed run committed: its output is in the partial file already. (When a step
     * keeps state across chunks, the chunk went through the steps again to rebuild that state,
     * and its output is dropped here.)
     */
    private void reuse(ChunkWork c) throws IOException {
      Reused r = c.reused;
      c.events.clear();
      c.events.add(Event.of(EventType.REUSED, c.id)
          .source(new Event.SourceRef(c.batch.origin(), c.batch.firstLine(), c.batch.lastLine()))
          .records(r.recordsIn(), r.recordsOut())
          .digests(r.inputDigest(), r.outputDigest())
          .sink(new Event.SinkRef(sink.target(), r.offset(), r.bytes(), r.text()))
          .deadLetters(context.deadLetters().copied(c.id))
          .committedBy(r.fromRun()));
      c.deadLetters.clear();
      c.deadLetterEvents.clear();
      c.deadLetterEnds.clear();
      if (!anySerial) {
        // Not processed again in this run: its counts are those of the run that processed it. (A
        // chunk that went through the steps again to rebuild their state was counted then.)
        read.addAndGet(r.read());
        decodeErrors.addAndGet(r.undecodable());
        skipped.addAndGet(r.skipped());
        deadLettered.addAndGet(r.deadLettered());
        if (r.filtered() >= 0 && r.created() >= 0) {
          // Step by step, as the run that processed it counted them (a step that creates records
          // and a later one that filters some are both counted).
          reusedFiltered.addAndGet(r.filtered());
          reusedCreated.addAndGet(r.created());
        } else {
          long net = r.read() + r.undecodable() - r.recordsOut() - r.skipped() - r.deadLettered();
          if (net >= 0) {
            reusedFiltered.addAndGet(net);
          } else {
            reusedCreated.addAndGet(-net);
          }
        }
      }
      written.addAndGet(r.recordsOut());
      bytes.addAndGet(r.bytes());
      reusedChunks.incrementAndGet();
      context.log().append(built(c));
    }

    /**
     * Writes one chunk's output to the sink, then its events (ending in SEND) and dead letters.
     * False when the chunk fails the run instead (a record the sink cannot write, with {@code
     * run.onError: fail}): then nothing of it is written, and its events up to the failure are logged.
     */
    private boolean send(ChunkWork c) throws IOException {
      if (c.encoded == null && !c.dropped) encode(c);
      ordered(c);
      if (c.fatal != null) {
        fail(c.fatal, c.internal, c.cause);
        context.log().append(built(c));
        return false;
      }
      long offset = bytes.get();
      String outDigest = null;
      long n = 0;
      Event.SinkText text = null;
      if (!c.dropped && c.encoded != null) {
        Sink.Written w = sink.writeChunk(c.encoded);
        byte[] out = w.stored();
        n = out.length;
        outDigest = !DIGESTS ? null : digestOf(out, c);
        bytes.addAndGet(n);
        written.addAndGet(c.encoded.records());
        // Of the text when the sink stores something else (gzip): the SEND's digest is of the bytes
        // stored, which verify and --resume check; the text's is what a text sink would log.
        String textDigest = w.text() == out || !DIGESTS ? outDigest : digestOf(w.text(), c);
        if (c.lastStepEvent >= 0) {
          // The output digest of the last step is the digest of the text that reached the sink.
          c.events.get(c.lastStepEvent).outputDigest(textDigest);
        }
        if (w.text() != out) text = new Event.SinkText(w.text().length, textDigest);
      }
      c.events.add(Event.of(EventType.SEND, c.id)
          .recordsOut(c.dropped || c.encoded == null ? 0 : c.encoded.records())
          .digests(null, outDigest)
          .sink(new Event.SinkRef(sink.target(), offset, n, text))
          );
      logWithDeadLetters(c);
      return true;
    }

    /** The digest of bytes a chunk wrote, taken on its worker when they are the bytes it encoded there. */
    private String digestOf(byte[] b, ChunkWork c) {
      if (b == c.encoded.bytes() && c.encodedDigest != null) return c.encodedDigest;
      if (b == c.encoded.stored() && c.storedDigest != null) return c.storedDigest;
      return Json.digest(b);
    }

    /**
     * Appends the chunk's dead letters, then its events, each DEAD_LETTER event with where its
     * lines went and their digest (committed together, the dead letters first).
     */
    private void logWithDeadLetters(ChunkWork c) throws IOException {
      if (!c.deadLetters.isEmpty()) {
        int[] ends = new int[c.deadLetterEvents.size()];
        for (int k = 0; k < ends.length; k++) ends[k] = c.deadLetterEnds.get(k);
        if (ends.length == 0) ends = new int[] {c.deadLetters.size()};
        List<Event.DeadLetterRef> refs = context.deadLetters().append(c.deadLetters, ends);
        for (int k = 0; k < c.deadLetterEvents.size(); k++) c.deadLetterEvents.get(k).deadLetters(refs.get(k));
      }
      context.log().append(built(c));
    }

    /** The sink's encoding that depends on the chunks before (csv), in chunk order, and what it rejects. */
    private void ordered(ChunkWork c) throws IOException {
      if (c.fatal != null || c.dropped || c.encoded == null || c.encoded.bytes() != null) return;
      c.encoded = sink.ordered(c.encoded);
      if (!c.encoded.rejected().isEmpty()) sinkRejected(c, c.encoded.rejected());
    }

    private List<Event> built(ChunkWork c) {
      List<Event> out = new ArrayList<>(c.events.size());
      for (Event.Builder b : c.events) out.add(b.build());
      if (firstSkip == null && c.reused == null) {
        // The skip on the earliest line of the chunk (and of the chunks it forked into, logged
        // after it), not the first step's: the same whatever the chunk size.
        ChunkWork earliest = c;
        if (c.children != null) {
          for (ChunkWork child : c.children) {
            if (child.firstDrop != null && (earliest.firstDrop == null || child.firstDropLine < earliest.firstDropLine)) {
              earliest = child;
            }
          }
        }
        if (earliest.firstDrop != null) firstSkip = skipNote(earliest.firstDrop.build());
      }
      return out;
    }

    /** The start of a source's DROP event: the count of the chunk's undecodable records. */
    private static final java.util.regex.Pattern UNDECODABLE = java.util.regex.Pattern.compile("^\\d+ undecodable record\\(s\\), ");

    /**
     * A DROP event's reason for the summary: the step, then where and why ("first at" left out, and
     * the source's count of the chunk's undecodable records, which depends on the chunk size).
     */
    private static String skipNote(Event drop) {
      String error = String.valueOf(drop.error());
      Event.ProcessorRef p = drop.processor();
      if (p == null) error = UNDECODABLE.matcher(error).replaceFirst("");
      if (error.startsWith("first at ")) error = error.substring("first at ".length());
      if (p == null) return "source: " + error;
      return "sink".equals(p.type()) ? "sink: " + error : "'" + p.id() + "' (" + p.type() + "): " + error;
    }

    /**
     * Commits what was written once {@code run.commitMillis} have passed since the last commit,
     * even while no chunk is written (the next one is slow): so at most that much written work is
     * redone after a crash. Null when every chunk commits ({@code commitMillis: 0}).
     */
    private java.util.concurrent.ScheduledExecutorService commitTimer() {
      long ms = options.commitIntervalMillis();
      if (ms <= 0) return null;
      java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("wiz-commit"));
      timer.scheduleWithFixedDelay(() -> {
        try {
          sinkThread.execute(this::commitIfDue); // on the thread that writes, as every commit of a write is
        } catch (java.util.concurrent.RejectedExecutionException ended) {
          // the run is over
        }
      }, ms, ms, TimeUnit.MILLISECONDS);
      return timer;
    }

    /** See {@link #commitTimer}; on the sink's thread. Never once the run ends the sink itself. */
    private void commitIfDue() {
      if (!writing.tryLock()) return; // the run is ending the sink, or abandoned it
      try {
        if (writesEnded || abandoned || uncommitted.isEmpty() || failure.get() != null) return;
        if (System.nanoTime() - lastCommit >= TimeUnit.MILLISECONDS.toNanos(options.commitIntervalMillis())) commit();
      } catch (IOException e) {
        fail(writeFailure(e), false, e);
      } catch (RuntimeException e) {
        fail("internal error committing: " + e, true, e);
      } finally {
        writing.unlock();
      }
    }

    /**
     * From here on the run itself ends the sink: the commit timer keeps off. Every write is over
     * (or the run was abandoned, and holds the lock already).
     */
    private void endWrites() {
      if (!writing.isHeldByCurrentThread()) writing.lock();
      writesEnded = true;
    }

    /**
     * {@link #endWrites} on a failure, when a write may still be under way on the sink's thread:
     * waits for it a little, not for ever (a write to a pipe nobody reads never returns).
     */
    private void endWritesAfterFailure() {
      writesEnded = true;
      if (writing.isHeldByCurrentThread()) return;
      try {
        writing.tryLock(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Makes the sink, the dead letters and the provenance log durable, in that order. */
    private void commit() throws IOException {
      sink.commit();
      commitLogs();
      lastCommit = System.nanoTime();
      // onComplete hooks hear only of chunks whose output is durable.
      for (Persistent si : serial) {
        if (si != null && si.instance.processor != null) {
          for (String id : uncommitted) si.instance.processor.onComplete(id);
        }
      }
      uncommitted.clear();
    }

    private void commitLogs() throws IOException {
      try {
        context.deadLetters().commit();
      } catch (IOException e) {
        throw new StateWriteFailed("dead letters", context.deadLetters().file(), e);
      }
      try {
        context.log().commit();
      } catch (IOException e) {
        throw new StateWriteFailed("provenance log", context.log().file(), e);
      }
    }

    /** Why writing failed: the sink's, or (its logs) the state folder's. */
    private String writeFailure(IOException e) {
      return e instanceof StateWriteFailed ? e.getMessage() : "writing " + sink.target() + ": " + why(e);
    }

    /**
     * What went wrong writing: a file that is gone has no reason of its own in its exception
     * ("writing output: /out/.o.jsonl.RUN.tmp", as when something removed the temporary file); a
     * full disk is said to be full, with the file and what to do.
     */
    private static String why(IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException && ((java.nio.file.NoSuchFileException) e).getReason() == null) {
        return e.getMessage() + ": no such file (was it removed while the run wrote it?)";
      }
      if (e instanceof DiskFullException) {
        DiskFullException full = (DiskFullException) e;
        return "the disk is full (" + full.systemReason() + ") writing its temporary file " + full.getFile()
            + ": what the run committed is kept in it; free space on that disk, then run again with --resume"
            + " to go on from there";
      }
      return e.getMessage();
    }

    private void fail(String message, boolean internal, Throwable cause) {
      if (failure.compareAndSet(null, new Failure(message, internal))) {
        if (internal && cause != null) LOG.debug("internal error", cause);
      }
    }

    // ---- processors that see every chunk ----------------------------------------------------

    private void startSerialInstances() {
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        if (!step.serial()) continue;
        Persistent si = new Persistent(step);
        serial[i] = si;
        try {
          si.instance.start(null);
        } catch (ProcessorException e) {
          si.instance.lifecycle.fire(LifecycleEvent.FAIL);
          fail("processor '" + step.id() + "' (" + step.factory().type() + ") could not start: " + e.getMessage(), false, e);
        }
        context.log().append(builtAll(si.events));
        si.events = new ArrayList<>();
        if (mayStopReading[i]) noteFull(i, si, null, -1); // a limit of 0 passes nothing: nothing is read
      }
    }

    /**
     * End of input: every processor that saw all chunks may emit records. They are cut into chunks
     * of the run's chunk size, each sent through the steps after it and to the sink before the
     * processor emits more, so memory stays bounded however much it emits.
     */
    private void finishSerialInstances() {
      for (int i = 0; i < steps.size() && failure.get() == null; i++) {
        Persistent si = serial[i];
        if (si == null) continue;
        int step = i;
        List<JsonNode> buffer = new ArrayList<>();
        int[] parts = {0};
        Emitter out = record -> {
          if (failure.get() != null || context.cancelled().getAsBoolean()) {
            throw new ProcessorException("the run is stopping");
          }
          buffer.add(record);
          if (buffer.size() >= options.chunkRecords()) {
            flushFinal(step, parts[0]++, buffer);
            buffer.clear();
          }
        };
        if (!si.held.compareAndSet(false, true)) return; // the run was abandoned and ended the instance
        try {
          si.instance.processor.finish(out);
          si.finished = true;
        } catch (ProcessorException | RuntimeException e) {
          if (e instanceof ProcessorException && ((ProcessorException) e).outputInDoubt()) outputInDoubt.set(true);
          if (failure.get() == null && !context.cancelled().getAsBoolean()) {
            fail("processor '" + steps.get(i).id() + "' failed at end of input: " + e.getMessage(),
                e instanceof RuntimeException, e);
          }
          return;
        } catch (Error e) {
          // Sorting or grouping every record (or what the emitted records met after it, when
          // this did not say so itself): the run's, not of one record, and not of reading.
          if (failure.get() == null) failOnError(atEnd(i), e);
          return;
        } finally {
          si.held.set(false);
        }
        if (!buffer.isEmpty()) flushFinal(step, parts[0], buffer);
      }
    }

    /**
     * End of input for the instances of pools, after the serial ones (what those emit may pass
     * through a pool): each may check what it holds (a long-lived program's last output), and
     * fails the run when that is wrong. They cannot emit records.
     */
    private void finishPooledInstances() {
      Emitter none = record -> {
        throw new ProcessorException("an instance of a pool cannot emit records at end of input");
      };
      for (int i = 0; i < steps.size() && failure.get() == null; i++) {
        if (pools[i] == null) continue;
        for (Persistent p : pools[i].instances()) {
          Processor processor = p.instance.processor;
          if (processor == null) continue;
          if (!p.held.compareAndSet(false, true)) return; // the run was abandoned and ended the instance
          try {
            processor.finish(none);
          } catch (ProcessorException | RuntimeException e) {
            if (e instanceof ProcessorException && ((ProcessorException) e).outputInDoubt()) outputInDoubt.set(true);
            if (failure.get() == null && !context.cancelled().getAsBoolean()) {
              fail("processor '" + steps.get(i).id() + "' (" + steps.get(i).factory().type() + ") failed at end of input: "
                  + e.getMessage(), e instanceof RuntimeException, e);
            }
            return;
          } catch (Error e) {
            if (failure.get() == null) failOnError(atEnd(i), e);
            return;
          } finally {
            p.held.set(false);
          }
        }
      }
    }

    /** Where a Java error at end of input in step i was, for {@link #errorMessage}. */
    private String atEnd(int i) {
      return "in processor '" + steps.get(i).id() + "' (" + steps.get(i).factory().type() + ") at end of input";
    }

    /** One chunk of what a processor emitted at end of input (a JOIN), through the rest and out. */
    private void flushFinal(int step, int part, List<JsonNode> records) {
      String position = "final-" + steps.get(step).id() + "-" + part;
      ChunkWork c = new ChunkWork(context.chunkPrefix() + "-" + position, position, chunksDone.get(), null);
      c.records = List.copyOf(records);
      stats[step].out.addAndGet(records.size());
      stats[step].created.addAndGet(records.size());
      // A JOIN: the first part names every chunk that fed the step; later parts name the first.
      Persistent si = serial[step];
      List<String> parents = part == 0 ? List.copyOf(si.fedBy)
          : List.of(context.chunkPrefix() + "-final-" + steps.get(step).id() + "-0");
      Event.Builder join = Event.of(EventType.JOIN, c.id).parents(parents).processor(steps.get(step).ref());
      c.events.add(part == 0 ? join.records((int) Math.min(Integer.MAX_VALUE, si.fedRecords), c.records.size())
          : join.recordsOut(c.records.size()));
      for (int k = step + 1; k < steps.size() && c.fatal == null && !c.dropped && !c.cutShort; k++) {
        step(k, c);
      }
      encode(c);
      inFlight.acquireUninterruptibly();
      write(c);
    }

    private void endSerialInstances(RunReport.Status status) {
      List<Persistent> all = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        if (serial[i] != null) all.add(serial[i]);
        if (pools[i] != null) all.addAll(pools[i].instances());
      }
      for (Persistent si : all) {
        if (!si.held.compareAndSet(false, true)) {
          // At work on a thread the run no longer waits for (it was told to stop at once): left as it is.
          LOG.debug("processor '{}' did not stop; its instance is left running", si.instance.step.id());
          continue;
        }
        si.events = new ArrayList<>();
        si.chunk = null;
        Lifecycle lc = si.instance.lifecycle;
        if (lc.state() == ProcessorState.CONFIGURED) {
          if (status == RunReport.Status.FAILED || status == RunReport.Status.INTERRUPTED) {
            lc.fire(LifecycleEvent.FAIL);
          } else {
            lc.fire(si.hadErrors ? LifecycleEvent.COMPLETE_WITH_ERRORS : LifecycleEvent.SUCCEED);
          }
        }
        si.instance.close();
        context.log().append(builtAll(si.events));
      }
      for (Persistent si : retired) si.instance.close();
    }

    private List<Event> builtAll(List<Event.Builder> bs) {
      List<Event> out = new ArrayList<>(bs.size());
      for (Event.Builder b : bs) out.add(b.build());
      return out;
    }

    private Event.Builder stateEvent(String chunkId, Step step, Lifecycle.Transition t) {
      return Event.of(EventType.STATE, chunkId)
          .processor(step.ref())
          .state(new Event.StateChange(t.from().label(), t.event().label(), t.to().label()));
    }

    /** A processor instance with its lifecycle and context. */
    private final class Instance {
      final Step step;
      final Lifecycle lifecycle;
      final EngineProcessorContext context;
      Processor processor;

      Instance(Step step, Lifecycle.Listener listener) {
        this.step = step;
        this.lifecycle = new Lifecycle(step.id(), listener);
        this.context = new EngineProcessorContext(step, options.runSeed(), Engine.this.context.dataDir(), Engine.this.context.cancelled());
      }

      void start(ChunkWork c) throws ProcessorException {
        processor = step.instances().get();
        try {
          processor.init(context);
        } catch (ProcessorException | RuntimeException e) {
          lifecycle.fire(LifecycleEvent.FAIL);
          close();
          throw e instanceof ProcessorException ? (ProcessorException) e
              : new ProcessorException(e.toString(), false, e);
        }
        lifecycle.fire(LifecycleEvent.CONFIGURE);
      }

      void end(LifecycleEvent event) {
        lifecycle.fire(event);
        close();
      }

      void close() {
        if (processor != null) {
          try {
            processor.close();
          } catch (RuntimeException e) {
            LOG.warn("processor '{}' failed to close: {}", step.id(), e.toString());
          }
          processor = null;
        }
      }
    }

    /**
     * An instance that outlives one chunk: the one instance of a processor that sees every chunk
     * in order, or one of a pool. Its transitions are recorded with the chunk it is working on.
     */
    private final class Persistent {
      final Instance instance;
      /**
       * Taken by the thread that uses the instance: a worker for a chunk, the end of input, or the
       * run as it ends the instance, which keeps it. A worker that cannot take it (the run was
       * abandoned) leaves its chunk; the run leaves an instance it cannot take as it is.
       */
      final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
      String chunk;
      List<Event.Builder> events = new ArrayList<>();
      boolean hadErrors;
      /** The chunks that reached this one instance with records, in order, and how many records. */
      final List<String> fedBy = new ArrayList<>();
      long fedRecords;
      /** True once its end of input returned: it emitted what it held. */
      volatile boolean finished;

      Persistent(Step step) {
        this.instance = new Instance(step, (id, t) -> events.add(stateEvent(chunk, step, t)));
      }
    }

    /** {@code workers: {model: pool, size: N}}: at most N instances, reused across chunks. */
    private final class Pool {
      private final Step step;
      private final java.util.concurrent.BlockingQueue<Persistent> idle = new java.util.concurrent.LinkedBlockingQueue<>();
      private final List<Persistent> all = new ArrayList<>();
      /**
       * One for each instance that may be in use. Holding one, a chunk finds an idle instance or
       * room for a new one: an instance that failed for good gives its permit back, so a chunk
       * waiting for one gets a new instance in its place (it waited for ever when it waited for an
       * idle instance only).
       */
      private final java.util.concurrent.Semaphore permits;

      Pool(Step step, int size) {
        this.step = step;
        this.permits = new java.util.concurrent.Semaphore(size);
      }

      /** An idle instance, a new one while fewer than size exist, else waits; null when interrupted. */
      Persistent acquire() {
        try {
          permits.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
        Persistent p = idle.poll();
        if (p != null) return p;
        synchronized (all) {
          p = new Persistent(step); // fewer than size are in use, and none is idle
          all.add(p);
          return p;
        }
      }

      /** Back to the pool, unless it failed for good (a new one is made in its place). */
      void release(Persistent p) {
        if (p == null) return;
        p.events = new ArrayList<>();
        p.chunk = null;
        if (p.instance.lifecycle.state().terminal()) {
          synchronized (all) {
            all.remove(p);
          }
          retired.add(p);
        } else {
          idle.add(p);
        }
        permits.release();
      }

      List<Persistent> instances() {
        synchronized (all) {
          return List.copyOf(all);
        }
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Why a run failed. */
  private record Failure(String message, boolean internal) {}

  /** A log of the run in the state folder (its provenance, its dead letters) could not be written. */
  private static final class StateWriteFailed extends IOException {
    private static final long serialVersionUID = 1L;

    StateWriteFailed(String what, java.nio.file.Path file, IOException cause) {
      super("writing the run's " + what + " " + file + ": " + (DiskFullException.is(cause)
          ? "the disk is full (" + cause.getMessage() + "): what the run committed is kept; free space on that disk,"
              + " then run again with --resume to go on from there"
          : cause.getMessage()), cause);
    }
  }

  /**
   * The step that passes no more records, and the chunk after which it does (null, index -1: from
   * the start).
   */
  private record Full(String step, String chunk, long index) {
    RunReport.ReadStop stop(String origin, long line, long records) {
      return new RunReport.ReadStop(step, chunk, origin, line, records);
    }
  }

  /** A maximal run of steps that run the same way: in parallel, or one serial step. */
  private record Segment(int from, int to, boolean serial, ExecutorService[] thread) {
    static List<Segment> split(List<Step> steps) {
      List<Segment> out = new ArrayList<>();
      int i = 0;
      while (i < steps.size()) {
        if (steps.get(i).serial()) {
          out.add(new Segment(i, i + 1, true, new ExecutorService[1]));
          i++;
        } else {
          int j = i;
          while (j < steps.size() && !steps.get(j).serial()) j++;
          out.add(new Segment(i, j, false, null));
          i = j;
        }
      }
      return out;
    }

    ExecutorService executor(Run run) {
      if (thread[0] == null) {
        thread[0] = Executors.newSingleThreadExecutor(daemon("wiz-serial-" + from));
        run.serialThreads.add(thread[0]);
      }
      return thread[0];
    }
  }

  /** One chunk on its way through the run; owned by one thread at a time. */
  private static final class ChunkWork {
    final String id;
    /** The chunk's place in the input (see {@link Seeds}): its id without the request's prefix. */
    final String position;
    final long index;
    SourceBatch batch;
    List<JsonNode> records = List.of();
    /** The line each record starts on, beside {@link #records} (see {@link InputLines}); null when none is known. */
    int[] lines;
    /** After the last step: computes {@link #lines} when they are asked for ({@link #lines()}). */
    java.util.function.Supplier<int[]> linesLater;
    final List<Event.Builder> events = new ArrayList<>();
    final List<ObjectNode> deadLetters = new ArrayList<>();
    /** The DEAD_LETTER events, each with the number of {@link #deadLetters} up to its last. */
    final List<Event.Builder> deadLetterEvents = new ArrayList<>(0);
    final List<Integer> deadLetterEnds = new ArrayList<>(0);
    String inputDigest;
    /** Digests the records between steps; knows the input lines the records were read from. */
    ContentDigest content = ContentDigest.NONE;
    int lastStepEvent = -1;
    Encoded encoded;
    String encodedDigest;
    /** The digest of what the sink stores of the encoded bytes when that is made on the worker (gzip). */
    String storedDigest;
    /** Set when a resumed run takes the chunk over from the run it resumes. */
    Reused reused;
    /** After a FORK: the child chunks, in order; the chunk itself then holds no records. */
    List<ChunkWork> children;
    boolean dropped;
    /** Cut short by the run's cancellation: not committed (see {@code cutShort} in Run). */
    boolean cutShort;
    String fatal;
    boolean internal;
    Throwable cause;
    /**
     * With {@code run.onError: fail}, the message of the first bad record found in the chunk, kept
     * until the chunk is written rather than failing it at once (see {@code failLater}), and that
     * record's line as an offset from the chunk's first line.
     */
    String failLater;
    int failLaterLine = Integer.MAX_VALUE;
    /** Of the chunk's DROP events, the one that names the earliest line (the summary's first skip). */
    Event.Builder firstDrop;
    int firstDropLine = Integer.MAX_VALUE;

    ChunkWork(String id, String position, long index, SourceBatch batch) {
      this.id = id;
      this.position = position;
      this.index = index;
      this.batch = batch;
    }

    /** A DROP event whose first record is at that line offset (-1: not known). */
    void dropEvent(Event.Builder b, int line) {
      events.add(b);
      int at = line < 0 ? Integer.MAX_VALUE : line;
      if (firstDrop == null || at < firstDropLine) {
        firstDrop = b;
        firstDropLine = at;
      }
    }

    /** A DEAD_LETTER event, for the dead letters added since the last one. */
    void deadLetterEvent(Event.Builder b) {
      events.add(b);
      deadLetterEvents.add(b);
      deadLetterEnds.add(deadLetters.size());
    }

    /** Where the chunk came from, for messages: {@code file:first-last (chunk id)}. */
    String where() {
      if (batch == null) return "chunk " + id;
      return batch.origin() + ":" + batch.firstLine() + "-" + batch.lastLine() + " (chunk " + id + ")";
    }

    /** {@link #lines}, computed first if they were left for later. */
    int[] lines() {
      if (linesLater != null) {
        lines = linesLater.get();
        linesLater = null;
      }
      return lines;
    }

    void release() {
      records = List.of();
      lines = null;
      linesLater = null;
      encoded = null;
      content = ContentDigest.NONE;
      if (children != null) children.forEach(ChunkWork::release);
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Emitter;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processors.SpillFile.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code sort}: sorts all records by jq keys in jq's order of JSON values, stably. One instance
 * collects the records; past a memory bound it sorts what it holds and writes it to a spill file
 * (a run) in its data folder; at end of input it merges the runs and emits record by record, so
 * an input far larger than the heap still sorts.
 */
public final class SortFactory implements ProcessorFactory {
  static final long DEFAULT_MEMORY_RECORDS = 100_000;
  static final long DEFAULT_MEMORY_BYTES = 64L << 20;
  /**
   * The most spill files read at once (each holds a file descriptor and a 64 KiB buffer): with more
   * runs, the end of input first merges them in groups of this many into longer runs, pass by pass,
   * so a sort that spilled thousands of times needs neither thousands of open files nor a buffer each.
   */
  static final int MAX_OPEN_RUNS = 64;

  private final int maxOpenRuns;

  public SortFactory() {
    this(MAX_OPEN_RUNS);
  }

  /** With another bound on the spill files read at once (for tests: at least 2). */
  SortFactory(int maxOpenRuns) {
    if (maxOpenRuns < 2) throw new IllegalArgumentException("a merge reads at least 2 runs, not " + maxOpenRuns);
    this.maxOpenRuns = maxOpenRuns;
  }

  @Override
  public String type() {
    return "sort";
  }

  @Override
  public boolean loadBalance() {
    return false;
  }

  /** The sorted records are emitted at end of input. */
  @Override
  public boolean emitsAtEnd(JsonNode config) {
    return true;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    JsonNode by = config.path("by");
    for (int i = 0; i < by.size(); i++) {
      problems.addAll(Expression.check(by.get(i).path("key").asText(), "/by/" + i + "/key"));
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    List<Key> keys = new ArrayList<>();
    JsonNode by = config.path("by");
    for (int i = 0; i < by.size(); i++) {
      JsonNode k = by.get(i);
      boolean desc = k.path("order").asText("asc").equals("desc");
      String nulls = k.path("nulls").asText(desc ? "last" : "first");
      keys.add(new Key(Expression.require(k.path("key").asText(), "/by/" + i + "/key"), desc, nulls.equals("first")));
    }
    List<Key> frozen = List.copyOf(keys);
    long memoryRecords = config.has("memoryRecords") ? LimitFactory.wholeCount(config.get("memoryRecords")) : DEFAULT_MEMORY_RECORDS;
    long memoryBytes = config.has("memoryBytes") ? LimitFactory.wholeCount(config.get("memoryBytes")) : DEFAULT_MEMORY_BYTES;
    Comparator<Entry> order = entryOrder(frozen);
    int fanIn = maxOpenRuns;
    return () -> new Sorter(frozen, order, memoryRecords, memoryBytes, fanIn);
  }

  /** One sort key: its expression, direction and where nulls go (whatever the direction). */
  record Key(Expression expr, boolean desc, boolean nullsFirst) {}

  /** Entries by their keys: each key in jq's order, reversed for desc, nulls where the key says. */
  static Comparator<Entry> entryOrder(List<Key> keys) {
    Key[] ks = keys.toArray(new Key[0]);
    return (a, b) -> {
      for (int i = 0; i < ks.length; i++) {
        JsonNode x = a.keys()[i];
        JsonNode y = b.keys()[i];
        boolean xn = JsonOrder.isNull(x);
        boolean yn = JsonOrder.isNull(y);
        int c;
        if (xn || yn) {
          if (xn && yn) continue;
          c = xn == ks[i].nullsFirst() ? -1 : 1;
        } else {
          c = JsonOrder.compareValues(x, y);
          if (ks[i].desc()) c = -c;
        }
        if (c != 0) return c;
      }
      return 0;
    };
  }

  /** A rough estimate of the heap a JSON value takes: what the byte bound counts. */
  static long estimateBytes(JsonNode v) {
    if (v == null) return 0;
    if (v.isTextual()) return 48 + 2L * v.textValue().length();
    if (v instanceof dev.wiz.WrittenNumber) return 64 + 2L * v.asText().length();
    if (v.isBigInteger() || v.isBigDecimal()) return 64 + v.asText().length();
    if (v.isObject()) {
      long n = 48;
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        n += 48 + 2L * e.getKey().length() + estimateBytes(e.getValue());
      }
      return n;
    }
    if (v.isArray()) {
      long n = 40;
      for (JsonNode e : v) n += 8 + estimateBytes(e);
      return n;
    }
    return 16;
  }

  private static final class Sorter implements Processor {
    private final List<Key> keys;
    private final Comparator<Entry> order;
    private final long memoryRecords;
    private final long memoryBytes;
    private final int maxOpenRuns;
    private final JqScope scope = Expression.newScope();
    private final List<Path> runs = new ArrayList<>(); // the sorted runs on disk, in input order
    private final List<Path> files = new ArrayList<>(); // every spill file made: what close deletes
    private final List<SpillFile.Reader> readers = new ArrayList<>();
    private int merges; // merged runs written so far, to name the next
    private List<Entry> buffer = new ArrayList<>();
    private long bufferBytes;
    private ProcessorContext context;

    Sorter(List<Key> keys, Comparator<Entry> order, long memoryRecords, long memoryBytes, int maxOpenRuns) {
      this.keys = keys;
      this.order = order;
      this.memoryRecords = memoryRecords;
      this.memoryBytes = memoryBytes;
      this.maxOpenRuns = maxOpenRuns;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
      scope.stopWhenCancelled(context);
    }

    @Override
    public Chunk process(Chunk chunk) throws ProcessorException {
      List<JsonNode> in = chunk.records();
      for (int r = 0; r < in.size(); r++) {
        Stopping.betweenRecords(context, "sort", r, in.size());
        JsonNode record = in.get(r);
        JsonNode[] k = new JsonNode[keys.size()];
        long bytes;
        try {
          for (int i = 0; i < k.length; i++) {
            JsonNode v = keys.get(i).expr().first(scope, record);
            k[i] = v == null ? NullNode.getInstance() : v;
          }
          bytes = 32 + estimateBytes(record); // goes through the record: as deep as it nests
          for (JsonNode v : k) bytes += estimateBytes(v);
        } catch (JsonQueryException e) {
          context.reject(record, "sort: " + JqSupport.message(e));
          continue;
        } catch (StackOverflowError e) {
          context.reject(record, "sort: " + TooDeep.JQ);
          continue;
        }
        buffer.add(new Entry(k, record));
        bufferBytes += bytes;
        if (buffer.size() >= memoryRecords || bufferBytes >= memoryBytes) spill();
      }
      return chunk.withRecords(List.of());
    }

    /** What to do when the disk of the state folder, where the spill files go, is full. */
    private static String full(IOException e) {
      return SpillFile.diskFull(e, "let the sort hold more in memory with memoryRecords and memoryBytes");
    }

    /**
     * Sorts the buffer (stably) and writes it as the next run. A spill that fails (a full disk)
     * fails the run whatever run.onError says: the buffer already holds records of the chunk, and
     * the run file may hold part of them, so passing over the chunk would not leave them out.
     */
    private void spill() throws ProcessorException {
      buffer.sort(order);
      Path file = context.dataDir().resolve(String.format("sort-run-%06d.jsonl", runs.size()));
      runs.add(file);
      files.add(file);
      try (SpillFile.Writer w = new SpillFile.Writer(file)) {
        for (Entry e : buffer) w.write(e);
      } catch (IOException e) {
        throw ProcessorException.outputInDoubt("sort: cannot write the spill file " + file + ": " + e.getMessage() + full(e));
      }
      buffer = new ArrayList<>();
      bufferBytes = 0;
    }

    @Override
    public void finish(Emitter out) throws ProcessorException {
      buffer.sort(order);
      if (runs.isEmpty()) {
        for (int i = 0; i < buffer.size(); i++) {
          if (context.cancelled()) throw stopping();
          out.emit(buffer.get(i).record());
          buffer.set(i, null); // emitted: let it go
        }
        buffer = new ArrayList<>();
        return;
      }
      try {
        while (runs.size() >= maxOpenRuns) mergePass(); // the buffer is one more run in the last merge
        merge(out);
      } catch (IOException e) {
        throw new ProcessorException("sort: cannot merge the spill files: " + e.getMessage() + full(e), false, e);
      } finally {
        deleteRuns();
      }
    }

    /** A run being merged: its next entry and where the rest comes from. */
    private static final class Cursor {
      final int run; // runs in input order; the buffer is the last: breaks ties, so the sort is stable
      final Iterator<Entry> memory;
      final SpillFile.Reader file;
      Entry head;

      Cursor(int run, Iterator<Entry> memory, SpillFile.Reader file) {
        this.run = run;
        this.memory = memory;
        this.file = file;
      }

      boolean advance() throws IOException {
        head = memory != null ? (memory.hasNext() ? memory.next() : null) : file.next();
        return head != null;
      }
    }

    /** Where a merge puts its entries, in order. */
    @FunctionalInterface
    private interface EntrySink {
      void accept(Entry e) throws IOException, ProcessorException;
    }

    /** k-way merge of the runs and the buffer (the last, most recent run). */
    private void merge(Emitter out) throws IOException, ProcessorException {
      mergeRuns(runs, buffer, e -> out.emit(e.record()));
      buffer = new ArrayList<>();
    }

    /**
     * One pass: each group of {@code maxOpenRuns} consecutive runs merged into one longer run.
     * Groups keep the input order of their runs, and a merge puts ties in run order, so the sort
     * stays stable.
     */
    private void mergePass() throws IOException, ProcessorException {
      List<Path> next = new ArrayList<>();
      for (int from = 0; from < runs.size(); from += maxOpenRuns) {
        List<Path> group = runs.subList(from, Math.min(runs.size(), from + maxOpenRuns));
        if (group.size() == 1) {
          next.add(group.get(0));
          continue;
        }
        Path merged = context.dataDir().resolve(String.format("sort-merge-%06d.jsonl", merges++));
        files.add(merged);
        try (SpillFile.Writer w = new SpillFile.Writer(merged)) {
          mergeRuns(group, List.of(), w::write);
        }
        closeReaders();
        for (Path p : group) Files.deleteIfExists(p);
        next.add(merged);
      }
      runs.clear();
      runs.addAll(next);
    }

    /** k-way merge of the files and then the entries in memory (the most recent run), in order. */
    private void mergeRuns(List<Path> files, List<Entry> memory, EntrySink out) throws IOException, ProcessorException {
      PriorityQueue<Cursor> queue = new PriorityQueue<>(files.size() + 1, (a, b) -> {
        int c = order.compare(a.head, b.head);
        return c != 0 ? c : Integer.compare(a.run, b.run);
      });
      for (int i = 0; i < files.size(); i++) {
        SpillFile.Reader r = new SpillFile.Reader(files.get(i));
        readers.add(r);
        Cursor c = new Cursor(i, null, r);
        if (c.advance()) queue.add(c);
      }
      Cursor mem = new Cursor(files.size(), memory.iterator(), null);
      if (mem.advance()) queue.add(mem);
      while (!queue.isEmpty()) {
        if (context.cancelled()) throw stopping();
        Cursor c = queue.poll();
        out.accept(c.head);
        if (c.advance()) queue.add(c);
      }
    }

    /** The run is being cancelled: what is left is not emitted, and the engine keeps none of it. */
    private static RunCancelledException stopping() {
      return new RunCancelledException("sort: stopped emitting the sorted records: the run is being cancelled");
    }

    private void closeReaders() {
      for (SpillFile.Reader r : readers) {
        try {
          r.close();
        } catch (IOException e) {
          context.logger().warn("sort: cannot close a spill file: {}", e.getMessage());
        }
      }
      readers.clear();
    }

    private void deleteRuns() {
      closeReaders();
      for (Path p : files) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          context.logger().warn("sort: cannot delete the spill file {}: {}", p, e.getMessage());
        }
      }
      files.clear();
      runs.clear();
    }

    @Override
    public void close() {
      if (context != null) deleteRuns();
      buffer = new ArrayList<>();
    }
  }
}

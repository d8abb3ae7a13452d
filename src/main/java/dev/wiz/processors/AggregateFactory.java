package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code aggregate}: groups the records by the values of jq expressions and emits one record per
 * group at end of input: the group fields, then the aggregates, in config order. Groups come out
 * in the order their first record arrived. Keeps one entry per group in memory, with the set of
 * distinct values of a count-distinct or collect-distinct, and the values of a median, percentile or
 * collect (one list per group for all of those that read the same expression). Past a memory bound
 * it writes the groups it holds, in key order with their states, to a spill file in its data folder
 * and starts afresh; at end of input it merges the files by key, combining the states of a group
 * into the one it would have had in memory, then puts the groups back in the order their first
 * record arrived (an external sort by that number), so many more groups than the heap holds still
 * aggregate, to the same bytes.
 */
public final class AggregateFactory implements ProcessorFactory {
  private static final String GROUP_BY = "groupBy";
  private static final String AGGREGATES = "aggregates";
  private static final String P = "p";
  private static final String METHOD = "method";
  private static final String MEMORY_BYTES = "memoryBytes";

  private final int maxOpenRuns;

  public AggregateFactory() {
    this(SortFactory.MAX_OPEN_RUNS);
  }

  /** With another bound on the spill files read at once (for tests: at least 2). */
  AggregateFactory(int maxOpenRuns) {
    if (maxOpenRuns < 2) throw new IllegalArgumentException("a merge reads at least 2 runs, not " + maxOpenRuns);
    this.maxOpenRuns = maxOpenRuns;
  }

  /**
   * The default bound of the estimated heap the groups take before they are spilled: a quarter
   * of the heap (-Xmx), as sort's documentation advises for its memoryBytes, so the chunks in the
   * workers' hands and the garbage collector have the rest.
   */
  static long defaultMemoryBytes() {
    return Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  @Override
  public String type() {
    return "aggregate";
  }

  @Override
  public boolean loadBalance() {
    return false;
  }

  /** Every group is emitted at end of input. */
  @Override
  public boolean emitsAtEnd(JsonNode config) {
    return true;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    JsonNode groupBy = config.path(GROUP_BY);
    JsonNode aggregates = config.path(AGGREGATES);
    groupBy.properties().forEach(e ->
        problems.addAll(Expression.check(e.getValue().asText(), pointer(GROUP_BY, e.getKey()))));
    aggregates.properties().forEach(e -> {
      String at = pointer(AGGREGATES, e.getKey());
      JsonNode spec = e.getValue();
      Accumulator.Op op;
      try {
        op = Accumulator.Op.of(spec.path("op").asText());
      } catch (IllegalArgumentException unknown) {
        problems.add(new ConfigProblem(at + "/op", unknown.getMessage()));
        return; // the schema says so too; check never throws
      }
      if (groupBy.has(e.getKey())) {
        problems.add(new ConfigProblem(at, "'" + e.getKey() + "' is also a groupBy field: an output field needs one name"));
      }
      if (op.needsValue && !spec.has("of")) {
        problems.add(new ConfigProblem(at, op.label() + " needs 'of': the jq expression of the value to " + op.label()));
      } else if (!op.needsValue && spec.has("of")) {
        problems.add(new ConfigProblem(at + "/of", "count counts records and takes no 'of'; use count-distinct to count values"));
      } else if (spec.has("of")) {
        problems.addAll(Expression.check(spec.path("of").asText(), at + "/of"));
      }
      problems.addAll(checkQuantile(op, spec, at));
    });
    if (groupBy.isEmpty() && aggregates.isEmpty()) {
      problems.add(new ConfigProblem("", "give groupBy, aggregates or both: with neither there is nothing to compute"));
    }
    return problems;
  }

  /** The problems of an aggregate's p and method: p for percentile only, from 0 to 1; method for median and percentile. */
  private static List<ConfigProblem> checkQuantile(Accumulator.Op op, JsonNode spec, String at) {
    List<ConfigProblem> problems = new ArrayList<>();
    JsonNode p = spec.get(P);
    if (op == Accumulator.Op.PERCENTILE && p == null) {
      problems.add(new ConfigProblem(at, "percentile needs 'p': the fraction of the values at or below it, from 0 to 1 "
          + "(0.95 for the 95th percentile)"));
    } else if (op == Accumulator.Op.MEDIAN && p != null) {
      problems.add(new ConfigProblem(at + "/" + P, "median is the percentile p 0.5 and takes no 'p'; use op: percentile for another"));
    } else if (p != null && op != Accumulator.Op.PERCENTILE) {
      problems.add(new ConfigProblem(at + "/" + P, "only percentile takes 'p', not " + op.label()));
    } else if (p != null && fraction(p) == null) {
      problems.add(new ConfigProblem(at + "/" + P, "p is a fraction from 0 to 1 (0.95 for the 95th percentile, 0.5 for the "
          + "median), got " + show(p)));
    }
    JsonNode method = spec.get(METHOD);
    if (method != null && !op.quantile()) {
      problems.add(new ConfigProblem(at + "/" + METHOD, "only median and percentile take 'method', not " + op.label()));
    } else if (method != null) {
      try {
        Accumulator.Method.of(method.asText());
      } catch (IllegalArgumentException unknown) {
        problems.add(new ConfigProblem(at + "/" + METHOD, unknown.getMessage())); // the schema says so too
      }
    }
    return problems;
  }

  /** A value as the pipeline file would spell it: YAML's .nan and .inf for what JSON cannot hold. */
  private static String show(JsonNode v) {
    if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
      double d = v.doubleValue();
      return Double.isNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
    }
    return v.toString();
  }

  /** A percentile's p as an exact decimal, or null when it is not a finite number from 0 to 1. */
  static BigDecimal fraction(JsonNode p) {
    if (!p.isNumber() || ((p.isDouble() || p.isFloat()) && !Double.isFinite(p.doubleValue()))) return null;
    if (p.isBigDecimal() && Accumulator.beyondDouble(p)) return null; // 1e-400 is no percentile anyone means
    BigDecimal d = JsonOrder.decimal(p);
    return d.signum() < 0 || d.compareTo(BigDecimal.ONE) > 0 ? null : d;
  }

  /** A JSON pointer to a member of an object field (the name escaped as RFC 6901 says). */
  static String pointer(String field, String name) {
    return "/" + field + "/" + name.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    List<String> keyNames = new ArrayList<>();
    List<Expression> keys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : config.path(GROUP_BY).properties()) {
      keyNames.add(e.getKey());
      keys.add(Expression.require(e.getValue().asText(), pointer(GROUP_BY, e.getKey())));
    }
    List<Aggregate> aggregates = new ArrayList<>();
    Map<String, Integer> heldOf = new HashMap<>(); // of -> its Held list's index
    List<Boolean> keepOrder = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : config.path(AGGREGATES).properties()) {
      JsonNode spec = e.getValue();
      String at = pointer(AGGREGATES, e.getKey());
      Accumulator.Op op = Accumulator.Op.of(spec.path("op").asText());
      Expression of = spec.has("of") ? Expression.require(spec.path("of").asText(), at + "/of") : null;
      BigDecimal p = spec.has(P) ? fraction(spec.get(P)) : null;
      if (op == Accumulator.Op.PERCENTILE && p == null) throw new ProcessorException(at + "/" + P + ": percentile needs p from 0 to 1");
      Accumulator.Method method = spec.has(METHOD) ? Accumulator.Method.of(spec.get(METHOD).asText()) : null;
      int held = -1;
      boolean owner = false;
      if (op.holds()) {
        // Every median, percentile and collect of one expression sees the same values (a record
        // refused by any aggregate changes no group): they share one list per group.
        Integer known = heldOf.get(spec.path("of").asText());
        owner = known == null;
        held = owner ? keepOrder.size() : known;
        if (owner) {
          heldOf.put(spec.path("of").asText(), held);
          keepOrder.add(false);
        }
        if (op == Accumulator.Op.COLLECT) keepOrder.set(held, true);
      }
      aggregates.add(new Aggregate(e.getKey(), new Accumulator.Spec(op, p, method), of, held, owner));
    }
    List<String> names = List.copyOf(keyNames);
    List<Expression> exprs = List.copyOf(keys);
    List<Aggregate> aggs = List.copyOf(aggregates);
    List<Boolean> ordered = List.copyOf(keepOrder);
    long memoryBytes = config.has(MEMORY_BYTES) ? LimitFactory.wholeCount(config.get(MEMORY_BYTES)) : defaultMemoryBytes();
    int fanIn = maxOpenRuns;
    return () -> new Grouper(names, exprs, aggs, ordered, memoryBytes, fanIn);
  }

  /**
   * One output field computed per group; {@code held} is the index of the group's list of values
   * it reads (-1 for none), which its {@code owner} fills.
   */
  record Aggregate(String name, Accumulator.Spec spec, Expression of, int held, boolean owner) {}

  /** The value of an expression on a record: its first output, MissingNode when it has none. */
  static JsonNode value(Expression e, JqScope scope, JsonNode record) throws JsonQueryException, RunCancelledException {
    JsonNode v = e.first(scope, record);
    return v == null ? MissingNode.getInstance() : v;
  }

  /** A rough estimate of the heap of a group without its values: the map entry, the key list, its states. */
  private static final long GROUP_BYTES = 160;
  private static final long AGGREGATE_BYTES = 56;

  /**
   * {@link SortFactory#estimateBytes}, with no Java frame per level: a jq step can nest a value far
   * deeper than the stack goes, and aggregate takes it as any other value.
   */
  static long estimateBytes(JsonNode v) {
    if (!v.isContainerNode()) return SortFactory.estimateBytes(v);
    long n = 0;
    ArrayDeque<JsonNode> todo = new ArrayDeque<>();
    todo.push(v);
    while (!todo.isEmpty()) {
      JsonNode x = todo.pop();
      if (x.isObject()) {
        n += 48;
        for (Map.Entry<String, JsonNode> e : x.properties()) {
          n += 48 + 2L * e.getKey().length();
          todo.push(e.getValue());
        }
      } else if (x.isArray()) {
        n += 40;
        for (JsonNode e : x) {
          n += 8;
          todo.push(e);
        }
      } else {
        n += SortFactory.estimateBytes(x);
      }
    }
    return n;
  }

  private static final class Group {
    private static final Accumulator.Held[] NONE = new Accumulator.Held[0];
    final List<JsonNode> key;
    /** The place of the group's first record among the groups' first records: its place in the output. */
    final long seq;
    final Accumulator.Held[] held;
    final Accumulator[] accumulators;

    Group(List<JsonNode> key, long seq, List<Aggregate> aggregates, List<Boolean> keepOrder) {
      this.key = key;
      this.seq = seq;
      this.held = keepOrder.isEmpty() ? NONE : new Accumulator.Held[keepOrder.size()];
      for (int i = 0; i < held.length; i++) held[i] = new Accumulator.Held(keepOrder.get(i));
      this.accumulators = new Accumulator[aggregates.size()];
      for (int i = 0; i < accumulators.length; i++) {
        Aggregate a = aggregates.get(i);
        accumulators[i] = a.spec().create(a.held() < 0 ? null : held[a.held()], a.owner());
      }
    }

    /** A group read back from a spill file. */
    static Group of(Entry e, List<Aggregate> aggregates, List<Boolean> keepOrder) {
      Group g = new Group(List.of(e.keys()), e.record().get(0).longValue(), aggregates, keepOrder);
      g.merge(e.record());
      return g;
    }

    /** What a spill file keeps of the group beside its key: {@code [seq, [held list, ...], [state, ...]]}. */
    JsonNode state() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      ArrayNode lists = f.arrayNode(held.length);
      for (Accumulator.Held h : held) lists.add(h.state());
      ArrayNode states = f.arrayNode(accumulators.length);
      for (Accumulator a : accumulators) states.add(a.state());
      return f.arrayNode(3).add(seq).add(lists).add(states);
    }

    /** Adds the {@link #state} of the same group made from later records. */
    void merge(JsonNode state) {
      for (int i = 0; i < held.length; i++) held[i].merge(state.get(1).get(i));
      for (int i = 0; i < accumulators.length; i++) accumulators[i].merge(state.get(2).get(i));
    }

    void release() {
      for (Accumulator.Held h : held) h.release();
    }

    /** How many values the group holds (in lists and distinct sets). */
    long heldValues() {
      long n = 0;
      for (Accumulator.Held h : held) n += h.size();
      for (Accumulator a : accumulators) n += a.distinctValues();
      return n;
    }
  }

  /** Spilled groups by key, as the TreeMap holds them. */
  private static final Comparator<Entry> BY_KEY = (a, b) -> JsonOrder.compareLists(Arrays.asList(a.keys()), Arrays.asList(b.keys()));
  /** Emitted groups by their place in the output. */
  private static final Comparator<Entry> BY_SEQ = Comparator.comparingLong(e -> e.keys()[0].longValue());

  /** Where a merge puts its entries, in order. */
  @FunctionalInterface
  private interface EntrySink {
    void accept(Entry e) throws IOException, ProcessorException;
  }

  /** Where a merge of spilled groups puts each group, its states combined, in key order. */
  @FunctionalInterface
  private interface GroupSink {
    void accept(Group g) throws IOException, ProcessorException;
  }

  /** A spill file being merged: its next entry. */
  private static final class Cursor {
    final int run; // the files in the order they were written: breaks ties
    final SpillFile.Reader file;
    Entry head;

    Cursor(int run, SpillFile.Reader file) {
      this.run = run;
      this.file = file;
    }

    boolean advance() throws IOException {
      head = file.next();
      return head != null;
    }
  }

  private static final class Grouper implements Processor {
    private final List<String> keyNames;
    private final List<Expression> keys;
    private final List<Aggregate> aggregates;
    private final List<Boolean> keepOrder;
    private final long memoryBytes;
    private final int maxOpenRuns;
    private final JqScope scope = Expression.newScope();
    private final TreeMap<List<JsonNode>, Group> groups = new TreeMap<>(JsonOrder::compareLists);
    private final List<Group> order = new ArrayList<>();
    private long heldBytes; // an estimate of the heap the groups take
    private long nextSeq;
    private final List<Path> runs = new ArrayList<>(); // spilled groups, each file in key order, in the order written
    private final List<Path> files = new ArrayList<>(); // every spill file made: what close deletes
    private final List<SpillFile.Reader> readers = new ArrayList<>();
    private int spills; // spill files made, to name the next
    private List<Entry> results = new ArrayList<>(); // merged groups' records waiting to be put in order
    private long resultBytes;
    private final List<Path> resultRuns = new ArrayList<>(); // such records by seq, spilled
    private ProcessorContext context;

    Grouper(List<String> keyNames, List<Expression> keys, List<Aggregate> aggregates, List<Boolean> keepOrder,
        long memoryBytes, int maxOpenRuns) {
      this.keyNames = keyNames;
      this.keys = keys;
      this.aggregates = aggregates;
      this.keepOrder = keepOrder;
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
      try {
        return group(chunk);
      } catch (OutOfMemoryError e) {
        throw outOfMemory(e);
      }
    }

    private Chunk group(Chunk chunk) throws ProcessorException {
      JsonNode[] values = new JsonNode[aggregates.size()];
      List<JsonNode> in = chunk.records();
      for (int r = 0; r < in.size(); r++) {
        Stopping.betweenRecords(context, "aggregate", r, in.size());
        JsonNode record = in.get(r);
        List<JsonNode> key = new ArrayList<>(keys.size());
        String problem = null;
        try {
          for (Expression k : keys) {
            JsonNode v = value(k, scope, record);
            key.add(v.isMissingNode() ? NullNode.getInstance() : v);
          }
          for (int i = 0; i < values.length && problem == null; i++) {
            Aggregate a = aggregates.get(i);
            values[i] = a.of() == null ? MissingNode.getInstance() : value(a.of(), scope, record);
            String refusal = a.spec().refusal(values[i]);
            if (refusal != null) problem = "aggregate: '" + a.name() + "': " + refusal;
          }
        } catch (JsonQueryException e) {
          problem = "aggregate: " + JqSupport.message(e);
        } catch (StackOverflowError e) {
          problem = "aggregate: " + TooDeep.JQ;
        }
        if (problem != null) {
          context.reject(record, problem);
          continue;
        }
        Group g = groups.get(key);
        boolean created = g == null;
        if (created) {
          g = new Group(List.copyOf(key), nextSeq++, aggregates, keepOrder);
          groups.put(g.key, g);
          order.add(g);
          heldBytes += GROUP_BYTES + AGGREGATE_BYTES * aggregates.size();
          for (JsonNode k : g.key) heldBytes += estimateBytes(k);
        }
        for (int i = 0; i < values.length; i++) {
          Accumulator a = g.accumulators[i];
          int distinct = a.distinctValues();
          a.add(values[i]);
          // what the group keeps of the value: in a list or a distinct set; as its first, last, min or max
          if (a.distinctValues() > distinct || (aggregates.get(i).owner() && !JsonOrder.isNull(values[i]))) {
            heldBytes += 40 + estimateBytes(values[i]);
          } else if (created && aggregates.get(i).spec().op().keepsOne()) {
            heldBytes += estimateBytes(values[i]);
          }
        }
        if (heldBytes >= memoryBytes && groups.size() > 1) spill();
      }
      return chunk.withRecords(List.of());
    }

    /**
     * Writes the groups, in key order with their states, to the next spill file and lets them go.
     * A spill that fails (a full disk) fails the run whatever run.onError says: the groups already
     * hold some records of the chunk, so passing over the chunk would not leave them out.
     */
    private void spill() throws ProcessorException {
      Path file = context.dataDir().resolve(String.format("aggregate-groups-%06d.jsonl", spills++));
      files.add(file);
      runs.add(file);
      try (SpillFile.Writer w = new SpillFile.Writer(file)) {
        for (Group g : groups.values()) w.write(new Entry(g.key.toArray(new JsonNode[0]), g.state()));
      } catch (IOException e) {
        throw ProcessorException.outputInDoubt("aggregate: cannot write the spill file " + file + ": " + why(e));
      } catch (StackOverflowError e) {
        throw ProcessorException.outputInDoubt("aggregate: cannot write the spill file " + file + ": "
            + "a value is nested too deep to spill; give aggregate a larger memoryBytes so it is not spilled");
      }
      groups.clear();
      order.clear();
      heldBytes = 0;
    }

    /** An I/O error's words (a full disk: {@code No space left on device}, with what to do). */
    private static String why(IOException e) {
      String m = e.getMessage();
      return (m == null ? e.getClass().getSimpleName() : m)
          + SpillFile.diskFull(e, "let aggregate hold more in memory with memoryBytes");
    }

    @Override
    public void finish(Emitter out) throws ProcessorException {
      try {
        if (runs.isEmpty()) {
          emitGroups(out);
        } else {
          emitSpilled(out);
        }
      } catch (OutOfMemoryError e) {
        throw outOfMemory(e);
      }
    }

    /**
     * Running out of heap fails the run (the engine sees to it, whatever run.onError says), so
     * what the groups hold can never be emitted: it is let go at once, which leaves the heap to the
     * run's failure, and the error says how much was held.
     */
    private OutOfMemoryError outOfMemory(OutOfMemoryError e) {
      int count = order.size();
      long values = 0;
      for (Group g : order) values += g.heldValues();
      groups.clear();
      order.clear();
      results = new ArrayList<>();
      String held = count + (count == 1 ? " group" : " groups")
          + (values == 0 ? "" : " held " + values + " values for median, percentile, collect and the distinct operations");
      OutOfMemoryError r = new OutOfMemoryError((e.getMessage() == null ? "" : e.getMessage() + "; ") + "aggregate: " + held);
      r.initCause(e);
      return r;
    }

    private void emitGroups(Emitter out) throws ProcessorException {
      if (keys.isEmpty() && order.isEmpty()) order.add(new Group(List.of(), 0, aggregates, keepOrder));
      for (Group g : order) {
        checkCancelled();
        out.emit(record(g));
      }
    }

    private void checkCancelled() throws RunCancelledException {
      if (context != null && context.cancelled()) {
        throw new RunCancelledException("aggregate: stopped emitting the groups: the run is being cancelled");
      }
    }

    /** The group's output record; its values are let go. */
    private ObjectNode record(Group g) {
      ObjectNode r = JsonNodeFactory.instance.objectNode();
      for (int i = 0; i < keyNames.size(); i++) r.set(keyNames.get(i), g.key.get(i));
      for (int i = 0; i < aggregates.size(); i++) r.set(aggregates.get(i).name(), g.accumulators[i].result());
      g.release();
      return r;
    }

    /**
     * End of input after a spill: the groups still held are spilled too, the files merged by key
     * (a group's states combined in the order they were written), and the records made put back in
     * the order the groups' first records arrived: in memory while they fit the bound, else through
     * spill files of their own, merged by that order.
     */
    private void emitSpilled(Emitter out) throws ProcessorException {
      try {
        if (!groups.isEmpty()) spill();
        while (runs.size() > maxOpenRuns) mergePass(runs, "aggregate-merge-%06d.jsonl", true);
        mergeGroups(runs, g -> {
          ObjectNode r = record(g);
          results.add(new Entry(new JsonNode[] {JsonNodeFactory.instance.numberNode(g.seq)}, r));
          resultBytes += 64 + estimateBytes(r);
          if (resultBytes >= memoryBytes) spillResults();
        });
        if (resultRuns.isEmpty()) {
          results.sort(BY_SEQ);
          for (int i = 0; i < results.size(); i++) {
            checkCancelled();
            out.emit(results.get(i).record());
            results.set(i, null); // emitted: let it go
          }
        } else {
          if (!results.isEmpty()) spillResults();
          while (resultRuns.size() > maxOpenRuns) mergePass(resultRuns, "aggregate-order-merge-%06d.jsonl", false);
          mergeFiles(resultRuns, BY_SEQ, e -> out.emit(e.record()));
        }
        results = new ArrayList<>();
      } catch (IOException e) {
        throw new ProcessorException("aggregate: cannot merge the spill files in " + context.dataDir() + ": " + why(e), false, e);
      } finally {
        deleteFiles();
      }
    }

    /** Writes the records waiting, in output order, to the next spill file. */
    private void spillResults() throws IOException {
      results.sort(BY_SEQ);
      Path file = context.dataDir().resolve(String.format("aggregate-order-%06d.jsonl", spills++));
      files.add(file);
      resultRuns.add(file);
      try (SpillFile.Writer w = new SpillFile.Writer(file)) {
        for (Entry e : results) w.write(e);
      }
      results = new ArrayList<>();
      resultBytes = 0;
    }

    /**
     * One pass: each {@code maxOpenRuns} consecutive files merged into one (groups with their
     * states combined, or records by seq), in the order of the files.
     */
    private void mergePass(List<Path> in, String name, boolean groupsByKey) throws IOException, ProcessorException {
      List<Path> next = new ArrayList<>();
      for (int from = 0; from < in.size(); from += maxOpenRuns) {
        List<Path> part = in.subList(from, Math.min(in.size(), from + maxOpenRuns));
        if (part.size() == 1) {
          next.add(part.get(0));
          continue;
        }
        Path merged = context.dataDir().resolve(String.format(name, spills++));
        files.add(merged);
        try (SpillFile.Writer w = new SpillFile.Writer(merged)) {
          if (groupsByKey) {
            mergeGroups(part, g -> w.write(new Entry(g.key.toArray(new JsonNode[0]), g.state())));
          } else {
            mergeFiles(part, BY_SEQ, w::write);
          }
        }
        for (Path p : part) Files.deleteIfExists(p);
        next.add(merged);
      }
      in.clear();
      in.addAll(next);
    }

    /** k-way merge of files of spilled groups: each group once, its states combined in file order. */
    private void mergeGroups(List<Path> in, GroupSink out) throws IOException, ProcessorException {
      Group[] current = {null};
      mergeFiles(in, BY_KEY, e -> {
        Group g = current[0];
        if (g != null && JsonOrder.compareLists(g.key, Arrays.asList(e.keys())) == 0) {
          g.merge(e.record());
          return;
        }
        if (g != null) out.accept(g);
        current[0] = Group.of(e, aggregates, keepOrder);
      });
      if (current[0] != null) out.accept(current[0]);
    }

    /** k-way merge of spill files: entries in order, equal ones in the order of the files. */
    private void mergeFiles(List<Path> in, Comparator<Entry> by, EntrySink out) throws IOException, ProcessorException {
      PriorityQueue<Cursor> queue = new PriorityQueue<>(in.size(), (a, b) -> {
        int c = by.compare(a.head, b.head);
        return c != 0 ? c : Integer.compare(a.run, b.run);
      });
      try {
        for (int i = 0; i < in.size(); i++) {
          SpillFile.Reader r = new SpillFile.Reader(in.get(i));
          readers.add(r);
          Cursor c = new Cursor(i, r);
          if (c.advance()) queue.add(c);
        }
        while (!queue.isEmpty()) {
          checkCancelled();
          Cursor c = queue.poll();
          out.accept(c.head);
          if (c.advance()) queue.add(c);
        }
      } finally {
        closeReaders();
      }
    }

    private void closeReaders() {
      for (SpillFile.Reader r : readers) {
        try {
          r.close();
        } catch (IOException e) {
          context.logger().warn("aggregate: cannot close a spill file: {}", e.getMessage());
        }
      }
      readers.clear();
    }

    private void deleteFiles() {
      closeReaders();
      for (Path p : files) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          context.logger().warn("aggregate: cannot delete the spill file {}: {}", p, e.getMessage());
        }
      }
      files.clear();
      runs.clear();
      resultRuns.clear();
    }

    @Override
    public void close() {
      if (context != null) deleteFiles();
      groups.clear();
      order.clear();
      results = new ArrayList<>();
    }
  }
}

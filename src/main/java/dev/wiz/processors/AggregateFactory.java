package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code aggregate}: groups the records by the values of jq expressions and emits one record per
 * group at end of input: the group fields, then the aggregates, in config order. Groups come out
 * in the order their first record arrived. Keeps one entry per group in memory, with the set of
 * distinct values of a count-distinct or collect-distinct, and the values of a median, percentile or
 * collect (one list per group for all of those that read the same expression).
 */
public final class AggregateFactory implements ProcessorFactory {
  private static final String GROUP_BY = "groupBy";
  private static final String AGGREGATES = "aggregates";
  private static final String P = "p";
  private static final String METHOD = "method";

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
    return () -> new Grouper(names, exprs, aggs, ordered);
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

  private static final class Group {
    private static final Accumulator.Held[] NONE = new Accumulator.Held[0];
    final List<JsonNode> key;
    final Accumulator.Held[] held;
    final Accumulator[] accumulators;

    Group(List<JsonNode> key, List<Aggregate> aggregates, List<Boolean> keepOrder) {
      this.key = key;
      this.held = keepOrder.isEmpty() ? NONE : new Accumulator.Held[keepOrder.size()];
      for (int i = 0; i < held.length; i++) held[i] = new Accumulator.Held(keepOrder.get(i));
      this.accumulators = new Accumulator[aggregates.size()];
      for (int i = 0; i < accumulators.length; i++) {
        Aggregate a = aggregates.get(i);
        accumulators[i] = a.spec().create(a.held() < 0 ? null : held[a.held()], a.owner());
      }
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

  private static final class Grouper implements Processor {
    private final List<String> keyNames;
    private final List<Expression> keys;
    private final List<Aggregate> aggregates;
    private final List<Boolean> keepOrder;
    private final JqScope scope = Expression.newScope();
    private final TreeMap<List<JsonNode>, Group> groups = new TreeMap<>(JsonOrder::compareLists);
    private final List<Group> order = new ArrayList<>();
    private ProcessorContext context;

    Grouper(List<String> keyNames, List<Expression> keys, List<Aggregate> aggregates, List<Boolean> keepOrder) {
      this.keyNames = keyNames;
      this.keys = keys;
      this.aggregates = aggregates;
      this.keepOrder = keepOrder;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
      scope.stopWhenCancelled(context);
    }

    @Override
    public Chunk process(Chunk chunk) throws RunCancelledException {
      try {
        return group(chunk);
      } catch (OutOfMemoryError e) {
        throw outOfMemory(e);
      }
    }

    private Chunk group(Chunk chunk) throws RunCancelledException {
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
        if (g == null) {
          g = new Group(List.copyOf(key), aggregates, keepOrder);
          groups.put(g.key, g);
          order.add(g);
        }
        for (int i = 0; i < values.length; i++) g.accumulators[i].add(values[i]);
      }
      return chunk.withRecords(List.of());
    }

    @Override
    public void finish(Emitter out) throws ProcessorException {
      try {
        emitGroups(out);
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
      String held = count + (count == 1 ? " group" : " groups")
          + (values == 0 ? "" : " held " + values + " values for median, percentile, collect and the distinct operations");
      OutOfMemoryError r = new OutOfMemoryError((e.getMessage() == null ? "" : e.getMessage() + "; ") + "aggregate: " + held);
      r.initCause(e);
      return r;
    }

    private void emitGroups(Emitter out) throws ProcessorException {
      if (keys.isEmpty() && order.isEmpty()) order.add(new Group(List.of(), aggregates, keepOrder));
      for (Group g : order) {
        if (context != null && context.cancelled()) {
          throw new RunCancelledException("aggregate: stopped emitting the groups: the run is being cancelled");
        }
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyNames.size(); i++) r.set(keyNames.get(i), g.key.get(i));
        for (int i = 0; i < aggregates.size(); i++) r.set(aggregates.get(i).name(), g.accumulators[i].result());
        g.release();
        out.emit(r);
      }
    }

    @Override
    public void close() {
      groups.clear();
      order.clear();
    }
  }
}

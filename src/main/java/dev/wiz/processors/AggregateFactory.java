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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code aggregate}: groups the records by the values of jq expressions and emits one record per
 * group at end of input: the group fields, then the aggregates, in config order. Groups come out
 * in the order their first record arrived. Keeps one entry per group (and, for count-distinct, the
 * set of distinct values) in memory.
 */
public final class AggregateFactory implements ProcessorFactory {
  private static final String GROUP_BY = "groupBy";
  private static final String AGGREGATES = "aggregates";

  @Override
  public String type() {
    return "aggregate";
  }

  @Override
  public boolean loadBalance() {
    return false;
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
    });
    if (groupBy.isEmpty() && aggregates.isEmpty()) {
      problems.add(new ConfigProblem("", "give groupBy, aggregates or both: with neither there is nothing to compute"));
    }
    return problems;
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
    for (Map.Entry<String, JsonNode> e : config.path(AGGREGATES).properties()) {
      JsonNode spec = e.getValue();
      Accumulator.Op op = Accumulator.Op.of(spec.path("op").asText());
      Expression of = spec.has("of") ? Expression.require(spec.path("of").asText(), pointer(AGGREGATES, e.getKey()) + "/of") : null;
      aggregates.add(new Aggregate(e.getKey(), op, of));
    }
    List<String> names = List.copyOf(keyNames);
    List<Expression> exprs = List.copyOf(keys);
    List<Aggregate> aggs = List.copyOf(aggregates);
    return () -> new Grouper(names, exprs, aggs);
  }

  /** One output field computed per group. */
  record Aggregate(String name, Accumulator.Op op, Expression of) {}

  /** The value of an expression on a record: its first output, MissingNode when it has none. */
  static JsonNode value(Expression e, JqScope scope, JsonNode record) throws JsonQueryException, RunCancelledException {
    JsonNode v = e.first(scope, record);
    return v == null ? MissingNode.getInstance() : v;
  }

  private static final class Group {
    final List<JsonNode> key;
    final Accumulator[] accumulators;

    Group(List<JsonNode> key, List<Aggregate> aggregates) {
      this.key = key;
      this.accumulators = new Accumulator[aggregates.size()];
      for (int i = 0; i < accumulators.length; i++) accumulators[i] = aggregates.get(i).op().create();
    }
  }

  private static final class Grouper implements Processor {
    private final List<String> keyNames;
    private final List<Expression> keys;
    private final List<Aggregate> aggregates;
    private final JqScope scope = Expression.newScope();
    private final TreeMap<List<JsonNode>, Group> groups = new TreeMap<>(JsonOrder::compareLists);
    private final List<Group> order = new ArrayList<>();
    private ProcessorContext context;

    Grouper(List<String> keyNames, List<Expression> keys, List<Aggregate> aggregates) {
      this.keyNames = keyNames;
      this.keys = keys;
      this.aggregates = aggregates;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
      scope.stopWhenCancelled(context);
    }

    @Override
    public Chunk process(Chunk chunk) throws RunCancelledException {
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
            String refusal = a.op().refusal(values[i]);
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
          g = new Group(List.copyOf(key), aggregates);
          groups.put(g.key, g);
          order.add(g);
        }
        for (int i = 0; i < values.length; i++) g.accumulators[i].add(values[i]);
      }
      return chunk.withRecords(List.of());
    }

    @Override
    public void finish(Emitter out) throws ProcessorException {
      if (keys.isEmpty() && order.isEmpty()) order.add(new Group(List.of(), aggregates));
      for (Group g : order) {
        if (context != null && context.cancelled()) {
          throw new RunCancelledException("aggregate: stopped emitting the groups: the run is being cancelled");
        }
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyNames.size(); i++) r.set(keyNames.get(i), g.key.get(i));
        for (int i = 0; i < aggregates.size(); i++) r.set(aggregates.get(i).name(), g.accumulators[i].result());
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

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code explode}: one record per element of an array field, the element put where {@code as}
 * says (by default in place of the array). It forks: the engine cuts the output of a chunk into
 * child chunks.
 */
public final class ExplodeFactory implements ProcessorFactory {
  private static final String FIELD = "field";
  private static final String AS = "as";
  private static final String KEEP_EMPTY = "keepEmpty";

  @Override
  public String type() {
    return "explode";
  }

  @Override
  public boolean forks() {
    return true;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (String f : List.of(FIELD, AS)) {
      if (config.has(f)) {
        FieldPath.problem(config.path(f).asText()).ifPresent(m -> problems.add(new ConfigProblem("/" + f, m)));
      }
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    FieldPath field = FieldPath.parse(config.path(FIELD).asText());
    FieldPath as = config.has(AS) ? FieldPath.parse(config.path(AS).asText()) : field;
    boolean keepEmpty = config.path(KEEP_EMPTY).asBoolean(false);
    return () -> new Exploder(field, as, keepEmpty);
  }

  private static final class Exploder implements Processor {
    private final FieldPath field;
    private final FieldPath as;
    private final boolean moves; // the element goes elsewhere: the array field is removed
    private final boolean keepEmpty;
    private ProcessorContext context;

    Exploder(FieldPath field, FieldPath as, boolean keepEmpty) {
      this.field = field;
      this.as = as;
      this.moves = !as.equals(field);
      this.keepEmpty = keepEmpty;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
    }

    @Override
    public Chunk process(Chunk chunk) throws RunCancelledException {
      Outputs out = new Outputs(chunk.size());
      List<JsonNode> mine = new ArrayList<>();
      List<JsonNode> in = chunk.records();
      for (int i = 0; i < in.size(); i++) {
        Stopping.betweenRecords(context, "explode", i, in.size());
        JsonNode record = in.get(i);
        if (!record.isObject()) {
          context.reject(record, "explode: the record is " + JsonKinds.kind(record) + ", not an object");
          continue;
        }
        JsonNode array = field.get(record);
        if (!array.isArray() && !JsonOrder.isNull(array)) {
          context.reject(record, "explode: '" + field + "' is " + JsonKinds.kind(array) + ", not an array");
          continue;
        }
        mine.clear();
        boolean ok = true;
        if (array.isArray() && !array.isEmpty()) {
          for (JsonNode element : array) {
            if (!(ok = add(record, element, mine))) break;
          }
        } else if (keepEmpty) {
          ok = add(record, NullNode.getInstance(), mine);
        }
        if (ok) {
          for (JsonNode m : mine) out.add(m, i); // every element keeps its record's line
        } else {
          ObjectNode probe = FieldPath.shallowCopy(record); // as the copies are before the element goes in
          if (moves) field.remove(probe);
          context.reject(record, "explode: cannot set '" + as + "': " + Fields.blocked(probe, as));
        }
      }
      return out.of(chunk);
    }

    /** One output record: a copy of the input with the element at {@code as}. */
    private boolean add(JsonNode record, JsonNode element, List<JsonNode> out) {
      ObjectNode copy = FieldPath.shallowCopy(record);
      if (moves) field.remove(copy);
      if (!as.set(copy, element)) return false;
      out.add(copy);
      return true;
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code set}: sets fields to the values of jq expressions. Every expression sees the input
 * record as it came, never the fields set before it; the fields are written in config order. An
 * expression without output removes the field (or leaves it unset); with several outputs the
 * first counts.
 */
public final class SetFactory implements ProcessorFactory {

  @Override
  public String type() {
    return "set";
  }

  /** One field and the expression that gives its value. */
  private record Assignment(FieldPath field, Expression value) {}

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> entries = Fields.checkKeys(config, "set it once", problems);
    Fields.checkNesting(entries, "set", (outer, inner) -> "a field cannot be set both whole and in part: give '"
        + outer + "' an object that holds '" + Fields.relative(inner, outer) + "', or set '" + inner
        + "' in a set step after this one", problems);
    for (Map.Entry<String, JsonNode> e : entries) {
      String pointer = Fields.keyPointer(e.getKey());
      problems.addAll(Expression.check(e.getValue().asText(), pointer));
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    List<Assignment> assignments = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : Fields.entries(config)) {
      assignments.add(new Assignment(FieldPath.parse(e.getKey()),
          Expression.require(e.getValue().asText(), Fields.keyPointer(e.getKey()))));
    }
    List<Assignment> all = List.copyOf(assignments);
    return () -> new ObjectRecordProcessor(type()) {
      private final JqScope scope = Expression.newScope();

      @Override
      public void init(ProcessorContext context) {
        super.init(context);
        scope.stopWhenCancelled(context);
      }

      @Override
      JsonNode apply(ObjectNode record) throws RecordProblem, RunCancelledException {
        ObjectNode out = FieldPath.shallowCopy(record);
        for (Assignment a : all) {
          JsonNode value;
          try {
            value = first(a.value, scope, record);
          } catch (JsonQueryException e) {
            throw new RecordProblem("field '" + a.field + "': " + JqSupport.message(e));
          } catch (StackOverflowError e) {
            throw new RecordProblem("field '" + a.field + "': " + TooDeep.JQ);
          }
          if (value == null) {
            a.field.remove(out);
          } else if (!a.field.set(out, value)) {
            throw new RecordProblem("cannot set field '" + a.field + "': " + Fields.blocked(out, a.field));
          }
        }
        return out;
      }
    };
  }

  /** Thrown from the output callback to stop an expression at its first output. */
  private static final class First extends RuntimeException {
    final transient JsonNode value;

    First(JsonNode value) {
      super(null, null, false, false);
      this.value = value;
    }
  }

  /** The first output, or {@code null}; the expression stops there (so {@code range(1e9)} is quick). */
  private static JsonNode first(Expression e, JqScope scope, JsonNode record) throws JsonQueryException, RunCancelledException {
    try {
      e.apply(scope, record, v -> {
        throw new First(v);
      });
    } catch (First f) {
      return f.value;
    }
    return null;
  }
}

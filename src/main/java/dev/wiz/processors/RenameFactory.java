package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code rename}: moves fields to new names, across levels too ({@code user.name} to
 * {@code customer_name}). All renames of a record happen at once: every source is read from the
 * input record, then every source is removed, then every target is set, in config order. So two
 * fields can swap names. A target that exists is overwritten; a missing source changes nothing.
 */
public final class RenameFactory implements ProcessorFactory {

  @Override
  public String type() {
    return "rename";
  }

  /** One rename: where from, where to, and the pointer of its entry for messages. */
  private record Move(FieldPath from, FieldPath to, String pointer) {}

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<Move> moves = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : Fields.entries(config)) {
      String pointer = Fields.keyPointer(e.getKey());
      Optional<String> from = FieldPath.problem(e.getKey());
      Optional<String> to = FieldPath.problem(e.getValue().asText());
      from.ifPresent(m -> problems.add(new ConfigProblem(pointer, "source: " + m)));
      to.ifPresent(m -> problems.add(new ConfigProblem(pointer, "target: " + m)));
      if (from.isPresent() || to.isPresent()) continue;
      Move m = new Move(FieldPath.parse(e.getKey()), FieldPath.parse(e.getValue().asText()), pointer);
      if (m.from.equals(m.to)) {
        problems.add(new ConfigProblem(pointer, "renames '" + m.from + "' to itself: remove the entry"));
        continue;
      }
      moves.add(m);
    }
    for (int i = 0; i < moves.size(); i++) {
      Move m = moves.get(i);
      for (int j = 0; j < moves.size(); j++) {
        Move other = moves.get(j);
        if (j < i && other.from.equals(m.from)) {
          problems.add(new ConfigProblem(m.pointer, "source '" + m.from + "' is the same field as '"
              + other.from + "' at " + other.pointer + ": rename a field once"));
        }
        if (j < i && other.to.equals(m.to)) {
          problems.add(new ConfigProblem(m.pointer, "target '" + m.to + "' is also the target of '"
              + other.from + "' at " + other.pointer + ": two fields cannot be renamed to one"));
        }
        if (Fields.inside(m.to, other.from)) {
          problems.add(new ConfigProblem(m.pointer, "target '" + m.to + "' is inside '" + other.from
              + "', which is moved away" + (i == j ? "" : " at " + other.pointer)
              + ": the target would be put into a field that is being renamed"));
        }
        if (j < i) { // a pair that lies one inside the other is reported once, at the later entry
          Fields.nesting(m.from, other.from).ifPresent(how -> problems.add(new ConfigProblem(m.pointer,
              "source " + how + ", which is renamed too at " + other.pointer + ": rename one or the other")));
          Fields.nesting(m.to, other.to).ifPresent(how -> problems.add(new ConfigProblem(m.pointer,
              "target " + how + ", the target at " + other.pointer + ": one target would overwrite the other")));
        }
      }
    }
    return problems;
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    List<Move> moves = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : Fields.entries(config)) {
      moves.add(new Move(FieldPath.parse(e.getKey()), FieldPath.parse(e.getValue().asText()),
          Fields.keyPointer(e.getKey())));
    }
    List<Move> all = List.copyOf(moves);
    return () -> new ObjectRecordProcessor(type()) {
      @Override
      JsonNode apply(ObjectNode record) throws RecordProblem {
        JsonNode[] values = new JsonNode[all.size()];
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
          values[i] = all.get(i).from.get(record);
          any |= !values[i].isMissingNode();
        }
        if (!any) return record;
        ObjectNode out = FieldPath.shallowCopy(record);
        for (int i = 0; i < values.length; i++) {
          if (!values[i].isMissingNode()) all.get(i).from.remove(out);
        }
        for (int i = 0; i < values.length; i++) {
          Move m = all.get(i);
          if (!values[i].isMissingNode() && !m.to.set(out, values[i])) {
            throw new RecordProblem("cannot rename '" + m.from + "' to '" + m.to + "': "
                + Fields.blocked(out, m.to));
          }
        }
        return out;
      }
    };
  }
}

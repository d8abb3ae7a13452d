package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * One {@code lookup} instance: for each record, its key's match in the shared {@link LookupTable}
 * put under {@code into}, or merged in (a field the record has keeps its value; the others are
 * added after the record's own, in the file record's order). A record that is not an object, or
 * whose key is an error or several values, is rejected; one without a match is handled as {@code
 * unmatched} says.
 */
final class LookupProcessor implements Processor {
  private final LookupTable table;
  private final LookupTable.Settings s;
  private final JqScope scope = Expression.newScope();
  private final List<JsonNode> outputs = new ArrayList<>(2);
  private ProcessorContext context;

  LookupProcessor(LookupTable table) {
    this.table = table;
    this.s = table.settings();
  }

  @Override
  public void init(ProcessorContext context) {
    this.context = context;
    scope.stopWhenCancelled(context);
  }

  @Override
  public Chunk process(Chunk chunk) throws RunCancelledException {
    Outputs out = new Outputs(chunk.size());
    List<JsonNode> in = chunk.records();
    for (int i = 0; i < in.size(); i++) {
      Stopping.betweenRecords(context, "lookup", i, in.size());
      JsonNode record = in.get(i);
      if (!record.isObject()) {
        context.reject(record, "lookup: the record is " + JsonKinds.kind(record) + ", not an object");
        continue;
      }
      outputs.clear();
      try {
        s.key().apply(scope, record, outputs::add);
      } catch (JsonQueryException e) {
        context.reject(record, "lookup: key " + s.key().source() + ": " + JqSupport.message(e));
        continue;
      } catch (StackOverflowError e) {
        context.reject(record, "lookup: key " + s.key().source() + ": " + TooDeep.JQ);
        continue;
      }
      if (outputs.size() > 1) {
        context.reject(record, "lookup: key " + s.key().source() + " gives " + outputs.size()
            + " values; a key is one value (several fields make one as an array: [.a, .b])");
        continue;
      }
      JsonNode key = outputs.isEmpty() ? null : outputs.get(0);
      Object k = LookupTable.keyOf(key, s.keyAsString());
      LookupTable.Row match = k == null ? null : table.find(k);
      if (match != null) {
        if (s.duplicates() != LookupTable.Duplicates.ALL) {
          out.add(enrich((ObjectNode) record, match), i);
        } else if (s.into() != null) {
          // Every record of the file with the key, in file order: an array, one element or many.
          ArrayNode all = JsonNodeFactory.instance.arrayNode();
          for (LookupTable.Row r = match; r != null; r = r.next()) all.add(r.node());
          out.add(with((ObjectNode) record, all), i);
        } else {
          // One record for each (mlr join's one-to-many join), in file order.
          for (LookupTable.Row r = match; r != null; r = r.next()) out.add(enrich((ObjectNode) record, r), i);
        }
        continue;
      }
      String hint = k != null && table.hasAsOtherKind(key) ? hint(key) : null;
      if (hint != null && table.hinted.compareAndSet(false, true)) {
        context.logger().warn("lookup '{}': {}", context.processorId(), hint);
      }
      switch (s.unmatched()) {
        case KEEP -> out.add(record, i);
        case DROP -> { }
        case REJECT -> context.reject(record, "lookup: " + (k == null
            ? "the record has no key (key " + s.key().source() + " is " + (key == null ? "empty" : "null") + ")"
            : "no record of " + s.file() + " has the key " + LookupTable.shown(key) + " (key " + s.key().source() + ")")
            + (hint == null ? "" : "; " + hint));
      }
    }
    return out.of(chunk);
  }

  /** What to do when the file has the key as the other kind (a string for a number, or the other way). */
  private String hint(JsonNode key) {
    return "the key " + LookupTable.shown(key) + " is " + (key.isNumber() ? "a number" : "a string") + " and " + s.file()
        + " has it as " + (key.isNumber() ? "a string" : "a number") + ", which are different keys: set keyAs: string to"
        + " compare keys by their text";
  }

  /** A copy of the record with the match put under {@code into}, or its fields added. */
  private ObjectNode enrich(ObjectNode record, LookupTable.Row match) {
    if (s.into() != null) return with(record, match.node());
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.setAll(record);
    match.addMissingTo(o);
    return o;
  }

  /** A copy of the record with {@code value} under {@code into}. */
  private ObjectNode with(ObjectNode record, JsonNode value) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.setAll(record);
    o.set(s.into(), value);
    return o;
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processors.Casts.CannotConvert;
import dev.wiz.processors.Casts.Conversion;
import dev.wiz.processors.Casts.Epoch;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code cast}: converts fields to {@code string}, {@code int}, {@code float}, {@code bool} or
 * {@code timestamp}. A value that cannot be converted rejects the record, naming the field and the
 * value; {@code null} stays {@code null} and a missing field stays missing.
 */
public final class CastFactory implements ProcessorFactory {
  private static final String TO = "to";
  private static final String FORMAT = "format";
  private static final String ZONE = "zone";
  private static final String OUTPUT = "output";
  /** Why an empty string converts to nothing but a string, and what to do. */
  private static final String EMPTY = "the string is empty (as a csv source reads an empty cell): to keep the record"
      + " without a value, make the field null in a set step before this one, which cast leaves as null";

  @Override
  public String type() {
    return "cast";
  }

  /** One field and what it becomes. */
  private record Cast(FieldPath field, Conversion conversion) {}

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    List<Map.Entry<String, JsonNode>> entries = Fields.checkKeys(config, "cast it once", problems);
    Fields.checkNesting(entries, "cast", (outer, inner) -> "a field cannot be cast both whole and in part: cast '"
        + inner + "' in a cast step before this one", problems);
    for (Map.Entry<String, JsonNode> e : entries) {
      String pointer = Fields.keyPointer(e.getKey());
      if (e.getValue().isObject()) checkLongForm(e.getValue(), pointer, problems);
    }
    return problems;
  }

  private static void checkLongForm(JsonNode spec, String pointer, List<ConfigProblem> problems) {
    if (!spec.path(TO).asText().equals("timestamp")) {
      for (String option : List.of(FORMAT, ZONE, OUTPUT)) {
        if (spec.has(option)) {
          problems.add(new ConfigProblem(pointer + "/" + option,
              "'" + option + "' applies only to 'to: timestamp', not to '" + spec.path(TO).asText() + "'"));
        }
      }
      return;
    }
    String format = spec.path(FORMAT).asText(Casts.ISO);
    Epoch epoch = Epoch.of(format);
    if (epoch == null && !format.equals(Casts.ISO)) {
      String why = Casts.Timestamp.patternProblem(format);
      if (!why.isEmpty()) problems.add(new ConfigProblem(pointer + "/" + FORMAT, why));
    }
    if (spec.has(ZONE)) {
      if (epoch != null) {
        problems.add(new ConfigProblem(pointer + "/" + ZONE, "'zone' has no effect with format "
            + epoch.word + ": epoch numbers count from 1970-01-01T00:00:00Z; remove it"));
      } else {
        zoneProblem(spec.get(ZONE).asText()).ifPresent(m -> problems.add(new ConfigProblem(pointer + "/" + ZONE, m)));
      }
    }
  }

  private static Optional<String> zoneProblem(String zone) {
    try {
      ZoneId.of(zone);
      return Optional.empty();
    } catch (DateTimeException e) {
      return Optional.of("unknown time zone '" + zone + "': use a region such as Europe/Paris, or an offset such as +02:00");
    }
  }

  private static Conversion conversion(JsonNode spec) {
    if (spec.isTextual()) return Casts.simple(spec.asText());
    String to = spec.path(TO).asText();
    if (!to.equals("timestamp")) return Casts.simple(to);
    String format = spec.has(FORMAT) ? spec.get(FORMAT).asText() : null;
    Epoch output = spec.has(OUTPUT) ? Epoch.of(spec.get(OUTPUT).asText()) : null; // "iso" gives null
    ZoneId zone = spec.has(ZONE) ? ZoneId.of(spec.get(ZONE).asText()) : ZoneOffset.UTC;
    return new Casts.Timestamp(format, output, zone);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    List<Cast> casts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : Fields.entries(config)) {
      casts.add(new Cast(FieldPath.parse(e.getKey()), conversion(e.getValue())));
    }
    List<Cast> all = List.copyOf(casts);
    return () -> new ObjectRecordProcessor(type()) {
      @Override
      JsonNode apply(ObjectNode record) throws RecordProblem {
        ObjectNode out = null;
        for (Cast c : all) {
          JsonNode value = c.field.get(out == null ? record : out);
          if (value.isMissingNode() || value.isNull()) continue;
          JsonNode converted;
          try {
            converted = c.conversion.convert(value);
          } catch (CannotConvert e) {
            // An empty string is what a CSV source makes of an empty cell: say how to keep such a row.
            String why = value.isTextual() && value.textValue().isEmpty() ? EMPTY : e.getMessage();
            throw new RecordProblem("field '" + c.field + "': cannot convert " + Fields.show(value) + " to "
                + c.conversion.target() + (why == null ? "" : ": " + why));
          }
          if (converted == value) continue;
          if (out == null) out = FieldPath.shallowCopy(record);
          c.field.set(out, converted); // the field exists, so every step on the way is an object
        }
        return out == null ? record : out;
      }
    };
  }
}

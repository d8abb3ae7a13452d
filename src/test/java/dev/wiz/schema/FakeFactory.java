package dev.wiz.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** A processor type for tests: a name, a schema resource, and a check given as a function. */
final class FakeFactory implements ProcessorFactory {
  private final String type;
  private final String schemaResource;
  private final Function<JsonNode, List<ConfigProblem>> check;
  final List<JsonNode> checked = new ArrayList<>();

  FakeFactory(String type, Function<JsonNode, List<ConfigProblem>> check) {
    this(type, "/schemas/processors/" + type + ".schema.json", check);
  }

  FakeFactory(String type, String schemaResource, Function<JsonNode, List<ConfigProblem>> check) {
    this.type = type;
    this.schemaResource = schemaResource;
    this.check = check;
  }

  /** A filter whose "compiler" rejects any expression containing "!!" at that offset. */
  static FakeFactory filter() {
    return new FakeFactory(
        "filter",
        config -> {
          String where = config.path("where").asText();
          int bad = where.indexOf("!!");
          return bad < 0
              ? List.of()
              : List.of(new ConfigProblem("/where", "syntax error: unexpected '!!'", bad));
        });
  }

  /** A jq type whose check never complains. */
  static FakeFactory jq() {
    return new FakeFactory("jq", config -> List.of());
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public String schemaResource() {
    return schemaResource;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    checked.add(config);
    return check.apply(config);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) {
    return () -> chunk -> chunk;
  }
}

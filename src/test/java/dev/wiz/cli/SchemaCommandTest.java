package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.LoadLimits;
import dev.wiz.pipeline.YamlLoader;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.schema.PipelineValidator;
import dev.wiz.schema.SchemaCatalog;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wiz schema}: the bundled JSON Schemas on stdout. */
class SchemaCommandTest {
  private static final Path SCHEMAS = Path.of(System.getProperty("basedir", ".")).resolve("schemas");

  private FileSystem fs;
  private CliHarness wiz;

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    wiz = new CliHarness(Files.createDirectories(fs.getPath("/work")));
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private JsonNode schema(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("schema"));
    all.addAll(List.of(args));
    CliHarness.Result r = wiz.run(all.toArray(String[]::new));
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    return Json.mapper().readTree(r.out());
  }

  private static JsonNode file(String name) throws IOException {
    return Json.mapper().readTree(Files.readString(SCHEMAS.resolve(name)));
  }

  @Test
  void withoutTypeItIsThePipelineSchemaWithEveryTypesSchemaJoinedIn() throws IOException {
    JsonNode s = schema();
    JsonNode bundled = file("pipeline.schema.json");
    assertEquals("https://wiz.dev/schemas/editor/pipeline.schema.json", s.get("$id").asText());
    assertEquals(bundled.get("properties").size(), s.get("properties").size());
    assertStandalone(s, "pipeline");
    List<String> types = new ArrayList<>();
    s.at("/$defs/processor/properties/type/anyOf/0/enum").forEach(t -> types.add(t.asText()));
    assertEquals(ProcessorRegistry.loadDefault().types(), types);
    assertEquals(types.size(), s.at("/$defs/processor/allOf").size());
    JsonNode jq = s.at("/$defs/processors.jq");
    JsonNode raw = file("processors/jq.schema.json");
    assertEquals(raw.get("properties"), jq.get("properties"), "copied as written");
    assertFalse(jq.has("$id"), "an $id inside would make its references its own");
    assertEquals("[\"file\",\"stdin\"]", s.at("/properties/source/properties/type/anyOf/0/enum").toString());
    assertEquals("[\"file\",\"stdout\"]", s.at("/properties/sink/properties/type/anyOf/0/enum").toString());
    assertEquals("#/$defs/codec.format", s.at("/$defs/sources.file/properties/format/$ref").asText());
  }

  @Test
  void theBundledEditorSchemaIsWhatItPrints() throws IOException {
    assertEquals(schema(), file(SchemaCommand.EDITOR_SCHEMA),
        "schemas/" + SchemaCommand.EDITOR_SCHEMA + " is out of date: bin/wiz schema > schemas/" + SchemaCommand.EDITOR_SCHEMA);
  }

  /**
   * An editor pointed at the output checks below the top level what validate checks there: every
   * bundled pipeline and every example in the processors' docs passes it, and a config, source or
   * sink that validate refuses for its keys is refused by it too.
   */
  @Test
  void anEditorPointedAtItChecksEveryTypesKeysAsValidateDoes() throws Exception {
    Schema editor = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema());
    List<Map.Entry<String, Path>> good = new ArrayList<>(); // a pipeline, the folder its relative paths start in
    Path base = Path.of(System.getProperty("basedir", "."));
    try (var files = Files.list(base.resolve("pipelines"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) good.add(Map.entry(Files.readString(p), p.getParent()));
    }
    try (var files = Files.list(base.resolve("docs/processors"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        Matcher block = Pattern.compile("(?m)^```yaml\\n(.*?)^```", Pattern.DOTALL).matcher(Files.readString(p));
        while (block.find()) good.add(Map.entry(pipeline(block.group(1)), p.getParent()));
      }
    }
    // ${VAR} where validate takes it: a number, a boolean, an enum or a pattern, typed after it is replaced
    good.add(Map.entry("""
        wiz: 1
        name: ${NAME:-vars}
        source: {type: file, path: "${IN:-in.jsonl}", format: "${FORMAT:-jsonl}"}
        chunking:
          records: ${CHUNK:-1000}
        processors:
          - id: n
            type: limit
            config:
              count: ${N:-5}
        sink: {type: stdout}
        run:
          workers: ${WORKERS:-2}
          onError: ${ON_ERROR:-skip}
        """, base));
    assertTrue(good.size() > 20, good.size() + " pipelines");
    for (Map.Entry<String, Path> p : good) {
      assertEquals(List.of(), validate(p.getKey(), p.getValue()), p.getKey());
      assertEquals(List.of(), editor.validate(tree(p.getKey())), p.getKey());
    }
    List<String> bad = new ArrayList<>();
    for (String type : ProcessorRegistry.loadDefault().types()) {
      bad.add(pipeline("- {id: a, type: " + type + ", config: {nosuchkey: 1}}"));
    }
    bad.add(pipeline("- {id: a, type: filter}")); // where is required
    bad.add(pipeline("- {id: a, type: filter, config: {where: 1}}"));
    bad.add(pipeline("- {id: a, type: fitler, config: {where: .a}}"));
    bad.add("wiz: 1\nsource: {type: file}\nsink: {type: stdout}\n");
    bad.add("wiz: 1\nsource: {type: stdin, path: x}\nsink: {type: stdout}\n");
    bad.add("wiz: 1\nsource: {type: stdin}\nsink: {type: stdout, format: xml}\n");
    bad.add("wiz: 1\nsource: {type: stdin}\nsink: {type: kafka}\n");
    bad.add("wiz: 1\nsource: {type: stdin}\nsink: {type: stdout}\nchunking: {records: many}\n");
    bad.add("wiz: 1\nsource: {type: stdin}\nsink: {type: stdout}\nrun: {onError: never}\n");
    for (String yaml : bad) {
      assertFalse(validate(yaml, base).isEmpty(), "validate refuses " + yaml);
      assertFalse(editor.validate(tree(yaml)).isEmpty(), "the editor refuses " + yaml);
    }
  }

  /**
   * The rules of aggregate that depend on op: percentile needs p, only percentile takes p, and
   * only median and percentile take a method. An editor flags them at their place; validate says them in the aggregate
   * check's own words, once (AggregateQuantileCliTest).
   */
  @Test
  void anEditorFlagsAPercentileWithoutPAndAPOrMethodOnAnotherOp() throws Exception {
    Schema editor = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema());
    String at = "/processors/0/config/aggregates/x";
    assertEquals(List.of(at), places(editor, "{op: percentile, of: .ms}"));
    assertEquals(List.of(at + "/method"), places(editor, "{op: sum, of: .ms, method: linear}"));
    assertEquals(List.of(at + "/method"), places(editor, "{op: count, method: nearest-rank}"));
    assertEquals(List.of(at + "/p"), places(editor, "{op: median, of: .ms, p: 0.5}"));
    assertEquals(List.of(at + "/p"), places(editor, "{op: sum, of: .ms, p: 0.5}"));
    assertEquals(List.of(), places(editor, "{op: percentile, of: .ms, p: 0.95, method: nearest-rank}"));
    assertEquals(List.of(), places(editor, "{op: median, of: .ms, method: linear}"));
    assertEquals(List.of(), places(editor, "{op: sum, of: .ms}"));
  }

  /** Where the editor schema finds problems in a pipeline with one aggregate x. */
  private static List<String> places(Schema editor, String aggregate) throws Exception {
    String yaml = pipeline("- {id: a, type: aggregate, config: {aggregates: {x: " + aggregate + "}}}");
    return editor.validate(tree(yaml)).stream()
        .map(e -> e.getInstanceLocation().toString().replace("$", "").replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"))
        .distinct().sorted().toList();
  }

  private static String pipeline(String processors) {
    return "wiz: 1\nname: docs\nsource: {type: stdin}\nsink: {type: stdout}\nprocessors:\n" + processors.indent(2);
  }

  /** The file as an editor sees it: YAML read as it is, ${VAR} not replaced. */
  private static JsonNode tree(String yaml) throws Exception {
    return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml);
  }

  private static List<String> validate(String yaml, Path dir) throws Exception {
    var loaded = new YamlLoader(LoadLimits.defaults(), v -> null).parse(yaml, "p.yaml"); // unset: the defaults
    return new PipelineValidator(new SchemaCatalog(SchemaCommandTest.class.getClassLoader()), ProcessorRegistry.loadDefault())
        .validate(loaded, new ProcessorSetup(dir, v -> "env-" + v)).stream().map(Diagnostic::format).toList();
  }

  @Test
  void everyProcessorTypeHasItsConfigSchema() throws IOException {
    for (String type : ProcessorRegistry.loadDefault().types()) {
      JsonNode s = schema("--type", type);
      assertEquals(file("processors/" + type + ".schema.json").get("$id"), s.get("$id"), type);
      assertStandalone(s, type);
    }
    assertEquals(file("processors/jq.schema.json"), schema("--type", "jq"), "nothing to copy in: as written");
  }

  @Test
  void sourceAndSinkTypesStandAloneWithTheSharedDefinitionsCopiedIn() throws IOException {
    JsonNode s = schema("--type", "source/file");
    JsonNode raw = file("sources/file.schema.json");
    assertEquals(raw.get("properties").size(), s.get("properties").size());
    assertEquals("#/$defs/codec.format", s.at("/properties/format/$ref").asText());
    assertEquals(file("defs/codec.schema.json").at("/$defs/format"), s.at("/$defs/codec.format"));
    assertEquals("#/$defs/codec.csvSourceOnly", s.at("/dependentSchemas/delimiter/$ref").asText());
    assertStandalone(s, "source/file");
    assertStandalone(schema("--type", "sink/file"), "sink/file");
    assertEquals(file("sinks/stdout.schema.json").get("$id"), schema("--type", "stdout").get("$id"), "only a sink has it");
    assertEquals(file("sources/stdin.schema.json").get("$id"), schema("--type", "stdin").get("$id"));
  }

  /** Every $ref points into the document itself, at something that is there. */
  private static void assertStandalone(JsonNode schema, String what) {
    List<String> refs = new ArrayList<>();
    collectRefs(schema, refs);
    for (String ref : refs) {
      assertTrue(ref.startsWith("#"), what + ": " + ref);
      assertFalse(schema.at(ref.substring(1)).isMissingNode(), what + ": " + ref);
    }
  }

  private static void collectRefs(JsonNode n, List<String> out) {
    if (n.has("$ref") && n.get("$ref").isTextual()) out.add(n.get("$ref").asText());
    n.forEach(c -> collectRefs(c, out));
  }

  @Test
  void anUnknownTypeExits3WithASuggestionAndTheKnownTypes() {
    CliHarness.Result r = wiz.run("schema", "--type", "fitler");
    assertEquals(3, r.code(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("wiz: unknown type 'fitler' (did you mean 'filter'?); known: processors aggregate, "), r.err());
    assertTrue(r.err().endsWith("; sources source/file, source/stdin; sinks sink/file, sink/stdout\n"), r.err());
    CliHarness.Result close = wiz.run("schema", "--type", "stdn");
    assertTrue(close.err().startsWith("wiz: unknown type 'stdn' (did you mean 'stdin'?)"), close.err());
    CliHarness.Result walk = wiz.run("schema", "--type", "../pipeline");
    assertEquals(3, walk.code(), "no path walks out of the schemas: " + walk);
  }

  @Test
  void aNameThatIsBothASourceAndASinkMustSayWhich() {
    CliHarness.Result r = wiz.run("schema", "--type", "file");
    assertEquals(2, r.code(), r.toString());
    assertEquals("wiz: 'file' is a source and a sink type: say source/file or sink/file\n", r.err());
  }
}

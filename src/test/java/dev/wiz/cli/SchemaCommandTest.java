package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.processor.ProcessorRegistry;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  void withoutTypeItIsThePipelineSchemaAsBundled() throws IOException {
    assertEquals(file("pipeline.schema.json"), schema());
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

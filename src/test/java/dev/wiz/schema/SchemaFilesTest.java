package dev.wiz.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every file under schemas/ is a sound, strict, documented draft 2020-12 schema. */
class SchemaFilesTest {
  private static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";

  /** Object schemas that deliberately allow any key: another schema checks what is inside. */
  private static final Set<String> OPEN_OBJECTS =
      Set.of(
          "pipeline.schema.json#/properties/source",
          "pipeline.schema.json#/properties/sink",
          "pipeline.schema.json#/$defs/processor/properties/config",
          // made by 'wiz schema': the type's schema, joined in by allOf, checks them
          "editor/pipeline.schema.json#/properties/source",
          "editor/pipeline.schema.json#/properties/sink",
          "editor/pipeline.schema.json#/$defs/processor/properties/config");

  private static Map<String, JsonNode> files; // path below schemas/ -> document

  @BeforeAll
  static void readSchemaFolder() throws IOException {
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("schemas");
    files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Json.mapper().readTree(Files.readAllBytes(p)));
      }
    }
    assertTrue(files.containsKey("pipeline.schema.json"), "schemas/ was not found at " + dir);
  }

  @Test
  void everySchemaFileIsValidAgainstTheDraft202012MetaSchema() {
    Schema meta =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of(DRAFT));
    files.forEach((name, doc) -> assertEquals(List.of(), meta.validate(doc), name));
  }

  @Test
  void everySchemaFileNamesTheDraftAndItsOwnId() {
    files.forEach(
        (name, doc) -> {
          assertTrue(name.endsWith(".schema.json"), name + ": schema files end in .schema.json");
          assertEquals(DRAFT, doc.path("$schema").asText(), name);
          assertEquals("https://wiz.dev/schemas/" + name, doc.path("$id").asText(), name);
          assertFalse(doc.path("description").asText().isBlank(), name + ": no description");
        });
  }

  @Test
  void everyObjectSchemaSaysAdditionalPropertiesAndOnlyTheEnvelopesAreOpen() {
    List<String> wrong = new ArrayList<>();
    forEachSubschema(
        (where, schema) -> {
          if (!schema.path("type").asText().equals("object")) return;
          JsonNode additional = schema.get("additionalProperties");
          if (OPEN_OBJECTS.contains(where)) {
            if (additional == null || !additional.asBoolean(false)) wrong.add(where + " should be open");
          } else if (additional == null || !additional.isBoolean() || additional.asBoolean()) {
            wrong.add(where + " lacks additionalProperties: false");
          }
        });
    assertEquals(List.of(), wrong);
  }

  @Test
  void everyPropertyHasADescription() {
    List<String> missing = new ArrayList<>();
    int[] count = {0};
    forEachSubschema(
        (where, schema) ->
            schema.path("properties").properties().forEach(
                e -> {
                  count[0]++;
                  if (e.getValue().path("description").asText().isBlank()) {
                    missing.add(where + "/properties/" + e.getKey());
                  }
                }));
    assertEquals(List.of(), missing);
    assertTrue(count[0] > 30, "walked only " + count[0] + " properties");
  }

  @Test
  void everySchemaCompilesWithItsReferencesAndAcceptsItsOwnExamples() {
    SchemaCatalog catalog = new SchemaCatalog(getClass().getClassLoader());
    files.forEach(
        (name, doc) -> {
          String resource = "/schemas/" + name;
          assertTrue(catalog.exists(resource), resource);
          catalog.check(resource, Json.mapper().createObjectNode()); // compiles, $refs resolve
          for (JsonNode example : doc.path("examples")) {
            assertEquals(List.of(), catalog.check(resource, example), name + " example " + example);
          }
        });
  }

  @Test
  void everyProcessorSchemaHasASampleConfig() {
    files.forEach(
        (name, doc) -> {
          if (name.startsWith("processors/")) {
            assertTrue(doc.path("examples").path(0).isObject(), name + ": the first example is the sample config");
          }
        });
  }

  @Test
  void thePipelineSchemaListsExactlyTheSourceAndSinkTypesThatHaveSchemas() {
    JsonNode pipeline = files.get("pipeline.schema.json");
    for (String kind : List.of("source", "sink")) {
      Set<String> listed = new TreeSet<>();
      pipeline.at("/properties/" + kind + "/properties/type/examples").forEach(t -> listed.add(t.asText()));
      Set<String> present = new TreeSet<>();
      for (String name : files.keySet()) {
        if (name.startsWith(kind + "s/")) {
          present.add(name.substring(kind.length() + 2, name.length() - ".schema.json".length()));
        }
      }
      assertEquals(present, listed, kind + " types");
    }
  }

  private interface Visitor {
    void visit(String where, JsonNode schema);
  }

  /** Every schema object in every file, with "file#/pointer" as its name. */
  private static void forEachSubschema(Visitor visitor) {
    files.forEach((name, doc) -> walk(name + "#", doc, visitor));
  }

  private static void walk(String where, JsonNode schema, Visitor visitor) {
    if (!schema.isObject()) return;
    visitor.visit(where, schema);
    for (String map : List.of("properties", "$defs", "dependentSchemas", "patternProperties")) {
      schema.path(map).properties().forEach(e -> walk(where + "/" + map + "/" + e.getKey(), e.getValue(), visitor));
    }
    for (String one : List.of("items", "additionalProperties", "not", "if", "then", "else", "contains")) {
      if (schema.has(one)) walk(where + "/" + one, schema.get(one), visitor);
    }
    for (String many : List.of("allOf", "anyOf", "oneOf", "prefixItems")) {
      for (int i = 0; i < schema.path(many).size(); i++) {
        walk(where + "/" + many + "/" + i, schema.path(many).get(i), visitor);
      }
    }
  }
}

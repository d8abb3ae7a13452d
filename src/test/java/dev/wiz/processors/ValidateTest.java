package dev.wiz.processors;

import static dev.wiz.processors.Harness.json;
import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processors.Harness.Ctx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateTest {
  private static final String ORDER = "{\"type\":\"object\",\"required\":[\"id\",\"email\"],"
      + "\"properties\":{\"id\":{\"type\":\"integer\",\"maximum\":100},\"email\":{\"type\":\"string\",\"maxLength\":5},"
      + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}";

  private final ValidateFactory validate = new ValidateFactory();

  @TempDir Path dir;

  private ProcessorSetup setup() {
    return new ProcessorSetup(dir, v -> null);
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void validRecordsPassUnchangedAndInvalidOnesAreRejectedWithEveryError() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(validate, "{\"schema\":" + ORDER + "}", ctx,
        "{\"id\":1,\"email\":\"a@b\"}",
        "{\"id\":\"x\",\"tags\":[1,\"a\",true]}",
        "{\"id\":2,\"email\":\"a@b\",\"extra\":null}");
    assertEquals(List.of("{\"id\":1,\"email\":\"a@b\"}", "{\"id\":2,\"email\":\"a@b\",\"extra\":null}"), out);
    assertEquals(List.of("{\"id\":\"x\",\"tags\":[1,\"a\",true]} validate: (root): required property 'email' not found; "
        + "/id: string found, integer expected; /tags/0: integer found, string expected; "
        + "/tags/2: boolean found, string expected"), ctx.rejected);
  }

  @Test
  void nullsWrongTypesAndNonObjectRecordsAreWhatTheSchemaSays() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(validate, "{\"schema\":" + ORDER + "}", ctx,
        "{\"id\":null,\"email\":\"a\"}", "null", "[1]", "{\"id\":1,\"email\":5}");
    assertEquals(List.of(), out);
    assertEquals(List.of(
        "{\"id\":null,\"email\":\"a\"} validate: /id: null found, integer expected",
        "null validate: (root): null found, object expected",
        "[1] validate: (root): array found, object expected",
        "{\"id\":1,\"email\":5} validate: /email: integer found, string expected"), ctx.rejected);
  }

  @Test
  void hugeNumbersAndUnicodeAreCheckedByValueAndCodePoint() throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(validate, "{\"schema\":" + ORDER + "}", ctx,
        "{\"id\":123456789012345678901234567890,\"email\":\"a\"}",
        "{\"id\":1,\"email\":\"🙂🙂🙂🙂🙂\"}",
        "{\"id\":1,\"email\":\"" + "é".repeat(100_000) + "\"}");
    assertEquals(List.of("{\"id\":1,\"email\":\"🙂🙂🙂🙂🙂\"}"), out, "five emoji are five characters");
    assertEquals(2, ctx.rejected.size());
    assertTrue(ctx.rejected.get(0).endsWith("validate: /id: must be at most 100"), ctx.rejected.get(0));
    assertTrue(ctx.rejected.get(1).endsWith("validate: /email: must be at most 5 characters long"), ctx.rejected.get(1));
  }

  @Test
  void aRejectionListsAtMostTwentyErrors() throws Exception {
    Ctx ctx = new Ctx();
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i < 25; i++) items.append(i == 0 ? "" : ",").append(i);
    run(validate, "{\"schema\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}", ctx, items + "]");
    String reason = ctx.rejected.get(0);
    assertTrue(reason.endsWith("; and 5 more"), reason);
    assertEquals(20, reason.split("; /").length);
  }

  @Test
  void emptyChunksAndBooleanSchemas() throws Exception {
    assertEquals(List.of(), run(validate, "{\"schema\":" + ORDER + "}", new Ctx()));
    assertEquals(List.of("1", "{}"), run(validate, "{\"schema\":true}", new Ctx(), "1", "{}"));
    Ctx ctx = new Ctx();
    assertEquals(List.of(), run(validate, "{\"schema\":false}", ctx, "1"));
    assertEquals(1, ctx.rejected.size());
  }

  @Test
  void theSchemaNamesItsOwnDraft() throws Exception {
    // draft-07 asserts format and has array-form items; 2020-12 (the default) only annotates format
    String draft7 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"items\":[{\"type\":\"string\"}],"
        + "\"additionalItems\":false}";
    Ctx ctx = new Ctx();
    assertEquals(List.of("[\"a\"]"), run(validate, "{\"schema\":" + draft7 + "}", ctx, "[\"a\"]", "[1]", "[\"a\",\"b\"]"));
    assertEquals(2, ctx.rejected.size());
    assertEquals(List.of("\"nope\""), run(validate, "{\"schema\":{\"format\":\"email\"}}", new Ctx(), "\"nope\""));
  }

  @Test
  void aSchemaFileIsReadRelativeToThePipelineFolder() throws Exception {
    Files.createDirectories(dir.resolve("schemas"));
    write("schemas/order.json", ORDER);
    JsonNode config = json("{\"schemaPath\":\"schemas/order.json\"}");
    assertEquals(List.of(), validate.check(config, setup()));
    Supplier<Processor> supplier = validate.prepare(config, setup());
    Ctx ctx = new Ctx();
    try (Processor p = supplier.get()) {
      p.init(ctx);
      Chunk out = p.process(new Chunk("c", 0, Harness.records("{\"id\":1,\"email\":\"x\"}", "{\"id\":1}"), 0));
      assertEquals(1, out.size());
    }
    assertEquals(List.of("{\"id\":1} validate: (root): required property 'email' not found"), ctx.rejected);
  }

  @Test
  void fileProblemsAreReportedAtSchemaPath() throws Exception {
    write("broken.json", "{\"type\": \"object\",");
    write("two.json", "{} {}");
    write("empty.json", "");
    write("list.json", "[1]");
    Files.createDirectories(dir.resolve("folder.json"));
    assertEquals(List.of(new ConfigProblem("/schemaPath",
        "schema file 'nope.json' does not exist (looked for " + dir.resolve("nope.json") + ")")),
        validate.check(json("{\"schemaPath\":\"nope.json\"}"), setup()));
    List<ConfigProblem> broken = validate.check(json("{\"schemaPath\":\"broken.json\"}"), setup());
    assertEquals("/schemaPath", broken.get(0).pointer());
    assertTrue(broken.get(0).message().startsWith("schema file 'broken.json' is not JSON at line 1, column "), broken.get(0).message());
    assertTrue(validate.check(json("{\"schemaPath\":\"two.json\"}"), setup()).get(0).message()
        .startsWith("schema file 'two.json' is not JSON"));
    assertEquals("schema file 'empty.json' is empty: it must hold a JSON Schema",
        validate.check(json("{\"schemaPath\":\"empty.json\"}"), setup()).get(0).message());
    assertEquals("schema file 'list.json': a JSON Schema is an object or a boolean, got an array",
        validate.check(json("{\"schemaPath\":\"list.json\"}"), setup()).get(0).message());
    assertTrue(validate.check(json("{\"schemaPath\":\"folder.json\"}"), setup()).get(0).message()
        .startsWith("'folder.json' is a folder, not a JSON Schema file"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> validate.prepare(json("{\"schemaPath\":\"nope.json\"}"), setup()));
    assertTrue(e.getMessage().startsWith("/schemaPath: schema file 'nope.json' does not exist"), e.getMessage());
  }

  @Test
  void anInvalidSchemaIsFoundByTheMetaSchemaWhereItIs() throws Exception {
    List<ConfigProblem> inline = validate.check(
        json("{\"schema\":{\"properties\":{\"id\":{\"type\":\"strin\"}},\"minimum\":\"x\"}}"), setup());
    assertEquals(List.of("/schema/properties/id/type", "/schema/minimum"), inline.stream().map(ConfigProblem::pointer).toList());
    assertTrue(inline.get(0).message().startsWith("not a valid JSON Schema (draft 2020-12): does not have a value in the enumeration"),
        inline.get(0).message());
    assertEquals("not a valid JSON Schema (draft 2020-12): string found, number expected", inline.get(1).message());

    write("bad.json", "{\"required\": \"id\"}");
    List<ConfigProblem> file = validate.check(json("{\"schemaPath\":\"bad.json\"}"), setup());
    assertEquals(List.of(new ConfigProblem("/schemaPath",
        "schema file 'bad.json' at /required: not a valid JSON Schema (draft 2020-12): string found, array expected")), file);
  }

  @Test
  void unknownDialectsAndUnresolvableReferencesAreConfigProblems() {
    List<ConfigProblem> dialect = validate.check(json("{\"schema\":{\"$schema\":\"https://example.com/my-draft\"}}"), setup());
    assertEquals("/schema/$schema", dialect.get(0).pointer());
    assertTrue(dialect.get(0).message().startsWith("unknown dialect \"https://example.com/my-draft\": use "), dialect.get(0).message());
    List<ConfigProblem> ref = validate.check(json("{\"schema\":{\"$ref\":\"#/$defs/nope\"}}"), setup());
    assertEquals(List.of(new ConfigProblem("/schema/$ref",
        "reference '#/$defs/nope' cannot be resolved: the schema has nothing at /$defs/nope")), ref);
    List<ConfigProblem> remote = validate.check(json("{\"schema\":{\"$ref\":\"https://example.invalid/x.json\"}}"), setup());
    assertTrue(remote.get(0).message().contains("(references are never fetched)"), remote.get(0).message());
    List<ConfigProblem> pattern = validate.check(json("{\"schema\":{\"pattern\":\"(\"}}"), setup());
    assertEquals(1, pattern.size(), "a pattern that does not compile: " + pattern);
    assertEquals(List.of(), validate.check(json("{\"schema\":{\"$defs\":{\"id\":{\"type\":\"integer\"}},\"$ref\":\"#/$defs/id\"}}"), setup()));
  }

  @Test
  void aBadPatternOrReferenceIsPlacedWhereItIsWithTheCompilersWords() throws Exception {
    List<ConfigProblem> pattern = validate.check(
        json("{\"schema\":{\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2\"}}}}"), setup());
    assertEquals(List.of(new ConfigProblem("/schema/properties/code/pattern",
        "regular expression error at column 9: Unclosed counted closure in '^[A-Z]{2'", 8)), pattern);
    List<ConfigProblem> keys = validate.check(
        json("{\"schema\":{\"items\":{\"patternProperties\":{\"a(\":{}}}}}"), setup());
    assertEquals(List.of("/schema/items/patternProperties/a("), keys.stream().map(ConfigProblem::pointer).toList());
    assertTrue(keys.get(0).message().startsWith("regular expression error at column 3: Unclosed group in 'a('"), keys.toString());

    List<ConfigProblem> ref = validate.check(json("{\"schema\":{\"properties\":{\"addr\":{\"$ref\":\"#/$defs/adress\"}},"
        + "\"$defs\":{\"address\":{\"type\":\"object\"}}}}"), setup());
    assertEquals(List.of(new ConfigProblem("/schema/properties/addr/$ref", "reference '#/$defs/adress' cannot be resolved:"
        + " the schema has nothing at /$defs/adress (did you mean '#/$defs/address'?)")), ref);

    write("s.json", "{\"properties\": {\"code\": {\"pattern\": \"[a-\"}}}");
    List<ConfigProblem> file = validate.check(json("{\"schemaPath\":\"s.json\"}"), setup());
    assertEquals(1, file.size(), file.toString());
    assertEquals("/schemaPath", file.get(0).pointer());
    assertTrue(file.get(0).message().startsWith("schema file 's.json' at /properties/code/pattern: regular expression error at column "),
        file.get(0).message());

    // A pattern in data (const, enum, default, examples) is no regular expression; a property named pattern is a schema.
    assertEquals(List.of(), validate.check(json("{\"schema\":{\"const\":{\"pattern\":\"(\"},\"default\":{\"pattern\":\"(\"},"
        + "\"properties\":{\"pattern\":{\"type\":\"string\"},\"const\":{\"$ref\":\"#/$defs/x\"}},\"$defs\":{\"x\":{}}}}"), setup()));
  }

  @Test
  void theSchemaLibraryLogsNothingOnStderr() {
    // It would log a pattern it cannot compile before throwing; wiz reports such problems itself.
    assertFalse(org.slf4j.LoggerFactory.getLogger("com.networknt.schema.keyword.PatternValidator").isErrorEnabled());
    assertFalse(org.slf4j.LoggerFactory.getLogger("com.networknt.schema.dialect.Dialect").isWarnEnabled());
  }

  @Test
  void aBadPatternIsShownAtItsColumnInThePipelineFile() throws Exception {
    List<String> found = ConfigValidation.problems("validate", "{schema: {properties: {code: {pattern: '^[A-Z]{2'}}}}");
    assertEquals(List.of("/processors/0/config/schema/properties/code/pattern: regular expression error at column 9:"
        + " Unclosed counted closure in '^[A-Z]{2'"), found);
  }

  @Test
  void anInfiniteOrNanNumberInTheSchemaIsAConfigProblemWhereItIs() throws Exception {
    ObjectNode config = Json.mapper().createObjectNode();
    ObjectNode n = config.putObject("schema").putObject("properties").putObject("n");
    n.putArray("enum").add(1).add(Double.POSITIVE_INFINITY); // YAML's .inf, or 1e400 as a YAML float
    assertEquals(List.of(new ConfigProblem("/schema/properties/n/enum/1", "a JSON Schema's numbers are finite, "
        + "this one is infinite (YAML reads .inf, .nan and a float beyond 1.8e308, such as 1e400, so): write a number within that range")),
        validate.check(config, setup()));
    n.remove("enum");
    n.put("multipleOf", Double.NaN);
    assertEquals("/schema/properties/n/multipleOf", validate.check(config, setup()).get(0).pointer());
    assertTrue(validate.check(config, setup()).get(0).message().contains("this one is NaN"));
    write("inf.json", "{\"maximum\": 1e9999999999}");
    assertEquals(List.of(new ConfigProblem("/schemaPath", "schema file 'inf.json' at /maximum: a JSON Schema's numbers are finite, "
        + "this one is infinite (YAML reads .inf, .nan and a float beyond 1.8e308, such as 1e400, so): write a number within that range")),
        validate.check(json("{\"schemaPath\":\"inf.json\"}"), setup()));
  }

  @Test
  void exactlyOneOfSchemaAndSchemaPath() throws Exception {
    String both = "/processors/0/config: give exactly one of 'schema' (the JSON Schema inline) and 'schemaPath' (a JSON file)";
    assertEquals(List.of(both), ConfigValidation.problems("validate", "{}", dir));
    assertEquals(List.of(both), ConfigValidation.problems("validate", "{schema: {}, schemaPath: x.json}", dir));
    assertEquals(List.of(), ConfigValidation.problems("validate", "{schema: {type: object}}", dir));
    assertEquals(1, ConfigValidation.problems("validate", "{schema: 5}", dir).size());
    List<String> deep = ConfigValidation.problems("validate", "{schema: {properties: {id: {type: 5}}}}", dir);
    assertTrue(deep.get(0).startsWith("/processors/0/config/schema/properties/id/type: not a valid JSON Schema"), deep.toString());
  }

  @Test
  void theCompiledSchemaIsSharedAndSafeOnParallelInstances() throws Exception {
    Supplier<Processor> supplier = validate.prepare(json("{\"schema\":" + ORDER + "}"), setup());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          Ctx ctx = new Ctx();
          try (Processor p = supplier.get()) {
            p.init(ctx);
            for (int i = 0; i < 200; i++) {
              p.process(new Chunk("c" + i, i, Harness.records("{\"id\":1,\"email\":\"a\"}", "{\"id\":\"x\",\"email\":\"a\"}"), 0));
            }
          }
          return ctx.rejected;
        }));
      }
      for (Future<List<String>> f : results) {
        List<String> rejected = f.get();
        assertEquals(200, rejected.size());
        assertSame(rejected.get(0).length(), rejected.get(199).length());
        assertTrue(rejected.stream().allMatch(r -> r.endsWith("validate: /id: string found, integer expected")));
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(validate.loadBalance());
    assertFalse(validate.needsSeed());
  }

  private static final String D4 = "http://json-schema.org/draft-04/schema#";
  private static final String D6 = "http://json-schema.org/draft-06/schema#";
  private static final String D7 = "http://json-schema.org/draft-07/schema#";
  private static final String D2019 = "https://json-schema.org/draft/2019-09/schema";
  private static final String D2020 = "https://json-schema.org/draft/2020-12/schema";

  /**
   * Reasons that must say what the record broke, by keyword and draft: {drafts, schema (without
   * $schema), record, reason}. Keywords whose networknt message is already true (type, enum,
   * const, required, minLength, pattern, multipleOf, min/maxItems, min/maxProperties, uniqueItems,
   * additionalProperties, additionalItems, unevaluated*, oneOf) are left to networknt.
   */
  private static final String[][] REASONS = {
      {"", "false", "{\"a\":5}", "(root): the schema is false, which no value passes"},
      {"6 7 2019 2020", "{\"properties\":{\"a\":false}}", "{\"a\":5}", "/a: the schema at #/properties/a is false, which no value passes"},
      {"6 7 2019", "{\"items\":false}", "[1]", "/0: the schema at #/items is false, which no value passes"},
      {"6 7 2019 2020", "{\"allOf\":[false]}", "5", "(root): the schema at #/allOf/0 is false, which no value passes"},
      {"6 7 2019 2020", "{\"anyOf\":[false,{\"type\":\"string\"}]}", "5",
          "(root): integer found, string expected; (root): the schema at #/anyOf/0 is false, which no value passes"},
      {"7 2019 2020", "{\"if\":true,\"then\":false}", "5", "(root): the schema at #/then is false, which no value passes"},
      {"6 7 2019 2020", "{\"patternProperties\":{\"^a\":false}}", "{\"a\":5}",
          "/a: the schema at #/patternProperties/^a is false, which no value passes"},
      {"6 7 2019 2020", "{\"$ref\":\"#/definitions/x\",\"definitions\":{\"x\":false}}", "5",
          "(root): the schema at #/definitions/x is false, which no value passes"},
      {"6 7 2019 2020", "{\"dependencies\":{\"a\":false}}", "{\"a\":5}",
          "(root): the schema at #/dependencies/a is false, which no value passes"},
      {"2019 2020", "{\"dependentSchemas\":{\"a~b\":false}}", "{\"a~b\":5}",
          "(root): the schema at #/dependentSchemas/a~0b is false, which no value passes"},
      {"6 7 2019 2020", "{\"propertyNames\":false}", "{\"a\":5}",
          "(root): key 'a' is not allowed: the schema at #/propertyNames is false, which no name passes"},
      {"4", "{\"properties\":{\"a\":{\"maximum\":5,\"exclusiveMaximum\":true}}}", "{\"a\":5}", "/a: must be less than 5"},
      {"4", "{\"properties\":{\"a\":{\"maximum\":5,\"exclusiveMaximum\":true}}}", "{\"a\":6}", "/a: must be less than 5"},
      {"4", "{\"properties\":{\"a\":{\"minimum\":5,\"exclusiveMinimum\":true}}}", "{\"a\":5}", "/a: must be greater than 5"},
      {"4", "{\"properties\":{\"a\":{\"maximum\":5,\"exclusiveMaximum\":false}}}", "{\"a\":6}", "/a: must be at most 5"},
      {"6 7 2019 2020", "{\"properties\":{\"a\":{\"exclusiveMaximum\":5}}}", "{\"a\":5}", "/a: must be less than 5"},
      {"6 7 2019 2020", "{\"properties\":{\"a\":{\"exclusiveMinimum\":5.5}}}", "{\"a\":5}", "/a: must be greater than 5.5"},
      {"4 6 7 2019 2020", "{\"properties\":{\"a\":{\"maximum\":5}}}", "{\"a\":6}", "/a: must be at most 5"},
      {"4 6 7 2019 2020", "{\"properties\":{\"a\":{\"minimum\":5}}}", "{\"a\":4}", "/a: must be at least 5"},
      {"4 6 7 2019 2020", "{\"dependencies\":{\"a\":[\"b\",\"c\"]}}", "{\"a\":5,\"c\":1}",
          "(root): missing property 'b', which 'a' requires (dependencies)"},
      {"2019 2020", "{\"dependentRequired\":{\"a\":[\"b\",\"c\"]}}", "{\"a\":5}",
          "(root): missing properties 'b', 'c', which 'a' requires (dependentRequired)"},
      {"6 7 2019 2020", "{\"contains\":{\"type\":\"string\"}}", "[1]",
          "(root): must contain an item passing the schema at #/contains"},
      {"6 7 2019 2020", "{\"contains\":false}", "[1]", "(root): must contain an item passing the schema at #/contains"},
      {"2019 2020", "{\"contains\":{\"type\":\"string\"},\"minContains\":2}", "[\"x\"]",
          "(root): must contain at least 2 items passing the schema at #/contains"},
      {"2019 2020", "{\"contains\":{\"type\":\"string\"},\"maxContains\":1}", "[\"x\",\"y\"]",
          "(root): must contain at most 1 item passing the schema at #/contains"},
      // drafts 06 and 07 have no minContains/maxContains, but networknt applies them: the reason says so
      {"6 7", "{\"contains\":{\"type\":\"string\"},\"maxContains\":1}", "[\"x\",\"y\"]",
          "(root): must contain at least 1 item and at most 1 item passing the schema at #/contains"},
  };

  @Test
  void rejectionReasonsSayWhatTheRecordBrokeInEveryDraft() throws Exception {
    java.util.Map<String, String> drafts = java.util.Map.of("4", D4, "6", D6, "7", D7, "2019", D2019, "2020", D2020);
    List<String> wrong = new java.util.ArrayList<>();
    for (String[] c : REASONS) {
      for (String d : c[0].isEmpty() ? new String[] {""} : c[0].split(" ")) {
        String schema = d.isEmpty() ? c[1] : "{\"$schema\":\"" + drafts.get(d) + "\"," + c[1].substring(1);
        Ctx ctx = new Ctx();
        run(validate, "{\"schema\":" + schema + "}", ctx, c[2]);
        String expected = c[2] + " validate: " + c[3];
        if (!List.of(expected).equals(ctx.rejected)) wrong.add("draft " + d + " " + c[1] + ": " + ctx.rejected);
      }
    }
    assertEquals(List.of(), wrong);
  }
}

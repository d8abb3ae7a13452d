package dev.wiz.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchemaCatalogTest {
  private final SchemaCatalog catalog = new SchemaCatalog(getClass().getClassLoader());

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private List<SchemaProblem> sink(String json) {
    return catalog.check("/schemas/sinks/file.schema.json", json(json));
  }

  @Test
  void aValidInstanceHasNoProblems() {
    assertEquals(List.of(), sink("{\"type\": \"file\", \"path\": \"out.csv\", \"format\": \"csv\", \"delimiter\": \";\"}"));
  }

  @Test
  void aSchemaCompiledInTheBackgroundIsReadyForCheckWithTheSameAnswers() throws InterruptedException {
    catalog.compileInBackground("/schemas/sinks/file.schema.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!catalog.isCompiled("/schemas/sinks/file.schema.json") && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(catalog.isCompiled("/schemas/sinks/file.schema.json"));
    assertEquals(List.of(new SchemaProblem("", "missing required key 'path'", false)), sink("{\"type\": \"file\"}"));
  }

  @Test
  void noThreadForTheBackgroundCompileLeavesItToCheck() {
    SchemaCatalog noThreads = new SchemaCatalog(getClass().getClassLoader(), t -> {
      throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
    });
    noThreads.compileInBackground("/schemas/sinks/file.schema.json");
    assertFalse(noThreads.isCompiled("/schemas/sinks/file.schema.json"));
    assertEquals(List.of(new SchemaProblem("", "missing required key 'path'", false)),
        noThreads.check("/schemas/sinks/file.schema.json", json("{\"type\": \"file\"}")));
    assertTrue(noThreads.isCompiled("/schemas/sinks/file.schema.json"));
  }

  @Test
  void aSchemaThatCannotBeCompiledInTheBackgroundIsLeftForCheckToReport() throws InterruptedException {
    catalog.compileInBackground("/schemas/nope.schema.json");
    assertThrows(IllegalArgumentException.class, () -> catalog.check("/schemas/nope.schema.json", json("{}")));
    assertFalse(catalog.isCompiled("/schemas/nope.schema.json"));
  }

  @Test
  void missingKeyIsReportedAtTheObject() {
    assertEquals(List.of(new SchemaProblem("", "missing required key 'path'", false)), sink("{\"type\": \"file\"}"));
  }

  @Test
  void enumThroughARefToAnotherSchemaFileNamesTheAllowedValues() {
    assertEquals(
        List.of(new SchemaProblem("/format", "'xml' is not one of jsonl, json, csv, lines", false)),
        sink("{\"type\": \"file\", \"path\": \"o\", \"format\": \"xml\"}"));
  }

  @Test
  void enumSuggestsTheClosestValue() {
    assertEquals(
        List.of(new SchemaProblem("/format", "'jsnl' is not one of jsonl, json, csv, lines (did you mean 'jsonl'?)", false)),
        sink("{\"type\": \"file\", \"path\": \"o\", \"format\": \"jsnl\"}"));
  }

  @Test
  void unknownKeyIsReportedAtTheKeyWithTheKnownKeysWhenNothingIsClose() {
    assertEquals(
        List.of(new SchemaProblem("/zzz", "unknown key 'zzz' (known keys: type, path, format, compression, level, delimiter, columns)", true)),
        sink("{\"type\": \"file\", \"path\": \"o\", \"zzz\": 1}"));
  }

  @Test
  void lengthsUniqueItemsAndCountsHaveTheirOwnMessages() {
    assertEquals(
        List.of(
            new SchemaProblem("/columns", "must not repeat items: 'a' appears more than once", false),
            new SchemaProblem("/delimiter", "must be at most 1 character long, got 2 characters", false),
            new SchemaProblem("/path", "must not be empty", false)),
        sink("{\"type\": \"file\", \"path\": \"\", \"format\": \"csv\", \"delimiter\": \";;\", \"columns\": [\"a\", \"b\", \"a\"]}"));
    assertEquals(
        List.of(new SchemaProblem("/columns", "must have at least 1 item, got 0", false)),
        sink("{\"type\": \"file\", \"path\": \"o\", \"format\": \"csv\", \"columns\": []}"));
  }

  @Test
  void csvOnlyKeysWithoutFormatCsvAreReportedAtTheKeyOrTheFormat() {
    assertEquals(
        List.of(new SchemaProblem("/delimiter", "only used with format csv: add format: csv or remove this key", true)),
        sink("{\"type\": \"file\", \"path\": \"o\", \"delimiter\": \";\"}"));
    assertEquals(
        List.of(new SchemaProblem("/format", "must be csv when 'delimiter' or 'columns' is given: set format: csv or remove them", false)),
        sink("{\"type\": \"file\", \"path\": \"o\", \"format\": \"jsonl\", \"delimiter\": \";\", \"columns\": [\"a\"]}"));
  }

  @Test
  void aNanUnderAMinimumIsNoNumberAndTheOtherProblemsAreStillFound() {
    ObjectNode config = Json.mapper().createObjectNode();
    config.put("fraction", Double.NaN); // YAML's .nan; the validator's minimum threw on it
    config.put("size", "x");
    assertEquals(
        List.of(
            new SchemaProblem("/fraction", "expected a number, got NaN (YAML reads .nan, .inf and a float beyond 1.8e308,"
                + " such as 1e400, so), which JSON cannot hold: write a number", false),
            new SchemaProblem("/size", "expected an integer, got string \"x\"", false)),
        catalog.check("/schemas/processors/sample.schema.json", config));
  }

  @Test
  void aPercentilesPIsAFractionFromZeroToOneInTheSchemaToo() {
    String p = "p is a fraction from 0 to 1 (0.95 for the 95th percentile, 0.5 for the median), got ";
    assertEquals(
        List.of(new SchemaProblem("/aggregates/a/p", p + "95", false), new SchemaProblem("/aggregates/b/p", p + "-0.1", false)),
        catalog.check("/schemas/processors/aggregate.schema.json", json("{\"aggregates\": {"
            + "\"a\": {\"op\": \"percentile\", \"of\": \".v\", \"p\": 95},"
            + "\"b\": {\"op\": \"percentile\", \"of\": \".v\", \"p\": -0.1},"
            + "\"c\": {\"op\": \"percentile\", \"of\": \".v\", \"p\": 0},"
            + "\"d\": {\"op\": \"percentile\", \"of\": \".v\", \"p\": 1}}}")));
  }

  @Test
  void typeConstPatternAndRangeMessagesShowWhatWasFound() {
    List<SchemaProblem> problems =
        catalog.check(
            "/schemas/pipeline.schema.json",
            json("{\"wiz\": 2, \"name\": \"Bad Name\", \"source\": {\"type\": 7}, \"sink\": {\"type\": \"stdout\"},"
                + " \"chunking\": {\"records\": 2000000}, \"run\": {\"seed\": 1.5, \"maxAttempts\": 0}}"));
    assertEquals(
        List.of(
            new SchemaProblem("/chunking/records", "must be at most 1000000, got 2000000", false),
            new SchemaProblem("/name", "'Bad Name' does not match the pattern ^[a-z0-9][a-z0-9._-]{0,62}$", false),
            new SchemaProblem("/run/maxAttempts", "must be at least 1, got 0", false),
            new SchemaProblem("/run/seed", "expected an integer, got number 1.5", false),
            new SchemaProblem("/source/type", "expected a string, got integer 7", false),
            new SchemaProblem("/wiz", "must be 1, got 2", false)),
        problems);
  }

  @Test
  void aRootThatIsNoObjectIsOneProblem() {
    assertEquals(
        List.of(new SchemaProblem("", "expected an object, got an array", false)),
        catalog.check("/schemas/pipeline.schema.json", json("[1]")));
    assertEquals(
        List.of(new SchemaProblem("", "expected an object, got null", false)),
        catalog.check("/schemas/processors/jq.schema.json", null));
  }

  @Test
  void existsOnlyForPackagedSchemasBelowTheSchemasFolder() {
    assertTrue(catalog.exists("/schemas/pipeline.schema.json"));
    assertTrue(catalog.exists("/schemas/processors/filter.schema.json"));
    assertFalse(catalog.exists("/schemas/processors/nope.schema.json"));
    assertFalse(catalog.exists("/schemas/../dev/wiz/Json.class"));
    assertFalse(catalog.exists("schemas/pipeline.schema.json"));
    assertFalse(catalog.exists("/schemas/"));
    assertFalse(catalog.exists(null));
  }

  @Test
  void aLoaderWithoutTheSchemasKnowsNone() {
    SchemaCatalog empty = new SchemaCatalog(new ClassLoader(null) {});
    assertFalse(empty.exists("/schemas/pipeline.schema.json"));
    assertThrows(IllegalArgumentException.class, () -> empty.raw("/schemas/pipeline.schema.json"));
  }

  @Test
  void checkingAgainstAMissingSchemaIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> catalog.check("/schemas/nope.schema.json", json("{}")));
  }

  @Test
  void rawIsTheDocumentAndChangingItChangesNothing() {
    JsonNode raw = catalog.raw("/schemas/processors/jq.schema.json");
    assertEquals("https://wiz.dev/schemas/processors/jq.schema.json", raw.path("$id").asText());
    ((ObjectNode) raw).remove("required");
    assertTrue(catalog.raw("/schemas/processors/jq.schema.json").has("required"));
    assertEquals(
        List.of(new SchemaProblem("", "missing required key 'program'", false)),
        catalog.check("/schemas/processors/jq.schema.json", json("{}")));
  }

  @Test
  void concurrentChecksOnAFreshCatalogAllGetTheSameAnswer() throws Exception {
    SchemaCatalog fresh = new SchemaCatalog(getClass().getClassLoader());
    JsonNode bad = json("{\"type\": \"file\", \"path\": \"o\", \"format\": \"xml\"}");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<List<SchemaProblem>>> answers = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        answers.add(pool.submit(() -> fresh.check("/schemas/sources/file.schema.json", bad)));
      }
      for (Future<List<SchemaProblem>> answer : answers) {
        assertEquals(
            List.of(new SchemaProblem("/format", "'xml' is not one of jsonl, json, csv, lines", false)),
            answer.get(10, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

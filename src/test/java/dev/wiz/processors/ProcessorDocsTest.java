package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.LoadLimits;
import dev.wiz.pipeline.YamlLoader;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.schema.PipelineValidator;
import dev.wiz.schema.SchemaCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every processor type has {@code docs/processors/<type>.md}, and it agrees with the type's schema:
 * its field table names exactly the schema's fields, says which are required as the schema does,
 * and every YAML example in it is a valid list of processors that uses the type.
 */
class ProcessorDocsTest {
  private static final Path DOCS = Path.of(System.getProperty("basedir", ".")).resolve("docs/processors");
  private static final ProcessorRegistry REGISTRY = ProcessorRegistry.loadDefault();
  private static final SchemaCatalog CATALOG = new SchemaCatalog(ProcessorDocsTest.class.getClassLoader());
  private static final Pattern YAML_BLOCK = Pattern.compile("(?m)^```yaml\\n(.*?)^```", Pattern.DOTALL);
  private static final Pattern FIELD_ROW = Pattern.compile("(?m)^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|([^|]*)\\|");

  @TestFactory
  List<DynamicTest> everyTypeHasDocsThatAgreeWithItsSchema() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ProcessorFactory f : REGISTRY.factories()) {
      tests.add(DynamicTest.dynamicTest(f.type(), () -> checkDocs(f)));
    }
    return tests;
  }

  @Test
  void theIndexListsEveryType() throws IOException {
    String index = Files.readString(DOCS.resolve("README.md"), StandardCharsets.UTF_8);
    for (String type : REGISTRY.types()) {
      assertTrue(index.contains("(" + type + ".md)"), "docs/processors/README.md links to " + type + ".md");
    }
  }

  private static void checkDocs(ProcessorFactory f) throws Exception {
    Path file = DOCS.resolve(f.type() + ".md");
    assertTrue(Files.isRegularFile(file), file + " exists");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("# " + f.type() + "\n"), file + " starts with '# " + f.type() + "'");

    JsonNode schema = CATALOG.raw(f.schemaResource());
    Map<String, Boolean> schemaFields = new TreeMap<>();
    TreeSet<String> required = new TreeSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema.path("properties").fieldNames().forEachRemaining(n -> schemaFields.put(n, required.contains(n)));

    Map<String, Boolean> docFields = new TreeMap<>();
    Matcher row = FIELD_ROW.matcher(text);
    while (row.find()) {
      String req = row.group(3).strip();
      assertTrue(req.equals("yes") || req.equals("no"), file + ": the third column of `" + row.group(1) + "` says yes or no");
      docFields.put(row.group(1), req.equals("yes"));
    }
    assertEquals(schemaFields, docFields, file + ": the field table (| `name` | type | yes/no | ...) matches the schema");

    Matcher block = YAML_BLOCK.matcher(text);
    int examples = 0;
    while (block.find()) {
      examples++;
      checkExample(f.type(), file, examples, block.group(1));
    }
    assertTrue(examples > 0, file + " has a ```yaml example");
  }

  /** A YAML example is a list of processors: it goes into a pipeline and must validate. */
  private static void checkExample(String type, Path file, int n, String yaml) throws Exception {
    StringBuilder pipeline = new StringBuilder(
        "wiz: 1\nname: docs\nsource: {type: stdin}\nsink: {type: stdout}\nprocessors:\n");
    yaml.lines().forEach(l -> pipeline.append("  ").append(l).append('\n'));
    String name = file.getFileName() + " example " + n;
    YamlLoader loader = new YamlLoader(LoadLimits.defaults(), v -> "env-" + v);
    var tree = loader.parse(pipeline.toString(), name);
    List<Diagnostic> problems = new PipelineValidator(CATALOG, REGISTRY).validate(tree, new ProcessorSetup(DOCS, v -> "env-" + v));
    assertEquals(List.of(), problems.stream().map(Diagnostic::format).toList(), name + ":\n" + pipeline);
    Map<String, Integer> types = new LinkedHashMap<>();
    tree.root().path("processors").forEach(p -> types.merge(p.path("type").asText(), 1, Integer::sum));
    assertFalse(!types.containsKey(type), name + " uses type " + type);
  }
}

package dev.wiz.processors;

import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.LoadLimits;
import dev.wiz.pipeline.YamlLoader;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.schema.PipelineValidator;
import dev.wiz.schema.SchemaCatalog;
import java.nio.file.Path;
import java.util.List;

/** Validates one processor entry the way {@code wiz validate} does: schema, then the type's check. */
final class ConfigValidation {
  private ConfigValidation() {}

  private static final SchemaCatalog CATALOG = new SchemaCatalog(ConfigValidation.class.getClassLoader());
  private static final ProcessorRegistry REGISTRY = ProcessorRegistry.loadDefault();

  /**
   * The diagnostics for a pipeline with one processor {@code p} of the type and a flow-style YAML
   * config, as {@code pointer: message} (the file positions left out).
   */
  static List<String> problems(String type, String configYaml, Path baseDir) throws Exception {
    String text = "wiz: 1\nname: t\nsource: {type: stdin}\nsink: {type: stdout}\nprocessors:\n"
        + "  - id: p\n    type: " + type + "\n    config: " + configYaml + "\n";
    var tree = new YamlLoader(LoadLimits.defaults(), v -> null).parse(text, "t.yaml");
    List<Diagnostic> found = new PipelineValidator(CATALOG, REGISTRY).validate(tree, new ProcessorSetup(baseDir, v -> null));
    return found.stream().map(d -> d.pointer() + ": " + d.message()).toList();
  }

  static List<String> problems(String type, String configYaml) throws Exception {
    return problems(type, configYaml, Harness.SETUP.baseDir());
  }
}

package dev.wiz.schema;

import dev.wiz.processor.ProcessorSetup;
import java.nio.file.Path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.pipeline.Diagnostic;
import dev.wiz.pipeline.LocatedTree;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.ProcessorRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Positions in the expected strings are those of the JSON text blocks below: line 1 is the opening
 * brace, keys one per line, two spaces of indent per level.
 */
class PipelineValidatorTest {
  private static final ProcessorSetup SETUP = new ProcessorSetup(Path.of("").toAbsolutePath(), v -> null);

  private static final SchemaCatalog CATALOG = new SchemaCatalog(PipelineValidatorTest.class.getClassLoader());

  private final FakeFactory filter = FakeFactory.filter();
  private final PipelineValidator validator =
      new PipelineValidator(CATALOG, new ProcessorRegistry(List.of(filter, FakeFactory.jq())));

  private List<String> validate(String json) {
    return formatted(validator.validate(Trees.located(json), SETUP));
  }

  private static List<String> formatted(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::format).toList();
  }

  @Test
  void aValidPipelineHasNoDiagnostics() {
    assertEquals(
        List.of(),
        validate(
            """
            {
              "wiz": 1,
              "name": "events-cleanup",
              "source": {
                "type": "file",
                "path": "in.csv",
                "format": "csv",
                "delimiter": ";"
              },
              "chunking": {
                "records": 500
              },
              "processors": [
                {
                  "id": "keep",
                  "type": "filter",
                  "config": {
                    "where": ".ok"
                  },
                  "workers": {
                    "model": "pool",
                    "size": 2
                  }
                },
                {
                  "id": "shape",
                  "type": "jq",
                  "config": {
                    "program": "{id}"
                  }
                }
              ],
              "sink": {
                "type": "stdout",
                "format": "csv",
                "columns": ["id"]
              },
              "run": {
                "workers": 4,
                "onError": "dead-letter",
                "maxAttempts": 3,
                "maxFailures": 3,
                "seed": 42
              }
            }
            """));
  }

  @Test
  void aPoolOfMoreInstancesThanWorkersCanUseIsRefused() {
    // read as an int, 4294967297 was a pool of 1
    assertEquals(
        List.of("p.yaml:5:112: /processors/0/workers/size: must be at most 256, got 4294967297"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "sink": {"type": "stdout"},
              "processors": [{"id": "a", "type": "filter", "config": {"where": ".a"}, "workers": {"model": "pool", "size": 4294967297}}]
            }
            """));
  }

  @Test
  void unknownKeyIsReportedAtTheKeyWithDidYouMean() {
    assertEquals(
        List.of("p.yaml:5:5: /run/wrokers: unknown key 'wrokers' (did you mean 'workers'?)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "run": {
                "wrokers": 4
              },
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void unknownTopLevelKeyIsAnError() {
    assertEquals(
        List.of("p.yaml:3:3: /proccessors: unknown key 'proccessors' (did you mean 'processors'?)"),
        validate(
            """
            {
              "wiz": 1,
              "proccessors": [],
              "source": {"type": "stdin"},
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void wrongTypeSaysWhatWasExpectedAndWhatWasFound() {
    assertEquals(
        List.of("p.yaml:5:16: /run/workers: expected an integer, got string \"four\""),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "run": {
                "workers": "four"
              },
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void outOfRangeNumberNamesTheLimit() {
    assertEquals(
        List.of(
            "p.yaml:5:16: /run/workers: must be at least 1, got 0",
            "p.yaml:6:20: /run/maxAttempts: must be at most 100, got 101"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "run": {
                "workers": 0,
                "maxAttempts": 101
              },
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void missingRequiredKeyIsReportedWhereItsObjectStarts() {
    assertEquals(
        List.of("p.yaml:3:13: /source: missing required key 'path'"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "type": "file"
              },
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void missingTopLevelKeysAreReportedAtTheDocument() {
    assertEquals(
        List.of(
            "p.yaml:1:1: missing required key 'sink'",
            "p.yaml:1:1: missing required key 'source'",
            "p.yaml:2:10: /wiz: must be 1, got 2"),
        validate(
            """
            {
              "wiz": 2
            }
            """));
  }

  @Test
  void valueOutsideAnEnumListsTheAllowedValues() {
    assertEquals(
        List.of("p.yaml:6:15: /source/format: 'xml' is not one of jsonl, json, csv, lines"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "type": "file",
                "path": "in.xml",
                "format": "xml"
              },
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void unknownSourceAndSinkTypesSuggestTheClosestAndListTheKnown() {
    assertEquals(
        List.of(
            "p.yaml:4:13: /source/type: unknown source type 'fiel' (did you mean 'file'? known: file, stdin)",
            "p.yaml:8:13: /sink/type: unknown sink type 'kafka' (known: file, stdout)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "type": "fiel",
                "path": "in.jsonl"
              },
              "sink": {
                "type": "kafka",
                "topic": "out"
              }
            }
            """));
  }

  @Test
  void aTypeThatLooksLikeAPathIsJustAnUnknownType() {
    assertEquals(
        List.of("p.yaml:3:22: /source/type: unknown source type '../pipeline' (known: file, stdin)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "../pipeline"},
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void sourceAndSinkKeysAreCheckedAgainstTheirTypesSchema() {
    assertEquals(
        List.of(
            "p.yaml:6:5: /source/pth: unknown key 'pth' (did you mean 'path'?)",
            "p.yaml:11:5: /sink/delimiter: only used with format csv: add format: csv or remove this key"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "type": "file",
                "path": "a",
                "pth": "b"
              },
              "sink": {
                "type": "file",
                "path": "o",
                "delimiter": ";"
              }
            }
            """));
  }

  @Test
  void aDelimiterCsvCannotUseIsRefusedAtItsValueWithWhatToWriteInstead() {
    String instead = "write another, such as ',', ';', '|' or \"\\t\" (a tab)";
    assertEquals(
        List.of(
            "p.yaml:3:78: /source/delimiter: a character outside the Basic Multilingual Plane (such as an emoji) cannot"
                + " separate fields: it is two UTF-16 code units, and a CSV delimiter is one; " + instead,
            "p.yaml:4:60: /sink/delimiter: the quote '\"' cannot separate fields: in CSV it starts a quoted field; "
                + instead),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "file", "path": "in.csv", "format": "csv", "delimiter": "\\ud83d\\ude00"},
              "sink": {"type": "stdout", "format": "csv", "delimiter": "\\""}
            }
            """));
    for (String lineBreak : List.of("\\n", "\\r")) {
      assertEquals(
          List.of("p.yaml:4:60: /sink/delimiter: a line break cannot separate fields: in CSV it ends a row; " + instead),
          validate(
              """
              {
                "wiz": 1,
                "source": {"type": "file", "path": "in.csv", "format": "csv", "delimiter": "\u20ac"},
                "sink": {"type": "stdout", "format": "csv", "delimiter": "%s"}
              }
              """.formatted(lineBreak)),
          "a character of the Basic Multilingual Plane outside ASCII (the euro sign) is a delimiter");
    }
  }

  @Test
  void unknownProcessorTypeSuggestsTheClosestAndPointsToTheList() {
    assertEquals(
        List.of(
            "p.yaml:7:15: /processors/0/type: unknown processor type 'fitler' (did you mean 'filter'? see 'wiz processors list')",
            "p.yaml:11:15: /processors/1/type: unknown processor type 'sql' (see 'wiz processors list')"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {
                  "id": "a",
                  "type": "fitler"
                },
                {
                  "id": "b",
                  "type": "sql"
                }
              ],
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void processorConfigIsCheckedAgainstItsTypesSchemaAndTheTypesCheckWaitsWhileARequiredKeyIsMissing() {
    assertEquals(
        List.of(
            "p.yaml:8:17: /processors/0/config: missing required key 'where'",
            "p.yaml:9:9: /processors/0/config/wher: unknown key 'wher' (did you mean 'where'?)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {
                  "id": "a",
                  "type": "filter",
                  "config": {
                    "wher": ".ok !! x"
                  }
                }
              ],
              "sink": {"type": "stdout"}
            }
            """));
    assertEquals(List.of(), filter.checked, "check must only see configs that passed the schema");
  }

  @Test
  void aSchemaProblemDoesNotHideTheTypesCheckOfTheRestOfTheConfig() {
    assertEquals(
        List.of(
            "p.yaml:10:18: /processors/0/config/where: syntax error: unexpected '!!'",
            "p.yaml:11:9: /processors/0/config/wher: unknown key 'wher' (did you mean 'where'?)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {
                  "id": "a",
                  "type": "filter",
                  "config": {
                    "where":
                             ".ok !! x",
                    "wher": 1
                  }
                }
              ],
              "sink": {"type": "stdout"}
            }
            """));
    assertEquals(List.of(Trees.located("{\"where\": \".ok !! x\"}").root()), filter.checked,
        "check sees what passes the schema: the config without the value it refused");
  }

  @Test
  void aTypesProblemAtAPlaceThatHeldARefusedValueIsLeftOut() {
    FakeFactory picky = new FakeFactory("filter", config -> List.of(
        new ConfigProblem("", "needs more"), new ConfigProblem("/where", "bad where")));
    PipelineValidator v = new PipelineValidator(CATALOG, new ProcessorRegistry(List.of(picky)));
    List<String> found = formatted(v.validate(Trees.located(
        "{\"wiz\": 1, \"source\": {\"type\": \"stdin\"}, \"sink\": {\"type\": \"stdout\"},"
            + " \"processors\": [{\"id\": \"a\", \"type\": \"filter\", \"config\": {\"where\": \"x\", \"wher\": 1}}]}"), SETUP));
    assertEquals(2, found.size(), found.toString());
    assertTrue(found.get(0).endsWith("/processors/0/config/where: bad where"), found.toString());
    assertTrue(found.get(1).endsWith("/processors/0/config/wher: unknown key 'wher' (did you mean 'where'?)"), found.toString());
  }

  @Test
  void aMissingConfigIsCheckedAsAnEmptyOneAndReportedAtTheProcessor() {
    assertEquals(
        List.of("p.yaml:5:5: /processors/0/config: missing required key 'program'"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {"id": "a", "type": "jq"}
              ],
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void problemsFoundByTheTypesCheckAreReportedBelowTheConfig() {
    assertEquals(
        List.of("p.yaml:9:18: /processors/0/config/where: syntax error: unexpected '!!'"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {
                  "id": "a",
                  "type": "filter",
                  "config": {
                    "where": ".ok !! x"
                  }
                }
              ],
              "sink": {"type": "stdout"}
            }
            """));
    assertEquals(1, filter.checked.size());
  }

  @Test
  void aDuplicateProcessorIdIsReportedAtTheSecondNamingTheFirstsLine() {
    assertEquals(
        List.of("p.yaml:10:12: /processors/1/id: duplicate processor id 'shape' (first used on line 6): ids must be unique"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {
                  "id": "shape",
                  "type": "jq",
                  "config": {"program": "."}
                },
                {"id": "shape", "type": "jq", "config": {"program": "."}}
              ],
              "sink": {"type": "stdout"}
            }
            """));
  }

  @Test
  void everyProblemIsReportedAtOnceInFileOrder() {
    assertEquals(
        List.of(
            "p.yaml:2:10: /wiz: must be 1, got string \"1\"",
            "p.yaml:3:11: /name: 'Events' does not match the pattern ^[a-z0-9][a-z0-9._-]{0,62}$",
            "p.yaml:6:28: /source/format: 'xml' is not one of jsonl, json, csv, lines",
            "p.yaml:9:5: /chunking/size: unknown key 'size' (known keys: records)",
            "p.yaml:12:25: /processors/0/type: unknown processor type 'jqq' (did you mean 'jq'? see 'wiz processors list')",
            "p.yaml:13:12: /processors/1/id: duplicate processor id 'a' (first used on line 12): ids must be unique",
            "p.yaml:13:55: /processors/1/config/where: syntax error: unexpected '!!'",
            "p.yaml:15:11: /sink: missing required key 'path'",
            "p.yaml:17:16: /run/onError: 'dead_letter' is not one of fail, skip, dead-letter (did you mean 'dead-letter'?)",
            "p.yaml:18:5: /run/wrokers: unknown key 'wrokers' (did you mean 'workers'?)"),
        validate(
            """
            {
              "wiz": "1",
              "name": "Events",
              "source": {
                "type": "file",
                "path": "a", "format": "xml"
              },
              "chunking": {
                "size": 10
              },
              "processors": [
                {"id": "a", "type": "jqq"},
                {"id": "a", "type": "filter", "config": {"where": "!!"}}
              ],
              "sink": {"type": "file"},
              "run": {
                "onError": "dead_letter",
                "wrokers": 2
              }
            }
            """));
  }

  @Test
  void aDocumentThatIsNoObjectIsOneDiagnosticAndNoException() {
    assertEquals(List.of("p.yaml:1:1: expected an object, got an array"), validate("[1, 2]"));
    assertEquals(List.of("p.yaml:1:1: expected an object, got string \"wiz\""), validate("\"wiz\""));
  }

  @Test
  void aJqProgramLeftUnquotedInYamlIsToldToBeQuoted() {
    // program: {id, user} is YAML's mapping {"id": null, "user": null}; where: [.a] a list.
    String hint = ": YAML reads an unquoted value that starts with { or [ as a mapping or a list; quote it to have"
        + " it as text (single quotes suit jq programs): ";
    assertEquals(
        List.of(
            "p.yaml:5:53: /processors/0/config/program: expected a string, got an object" + hint + "program: '{id, user}'",
            "p.yaml:6:53: /processors/1/config/program: expected a string, got an array" + hint + "program: '...'",
            "p.yaml:7:20: /sink/type: expected a string, got an object" + hint + "type: '...'"),
        validate(
            """
            {
              "wiz": 1,
              "source": {"type": "stdin"},
              "processors": [
                {"id": "a", "type": "jq", "config": {"program": {"id": null, "user": null}}},
                {"id": "b", "type": "jq", "config": {"program": [".a", ".b"]}}],
              "sink": {"type": {"a": 1}}
            }
            """));
  }

  @Test
  void misshapenPartsAreReportedByTheSchemaAndSkippedByTheDeeperChecks() {
    assertEquals(
        List.of(
            "p.yaml:3:13: /source: expected an object, got string \"stdin\"",
            "p.yaml:4:18: /processors/0: expected an object, got integer 3",
            "p.yaml:4:41: /processors/1/type: expected a string, got integer 7",
            "p.yaml:4:81: /processors/2/config: expected an object, got an array",
            "p.yaml:5:20: /sink/type: expected a string, got null"),
        validate(
            """
            {
              "wiz": 1,
              "source": "stdin",
              "processors": [3, {"id": "b", "type": 7}, {"id": "c", "type": "jq", "config": []}],
              "sink": {"type": null}
            }
            """));
  }

  @Test
  void aBrokenPlugInIsReportedNotThrown() {
    FakeFactory noSchema = new FakeFactory("noschema", "/schemas/processors/noschema.schema.json", c -> List.of());
    FakeFactory throwing =
        new FakeFactory("throws", "/schemas/processors/jq.schema.json", c -> { throw new IllegalStateException("boom"); });
    PipelineValidator v = new PipelineValidator(CATALOG, new ProcessorRegistry(List.of(noSchema, throwing)));
    List<String> found =
        formatted(
            v.validate(
                Trees.located(
                    """
                    {
                      "wiz": 1,
                      "source": {"type": "stdin"},
                      "processors": [
                        {"id": "a", "type": "noschema", "config": {}},
                        {"id": "b", "type": "throws", "config": {"program": "."}}
                      ],
                      "sink": {"type": "stdout"}
                    }
                    """), SETUP));
    assertEquals(2, found.size(), found.toString());
    assertEquals(
        "p.yaml:5:47: /processors/0/config: processor type 'noschema' has no config schema /schemas/processors/noschema.schema.json: its plug-in is broken",
        found.get(0));
    assertTrue(found.get(1).startsWith("p.yaml:6:45: /processors/1/config: processor type 'throws' failed to check its config: "), found.get(1));
    assertTrue(found.get(1).contains("boom"), found.get(1));
  }

  @Test
  void validateConfigChecksOneConfigWithPointersRelativeToIt() {
    LocatedTree ok = Trees.located("cfg.yaml", "{\n  \"where\": \".ok\"\n}\n");
    assertEquals(List.of(), validator.validateConfig("filter", ok, SETUP));

    LocatedTree bad = Trees.located("cfg.yaml", "{\n  \"where\": \"\",\n  \"limit\": 3\n}\n");
    assertEquals(
        List.of(
            "cfg.yaml:2:12: /where: must not be empty",
            "cfg.yaml:3:3: /limit: unknown key 'limit' (known keys: where)"),
        formatted(validator.validateConfig("filter", bad, SETUP)));

    LocatedTree wontCompile = Trees.located("cfg.yaml", "{\n  \"where\": \". !! .\"\n}\n");
    assertEquals(
        List.of("cfg.yaml:2:12: /where: syntax error: unexpected '!!'"),
        formatted(validator.validateConfig("filter", wontCompile, SETUP)));
  }

  @Test
  void validateConfigOfAnUnknownTypeSaysSoAtTheDocument() {
    assertEquals(
        List.of("cfg.yaml:1:1: unknown processor type 'filtr' (did you mean 'filter'? see 'wiz processors list')"),
        formatted(validator.validateConfig("filtr", Trees.located("cfg.yaml", "{}"), SETUP)));
    assertEquals(
        List.of("cfg.yaml:1:1: expected an object, got integer 3"),
        formatted(validator.validateConfig("jq", Trees.located("cfg.yaml", "3"), SETUP)));
  }

  @Test
  void withoutPositionsTheDiagnosticStillNamesThePointer() {
    LocatedTree bare =
        new LocatedTree(
            "p.yaml",
            Trees.located("{\"wiz\": 1, \"source\": {\"type\": \"stdin\"}, \"sink\": {\"type\": \"stdout\", \"x\": 1}}").root(),
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.Set.of());
    assertEquals(
        List.of("p.yaml: /sink/x: unknown key 'x' (known keys: type, format, delimiter, columns)"),
        formatted(validator.validate(bare, SETUP)));
  }

  @Test
  void invisibleCharactersInAKeyOrAValueAreWrittenOutInTheMessage() {
    assertEquals(
        List.of(
            "p.yaml:4:13: /source/type: unknown source type 'fi\\u200Ble' (did you mean 'file'? known: file, stdin)",
            "p.yaml:11:5: /run/wor\u200Bkers: unknown key 'wor\\u200Bkers' (did you mean 'workers'?)",
            "p.yaml:12:16: /run/onError: 'sk\\u00A0ip' is not one of fail, skip, dead-letter (did you mean 'skip'?)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "type": "fi\u200Ble",
                "path": "in.jsonl"
              },
              "sink": {
                "type": "stdout"
              },
              "run": {
                "wor\u200Bkers": 2,
                "onError": "sk\u00A0ip"
              }
            }
            """));
  }

  @Test
  void aMisspeltTypeOfASourceOrSinkIsNamedBesideTheMissingType() {
    assertEquals(
        List.of(
            "p.yaml:3:13: /source: missing required key 'type'",
            "p.yaml:4:5: /source/tpye: unknown key 'tpye' (did you mean 'type'?)",
            "p.yaml:7:11: /sink: missing required key 'type'",
            "p.yaml:8:5: /sink/Type: unknown key 'Type' (did you mean 'type'?)"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "tpye": "file",
                "path": "in.jsonl"
              },
              "sink": {
                "Type": "stdout"
              }
            }
            """));
  }

  @Test
  void aSeedBeyond64BitsIsRefusedNotCutToAnotherSeed() {
    // 2^64 + 42 was read as 42: the same output as seed 42, without a word
    assertEquals(
        List.of("p.yaml:10:13: /run/seed: must be at most 9223372036854775807, got 18446744073709551658"),
        validate(
            """
            {
              "wiz": 1,
              "source": {
                "type": "stdin"
              },
              "sink": {
                "type": "stdout"
              },
              "run": {
                "seed": 18446744073709551658
              }
            }
            """));
    assertEquals(List.of(), validate("{\"wiz\": 1, \"source\": {\"type\": \"stdin\"}, \"sink\": {\"type\": \"stdout\"},"
        + " \"run\": {\"seed\": -9223372036854775808}}"));
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nested records into a csv file with {@code flatten} and back with {@code unflatten}, through the
 * command line: the bytes of the file, the records read back, the config errors at their
 * positions, and a record that cannot be flattened as a record error of its line.
 */
class FlattenCliTest extends JimfsCliTest {
  private static final String NESTED = """
      {"id":1,"user":{"name":"Ada","tags":["x","y"]},"meta":{}}
      {"id":2,"user":{"name":"Bo, Jr.","tags":["z",null]},"meta":{}}
      """;

  private void write(String name, String text) throws IOException {
    Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void nestedRecordsGoToACsvFileWithAColumnPerValueAndComeBackAsTheyWere() throws IOException {
    write("in.jsonl", NESTED);
    write("flat.yaml", "wiz: 1\nsource: { type: file, path: in.jsonl }\nprocessors:\n  - { id: flat, type: flatten }\n"
        + "sink: { type: file, path: out.csv, format: csv }\n");
    CliHarness.Result flat = wiz.run("-q", "run", "flat.yaml");
    assertEquals(0, flat.code(), flat.toString());
    assertEquals("id,user.name,user.tags.0,user.tags.1,meta\n1,Ada,x,y,{}\n2,\"Bo, Jr.\",z,,{}\n",
        Files.readString(work.resolve("out.csv")));

    write("back.yaml", "wiz: 1\nsource: { type: file, path: out.csv, format: csv }\nprocessors:\n"
        + "  - { id: nest, type: unflatten }\n  - { id: types, type: cast, config: { fields: { id: int } } }\n"
        + "sink: { type: file, path: back.jsonl }\n");
    CliHarness.Result back = wiz.run("-q", "run", "back.yaml");
    assertEquals(0, back.code(), back.toString());
    assertEquals("""
        {"id":1,"user":{"name":"Ada","tags":["x","y"]},"meta":{}}
        {"id":2,"user":{"name":"Bo, Jr.","tags":["z",""]},"meta":{}}
        """, Files.readString(work.resolve("back.jsonl")), "a csv file has no null: the empty cell is \"\"");
  }

  @Test
  void millersCsvWithOneBasedColumnsIsReadBackWithIndexBaseOne() throws IOException {
    write("m.csv", "a,b.1,b.2,c.x\n1,2,3,4\n");
    write("p.yaml", "wiz: 1\nsource: { type: file, path: m.csv, format: csv }\nprocessors:\n"
        + "  - { id: nest, type: unflatten, config: { indexBase: 1 } }\nsink: { type: stdout }\n");
    CliHarness.Result r = wiz.run("-q", "run", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals("{\"a\":\"1\",\"b\":[\"2\",\"3\"],\"c\":{\"x\":\"4\"}}\n", r.out());
  }

  @Test
  void validateNamesAPathInFieldsAndABadOptionAtTheirPositions() throws IOException {
    write("p.yaml", """
        wiz: 1
        source: { type: stdin }
        processors:
          - id: flat
            type: flatten
            config: { fields: [id, user.address], empty: none }
          - id: nest
            type: unflatten
            config: { indexBase: 1, arrays: false, separator: "" }
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "p.yaml:6:28: /processors/0/config/fields/1: 'user.address' holds the separator '.': fields names top-level"
            + " keys, not paths; list 'user' (everything inside it is flattened), or set another separator",
        "p.yaml:6:50: /processors/0/config/empty: 'none' is not one of keep, text, drop",
        "p.yaml:9:26: /processors/1/config/indexBase: indexBase numbers the elements of the arrays that unflatten"
            + " makes, and arrays: false makes none: remove indexBase, or set arrays: true",
        "p.yaml:9:55: /processors/1/config/separator: must not be empty: it separates the names in a key; give one"
            + " no key holds, such as '.', '_' or ':'",
        "p.yaml: 4 problems"), r.err().lines().toList());
  }

  /** An empty separator is refused; fields, which is checked against it, is not said to hold a '.' it was never given. */
  @Test
  void anEmptySeparatorIsOneMessageAndFieldsIsNotCheckedAgainstTheDefault() throws IOException {
    write("p.yaml", """
        wiz: 1
        source: { type: stdin }
        processors:
          - id: flat
            type: flatten
            config: { separator: "", fields: [user.name, id] }
          - id: nest
            type: unflatten
            config: { separator: "", fields: [a.b] }
        sink: { type: stdout }
        """);
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "p.yaml:6:26: /processors/0/config/separator: must not be empty: it joins the names on the way down into one"
            + " key; give one no key holds, such as '.', '_' or ':'",
        "p.yaml:9:26: /processors/1/config/separator: must not be empty: it separates the names in a key; give one"
            + " no key holds, such as '.', '_' or ':'",
        "p.yaml: 2 problems"), r.err().lines().toList());
    assertEquals("", r.out());
  }

  @Test
  void aRecordWhoseKeysWouldCollideIsARecordErrorOfItsLineAndTheOthersAreWritten() throws IOException {
    write("in.jsonl", "{\"a\":{\"b\":1}}\n{\"a.b\":1,\"a\":{\"b\":2}}\n{\"a\":{\"b\":3}}\n");
    write("p.yaml", "wiz: 1\nname: p\nsource: { type: file, path: in.jsonl }\nprocessors:\n  - { id: flat, type: flatten }\n"
        + "sink: { type: file, path: out.csv, format: csv }\nrun: { onError: dead-letter }\n");
    CliHarness.Result r = wiz.run("-q", "run", "p.yaml");
    assertEquals(5, r.code(), r.toString());
    assertEquals("a.b\n1\n3\n", Files.readString(work.resolve("out.csv")));
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      Path dead = runs.findFirst().orElseThrow().resolve("dead-letter.jsonl");
      JsonNode letter = Json.mapper().readTree(Files.readAllLines(dead).get(0));
      assertEquals("flat", letter.path("processor").asText());
      assertEquals(2, letter.path("line").asInt());
      assertEquals("flatten: .\"a.b\" and .a.b would both be the key 'a.b': set a separator that no key of the record holds",
          letter.path("reason").asText());
    }
    write("fail.yaml", Files.readString(work.resolve("p.yaml")).replace("dead-letter", "fail").replace("out.csv", "f.csv"));
    CliHarness.Result fail = wiz.run("run", "fail.yaml");
    assertEquals(4, fail.code(), fail.toString());
    assertTrue(fail.err().startsWith("wiz: run failed: in.jsonl:2: processor 'flat' (flatten): flatten: .\"a.b\" and .a.b"
        + " would both be the key 'a.b'"), fail.err());
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code wiz validate} finds beyond the schemas: free jq names, and problems behind unset variables. */
class ValidateFindsMoreTest {
  private FileSystem fs;
  private Path work;
  private CliHarness wiz;

  @BeforeEach
  void setUp() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    work = Files.createDirectories(fs.getPath("/work"));
    wiz = new CliHarness(work);
    Files.createDirectories(work.resolve("data"));
    Files.writeString(work.resolve("data/events.jsonl"), "{\"id\":1}\n");
  }

  @AfterEach
  void tearDown() throws IOException {
    fs.close();
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(work.resolve(name), text);
  }

  @Test
  void anUndefinedJqVariableFailsValidationAtItsPositionAndTheRunNeverStarts() throws IOException {
    write("v1.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: data/events.jsonl }",
        "processors:",
        "  - id: d",
        "    type: filter",
        "    config: { where: '.id > 0 and $undefinedvar' }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "v1.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of(
        "v1.yaml:6:35: /processors/0/config/where: jq: $undefinedvar is not defined in '.id > 0 and $undefinedvar';"
            + " bind it first ('... as $undefinedvar | ...' or a function parameter), or write .undefinedvar for a"
            + " field of the record",
        "v1.yaml: 1 problem"), r.err().lines().toList());
    CliHarness.Result run = wiz.run("run", "v1.yaml");
    assertEquals(3, run.code(), run.toString());
    assertFalse(Files.exists(work.resolve(".wiz")), "nothing ran");
  }

  @Test
  void diagnosticsQuoteTheTextAsWrittenNeverTheValueFromTheEnvironment() throws IOException {
    wiz.env.put("API_TOKEN", "hunter2");
    wiz.env.put("SECRET", "topsecret");
    write("leak.yaml", String.join("\n",
        "wiz: 1",
        "source: { type: file, path: 'data/${SECRET}.jsonl' }",
        "processors:",
        "  - id: a",
        "    type: filter",
        "    config: { where: '.user == \"${API_TOKEN}\" and (' }",
        "  - id: b",
        "    type: filter",
        "    config: { where: '.a == 1 ${API_TOKEN}' }",
        "sink: { type: stdout }",
        ""));
    CliHarness.Result r = wiz.run("validate", "leak.yaml");
    assertEquals(3, r.code(), r.toString());
    List<String> lines = r.err().lines().toList();
    assertEquals("leak.yaml:6:51: /processors/0/config/where: jq syntax error at column 29: unexpected end of"
        + " expression in '.user == \"${API_TOKEN}\" and ('", lines.get(0));
    assertTrue(lines.get(1).startsWith("leak.yaml:9:31: /processors/1/config/where: jq syntax error at column 9:"
        + " unexpected <IDENTIFIER> \"${API_TOKEN}"), lines.get(1));
    assertFalse(r.err().contains("hunter2"), r.err());

    write("leak.yaml", "wiz: 1\nsource: { type: file, path: 'data/${SECRET}.jsonl' }\nsink: { type: stdout }\n");
    CliHarness.Result run = wiz.run("run", "leak.yaml");
    assertEquals(4, run.code(), run.toString());
    assertTrue(run.err().startsWith("leak.yaml:2:29: /source/path: no such file: 'data/${SECRET}.jsonl' (looked for"
        + " /work/data/${SECRET}.jsonl)"), run.err());
    assertFalse(run.err().contains("topsecret"), run.err());
  }

  private String writeAndName(String name, String text) throws IOException {
    write(name, text);
    return name;
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}

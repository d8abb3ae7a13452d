package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wiz graph}: the pipeline as dot, Mermaid or JSON. */
class GraphCommandTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: g",
      "source: { type: file, path: 'in \"x\".jsonl', format: jsonl }",
      "chunking: { records: 7 }",
      "processors:",
      "  - id: keep",
      "    type: filter",
      "    config: { where: '.s == \"a\\\\b\" and .n > 1 # <b>&`' }",
      "  - id: items",
      "    type: explode",
      "    config: { field: items }",
      "  - id: order",
      "    type: sort",
      "    config: { by: [{ key: .n }] }",
      "  - id: long",
      "    type: jq",
      "    config: { program: '{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12}' }",
      "sink: { type: stdout }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE);
  }

  @Test
  void dotByDefaultWithEscapedLabelsAndSerialAndForkingMarked() {
    CliHarness.Result r = wiz.run("graph", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err());
    assertEquals(String.join("\n",
        "digraph \"g\" {",
        "  rankdir=LR;",
        "  node [shape=box];",
        "  source [shape=cylinder, label=\"source: file\\nin \\\"x\\\".jsonl (jsonl)\"];",
        "  p1 [label=\"keep (filter)\\nwhere: .s == \\\"a\\\\\\\\b\\\" and .n > 1 # <b>&`\"];",
        "  p2 [shape=hexagon, label=\"items (explode)\\nfield: items\\nforks: child chunks\"];",
        "  p3 [peripheries=2, label=\"order (sort)\\nby: [{\\\"key\\\":\\\".n\\\"}]\\nserial: every chunk, in order\"];",
        "  p4 [label=\"long (jq)\\nprogram: {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8,...\"];",
        "  sink [shape=cylinder, label=\"sink: stdout\\njsonl\"];",
        "  source -> p1 [label=\"chunks of 7\"];",
        "  p1 -> p2;",
        "  p2 -> p3;",
        "  p3 -> p4;",
        "  p4 -> sink;",
        "}",
        ""), r.out());
    assertEquals(r.toString(), wiz.run("graph", "p.yaml", "--format", "dot").toString(), "the same every time");
  }

  @Test
  void mermaidWritesWhatItWouldReadAsSyntaxAsEntityCodes() {
    CliHarness.Result r = wiz.run("graph", "--format", "mermaid", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals(String.join("\n",
        "flowchart LR",
        "  source[(\"source: file<br/>in #quot;x#quot;.jsonl (jsonl)\")]",
        "  p1[\"keep (filter)<br/>where: .s == #quot;a\\\\b#quot; and .n #gt; 1 #35; #lt;b#gt;#amp;#96;\"]",
        "  p2{{\"items (explode)<br/>field: items<br/>forks: child chunks\"}}",
        "  p3[[\"order (sort)<br/>by: [{#quot;key#quot;:#quot;.n#quot;}]<br/>serial: every chunk, in order\"]]",
        "  p4[\"long (jq)<br/>program: {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8,...\"]",
        "  sink[(\"sink: stdout<br/>jsonl\")]",
        "  source -->|\"chunks of 7\"| p1",
        "  p1 --> p2",
        "  p2 --> p3",
        "  p3 --> p4",
        "  p4 --> sink",
        ""), r.out());
  }

  @Test
  void jsonHasTheNodesInOrderAndAnEdgeBetweenEachNeighbours() throws IOException {
    CliHarness.Result r = wiz.run("graph", "--format", "json", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    JsonNode g = Json.mapper().readTree(r.out());
    assertEquals(6, g.get("nodes").size());
    assertEquals("keep", g.at("/nodes/1/processor").asText());
    assertEquals("filter", g.at("/nodes/1/type").asText());
    assertTrue(g.at("/nodes/2/forks").asBoolean());
    assertTrue(g.at("/nodes/3/serial").asBoolean());
    assertEquals(false, g.at("/nodes/4/serial").asBoolean());
    assertEquals(5, g.get("edges").size());
    assertEquals("p4", g.at("/edges/4/from").asText());
    assertEquals("sink", g.at("/edges/4/to").asText());
  }

  @Test
  void anInvalidPipelineIsReportedAsValidateReportsItWithExit3() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("type: sort", "type: sortt").replace("records: 7", "records: 0"));
    CliHarness.Result r = wiz.run("graph", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("", r.out());
    CliHarness.Result validate = wiz.run("validate", "p.yaml");
    assertEquals(validate.err().substring(0, validate.err().lastIndexOf("p.yaml: 2 problems")), r.err());
    assertEquals(2, r.err().lines().count(), r.err());
  }

  @Test
  void anInvalidPipelineInJsonGivesValidatesArrayOnStdout() throws IOException {
    Files.writeString(work.resolve("p.yaml"), PIPELINE.replace("type: sort", "type: sortt"));
    CliHarness.Result r = wiz.run("graph", "p.yaml", "--format", "json");
    assertEquals(3, r.code(), r.toString());
    CliHarness.Result validate = wiz.run("validate", "p.yaml", "--format", "json");
    assertEquals(Json.mapper().readTree(validate.out()), Json.mapper().readTree(r.out()));
    assertEquals(1, Json.mapper().readTree(r.out()).size(), r.out());
    assertTrue(r.err().contains("unknown processor type 'sortt'"), "the text on stderr as ever: " + r);
  }

  @Test
  void aMissingFileIsAUsageError() {
    CliHarness.Result r = wiz.run("graph", "nope.yaml");
    assertEquals(2, r.code(), r.toString());
    assertEquals("wiz: nope.yaml: no such file\n", r.err());
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dwiz.measure.provenance=off}, which bench/run.sh uses to measure what provenance costs:
 * the output is the same, the log is empty, and wiz says so even with {@code -q}. (A system
 * property read once per JVM, so the run is a process of its own.)
 */
class MeasureWithoutProvenanceTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: measure",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 3 }",
      "processors:",
      "  - { id: ok, type: filter, config: { where: '.n % 2 == 0' } }",
      "  - { id: shape, type: jq, config: { program: '{n, twice: (.n * 2)}' } }",
      "sink: { type: file, path: out.jsonl }",
      "");

  private static Path setUp(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("p.yaml"), PIPELINE);
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 10; i++) in.append("{\"n\": ").append(i).append("}\n");
    Files.writeString(dir.resolve("in.jsonl"), in);
    return dir;
  }

  private static String[] run(Path dir, String... jvm) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of(jvm));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.wiz.cli.Main", "-q", "run", "p.yaml"));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends");
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  private static Path onlyRun(Path dir) throws IOException {
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      return runs.findFirst().orElseThrow();
    }
  }

  @Test
  void sameOutputNoEventsAndItIsSaid(@TempDir Path tmp) throws Exception {
    Path with = setUp(tmp.resolve("with"));
    Path without = setUp(tmp.resolve("without"));
    String[] a = run(with);
    String[] b = run(without, "-Dwiz.measure.provenance=off");
    assertEquals("0", a[0], a[1]);
    assertEquals("0", b[0], b[1]);
    assertEquals("", a[1], "-q: nothing said normally");
    assertTrue(b[1].contains("measuring without provenance") && b[1].contains("cannot be shown, verified or resumed"), b[1]);

    assertArrayEquals(Files.readAllBytes(with.resolve("out.jsonl")), Files.readAllBytes(without.resolve("out.jsonl")));
    assertEquals("{\"n\":0,\"twice\":0}", Files.readAllLines(with.resolve("out.jsonl")).get(0));

    List<String> events = Files.readAllLines(onlyRun(with).resolve("provenance.jsonl"));
    assertTrue(events.size() > 10, "a normal run logs its events: " + events.size());
    JsonNode create = Json.mapper().readTree(events.stream().filter(l -> l.contains("\"CREATE\"")).findFirst().orElseThrow());
    assertTrue(create.get("inputDigest").asText().startsWith("sha256:"), create.toString());
    assertEquals(0, Files.size(onlyRun(without).resolve("provenance.jsonl")), "no events when measuring without");
  }
}

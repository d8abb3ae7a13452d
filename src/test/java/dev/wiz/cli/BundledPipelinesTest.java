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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pipeline under pipelines/ is validated and run, so the examples never rot. */
class BundledPipelinesTest {
  private static final Path PIPELINES = Path.of(System.getProperty("basedir", "."), "pipelines");

  static List<String> pipelines() throws IOException {
    try (Stream<Path> s = Files.list(PIPELINES)) {
      List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
      assertFalse(names.isEmpty(), "no pipelines found under " + PIPELINES.toAbsolutePath());
      return names;
    }
  }

  /** A copy of pipelines/ on an in-memory file system, so a run writes nothing into the repo. */
  private static Path copy(FileSystem fs) throws IOException {
    Path target = fs.getPath("/repo/pipelines");
    try (Stream<Path> walk = Files.walk(PIPELINES)) {
      for (Path p : walk.toList()) {
        String rel = PIPELINES.relativize(p).toString();
        if (rel.startsWith(".wiz") || rel.startsWith("out")) continue;
        Path t = rel.isEmpty() ? target : target.resolve(rel);
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.write(t, Files.readAllBytes(p));
      }
    }
    return target;
  }

  /** What each bundled pipeline gives on its bundled input: exit code and record counts. */
  record Expected(int exit, long read, long written, long deadLettered) {}

  private static final java.util.Map<String, Expected> EXPECTED = java.util.Map.of(
      "quickstart.yaml", new Expected(0, 500, 351, 0),
      "paying-customers.yaml", new Expected(0, 8, 6, 0),
      // 8 countries, sorted by revenue
      "country-report.yaml", new Expected(0, 500, 8, 0),
      // flattened into a csv file: every event, with its tags in columns
      "events-to-csv.yaml", new Expected(0, 500, 500, 0),
      // 42 rows: 2 duplicates dropped, an age of "forty" and a 31 February dead-lettered
      "clean-customers.yaml", new Expected(5, 42, 38, 2),
      // the 392 successful events, each with its country's name, region and currency from data/countries.csv
      "enrich-events.yaml", new Expected(0, 500, 392, 0));

  /**
   * Every record is accounted for: per processor, in + created = out + filtered + skipped +
   * dead-lettered; each processor takes in what the one before gave out; and in total, read +
   * created = written + filtered + skipped + dead-lettered.
   */
  static void assertAccountsBalance(com.fasterxml.jackson.databind.JsonNode s) {
    long previousOut = s.get("read").asLong();
    for (com.fasterxml.jackson.databind.JsonNode p : s.get("processors")) {
      String id = p.get("id").asText();
      assertEquals(previousOut, p.get("in").asLong(), id + " takes in what came before it: " + s);
      assertEquals(p.get("in").asLong() + p.get("created").asLong(),
          p.get("out").asLong() + p.get("filtered").asLong() + p.get("skipped").asLong() + p.get("deadLettered").asLong(),
          id + " balances: " + p);
      previousOut = p.get("out").asLong();
    }
    assertEquals(previousOut, s.get("written").asLong(), "the last processor's output is what was written: " + s);
    assertEquals(s.get("read").asLong() + s.get("decodeErrors").asLong() + s.get("created").asLong(),
        s.get("written").asLong() + s.get("filtered").asLong() + s.get("skipped").asLong() + s.get("deadLettered").asLong(),
        "the run balances: " + s);
  }

  @ParameterizedTest
  @MethodSource("pipelines")
  void bundledPipelineValidatesAndRuns(String name) throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = copy(fs);
      CliHarness wiz = new CliHarness(dir.getParent());
      CliHarness.Result v = wiz.run("validate", "pipelines/" + name);
      assertEquals(0, v.code(), v.toString());
      CliHarness.Result r = wiz.run("run", "pipelines/" + name, "--format", "json");
      Expected want = EXPECTED.get(name);
      assertTrue(want != null, "add what " + name + " gives to EXPECTED");
      assertEquals(want.exit(), r.code(), r.toString());
      com.fasterxml.jackson.databind.JsonNode summary = dev.wiz.Json.mapper().readTree(r.out());
      assertEquals(want.read(), summary.get("read").asLong(), r.toString());
      assertEquals(want.written(), summary.get("written").asLong(), r.toString());
      assertEquals(want.deadLettered(), summary.get("deadLettered").asLong(), r.toString());
      assertAccountsBalance(summary);
      assertTrue(Files.isDirectory(dir.resolve(".wiz/runs")), "the run left its record next to the pipeline");
    }
  }
}

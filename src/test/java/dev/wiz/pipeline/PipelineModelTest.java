package dev.wiz.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineModelTest {
  private static Pipeline load(String yaml) throws Exception {
    LocatedTree tree = new YamlLoader(LoadLimits.defaults(), Map.<String, String>of()::get).parse(yaml, "p.yaml");
    return Pipeline.from(Path.of("/pipes/My Pipeline.yaml"), tree);
  }

  @Test
  void theWorkerCountIsNotPartOfTheWorkItsIdentityOrItsChunkIds() throws Exception {
    String base = "wiz: 1\nsource: {type: stdin}\nsink: {type: stdout}\nprocessors: []\n";
    byte[] two = load(base + "run: {workers: 2, seed: 7}\n").canonicalBytes();
    byte[] eight = load(base + "run: {workers: 8, seed: 7}\n").canonicalBytes();
    byte[] otherSeed = load(base + "run: {workers: 8, seed: 8}\n").canonicalBytes();
    org.junit.jupiter.api.Assertions.assertArrayEquals(two, eight);
    org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(eight, otherSeed));
  }

  @Test
  void defaultsFillWhatTheFileLeavesOut() throws Exception {
    Pipeline p = load("wiz: 1\nsource: {type: stdin}\nsink: {type: stdout}\nprocessors:\n  - {id: a, type: jq, config: {program: .}}\n");
    assertEquals("my-pipeline", p.name());
    assertEquals(Pipeline.DEFAULT_CHUNK_RECORDS, p.chunkRecords());
    assertEquals(new RunSettings(0, OnError.FAIL, 3, 3, 0), p.run());
    assertEquals(0, p.processors().get(0).poolSize());
    assertEquals(Path.of("/pipes"), p.baseDir());
  }

  @Test
  void theFileSettingsAndThePoolModelAreRead() throws Exception {
    Pipeline p = load("wiz: 1\nname: x\nsource: {type: stdin}\nsink: {type: stdout}\nchunking: {records: 7}\n"
        + "processors:\n  - {id: a, type: jq, workers: {model: pool, size: 2}}\n  - {id: b, type: jq, workers: {model: pool}}\n"
        + "run: {workers: 3, onError: dead-letter, maxAttempts: 5, maxFailures: 2, seed: 9}\n");
    assertEquals("x", p.name());
    assertEquals(7, p.chunkRecords());
    assertEquals(new RunSettings(3, OnError.DEAD_LETTER, 5, 2, 9), p.run());
    assertEquals(2, p.processors().get(0).poolSize());
    assertEquals(-1, p.processors().get(1).poolSize(), "a pool without a size has one instance per worker");
    assertEquals("{}", p.processors().get(0).config().toString());
  }
}

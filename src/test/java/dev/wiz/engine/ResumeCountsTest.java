package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** --resume of a resumed run finds the counts of each chunk it takes over among the earlier run's. */
class ResumeCountsTest {

  private static List<String> keys(List<Map.Entry<String, Integer>> entries) {
    return entries.stream().map(Map.Entry::getKey).sorted().collect(Collectors.toList());
  }

  @Test
  void aChunkIsGroupedWithWhatItForkedIntoAndNothingElse() {
    Map<String, Integer> values = new TreeMap<>();
    for (String id : List.of("my.pipe-0a1b2c3d-000001", "my.pipe-0a1b2c3d-000001.0", "my.pipe-0a1b2c3d-000001.1.2",
        "my.pipe-0a1b2c3d-000010", "my.pipe-0a1b2c3d-0000011", "my.pipe-0a1b2c3d-000010.0")) {
      values.put(id, id.length());
    }
    Map<String, List<Map.Entry<String, Integer>>> grouped = RunService.byChunk(values);
    assertEquals(List.of("my.pipe-0a1b2c3d-000001", "my.pipe-0a1b2c3d-000001.0", "my.pipe-0a1b2c3d-000001.1.2"),
        keys(grouped.get("my.pipe-0a1b2c3d-000001")));
    assertEquals(List.of("my.pipe-0a1b2c3d-000010", "my.pipe-0a1b2c3d-000010.0"), keys(grouped.get("my.pipe-0a1b2c3d-000010")));
    assertEquals(List.of("my.pipe-0a1b2c3d-0000011"), keys(grouped.get("my.pipe-0a1b2c3d-0000011")));
    assertEquals(3, grouped.size());
  }

  @Test
  void theChunksOfALargeRunAreGroupedInOnePass() {
    // 200,000 chunks (20 million records in chunks of 100): looking at every chunk for each took
    // minutes; grouping them takes well under a second.
    Map<String, Integer> values = new java.util.HashMap<>();
    for (int i = 0; i < 200_000; i++) values.put(Engine.chunkId("p-0a1b2c3d", i), i);
    Map<String, List<Map.Entry<String, Integer>>> grouped =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> RunService.byChunk(values));
    assertEquals(200_000, grouped.size());
    assertEquals(List.of(Engine.chunkId("p-0a1b2c3d", 1234)), keys(grouped.get(Engine.chunkId("p-0a1b2c3d", 1234))));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.records;
import static dev.wiz.processors.Harness.runChunks;
import static dev.wiz.processors.Harness.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitTest {
  private final LimitFactory limit = new LimitFactory();

  @Test
  void passesTheFirstRecordsAcrossChunksInOrder() throws Exception {
    List<String> out = strings(runChunks(limit, "{\"count\":3}", new Ctx(),
        List.of(records("1", "2"), records(), records("3", "4"), records("5"))));
    assertEquals(List.of("1", "2", "3"), out);
  }

  @Test
  void countZeroPassesNothingAndALargeCountPassesAll() throws Exception {
    assertEquals(List.of(), strings(runChunks(limit, "{\"count\":0}", new Ctx(), List.of(records("1", "2")))));
    assertEquals(List.of("1", "2"),
        strings(runChunks(limit, "{\"count\":9223372036854775807}", new Ctx(), List.of(records("1"), records("2")))));
  }

  @Test
  void aCountBeyond64BitsPassesAllAndNotItsLow64Bits() throws Exception {
    assertEquals(List.of(), ConfigValidation.problems("limit", "{count: 1e20}"));
    assertEquals(List.of(), ConfigValidation.problems("limit", "{count: 18446744073709551617}"));
    for (String count : List.of("1e20", "18446744073709551617", "99999999999999999999999")) {
      assertEquals(List.of("1", "2", "3"),
          strings(runChunks(limit, "{\"count\":" + count + "}", new Ctx(), List.of(records("1", "2"), records("3")))), count);
    }
    assertEquals(List.of("1", "2"), strings(runChunks(limit, "{\"count\":2.0}", new Ctx(), List.of(records("1", "2", "3")))));
  }

  @Test
  void theLimitFallsExactlyOnAChunkBoundary() throws Exception {
    assertEquals(List.of("1", "2"),
        strings(runChunks(limit, "{\"count\":2}", new Ctx(), List.of(records("1", "2"), records("3")))));
  }

  @Test
  void recordsAreNeverLookedIntoNorChanged() throws Exception {
    String huge = "\"" + "ü".repeat(100_000) + "\"";
    List<String> out = strings(runChunks(limit, "{\"count\":4}", new Ctx(),
        List.of(records("null", "{}", huge, "123456789012345678901234567890", "{\"a\":1}"))));
    assertEquals(List.of("null", "{}", huge, "123456789012345678901234567890"), out);
  }

  @Test
  void oneInstanceSeesEverything() {
    assertFalse(limit.loadBalance());
    assertFalse(limit.needsSeed());
  }

  @Test
  void negativeOrFractionalCountsAreSchemaErrors() throws Exception {
    assertEquals(List.of(), ConfigValidation.problems("limit", "{count: 0}"));
    assertEquals(1, ConfigValidation.problems("limit", "{count: -1}").size());
    assertEquals(1, ConfigValidation.problems("limit", "{count: 1.5}").size());
    assertTrue(ConfigValidation.problems("limit", "{}").get(0).contains("count"));
  }

  /** Whether the instance passes no more after each chunk of sizes {@code sizes} (the first entry: once started). */
  private List<Boolean> fullAfter(String config, int... sizes) throws Exception {
    List<Boolean> full = new java.util.ArrayList<>();
    try (Processor p = limit.prepare(Harness.json(config), Harness.SETUP).get()) {
      p.init(new Ctx());
      full.add(p.passesNoMore());
      int n = 0;
      for (int i = 0; i < sizes.length; i++) {
        List<com.fasterxml.jackson.databind.JsonNode> rs = new java.util.ArrayList<>();
        for (int k = 0; k < sizes[i]; k++) rs.addAll(records(String.valueOf(n++)));
        p.process(new Chunk("c" + i, i, rs, 0));
        full.add(p.passesNoMore());
      }
    }
    return full;
  }

  @Test
  void passesNoMoreOnceItPassedItsCountSoTheReadingCanStop() throws Exception {
    assertEquals(List.of(false, false, false, true, true), fullAfter("{\"count\":5}", 2, 0, 3, 4));
    assertEquals(List.of(false, false, true), fullAfter("{\"count\":5}", 4, 9));
    // count 0 passes nothing from the start: nothing need be read.
    assertEquals(List.of(true, true), fullAfter("{\"count\":0}", 3));
    assertEquals(List.of(false, false), fullAfter("{\"count\":1e20}", 1000));
  }

  @Test
  void readAllKeepsTheReadingGoingToTheEnd() throws Exception {
    assertEquals(List.of(false, false, false), fullAfter("{\"count\":2,\"readAll\":true}", 3, 3));
    assertEquals(List.of(false, false), fullAfter("{\"count\":0,\"readAll\":true}", 3));
    assertEquals(List.of(false, false, true), fullAfter("{\"count\":2,\"readAll\":false}", 1, 1));
    // The records it passes are the same either way.
    assertEquals(List.of("1", "2"), strings(runChunks(limit, "{\"count\":2,\"readAll\":true}", new Ctx(),
        List.of(records("1"), records("2", "3"), records("4")))));
    assertEquals(List.of(), ConfigValidation.problems("limit", "{count: 2, readAll: true}"));
    assertEquals(1, ConfigValidation.problems("limit", "{count: 2, readAll: yes please}").size());
  }
}

package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.wiz.processor.Chunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A step's filtered and created, per record, from which input record each output was made. */
class RecordCountsTest {
  private static List<JsonNode> records(int n) {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(IntNode.valueOf(1000 + i));
    return out;
  }

  private static Chunk in(List<JsonNode> records) {
    return new Chunk("c", 0, records, 0);
  }

  private static long[] counts(List<JsonNode> in, int[] from, int rejected) {
    return RecordCounts.filteredCreated(in, in(in).withRecords(records(from.length), from), rejected);
  }

  @Test
  void eachInputRecordIsCountedByHowManyRecordsItGave() {
    List<JsonNode> in = records(4);
    // 0 gave two, 1 none, 2 one, 3 three: 1 filtered, 1 + 2 created.
    assertArrayEquals(new long[] {1, 3}, counts(in, new int[] {0, 0, 2, 3, 3, 3}, 0));
    assertArrayEquals(new long[] {4, 0}, counts(in, new int[] {}, 0), "none out: all filtered");
    assertArrayEquals(new long[] {0, 0}, counts(in, new int[] {0, 1, 2, 3}, 0), "one each");
  }

  @Test
  void theSameInAnyOrderAndWithRecordsMadeOfNone() {
    List<JsonNode> in = records(4);
    assertArrayEquals(new long[] {1, 3}, counts(in, new int[] {3, 0, 3, 2, 0, 3}, 0), "out of order");
    // Two records made of none (-1) are created; 1 and 3 gave none.
    assertArrayEquals(new long[] {2, 2}, counts(in, new int[] {-1, 0, 2, -1}, 0));
  }

  @Test
  void rejectedRecordsAreNeitherFilteredNorCreated() {
    List<JsonNode> in = records(4);
    // 1 and 3 gave none, one of them rejected: 1 filtered; 0 gave two: 1 created.
    assertArrayEquals(new long[] {1, 1}, counts(in, new int[] {0, 0, 2}, 1));
    // Both rejected, and one of them still gave a record: that record counts as created.
    assertArrayEquals(new long[] {0, 1}, counts(in, new int[] {0, 1, 2}, 2));
  }

  @Test
  void aStepThatDoesNotSayIsCountedByItsNetAndOneThatPassesItsChunkOnByNothing() {
    List<JsonNode> in = records(4);
    assertArrayEquals(new long[] {1, 0}, RecordCounts.filteredCreated(in, in(in).withRecords(records(3)), 0));
    assertArrayEquals(new long[] {0, 2}, RecordCounts.filteredCreated(in, in(in).withRecords(records(6)), 0));
    assertArrayEquals(new long[] {0, 0}, RecordCounts.filteredCreated(in, in(in), 0));
    // Every output tied to no input record (exec's stream): by the net too, not 4 filtered, 4 created.
    assertArrayEquals(new long[] {0, 0}, counts(in, new int[] {-1, -1, -1, -1}, 0));
    assertArrayEquals(new long[] {2, 0}, counts(in, new int[] {-1, -1}, 0));
  }
}

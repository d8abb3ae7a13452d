package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How each record keeps the line it was read from through the steps, or loses it. */
class InputLinesTest {
  private static final JsonNode NULL = NullNode.getInstance();
  private final JsonNode a = record("a");
  private final JsonNode b = record("b");
  private final JsonNode c = record("c");

  private static JsonNode record(String name) {
    return Json.mapper().createObjectNode().put("name", name);
  }

  private static Chunk given(List<JsonNode> in) {
    return new Chunk("t-000000", 0, in, 0);
  }

  @Test
  void aRecordGetsTheLineOfTheInputRecordItsStepSaysItWasMadeFrom() {
    List<JsonNode> in = List.of(a, b, c);
    int[] lines = {0, 3, 5};
    Chunk out = given(in).withRecords(List.of(record("x"), record("y"), record("z"), record("w")), new int[] {2, -1, 0, 0});
    assertArrayEquals(new int[] {5, -1, 0, 0}, InputLines.after(lines, in, out));
    assertNull(InputLines.after(lines, in, given(in).withRecords(List.of(record("x")), new int[] {-1})),
        "no line known: none kept");
    assertNull(InputLines.after(null, in, given(in).withRecords(List.of(a), new int[] {0})));
    assertNull(InputLines.after(lines, in, given(in).withRecords(List.of(), new int[0])), "an empty output");
  }

  @Test
  void aStepThatDoesNotSayKeepsTheLinesOfTheInputRecordsItPassesOnButNotOfSharedOnes() {
    List<JsonNode> in = List.of(a, NULL, b, NULL);
    int[] lines = {0, 1, 2, 3};
    Chunk out = given(in).withRecords(List.of(b, NULL, record("new"), a));
    assertArrayEquals(new int[] {2, -1, -1, 0}, InputLines.after(lines, in, out),
        "null is on two lines: which one passed cannot be told");
    assertSame(lines, InputLines.after(lines, in, given(in)), "the chunk passed on as it was");
  }

  @Test
  void rejectionsOfASharedConstantAreToldApartOnlyWhenEveryOneWasRejected() {
    List<JsonNode> in = List.of(NULL, a, NULL);
    int[] lines = {0, 4, 9};
    RecordRejection nul = new RecordRejection(NULL, "null");
    RecordRejection ofA = new RecordRejection(a, "a");
    assertArrayEquals(new int[] {4, -1}, InputLines.ofRejected(lines, in, List.of(ofA, nul)));
    assertArrayEquals(new int[] {0, 4, 9}, InputLines.ofRejected(lines, in, List.of(nul, ofA, nul)));
    assertArrayEquals(new int[] {-1}, InputLines.ofRejected(lines, in, List.of(new RecordRejection(record("a"), "a copy"))),
        "a record that is not one of the input's has no line");
    assertArrayEquals(new int[] {-1, -1}, InputLines.ofRejected(null, in, List.of(ofA, nul)));
  }
}

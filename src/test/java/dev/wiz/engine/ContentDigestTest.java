package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.io.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentDigestTest {
  /** Records decoded from the given lines (as a line format decoder would), with their bytes. */
  private static ContentDigest decodedFrom(List<String> lines, List<JsonNode> records) throws Exception {
    StringBuilder text = new StringBuilder();
    int[] start = new int[lines.size()];
    int[] end = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      start[i] = text.toString().getBytes(StandardCharsets.UTF_8).length;
      text.append(lines.get(i));
      end[i] = text.toString().getBytes(StandardCharsets.UTF_8).length;
      text.append("\r\n");
      records.add(Json.mapper().readTree(lines.get(i)));
    }
    return new ContentDigest(records, new Decoded.Lines(text.toString().getBytes(StandardCharsets.UTF_8), start, end));
  }

  private static String sha(String text) {
    return Json.digest(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unchangedRecordsAreTheirLinesAsRead() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 100; i++) lines.add("{ \"i\" : " + i + ".0 , \"s\":\"\\u00e9\" }");
    List<JsonNode> records = new ArrayList<>();
    ContentDigest d = decodedFrom(lines, records);

    assertEquals(sha(String.join("\n", lines) + "\n"), d.of(records));

    // A filter: short gaps, then a gap longer than the look-ahead, then the tail.
    List<JsonNode> kept = new ArrayList<>();
    StringBuilder want = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      if (i % 3 == 1 || (i > 40 && i < 80)) continue;
      kept.add(records.get(i));
      want.append(lines.get(i)).append('\n');
    }
    assertEquals(sha(want.toString()), d.of(kept));
    assertEquals(sha(""), d.of(List.of()));
  }

  @Test
  void linesLongerThanTheDigestBlockAndManyBlocks() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      lines.add("{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i == 7 ? 70_000 : 900 + i) + "\"}");
    }
    List<JsonNode> records = new ArrayList<>();
    ContentDigest d = decodedFrom(lines, records);
    List<JsonNode> mixed = new ArrayList<>(records);
    JsonNode fresh = Json.mapper().readTree("{\"new\":true}");
    mixed.add(150, fresh);
    mixed.add(0, fresh);
    StringBuilder want = new StringBuilder("{\"new\":true}\n");
    for (int i = 0; i < 300; i++) {
      if (i == 150) want.append("{\"new\":true}\n");
      want.append(lines.get(i)).append('\n');
    }
    want.append("");
    assertEquals(sha(want.toString()), d.of(mixed));
  }

  @Test
  void changedOrNewRecordsAreTheirCompactJsonInOrderWithTheOthers() throws Exception {
    List<JsonNode> records = new ArrayList<>();
    ContentDigest d = decodedFrom(List.of("{\"a\": 1}", "[1, 2]", " \"x\" "), records);
    JsonNode fresh = Json.mapper().readTree("{\"b\" : [ 2 ]}");
    List<JsonNode> mixed = List.of(records.get(2), fresh, records.get(0), fresh, records.get(2));
    assertEquals(sha(" \"x\" \n{\"b\":[2]}\n{\"a\": 1}\n{\"b\":[2]}\n \"x\" \n"), d.of(mixed));

    // An equal value made anew is digested as JSON, not as the line it equals.
    JsonNode equal = Json.mapper().readTree("{\"a\":1}");
    assertEquals(records.get(0), equal);
    assertNotEquals(d.of(List.of(records.get(0))), d.of(List.of(equal)));
    assertEquals(sha("{\"a\":1}\n"), d.of(List.of(equal)));
  }

  @Test
  void withoutLinesEveryRecordIsItsCompactJson() throws Exception {
    List<JsonNode> records = List.of(Json.mapper().readTree("{\"z\": 1, \"a\": \"\u00e9\"}"), Json.mapper().readTree("3"));
    assertEquals(Json.digestLines(records), ContentDigest.NONE.of(records));
    assertEquals(sha("{\"z\":1,\"a\":\"\u00e9\"}\n3\n"), ContentDigest.NONE.of(records));
  }
}

package dev.wiz.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wiz.Json;
import dev.wiz.engine.RunReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state files' streaming writers and readers against databind, which wrote and read them
 * before and still reads whatever they decline: the same bytes written, the same records read.
 */
class StateJsonTest {
  private static final ObjectMapper DATABIND = Json.mapper();

  private static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  /** Records with every field set, every nullable field null, and awkward values. */
  private static List<RunRecord> runRecords() {
    List<RunRecord> all = new ArrayList<>();
    all.add(new RunRecord(RunRecord.SCHEMA, "r1", "sha256:k", "success", null,
        new RunRecord.PipelineInfo("/p.yaml", "p", "sha256:d"), map("wiz", "0.1.0", "java", "17"), "2026-11-23T10:00:00Z",
        "2026-11-23T10:00:02Z", 2.5, 2, 10000, "fail", 42, 1234,
        List.of(new RunRecord.Input("in", "/data/in.jsonl", 120_317_682L, 1_764_000_000_000L)),
        new RunRecord.Output("/out.jsonl", 60_000_000L, 719_039L), map("HOME", "/root"),
        new RunRecord.Counts(100, 1_000_000, 3, 719_039, 2, 1),
        List.of(new RunReport.StepCounts("keep-ok", "filter", 100, 1_000_000, 719_039, 280_961, 0, 0, 0, 812),
            new RunReport.StepCounts("shape", "jq", 100, 719_039, 719_039, 0, 0, 0, 0, 900)),
        new RunRecord.ProvenanceInfo("provenance.jsonl", 1600, "sha256:h", "dead-letters.jsonl"),
        new RunRecord.Resumed("r0", 12, 7), ".out.jsonl.r1.tmp",
        new RunReport.ReadStop("first-ten", "p-0123abcd-000002", "data/in.jsonl", 30_000, 30_000),
        List.of(new RunRecord.Reference("users", "data/users.csv", "/data/users.csv", 47, "sha256:f", 3))));
    all.add(new RunRecord(RunRecord.SCHEMA, "r2", "k", "running", null, new RunRecord.PipelineInfo("p", "n", null), null,
        "t", null, null, 0, 0, null, 0, 0, List.of(), null, null, null, null, null, null));
    all.add(new RunRecord(RunRecord.SCHEMA, "r3", "", "failed", "boom: \"quoted\" \\ \u00e9\u4e2d\ud83d\ude00 \n\t\u0001",
        new RunRecord.PipelineInfo("", "", ""), map("", "", "k\"ey", null), "", "", 0.1, -1, Integer.MAX_VALUE, "",
        Long.MIN_VALUE, Long.MAX_VALUE, List.of(new RunRecord.Input("", null, -1, 0)),
        new RunRecord.Output(null, 0, 0), map(), new RunRecord.Counts(0, 0, 0, 0, 0, 0), List.of(),
        new RunRecord.ProvenanceInfo(null, 0, null, null), new RunRecord.Resumed(null, 0, 0), "",
        new RunReport.ReadStop("", null, null, 0, 0), List.of()));
    all.add(new RunRecord(RunRecord.SCHEMA, "r4", "k", "success", null, new RunRecord.PipelineInfo("p", "n", "d"), map(),
        "t", "e", 1e21, 1, 1, "skip", 1, 1, List.of(), null, null, null, null, null, null));
    all.add(new RunRecord(RunRecord.SCHEMA, "r5", "k", "success", null, new RunRecord.PipelineInfo("p", "n", "d"), map(),
        "t", "e", 123456.789e-10, 1, 1, "skip", 1, 1, List.of(), null, null, null, null, null, null));
    all.add(new RunRecord(RunRecord.SCHEMA, "r6", "k", "success", null, new RunRecord.PipelineInfo("p", "n", "d"), map(),
        "t", "e", 1.0, 1, 1, "skip", 1, 1, List.of(),
        new RunRecord.Output("/out.jsonl.gz", 10_135_207L, 719_039L, new RunRecord.Text(60_455_659L, "sha256:b8ae")),
        null, null, null, null, null));
    all.add(new RunRecord(RunRecord.SCHEMA, "r7", "k", "success", null, new RunRecord.PipelineInfo("p", "n", "d"), map(),
        "t", "e", 1.0, 1, 1, "skip", 1, 1, List.of(), null, null, null, null, null, null, null, null,
        List.of(new RunRecord.Reference("users", "data/users.csv", "/data/users.csv", 47, "sha256:f", 3),
            new RunRecord.Reference("countries", "c.jsonl", null, 0, "sha256:0", 0))));
    return all;
  }

  private static List<RequestRecord> requestRecords() {
    return List.of(
        new RequestRecord(RequestRecord.SCHEMA, "sha256:k", "/p.yaml", "success", List.of(
            new RequestRecord.Attempt("r1", "failed", "2026-11-23T10:00:00Z", "2026-11-23T10:00:01Z", "boom"),
            new RequestRecord.Attempt("r2", "success", "2026-11-23T10:00:02Z", "2026-11-23T10:00:03Z", null, true))),
        new RequestRecord(RequestRecord.SCHEMA, "k", null, "running", List.of(
            new RequestRecord.Attempt("r3", "running", null, null, null),
            new RequestRecord.Attempt("r4", "crashed", "", "", "", false),
            new RequestRecord.Attempt("r5", "failed", "s", "e", "line\nbreak \u00e9"))),
        new RequestRecord(RequestRecord.SCHEMA, "", "", "", List.of()));
  }

  @Test
  void recordsAreWrittenAsDatabindWritesThem() throws Exception {
    for (RunRecord r : runRecords()) {
      assertEquals(DATABIND.writerWithDefaultPrettyPrinter().writeValueAsString(r), StateJson.pretty(r), r.runId());
    }
    for (RequestRecord r : requestRecords()) {
      assertEquals(DATABIND.writerWithDefaultPrettyPrinter().writeValueAsString(r), StateJson.pretty(r), r.key());
    }
    for (RequestLock.Holder h : List.of(new RequestLock.Holder("r1", 1234, "2026-11-23T10:00:00Z"),
        new RequestLock.Holder("r-2", Long.MAX_VALUE, ""))) {
      assertArrayEquals(DATABIND.writeValueAsBytes(h), StateJson.compact(h), h.toString());
    }
  }

  @Test
  void whatTheyWriteIsReadBackAsDatabindReadsIt() throws Exception {
    for (RunRecord r : runRecords()) {
      byte[] bytes = StateJson.pretty(r).getBytes(StandardCharsets.UTF_8);
      RunRecord read = StateJson.read(bytes, RunRecord.class);
      assertNotNull(read, r.runId());
      assertEquals(DATABIND.readValue(bytes, RunRecord.class), read, r.runId());
      assertEquals(r, read, r.runId());
      assertEquals(StateJson.pretty(r), StateJson.pretty(read), "the map's order is kept: " + r.runId());
    }
    for (RequestRecord r : requestRecords()) {
      byte[] bytes = StateJson.pretty(r).getBytes(StandardCharsets.UTF_8);
      assertEquals(DATABIND.readValue(bytes, RequestRecord.class), StateJson.read(bytes, RequestRecord.class), r.key());
    }
    RequestLock.Holder h = new RequestLock.Holder("r1", 99, "2026-11-23T10:00:00Z");
    assertEquals(h, StateJson.read(StateJson.compact(h), RequestLock.Holder.class));
  }

  @Test
  void missingFieldsAndExplicitNullsAreReadAsDatabindReadsThem() throws Exception {
    for (String json : List.of(
        "{\"schema\":1,\"runId\":\"a\",\"requestKey\":\"k\",\"status\":\"s\",\"pipeline\":{\"file\":\"f\",\"name\":\"n\"},"
            + "\"startedAt\":\"t\",\"inputs\":[]}",
        "{\"schema\":1,\"runId\":\"a\",\"requestKey\":\"k\",\"status\":\"s\",\"error\":null,\"pipeline\":{\"file\":\"f\","
            + "\"name\":\"n\",\"digest\":null},\"versions\":null,\"startedAt\":\"t\",\"seconds\":null,\"inputs\":[{\"name\":\"i\"}],"
            + "\"counts\":{},\"processors\":[{}],\"output\":null,\"environment\":{\"A\":null},\"resumed\":{}}",
        "  {\"schema\":1,\"runId\":\"a\",\"requestKey\":\"k\",\"status\":\"s\",\"pipeline\":{\"file\":\"f\",\"name\":\"n\"},"
            + "\"startedAt\":\"t\",\"inputs\":[],\"seconds\":3}\n\n")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      RunRecord fast = StateJson.read(bytes, RunRecord.class);
      assertNotNull(fast, json);
      assertEquals(DATABIND.readValue(bytes, RunRecord.class), fast, json);
    }
    byte[] attempt = "{\"schema\":1,\"key\":\"k\",\"status\":\"s\",\"attempts\":[{\"runId\":\"a\",\"status\":\"x\",\"forced\":false}]}"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(DATABIND.readValue(attempt, RequestRecord.class), StateJson.read(attempt, RequestRecord.class));
  }

  /** Anything but what wiz writes is left to databind, which accepts it or says what is wrong. */
  @Test
  void anythingElseIsDeclined() {
    String good = "{\"schema\":1,\"key\":\"k\",\"pipeline\":\"p\",\"status\":\"s\",\"attempts\":[]}";
    assertNotNull(StateJson.read(good.getBytes(StandardCharsets.UTF_8), RequestRecord.class));
    for (String json : List.of("", "null", "[]", "{}", "{", good + " x", good + good,
        good.replace("\"schema\":1", "\"schema\":\"1\""), good.replace("\"schema\":1", "\"schema\":1.0"),
        good.replace("\"schema\":1", "\"schema\":2"), good.replace("\"schema\":1", "\"schema\":4294967297"),
        good.replace("\"key\":\"k\"", "\"key\":5"), good.replace("\"key\":\"k\"", "\"key\":null"),
        good.replace("\"key\":\"k\"", "\"key\":\"k\",\"key\":\"k\""), good.replace("\"key\":\"k\"", "\"extra\":1"),
        good.replace("[]", "{}"), good.replace("[]", "[null]"), good.replace("[]", "[{\"runId\":\"a\"}]"),
        good.replace("[]", "[{\"runId\":\"a\",\"status\":\"s\",\"forced\":\"yes\"}]"),
        good.replace("[]", "[{\"runId\":\"a\",\"status\":\"s\",\"other\":1}]"))) {
      assertNull(StateJson.read(json.getBytes(StandardCharsets.UTF_8), RequestRecord.class), json);
    }
    assertNull(StateJson.read("{\"runId\":\"../x\",\"pid\":1,\"startedAt\":\"t\"}".getBytes(StandardCharsets.UTF_8),
        RequestLock.Holder.class), "a holder's own check refuses it");
    assertNull(StateJson.read("{\"runId\":\"a\",\"pid\":1.5,\"startedAt\":\"t\"}".getBytes(StandardCharsets.UTF_8),
        RequestLock.Holder.class));
    assertNull(StateJson.read("{\"schema\":1}".getBytes(StandardCharsets.UTF_8), String.class), "not a state record");
    for (String field : List.of("\"seconds\":\"2\"", "\"workers\":1.5", "\"seed\":\"1\"", "\"versions\":[]",
        "\"versions\":{\"a\":1}", "\"inputs\":[{\"size\":1}]", "\"processors\":[{\"millis\":null}]", "\"counts\":[]",
        "\"seconds\":1e999")) {
      String json = "{\"schema\":1,\"runId\":\"a\",\"requestKey\":\"k\",\"status\":\"s\",\"pipeline\":{\"file\":\"f\","
          + "\"name\":\"n\"},\"startedAt\":\"t\",\"inputs\":[]," + field + "}";
      if (field.startsWith("\"inputs\"")) json = json.replace("\"inputs\":[],", "");
      assertNull(StateJson.read(json.getBytes(StandardCharsets.UTF_8), RunRecord.class), json);
    }
  }
}

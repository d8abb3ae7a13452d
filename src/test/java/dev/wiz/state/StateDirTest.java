package dev.wiz.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateDirTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

  private static RunRecord record(String id, String started) {
    return new RunRecord(RunRecord.SCHEMA, id, "sha256:k", "success", null,
        new RunRecord.PipelineInfo("/p.yaml", "p", "sha256:d"), Map.of("wiz", "dev"), started, null, null,
        2, 10, "fail", 0, 1, List.of(), null, Map.of(), null, List.of(), null, null);
  }

  @Test
  void runRecordsRoundTripAndAreListedOldestFirst() throws Exception {
    StateDir state = new StateDir(fs.getPath("/x/.wiz"));
    state.createRun("b");
    state.writeRunRecord(record("b", "2026-11-23T10:00:01Z"));
    state.createRun("a");
    state.writeRunRecord(record("a", "2026-11-23T10:00:02Z"));
    assertEquals(List.of("b", "a"), state.runs().stream().map(RunRecord::runId).toList());
    assertEquals(record("a", "2026-11-23T10:00:02Z"), state.readRunRecord("a").orElseThrow());
    assertEquals(Optional.empty(), state.readRunRecord("nope"));
    try (var files = Files.list(state.runDir("a"))) {
      assertEquals(List.of("run.json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
    }
  }

  @Test
  void aRecordThatParsesButIsNotOneWizWroteIsBrokenStateNotNullOrAnIncompleteRecord() throws Exception {
    StateDir state = new StateDir(fs.getPath("/x/.wiz"));
    state.createRun("a");
    Path file = state.runRecord("a");
    for (String content : List.of("null", "{}", "[]", "{\"schema\": 1, \"runId\": \"a\"}", "")) {
      Files.writeString(file, content);
      BrokenStateException e = assertThrows(BrokenStateException.class, () -> state.readRunRecord("a"), content);
      assertEquals(file, e.file());
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
    Files.writeString(file, "{}");
    assertEquals(List.of(), state.runs(), "left out of the list, not listed with no id");

    Path request = state.requestRecord("sha256:abc");
    Files.createDirectories(request.getParent());
    Files.writeString(request, "null");
    BrokenStateException e = assertThrows(BrokenStateException.class, () -> state.readRequest("sha256:abc"));
    assertEquals(request + ": not a readable request record (it holds null, not an object); move it away to start afresh",
        e.getMessage());
  }

  @Test
  void aRunRecordCutAnywhereIsNamedWithWhereTheParserStoppedNotAsWrongFields() throws Exception {
    StateDir state = new StateDir(fs.getPath("/x/.wiz"));
    state.createRun("a");
    state.writeRunRecord(record("a", "2026-11-23T10:00:01Z"));
    Path file = state.runRecord("a");
    byte[] whole = Files.readAllBytes(file);
    int end = new String(whole, java.nio.charset.StandardCharsets.UTF_8).lastIndexOf('}');
    for (int cut = 1; cut < end; cut++) {
      Files.write(file, java.util.Arrays.copyOf(whole, cut));
      BrokenStateException e = assertThrows(BrokenStateException.class, () -> state.readRunRecord("a"), "cut at " + cut);
      assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(file.toString())
          + ":\\d+:\\d+: not a readable run record \\(Unexpected end-of-input[^()]*\\); move it away to start afresh"),
          "cut at " + cut + ": " + e.getMessage());
    }
  }

  @Test
  void chunkIndexPointsAtTheLatestRunAndRejectsUnsafeIds() throws Exception {
    StateDir state = new StateDir(fs.getPath("/x/.wiz"));
    state.indexChunks(List.of("p-1-000000", "p-1-000001"), "run1");
    state.indexChunks(List.of("p-1-000001"), "run2");
    assertEquals(Optional.of("run1"), state.runOfChunk("p-1-000000"));
    assertEquals(Optional.of("run2"), state.runOfChunk("p-1-000001"));
    assertEquals(Optional.empty(), state.runOfChunk("../../etc/passwd"));
    assertFalse(StateDir.safeId("a/b"));
    assertTrue(StateDir.safeId("quickstart-1a2b3c4d-000007"));
  }

  @Test
  void requestRecordsKeepEveryAttemptInOrder() throws Exception {
    StateDir state = new StateDir(fs.getPath("/x/.wiz"));
    state.recordAttempt("sha256:abc", "/p.yaml", new RequestRecord.Attempt("r1", "running", "t1", null, null));
    state.recordAttempt("sha256:abc", "/p.yaml", new RequestRecord.Attempt("r1", "failed", "t1", "t2", "boom"));
    RequestRecord r = state.recordAttempt("sha256:abc", "/p.yaml", new RequestRecord.Attempt("r2", "success", "t3", "t4", null));
    assertEquals(r, state.readRequest("sha256:abc").orElseThrow());
    assertEquals("success", r.status());
    assertEquals(List.of("r1", "r2"), r.attempts().stream().map(RequestRecord.Attempt::runId).toList());
    assertEquals("failed", r.attempts().get(0).status());
    assertTrue(Files.exists(fs.getPath("/x/.wiz/requests/abc/record.json")));
  }

  @Test
  void theStateFolderIsFoundInTheNearestParent() throws Exception {
    Path deep = Files.createDirectories(fs.getPath("/a/b/c"));
    assertEquals(Optional.empty(), StateDir.findFrom(deep).map(StateDir::root));
    Files.createDirectories(fs.getPath("/a/.wiz"));
    assertEquals(fs.getPath("/a/.wiz"), StateDir.findFrom(deep).orElseThrow().root());
    assertEquals(fs.getPath("/a/b/.wiz"), StateDir.nextTo(fs.getPath("/a/b/p.yaml")).root());
  }
}

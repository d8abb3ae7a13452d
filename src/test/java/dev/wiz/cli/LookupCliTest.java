package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code lookup} step end to end: its output, its file in the request key, run.json and
 * provenance, its problems said in the pipeline and the lookup file, and {@code --resume} after
 * the lookup file changed.
 */
class LookupCliTest extends JimfsCliTest {
  private static final String USERS = "id,name,country\n1,Ada,UK\n2,Linus,FI\n3,Grace,US\n";

  @BeforeEach
  void files() throws IOException {
    Files.writeString(work.resolve("users.csv"), USERS);
    Files.writeString(work.resolve("orders.jsonl"), "{\"order\":1,\"user_id\":2}\n{\"order\":2,\"user_id\":7}\n"
        + "{\"order\":3,\"user_id\":1,\"name\":\"kept\"}\n");
    pipeline("p.yaml", "users.csv", "{ file: users.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string }", "");
  }

  private void pipeline(String name, String file, String config, String run) throws IOException {
    Files.writeString(work.resolve(name), "wiz: 1\nname: enrich\nsource: { type: file, path: orders.jsonl }\n"
        + "chunking: { records: 1 }\nprocessors:\n  - id: users\n    type: lookup\n    config: " + config + "\n"
        + "sink: { type: file, path: out.jsonl }\n" + run);
  }

  private String out() throws IOException {
    return Files.readString(work.resolve("out.jsonl"), StandardCharsets.UTF_8);
  }

  private JsonNode json(CliHarness.Result r) throws IOException {
    return Json.mapper().readTree(r.out());
  }

  @Test
  void aRunEnrichesEachRecordAndGivesTheSameBytesWithOneOrFourWorkers() throws IOException {
    CliHarness.Result r = wiz.run("run", "p.yaml", "--workers", "1", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    String expected = "{\"order\":1,\"user_id\":2,\"id\":\"2\",\"name\":\"Linus\",\"country\":\"FI\"}\n"
        + "{\"order\":2,\"user_id\":7}\n"
        + "{\"order\":3,\"user_id\":1,\"name\":\"kept\",\"id\":\"1\",\"country\":\"UK\"}\n";
    assertEquals(expected, out());
    CliHarness.Result again = wiz.run("run", "p.yaml", "--workers", "4", "--force", "--format", "json");
    assertEquals(0, again.code(), again.toString());
    assertEquals(expected, out());
    assertEquals(requestKey(r), requestKey(again));
  }

  @Test
  void theLookupFilesDigestIsInTheRequestRunJsonAndProvenance() throws IOException {
    CliHarness.Result first = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, first.code(), first.toString());
    String runId = json(first).get("runId").asText();
    JsonNode run = Json.mapper().readTree(Files.readString(work.resolve(".wiz/runs/" + runId + "/run.json")));
    String digest = Json.digest(USERS.getBytes(StandardCharsets.UTF_8));
    assertEquals("[{\"processor\":\"users\",\"name\":\"users.csv\",\"path\":\"/work/users.csv\",\"bytes\":47,\"digest\":\""
        + digest + "\",\"records\":3}]", run.get("references").toString());

    String chunk = json(wiz.run("provenance", "list", "--format", "json")).at("/0/chunk").asText();
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("\n            file    users.csv: 3 records, 47 bytes (" + digest + ")\n"), show.out());
    assertEquals(run.get("references"), json(wiz.run("provenance", "show", chunk, "--format", "json")).get("references"));

    // The same pipeline and input on the same table succeeded already; on another table it is another request.
    CliHarness.Result refused = wiz.run("run", "p.yaml");
    assertEquals(6, refused.code(), refused.toString());
    Files.writeString(work.resolve("users.csv"), USERS + "7,Ken,JP\n");
    CliHarness.Result changed = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, changed.code(), changed.toString());
    assertNotEquals(requestKey(first), requestKey(changed));
    assertTrue(out().contains("{\"order\":2,\"user_id\":7,\"id\":\"7\",\"name\":\"Ken\",\"country\":\"JP\"}\n"), out());
    String configDigest = "/processor/configDigest";
    assertNotEquals(firstEvent(runId).at(configDigest), firstEvent(json(changed).get("runId").asText()).at(configDigest),
        "the step's config digest follows the table");
  }

  @Test
  void aDryRunNamesTheLookupFileWithItsDigestAndTheRequestKeyTheRunWouldHave() throws IOException {
    String digest = Json.digest(USERS.getBytes(StandardCharsets.UTF_8));
    CliHarness.Result dry = wiz.run("run", "p.yaml", "--dry-run");
    assertEquals(0, dry.code(), dry.toString());
    assertTrue(dry.err().contains("\n  lookup:       users.csv of 'users' (3 records, 47 bytes, " + digest + ")\n"), dry.err());
    CliHarness.Result json = wiz.run("run", "p.yaml", "--dry-run", "--format", "json");
    assertEquals("[{\"processor\":\"users\",\"name\":\"users.csv\",\"path\":\"/work/users.csv\",\"bytes\":47,\"digest\":\""
        + digest + "\",\"records\":3}]", json(json).get("references").toString());
    CliHarness.Result run = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(json(json).get("requestKey").asText(), requestKey(run));
    assertTrue(!Files.exists(work.resolve(".wiz/runs")) || Files.list(work.resolve(".wiz/runs")).count() == 1, "the dry run wrote no run");
  }

  @Test
  void theExportsNameTheLookupFileAsAnInputOfTheRun() throws IOException {
    assertEquals(0, wiz.run("run", "p.yaml").code());
    CliHarness.Result ol = wiz.run("provenance", "export", "--format", "openlineage");
    assertEquals(0, ol.code(), ol.toString());
    JsonNode start = Json.mapper().readTree(ol.out().lines().findFirst().orElseThrow());
    assertEquals("[\"/work/orders.jsonl\",\"/work/users.csv\"]",
        Json.mapper().valueToTree(start.get("inputs").findValuesAsText("name")).toString());
    CliHarness.Result prov = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, prov.code(), prov.toString());
    boolean used = false;
    for (JsonNode entity : Json.mapper().readTree(prov.out()).findParents("prov:location")) {
      used |= entity.get("prov:location").asText().equals("/work/users.csv") && entity.get("prov:label").asText().equals("users.csv");
    }
    assertTrue(used, "an input entity of the lookup file: " + prov.out());
  }

  @Test
  void theExportsNameAFileReadAsSourceAndByTwoLookupsOnce() throws IOException {
    // OpenLineage listed /work/users.jsonl three times among the run's inputs, PROV used it three times
    Files.writeString(work.resolve("users.jsonl"), "{\"id\":1}\n{\"id\":2}\n");
    Files.writeString(work.resolve("self.yaml"), "wiz: 1\nname: self\nsource: { type: file, path: users.jsonl }\n"
        + "processors:\n  - { id: a, type: lookup, config: { file: users.jsonl, key: .id, into: a } }\n"
        + "  - { id: b, type: lookup, config: { file: ./users.jsonl, key: .id, into: b } }\nsink: { type: file, path: out.jsonl }\n");
    assertEquals(0, wiz.run("run", "self.yaml").code());
    assertEquals("{\"id\":1,\"a\":{\"id\":1},\"b\":{\"id\":1}}\n{\"id\":2,\"a\":{\"id\":2},\"b\":{\"id\":2}}\n", out());
    CliHarness.Result ol = wiz.run("provenance", "export", "--format", "openlineage");
    assertEquals(0, ol.code(), ol.toString());
    JsonNode start = Json.mapper().readTree(ol.out().lines().findFirst().orElseThrow());
    assertEquals("[\"/work/users.jsonl\"]", Json.mapper().valueToTree(start.get("inputs").findValuesAsText("name")).toString());
    CliHarness.Result prov = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, prov.code(), prov.toString());
    long used = 0;
    for (JsonNode u : Json.mapper().readTree(prov.out()).get("used")) {
      if (u.path("prov:entity").asText().endsWith("/work/users.jsonl") && !u.has("prov:time")) used++;
    }
    assertEquals(1, used, prov.out());
  }

  /** The request key of a run, from its run.json. */
  private String requestKey(CliHarness.Result run) throws IOException {
    String id = json(run).get("runId").asText();
    String key = Json.mapper().readTree(Files.readString(work.resolve(".wiz/runs/" + id + "/run.json"))).get("requestKey").asText();
    assertTrue(key.startsWith("sha256:"), key);
    return key;
  }

  /** The first event of the lookup step in a run's provenance log. */
  private JsonNode firstEvent(String runId) throws IOException {
    for (String line : Files.readAllLines(work.resolve(".wiz/runs/" + runId + "/provenance.jsonl"))) {
      JsonNode e = Json.mapper().readTree(line);
      if ("users".equals(e.at("/processor/id").asText())) return e;
    }
    throw new AssertionError("no event of the lookup step in run " + runId);
  }

  @Test
  void validateSaysAMissingFileOrAFolderAtItsPlaceInThePipeline() throws IOException {
    pipeline("missing.yaml", "none.csv", "{ file: none.csv, format: csv, key: .user_id }", "");
    CliHarness.Result r = wiz.run("validate", "missing.yaml");
    assertEquals(3, r.code(), r.toString());
    assertEquals("missing.yaml:8:21: /processors/0/config/file: no such file: 'none.csv' (looked for /work/none.csv)\n"
        + "missing.yaml: 1 problem\n", r.err());
    Files.createDirectories(work.resolve("ref"));
    pipeline("folder.yaml", "ref", "{ file: ref, key: .user_id }", "");
    CliHarness.Result folder = wiz.run("run", "folder.yaml");
    assertEquals(3, folder.code(), folder.toString());
    assertEquals("folder.yaml:8:21: /processors/0/config/file: 'ref' is a folder: name the file to read\n", folder.err());
  }

  @Test
  void aSinkThatWouldOverwriteTheLookupFileIsRefusedAndTheFileKept() throws IOException {
    // the run wrote its output over users.jsonl; the next run then failed on the table's first line
    Files.writeString(work.resolve("users.jsonl"), "{\"id\":1,\"name\":\"Ada\"}\n");
    Files.writeString(work.resolve("self.yaml"), "wiz: 1\nname: enrich\nsource: { type: file, path: orders.jsonl }\n"
        + "processors:\n  - id: users\n    type: lookup\n    config: { file: users.jsonl, key: .user_id, fileKey: .id }\n"
        + "sink: { type: file, path: ./users.jsonl }\n");
    for (String command : new String[] {"validate", "run"}) {
      CliHarness.Result r = wiz.run(command, "self.yaml");
      assertEquals(3, r.code(), r.toString());
      assertTrue(r.err().startsWith("self.yaml:8:27: /sink/path: the sink './users.jsonl' (/work/users.jsonl) is the lookup"
          + " file of processor 'users' (/processors/0/config/file), which the run would overwrite with its own output:"
          + " write the output to another file, e.g. './users.out.jsonl'\n"), r.toString());
    }
    assertEquals("{\"id\":1,\"name\":\"Ada\"}\n", Files.readString(work.resolve("users.jsonl")));
  }

  @Test
  void aBadLineOrADuplicateKeyOfTheFileStopsTheRunBeforeItStartsNamingTheFilesLine() throws IOException {
    Files.writeString(work.resolve("bad.jsonl"), "{\"id\":1}\n{\"id\":2,}\n");
    pipeline("bad.yaml", "bad.jsonl", "{ file: bad.jsonl, key: .user_id, fileKey: .id }", "");
    CliHarness.Result r = wiz.run("run", "bad.yaml");
    assertEquals(4, r.code(), r.toString());
    assertEquals("bad.yaml:8:21: /processors/0/config/file: lookup file bad.jsonl:2:8: a trailing comma before '}': JSON"
        + " allows none, remove it; fix the line, then run again\n", r.err());
    assertTrue(!Files.exists(work.resolve(".wiz/runs")) && !Files.exists(work.resolve("out.jsonl")), "nothing was written");

    Files.writeString(work.resolve("dup.csv"), "id,name\n1,A\n2,B\n1,C\n");
    pipeline("dup.yaml", "dup.csv", "{ file: dup.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string }", "");
    CliHarness.Result dup = wiz.run("run", "dup.yaml", "--format", "json");
    assertEquals(4, dup.code(), dup.toString());
    assertTrue(dup.err().contains("dup.yaml:8:21: /processors/0/config/file: lookup file dup.csv:4: the key \"1\" is also"
        + " the key of line 2: remove one, or say which to keep with duplicates: first or duplicates: last"), dup.toString());
  }

  @Test
  void anEmptyTableStopsTheRunUnlessAllowedThenTheSummaryAndRunJsonSayItHasNoRecords() throws IOException {
    Files.writeString(work.resolve("empty.csv"), "id,name\n");
    pipeline("e.yaml", "empty.csv", "{ file: empty.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string }", "");
    CliHarness.Result r = wiz.run("run", "e.yaml");
    assertEquals(4, r.code(), r.toString());
    assertEquals("e.yaml:8:21: /processors/0/config/file: lookup file empty.csv holds no records (a header and no rows),"
        + " so no record would match and every one would pass unchanged: name the file that holds the table, or set"
        + " empty: allow if a table without records is meant\n", r.err());
    assertTrue(!Files.exists(work.resolve(".wiz/runs")) && !Files.exists(work.resolve("out.jsonl")), "nothing was written");

    pipeline("a.yaml", "empty.csv", "{ file: empty.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string,"
        + " empty: allow }", "");
    CliHarness.Result allowed = wiz.run("run", "a.yaml");
    assertEquals(0, allowed.code(), allowed.toString());
    String warning = "wiz: warning: lookup file empty.csv of 'users' has no records (empty: allow): no record matched\n";
    assertTrue(allowed.err().startsWith(warning + "wiz: success in "), allowed.err());
    // -q keeps warnings: a script learns that nothing could match.
    CliHarness.Result quiet = wiz.run("-q", "run", "a.yaml", "--force");
    assertEquals(0, quiet.code(), quiet.toString());
    assertEquals(warning, quiet.err());
    CliHarness.Result json = wiz.run("run", "a.yaml", "--force", "--format", "json", "-q");
    assertEquals(0, json.code(), json.toString());
    assertEquals(warning, json.err());
    assertEquals("[\"" + warning.substring("wiz: warning: ".length(), warning.length() - 1) + "\"]",
        json(json).get("warnings").toString());
    JsonNode refs = json(json).get("references");
    assertEquals("[{\"processor\":\"users\",\"name\":\"empty.csv\",\"path\":\"/work/empty.csv\",\"bytes\":8,\"digest\":\""
        + Json.digest("id,name\n".getBytes(StandardCharsets.UTF_8)) + "\",\"records\":0}]", refs.toString());
    String runId = json(json).get("runId").asText();
    assertEquals(refs, Json.mapper().readTree(Files.readString(work.resolve(".wiz/runs/" + runId + "/run.json"))).get("references"));
    // A table with records is not named in the text summary (its JSON lists it), and is no warning.
    CliHarness.Result full = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, full.code(), full.toString());
    assertTrue(!full.err().contains("lookup") && !full.err().contains("warning"), full.err());
    assertEquals("[]", json(full).get("warnings").toString());
  }

  @Test
  void aDryRunSaysWhatTheRunWouldOfAnEmptyTableItsFailureExit4OrItsWarning() throws IOException {
    Files.writeString(work.resolve("empty.csv"), "id,name\n");
    pipeline("e.yaml", "empty.csv", "{ file: empty.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string }", "");
    // As a run would fail before it writes anything (exit 4), so does the dry run, as for a missing input.
    CliHarness.Result r = wiz.run("run", "e.yaml", "--dry-run", "--format", "json");
    assertEquals(4, r.code(), r.toString());
    assertEquals("not-started", json(r).get("status").asText(), r.out());
    assertTrue(json(r).get("dryRun").asBoolean(), r.out());
    assertEquals("/processors/0/config/file", json(r).at("/diagnostics/0/pointer").asText(), r.out());

    pipeline("a.yaml", "empty.csv", "{ file: empty.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string,"
        + " empty: allow }", "");
    String warning = "wiz: warning: lookup file empty.csv of 'users' has no records (empty: allow): no record would match\n";
    CliHarness.Result quiet = wiz.run("run", "a.yaml", "--dry-run", "-q");
    assertEquals(0, quiet.code(), quiet.toString());
    assertEquals(warning, quiet.err());
    CliHarness.Result text = wiz.run("run", "a.yaml", "--dry-run");
    assertTrue(text.err().startsWith(warning + "wiz: dry run: the run would start"), text.err());
    assertTrue(text.err().contains("\n  lookup:       empty.csv of 'users' (0 records, 8 bytes, "), text.err());
    CliHarness.Result json = wiz.run("run", "a.yaml", "--dry-run", "--format", "json");
    assertEquals(0, json.code(), json.toString());
    assertEquals(warning, json.err());
    assertEquals(0, json(json).at("/references/0/records").asLong(), json.out());
    assertEquals(1, json(json).get("warnings").size(), json.out());
    assertTrue(!Files.exists(work.resolve(".wiz")) && !Files.exists(work.resolve("out.jsonl")), "nothing was written");
  }

  @Test
  void unmatchedRejectDeadLettersTheRecordWithTheReason() throws IOException {
    pipeline("r.yaml", "users.csv", "{ file: users.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string,"
        + " unmatched: reject, into: user, fields: [name] }", "run: { onError: dead-letter }\n");
    CliHarness.Result r = wiz.run("run", "r.yaml", "--format", "json");
    assertEquals(5, r.code(), r.toString());
    assertEquals("{\"order\":1,\"user_id\":2,\"user\":{\"name\":\"Linus\"}}\n"
        + "{\"order\":3,\"user_id\":1,\"name\":\"kept\",\"user\":{\"name\":\"Ada\"}}\n", out());
    Path dead = work.resolve(".wiz/runs/" + json(r).get("runId").asText() + "/dead-letter.jsonl");
    JsonNode letter = Json.mapper().readTree(Files.readAllLines(dead).get(0));
    assertEquals("lookup: no record of users.csv has the key 7 (key .user_id)", letter.get("reason").asText(), letter.toString());
    assertEquals("{\"order\":2,\"user_id\":7}", letter.get("record").toString());
  }

  /** A failed run whose chunk 25 found no user: its first chunks were committed. */
  private String failedRun() throws IOException {
    Files.writeString(work.resolve("orders.jsonl"), IntStream.range(0, 40)
        .mapToObj(i -> "{\"order\":" + i + ",\"user_id\":" + (i == 25 ? 9 : 1 + i % 3) + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: enrich\nsource: { type: file, path: orders.jsonl }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - id: users\n    type: lookup\n"
        + "    config: { file: users.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string, unmatched: reject,"
        + " into: user, fields: [name] }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 1, onError: fail, commitMillis: 0, maxFailures: 9 }\n");
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(4, r.code(), r.toString());
    return json(r).get("runId").asText();
  }

  @Test
  void verifySaysALookupFileChangedOrRemovedSinceTheRunAndStaysIntact() throws IOException {
    CliHarness.Result run = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, run.code(), run.toString());
    String was = Json.digest(USERS.getBytes(StandardCharsets.UTF_8));
    CliHarness.Result same = wiz.run("provenance", "verify");
    assertEquals(0, same.code(), same.toString());
    assertTrue(same.out().startsWith("intact: ") && same.out().endsWith(
        "\nlookup users.csv of 'users': unchanged since the run (47 bytes, " + was + ")\n"), same.out());

    String edited = USERS.replace("Ada", "Ann");
    Files.writeString(work.resolve("users.csv"), edited);
    String now = Json.digest(edited.getBytes(StandardCharsets.UTF_8));
    CliHarness.Result changed = wiz.run("provenance", "verify");
    assertEquals(0, changed.code(), "the output is still the bytes the log says: " + changed);
    assertTrue(changed.out().endsWith("\nlookup users.csv of 'users': changed since the run (47 bytes, " + was + " then, 47"
        + " bytes, " + now + " now): the output is intact, but it was made from the table as it was; run the pipeline"
        + " again for output from the table as it is\n"), changed.out());
    assertEquals("", changed.err());
    CliHarness.Result json = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(0, json.code(), json.toString());
    assertTrue(json(json).get("intact").asBoolean(), json.out());
    assertEquals("[{\"processor\":\"users\",\"name\":\"users.csv\",\"path\":\"/work/users.csv\",\"bytes\":47,\"digest\":\""
        + was + "\",\"records\":3,\"now\":{\"state\":\"changed\",\"bytes\":47,\"digest\":\"" + now + "\"}}]",
        json(json).get("references").toString());

    Files.delete(work.resolve("users.csv"));
    CliHarness.Result gone = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(0, gone.code(), gone.toString());
    assertEquals("{\"state\":\"missing\",\"why\":\"no such file\"}", json(gone).at("/references/0/now").toString());
    assertTrue(wiz.run("provenance", "verify").out().endsWith("\nlookup users.csv of 'users': /work/users.csv is gone since"
        + " the run (47 bytes, " + was + " then): the output is intact, but the table it was made from can no longer be"
        + " held against it\n"));
  }

  @Test
  void aRunKilledAndResumedOnTheSameTableWritesTheBytesOfAnUninterruptedRun() throws IOException {
    Files.writeString(work.resolve("orders.jsonl"), IntStream.range(0, 40)
        .mapToObj(i -> "{\"order\":" + i + ",\"user_id\":" + (1 + i % 4) + "}").collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: enrich\nsource: { type: file, path: orders.jsonl }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - id: users\n    type: lookup\n"
        + "    config: { file: users.csv, format: csv, key: .user_id, fileKey: .id, keyAs: string, into: user }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 2, commitMillis: 0 }\n");
    String crashed = StagedCrash.after(wiz, work, "p.yaml", "out.jsonl", 2);
    CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(0, resumed.code(), resumed.toString());
    assertEquals("resumed run " + crashed + ": 2 chunks already committed", json(resumed).get("resumed").asText());
    String afterResume = out();
    assertEquals(0, wiz.run("run", "p.yaml", "--force", "-q").code());
    assertEquals(out(), afterResume, "the bytes of an uninterrupted run");
    assertEquals(40, afterResume.lines().count());
    assertTrue(afterResume.contains("{\"order\":3,\"user_id\":4}\n") && afterResume.contains("{\"order\":39,\"user_id\":4}\n")
        && afterResume.contains("{\"order\":0,\"user_id\":1,\"user\":{\"id\":\"1\",\"name\":\"Ada\",\"country\":\"UK\"}}\n"),
        afterResume);
  }

  @Test
  void resumeGoesOnFromAFailedRunOnlyWhileTheLookupFileIsUnchanged() throws IOException {
    String failed = failedRun();
    CliHarness.Result same = wiz.run("run", "p.yaml", "--resume", "--dry-run", "--format", "json");
    assertEquals(0, same.code(), same.toString());
    assertEquals("resumed run " + failed + ": 2 chunks already committed", json(same).get("resume").asText());

    // The table is fixed: the run must not keep chunks enriched from the old one.
    Files.writeString(work.resolve("users.csv"), "id,name,country\n1,Ada (new),UK\n2,Linus,FI\n3,Grace,US\n9,Ken,JP\n");
    CliHarness.Result changed = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(0, changed.code(), changed.toString());
    assertEquals("nothing to resume: no failed, crashed or interrupted run of this request (run " + failed + " of this"
        + " pipeline file ended failed, but lookup file users.csv has changed since, which makes this another request;"
        + " starting over)", json(changed).get("resumed").asText());
    String out = out();
    assertEquals(40, out.lines().count());
    assertTrue(out.startsWith("{\"order\":0,\"user_id\":1,\"user\":{\"name\":\"Ada (new)\"}}\n"), out);
    assertTrue(!out.contains("\"Ada\"}"), "no record enriched from the old table: " + out);
    assertTrue(out.contains("{\"order\":25,\"user_id\":9,\"user\":{\"name\":\"Ken\"}}\n"), out);
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.provenance.ProvenanceLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every DEAD_LETTER event records where its lines went in the run's dead-letter file and their
 * digest, so {@code wiz provenance verify} holds the file against the log as it holds the output;
 * logs written before that still read, and say their dead letters were not checked.
 */
class DeadLetterVerifyTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: items",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 7 }",
      "processors:",
      "  - { id: items, type: explode, config: { field: items, as: item } }",
      "  - { id: small, type: validate, config: { schema: { type: object, properties: { item: { maximum: 3 } } } } }",
      "sink: { type: file, path: out/items.jsonl }",
      "run: { workers: 2, onError: dead-letter }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    // Every ninth record's items is a string (explode rejects it), items above 3 fail validate,
    // and line 5 is no JSON: three kinds of dead letters, some chunks with two DEAD_LETTER events.
    List<String> lines = IntStream.range(0, 40)
        .mapToObj(i -> "{\"id\":" + i + ",\"items\":" + (i % 9 == 0 ? "\"x\"" : "[" + i % 4 + "," + i % 5 + "]") + "}")
        .collect(Collectors.toCollection(ArrayList::new));
    lines.set(4, "{\"id\": 4, ");
    Files.writeString(work.resolve("in.jsonl"), String.join("\n", lines) + "\n");
    Files.writeString(work.resolve("items.yaml"), PIPELINE);
  }

  private Path runDir(String id) {
    return work.resolve(".wiz/runs/" + id);
  }

  private String onlyRun() throws IOException {
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      return runs.findFirst().orElseThrow().getFileName().toString();
    }
  }

  private static List<JsonNode> events(Path log) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) out.add(Json.mapper().readTree(line));
    return out;
  }

  private static String sha256(byte[] b, int from, int to) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOfRange(b, from, to)));
  }

  @Test
  void eachDeadLetterEventRecordsWhereItsLinesWentAndTheirDigestOneAfterAnother() throws Exception {
    assertEquals(5, wiz.run("-q", "run", "items.yaml").code());
    Path run = runDir(onlyRun());
    byte[] file = Files.readAllBytes(run.resolve("dead-letter.jsonl"));
    long at = 0;
    int events = 0;
    java.util.Set<String> twice = new java.util.HashSet<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode e : events(run.resolve("provenance.jsonl"))) {
      if (!e.get("type").asText().equals("DEAD_LETTER")) continue;
      events++;
      if (!seen.add(e.get("chunk").asText())) twice.add(e.get("chunk").asText());
      JsonNode d = e.get("deadLetters");
      assertEquals(at, d.get("offset").asLong(), e.toString());
      int from = (int) at;
      int to = (int) (at + d.get("bytes").asLong());
      assertEquals(sha256(file, from, to), d.get("digest").asText(), e.toString());
      String lines = new String(file, from, to - from, StandardCharsets.UTF_8);
      assertEquals(e.get("recordsIn").asInt(), lines.split("\n").length, lines);
      for (String line : lines.split("\n")) assertEquals(e.get("chunk").asText(), Json.mapper().readTree(line).get("chunk").asText());
      at = to;
    }
    assertEquals(file.length, at, "the events account for every byte of the file");
    JsonNode first = events(run.resolve("provenance.jsonl")).stream()
        .filter(e -> e.get("type").asText().equals("DEAD_LETTER")).findFirst().orElseThrow();
    CliHarness.Result show = wiz.run("provenance", "show", first.get("chunk").asText());
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("\n            to      " + run.resolve("dead-letter.jsonl") + " at byte 0: "
        + first.at("/deadLetters/bytes").asLong() + " bytes (" + first.at("/deadLetters/digest").asText() + ")\n"), show.out());
    assertTrue(events >= 4, "events: " + events);
    assertFalse(twice.isEmpty(), "a chunk with two DEAD_LETTER events: each has its own lines");

    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    assertTrue(verify.out().endsWith("; dead letters " + run.resolve("dead-letter.jsonl") + ": " + file.length + " bytes as logged\n"),
        verify.out());
    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "verify", "--format", "json").out());
    assertEquals(file.length, json.at("/deadLetters/bytes").asLong(), json.toString());
    assertTrue(json.at("/deadLetters/checked").asBoolean(), json.toString());
  }

  @Test
  void verifyNamesADeadLetterFileThatWasEditedCutAddedToOrRemoved() throws Exception {
    assertEquals(5, wiz.run("-q", "run", "items.yaml").code());
    Path file = runDir(onlyRun()).resolve("dead-letter.jsonl");
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.UTF_8);
    int second = text.indexOf('\n') + 1;
    JsonNode secondEvent = events(file.resolveSibling("provenance.jsonl")).stream()
        .filter(e -> e.get("type").asText().equals("DEAD_LETTER") && e.at("/deadLetters/offset").asLong() <= second
            && e.at("/deadLetters/offset").asLong() + e.at("/deadLetters/bytes").asLong() > second)
        .findFirst().orElseThrow();

    // One line changed: same length, other bytes.
    Files.writeString(file, text.substring(0, second) + text.substring(second).replaceFirst("\"attempts\":1", "\"attempts\":7"));
    CliHarness.Result edited = wiz.run("provenance", "verify");
    assertEquals(3, edited.code(), edited.toString());
    assertEquals("", edited.out());
    long from = secondEvent.at("/deadLetters/offset").asLong();
    assertTrue(edited.err().startsWith(file + ": the " + secondEvent.at("/deadLetters/bytes").asLong() + " bytes at byte " + from
        + " (" + secondEvent.get("recordsIn").asInt() + " dead letter" + (secondEvent.get("recordsIn").asInt() == 1 ? "" : "s")
        + " of chunk " + secondEvent.get("chunk").asText()), edited.err());
    assertTrue(edited.err().endsWith(", not to the " + secondEvent.at("/deadLetters/digest").asText()
        + " the log recorded for them: they were changed after the run\n"), edited.err());

    Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
    CliHarness.Result cut = wiz.run("provenance", "verify", "--format", "json");
    assertEquals(3, cut.code(), cut.toString());
    assertEquals(file + ": " + (bytes.length - 10) + " bytes, but the run wrote " + bytes.length
        + " bytes of dead letters: it was cut after the run\n", cut.err());
    JsonNode json = Json.mapper().readTree(cut.out());
    assertFalse(json.get("intact").asBoolean());
    assertEquals(file.toString(), json.at("/problem/file").asText());

    Files.writeString(file, text + "{\"chunk\":\"made-up\"}\n");
    CliHarness.Result added = wiz.run("provenance", "verify");
    assertEquals(3, added.code(), added.toString());
    assertTrue(added.err().endsWith(": bytes were added after the run\n"), added.err());

    Files.delete(file);
    CliHarness.Result missing = wiz.run("provenance", "verify");
    assertEquals(3, missing.code(), missing.toString());
    assertEquals(file + ": missing, but the run wrote " + bytes.length + " bytes of dead letters there\n", missing.err());

    Files.write(file, bytes);
    assertEquals(0, wiz.run("provenance", "verify").code(), "as it was: intact again");
  }

  /**
   * The log as a wiz that recorded no dead-letter digests wrote it: without them, chained again,
   * with run.json's head to match.
   */
  private static void asAnOlderWizWroteIt(Path run) throws IOException {
    Path log = run.resolve("provenance.jsonl");
    List<String> out = new ArrayList<>();
    String prev = ProvenanceLog.GENESIS;
    for (JsonNode n : events(log)) {
      ObjectNode e = (ObjectNode) n;
      e.remove("deadLetters");
      e.remove("hash");
      e.put("prev", prev);
      String hash = Json.digest(e);
      e.put("hash", hash);
      // In the order the log writes, hash last.
      out.add(Json.mapper().writeValueAsString(e));
      prev = hash;
    }
    Files.write(log, out);
    ObjectNode record = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    ((ObjectNode) record.get("provenance")).put("head", prev);
    Files.writeString(run.resolve("run.json"), record.toString());
  }

  @Test
  void aLogWithoutDeadLetterDigestsStillReadsAndVerifySaysItsDeadLettersWereNotChecked() throws Exception {
    assertEquals(5, wiz.run("-q", "run", "items.yaml").code());
    String id = onlyRun();
    Path run = runDir(id);
    asAnOlderWizWroteIt(run);
    assertFalse(Files.readString(run.resolve("provenance.jsonl")).contains("deadLetters"));
    Path file = run.resolve("dead-letter.jsonl");

    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    assertTrue(verify.out().endsWith("; dead letters " + file + ": not checked: its log records no digest of them"
        + " (a wiz from before it did wrote the log)\n"), verify.out());
    JsonNode json = Json.mapper().readTree(wiz.run("provenance", "verify", "--format", "json").out());
    assertFalse(json.at("/deadLetters/checked").asBoolean(), json.toString());
    assertFalse(json.at("/deadLetters").has("bytes"), json.toString());

    Files.writeString(file, "edited\n");
    assertEquals(0, wiz.run("provenance", "verify").code(), "not checked, so not caught: as before");
    CliHarness.Result list = wiz.run("provenance", "list");
    assertEquals(0, list.code(), list.toString());
    String chunk = list.out().lines().findFirst().orElseThrow().split("\t")[0];
    CliHarness.Result show = wiz.run("provenance", "show", chunk, "--format", "json");
    assertEquals(0, show.code(), show.toString());
    assertTrue(show.out().contains("\"DEAD_LETTER\""), show.out());
    for (String format : List.of("prov", "openlineage")) {
      CliHarness.Result export = wiz.run("provenance", "export", "--format", format);
      assertEquals(0, export.code(), export.toString());
    }
  }

  @Test
  void aResumedRunKeepsTheDeadLettersOfTheChunksItTookOverRecordsWhereTheyWentAndVerifiesThem() throws Exception {
    // Seven SENDs: the first three chunks, which explode forked; the children of the third have dead letters of their own.
    String crashed = StagedCrash.after(wiz, work, "items.yaml", "out/items.jsonl", 7, 5);
    byte[] uninterrupted = Files.readAllBytes(runDir(crashed).resolve("dead-letter.jsonl"));
    CliHarness.Result crashedVerify = wiz.run("provenance", "verify", "--run", crashed);
    assertEquals(0, crashedVerify.code(), "dead letters of chunks a crashed run did not commit are let be: " + crashedVerify);
    assertEquals(5, wiz.run("-q", "run", "items.yaml", "--resume").code());
    String resumed = Json.mapper().readTree(wiz.run("provenance", "verify", "--format", "json").out()).get("run").asText();
    Path run = runDir(resumed);
    List<JsonNode> reused = events(run.resolve("provenance.jsonl")).stream()
        .filter(e -> e.get("type").asText().equals("REUSED") && e.has("deadLetters")).toList();
    assertFalse(reused.isEmpty(), "a chunk taken over brought its dead letters");
    assertEquals(0, reused.get(0).at("/deadLetters/offset").asLong(), "they come first");
    CliHarness.Result verify = wiz.run("provenance", "verify");
    assertEquals(0, verify.code(), verify.toString());
    assertTrue(verify.out().contains("; dead letters " + run.resolve("dead-letter.jsonl") + ": "), verify.out());
    assertEquals(new String(uninterrupted, StandardCharsets.UTF_8), Files.readString(run.resolve("dead-letter.jsonl")),
        "the dead letters an uninterrupted run writes, those of the chunks the taken-over ones forked into too");

    Path file = run.resolve("dead-letter.jsonl");
    String text = Files.readString(file);
    Files.writeString(file, text.replaceFirst("\"attempts\":1", "\"attempts\":9"));
    CliHarness.Result edited = wiz.run("provenance", "verify");
    assertEquals(3, edited.code(), edited.toString());
    assertTrue(edited.err().contains("(dead letters chunk " + reused.get(0).get("chunk").asText() + " brought from run " + crashed
        + ") hash to "), edited.err());
  }

  @Test
  void aResumeRefusesDeadLettersOfTheChunksItWouldTakeOverThatWereChangedOrRemovedAfterTheCrash() throws Exception {
    String crashed = StagedCrash.after(wiz, work, "items.yaml", "out/items.jsonl", 7, 5);
    Path file = runDir(crashed).resolve("dead-letter.jsonl");
    String text = Files.readString(file);
    // The first line is a dead letter of the first chunk, which the resumed run takes over.
    Files.writeString(file, text.replaceFirst("\"attempts\":1", "\"attempts\":9"));
    CliHarness.Result edited = wiz.run("run", "items.yaml", "--resume");
    assertEquals(6, edited.code(), "copied into the new run, an edit would verify as its own: " + edited);
    assertTrue(edited.err().contains("cannot resume run " + crashed + ": its dead letters " + file + ": the "), edited.err());
    assertTrue(edited.err().contains("they were changed after the run; run again without --resume to start over"), edited.err());

    Files.delete(file);
    CliHarness.Result removed = wiz.run("run", "items.yaml", "--resume");
    assertEquals(6, removed.code(), removed.toString());
    assertTrue(removed.err().contains(": its dead letters " + file + ": missing, but the run wrote "), removed.err());

    Files.writeString(file, text);
    assertEquals(5, wiz.run("-q", "run", "items.yaml", "--resume").code(), "put back as it was, it resumes");
    assertEquals(0, wiz.run("provenance", "verify").code());
  }

  @Test
  void showSaysWhereAChunkTakenOverHasItsDeadLettersAndCountsThoseOfTheChunksItForkedInto() throws Exception {
    String crashed = StagedCrash.after(wiz, work, "items.yaml", "out/items.jsonl", 7, 5);
    assertEquals(5, wiz.run("-q", "run", "items.yaml", "--resume").code());
    String resumed = Json.mapper().readTree(wiz.run("provenance", "verify", "--format", "json").out()).get("run").asText();
    Path run = runDir(resumed);
    int shown = 0;
    for (JsonNode e : events(run.resolve("provenance.jsonl"))) {
      if (!e.get("type").asText().equals("REUSED") || !e.has("deadLetters")) continue;
      shown++;
      String chunk = e.get("chunk").asText();
      long n = events(runDir(crashed).resolve("provenance.jsonl")).stream()
          .filter(d -> d.get("type").asText().equals("DEAD_LETTER")
              && (d.get("chunk").asText().equals(chunk) || d.get("chunk").asText().startsWith(chunk + ".")))
          .mapToLong(d -> d.get("recordsIn").asLong()).sum();
      CliHarness.Result show = wiz.run("provenance", "show", chunk);
      assertEquals(0, show.code(), show.toString());
      assertTrue(show.out().contains("that run skipped 0 records and dead-lettered " + n + " record" + (n == 1 ? "" : "s")
          + " of it\n"), show.out());
      assertTrue(show.out().contains("  dead      copied to " + run.resolve("dead-letter.jsonl") + " at byte "
          + e.at("/deadLetters/offset").asLong() + ": " + e.at("/deadLetters/bytes").asLong() + " bytes ("
          + e.at("/deadLetters/digest").asText() + ")\n"), show.out());
    }
    assertTrue(shown > 1, "chunks taken over with dead letters: " + shown);
  }
}

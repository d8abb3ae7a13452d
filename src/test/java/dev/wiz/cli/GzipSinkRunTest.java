package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A file sink named {@code .gz} writes gzip: one member per chunk, whose text is byte for byte what
 * the text sink writes; provenance logs the bytes as stored (and the text they hold), so verify
 * checks the file as it is and --resume cuts it back to the last committed member.
 */
class GzipSinkRunTest extends JimfsCliTest {
  private static final String INPUT = IntStream.range(0, 500)
      .mapToObj(i -> "{\"id\":" + i + ",\"user\":\"u" + (i * 7 % 13) + "\",\"amount\":" + (i % 97) + "}")
      .collect(Collectors.joining("\n", "", "\n"));

  private static String pipeline(String sink) {
    return "wiz: 1\nname: gz\nsource: { type: file, path: in.jsonl }\nchunking: { records: 50 }\nprocessors:\n"
        + "  - { id: keep, type: filter, config: { where: '.amount > 10' } }\n"
        + "sink: " + sink + "\nrun: { workers: 2, commitMillis: 0 }\n";
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  private Path setUp(Path dir, String sink) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    Files.writeString(dir.resolve("p.yaml"), pipeline(sink));
    return dir;
  }

  private List<JsonNode> sends(Path dir) throws IOException {
    return events(dir, "SEND");
  }

  private List<JsonNode> events(Path dir, String type) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> runs = Files.list(dir.resolve(".wiz/runs"))) {
      for (Path run : runs.toList()) {
        for (String line : Files.readAllLines(run.resolve("provenance.jsonl"))) {
          JsonNode e = Json.mapper().readTree(line);
          if (e.get("type").asText().equals(type)) out.add(e);
        }
      }
    }
    return out;
  }

  private Path runJsonPath() throws IOException {
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      return runs.findFirst().orElseThrow().resolve("run.json");
    }
  }

  private JsonNode runRecord() throws IOException {
    return Json.mapper().readTree(Files.readAllBytes(runJsonPath()));
  }

  @Test
  void everyFormatWritesGzipWhoseTextIsWhatTheTextSinkWrites() throws IOException {
    for (String format : List.of("jsonl", "json", "csv", "lines")) {
      Path text = setUp(work.resolve(format + "/text"), "{ type: file, path: out." + format + ", format: " + format + " }");
      Path gz = setUp(work.resolve(format + "/gz"), "{ type: file, path: out." + format + ".gz, format: " + format + " }");
      assertEquals(0, new CliHarness(text).run("-q", "run", "p.yaml").code(), format);
      CliHarness.Result r = new CliHarness(gz).run("-q", "run", "p.yaml");
      assertEquals(new CliHarness.Result(0, "", "").toString(), r.toString(), format);
      byte[] stored = Files.readAllBytes(gz.resolve("out." + format + ".gz"));
      assertArrayEquals(Files.readAllBytes(text.resolve("out." + format)), gunzip(stored), format);
      // Each SEND is a whole member at its offset, of the text it logs.
      for (JsonNode send : sends(gz)) {
        int at = send.at("/sink/offset").asInt();
        byte[] member = Arrays.copyOfRange(stored, at, at + send.at("/sink/bytes").asInt());
        assertEquals(Json.digest(member), send.get("outputDigest").asText(), format + ": the digest of the bytes stored");
        byte[] chunkText = gunzip(member);
        assertEquals(chunkText.length, send.at("/sink/text/bytes").asLong(), format);
        assertEquals(Json.digest(chunkText), send.at("/sink/text/digest").asText(), format);
      }
    }
  }

  @Test
  void theBytesAreTheSameWithOneAndFourWorkersAndOnEveryRun() throws IOException {
    setUp(work, "{ type: file, path: out/events.jsonl.gz, compression: gzip, level: 9 }");
    assertEquals(0, wiz.run("-q", "run", "p.yaml", "--workers", "1").code());
    byte[] one = Files.readAllBytes(work.resolve("out/events.jsonl.gz"));
    CliHarness.Result four = wiz.run("-q", "run", "p.yaml", "--workers", "4", "--force");
    assertEquals(0, four.code(), four.toString());
    assertArrayEquals(one, Files.readAllBytes(work.resolve("out/events.jsonl.gz")));
    assertEquals(2, one[8], "level 9");
    assertEquals(10, sends(work).size() / 2, "one member per chunk, in both runs");
  }

  @Test
  void verifyChecksTheFileAsStoredAndNamesAnEditedOrCutOne() throws IOException {
    setUp(work, "{ type: file, path: out.json.gz, format: json }");
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    Path out = work.resolve("out.json.gz");
    byte[] stored = Files.readAllBytes(out);
    CliHarness.Result ok = wiz.run("provenance", "verify");
    assertEquals(0, ok.code(), ok.toString());
    long logged = sends(work).stream().mapToLong(e -> e.at("/sink/bytes").asLong()).sum();
    byte[] text = gunzip(stored);
    assertTrue(ok.out().endsWith("; output /work/out.json.gz: " + logged + " bytes as logged, gzip of " + text.length
        + " bytes of text (" + Json.digest(text) + ") as recorded\n"), ok.toString());
    assertTrue(stored.length > logged, "the closing bracket is a member of its own after the chunks'");
    JsonNode output = runRecord().get("output");
    assertEquals(text.length, output.at("/text/bytes").asLong(), output.toString());
    assertEquals(Json.digest(text), output.at("/text/digest").asText(), "what zcat | sha256sum gives: " + output);

    // run.json's text is checked against the file's, as zcat reads it
    Path runJson = runJsonPath();
    String record = Files.readString(runJson);
    Files.writeString(runJson, record.replace(Json.digest(text), Json.digest("other")));
    CliHarness.Result otherText = wiz.run("provenance", "verify");
    assertEquals(new CliHarness.Result(3, "", "/work/out.json.gz: its text (as zcat reads it) is " + text.length
        + " bytes hashing to " + Json.digest(text) + ", but the run recorded " + text.length + " bytes hashing to "
        + Json.digest("other") + " in run.json (by hand, or by a later run that wrote the same file)\n").toString(),
        otherText.toString());
    Files.writeString(runJson, record);

    byte[] edited = stored.clone();
    edited[100] ^= 1;
    Files.write(out, edited);
    CliHarness.Result bad = wiz.run("provenance", "verify");
    assertEquals(3, bad.code(), bad.toString());
    assertTrue(bad.err().startsWith("/work/out.json.gz: the "), bad.toString());
    assertTrue(bad.err().contains(" at byte 0 (chunk gz-"), bad.toString());
    assertTrue(bad.err().contains("they were changed after the run"), bad.toString());

    Files.write(out, Arrays.copyOf(stored, (int) logged - 5));
    CliHarness.Result cut = wiz.run("provenance", "verify");
    assertEquals(new CliHarness.Result(3, "", "/work/out.json.gz: " + (logged - 5) + " bytes, but the run wrote " + logged
        + " bytes: it was cut after the run (by hand, or by a later run that wrote the same file)\n").toString(), cut.toString());

    // The last member holds the bracket; one that holds anything else is an addition.
    Files.write(out, stored);
    Files.write(out, Arrays.copyOfRange(stored, 0, 30), StandardOpenOption.APPEND);
    CliHarness.Result added = wiz.run("provenance", "verify");
    assertEquals(3, added.code(), added.toString());
    assertTrue(added.err().contains(": bytes were added after the run"), added.toString());
  }

  private static byte[] javaGzip(byte[] text) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
      z.write(text);
    }
    return b.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void verifyNamesTheLastMemberRewrittenOrAnEmptyMemberAddedThoughZcatReadsTheSameText() throws IOException {
    for (String where : List.of(".amount > 10", "false")) {
      Path dir = work.resolve(where.equals("false") ? "none" : "some");
      setUp(dir, "{ type: file, path: out.json.gz, format: json }");
      Files.writeString(dir.resolve("p.yaml"), Files.readString(dir.resolve("p.yaml")).replace(".amount > 10", where));
      CliHarness cli = new CliHarness(dir);
      assertEquals(0, cli.run("-q", "run", "p.yaml").code(), where);
      Path out = dir.resolve("out.json.gz");
      byte[] stored = Files.readAllBytes(out);
      int logged = (int) sends(dir).stream().mapToLong(e -> e.at("/sink/bytes").asLong()).sum();
      byte[] chunks = Arrays.copyOf(stored, logged);
      byte[] closing = gunzip(Arrays.copyOfRange(stored, logged, stored.length));
      assertEquals(0, cli.run("provenance", "verify").code(), where);
      // An empty member after the last (cat empty.gz >> out.json.gz), and the last member as gzip(1)
      // writes its text (a modification time, Unix): zcat reads the text the run wrote, but the bytes are not its.
      byte[] gzip1 = javaGzip(closing);
      gzip1[4] = 1;
      gzip1[9] = 3;
      assertEquals(stored.length - logged, gzip1.length, "the same length: only the header differs");
      for (byte[] changed : List.of(concat(stored, javaGzip(new byte[0])), concat(chunks, gzip1))) {
        Files.write(out, changed);
        CliHarness.Result r = cli.run("provenance", "verify");
        assertEquals(new CliHarness.Result(3, "", "/work/" + dir.getFileName() + "/out.json.gz: " + changed.length
            + " bytes, but the run wrote " + logged + " bytes: bytes were added after the run (by hand, or by a later run"
            + " that wrote the same file)\n").toString(), r.toString(), where);
      }
    }
  }

  @Test
  void verifySaysAnOutputCompressedAgainWasChangedNotThatItWasCut() throws IOException {
    setUp(work, "{ type: file, path: out.jsonl.gz }");
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    Path out = work.resolve("out.jsonl.gz");
    // zcat out.jsonl.gz | gzip > out.jsonl.gz: one stream, smaller than a member per chunk.
    byte[] again = javaGzip(gunzip(Files.readAllBytes(out)));
    assertTrue(again.length < Files.size(out));
    Files.write(out, again);
    CliHarness.Result r = wiz.run("provenance", "verify");
    assertEquals(3, r.code(), r.toString());
    JsonNode first = sends(work).stream().filter(e -> e.at("/sink/offset").asLong() == 0).findFirst().orElseThrow();
    assertTrue(r.err().startsWith("/work/out.jsonl.gz: the " + first.at("/sink/bytes").asLong() + " bytes at byte 0 (chunk "
        + first.get("chunk").asText() + ", "), r.toString());
    assertTrue(r.err().contains("they were changed after the run"), r.toString());
  }

  @Test
  void showSaysTheOffsetsAreOfTheCompressedFileAndGivesTheText() throws IOException {
    setUp(work, "{ type: file, path: out.jsonl.gz }");
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    JsonNode send = sends(work).get(1);
    CliHarness.Result show = wiz.run("provenance", "show", send.get("chunk").asText());
    assertEquals(0, show.code(), show.toString());
    String to = "  to        /work/out.jsonl.gz at byte " + send.at("/sink/offset").asLong() + ": " + send.at("/sink/bytes").asLong()
        + " bytes, " + send.get("recordsOut").asInt() + " records (" + send.get("outputDigest").asText() + ")\n"
        + "            a gzip member (offset and bytes of the compressed file) of " + send.at("/sink/text/bytes").asLong()
        + " bytes of text (" + send.at("/sink/text/digest").asText() + ")\n";
    assertTrue(show.out().endsWith(to), show.toString());
    // The last step's output digest is the text's, as with a text sink.
    assertTrue(show.out().contains("\n            out     " + send.at("/sink/text/digest").asText() + "\n"), show.toString());
  }

  @Test
  void resumeAfterACrashCutsBackToTheLastCommittedMemberAndWritesTheBytesOfAnUninterruptedRun() throws IOException {
    for (String format : List.of("jsonl", "csv")) {
      String sink = "{ type: file, path: out." + format + ".gz, format: " + format + " }";
      Path ref = setUp(work.resolve(format + "/ref"), sink);
      assertEquals(0, new CliHarness(ref).run("-q", "run", "p.yaml").code());
      byte[] expected = Files.readAllBytes(ref.resolve("out." + format + ".gz"));

      Path dir = setUp(work.resolve(format + "/crash"), sink);
      CliHarness cli = new CliHarness(dir);
      String run = StagedCrash.after(cli, dir, "p.yaml", "out." + format + ".gz", 4);
      // The crash tore the next member: some of its bytes reached the file, uncommitted.
      Path partial = dir.resolve(".out." + format + ".gz." + run + ".tmp");
      int committed = (int) Files.size(partial);
      Files.write(partial, Arrays.copyOfRange(expected, committed, committed + 17), StandardOpenOption.APPEND);
      CliHarness.Result resumed = cli.run("run", "p.yaml", "--resume");
      assertEquals(0, resumed.code(), resumed.toString());
      assertTrue(resumed.err().contains("4 chunks already committed"), resumed.toString());
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out." + format + ".gz")), format);
      // The chunks taken over say what text their members hold, as their SENDs did.
      List<JsonNode> reused = events(dir, "REUSED");
      assertEquals(4, reused.size(), format);
      for (JsonNode r : reused) {
        JsonNode send = sends(dir).stream().filter(e -> e.get("chunk").equals(r.get("chunk"))).findFirst().orElseThrow();
        assertEquals(send.get("sink"), r.get("sink"), format + " " + r);
        assertTrue(r.at("/sink/text/digest").asText().startsWith("sha256:"), r.toString());
      }
      CliHarness.Result verify = cli.run("provenance", "verify");
      assertEquals(0, verify.code(), verify.toString());
    }
  }

  @Test
  void theExportsCarryTheTextAGzipOutputHolds() throws IOException {
    setUp(work, "{ type: file, path: out.jsonl.gz }");
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    JsonNode text = runRecord().at("/output/text");
    assertEquals(gunzip(Files.readAllBytes(work.resolve("out.jsonl.gz"))).length, text.get("bytes").asLong());

    CliHarness.Result ol = wiz.run("provenance", "export", "--format", "openlineage");
    assertEquals(0, ol.code(), ol.toString());
    JsonNode end = Json.mapper().readTree(ol.out().lines().toList().get(1));
    JsonNode facet = end.at("/outputs/0/outputFacets/wiz_text");
    assertEquals(text.get("bytes"), facet.get("bytes"), ol.out());
    assertEquals(text.get("digest"), facet.get("digest"), ol.out());
    assertEquals(end.get("producer"), facet.get("_producer"));
    assertEquals(runRecord().at("/output/bytes").asLong(), end.at("/outputs/0/outputFacets/outputStatistics/size").asLong());

    CliHarness.Result prov = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, prov.code(), prov.toString());
    JsonNode entities = Json.mapper().readTree(prov.out()).get("entity");
    JsonNode output = entities.get("wiz:file//work/out.jsonl.gz");
    assertTrue(output != null, entities.toString());
    assertEquals(text.get("bytes").asLong(), output.get("wiz:textBytes").asLong(), output.toString());
    assertEquals(text.get("digest").asText(), output.get("wiz:textDigest").asText(), output.toString());
    List<JsonNode> sends = sends(work);
    for (JsonNode send : sends) {
      JsonNode sent = entities.get("run:sent/" + send.get("chunk").asText());
      assertEquals(send.at("/sink/text/bytes").asLong(), sent.get("wiz:textBytes").asLong(), sent.toString());
      assertEquals(send.at("/sink/text/digest").asText(), sent.get("wiz:textDigest").asText(), sent.toString());
      assertEquals(send.get("outputDigest").asText(), sent.get("wiz:digest").asText(), "the stored bytes' digest stays");
    }
  }

  @Test
  void aTextOutputHasNoTextInTheExports() throws IOException {
    setUp(work, "{ type: file, path: out.jsonl }");
    assertEquals(0, wiz.run("-q", "run", "p.yaml").code());
    CliHarness.Result ol = wiz.run("provenance", "export", "--format", "openlineage");
    assertTrue(ol.out().contains("\"outputStatistics\""), ol.out());
    assertTrue(!ol.out().contains("wiz_text"), ol.out());
    CliHarness.Result prov = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, prov.code(), prov.toString());
    assertTrue(!prov.out().contains("wiz:text"), prov.out());
  }

  @Test
  void aForkedChunkTakenOverSaysWhatTextItsChildrensMembersHold() throws IOException {
    String input = IntStream.range(0, 200).mapToObj(i -> "{\"id\":" + i + ",\"xs\":[" + i + "," + (i + 1) + "]}")
        .collect(Collectors.joining("\n", "", "\n"));
    String forking = "wiz: 1\nname: gz\nsource: { type: file, path: in.jsonl }\nchunking: { records: 50 }\nprocessors:\n"
        + "  - { id: x, type: explode, config: { field: xs, as: x } }\n"
        + "sink: { type: file, path: out.jsonl.gz }\nrun: { workers: 2, commitMillis: 0 }\n";
    Files.writeString(work.resolve("in.jsonl"), input);
    Files.writeString(work.resolve("p.yaml"), forking);
    String run = StagedCrash.after(wiz, work, "p.yaml", "out.jsonl.gz", 4);
    assertTrue(events(work, "FORK").size() >= 2, "each chunk forks");
    CliHarness.Result resumed = wiz.run("run", "p.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("2 chunks already committed"), resumed.toString());
    byte[] out = Files.readAllBytes(work.resolve("out.jsonl.gz"));
    List<JsonNode> reused = events(work, "REUSED");
    assertEquals(2, reused.size(), reused.toString());
    for (JsonNode r : reused) {
      int from = r.at("/sink/offset").asInt();
      byte[] text = gunzip(Arrays.copyOfRange(out, from, from + r.at("/sink/bytes").asInt()));
      assertEquals(text.length, r.at("/sink/text/bytes").asLong(), r.toString());
      assertEquals(Json.digest(text), r.at("/sink/text/digest").asText(), r.toString());
      // Its children's texts, one after the other.
      long children = sends(work).stream().filter(e -> e.get("run").asText().equals(run)
          && e.get("chunk").asText().startsWith(r.get("chunk").asText() + "."))
          .mapToLong(e -> e.at("/sink/text/bytes").asLong()).sum();
      assertEquals(children, text.length, r.toString());
    }
    assertEquals(0, wiz.run("provenance", "verify").code());
  }

  @Test
  void aDryRunSaysTheOutputIsGzipAndAtWhichLevel() throws IOException {
    setUp(work, "{ type: file, path: out.csv.gz, format: csv, level: 2 }");
    CliHarness.Result text = wiz.run("run", "p.yaml", "--dry-run");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.err().contains("\n  output:       out.csv.gz (csv, gzip level 2)\n"), text.toString());
    JsonNode json = Json.mapper().readTree(wiz.run("run", "p.yaml", "--dry-run", "--format", "json").out());
    assertEquals("csv", json.get("format").asText());
    assertEquals("gzip", json.get("compression").asText(), json.toString());
    assertEquals(2, json.get("level").asInt(), json.toString());
    setUp(work, "{ type: file, path: out.csv, format: csv }");
    JsonNode plain = Json.mapper().readTree(wiz.run("run", "p.yaml", "--dry-run", "--format", "json").out());
    assertTrue(!plain.has("compression") && !plain.has("level"), plain.toString());
  }

  @Test
  void aStdoutSinkStaysTextAndItsCompressionKeySaysToPipeIt() throws IOException {
    setUp(work, "{ type: stdout, compression: gzip }");
    String hint = ": a stdout sink writes text; to compress it, pipe it (wiz run PIPELINE | gzip > out.jsonl.gz), or use"
        + " a file sink named .gz (type: file, path: out.jsonl.gz)";
    assertEquals(new CliHarness.Result(3, "", "p.yaml:7:23: /sink/compression: unknown key 'compression' (known keys:"
        + " type, format, delimiter, columns)" + hint + "\np.yaml: 1 problem\n").toString(), wiz.run("validate", "p.yaml").toString());
    setUp(work, "{ type: stdout, colums: [a] }");
    CliHarness.Result other = wiz.run("validate", "p.yaml");
    assertEquals(3, other.code(), other.toString());
    assertTrue(!other.err().contains(hint), "only compression and level: " + other);
  }

  @Test
  void validateRefusesACompressionOptionThatContradictsTheName() throws IOException {
    setUp(work, "{ type: file, path: out.jsonl, compression: gzip }");
    String expected = "p.yaml:7:51: /sink/compression: compression is gzip, but 'out.jsonl' does not end in .gz, so"
        + " readers would take its gzip data for text: name the file 'out.jsonl.gz' (the name alone says gzip), or leave"
        + " compression out to write text\n";
    assertEquals(new CliHarness.Result(3, "", expected + "p.yaml: 1 problem\n").toString(), wiz.run("validate", "p.yaml").toString());
    assertEquals(new CliHarness.Result(3, "", expected).toString(), wiz.run("run", "p.yaml").toString());
    assertTrue(Files.notExists(work.resolve("out.jsonl")));
  }
}

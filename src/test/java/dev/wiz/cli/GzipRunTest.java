package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run reads gzip input as its text: the output, the lines in messages and provenance and the
 * digests are those of the text, while the run record and the request key name the file as stored;
 * a file cut short fails the run (exit 4) whatever run.onError says; --resume reads it again.
 */
class GzipRunTest extends JimfsCliTest {
  private static final String TEXT = IntStream.range(0, 40).mapToObj(i -> "{\"id\":" + i + "}")
      .collect(Collectors.joining("\n", "", "\n"));

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  private static String pipeline(String source, String onError) {
    return "wiz: 1\nname: gz\nsource: " + source + "\nchunking: { records: 10 }\nprocessors:\n"
        + "  - { id: keep, type: filter, config: { where: '.id != 3' } }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 2, onError: " + onError + " }\n";
  }

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("plain.yaml"), pipeline("{ type: file, path: in.jsonl }", "fail"));
    Files.writeString(work.resolve("in.jsonl"), TEXT);
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: file, path: in.jsonl.gz }", "fail"));
    Files.write(work.resolve("in.jsonl.gz"), gzip(TEXT));
  }

  /** The provenance events of a run, by the run id its --format json answer gives. */
  static JsonNode[] events(Path work, CliHarness.Result r) throws IOException {
    String runId = Json.mapper().readTree(r.out()).get("runId").asText();
    return Files.readAllLines(work.resolve(".wiz/runs/" + runId + "/provenance.jsonl")).stream()
        .map(l -> {
          try {
            return Json.mapper().readTree(l);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }).toArray(JsonNode[]::new);
  }

  static String creates(JsonNode[] events) {
    return Arrays.stream(events).filter(e -> "CREATE".equals(e.path("type").asText()))
        .map(e -> e.path("source").toString() + " " + e.path("inputDigest").asText())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void aGzipFileRunsAsItsTextWouldWithTheSameOutputLinesAndDigests() throws IOException {
    CliHarness.Result plain = wiz.run("run", "plain.yaml", "--format", "json");
    assertEquals(0, plain.code(), plain.toString());
    String want = Files.readString(work.resolve("out.jsonl"));
    Files.delete(work.resolve("out.jsonl"));
    CliHarness.Result gz = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, gz.code(), gz.toString());
    assertEquals(want, Files.readString(work.resolve("out.jsonl")));
    assertEquals(creates(events(work, plain)).replace("in.jsonl", "in.jsonl.gz"), creates(events(work, gz)),
        "chunks come from the same lines of the text, with the same digests");
    JsonNode run = Json.mapper().readTree(Files.readString(work.resolve(
        Json.mapper().readTree(gz.out()).get("runRecord").asText())));
    JsonNode input = run.at("/inputs/0");
    assertEquals("in.jsonl.gz", input.path("name").asText(), run.toString());
    assertEquals(Files.size(work.resolve("in.jsonl.gz")), input.path("size").asLong(), "the file as stored: " + run);
  }

  @Test
  void aGzipFileCutShortFailsTheRunWhateverOnErrorSays() throws IOException {
    byte[] gz = gzip(TEXT);
    Files.write(work.resolve("in.jsonl.gz"), Arrays.copyOf(gz, gz.length - 10));
    Files.writeString(work.resolve("skip.yaml"), pipeline("{ type: file, path: in.jsonl.gz }", "skip"));
    for (String p : new String[] {"p.yaml", "skip.yaml"}) {
      CliHarness.Result r = wiz.run("run", p);
      assertEquals(4, r.code(), r.toString());
      assertTrue(r.err().startsWith("wiz: run failed: reading input: in.jsonl.gz: the gzip data is cut short: the file"
          + " ends inside its compressed data (after " + (gz.length - 10) + " bytes), so its records from there on are"
          + " missing (a copy or download that did not finish?): get the whole file again (gzip -t checks one)\n"),
          r.toString());
      assertFalse(Files.exists(work.resolve("out.jsonl")), "no output in place: " + r);
    }
  }

  @Test
  void gzipOnStandardInputIsReadAsItsText() throws IOException {
    Files.writeString(work.resolve("stdin.yaml"), pipeline("{ type: stdin }", "fail"));
    wiz.stdinStream = new ByteArrayInputStream(gzip(TEXT));
    CliHarness.Result r = wiz.run("-q", "run", "stdin.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals(TEXT.replace("{\"id\":3}\n", ""), Files.readString(work.resolve("out.jsonl")));
  }

  @Test
  void aGzipFileReplacedSinceTheUnfinishedRunIsAnotherRequest() throws IOException {
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: file, path: in.jsonl.gz }", "fail")
        .replace("'.id != 3'", "'if .id == 25 then error(\"boom\") else true end'"));
    CliHarness.Result failed = wiz.run("run", "p.yaml");
    assertEquals(4, failed.code(), failed.toString());
    Files.write(work.resolve("in.jsonl.gz"), gzip(TEXT.replace("{\"id\":25}\n", "")));
    CliHarness.Result plan = wiz.run("run", "p.yaml", "--resume", "--dry-run", "--format", "json");
    assertEquals(0, plan.code(), plan.toString());
    assertTrue(Json.mapper().readTree(plan.out()).get("resume").asText().contains("but input in.jsonl.gz has changed"
        + " since, which makes this another request"), plan.toString());
  }

  /**
   * A run that failed half-way on a gzip input (a step failed while a marker file was there) and
   * --resume once the cause is gone: the committed chunks are read again from the start of the
   * gzip data, their digests match, and the output is the bytes of an uninterrupted run.
   */
  @Test
  void resumeReadsTheGzipFileAgainAndWritesTheBytesOfAnUninterruptedRun(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("in.jsonl.gz"), gzip(TEXT));
    Files.writeString(dir.resolve("boom"), "");
    String step = "d=$(cat); case \"$d\" in *'\"id\":25}'*) [ -e boom ] && exit 3;; esac; printf '%s\\n' \"$d\"";
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nname: gz\nsource: { type: file, path: in.jsonl.gz }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - id: step\n    type: exec\n"
        + "    config: { command: [/bin/sh, -c, '" + step.replace("'", "''") + "'] }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { workers: 1, onError: fail, commitMillis: 0 }\n");
    CliHarness cli = new CliHarness(dir);
    CliHarness.Result failed = cli.run("run", "p.yaml");
    assertEquals(4, failed.code(), failed.toString());
    assertTrue(failed.err().contains("in.jsonl.gz:21-30"), "the chunk is named by the lines of the text: " + failed);
    Files.delete(dir.resolve("boom"));
    CliHarness.Result resumed = cli.run("run", "p.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("2 chunks already committed"), resumed.toString());
    assertEquals(TEXT, Files.readString(dir.resolve("out.jsonl")));
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A record the sink cannot write, in each format, is a record error named by its input line, as a
 * record a processor rejects: run.onError fails the run, skips it or dead-letters it, and the rest
 * of the chunk and of the run go on.
 */
class SinkRecordErrorsTest extends JimfsCliTest {
  /** Per format: a jq program that makes records 3, 13 and 23 (lines 4, 14, 24) ones it cannot write, and why. */
  private static final Map<String, String[]> BAD = Map.of(
      "csv", new String[] {"if .id % 10 == 3 then {id, extra: true} else . end",
          "the record {\"id\":3,\"extra\":true} has a field 'extra' that is not among the CSV columns [id], which came"
              + " from the first record: list the columns in the sink's columns (keys not listed there are left out)"},
      "jsonl", new String[] {"if .id % 10 == 3 then {id, v: reduce range(1000) as $i (null; [.])} else . end",
          "the record is nested more than 1000 levels deep: wiz writes at most 1000 levels of arrays and objects, as"
              + " many as it reads; flatten it (jq: tojson makes a string of it)"},
      "json", new String[] {"if .id % 10 == 3 then [reduce range(999) as $i (null; [.])] else . end",
          "the record is nested more than 999 levels deep, and format json puts it in an array: wiz writes at most"
              + " 1000 levels of arrays and objects, as many as it reads; flatten it (jq: tojson makes a string of it),"
              + " or use format jsonl"},
      "lines", new String[] {"if .id % 10 == 3 then \"a\\nb\" else \"r\\(.id)\" end",
          "the record is a string with a line break, which format lines cannot write as one line: use format jsonl,"
              + " or replace the breaks (jq: gsub(\"\\n\"; \" \"))"});

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("in.jsonl"),
        IntStream.range(0, 30).mapToObj(i -> "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n")));
  }

  private void pipeline(String format, String onError) throws IOException {
    String program = Json.mapper().writeValueAsString(BAD.get(format)[0]);
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\nsource: { type: file, path: in.jsonl }\n"
        + "chunking: { records: 10 }\nprocessors:\n  - { id: make, type: jq, config: { program: " + program + " } }\n"
        + "sink: { type: file, path: out." + format + ", format: " + format + " }\n"
        + "run: { workers: 2, onError: " + onError + ", commitMillis: 0 }\n");
  }

  private JsonNode runJson() throws IOException {
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      List<Path> all = runs.toList();
      assertEquals(1, all.size());
      return Json.mapper().readTree(Files.readAllBytes(all.get(0).resolve("run.json")));
    }
  }

  private List<JsonNode> deadLetters() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      for (Path run : runs.sorted().toList()) {
        Path dl = run.resolve("dead-letter.jsonl");
        if (!Files.exists(dl)) continue;
        for (String line : Files.readAllLines(dl)) out.add(Json.mapper().readTree(line));
      }
    }
    return out;
  }

  @Test
  void withOnErrorFailTheRunFailsAtTheRecordsLineInEveryFormat() throws IOException {
    for (String format : List.of("csv", "jsonl", "json", "lines")) {
      openWorkFolder(); // a new file system for each case
      setUp();
      pipeline(format, "fail");
      CliHarness.Result r = wiz.run("run", "p.yaml");
      assertEquals(4, r.code(), format + ": " + r);
      Matcher m = Pattern.compile("wiz: run failed: in\\.jsonl:4: sink \\(" + format + "\\): (.*) \\(chunk p-[0-9a-f]{8}-000000\\);"
          + " set run\\.onError to skip or dead-letter to go on past bad records\n").matcher(r.err());
      assertTrue(m.lookingAt(), format + ": " + r.err());
      assertEquals(BAD.get(format)[1], m.group(1), format);
      assertEquals(r.err().substring("wiz: run failed: ".length(), m.end() - 1), runJson().get("error").asText());
      assertFalse(Files.exists(work.resolve("out." + format)), "nothing is written where the output goes");
      closeWorkFolder();
    }
  }

  /**
   * A record a jq program nests tens of thousands of levels deep is a record error of the sink like
   * any other: the digests between steps and the dead letters write it with no Java frame per
   * level. It failed the run with a stack overflow before.
   */
  @Test
  void aRecordTensOfThousandsOfLevelsDeepIsARecordErrorNotAFailedRun() throws IOException {
    String program = Json.mapper().writeValueAsString("if .id == 3 then {id, v: reduce range(30000) as $i (null; [.])} else . end");
    for (String onError : List.of("fail", "dead-letter")) {
      openWorkFolder(); // a new file system for each case
      setUp();
      Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\nsource: { type: file, path: in.jsonl }\n"
          + "chunking: { records: 10 }\nprocessors:\n  - { id: make, type: jq, config: { program: " + program + " } }\n"
          + "sink: { type: file, path: out.jsonl }\nrun: { workers: 2, onError: " + onError + ", commitMillis: 0 }\n");
      CliHarness.Result r = wiz.run("run", "p.yaml");
      if (onError.equals("fail")) {
        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().startsWith("wiz: run failed: in.jsonl:4: sink (jsonl): " + BAD.get("jsonl")[1]), r.err());
      } else {
        assertEquals(5, r.code(), r.toString());
        List<JsonNode> dead = deadLetters();
        assertEquals(List.of(4), dead.stream().map(d -> d.get("line").asInt()).toList());
        assertEquals(29, Files.readAllLines(work.resolve("out.jsonl")).size());
        CliHarness.Result verify = wiz.run("provenance", "verify");
        assertEquals(0, verify.code(), verify.toString());
      }
      closeWorkFolder();
    }
  }

  @Test
  void withOnErrorSkipTheRecordIsLeftOutAndCountedAndTheRestIsWritten() throws IOException {
    for (String format : List.of("csv", "jsonl", "json", "lines")) {
      openWorkFolder(); // a new file system for each case
      setUp();
      pipeline(format, "skip");
      CliHarness.Result r = wiz.run("run", "p.yaml");
      assertEquals(5, r.code(), format + ": " + r);
      assertTrue(r.err().startsWith("wiz: completed-with-errors in "), r.err());
      assertTrue(r.err().contains(": 3 chunks, 30 records read, 27 written, 3 skipped\n"
          + "  make:         30 in, 30 out\n"
          + "  sink:         3 skipped (records it could not write)\n"
          + "  first skip:   sink: in.jsonl:4: " + BAD.get(format)[1] + "\n"
          + "  records:      30 read = 27 written + 0 filtered + 3 skipped + 0 dead-lettered\n"), format + ": " + r.err());
      JsonNode counts = runJson().get("counts");
      assertEquals(27, counts.get("written").asInt(), counts.toString());
      assertEquals(3, counts.get("skipped").asInt());
      String out = Files.readString(work.resolve("out." + format));
      List<String> ids = IntStream.range(0, 30).filter(i -> i % 10 != 3).mapToObj(Integer::toString).toList();
      switch (format) {
        case "csv":
          assertEquals("id\n" + String.join("\n", ids) + "\n", out);
          break;
        case "lines":
          assertEquals(ids.stream().map(i -> "r" + i + "\n").collect(Collectors.joining()), out);
          break;
        case "json":
          assertEquals(ids.stream().map(i -> "{\"id\":" + i + "}").collect(Collectors.joining(",\n", "[\n", "\n]\n")), out);
          break;
        default:
          assertEquals(ids.stream().map(i -> "{\"id\":" + i + "}\n").collect(Collectors.joining()), out);
      }
      assertEquals(List.of(), deadLetters());
      closeWorkFolder();
    }
  }

  @Test
  void withOnErrorDeadLetterTheRecordGoesToTheDeadLettersWithItsLine() throws IOException {
    for (String format : List.of("csv", "jsonl", "json", "lines")) {
      openWorkFolder(); // a new file system for each case
      setUp();
      pipeline(format, "dead-letter");
      CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
      assertEquals(5, r.code(), format + ": " + r);
      JsonNode summary = Json.mapper().readTree(r.out());
      assertEquals(3, summary.get("deadLettered").asInt(), summary.toString());
      assertEquals(3, summary.get("sinkDeadLettered").asInt());
      assertEquals(27, summary.get("written").asInt());
      assertEquals(3, runJson().at("/counts/deadLettered").asInt());
      List<JsonNode> dead = deadLetters();
      assertEquals(List.of(4, 14, 24), dead.stream().map(d -> d.get("line").asInt()).toList(), format);
      JsonNode first = dead.get(0);
      assertEquals("sink", first.get("processor").asText());
      assertEquals(BAD.get(format)[1], first.get("reason").asText());
      assertEquals("in.jsonl", first.get("origin").asText());
      assertEquals(1, first.get("firstLine").asInt());
      assertEquals(10, first.get("lastLine").asInt());
      assertTrue(first.get("chunk").asText().endsWith("-000000"));
      if (format.startsWith("json")) {
        // Nested deeper than wiz reads: its JSON text, so the file stays readable.
        assertFalse(first.has("record"));
        assertTrue(first.get("raw").asText().startsWith(format.equals("json") ? "[[[[" : "{\"id\":3,\"v\":[[[["), format);
      } else {
        assertEquals(format.equals("lines") ? "\"a\\nb\"" : "{\"id\":3,\"extra\":true}", first.get("record").toString());
      }
      closeWorkFolder();
    }
  }

  /**
   * What the sink writes and what it refuses depend on the records and their order only: the same
   * input gives the same bytes, the same record errors and dead letters with one record a chunk,
   * two, or all in one, on one worker or three (the
   * bytes of a gzip output differ, one member a chunk; their text does not). A {} before the csv columns were known was a row of
   * empty cells when a record with keys followed it in its chunk, and refused when it was alone.
   */
  @Test
  void theOutputAndTheRecordErrorsDoNotDependOnTheChunking() throws IOException {
    String input = "{}\n[1]\n{}\n{\"\":1}\n{\"a\":1,\"b\":2}\n{}\n{\"a\":3}\n{\"c\":4}\n{}\n\"s\"\n";
    Map<String, String> expected = Map.of(
        "out.csv", "a,b\n1,2\n,\n3,\n,\n",
        "out.json", "[\n{},\n[1],\n{},\n{\"\":1},\n{\"a\":1,\"b\":2},\n{},\n{\"a\":3},\n{\"c\":4},\n{},\n\"s\"\n]\n",
        "out.csv.gz", "a,b\n1,2\n,\n3,\n,\n");
    for (String path : List.of("out.csv", "out.json", "out.csv.gz")) {
      String first = null;
      // records a chunk, workers
      for (int[] run : new int[][] {{1000, 1}, {1, 1}, {1, 3}, {2, 3}}) {
        int records = run[0];
        int workers = run[1];
        openWorkFolder(); // a new file system for each case
        Files.writeString(work.resolve("in.jsonl"), input);
        String format = path.split("\\.")[1];
        Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\nsource: { type: file, path: in.jsonl }\n"
            + "chunking: { records: " + records + " }\nprocessors: []\n"
            + "sink: { type: file, path: " + path + ", format: " + format + " }\n"
            + "run: { workers: " + workers + ", onError: dead-letter, commitMillis: 0 }\n");
        CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
        String what = path + ", " + records + " records a chunk, " + workers + " workers";
        byte[] bytes = Files.readAllBytes(work.resolve(path));
        String text = new String(path.endsWith(".gz") ? gunzip(bytes) : bytes, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(expected.get(path), text, what);
        JsonNode summary = Json.mapper().readTree(r.out());
        // Each dead letter without its chunk, whose name tells the chunking.
        List<String> dead = new ArrayList<>();
        for (JsonNode d : deadLetters()) {
          dead.add(d.get("line") + " " + d.get("processor") + " " + d.get("reason") + " " + d.get("record"));
        }
        String seen = r.code() + " written " + summary.get("written") + " dead-lettered " + summary.get("deadLettered")
            + " " + dead + "\n" + text;
        if (first == null) {
          first = seen;
          if (format.equals("csv")) {
            assertEquals(5, r.code(), what + ": " + r);
            assertTrue(first.contains("[1 \"sink\" \"the record {} has no fields, and no record before it had any to"
                + " make the CSV columns of: list the columns in the sink's columns\" {}, 2 \"sink\" \"a CSV row must"
                + " be an object"), first);
            assertEquals(6, dead.size(), first);
          } else {
            assertEquals(0, r.code(), what + ": " + r);
          }
        } else {
          assertEquals(first, seen, what);
        }
        closeWorkFolder();
      }
    }
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void aRunThatDeadLetteredRecordsAtTheSinkIsResumedToTheSameOutput() throws IOException {
    pipeline("csv", "dead-letter");
    assertEquals(5, wiz.run("-q", "run", "p.yaml").code());
    String whole = Files.readString(work.resolve("out.csv"));
    fs.close();

    openWorkFolder(); // a new file system for each case
    setUp();
    pipeline("csv", "dead-letter");
    StagedCrash.after(wiz, work, "p.yaml", "out.csv", 2, 5);
    CliHarness.Result r = wiz.run("run", "p.yaml", "--resume", "--format", "json");
    assertEquals(5, r.code(), r.toString());
    JsonNode summary = Json.mapper().readTree(r.out());
    assertEquals(2, summary.get("reusedChunks").asInt(), summary.toString());
    assertEquals(3, summary.get("deadLettered").asInt(), "the 2 of the chunks taken over and the one of the last");
    assertEquals(1, summary.get("sinkDeadLettered").asInt(), "what this run's sink refused");
    assertEquals(27, summary.get("written").asInt());
    // The sink's dead letters of the chunks taken over were counted as records a step created.
    assertEquals(0, summary.get("created").asInt(), summary.toString());
    assertEquals(0, summary.get("filtered").asInt(), summary.toString());
    assertEquals(whole, Files.readString(work.resolve("out.csv")), "the bytes an uninterrupted run writes");
  }
}

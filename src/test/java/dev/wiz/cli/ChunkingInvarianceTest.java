package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random pipelines of the built-in processors (all but {@code exec}, which starts processes), from
 * a fixed seed each, over random small inputs with bad records and undecodable lines, give the same
 * output bytes, dead letters, exit code, per-processor counts and totals at any chunk size and
 * number of workers (README: "byte-identical output whatever the number of workers", "Every record
 * accounted for": counted record by record "so that they are the same at any chunk size and
 * number of workers"; "Bad records, messages and dead letters").
 */
class ChunkingInvarianceTest extends JimfsCliTest {
  /** Chunk size and workers of each run; 3 with 1 and 2 workers, to compare dead letters byte for byte. */
  private static final int[][] RUNS = {{1, 1}, {3, 1}, {3, 2}, {1000, 1}};

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 16);
  }

  /** What one run gave, with what the docs say may differ between chunk sizes left out. */
  private record Outcome(int code, String output, String deadLettersAsWritten, String deadLettersByLine, String json) {}

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void countsOutputAndDeadLettersDoNotDependOnChunkSizeOrWorkers(long seed) throws IOException {
    Random r = new Random(seed);
    Files.writeString(work.resolve("in.jsonl"), input(r));
    Files.writeString(work.resolve("table.jsonl"), LongStream.range(0, 10)
        .mapToObj(k -> "{\"k\":" + k + ",\"name\":\"n" + k + "\",\"w\":" + (k * 7 % 5) + "}").collect(Collectors.joining("\n", "", "\n")));
    String onError = r.nextInt(5) == 0 ? "fail" : r.nextBoolean() ? "skip" : "dead-letter";
    List<String> steps = steps(r);
    String what = "seed " + seed + ", onError " + onError + ", input:\n" + Files.readString(work.resolve("in.jsonl"))
        + "steps:\n" + String.join("\n", steps) + "\n";

    List<Outcome> outcomes = new ArrayList<>();
    for (int[] run : RUNS) {
      Outcome o = run(steps, onError, run[0], run[1]);
      outcomes.add(o);
      Outcome first = outcomes.get(0);
      String at = what + "chunks of " + run[0] + ", " + run[1] + " workers, against chunks of " + RUNS[0][0] + ", " + RUNS[0][1] + " workers";
      assertEquals(first.code(), o.code(), at);
      assertEquals(first.output(), o.output(), at);
      assertEquals(first.deadLettersByLine(), o.deadLettersByLine(), at);
      assertEquals(first.json(), o.json(), at);
    }
    // The same chunk size with 1 and 2 workers: the dead letters are the same bytes, in the same order.
    assertEquals(outcomes.get(1).deadLettersAsWritten(), outcomes.get(2).deadLettersAsWritten(), what + "chunks of 3, 1 against 2 workers");
  }

  /** 0 to 60 lines: records of a few shapes, some that a step rejects, some that cannot be decoded. */
  private static String input(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(61);
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(30);
      if (kind == 0) {
        b.append(r.nextBoolean() ? "not json" : "{\"id\":").append('\n');
        continue;
      }
      if (kind == 1) {
        b.append(r.nextBoolean() ? "[1,2]" : "\"text\"").append('\n');
        continue;
      }
      int id = r.nextInt(15);
      String a = kind == 2 ? "\"oops\"" : kind == 3 ? "null" : kind == 4 ? "\"" + r.nextInt(9) + "\"" : Integer.toString(r.nextInt(9) - 2);
      String xs = kind == 5 ? "\"x\"" : r.nextInt(6) == 0 ? "null" : LongStream.range(0, r.nextInt(4))
          .mapToObj(x -> Integer.toString(r.nextInt(5))).collect(Collectors.joining(",", "[", "]"));
      String s = kind == 6 ? "\"nobody\"" : "\"u" + r.nextInt(5) + "@ex" + r.nextInt(2) + ".org\"";
      b.append("{\"id\":").append(id).append(",\"a\":").append(a).append(",\"s\":").append(s).append(",\"xs\":").append(xs);
      if (r.nextBoolean()) b.append(",\"n\":{\"k\":").append(r.nextInt(3)).append(",\"t\":[").append(r.nextInt(3)).append("]}");
      b.append("}\n");
    }
    return b.toString();
  }

  /** Each processor type with a few configs; some reject records of the input above. */
  private static final List<String[]> TYPES = List.of(
      new String[] {"filter", "{ where: '.id % 3 != 0' }", "{ where: '.a + 1 > 2' }", "{ where: '.xs | length > 1' }"},
      new String[] {"jq", "{ program: '.xs[]' }", "{ program: '.xs[] as $x | .x = $x' }", "{ program: 'empty' }",
          "{ program: 'if .id % 2 == 0 then ., . else empty end' }", "{ program: '.a += 1' }", "{ program: '{id, a, s}' }",
          "{ program: '{id: .id, m: (.id % 4)}' }"},
      new String[] {"explode", "{ field: xs }", "{ field: xs, as: x }", "{ field: xs, keepEmpty: true }"},
      new String[] {"select", "{ fields: [id, a, xs] }", "{ fields: [id, n.k, s] }"},
      new String[] {"drop", "{ fields: [n] }", "{ fields: [s, n.t] }"},
      new String[] {"set", "{ fields: { b: '.id * 2' } }", "{ fields: { c: '.a * 10', n.z: '.id' } }"},
      new String[] {"rename", "{ fields: { a: b } }", "{ fields: { n.k: kk, id: a, a: id } }"},
      new String[] {"flatten", "{}", "{ arrays: false }"},
      new String[] {"unflatten", "{}"},
      new String[] {"cast", "{ fields: { a: int } }", "{ fields: { id: string, a: float } }"},
      new String[] {"regex", "{ field: s, pattern: '(?<user>[^@]+)@(?<domain>.+)' }",
          "{ field: s, pattern: '(?<user>[^@]+)@(?<domain>.+)', into: parts, onMismatch: reject }"},
      new String[] {"hash", "{ fields: [s] }", "{ fields: [s, id], suffix: _h }"},
      new String[] {"dedupe", "{ key: .id }", "{ key: '.a' }", "{}"},
      // readAll: a limit otherwise stops the reading 8 chunks past the one that filled it, so what
      // is read and counted depends on the chunk size (docs/processors/limit.md, "What still happens").
      new String[] {"limit", "{ count: 5, readAll: true }", "{ count: 0, readAll: true }", "{ count: 30, readAll: true }"},
      // Not fraction: its choice depends on chunking.records (docs/processors/sample.md).
      new String[] {"sample", "{ size: 7 }", "{ size: 0 }", "{ size: 100 }"},
      new String[] {"sort", "{ by: [{key: .a}] }", "{ by: [{key: .id, order: desc}, {key: .s}] }"},
      new String[] {"aggregate", "{ groupBy: { g: '.id % 3' }, aggregates: { c: { op: count }, t: { op: sum, of: .a } } }",
          "{ aggregates: { c: { op: count }, m: { op: max, of: .id } } }"},
      new String[] {"validate", "{ schema: { type: object, required: [id], properties: { a: { type: integer } } } }"},
      new String[] {"lookup", "{ file: table.jsonl, key: .id, fileKey: .k }",
          "{ file: table.jsonl, key: .id, fileKey: .k, into: t, fields: [name], unmatched: drop }",
          "{ file: table.jsonl, key: .id, fileKey: .k, unmatched: reject }"});

  private static List<String> steps(Random r) {
    List<String> steps = new ArrayList<>();
    int n = 2 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      // jq and explode (the second and third) three times as often: a step that both filters and
      // creates in one chunk is where counting per chunk and per record part.
      int pick = r.nextInt(TYPES.size() + 4);
      String[] t = TYPES.get(pick >= TYPES.size() ? 1 + (pick - TYPES.size()) % 2 : pick);
      steps.add("{ id: s" + i + ", type: " + t[0] + ", config: " + t[1 + r.nextInt(t.length - 1)] + " }");
    }
    return steps;
  }

  private Outcome run(List<String> steps, String onError, int chunk, int workers) throws IOException {
    deleteAll(work.resolve(".wiz"));
    Files.deleteIfExists(work.resolve("out.jsonl"));
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\n"
        + "source: { type: file, path: in.jsonl, format: jsonl }\nchunking: { records: " + chunk + " }\nprocessors:\n"
        + steps.stream().map(s -> "  - " + s + "\n").collect(Collectors.joining())
        + "sink: { type: file, path: out.jsonl, format: jsonl }\nrun: { onError: " + onError + ", workers: " + workers + ", seed: 7 }\n");
    CliHarness.Result res = wiz.run("run", "p.yaml", "--format", "json");
    JsonNode o;
    try {
      o = Json.mapper().readTree(res.out());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + res, e);
    }
    if (o == null || !o.isObject()) throw new AssertionError("no JSON object: " + res);
    Path out = work.resolve("out.jsonl");
    String output = Files.exists(out) ? Files.readString(out) : "(no output)";
    String asWritten = "";
    String byLine = "";
    if (o.hasNonNull("deadLetters") && Files.exists(fs.getPath(o.get("deadLetters").asText()))) {
      asWritten = Files.readString(fs.getPath(o.get("deadLetters").asText()), StandardCharsets.UTF_8);
      byLine = byLine(asWritten);
    }
    return new Outcome(res.code(), output, asWritten, byLine, comparable((ObjectNode) o));
  }

  /**
   * The dead letters without their chunk's id and lines, sorted by line: README, "Bad records":
   * the file "holds the same records with the same reasons and lines whatever the number of workers
   * and the chunk size (the chunk, firstLine and lastLine of each ... are the chunk's)", and with
   * larger chunks one a later step rejected can come after one of a later line.
   */
  private static String byLine(String deadLetters) throws IOException {
    List<JsonNode> letters = new ArrayList<>();
    for (String line : deadLetters.split("\n")) {
      if (line.isEmpty()) continue;
      ObjectNode l = (ObjectNode) Json.mapper().readTree(line);
      l.remove(List.of("chunk", "firstLine", "lastLine"));
      letters.add(l);
    }
    return letters.stream().sorted(Comparator.comparingLong((JsonNode l) -> l.path("line").asLong()).thenComparing(JsonNode::toString))
        .map(JsonNode::toString).collect(Collectors.joining("\n"));
  }

  /**
   * The answer of {@code run --format json} without what is the run's or the chunks' own: ids,
   * paths under the run's folder, timings, the number of chunks (per run and per processor), and
   * the provenance head (its events name the chunks). The error keeps all but its chunk's id and
   * what it counts in that chunk (README, "Bad records": "Only the chunk's id and what the message
   * counts in it ... depend on the chunk size"). A failed run's counts depend on which chunks were
   * in flight (README, "Every record accounted for"), so of a failed run only its status and error
   * are kept.
   */
  private static String comparable(ObjectNode o) {
    for (String f : List.of("runId", "runRecord", "provenance", "deadLetters", "provenanceHead", "chunks", "millis")) o.remove(f);
    for (JsonNode p : o.path("processors")) ((ObjectNode) p).remove(List.of("chunks", "millis"));
    if (o.hasNonNull("error")) {
      o.put("error", o.get("error").asText().replaceAll(" \\(and \\d+ more in this chunk\\)", "")
          .replaceAll("\\(chunk p-[0-9a-f]{8}-[0-9]{6}[^)]*\\)", "(chunk)"));
    }
    if ("failed".equals(o.path("status").asText())) {
      return "failed: " + o.path("error").asText();
    }
    return o.toString();
  }

  private static void deleteAll(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }
}

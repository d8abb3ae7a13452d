package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code sample} with {@code fraction} keeps the same records for the same input bytes, seed and
 * pipeline steps, whatever else makes the request (and so the chunk ids) differ.
 */
class SampleReproducibilityTest extends JimfsCliTest {
  private String input;

  @BeforeEach
  void setUp() throws IOException {
    input = IntStream.range(0, 250).mapToObj(i -> "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n"));
    Files.writeString(work.resolve("in.jsonl"), input);
  }

  private static String pipeline(String name, String source, String sink, long seed) {
    return String.join("\n",
        "wiz: 1",
        "name: " + name,
        "source: " + source,
        "chunking: { records: 50 }",
        "processors:",
        "  - { id: pick, type: sample, config: { fraction: 0.3 } }",
        "sink: " + sink,
        "run: { workers: 2, seed: " + seed + " }",
        "");
  }

  private static String file(String path) {
    return "{ type: file, path: " + path + " }";
  }

  /** Runs the pipeline written to {@code name}.yaml; returns what it wrote to stdout. */
  private String run(String name, String text, String... more) throws IOException {
    Files.writeString(work.resolve(name + ".yaml"), text);
    String[] args = Stream.concat(Stream.of("-q", "run", name + ".yaml"), Stream.of(more)).toArray(String[]::new);
    CliHarness.Result r = wiz.run(args);
    assertEquals(0, r.code(), r.toString());
    return r.out();
  }

  private byte[] read(String path) throws IOException {
    return Files.readAllBytes(work.resolve(path));
  }

  private long requests() throws IOException {
    try (Stream<Path> all = Files.list(work.resolve(".wiz/requests"))) {
      return all.count();
    }
  }

  @Test
  void theSameBytesGiveTheSameSampleThroughATouchedFileACopyStdinAndAnotherSink() throws IOException {
    run("a", pipeline("a", file("in.jsonl"), file("out/a.jsonl"), 7));
    byte[] expected = read("out/a.jsonl");
    long kept = new String(expected, StandardCharsets.UTF_8).lines().count();
    assertTrue(kept > 30 && kept < 120, "about 30% of 250 records is kept: " + kept);

    // Touched: a new input fingerprint, so a new request key and new chunk ids.
    Files.setLastModifiedTime(work.resolve("in.jsonl"), FileTime.fromMillis(1_700_000_000_000L));
    run("a", pipeline("a", file("in.jsonl"), file("out/a.jsonl"), 7));
    assertArrayEquals(expected, read("out/a.jsonl"), "the touched input");

    run("b", pipeline("other-name", file("in.jsonl"), file("elsewhere/b.jsonl"), 7), "--workers", "1");
    assertArrayEquals(expected, read("elsewhere/b.jsonl"), "another sink path, pipeline name and worker count");

    Files.writeString(work.resolve("copy.jsonl"), input);
    run("c", pipeline("a", file("copy.jsonl"), file("out/c.jsonl"), 7));
    assertArrayEquals(expected, read("out/c.jsonl"), "a copy of the input under another name");

    wiz.stdin = input;
    String piped = run("d", pipeline("a", "{ type: stdin }", "{ type: stdout }", 7));
    assertEquals(new String(expected, StandardCharsets.UTF_8), piped, "the same bytes on stdin");

    assertEquals(5, requests(), "every run was a request of its own, with chunk ids of its own");
  }

  @Test
  void anotherSeedGivesAnotherSample() throws IOException {
    run("a", pipeline("a", file("in.jsonl"), file("out/a.jsonl"), 7));
    run("b", pipeline("a", file("in.jsonl"), file("out/b.jsonl"), 8));
    assertNotEquals(Files.readString(work.resolve("out/a.jsonl")), Files.readString(work.resolve("out/b.jsonl")));
  }

  @Test
  void aResumedRunKeepsTheRecordsAnUninterruptedRunKeeps() throws IOException {
    String text = pipeline("a", file("in.jsonl"), file("out/a.jsonl"), 7);
    run("a", text);
    byte[] expected = read("out/a.jsonl");
    try (Stream<Path> all = Files.walk(work.resolve(".wiz"))) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
    }
    Files.delete(work.resolve("out/a.jsonl"));
    StagedCrash.after(wiz, work, "a.yaml", "out/a.jsonl", 2);
    CliHarness.Result resumed = wiz.run("run", "a.yaml", "--resume");
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.err().contains("2 chunks already committed"), resumed.err());
    assertArrayEquals(expected, read("out/a.jsonl"));
  }
}

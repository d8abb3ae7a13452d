package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code wiz run} of a pipeline with a limit stops reading its input once the limit passed its
 * count: from an endless standard input, from files, globs, gzip and xz, with the bytes a run that
 * reads all writes, a provenance log that verifies, and --resume of a crashed run giving them too.
 */
class LimitStopsReadingTest extends JimfsCliTest {

  private static String pipeline(String source, int chunk, String steps, String sink) {
    return "wiz: 1\nname: lim\nsource: " + source + "\nchunking: { records: " + chunk + " }\nprocessors:\n" + steps
        + "sink: " + sink + "\nrun: { workers: 2, onError: dead-letter }\n";
  }

  private static String lines(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "{\"id\":" + i + "}").collect(Collectors.joining("\n", "", "\n"));
  }

  /** {"a":1} lines for ever; counts the bytes read from it. */
  private static final class Endless extends InputStream {
    private static final byte[] LINE = "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8);
    final AtomicLong read = new AtomicLong();

    @Override
    public int read() {
      return LINE[(int) (read.getAndIncrement() % LINE.length)];
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) b[off + i] = (byte) read();
      return len;
    }

    @Override
    public int available() {
      return 1 << 16;
    }
  }

  @Test
  void anEndlessStandardInputIsReadOnlyUntilTheLimitPassedItsCount() throws Exception {
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: stdin }", 100,
        "  - { id: five, type: limit, config: { count: 5 } }\n", "{ type: stdout }"));
    Endless endless = new Endless();
    wiz.stdinStream = endless;
    CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, r.code(), r.toString());
    assertEquals("{\"a\":1}\n".repeat(5), r.out());
    JsonNode summary = Json.mapper().readTree(r.err().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    JsonNode stop = summary.get("readStopped");
    assertEquals("five", stop.get("step").asText());
    assertEquals("stdin", stop.get("origin").asText());
    long records = stop.get("records").asLong();
    // The chunk that filled the limit and the 8 read past it, of 100 records each (an endless
    // input never waits); the stream was read in blocks, so not much more than that was taken.
    assertEquals(100L * (1 + dev.wiz.engine.Engine.READ_AHEAD), records, summary.toString());
    assertEquals(records, stop.get("line").asLong());
    assertEquals(records, summary.get("read").asLong());
    assertTrue(endless.read.get() < 8 * (2 << 20), endless.read.get() + " bytes read");
    // The text summary says so too.
    wiz.stdinStream = new Endless();
    CliHarness.Result text = wiz.run("run", "p.yaml");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.err().contains("\n  reading:      stopped after stdin:"), text.err());
    assertTrue(text.err().contains("limit 'five' passed its count; the rest of the input was not read\n"), text.err());
  }

  @Test
  void aStandardInputWithInputAtHandIsReadAsAFileIs() throws Exception {
    // Chunks of 20,000 lines of 8 bytes: the 9 chunks read take two of the source's 1 MB reads,
    // and the second comes once the limit is full. Input at hand is taken (as from a file, or
    // 'wiz run p.yaml < file'), so the run reads them all, whenever the limit filled.
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: stdin }", 20_000,
        "  - { id: five, type: limit, config: { count: 5 } }\n", "{ type: stdout }"));
    for (int round = 0; round < 3; round++) {
      wiz.stdinStream = new Endless();
      CliHarness.Result r = wiz.run("run", "p.yaml", "--format", "json");
      assertEquals(0, r.code(), r.toString());
      JsonNode summary = Json.mapper().readTree(r.err().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
      assertEquals(20_000L * (1 + dev.wiz.engine.Engine.READ_AHEAD), summary.get("read").asLong(), "round " + round);
      assertEquals(1 + dev.wiz.engine.Engine.READ_AHEAD, summary.get("chunks").asLong(), "round " + round);
    }
  }

  /** Standard input whose writer sends {@code text}, then waits (as {@code tail -f}): a read blocks until {@link #end}. */
  private static final class PipeThatWaits extends InputStream {
    private final java.io.ByteArrayInputStream text;
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    PipeThatWaits(String text) {
      this.text = new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      int n = text.read(b, off, len);
      if (n > 0) return n;
      try {
        ended.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      return -1;
    }

    void end() {
      ended.countDown();
    }
  }

  @Test
  void aStandardInputThatWaitsForMoreIsNotWaitedForOnceTheLimitPassedItsCount() throws Exception {
    // Seven lines, then the writer waits: the first chunk (five) fills the limit, and the read of
    // the second, which waits for three more lines, stops.
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: stdin }", 5,
        "  - { id: five, type: limit, config: { count: 5 } }\n", "{ type: stdout }"));
    PipeThatWaits stdin = new PipeThatWaits(lines(0, 7));
    wiz.stdinStream = stdin;
    try {
      CliHarness.Result r = java.util.concurrent.CompletableFuture.supplyAsync(() -> wiz.run("run", "p.yaml"))
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(0, r.code(), r.toString());
      assertEquals(lines(0, 5), r.out());
      assertTrue(r.err().startsWith("wiz: success in "), r.err());
      assertTrue(r.err().contains(": 1 chunk, 5 records read, 5 written\n"), r.err());
      assertTrue(r.err().contains("\n  reading:      stopped after stdin:5 (5 records): limit 'five' passed its count;"),
          r.err());
    } finally {
      stdin.end();
    }
  }

  @Test
  void countZeroReadsNoInputAtAll() throws Exception {
    Files.writeString(work.resolve("p.yaml"), pipeline("{ type: stdin }", 100,
        "  - { id: none, type: limit, config: { count: 0 } }\n", "{ type: stdout }"));
    Endless endless = new Endless();
    wiz.stdinStream = endless;
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.out());
    assertEquals(0, endless.read.get());
    assertTrue(r.err().contains("\n  reading:      none: limit 'none' passes no record (count 0)\n"), r.err());
  }

  /** Runs p.yaml in its own folder under work: the output's bytes, and the run's --format json answer. */
  private record Ran(byte[] output, JsonNode summary, CliHarness wiz, Path dir) {}

  private Ran run(String name, String pipeline, String... args) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.jsonl"), lines(0, 300));
    Files.write(dir.resolve("in/b.jsonl.gz"), GzipRunTest.gzip(lines(300, 600)));
    Files.write(dir.resolve("in/c.jsonl.xz"), xz(lines(600, 900)));
    Files.writeString(dir.resolve("p.yaml"), pipeline);
    CliHarness w = new CliHarness(dir);
    String[] all = Stream.concat(Stream.of("run", "p.yaml", "--format", "json"), Stream.of(args)).toArray(String[]::new);
    CliHarness.Result r = w.run(all);
    assertEquals(0, r.code(), r.toString());
    return new Ran(Files.readAllBytes(dir.resolve("out.jsonl")), Json.mapper().readTree(r.out()), w, dir);
  }

  static byte[] xz(String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (org.tukaani.xz.XZOutputStream z = new org.tukaani.xz.XZOutputStream(b, new org.tukaani.xz.LZMA2Options(1))) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  private static String limitPipeline(String path, int count, boolean readAll) {
    return pipeline("{ type: file, path: '" + path + "' }", 5,
        "  - { id: odd, type: filter, config: { where: '.id % 2 == 1' } }\n"
            + "  - { id: first, type: limit, config: { count: " + count + (readAll ? ", readAll: true" : "") + " } }\n"
            + "  - { id: shape, type: jq, config: { program: '{id, twice: (.id * 2)}' } }\n",
        "{ type: file, path: out.jsonl }");
  }

  @Test
  void filesGlobsGzipAndXzGiveTheBytesOfAWholeReadWithOneAndFourWorkers() throws Exception {
    for (String path : List.of("in/a.jsonl", "in/b.jsonl.gz", "in/c.jsonl.xz", "in/*")) {
      for (String workers : List.of("1", "4")) {
        String at = path + ", " + workers + " workers";
        Ran whole = run("whole-" + path.replace("*", "x").replace("/", "-") + workers, limitPipeline(path, 4, true), "--workers", workers);
        Ran early = run("early-" + path.replace("*", "x").replace("/", "-") + workers, limitPipeline(path, 4, false), "--workers", workers);
        assertArrayEquals(whole.output(), early.output(), at);
        assertEquals(4, early.summary().get("written").asLong(), at);
        assertTrue(whole.summary().get("readStopped").isNull(), at);
        assertEquals(path.endsWith("*") ? 900 : 300, whole.summary().get("read").asLong(), at);
        JsonNode stop = early.summary().get("readStopped");
        // The fourth odd record is the 8th record: in the second chunk of five, of the first file.
        assertTrue(stop.get("chunk").asText().endsWith("-000001"), at + ": " + stop);
        assertEquals(stop.get("records").asLong(), early.summary().get("read").asLong(), at);
        assertEquals(path.endsWith("*") ? "in/a.jsonl" : path, stop.get("origin").asText(), at);
        assertTrue(early.summary().get("read").asLong() <= 5 * (2 + 2 * 4 + 2), at + ": " + early.summary());
        // The log of the run that stopped verifies, with its output.
        CliHarness.Result verify = early.wiz().run("provenance", "verify");
        assertEquals(0, verify.code(), at + ": " + verify);
        // Its chunks are listed, and the list says where the reading stopped.
        CliHarness.Result list = early.wiz().run("provenance", "list");
        assertEquals(0, list.code(), at + ": " + list);
        assertEquals(early.summary().get("chunks").asLong(), list.out().lines().count(), at);
        assertTrue(list.err().endsWith(" (success); stopped after " + stop.get("origin").asText() + ":"
            + stop.get("line").asLong() + " (" + stop.get("records").asLong() + " records): limit 'first' passed its count;"
            + " the rest of the input was not read\n"), at + ": " + list.err());
      }
    }
  }

  /** A folder under work with the inputs and the pipeline, not run yet. */
  private CliHarness folder(String name, String pipeline) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.jsonl"), lines(0, 300));
    Files.write(dir.resolve("in/b.jsonl.gz"), GzipRunTest.gzip(lines(300, 600)));
    Files.write(dir.resolve("in/c.jsonl.xz"), xz(lines(600, 900)));
    Files.writeString(dir.resolve("p.yaml"), pipeline);
    return new CliHarness(dir);
  }

  @Test
  void resumeOfACrashedRunThatStopsEarlyGivesTheBytesOfAnUninterruptedRun() throws Exception {
    String p = limitPipeline("in/*", 170, false); // the 170th odd id is 339: in b.jsonl.gz, chunk 67
    Ran reference = run("reference", p);
    JsonNode stop = reference.summary().get("readStopped");
    assertTrue(stop.get("chunk").asText().endsWith("-000067"), reference.summary().toString());
    assertEquals("in/b.jsonl.gz", stop.get("origin").asText());
    assertEquals(170, reference.summary().get("written").asLong());
    // Killed after the first chunk, before and after the one that filled the limit, and after
    // every chunk it sent (those read past it included): resumed, it stops at the limit again.
    for (int committed : new int[] {1, 67, 68, Integer.MAX_VALUE}) {
      String name = "crash-" + committed;
      CliHarness w = folder(name, p);
      StagedCrash.after(w, work.resolve(name), "p.yaml", "out.jsonl", committed);
      CliHarness.Result resumed = w.run("run", "p.yaml", "--resume", "--format", "json");
      assertEquals(0, resumed.code(), name + ": " + resumed);
      JsonNode summary = Json.mapper().readTree(resumed.out());
      assertArrayEquals(reference.output(), Files.readAllBytes(work.resolve(name).resolve("out.jsonl")), name);
      assertEquals(170, summary.get("written").asLong(), name);
      assertTrue(summary.get("readStopped").get("chunk").asText().endsWith("-000067"), name + ": " + summary);
      assertTrue(summary.get("reusedChunks").asLong() > 0, name + ": " + summary);
      CliHarness.Result verify = w.run("provenance", "verify");
      assertEquals(0, verify.code(), name + ": " + verify);
    }
  }
}

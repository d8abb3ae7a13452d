package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A state folder wiz cannot write: one it could not create keeps the run from starting (exit 4,
 * named, as a dry run says too); one that fills up while the run is alive fails it (exit 4) and
 * leaves it to the next run to record as crashed, so --resume goes on from it.
 */
class StateFolderWriteTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: st",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "sink: { type: %s }",
      "run: { workers: 1, onError: fail, commitMillis: 0 }",
      "");

  @BeforeEach
  void setUp() throws IOException {
    write(work, "file, path: out.jsonl");
  }

  private static void write(Path work, String sink) throws IOException {
    Files.writeString(work.resolve("p.yaml"), String.format(PIPELINE, sink));
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 2000).mapToObj(i -> "{\"id\":" + i + "}")
        .collect(Collectors.joining("\n", "", "\n")));
  }

  private static final String FILE_IN_THE_WAY = "/work/.wiz: cannot write the run state here (it is a file, not a folder):"
      + " move it away, or name another folder with --state-dir";

  @Test
  void aStateFolderThatIsAFileKeepsTheRunFromStartingAsTheDryRunSays() throws IOException {
    Files.writeString(work.resolve(".wiz"), "not a folder\n");
    CliHarness.Result run = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(4, run.code(), run.toString());
    assertEquals(FILE_IN_THE_WAY + "\n", run.err());
    JsonNode o = Json.mapper().readTree(run.out());
    assertEquals("not-started", o.get("status").asText(), o.toString());
    assertEquals(FILE_IN_THE_WAY, o.get("error").asText());
    assertEquals("/work/.wiz", o.at("/diagnostics/0/file").asText(), o.toString());
    try (Stream<Path> files = Files.list(work)) {
      assertEquals(3, files.count(), "nothing written: no temporary output");
    }

    CliHarness.Result dry = wiz.run("run", "p.yaml", "--dry-run");
    assertEquals(4, dry.code(), "the dry run says what the run meets: " + dry);
    assertEquals(FILE_IN_THE_WAY + "\n", dry.err());

    Files.writeString(work.resolve("s.yaml"), String.format(PIPELINE, "file, path: out.jsonl").replace("{ type: file, path: in.jsonl }", "{ type: stdin }"));
    CliHarness.Result stdin = wiz.run("run", "s.yaml", "--dry-run");
    assertEquals(4, stdin.code(), "a run of standard input keeps state as well: " + stdin);
    assertEquals(FILE_IN_THE_WAY + "\n", stdin.err());

    CliHarness.Result below = wiz.run("run", "p.yaml", "--state-dir", ".wiz/state");
    assertEquals(4, below.code(), below.toString());
    assertEquals("/work/.wiz/state: cannot write the run state here (/work/.wiz is a file, not a folder): move it away,"
        + " or name another folder with --state-dir\n", below.err());
  }

  @Test
  void aStateFolderOnAFullDiskKeepsTheRunFromStartingSayingTheDiskIsFull() throws IOException {
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(64 * 1024).build())) {
      Path dir = Files.createDirectories(small.getPath("/work"));
      write(dir, "file, path: out.jsonl");
      Files.write(dir.resolve("filler"), new byte[(int) Files.getFileStore(dir).getUnallocatedSpace()]);
      CliHarness.Result r = new CliHarness(dir).run("run", "p.yaml");
      assertEquals(4, r.code(), r.toString());
      // jimfs names no file where Linux does ("/work/.wiz/requests: No space left on device").
      assertEquals("/work/.wiz: cannot write the run state here (the disk is full: out of disk space): free space on that"
          + " disk, or name another folder with --state-dir\n", r.err());
    }
  }

  @Test
  void aDryRunWarnsOfAStateFolderOnAFullDiskWhereTheRunWouldNotStart() throws IOException {
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(64 * 1024).build())) {
      Path dir = Files.createDirectories(small.getPath("/work"));
      write(dir, "file, path: out.jsonl");
      CliHarness cli = new CliHarness(dir);
      Path filler = dir.resolve("filler");
      Files.write(filler, new byte[(int) Files.getFileStore(dir).getUnallocatedSpace()]);
      String warning = "wiz: warning: the disk of the state folder /work/.wiz has no room left (0 bytes usable): the run"
          + " would likely fail when it fills up (exit 4); free space on that disk, or name another folder with --state-dir\n";
      // A warning, which -q keeps, not a failure: what an unprivileged user may use is not all root may.
      CliHarness.Result dry = cli.run("-q", "run", "p.yaml", "--dry-run");
      assertEquals(0, dry.code(), dry.toString());
      assertEquals(warning, dry.err());
      CliHarness.Result json = cli.run("run", "p.yaml", "--dry-run", "--format", "json");
      assertEquals(0, json.code(), json.toString());
      assertEquals(warning, json.err());
      assertEquals(warning.substring("wiz: warning: ".length(), warning.length() - 1),
          Json.mapper().readTree(json.out()).at("/warnings/0").asText(), json.out());
      assertTrue(!Files.exists(dir.resolve(".wiz")), "the dry run wrote nothing");
      // Which the run meets.
      assertEquals(4, cli.run("run", "p.yaml").code());

      // With room (a few kB short of the bound, then past it), it says what room there is, then nothing.
      Files.delete(filler);
      Files.write(filler, new byte[(int) Files.getFileStore(dir).getUnallocatedSpace() - 8 * 1024]);
      CliHarness.Result low = cli.run("-q", "run", "p.yaml", "--dry-run");
      assertEquals(0, low.code(), low.toString());
      assertEquals("wiz: warning: the disk of the state folder /work/.wiz has only 8192 bytes usable: the run would likely"
          + " fail when it fills up (exit 4); free space on that disk, or name another folder with --state-dir\n", low.err());
    }
    try (FileSystem roomy = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(4 * 1024 * 1024).build())) {
      Path dir = Files.createDirectories(roomy.getPath("/work"));
      write(dir, "file, path: out.jsonl");
      CliHarness.Result dry = new CliHarness(dir).run("-q", "run", "p.yaml", "--dry-run");
      assertEquals(0, dry.code(), dry.toString());
      assertEquals("", dry.err(), "more than 1 MiB usable: no warning");
    }
  }

  @Test
  void aResumeThatCannotRecordTheCrashForAFullDiskSaysSoAndTheNextResumeGoesOn() throws IOException {
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(1024 * 1024).build())) {
      Path dir = Files.createDirectories(small.getPath("/work"));
      write(dir, "file, path: out.jsonl");
      CliHarness cli = new CliHarness(dir);
      String crashed = StagedCrash.after(cli, dir, "p.yaml", "out.jsonl", 50);
      // As kill -9 leaves it, with its lock file gone: recorded running, by a process that is gone.
      Path runJson = dir.resolve(".wiz/runs/" + crashed + "/run.json");
      com.fasterxml.jackson.databind.node.ObjectNode run =
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(Files.readAllBytes(runJson));
      run.put("status", "running");
      run.put("pid", Integer.MAX_VALUE);
      Files.writeString(runJson, run.toString());
      try (Stream<Path> requests = Files.list(dir.resolve(".wiz/requests"))) {
        Path file = requests.findFirst().orElseThrow().resolve("record.json");
        com.fasterxml.jackson.databind.node.ObjectNode request =
            (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
        request.put("status", "running");
        ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("attempts").get(0)).put("status", "running");
        Files.writeString(file, request.toString());
      }
      Path filler = dir.resolve("filler");
      Files.write(filler, new byte[(int) Files.getFileStore(dir).getUnallocatedSpace()]);
      CliHarness.Result full = cli.run("run", "p.yaml", "--resume");
      assertEquals(4, full.code(), full.toString());
      assertEquals("/work/.wiz: cannot write the run state here (the disk is full: out of disk space): free space on that"
          + " disk, or name another folder with --state-dir\n", full.err(), "not 'wiz: out of disk space' (exit 2)");
      Files.delete(filler);
      CliHarness.Result resumed = cli.run("run", "p.yaml", "--resume");
      assertEquals(0, resumed.code(), resumed.toString());
      assertTrue(resumed.err().contains("resumed run " + crashed + ": 50 chunks already committed"), resumed.err());
    }
  }

  @Test
  void aStateFolderThatFillsUpFailsTheRunWhichTheNextRunRecordsAsCrashed() throws IOException {
    // Room for the input and the first chunks' events, not for the rest of the provenance log;
    // the output goes to stdout, so only the state folder fills up.
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024).setMaxSize(64 * 1024).build())) {
      Path dir = Files.createDirectories(small.getPath("/work"));
      write(dir, "stdout");
      CliHarness cli = new CliHarness(dir);
      // wiz's message only: no logger's line on the process's stderr before it.
      java.io.PrintStream stderr = System.err;
      java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
      CliHarness.Result r;
      try {
        System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        r = cli.run("run", "p.yaml", "--format", "json");
      } finally {
        System.setErr(stderr);
      }
      assertEquals("", logged.toString(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(4, r.code(), r.toString());
      String[] err = r.err().split("\n");
      String message = err[err.length - 2];
      // jimfs says "out of disk space" where Linux says "No space left on device".
      assertTrue(message.startsWith("wiz: run failed: cannot write the run state (the disk is full: /work/.wiz: "), r.err());
      JsonNode o = Json.mapper().readTree(err[err.length - 1]); // with a stdout sink, on stderr
      assertEquals("failed", o.get("status").asText(), o.toString());
      String runId = o.get("runId").asText();
      assertTrue(message.endsWith("): run " + runId + " ends without a record of its end; free space on that disk,"
          + " then run again with --resume: it records this run as crashed and goes on from the chunks it"
          + " committed, which are kept"), message);

      // The lock still names the run, as after kill -9: it is crashed, not running for ever.
      CliHarness.Result requests = cli.run("requests", "--format", "json");
      JsonNode last = Json.mapper().readTree(requests.out()).at("/0/runs/0");
      assertEquals(runId, last.get("runId").asText(), requests.toString());
      assertEquals("crashed", last.get("status").asText(), requests.toString());
      CliHarness.Result dry = cli.run("run", "p.yaml", "--dry-run", "--format", "json");
      assertEquals(runId, Json.mapper().readTree(dry.out()).get("crashedRun").asText(), dry.toString());
    }
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A sink whose disk fills up: the run fails (exit 4), the error line and the summary's
 * {@code output:} line name the temporary file that keeps what it committed (as does
 * {@code partialOutput} in JSON), and once there is room {@code --resume} goes on from it.
 */
class SinkDiskFullTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: full",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "sink: { type: file, path: out.jsonl }",
      "run: { workers: 1, onError: fail, commitMillis: 0 }",
      "");

  // 200 records of about 2 kB: 20 chunks of about 20 kB of output each, against a few hundred
  // bytes of provenance a chunk, so the output is what meets the full disk.
  private static final String INPUT = IntStream.range(0, 200)
      .mapToObj(i -> "{\"id\":" + i + ",\"text\":\"" + "x".repeat(2000) + "\"}")
      .collect(Collectors.joining("\n", "", "\n"));

  private static Path setUp(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    Files.writeString(dir.resolve("p.yaml"), PIPELINE);
    return dir;
  }

  @Test
  void theSummaryNamesTheTemporaryFileThatKeepsWhatTheRunCommittedAndResumeGoesOnFromIt() throws IOException {
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024)
        .setMaxSize(2 * 1024 * 1024).build())) {
      Path dir = setUp(small.getPath("/work"));
      CliHarness cli = new CliHarness(dir);
      // Room for the state folder and a few chunks of the 400 kB of output.
      long free = Files.getFileStore(dir).getUnallocatedSpace();
      Files.write(dir.resolve("filler"), new byte[(int) (free - 100 * 1024)]);
      CliHarness.Result full = cli.run("run", "p.yaml");
      assertEquals(4, full.code(), full.toString());
      // jimfs says "out of disk space" where Linux says "No space left on device".
      Matcher error = Pattern.compile("wiz: run failed: writing /work/out.jsonl: the disk is full \\(out of disk space\\)"
          + " writing its temporary file (/work/\\.out\\.jsonl\\.[0-9a-f-]{36}\\.tmp): what the run committed is kept in it;"
          + " free space on that disk, then run again with --resume to go on from there\n").matcher(full.err());
      assertTrue(error.lookingAt(), full.err());
      Path temp = small.getPath(error.group(1));
      assertTrue(Files.size(temp) > 0, "the chunks committed before are in it");
      assertTrue(full.err().contains("\n  output:       (none written: out.jsonl left as it was; what the run committed is"
          + " kept in " + temp.getFileName() + " for --resume)\n"), full.err());
      assertTrue(!Files.exists(dir.resolve("out.jsonl")), "the target is left as it was");

      Files.delete(dir.resolve("filler"));
      CliHarness.Result resumed = cli.run("run", "p.yaml", "--resume", "--format", "json");
      assertEquals(0, resumed.code(), resumed.toString());
      JsonNode o = Json.mapper().readTree(resumed.out());
      assertTrue(o.get("partialOutput").isNull(), "a run that finished keeps none: " + o);
      assertTrue(o.get("reusedChunks").asLong() > 0, o.toString());
      assertArrayEquals(expected(), Files.readAllBytes(dir.resolve("out.jsonl")));
    }
  }

  @Test
  void runFormatJsonNamesTheTemporaryFileAsPartialOutput() throws IOException {
    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024)
        .setMaxSize(2 * 1024 * 1024).build())) {
      Path dir = setUp(small.getPath("/work"));
      long free = Files.getFileStore(dir).getUnallocatedSpace();
      Files.write(dir.resolve("filler"), new byte[(int) (free - 100 * 1024)]);
      CliHarness.Result full = new CliHarness(dir).run("run", "p.yaml", "--format", "json");
      assertEquals(4, full.code(), full.toString());
      JsonNode o = Json.mapper().readTree(full.out());
      assertEquals("failed", o.get("status").asText(), o.toString());
      String temp = o.get("partialOutput").asText();
      assertTrue(temp.matches("/work/\\.out\\.jsonl\\.[0-9a-f-]{36}\\.tmp"), o.toString());
      assertTrue(o.get("error").asText().contains("writing its temporary file " + temp + ": "), o.toString());
      assertTrue(Files.size(small.getPath(temp)) > 0, "the chunks committed before are in it");
    }
  }

  private static byte[] expected() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path ref = setUp(fs.getPath("/work"));
      assertEquals(0, new CliHarness(ref).run("-q", "run", "p.yaml").code());
      return Files.readAllBytes(ref.resolve("out.jsonl"));
    }
  }
}

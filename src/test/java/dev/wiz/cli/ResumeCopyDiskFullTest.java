package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
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
 * A resumed run copies the dead letters of the chunks it takes over into its own file, each
 * chunk's with its REUSED event: a disk that fills while they are copied leaves the chunks
 * committed by then taken over, and the next --resume goes on from them (it redid every chunk),
 * and from the rest of those the run before committed (it redid them).
 */
class ResumeCopyDiskFullTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: dl",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 10 }",
      "sink: { type: file, path: out.jsonl }",
      "run: { workers: 1, onError: dead-letter, commitMillis: 0 }",
      "");

  private static final String INPUT = IntStream.range(0, 600)
      .mapToObj(i -> i % 2 == 0 ? "bad " + i + " " + "y".repeat(200) : "{\"id\":" + i + "}")
      .collect(Collectors.joining("\n", "", "\n"));

  private static Path setUp(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    Files.writeString(dir.resolve("p.yaml"), PIPELINE);
    return dir;
  }

  @Test
  void aResumeWhoseDeadLetterCopyFillsTheDiskLeavesWhatItCommittedForTheNextResume() throws IOException {
    Path ref = setUp(work.resolve("ref"));
    assertEquals(5, new CliHarness(ref).run("-q", "run", "p.yaml").code());
    byte[] expected = Files.readAllBytes(ref.resolve("out.jsonl"));

    try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024)
        .setMaxSize(1024 * 1024).build())) {
      Path dir = setUp(small.getPath("/work"));
      CliHarness cli = new CliHarness(dir);
      String first = StagedCrash.after(cli, dir, "p.yaml", "out.jsonl", 40, 5);
      // Room for the resumed run's records and a part of the ~60 kB of dead letters it copies.
      long free = Files.getFileStore(dir).getUnallocatedSpace();
      Files.write(dir.resolve("filler"), new byte[(int) (free - 48 * 1024)]);
      CliHarness.Result full = cli.run("run", "p.yaml", "--resume");
      assertEquals(4, full.code(), full.toString());
      assertTrue(full.err().contains("the disk is full"), full.err());
      Matcher second = Pattern.compile("run ([0-9a-f-]{36}) ends without a record of its end").matcher(full.err());
      assertTrue(second.find(), full.err());

      Files.delete(dir.resolve("filler"));
      CliHarness.Result resumed = cli.run("run", "p.yaml", "--resume");
      assertEquals(5, resumed.code(), resumed.toString());
      Matcher taken = Pattern.compile("resumed run " + second.group(1) + ": 40 chunks already committed, (\\d+) of them as run "
          + first + " logged them \\(run " + second.group(1) + " took them over, but ended before it logged that\\)")
          .matcher(resumed.err());
      assertTrue(taken.find(), "all 40 chunks of run " + first + ": " + resumed.err());
      int before = Integer.parseInt(taken.group(1));
      assertTrue(before > 0 && before < 40, "some of them as the run that filled the disk logged them: " + resumed.err());
      assertArrayEquals(expected, Files.readAllBytes(dir.resolve("out.jsonl")));
      CliHarness.Result verify = cli.run("provenance", "verify");
      assertEquals(0, verify.code(), verify.toString());
    }
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file sink's path writes a regular file and nothing else: a symbolic link's target is replaced
 * (the link kept), a named pipe or a device is refused before the run starts (and left as it is),
 * a path ending in {@code /} is a folder's.
 */
class SinkPathCliTest extends JimfsCliTest {
  private static final String INPUT = "{\"a\":1}\n";

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), INPUT);
  }

  private static void pipeline(Path dir, String sink) throws IOException {
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\n"
        + "sink: { type: file, path: '" + sink + "' }\n");
  }

  @Test
  void aSinkThatIsASymbolicLinkWritesTheLinksTargetAndKeepsTheLink() throws IOException {
    Files.createDirectories(work.resolve("shared"));
    Files.writeString(work.resolve("shared/out.jsonl"), "old\n");
    Files.createSymbolicLink(work.resolve("link.jsonl"), fs.getPath("shared/out.jsonl"));
    pipeline(work, "link.jsonl");
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isSymbolicLink(work.resolve("link.jsonl")), "the link is kept");
    assertEquals(INPUT, Files.readString(work.resolve("shared/out.jsonl")), "its target holds the output");
    assertTrue(r.err().contains("  output:       shared/out.jsonl\n"), r.toString());
    try (var files = Files.list(work.resolve("shared"))) {
      assertEquals(List.of("out.jsonl"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file left");
    }
  }

  @Test
  void aSymbolicLinkToAFileNotThereYetCreatesIt() throws IOException {
    Files.createSymbolicLink(work.resolve("link.jsonl"), fs.getPath("later/out.jsonl"));
    pipeline(work, "link.jsonl");
    CliHarness.Result r = wiz.run("-q", "run", "p.yaml");
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isSymbolicLink(work.resolve("link.jsonl")));
    assertEquals(INPUT, Files.readString(work.resolve("later/out.jsonl")));
  }

  @Test
  void aSymbolicLinkInALoopIsRefusedBeforeTheRunStarts() throws IOException {
    Files.createSymbolicLink(work.resolve("a.jsonl"), fs.getPath("b.jsonl"));
    Files.createSymbolicLink(work.resolve("b.jsonl"), fs.getPath("a.jsonl"));
    pipeline(work, "a.jsonl");
    for (List<String> args : List.of(List.of("run", "p.yaml"), List.of("run", "p.yaml", "--dry-run"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(new CliHarness.Result(4, "", "p.yaml:3:27: /sink/path: 'a.jsonl' is a symbolic link in a loop (its"
          + " links lead round in a circle, never to a file): point it at the file to write, or name another file\n")
          .toString(), r.toString(), args.toString());
    }
    assertTrue(Files.isSymbolicLink(work.resolve("a.jsonl")) && Files.isSymbolicLink(work.resolve("b.jsonl")));
  }

  @Test
  void aSinkNamedAsXzIsRefusedByValidateAndRunBeforeAnythingIsWritten() throws IOException {
    pipeline(work, "out.jsonl.xz");
    String expected = "p.yaml:3:27: /sink/path: 'out.jsonl.xz' ends in .xz, but wiz writes text (or gzip, named .gz),"
        + " which xz would not read: name the file 'out.jsonl' and compress it after the run (xz out.jsonl), or use"
        + " sink type stdout and pipe it: wiz run PIPELINE | xz > out.jsonl.xz; wiz writes gzip itself: name the file"
        + " 'out.jsonl.gz'\n";
    assertEquals(new CliHarness.Result(3, "", expected + "p.yaml: 1 problem\n").toString(),
        wiz.run("validate", "p.yaml").toString());
    assertEquals(new CliHarness.Result(3, "", expected).toString(), wiz.run("run", "p.yaml").toString());
    assertTrue(Files.notExists(work.resolve("out.jsonl.xz")));
  }

  @Test
  void aSinkPathEndingInASlashNamesAFolderForValidateRunAndDryRun() throws IOException {
    pipeline(work, "results/");
    String expected = "p.yaml:3:27: /sink/path: 'results/' names a folder: name the file to write,"
        + " e.g. 'results/out.jsonl'\n";
    assertEquals(new CliHarness.Result(3, "", expected + "p.yaml: 1 problem\n").toString(),
        wiz.run("validate", "p.yaml").toString());
    for (List<String> args : List.of(List.of("run", "p.yaml"), List.of("run", "p.yaml", "--dry-run"))) {
      assertEquals(new CliHarness.Result(3, "", expected).toString(), wiz.run(args.toArray(String[]::new)).toString(),
          args.toString());
    }
    assertTrue(Files.notExists(work.resolve("results")), "no file named after the folder");
    Files.createDirectories(work.resolve("made"));
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\n"
        + "sink: { type: file, path: made/, format: csv }\n");
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(new CliHarness.Result(3, "", "p.yaml:3:27: /sink/path: 'made/' names a folder: name the file to write,"
        + " e.g. 'made/out.csv'\n").toString(), r.toString());
    for (String folder : List.of("made/.", "made/..", ".", "..")) {
      Files.writeString(work.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\n"
          + "sink: { type: file, path: \"" + folder + "\" }\n");
      CliHarness.Result v = wiz.run("validate", "p.yaml");
      assertEquals(3, v.code(), v.toString());
      assertTrue(v.err().startsWith("p.yaml:3:27: /sink/path: '" + folder + "' names a folder: name the file to write, e.g. '"
          + folder + "/out.jsonl'\n"), v.toString());
      assertEquals(3, wiz.run("-q", "run", "p.yaml").code(), folder);
    }
    try (java.util.stream.Stream<Path> left = Files.list(work.resolve("made"))) {
      assertEquals(List.of(), left.toList(), "no temporary file written into the folder");
    }
  }

  @Test
  void aSinkThatIsANamedPipeIsRefusedBeforeTheRunStartsAndKept(@TempDir Path dir) throws Exception {
    // jimfs has no named pipes: this one runs on the default file system.
    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0 && Files.exists(fifo), "mkfifo works here");
    Files.writeString(dir.resolve("in.jsonl"), INPUT);
    pipeline(dir, "fifo");
    Files.createSymbolicLink(dir.resolve("link"), fifo.getFileName());
    Files.writeString(dir.resolve("q.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\n"
        + "sink: { type: file, path: 'link' }\n");
    CliHarness local = new CliHarness(dir);
    String expected = "p.yaml:3:27: /sink/path: 'fifo' is a named pipe, not a regular file: a file sink writes a"
        + " temporary file and moves it into place, which would replace it; to write into it, use sink type stdout and"
        + " redirect it, as in: wiz run PIPELINE > " + dev.wiz.Shell.quote(fifo.toString()) + "\n";
    for (List<String> args : List.of(List.of("run", "p.yaml"), List.of("run", "p.yaml", "--dry-run"))) {
      assertEquals(new CliHarness.Result(4, "", expected).toString(), local.run(args.toArray(String[]::new)).toString(),
          args.toString());
    }
    CliHarness.Result viaLink = local.run("run", "q.yaml");
    assertEquals(4, viaLink.code(), viaLink.toString());
    assertTrue(viaLink.err().startsWith("q.yaml:3:27: /sink/path: 'link' (a symbolic link to " + fifo.toRealPath()
        + ") is a named pipe, not a regular file"), viaLink.err());
    assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .isOther(), "the named pipe is still one");
    assertTrue(Files.isSymbolicLink(dir.resolve("link")), "the link is kept");
    try (var files = Files.list(dir)) {
      assertEquals(List.of("fifo", "in.jsonl", "link", "p.yaml", "q.yaml"), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(".wiz")).sorted().toList(), "no temporary file");
    }
  }
}

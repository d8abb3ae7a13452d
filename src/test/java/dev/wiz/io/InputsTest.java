package dev.wiz.io;

import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resolving a source path (a file or a glob) against the pipeline's folder, on jimfs. */
class InputsTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  private List<String> names(String pattern) throws Exception {
    return Inputs.resolve(pattern, base).stream().map(Inputs.Named::name).toList();
  }

  private List<Path> paths(String pattern) throws Exception {
    return Inputs.resolve(pattern, base).stream().map(Inputs.Named::path).toList();
  }

  @Test
  void aGlobMatchesSeveralFilesInSortedOrder() throws Exception {
    for (String n : List.of("c.jsonl", "a.jsonl", "b.jsonl", "notes.txt", "b.jsonl.bak")) {
      write(base.resolve("data/" + n), "{}\n");
    }
    assertEquals(List.of("data/a.jsonl", "data/b.jsonl", "data/c.jsonl"), names("data/*.jsonl"));
    assertEquals(List.of(base.resolve("data/a.jsonl"), base.resolve("data/b.jsonl"), base.resolve("data/c.jsonl")),
        paths("data/*.jsonl"));
    assertEquals(List.of("data/a.jsonl", "data/b.jsonl"), names("data/[ab].jsonl"));
    assertEquals(List.of("data/a.jsonl", "data/c.jsonl"), names("data/{c,a}.jsonl"));
    assertEquals(List.of("data/b.jsonl.bak"), names("data/?.jsonl.*"));
  }

  @Test
  void theOrderDoesNotDependOnCreationOrder() throws Exception {
    write(base.resolve("x/10.csv"), "");
    write(base.resolve("x/2.csv"), "");
    write(base.resolve("x/1.csv"), "");
    assertEquals(List.of("x/1.csv", "x/10.csv", "x/2.csv"), names("x/*.csv"));
  }

  @Test
  void aSingleStarStaysInItsFolderAndADoubleStarDescends() throws Exception {
    write(base.resolve("d/top.jsonl"), "");
    write(base.resolve("d/sub/deep.jsonl"), "");
    write(base.resolve("d/sub/more/deeper.jsonl"), "");
    assertEquals(List.of("d/top.jsonl"), names("d/*.jsonl"));
    assertEquals(List.of("d/sub/deep.jsonl"), names("d/*/*.jsonl"));
    assertEquals(List.of("d/sub/deep.jsonl", "d/sub/more/deeper.jsonl", "d/top.jsonl"), names("d/**/*.jsonl"));
    assertEquals(List.of("d/sub/deep.jsonl"), names("*/sub/*.jsonl"));
  }

  @Test
  void aGlobstarMatchesZeroOrMoreFolders() throws Exception {
    write(base.resolve("logs/top.jsonl"), "");
    write(base.resolve("logs/a/one.jsonl"), "");
    write(base.resolve("logs/a/b/two.jsonl"), "");
    write(base.resolve("logs/a/b/skip.csv"), "");
    write(base.resolve("root.jsonl"), "");
    assertEquals(List.of("logs/a/b/two.jsonl", "logs/a/one.jsonl", "logs/top.jsonl"), names("logs/**/*.jsonl"));
    assertEquals(List.of("logs/a/b/two.jsonl", "logs/a/one.jsonl", "logs/top.jsonl", "root.jsonl"), names("**/*.jsonl"));
    assertEquals(List.of("logs/a/b/two.jsonl"), names("logs/**/b/*.jsonl"));
    assertEquals(List.of("logs/a/b/two.jsonl"), names("**/b/**/two.jsonl"));
    // Only a whole "**" segment stands for folders: "x**/" is a name pattern, as in Java's globs.
    assertEquals(List.of("logs/a/b/two.jsonl", "logs/a/one.jsonl"), names("logs/a**/*.jsonl"));
  }

  @Test
  void aGlobstarIsAlsoTriedLeftOut() {
    assertEquals(java.util.Set.of("**/*.jsonl", "*.jsonl"), Glob.variants("**/*.jsonl"));
    assertEquals(java.util.Set.of("a/**/b/**/c", "a/b/**/c", "a/**/b/c", "a/b/c"), Glob.variants("a/**/b/**/c"));
    assertEquals(java.util.Set.of("x**/y"), Glob.variants("x**/y"));
  }

  @Test
  void aGlobNeverReadsStateFoldersOrRunTemporaryFiles() throws Exception {
    write(base.resolve("in.jsonl"), "");
    write(base.resolve(".wiz/runs/r1/provenance.jsonl"), "");
    write(base.resolve(".wiz/runs/r1/dead-letter.jsonl"), "");
    write(base.resolve("sub/.wiz/runs/r2/provenance.jsonl"), "");
    write(base.resolve("state/runs/r3/provenance.jsonl"), "");
    write(base.resolve(".out.jsonl.0b0e5c1e-1111-4222-8333-123456789abc.tmp"), "");
    write(base.resolve("sub/.hidden.jsonl"), "");
    Path state = base.resolve("state");
    assertEquals(List.of("in.jsonl", "sub/.hidden.jsonl"),
        Inputs.resolve("**/*.jsonl", base, state).stream().map(Inputs.Named::name).toList());
    assertEquals(List.of("in.jsonl", "sub/.hidden.jsonl"),
        Inputs.resolve("**", base, state).stream().map(Inputs.Named::name).toList());
    // Without the run's state folder, only folders named .wiz are left out.
    assertEquals(List.of("in.jsonl", "state/runs/r3/provenance.jsonl", "sub/.hidden.jsonl"), names("**/*.jsonl"));
  }

  @Test
  void aGlobInsideTheStateFolderSkipsOnlyWhatWizKeepsThere() throws Exception {
    write(base.resolve("in.jsonl"), "");
    write(base.resolve("runs/r1/provenance.jsonl"), "");
    write(base.resolve("requests/k/record.json"), "");
    assertEquals(List.of("in.jsonl"), Inputs.resolve("**", base, base).stream().map(Inputs.Named::name).toList());
  }

  @Test
  void runTemporaryFilesAreToldByName() {
    assertTrue(Inputs.isRunTemp(".out.jsonl.0b0e5c1e-1111-4222-8333-123456789abc.tmp"));
    assertFalse(Inputs.isRunTemp("out.jsonl.0b0e5c1e-1111-4222-8333-123456789abc.tmp"));
    assertFalse(Inputs.isRunTemp(".out.jsonl.tmp"));
    assertFalse(Inputs.isRunTemp("notes.tmp"));
  }

  @Test
  void aGlobThatMatchesNothingIsAClearConfigError() throws Exception {
    write(base.resolve("data/a.csv"), "");
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("data/*.jsonl", base));
    assertEquals("/path", e.pointer());
    assertEquals("no file matches 'data/*.jsonl' (looked in /work/p/data)", e.getMessage());

    IoConfigException noFolder = assertThrows(IoConfigException.class, () -> Inputs.resolve("missing/*.jsonl", base));
    assertEquals("no file matches 'missing/*.jsonl' (looked in /work/p/missing)", noFolder.getMessage());
  }

  @Test
  void aGlobNeverMatchesFolders() throws Exception {
    Files.createDirectories(base.resolve("data/looks.jsonl"));
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("data/*.jsonl", base));
    assertTrue(e.getMessage().startsWith("no file matches"), e.getMessage());
  }

  @Test
  void relativePathsResolveAgainstTheBaseFolder() throws Exception {
    write(base.resolve("in.jsonl"), "");
    write(fs.getPath("/work/shared/s.jsonl"), "");
    assertEquals(List.of(new Inputs.Named("in.jsonl", base.resolve("in.jsonl"))), Inputs.resolve("in.jsonl", base));
    assertEquals(List.of(fs.getPath("/work/shared/s.jsonl")),
        paths("../shared/s.jsonl").stream().map(Path::normalize).toList());
    assertEquals(List.of("../shared/s.jsonl"), names("../shared/*.jsonl"));
  }

  @Test
  void theWorkingFolderDoesNotMatter() throws Exception {
    // jimfs starts in /work; the base folder, not the working folder, anchors relative paths.
    write(fs.getPath("/work/in.jsonl"), "wrong");
    write(base.resolve("in.jsonl"), "right");
    assertEquals(base.resolve("in.jsonl"), Inputs.resolve("in.jsonl", base).get(0).path());
  }

  @Test
  void absolutePathsAndGlobsIgnoreTheBaseFolder() throws Exception {
    write(fs.getPath("/abs/a.csv"), "");
    write(fs.getPath("/abs/b.csv"), "");
    assertEquals(List.of(fs.getPath("/abs/a.csv")), paths("/abs/a.csv"));
    assertEquals(List.of("/abs/a.csv", "/abs/b.csv"), names("/abs/*.csv"));
    assertEquals(List.of(fs.getPath("/abs/a.csv"), fs.getPath("/abs/b.csv")), paths("/abs/*.csv"));
  }

  @Test
  void aFolderGivenAsPathIsAConfigErrorSuggestingAGlob() throws Exception {
    Files.createDirectories(base.resolve("data"));
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("data/", base));
    assertEquals("/path", e.pointer());
    assertEquals("'data/' is a folder: name a file, or a glob such as 'data/*.jsonl'", e.getMessage());
  }

  @Test
  void aMissingFileIsAConfigErrorNamingWhereItLooked() throws Exception {
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("in.jsonl", base));
    assertEquals("/path", e.pointer());
    assertEquals("no such file: 'in.jsonl' (looked for /work/p/in.jsonl)", e.getMessage());
  }

  @Test
  void aPathThatIsThereButIsNoRegularFileIsSaidToBeOneWithHowToReadIt() throws Exception {
    // A device (the same as a pipe from bash's <(...) here): jimfs has neither, the system has /dev/null.
    Path device = Path.of("/dev/null");
    assumeTrue(Files.exists(device) && !Files.isRegularFile(device), "a system with /dev/null");
    Path here = device.getParent();
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("/dev/null", here));
    assertEquals("/path", e.pointer());
    assertEquals("'/dev/null' is not a regular file but a pipe or device, which a file source cannot read: read it with "
        + "source type stdin, as in: wiz run PIPELINE < /dev/null", e.getMessage(), "not 'no such file'");

    IoConfigException relative = assertThrows(IoConfigException.class, () -> Inputs.resolve("null", here));
    assertTrue(relative.getMessage().startsWith("'null' is not a regular file but a pipe or device (/dev/null), "),
        relative.getMessage());
  }

  @Test
  void aGlobThatMatchesANamedPipeIsRefusedAsThePipeNamedAloneIs(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // jimfs has no named pipes: this one runs on the default file system. Nothing opens the pipe.
    Files.createDirectories(dir.resolve("d"));
    Files.writeString(dir.resolve("d/a.jsonl"), "{}\n");
    Path fifo = dir.resolve("d/b.jsonl");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && mk.exitValue() == 0 && Files.exists(fifo),
        "mkfifo works here");
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("d/*.jsonl", dir));
    assertEquals("/path", e.pointer());
    assertEquals("'d/*.jsonl' matches 'd/b.jsonl', which is not a regular file but a pipe, device or socket, which a file "
        + "source cannot read: narrow the glob or move it away; read a pipe with source type stdin, as in: wiz run "
        + "PIPELINE < " + dev.wiz.Shell.quote(fifo.toAbsolutePath().toString()), e.getMessage());
    assertEquals(List.of("d/a.jsonl"), Inputs.resolve("d/a*.jsonl", dir).stream().map(Inputs.Named::name).toList(),
        "a glob that does not match the pipe reads as before");
  }

  @Test
  void aGlobThatMatchesSymbolicLinksToNothingIsRefusedNamingTheFirst() throws Exception {
    write(base.resolve("d/a.jsonl"), "{}\n");
    Files.createSymbolicLink(base.resolve("d/c.jsonl"), base.resolve("d/gone.jsonl"));
    Files.createSymbolicLink(base.resolve("d/b.jsonl"), base.resolve("d/gone.jsonl"));
    Files.createSymbolicLink(base.resolve("d/e.jsonl"), base.resolve("d/a.jsonl"));
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("d/*.jsonl", base));
    assertEquals("'d/*.jsonl' matches 'd/b.jsonl', which is a symbolic link to a file that does not exist (and 1 more "
        + "such path): narrow the glob or move it away", e.getMessage());
    assertEquals(List.of("d/a.jsonl", "d/e.jsonl"), names("d/[ae].jsonl"), "a link to a file is read");
  }

  @Test
  void aSymbolicLinkToNothingIsSaidToBeOne() throws Exception {
    Files.createDirectories(base);
    Files.createSymbolicLink(base.resolve("in.jsonl"), base.resolve("gone.jsonl"));
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("in.jsonl", base));
    assertEquals("'in.jsonl' is a symbolic link to a file that does not exist (looked for /work/p/in.jsonl)", e.getMessage());
  }

  @Test
  void globCharactersMakeAGlob() {
    for (String g : List.of("*.jsonl", "a?.csv", "[ab].json", "{a,b}.csv", "d/**")) assertTrue(Inputs.isGlob(g), g);
    for (String p : List.of("a.jsonl", "d/e/f.csv", "../x", "/abs/y.json")) assertFalse(Inputs.isGlob(p), p);
  }

  @Test
  void aPathThatIsNoValidGlobIsAConfigProblemAtThePath() {
    IoConfigException e = assertThrows(IoConfigException.class, () -> Inputs.resolve("{a,{b}}.jsonl", base));
    assertEquals("/path", e.pointer());
    assertTrue(e.getMessage().startsWith("'{a,{b}}.jsonl' is not a valid glob ("), e.getMessage());
    assertTrue(e.getMessage().contains(" at character 4): "), e.getMessage());
  }
}

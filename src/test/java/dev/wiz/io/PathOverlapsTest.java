package dev.wiz.io;

import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sink that would overwrite its input, the pipeline or state, and a glob that would read the output back. */
class PathOverlapsTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");
  private final Path pipeline = base.resolve("pipeline.yaml");

  private static JsonNode file(String path) {
    return spec("type", "file", "path", path);
  }

  private List<PathOverlaps.Problem> check(String source, String sink) {
    return PathOverlaps.check(file(source), file(sink), pipeline, null);
  }

  private static String only(List<PathOverlaps.Problem> problems) {
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0).message();
  }

  @Test
  void aSinkNamedAsCompressedOtherThanGzipIsRefusedSinceItsOutputIsNot() {
    // it wrote plain text under the name, which xz then called "File format not recognized"
    List<PathOverlaps.Problem> p = check("in.jsonl.gz", "out/events.jsonl.xz");
    assertEquals("'out/events.jsonl.xz' ends in .xz, but wiz writes text (or gzip, named .gz), which xz would not read:"
        + " name the file 'out/events.jsonl' and compress it after the run (xz out/events.jsonl), or use sink type"
        + " stdout and pipe it: wiz run PIPELINE | xz > out/events.jsonl.xz; wiz writes gzip itself: name the file"
        + " 'out/events.jsonl.gz'", only(p));
    assertEquals("/sink/path", p.get(0).pointer());
    assertTrue(only(check("in.jsonl", "my out.XZ")).startsWith("'my out.XZ' ends in .XZ, but wiz writes text (or gzip,"
        + " named .gz), which xz would not read: name the file 'my out' and compress it after the run (xz 'my out'),"), p.toString());
    assertTrue(only(check("in.jsonl", "o.csv.zst")).contains("(zstd o.csv)"));
    assertTrue(only(check("in.jsonl", "o.bz2")).contains("| bzip2 > o.bz2"));
    assertTrue(only(check("in.jsonl", "o.lz4")).endsWith("(lz4 o), or use sink type stdout and pipe it: wiz run PIPELINE"
        + " | lz4 > o.lz4; wiz writes gzip itself: name the file 'o.gz'"));
    assertEquals("'out/events.tgz' ends in .tgz, but wiz writes its output as one file, not an archive, which"
        + " tar would not read: name the file 'out/events' and archive it after the run (tar -czf out/events.tgz"
        + " out/events)", only(check("in.jsonl", "out/events.tgz")));
    assertTrue(only(check("in.jsonl", "o.jsonl.TAR")).endsWith("which tar would not read: name the file 'o.jsonl' and"
        + " archive it after the run (tar -cf o.jsonl.TAR o.jsonl)"));
    assertTrue(only(check("in.jsonl", "o.tbz2")).endsWith("(tar -cjf o.tbz2 o)"));
    assertTrue(only(check("in.jsonl", "o.txz")).endsWith("(tar -cJf o.txz o)"));
    assertTrue(only(check("in.jsonl", "my o.zip")).endsWith("which unzip would not read: name the file 'my o' and archive"
        + " it after the run (zip 'my o.zip' 'my o')"));
    // wiz writes gzip under these names (SinkCompression)
    for (String fine : List.of("out.jsonl", "gz", ".gz/out.jsonl", "out.gzipped", "out.tgz.txt", "out.jsonl.gz",
        "o.GZIP", "tar", "out.zipped")) {
      assertEquals(List.of(), check("in.jsonl", fine), fine);
    }
  }

  @Test
  void aSourcePathThatNamesAFolderByItsTextIsRefusedWithAGlobToUse() {
    // validate passed these; a run then failed on the folder, or read in.jsonl for 'in.jsonl/'
    for (String source : List.of("data/", "in.jsonl/", "data/.", "..")) {
      List<PathOverlaps.Problem> p = check(source, "out.jsonl");
      assertEquals("'" + source + "' names a folder: name a file, or a glob such as '" + source.replaceAll("/+$", "")
          + "/*.jsonl'", only(p));
      assertEquals("/source/path", p.get(0).pointer());
    }
    List<PathOverlaps.Problem> csv = PathOverlaps.check(spec("type", "file", "path", "in/", "format", "csv"), file("o.csv"), pipeline, null);
    assertEquals("'in/' names a folder: name a file, or a glob such as 'in/*.csv'", only(csv));
  }

  @Test
  void aSinkOverTheSourceIsRefusedHoweverThePathIsWritten() throws Exception {
    write(base.resolve("data.jsonl"), "{}\n");
    for (String sink : List.of("data.jsonl", "./data.jsonl", "sub/../data.jsonl", "/work/p/data.jsonl")) {
      List<PathOverlaps.Problem> p = check("data.jsonl", sink);
      assertEquals("/sink/path", p.get(0).pointer());
      assertEquals("the sink '" + sink + "' (/work/p/data.jsonl) is the file the source 'data.jsonl' reads, which the"
          + " run would overwrite with its own output: write the output to another file, e.g. '"
          + sink.replace("data.jsonl", "data.out.jsonl") + "'", only(p), sink);
    }
    assertEquals(List.of(), check("data.jsonl", "data.out.jsonl"));
  }

  @Test
  void aSinkOverTheSourceThroughASymbolicLinkIsRefused() throws Exception {
    write(base.resolve("real/data.jsonl"), "{}\n");
    Files.createSymbolicLink(base.resolve("link.jsonl"), base.resolve("real/data.jsonl"));
    Files.createSymbolicLink(base.resolve("alias"), base.resolve("real"));
    assertTrue(only(check("link.jsonl", "real/data.jsonl")).contains("is the file the source 'link.jsonl' reads"));
    assertTrue(only(check("real/data.jsonl", "alias/data.jsonl")).contains("is the file the source"));
    assertEquals(List.of(), check("link.jsonl", "real/other.jsonl"));
  }

  @Test
  void aSinkOverALookupFileIsRefusedAndALookupFileInsideAStateFolderToo() throws Exception {
    // the run replaced the reference table with its own output; the next run then failed on it
    write(base.resolve("real/users.jsonl"), "{}\n");
    Files.createSymbolicLink(base.resolve("users.jsonl"), base.resolve("real/users.jsonl"));
    PathOverlaps.Read users = new PathOverlaps.Read("/processors/1/config/file", "users.jsonl", "the lookup file of processor 'u'");
    for (String sink : List.of("users.jsonl", "./real/users.jsonl")) {
      List<PathOverlaps.Problem> p = PathOverlaps.check(file("in.jsonl"), file(sink), pipeline, null, List.of(users));
      assertEquals("/sink/path", p.get(0).pointer());
      assertTrue(only(p).endsWith(" is the lookup file of processor 'u' (/processors/1/config/file), which the run would"
          + " overwrite with its own output: write the output to another file, e.g. '" + sink.replace("users.", "users.out.")
          + "'"), p.toString());
    }
    assertEquals(List.of(), PathOverlaps.check(file("users.jsonl"), file("out.jsonl"), pipeline, null, List.of(users)));
    PathOverlaps.Read dead = new PathOverlaps.Read("/processors/0/config/file", ".wiz/runs/r/dead-letter.jsonl", "the lookup file of processor 'u'");
    List<PathOverlaps.Problem> p = PathOverlaps.check(file("in.jsonl"), file("out.jsonl"), pipeline, null, List.of(dead));
    assertEquals("the lookup file of processor 'u' '.wiz/runs/r/dead-letter.jsonl' is inside a state folder (/work/p/.wiz),"
        + " which wiz writes while it runs: copy the file out of it and name the copy", only(p));
    assertEquals("/processors/0/config/file", p.get(0).pointer());
  }

  @Test
  void aSinkOverThePipelineFileIsRefused() throws Exception {
    write(base.resolve("in.jsonl"), "{}\n");
    assertEquals("the sink './pipeline.yaml' (/work/p/pipeline.yaml) is the pipeline file itself, which the run"
        + " would overwrite: write the output to another file, e.g. './pipeline.out.yaml'",
        only(check("in.jsonl", "./pipeline.yaml")));
  }

  @Test
  void aSinkInsideAStateFolderIsRefused() {
    assertEquals("the sink '.wiz/out.jsonl' (/work/p/.wiz/out.jsonl) is inside a state folder (/work/p/.wiz), which"
        + " holds wiz's run records: write the output outside of it", only(check("in.jsonl", ".wiz/out.jsonl")));
    assertTrue(only(check("in.jsonl", "sub/.wiz/runs/x.jsonl")).contains("inside a state folder (/work/p/sub/.wiz)"));
    List<PathOverlaps.Problem> moved =
        PathOverlaps.check(file("in.jsonl"), file("../state/o.jsonl"), pipeline, fs.getPath("/work/state"));
    assertTrue(only(moved).contains("inside a state folder (/work/state)"), moved.toString());
    assertEquals(List.of(), check("in.jsonl", "wiz/out.jsonl"));
  }

  @Test
  void aStateFolderAroundThePipelineProtectsOnlyWhatWizKeepsInIt() {
    Path around = base; // --state-dir . : the pipeline's folder is the state folder
    assertEquals(List.of(), PathOverlaps.check(file("in.jsonl"), file("out.jsonl"), pipeline, around));
    assertTrue(only(PathOverlaps.check(file("in.jsonl"), file("runs/x.jsonl"), pipeline, around))
        .contains("inside a state folder (/work/p/runs)"));
  }

  @Test
  void aGlobSourceMustNotMatchTheSink() {
    assertEquals("the sink 'out.jsonl' (/work/p/out.jsonl) matches the source glob '*.jsonl', so the next run would"
        + " read this run's output as input: write the output where the glob does not reach, or narrow the glob so"
        + " that it does not match 'out.jsonl' (e.g. keep the inputs in a folder of their own: 'in/*.jsonl')",
        only(check("*.jsonl", "out.jsonl")));
    assertTrue(only(check("**/*.jsonl", "out/deep/o.jsonl")).contains("matches the source glob"));
    assertTrue(only(check("logs/**/*.jsonl", "logs/o.jsonl")).contains("matches the source glob"), "zero folders");
    assertTrue(only(check("./logs/*.jsonl", "logs/../logs/o.jsonl")).contains("matches the source glob"));
    assertEquals(List.of(), check("*.jsonl", "out/o.jsonl"));
    assertEquals(List.of(), check("in/*.jsonl", "out.jsonl"));
    assertEquals(List.of(), check("*.jsonl", "out.csv"));
  }

  @Test
  void aSourcePathThatIsNoValidGlobIsAProblemNotACrash() {
    List<PathOverlaps.Problem> p = check("logs/{a,{b}}.jsonl", "out.jsonl");
    // The middle is the file system's own description ("cannot nest groups" on the default one).
    String m = only(p);
    assertTrue(m.startsWith("'logs/{a,{b}}.jsonl' is not a valid glob ("), m);
    assertTrue(m.endsWith(" at character 9): its wildcards are * ? ** [abc] and {a,b}, whose groups do not nest"
        + " ({a,b,c}, not {a,{b,c}})"), m);
    assertEquals("/source/path", p.get(0).pointer());
    assertTrue(only(check("[a-.jsonl", "out.jsonl")).startsWith("'[a-.jsonl' is not a valid glob ("));
  }

  @Test
  void aSourceInsideAStateFolderIsRefused() {
    List<PathOverlaps.Problem> p =
        PathOverlaps.check(file(".wiz/runs/r/dead-letter.jsonl"), spec("type", "stdout"), pipeline, null);
    assertEquals("/source/path", p.get(0).pointer());
    assertEquals("the source '.wiz/runs/r/dead-letter.jsonl' is inside a state folder (/work/p/.wiz), which wiz"
        + " writes while it runs: copy what you want to read out of it and read the copy"
        + " (e.g. cp '.wiz/runs/r/dead-letter.jsonl' retry.jsonl)", only(p));
    assertTrue(only(PathOverlaps.check(file(".wiz/runs/*/dead-letter.jsonl"), spec("type", "stdout"), pipeline, null))
        .contains("inside a state folder"));
  }

  @Test
  void standardStreamsNeverCollide() {
    JsonNode stdin = spec("type", "stdin");
    JsonNode stdout = spec("type", "stdout");
    assertEquals(List.of(), PathOverlaps.check(stdin, stdout, pipeline, null));
    assertEquals(List.of(), PathOverlaps.check(stdin, file("out.jsonl"), pipeline, null));
    assertEquals(List.of(), PathOverlaps.check(file("*.jsonl"), stdout, pipeline, null));
  }
}

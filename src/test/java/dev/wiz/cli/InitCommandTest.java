package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code wiz init}: a starter pipeline that validates and runs in an empty folder. */
class InitCommandTest extends JimfsCliTest {
  private List<String> files() throws IOException {
    try (Stream<Path> all = Files.walk(work)) {
      return all.filter(Files::isRegularFile).map(p -> work.relativize(p).toString()).sorted().toList();
    }
  }

  /** Everything in the folder, links and folders too (a link is listed, not followed). */
  private List<String> entries() throws IOException {
    try (Stream<Path> all = Files.walk(work)) {
      return all.filter(p -> !p.equals(work)).map(p -> work.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void initThenRunWorksInAnEmptyFolder() throws IOException {
    CliHarness.Result init = wiz.run("init");
    assertEquals(0, init.code(), init.toString());
    assertEquals("", init.out());
    assertTrue(init.err().startsWith("wiz: wrote pipeline.yaml and data/sample.jsonl\n"), init.err());
    assertEquals(List.of("data/sample.jsonl", "pipeline.yaml"), files());
    String text = Files.readString(work.resolve("pipeline.yaml"));
    assertTrue(text.startsWith("# yaml-language-server: $schema=https://wiz.dev/schemas/editor/pipeline.schema.json\n"), text);

    CliHarness.Result valid = wiz.run("validate", "pipeline.yaml");
    assertEquals(0, valid.code(), valid.toString());
    assertEquals("pipeline.yaml: valid\n", valid.err());

    CliHarness.Result run = wiz.run("run", "pipeline.yaml");
    assertEquals(0, run.code(), run.toString());
    assertEquals(List.of(
        "{\"id\":1,\"user\":\"ada\",\"amount\":12.5,\"amount_cents\":1250}",
        "{\"id\":3,\"user\":\"alan\",\"amount\":40,\"amount_cents\":4000}",
        "{\"id\":4,\"user\":\"edsger\",\"amount\":7.25,\"amount_cents\":725}"),
        Files.readAllLines(work.resolve("out/pipeline.jsonl")));
  }

  /**
   * A pipeline file named .json is written in JSON, which validate and run read (YAML 1.2 reads
   * JSON) and name positions in; it was the YAML pipeline, comments and all, in a .json file.
   */
  @Test
  void aFileNamedJsonGetsThePipelineInJsonThatValidatesAndRuns() throws Exception {
    CliHarness.Result init = wiz.run("init", "p.JSON");
    assertEquals(0, init.code(), init.toString());
    String text = Files.readString(work.resolve("p.JSON"));
    com.fasterxml.jackson.databind.JsonNode tree = dev.wiz.Json.mapper().readTree(text);
    assertEquals("out/p.jsonl", tree.at("/sink/path").asText(), text);
    List<String> keys = new java.util.ArrayList<>();
    tree.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("wiz", "description", "source", "chunking", "processors", "sink", "run"), keys);
    // The same pipeline as the YAML starter's.
    assertEquals(0, wiz.run("init", "p.yaml").code());
    dev.wiz.pipeline.YamlLoader loader = new dev.wiz.pipeline.YamlLoader(dev.wiz.pipeline.LoadLimits.defaults(), v -> null);
    assertEquals(loader.load(work.resolve("p.yaml"), "p.yaml").root(), tree);

    CliHarness.Result valid = wiz.run("validate", "p.JSON");
    assertEquals(0, valid.code(), valid.toString());
    assertEquals("p.JSON: valid\n", valid.err());
    CliHarness.Result run = wiz.run("-q", "run", "p.JSON");
    assertEquals(0, run.code(), run.toString());
    assertEquals(3, Files.readAllLines(work.resolve("out/p.jsonl")).size());

    // A mistake in it is named at its line and column.
    Files.writeString(work.resolve("p.JSON"), text.replace("\"records\": 1000", "\"records\": 0"));
    CliHarness.Result bad = wiz.run("validate", "p.JSON");
    assertEquals(3, bad.code(), bad.toString());
    assertTrue(bad.err().startsWith("p.JSON:5:28: /chunking/records: must be at least 1, got 0\n"), bad.err());
  }

  @Test
  void theSuggestedCommandsCanBePastedWhenTheNameHasASpaceOrAQuote() throws IOException {
    CliHarness.Result init = wiz.run("init", "my pipe's.yaml");
    assertEquals(0, init.code(), init.toString());
    assertTrue(init.err().contains("\n  check it:  wiz validate 'my pipe'\\''s.yaml'\n"), init.err());
    assertTrue(init.err().contains("\n  run it:    wiz run 'my pipe'\\''s.yaml'   (output:"), init.err());
    assertTrue(init.err().contains("wiz graph 'my pipe'\\''s.yaml'\n"), init.err());
    assertTrue(Files.readString(work.resolve("my pipe's.yaml")).contains("#   wiz validate 'my pipe'\\''s.yaml' checks it"));
    CliHarness.Result plain = wiz.run("init", "sub/p-1.yaml");
    assertTrue(plain.err().contains("\n  check it:  wiz validate sub/p-1.yaml\n"), plain.err());
  }

  @Test
  void theSchemaLineNamesTheIdOfTheSchemaWizSchemaPrints() throws IOException {
    assertEquals(0, wiz.run("init").code());
    String line = Files.readAllLines(work.resolve("pipeline.yaml")).get(0);
    CliHarness.Result schema = wiz.run("schema");
    assertTrue(schema.out().contains("\"$id\" : \"" + line.substring(line.indexOf('=') + 1) + "\""), line);
  }

  @Test
  void anExistingPipelineIsNeverOverwrittenWithoutForce() throws IOException {
    Files.writeString(work.resolve("pipeline.yaml"), "mine\n");
    CliHarness.Result r = wiz.run("init");
    assertEquals(2, r.code(), r.toString());
    assertEquals("wiz: pipeline.yaml exists; it is left as it is (--force overwrites it)\n", r.err());
    assertEquals("mine\n", Files.readString(work.resolve("pipeline.yaml")));
    assertEquals(List.of("pipeline.yaml"), files(), "nothing else written either");

    CliHarness.Result forced = wiz.run("init", "--force");
    assertEquals(0, forced.code(), forced.toString());
    assertEquals(0, wiz.run("-q", "validate", "pipeline.yaml").code());
  }

  @Test
  void anExistingSampleIsKeptAndTheNamedFileGetsItsOwnOutput() throws IOException {
    Files.createDirectories(work.resolve("jobs/data"));
    Files.writeString(work.resolve("jobs/data/sample.jsonl"), "{\"id\":9,\"status\":\"ok\",\"amount\":1}\n");
    CliHarness.Result r = wiz.run("init", "jobs/Daily Job.yaml");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: wrote jobs/Daily Job.yaml (jobs/data/sample.jsonl was there: kept)\n"), r.err());
    assertEquals("{\"id\":9,\"status\":\"ok\",\"amount\":1}\n", Files.readString(work.resolve("jobs/data/sample.jsonl")));
    assertEquals(0, wiz.run("-q", "run", "jobs/Daily Job.yaml").code());
    assertEquals("{\"id\":9,\"user\":null,\"amount\":1,\"amount_cents\":100}\n", Files.readString(work.resolve("jobs/out/daily-job.jsonl")));
  }

  @Test
  void aFolderIsNotAPipelineFile() throws IOException {
    Files.createDirectories(work.resolve("p.yaml"));
    CliHarness.Result r = wiz.run("init", "p.yaml");
    assertEquals(2, r.code(), r.toString());
    assertEquals("wiz: p.yaml: is a folder; name the pipeline file to write\n", r.err());
  }

  @Test
  void aNameEndingInASlashIsAFolderToo() throws IOException {
    CliHarness.Result r = wiz.run("init", "sub/");
    assertEquals(2, r.code(), r.toString());
    assertEquals("wiz: sub/: is a folder; name the pipeline file to write\n", r.err());
    assertEquals(false, Files.exists(work.resolve("sub")), "nothing written");
    assertEquals(false, Files.exists(work.resolve("data")));
  }

  @Test
  void aSampleInputThatIsNotAFileIsSaidNotKept() throws IOException {
    Files.createDirectories(work.resolve("d2/data/sample.jsonl"));
    CliHarness.Result r = wiz.run("init", "d2/p.yaml");
    assertEquals(2, r.code(), r.toString());
    assertEquals(true, r.err().endsWith("data/sample.jsonl is there but is not a file; the starter pipeline reads it: move it away\n"),
        r.err());
    assertEquals(false, Files.exists(work.resolve("d2/p.yaml")));
  }
  @Test
  void forceThroughASymbolicLinkWritesItsTargetAndKeepsTheLink() throws IOException {
    Files.createDirectories(work.resolve("kept"));
    Files.writeString(work.resolve("kept/real.yaml"), "old\n");
    Files.createSymbolicLink(work.resolve("p.yaml"), fs.getPath("kept/real.yaml"));
    CliHarness.Result r = wiz.run("init", "p.yaml", "--force");
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isSymbolicLink(work.resolve("p.yaml")), "the link is kept");
    assertTrue(Files.readString(work.resolve("kept/real.yaml")).contains("wiz: 1\n"), "its target is the new pipeline");
  }

  @Test
  void forceNeverReplacesANamedPipe(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // jimfs has no named pipes: this one runs on the default file system.
    Path fifo = dir.resolve("p.yaml");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)
        && mk.exitValue() == 0 && Files.exists(fifo), "mkfifo works here");
    CliHarness.Result r = new CliHarness(dir).run("init", "p.yaml", "--force");
    assertEquals(new CliHarness.Result(2, "", "wiz: p.yaml is a named pipe, not a regular file; it is left as it is"
        + " (--force replaces only a file's content): name another file\n").toString(), r.toString());
    assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(), "still a named pipe");
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(List.of("p.yaml"), all.map(p -> p.getFileName().toString()).toList(), "nothing written");
    }
  }

  @Test
  void aFileNamedDataWhereTheSampleGoesIsSaidInWords() throws IOException {
    Files.writeString(work.resolve("data"), "not a folder\n");
    CliHarness.Result r = wiz.run("init");
    assertEquals(new CliHarness.Result(2, "", "wiz: data is a file, not a folder, so the sample input data/sample.jsonl"
        + " cannot be written: move it away, or name a pipeline file in another folder\n").toString(), r.toString());
    assertEquals(List.of("data"), files(), "nothing written");
  }

  @Test
  void aFileWhereThePipelinesFolderGoesIsSaidInWords() throws IOException {
    Files.writeString(work.resolve("data"), "not a folder\n");
    CliHarness.Result r = wiz.run("init", "data/p.yaml");
    assertEquals(new CliHarness.Result(2, "", "wiz: data is a file, not a folder, so data/p.yaml cannot be written"
        + " in it: move it away, or name a pipeline file in another folder\n").toString(), r.toString());
    r = wiz.run("init", "data/sub/p.yaml", "--force");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().startsWith("wiz: data is a file, not a folder, so data/sub/p.yaml cannot"), r.err());
    assertEquals(List.of("data"), files(), "nothing written");
  }

  @Test
  void aSymbolicLinkToAMissingFileIsRefusedInWordsBeforeAnythingIsWritten() throws IOException {
    Files.createSymbolicLink(work.resolve("link.yaml"), fs.getPath("target.yaml"));
    CliHarness.Result r = wiz.run("init", "link.yaml");
    assertEquals(new CliHarness.Result(2, "", "wiz: link.yaml is a symbolic link to target.yaml, which is not there;"
        + " it is left as it is: --force writes the pipeline to target.yaml through it, or name another file\n").toString(),
        r.toString());
    assertEquals(List.of("link.yaml"), entries(), "nothing written");

    CliHarness.Result forced = wiz.run("init", "link.yaml", "--force");
    assertEquals(0, forced.code(), forced.toString());
    assertTrue(Files.isSymbolicLink(work.resolve("link.yaml")), "the link is kept");
    assertTrue(Files.readString(work.resolve("target.yaml")).contains("wiz: 1\n"), "its target is the new pipeline");
  }

  @Test
  void aSymbolicLinkToNothingWhereAFolderGoesIsRefusedInWordsBeforeAnythingIsWritten() throws IOException {
    Files.createSymbolicLink(work.resolve("sub"), fs.getPath("nowhere"));
    CliHarness.Result r = wiz.run("init", "sub/p.yaml");
    assertEquals(new CliHarness.Result(2, "", "wiz: sub is a symbolic link to nowhere, which is not there, so sub/p.yaml"
        + " cannot be written in it: create the folder it points to or remove the link, or name a pipeline file in"
        + " another folder\n").toString(), r.toString());
    assertEquals(List.of("sub"), entries(), "nothing written");

    Files.createSymbolicLink(work.resolve("data"), fs.getPath("data"));
    r = wiz.run("init", "--force");
    assertEquals(new CliHarness.Result(2, "", "wiz: data is a symbolic link in a loop, so the sample input"
        + " data/sample.jsonl cannot be written: remove the link, or name a pipeline file in another folder\n").toString(),
        r.toString());
    assertEquals(List.of("data", "sub"), entries(), "nothing written");
  }

  @Test
  void aSampleInputThatIsALinkToNothingIsRefusedInWordsBeforeAnythingIsWritten() throws IOException {
    Files.createDirectories(work.resolve("data"));
    Files.createSymbolicLink(work.resolve("data/sample.jsonl"), fs.getPath("gone.jsonl"));
    for (String force : List.of("--quiet", "--force")) {
      CliHarness.Result r = wiz.run("init", force);
      assertEquals(new CliHarness.Result(2, "", "wiz: data/sample.jsonl is a symbolic link to data/gone.jsonl, which is"
          + " not there; the starter pipeline reads it: remove the link, or put the sample input where it points\n").toString(),
          r.toString());
      assertEquals(List.of("data", "data/sample.jsonl"), entries(), "nothing written");
    }
  }

  @Test
  void aSymbolicLinkToAFolderIsAFolderAndNothingIsWritten() throws IOException {
    Files.createDirectories(work.resolve("f"));
    Files.createSymbolicLink(work.resolve("p.yaml"), fs.getPath("f"));
    CliHarness.Result r = wiz.run("init", "p.yaml", "--force");
    assertEquals(new CliHarness.Result(2, "", "wiz: p.yaml: is a folder; name the pipeline file to write\n").toString(),
        r.toString());
    assertEquals(List.of("f", "p.yaml"), entries(), "nothing written");
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sink that would destroy its input, the pipeline or the state folder is refused by validate,
 * run and run --dry-run alike, before anything is written; a glob never reads wiz's own files.
 */
class PathOverlapCliTest extends JimfsCliTest {
  private static final String INPUT = "{\"a\":1}\n{\"a\":2}\n";

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(work.resolve("data.jsonl"), INPUT);
  }

  private void pipeline(String source, String sink) throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: '" + source + "' }\n"
        + "sink: { type: file, path: '" + sink + "' }\n");
  }

  @Test
  void aSinkOverItsInputIsAConfigErrorOfValidateRunAndDryRun() throws IOException {
    pipeline("data.jsonl", "./data.jsonl");
    String expected = "p.yaml:3:27: /sink/path: the sink './data.jsonl' (/work/data.jsonl) is the file the source"
        + " 'data.jsonl' reads, which the run would overwrite with its own output: write the output to another file,"
        + " e.g. './data.out.jsonl'\n";
    CliHarness.Result v = wiz.run("validate", "p.yaml");
    assertEquals(new CliHarness.Result(3, "", expected + "p.yaml: 1 problem\n").toString(), v.toString());
    for (List<String> args : List.of(List.of("run", "p.yaml"), List.of("run", "p.yaml", "--dry-run"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(new CliHarness.Result(3, "", expected).toString(), r.toString(), args.toString());
    }
    assertEquals(INPUT, Files.readString(work.resolve("data.jsonl")), "the input is untouched");
    assertTrue(Files.notExists(work.resolve(".wiz")), "nothing written, not even the state folder");
  }

  @Test
  void aSinkOverThePipelineFileIsRefused() throws IOException {
    pipeline("data.jsonl", "p.yaml");
    String before = Files.readString(work.resolve("p.yaml"));
    CliHarness.Result r = wiz.run("run", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().startsWith("p.yaml:3:27: /sink/path: the sink 'p.yaml' (/work/p.yaml) is the pipeline file"
        + " itself"), r.err());
    assertEquals(before, Files.readString(work.resolve("p.yaml")));
  }

  @Test
  void aSinkInTheStateFolderGivenOnTheCommandLineIsRefused() throws IOException {
    pipeline("data.jsonl", "state/out.jsonl");
    assertEquals(0, wiz.run("-q", "validate", "p.yaml").code(), "valid with .wiz as the state folder");
    CliHarness.Result r = wiz.run("run", "p.yaml", "--state-dir", "state");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().contains("is inside a state folder (/work/state)"), r.err());
    CliHarness.Result v = wiz.run("validate", "p.yaml", "--state-dir", "state");
    assertEquals(3, v.code(), "validate knows the state folder the run will use: " + v);
    assertTrue(v.err().startsWith("p.yaml:3:27: /sink/path: ") && v.err().contains("is inside a state folder (/work/state)"),
        v.err());
    assertTrue(Files.notExists(work.resolve("state")));
  }

  @Test
  void aGlobThatWouldReadTheOutputBackIsRefused() throws IOException {
    pipeline("*.jsonl", "out.jsonl");
    CliHarness.Result r = wiz.run("validate", "p.yaml");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().startsWith("p.yaml:3:27: /sink/path: the sink 'out.jsonl' (/work/out.jsonl) matches the"
        + " source glob '*.jsonl'"), r.err());
  }

  @Test
  void aGlobOverTheWholeFolderReadsTheSameInputsRunAfterRun() throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: '**/*.jsonl' }\n"
        + "chunking: { records: 1 }\nsink: { type: stdout }\nrun: { onError: dead-letter }\n");
    // Something for every kind of file wiz leaves: a dead letter, and a temporary output.
    Files.createDirectories(work.resolve(".wiz/runs/old"));
    Files.writeString(work.resolve(".wiz/runs/old/dead-letter.jsonl"), "{\"dead\":1}\n");
    Files.writeString(work.resolve(".o.jsonl.0b0e5c1e-1111-4222-8333-123456789abc.tmp"), "{\"tmp\":1}\n");
    for (int i = 0; i < 2; i++) {
      CliHarness.Result r = wiz.run("run", "p.yaml", "--force", "--format", "json");
      assertEquals(0, r.code(), r.toString());
      assertEquals(INPUT, r.out(), "only data.jsonl is read");
      JsonNode summary = Json.mapper().readTree(r.err());
      assertEquals(2, summary.get("read").asInt(), r.err());
    }
  }

  @Test
  void aSourceThatIsNoValidGlobOrHasAnUnsetVariableIsAConfigErrorNotACrash() throws IOException {
    pipeline("logs/{a,{b}}.jsonl", "out.jsonl");
    for (List<String> args : List.of(List.of("validate", "p.yaml"), List.of("run", "p.yaml"),
        List.of("run", "p.yaml", "--dry-run"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(3, r.code(), args + ": " + r);
      assertTrue(r.err().startsWith("p.yaml:2:29: /source/path: 'logs/{a,{b}}.jsonl' is not a valid glob ("), r.toString());
      assertTrue(!r.err().contains("internal error") && !r.err().contains("Exception"), r.toString());
    }
    pipeline("${NOPE:-${MISSING}}", "out.jsonl");
    CliHarness.Result unset = wiz.run("validate", "p.yaml");
    assertEquals(new CliHarness.Result(3, "", "p.yaml:2:38: /source/path: environment variable MISSING is not set"
        + " (export it, or write ${MISSING:-default})\np.yaml: 1 problem\n").toString(), unset.toString());
    assertTrue(Files.notExists(work.resolve(".wiz")), "nothing written");
  }
}

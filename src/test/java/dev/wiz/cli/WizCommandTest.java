package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.engine.RunService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-level command, whose picocli model is built in code rather than from annotations: it must
 * say and do what the annotations said (picocli's standard help options, the inherited flags).
 */
class WizCommandTest {
  @TempDir Path work;

  @Test
  void helpListsTheStandardOptionsTheFlagsTheCommandsAndTheExitCodes() {
    CliHarness.Result help = new CliHarness(work).run("--help");
    assertEquals(0, help.code(), help.toString());
    assertEquals("""
        Usage: wiz [-hqvV] [COMMAND]
        Run data pipelines described in YAML, with provenance for every chunk.
          -h, --help      Show this help message and exit.
          -q, --quiet     Print only results, warnings and errors.
          -v, --verbose   Print more, including stack traces of internal errors.
          -V, --version   Print version information and exit.
        Commands:
          run         Run a pipeline and record what happened to every chunk.
          validate    Check a pipeline file and report every problem at once.
          graph       Print a pipeline as a graph (dot, Mermaid or JSON).
          provenance  Query the provenance log of a run.
          processors  The processor types this wiz knows.
          requests    List the requests of a state folder with their status and runs.
          schema      Print the JSON Schema of the pipeline file or of one type.
          init        Write a starter pipeline and a small sample input for it.
          help        Display help information about the specified command.

        Exit codes:
          0    success
          1    internal error (a bug in wiz: please report it with --verbose output)
          2    usage error: unknown option, missing argument, unreadable file
          3    invalid pipeline or config, unknown run or chunk id, or broken run state
          4    the run failed
          5    the run completed, but records were skipped or dead-lettered
          6    refused by a request rule: already running, succeeded, failed too often
          130  interrupted by SIGINT or SIGTERM
          141  stopped: the reader of stdout closed it (wiz run p.yaml | head)
        """, help.out());
    assertEquals("", help.err());
    assertEquals(help.out(), new CliHarness(work).run("-h").out());
  }

  @Test
  void versionPrintsTheVersionAlone() {
    for (String option : new String[] {"--version", "-V", "-qV"}) {
      CliHarness.Result r = new CliHarness(work).run(option);
      assertEquals(0, r.code(), r.toString());
      assertEquals("wiz " + RunService.version() + "\n", r.out(), option);
      assertEquals("", r.err(), option);
    }
  }

  @Test
  void quietAndVerboseWorkBeforeAndAfterTheSubcommand() throws IOException {
    Files.writeString(work.resolve("p.yaml"), "wiz: 1\nname: p\nsource: {type: stdin}\nsink: {type: stdout}\n");
    CliHarness wiz = new CliHarness(work);
    CliHarness.Result plain = wiz.run("validate", "p.yaml");
    assertEquals(0, plain.code(), plain.toString());
    assertEquals("p.yaml: valid\n", plain.out() + plain.err());
    for (String[] args : new String[][] {{"-q", "validate", "p.yaml"}, {"validate", "--quiet", "p.yaml"},
        {"validate", "p.yaml", "-q"}, {"-q", "validate", "-q", "p.yaml"}, {"--quiet", "validate", "--quiet", "p.yaml"},
        {"-qv", "validate", "-qv", "p.yaml"}}) {
      CliHarness.Result quiet = wiz.run(args);
      assertEquals(0, quiet.code(), quiet.toString());
      assertEquals("", quiet.out() + quiet.err(), String.join(" ", args));
    }
    CliHarness.Result usage = wiz.run("validate", "-v", "-x", "p.yaml");
    assertEquals(2, usage.code(), usage.toString());
    assertTrue(usage.err().startsWith("wiz: Unknown option: '-x'"), usage.err());
  }

  @Test
  void noCommandIsAUsageErrorThatSaysWhatToTry() {
    CliHarness.Result none = new CliHarness(work).run("-v");
    assertEquals(2, none.code(), none.toString());
    assertEquals("wiz: missing command: try 'wiz run PIPELINE.yaml' or 'wiz --help'\nTry 'wiz --help' for more.\n",
        none.err());
    assertEquals("", none.out());
  }
}

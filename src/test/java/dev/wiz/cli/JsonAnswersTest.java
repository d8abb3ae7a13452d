package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command asked for {@code --format json} answers with one JSON value on stdout whatever
 * happens: a usage error the parser finds, a file that cannot be read, an unknown type or state
 * folder; text still goes to stderr.
 */
class JsonAnswersTest extends JimfsCliTest {
  @BeforeEach
  void setUp() throws IOException {
    RunJsonOutcomesTest.writePipeline(work);
    Files.createDirectories(work.resolve("adir"));
  }

  /** Exit 2 and {@code {"status":"usage-error","error"}} alone on stdout, the same words on stderr after "wiz: ". */
  private static JsonNode assertUsageError(CliHarness.Result r) throws IOException {
    assertEquals(2, r.code(), r.toString());
    JsonNode o = RunJsonOutcomesTest.onlyJson(r.out());
    assertEquals(List.of("status", "error"), fieldNames(o), r.toString());
    assertEquals("usage-error", o.get("status").asText(), r.toString());
    assertTrue(r.err().startsWith("wiz: " + o.get("error").asText() + "\n"), "the same words on stderr: " + r);
    return o;
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void validateAndGraphOfAFileThatCannotBeReadAnswerAUsageErrorInJson() throws IOException {
    for (String command : List.of("validate", "graph")) {
      JsonNode missing = assertUsageError(wiz.run(command, "missing.yaml", "--format", "json"));
      assertEquals("missing.yaml: no such file", missing.get("error").asText());
      JsonNode folder = assertUsageError(wiz.run(command, "adir", "--format", "json"));
      assertEquals("adir: is a folder; name a file", folder.get("error").asText());
    }
    JsonNode config = assertUsageError(wiz.run("validate", "--type", "jq", "missing.json", "--format", "json"));
    assertEquals("missing.json: no such file", config.get("error").asText());
  }

  @Test
  void theParsersUsageErrorsOfEveryCommandWithFormatJsonAreJson() throws IOException {
    for (List<String> args : List.of(
        List.of("validate", "--format", "json"),
        List.of("validate", "p.yaml", "--format", "json", "--bogus"),
        List.of("validate", "--format=json", "a.yaml", "b.yaml"),
        List.of("graph", "--format", "json"),
        List.of("graph", "--format", "json", "--nope", "p.yaml"),
        List.of("provenance", "show", "--format", "json", "--bogus", "x"),
        List.of("provenance", "show", "--format", "json"),
        List.of("provenance", "list", "--format", "json", "extra-arg"),
        List.of("provenance", "list", "--format", "json", "--run"),
        List.of("provenance", "verify", "--format", "json", "--bogus"),
        List.of("processors", "list", "--format", "json", "--nope"),
        List.of("processors", "show", "--format", "json"),
        List.of("processors", "show", "jq", "--format", "json", "--nope"),
        List.of("requests", "--format", "json", "--nope"),
        List.of("requests", "--format", "json", "extra"),
        // A command above those that take --format json: a misspelt subcommand, or none.
        List.of("provenance", "lsit", "--format", "json"),
        List.of("processors", "--format", "json"),
        List.of("--format", "json"),
        List.of("bogus", "--format", "json"))) {
      assertUsageError(wiz.run(args.toArray(String[]::new)));
      if (Cli.subcommandIn(args.toArray(String[]::new)) == null || args.size() < 4) {
        // What the full command line says too, where the failing command is one above others.
        CliHarness full = new CliHarness(work);
        full.fullCommandLine = true;
        assertUsageError(full.run(args.toArray(String[]::new)));
      }
    }
  }

  /** Every command of the full command line whose --format takes json, with the words that name it. */
  private List<List<String>> commandsTakingJson() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    CliEnv env = new CliEnv(new ByteArrayInputStream(new byte[0]), stdout, new PrintWriter(stdout, true),
        new PrintWriter(new StringWriter(), true), k -> null, work, new AtomicBoolean(), false);
    List<List<String>> found = new ArrayList<>();
    collect(Cli.create(env), List.of(), found);
    return found;
  }

  private static void collect(CommandLine cl, List<String> words, List<List<String>> found) {
    CommandLine.Model.OptionSpec format = cl.getCommandSpec().findOption("--format");
    if (format != null && format.type().isEnum()) {
      for (Object c : format.type().getEnumConstants()) {
        if (((Enum<?>) c).name().equals("json")) found.add(words);
      }
    }
    cl.getSubcommands().forEach((name, sub) -> {
      List<String> w = new ArrayList<>(words);
      w.add(name);
      collect(sub, w, found);
    });
  }

  @Test
  void anUnknownOptionOfAnyCommandThatTakesFormatJsonIsAnsweredInJson() throws IOException {
    List<List<String>> commands = commandsTakingJson();
    assertEquals(List.of(List.of("run"), List.of("validate"), List.of("graph"), List.of("provenance", "show"),
        List.of("provenance", "list"), List.of("provenance", "verify"), List.of("processors", "list"),
        List.of("processors", "show"), List.of("requests")), commands);
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--format", "json", "--bogus"));
      JsonNode o = assertUsageError(wiz.run(args.toArray(String[]::new)));
      // A command that needs an argument says first that it is missing.
      assertTrue(o.get("error").asText().contains("'--bogus'") || o.get("error").asText().startsWith("Missing required"),
          o.toString());
    }
  }

  @Test
  void withoutFormatJsonOrWhereFormatTakesNoJsonStdoutStaysEmpty() throws IOException {
    for (List<String> args : List.of(
        List.of("validate", "--bogus", "p.yaml"),
        List.of("validate", "missing.yaml"),
        List.of("graph", "--format", "dot", "--bogus", "p.yaml"),
        List.of("graph", "--format", "xml", "p.yaml"),
        List.of("requests", "--format", "json", "--format", "text", "--nope"),
        List.of("provenance", "export", "--format", "json"),
        List.of("provenance", "export", "--format", "prov", "--bogus"),
        List.of("init", "--format", "json"),
        List.of("schema", "--format", "json"),
        List.of("provenance", "list", "--", "--format", "json"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.toString());
      assertEquals("", r.out(), String.join(" ", args));
      assertTrue(r.err().startsWith("wiz: "), r.toString());
    }
  }

  @Test
  void anUnknownProcessorTypeIsAnAnswerInJson() throws IOException {
    CliHarness.Result r = wiz.run("processors", "show", "fliter", "--format", "json");
    assertEquals(3, r.code(), r.toString());
    assertEquals("wiz: unknown processor type 'fliter' (did you mean 'filter'?); 'wiz processors list' lists the types\n", r.err());
    JsonNode o = RunJsonOutcomesTest.onlyJson(r.out());
    assertEquals(Json.mapper().readTree("{\"type\":\"fliter\",\"error\":\"unknown processor type 'fliter' (did you mean"
        + " 'filter'?); 'wiz processors list' lists the types\"}"), o);
  }

  @Test
  void requestsOfAStateFolderThatIsNotThereIsAnAnswerInJson() throws IOException {
    CliHarness.Result r = wiz.run("requests", "--state-dir", "nodir", "--format", "json");
    assertEquals(3, r.code(), r.toString());
    assertEquals("wiz: no state folder at /work/nodir\n", r.err());
    assertEquals(Json.mapper().readTree("{\"stateDir\":\"nodir\",\"error\":\"no state folder at /work/nodir\"}"),
        RunJsonOutcomesTest.onlyJson(r.out()));
  }

  @Test
  void aStateDirThatIsAFileIsSaidToBeAFileNotToBeMissing() throws IOException {
    Files.writeString(work.resolve("st"), "a file\n");
    String said = "/work/st is a file, not a state folder: name the folder with --state-dir";
    for (String[] args : new String[][] {{"requests", "--state-dir", "st"}, {"provenance", "verify", "--state-dir", "st"},
        {"provenance", "list", "--state-dir", "st"}}) {
      CliHarness.Result r = wiz.run(args);
      assertEquals(3, r.code(), String.join(" ", args) + ": " + r);
      assertEquals("wiz: " + said + "\n", r.err(), String.join(" ", args));
    }
  }

  @Test
  void aProvenanceLogThatIsAFolderIsBrokenStateInJson() throws IOException {
    CliHarness.Result run = wiz.run("run", "p.yaml", "--format", "json");
    assertEquals(0, run.code(), run.toString());
    Path log = fs.getPath(RunJsonOutcomesTest.onlyJson(run.out()).get("provenance").asText());
    Files.delete(log);
    Files.createDirectories(log);
    String error = log + ": not a readable provenance log (it is a folder); move it away to start afresh";
    for (List<String> args : List.of(List.of("provenance", "list", "--format", "json"),
        List.of("provenance", "verify", "--format", "json"),
        List.of("provenance", "show", "p-x-000000", "--format", "json"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(3, r.code(), r.toString());
      JsonNode o = RunJsonOutcomesTest.onlyJson(r.out());
      assertEquals("broken-state", o.get("status").asText(), r.toString());
      assertEquals(error, o.get("error").asText(), r.toString());
      assertEquals("wiz: " + error + "\n", r.err());
    }
  }

  @Test
  void exportWritesOnlyTheExportOnStdoutSoARefusalLeavesItEmpty() throws IOException {
    CliHarness.Result unknown = wiz.run("provenance", "export", "--format", "prov", "--run", "norun");
    assertEquals(3, unknown.code(), unknown.toString());
    assertEquals("", unknown.out());
    assertTrue(unknown.err().startsWith("wiz: no .wiz folder in /work"), unknown.toString());
    CliHarness.Result run = wiz.run("run", "p.yaml");
    assertEquals(0, run.code(), run.toString());
    CliHarness.Result noRun = wiz.run("provenance", "export", "--format", "openlineage", "--run", "norun");
    assertEquals(3, noRun.code(), noRun.toString());
    assertEquals("", noRun.out());
    assertTrue(noRun.err().startsWith("wiz: unknown run id 'norun'"), noRun.toString());
  }

  @Test
  void aCommandThatAnsweredItselfIsNotAnsweredTwice() throws IOException {
    Files.writeString(work.resolve("bad.yaml"), RunJsonOutcomesTest.PIPELINE.replace("type: jq", "type: jqq"));
    CliHarness.Result graph = wiz.run("graph", "bad.yaml", "--format", "json");
    assertEquals(3, graph.code(), graph.toString());
    assertTrue(RunJsonOutcomesTest.onlyJsonValue(graph.out()).isArray(), graph.toString());
    CliHarness.Result run = wiz.run("run", "missing.yaml", "--format", "json");
    assertEquals(2, run.code(), run.toString());
    assertEquals(Json.mapper().readTree("{\"status\":\"usage-error\",\"error\":\"missing.yaml: no such file\"}"),
        RunJsonOutcomesTest.onlyJson(run.out()));
    assertFalse(run.out().contains("\n{"), "one line, as a run's summary: " + run.out());
  }

  @Test
  void anInternalErrorOrAJavaErrorIsAnsweredInJson() throws IOException {
    Files.writeString(work.resolve("env.yaml"), RunJsonOutcomesTest.PIPELINE.replace("path: in.jsonl", "path: \"${IN}\""));
    wiz.envLookup = name -> {
      throw new IllegalStateException("broken lookup");
    };
    for (List<String> args : List.of(List.of("validate", "env.yaml", "--format", "json"),
        List.of("graph", "env.yaml", "--format", "json"), List.of("run", "env.yaml", "--format", "json"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(1, r.code(), r.toString());
      assertEquals(Json.mapper().readTree("{\"status\":\"internal-error\",\"error\":\"internal error:"
          + " java.lang.IllegalStateException: broken lookup\"}"), RunJsonOutcomesTest.onlyJson(r.out()), r.toString());
    }
    wiz.envLookup = name -> {
      throw new StackOverflowError();
    };
    for (List<String> args : List.of(List.of("validate", "env.yaml", "--format", "json"),
        List.of("graph", "env.yaml", "--format", "json"), List.of("run", "env.yaml", "--format", "json"),
        List.of("run", "env.yaml", "--format", "json", "--dry-run"))) {
      CliHarness.Result r = wiz.run(args.toArray(String[]::new));
      assertEquals(1, r.code(), r.toString());
      JsonNode o = RunJsonOutcomesTest.onlyJson(r.out());
      assertEquals("internal-error", o.get("status").asText(), r.toString());
      assertTrue(o.get("error").asText().startsWith("nesting too deep (stack overflow)"), r.toString());
      assertEquals("wiz: " + o.get("error").asText() + "\n", r.err());
      assertEquals(args.contains("--dry-run"), o.path("dryRun").asBoolean(), r.toString());
    }
  }
}

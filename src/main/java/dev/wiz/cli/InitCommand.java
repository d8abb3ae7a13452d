package dev.wiz.cli;

import dev.wiz.state.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz init}: a starter pipeline, and a little data for it to read, in the current folder. */
final class InitCommand extends Subcommand implements Callable<Integer> {
  static final String DATA = "data/sample.jsonl";

  final Value<String> file = Value.of(String.class);
  final Value<Boolean> force = Value.flag();

  /** {@code wiz init [--force] [FILE]}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "init");
    s.usageMessage()
        .header("Write a starter pipeline and a small sample input for it.")
        .description(
            "Write a starter pipeline (default pipeline.yaml) that reads data/sample.jsonl",
            "next to it, keeps the records with status ok, reshapes them and writes",
            "out/<name>.jsonl; the sample input is written too when it is absent (an",
            "existing one is kept); a FILE named .json gets the pipeline in JSON, without",
            "the comments. Then: wiz run pipeline.yaml. An existing pipeline file is never",
            "overwritten without --force (exit 2, naming it); --force replaces a file's",
            "content only (through a symbolic link its target, also one not there yet),",
            "never a named pipe, device or folder. A refusal writes nothing.");
    s.addPositional(file.parameter().paramLabel("FILE").arity("0..1").required(false).defaultValue("pipeline.yaml")
        .description("The pipeline file to write. Default: ${DEFAULT-VALUE}.").build());
    s.addOption(force.option("--force")
        .description("Overwrite FILE when it is a file (through a symbolic link, its target; the sample input is still only"
            + " written when absent).").build());
    return s;
  }

  @Override
  public Integer call() throws IOException {
    String file = this.file.value();
    boolean force = this.force.value();
    Path pipeline = path(file);
    if (Files.isDirectory(pipeline) || file.endsWith("/") || file.endsWith(java.io.File.separator)) {
      env().err().println("wiz: " + file + ": is a folder; name the pipeline file to write");
      return ExitCode.USAGE.code();
    }
    Path dir = pipeline.toAbsolutePath().getParent();
    // Every refusal comes before anything is written.
    NotAFolder notAFolder = notAFolder(dir);
    if (notAFolder != null) {
      env().err().println("wiz: " + notAFolder.what() + ", so " + file + " cannot be written in it: "
          + notAFolder.todo() + ", or name a pipeline file in another folder");
      return ExitCode.USAGE.code();
    }
    if (Files.exists(pipeline) && !force) {
      env().err().println("wiz: " + file + " exists; it is left as it is (--force overwrites it)");
      return ExitCode.USAGE.code();
    }
    // --force replaces a file's content: through a symbolic link its target, never a pipe or device.
    Path written = dev.wiz.io.IoFactory.followLinks(pipeline);
    if (Files.isSymbolicLink(written)) {
      env().err().println("wiz: " + file + " is a symbolic link in a loop; it is left as it is: name another file");
      return ExitCode.USAGE.code();
    }
    if (Files.exists(written) && !Files.isRegularFile(written)) {
      env().err().println("wiz: " + file + " is " + dev.wiz.io.IoFactory.kindOf(written)
          + ", not a regular file; it is left as it is (--force replaces only a file's content): name another file");
      return ExitCode.USAGE.code();
    }
    if (!force && Files.isSymbolicLink(pipeline)) {
      // A link to a file that is not there: no file would be overwritten, but writing through a
      // link is what --force says it does, so without it the link is left as it is.
      env().err().println("wiz: " + file + " is a symbolic link to " + shown(written) + ", which is not there;"
          + " it is left as it is: --force writes the pipeline to " + shown(written) + " through it, or name another file");
      return ExitCode.USAGE.code();
    }
    Path data = dir.resolve(DATA);
    if (Files.isSymbolicLink(data) && !Files.exists(data)) {
      env().err().println("wiz: " + danglingLink(data) + "; the starter pipeline reads it: remove the link,"
          + " or put the sample input where it points");
      return ExitCode.USAGE.code();
    }
    if (Files.exists(data) && !Files.isRegularFile(data)) {
      env().err().println("wiz: " + data + " is there but is not a file; the starter pipeline reads it: move it away");
      return ExitCode.USAGE.code();
    }
    notAFolder = notAFolder(data.getParent());
    if (notAFolder != null) {
      env().err().println("wiz: " + notAFolder.what() + ", so the sample input " + shown(data) + " cannot be written: "
          + notAFolder.todo() + ", or name a pipeline file in another folder");
      return ExitCode.USAGE.code();
    }
    // The sample first: a pipeline that is there must have its input there too.
    boolean wroteData = false;
    if (!Files.exists(data)) {
      Files.createDirectories(data.getParent());
      try {
        Files.write(data, sample().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
        wroteData = true;
      } catch (FileAlreadyExistsException appearedMeanwhile) {
        // someone else's now: left as it is
      }
    }
    String starter = json(pipeline) ? starterJson(stem(pipeline))
        : starter(GraphCommand.oneLine(pipeline.getFileName().toString()), stem(pipeline));
    byte[] text = starter.getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(dir);
    if (force) {
      AtomicFiles.write(written, text);
    } else {
      try {
        Files.write(pipeline, text, StandardOpenOption.CREATE_NEW);
      } catch (FileAlreadyExistsException e) {
        // Written meanwhile by someone else: the refusal takes back the sample this command wrote.
        if (wroteData) Files.deleteIfExists(data);
        env().err().println("wiz: " + file + " exists; it is left as it is (--force overwrites it)");
        return ExitCode.USAGE.code();
      }
    }
    if (!quiet()) {
      Path shownData = pipeline.resolveSibling(DATA);
      String dataName = env().cwd().toAbsolutePath().relativize(shownData.toAbsolutePath()).toString();
      env().err().println("wiz: wrote " + file + (wroteData ? " and " + dataName : " (" + dataName + " was there: kept)"));
      String word = dev.wiz.Shell.quote(file);
      env().err().println("  check it:  wiz validate " + word);
      env().err().println("  run it:    wiz run " + word + "   (output: out/" + stem(pipeline) + ".jsonl next to it)");
      env().err().println("  more:      wiz processors list, wiz schema, wiz graph " + word);
    }
    return ExitCode.OK.code();
  }

  /** What stands where a folder would be, and what to do about it. */
  private record NotAFolder(String what, String todo) {}

  /**
   * Why no file can be written in {@code dir}, or null when one can: the nearest path at or above
   * it that is there is a file, or a symbolic link to something that is not there (or in a loop).
   */
  private NotAFolder notAFolder(Path dir) {
    Path at = dir;
    while (at != null && !Files.exists(at, LinkOption.NOFOLLOW_LINKS)) at = at.getParent();
    if (at == null || Files.isDirectory(at)) return null;
    if (Files.exists(at)) return new NotAFolder(shown(at) + " is a file, not a folder", "move it away");
    String what = danglingLink(at);
    return new NotAFolder(what, what.endsWith("loop") ? "remove the link" : "create the folder it points to or remove the link");
  }

  /** A symbolic link that leads nowhere, in words: to what, or that it is a loop. */
  private String danglingLink(Path link) {
    Path to = dev.wiz.io.IoFactory.followLinks(link);
    return shown(link) + (Files.isSymbolicLink(to) ? " is a symbolic link in a loop"
        : " is a symbolic link to " + shown(to) + ", which is not there");
  }

  /** A path as the user sees it: relative to the current folder. */
  private String shown(Path p) {
    return env().cwd().toAbsolutePath().relativize(p.toAbsolutePath()).toString();
  }

  /** The file name without its extension, in the characters an output file name can always have. */
  static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    if (dot > 0) n = n.substring(0, dot);
    n = n.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    return n.isEmpty() ? "pipeline" : n;
  }

  // The starter pipeline's values, the same in YAML and in JSON.
  private static final String DESCRIPTION = "Keep the records with status ok and add the amount in cents.";
  private static final String WHERE = ".status == \"ok\"";
  private static final String PROGRAM = "{id, user, amount, amount_cents: (.amount * 100)}";

  /** Whether the pipeline file is written as JSON: its name ends in {@code .json}. */
  static boolean json(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /**
   * The starter pipeline in JSON, which wiz reads as it reads YAML (YAML 1.2 reads JSON): the
   * pipeline of {@link #starter}, without its comments, which JSON does not have.
   */
  static String starterJson(String stem) {
    return String.join("\n", List.of(
        "{",
        "  \"wiz\": 1,",
        "  \"description\": " + quoted(DESCRIPTION) + ",",
        "  \"source\": { \"type\": \"file\", \"path\": " + quoted(DATA) + ", \"format\": \"jsonl\" },",
        "  \"chunking\": { \"records\": 1000 },",
        "  \"processors\": [",
        "    { \"id\": \"keep-ok\", \"type\": \"filter\", \"config\": { \"where\": " + quoted(WHERE) + " } },",
        "    { \"id\": \"shape\", \"type\": \"jq\", \"config\": { \"program\": " + quoted(PROGRAM) + " } }",
        "  ],",
        "  \"sink\": { \"type\": \"file\", \"path\": " + quoted("out/" + stem + ".jsonl") + ", \"format\": \"jsonl\" },",
        "  \"run\": { \"onError\": \"dead-letter\", \"seed\": 42 }",
        "}",
        ""));
  }

  /** A JSON string. */
  private static String quoted(String s) {
    return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  /** The starter pipeline; its name comes from the file name, as when a pipeline has none. */
  static String starter(String fileName, String stem) {
    String name = dev.wiz.Shell.quote(fileName);
    return String.join("\n", List.of(
        "# yaml-language-server: $schema=" + SchemaCommand.ID_PREFIX + SchemaCommand.EDITOR_SCHEMA,
        "#",
        "# A starter pipeline written by 'wiz init'. It keeps the records with status ok and reshapes them.",
        "#   wiz validate " + name + " checks it, wiz run " + name + " runs it, wiz graph " + name + " draws it.",
        "#   wiz processors list lists the processor types, wiz processors show TYPE shows one.",
        "# Editors: the schema line above names the pipeline schema by its id; to have it offline, run",
        "# 'wiz schema > pipeline.schema.json' and write $schema=pipeline.schema.json instead.",
        "wiz: 1",
        "description: " + DESCRIPTION,
        "source: { type: file, path: " + DATA + ", format: jsonl }",
        "chunking: { records: 1000 }",
        "processors:",
        "  - id: keep-ok",
        "    type: filter",
        "    config: { where: '" + WHERE + "' }",
        "  - id: shape",
        "    type: jq",
        "    config: { program: '" + PROGRAM + "' }",
        "sink: { type: file, path: out/" + stem + ".jsonl, format: jsonl }",
        "run: { onError: dead-letter, seed: 42 }",
        ""));
  }

  static String sample() {
    return String.join("\n", List.of(
        "{\"id\":1,\"user\":\"ada\",\"status\":\"ok\",\"amount\":12.5}",
        "{\"id\":2,\"user\":\"grace\",\"status\":\"error\",\"amount\":3}",
        "{\"id\":3,\"user\":\"alan\",\"status\":\"ok\",\"amount\":40}",
        "{\"id\":4,\"user\":\"edsger\",\"status\":\"ok\",\"amount\":7.25}",
        "{\"id\":5,\"user\":\"barbara\",\"status\":\"pending\",\"amount\":19.99}",
        ""));
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import dev.wiz.provenance.Event;
import dev.wiz.provenance.EventSource;
import dev.wiz.provenance.EventType;
import dev.wiz.provenance.ProvJsonExport;
import dev.wiz.provenance.ProvenanceReader;
import dev.wiz.provenance.RunInfo;
import dev.wiz.state.RunRecord;
import dev.wiz.state.StateDir;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code provenance export --format prov} keeps the statements of each section in a temporary
 * file while it reads the log; where those files cannot be made (no such folder) or filled (a
 * full disk) it reads the log once for each section instead: the same bytes either way.
 */
class ProvJsonTempFallbackTest extends JimfsCliTest {
  private static final String PIPELINE = String.join("\n",
      "wiz: 1",
      "name: shapes",
      "source: { type: file, path: in.jsonl }",
      "chunking: { records: 3 }",
      "processors:",
      "  - { id: keep-ok, type: filter, config: { where: '.status == \"ok\"' } }",
      "  - { id: items, type: explode, config: { field: items, as: item } }",
      "  - { id: cents, type: jq, config: { program: '.cents = (.item * 100)' } }",
      "sink: { type: file, path: out.jsonl }",
      "run: { workers: 2, onError: dead-letter }",
      "");

  private RunInfo info;
  private List<Event> events;

  @BeforeEach
  void run() throws IOException {
    Files.writeString(work.resolve("in.jsonl"), IntStream.range(0, 60)
        .mapToObj(i -> "{\"id\":" + i + ",\"status\":\"" + (i % 4 == 0 ? "error" : "ok") + "\",\"items\":"
            + (i % 9 == 0 ? "\"x\"" : "[" + i % 4 + "," + i % 5 + "]") + "}")
        .collect(Collectors.joining("\n", "", "\n")));
    Files.writeString(work.resolve("p.yaml"), PIPELINE);
    assertEquals(5, wiz.run("-q", "run", "p.yaml").code());
    StateDir state = new StateDir(work.resolve(".wiz"));
    RunRecord record = state.runs().get(0);
    info = ProvenanceCommand.Export.runInfo(record);
    events = ProvenanceReader.read(state.provenance(record.runId()), e -> true);
  }

  /** A log in memory that counts how often it is read. */
  private static final class Counted implements EventSource {
    private final EventSource log;
    int reads;

    Counted(List<Event> events) {
      log = EventSource.of(events);
    }

    @Override
    public void forEach(java.util.Set<EventType> types, java.util.function.Consumer<Event> visit) throws IOException {
      reads++;
      log.forEach(types, visit);
    }
  }

  /** The document as {@code provenance export --format prov} writes it, with its temporary files in {@code dir}. */
  private String export(Counted log, Path dir) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.mapper().writerWithDefaultPrettyPrinter().createGenerator(out)) {
      ProvJsonExport.of(info, log).tempDir(dir).write(g);
    }
    return out.toString();
  }

  @Test
  void aTemporaryFolderThatIsNotThereOrFillsUpGivesTheSameBytesReadingTheLogOnceForEachSection() throws IOException {
    Path temp = Files.createDirectories(work.resolve("tmp"));
    Counted normal = new Counted(events);
    String document = export(normal, temp);
    assertEquals(2, normal.reads, "the files were written: the log was read twice");
    assertTrue(document.length() > 20_000, "a document larger than the small disk below: " + document.length());
    try (Stream<Path> left = Files.list(temp)) {
      assertEquals(0, left.count(), "the temporary files are removed");
    }
    // The same bytes as the CLI writes (with java.io.tmpdir), but the line break it adds.
    CliHarness.Result cli = wiz.run("provenance", "export", "--format", "prov");
    assertEquals(0, cli.code(), cli.toString());
    assertEquals(document + "\n", cli.out());

    Counted missing = new Counted(events);
    assertEquals(document, export(missing, work.resolve("no-such-folder")));
    assertTrue(missing.reads > 2, "read once for each section: " + missing.reads);
    assertTrue(!Files.exists(work.resolve("no-such-folder")));

    // A folder on a disk with room for a part of the statements only: they are dropped midway
    // through the pass (8 kB), or at its end, when the last of each file is written (32 kB short of
    // the document's size: the files hold all of it but the agents and the outer indentation),
    // which before failed the export halfway through the document ("out of disk space").
    for (long size : new long[] {8 * 1024, (document.length() - 32 * 1024) / 1024 * 1024}) {
      try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder().setBlockSize(1024)
          .setMaxSize(size).build())) {
        Path dir = Files.createDirectories(small.getPath("/tmp"));
        Counted full = new Counted(events);
        assertEquals(document, export(full, dir), "a disk of " + size + " bytes");
        assertTrue(full.reads > 2, "read once for each section: " + full.reads);
        try (Stream<Path> left = Files.list(dir)) {
          assertEquals(0, left.count(), "the temporary files are removed");
        }
      }
    }
  }
}

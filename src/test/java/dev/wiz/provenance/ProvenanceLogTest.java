package dev.wiz.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProvenanceLogTest {
  private Path file;

  @BeforeEach
  void write() throws Exception {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    file = fs.getPath("/provenance.jsonl");
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    try (ProvenanceLog log = ProvenanceLog.create(file, "12345678-run", "sha256:key", clock)) {
      for (int i = 0; i < 5; i++) {
        log.append(Event.of(EventType.CREATE, "c-" + i).source(new Event.SourceRef("in.jsonl", i * 10 + 1, i * 10 + 10)).records(10, 10).build());
      }
      assertEquals(5, log.count());
    }
  }

  @Test
  void eventsFormAChainThatVerifies() throws Exception {
    List<Event> events = ProvenanceReader.read(file, e -> true);
    assertEquals(5, events.size());
    assertEquals(ProvenanceLog.GENESIS, events.get(0).prev());
    for (int i = 1; i < 5; i++) assertEquals(events.get(i - 1).hash(), events.get(i).prev());
    assertEquals("12345678-1", events.get(0).id());
    assertEquals("2026-11-23T10:00:00Z", events.get(0).time());
    assertTrue(ProvenanceReader.verify(file).isEmpty());
  }

  private long badLine(List<String> lines) throws Exception {
    Files.write(file, lines);
    return ProvenanceReader.verify(file).orElseThrow().line();
  }

  @Test
  void aChangedRemovedInsertedOrReorderedLineIsNamed() throws Exception {
    List<String> lines = Files.readAllLines(file);
    List<String> changed = new ArrayList<>(lines);
    changed.set(2, changed.get(2).replace("\"recordsOut\":10", "\"recordsOut\":11"));
    assertEquals(3, badLine(changed));
    List<String> removed = new ArrayList<>(lines);
    removed.remove(1);
    assertEquals(2, badLine(removed));
    List<String> inserted = new ArrayList<>(lines);
    inserted.add(3, lines.get(1));
    assertEquals(4, badLine(inserted));
    List<String> reordered = new ArrayList<>(lines);
    Collections.swap(reordered, 1, 2);
    assertEquals(2, badLine(reordered));
    List<String> torn = new ArrayList<>(lines);
    torn.set(4, lines.get(4).substring(0, 40));
    assertEquals(5, badLine(torn));
  }

  @Test
  void aTornLastLineIsCutAndTheRestStillVerifies() throws Exception {
    byte[] whole = java.nio.file.Files.readAllBytes(file);
    assertEquals(0, ProvenanceReader.cutTornTail(file), "a log that ended cleanly is left as it is");
    // A crash in the middle of writing the last line: half of it reached the disk.
    String text = new String(whole, java.nio.charset.StandardCharsets.UTF_8);
    int lastStart = text.lastIndexOf('\n', text.length() - 2) + 1;
    byte[] torn = java.util.Arrays.copyOf(whole, lastStart + (whole.length - lastStart) / 2);
    java.nio.file.Files.write(file, torn);
    assertTrue(ProvenanceReader.verify(file).isPresent(), "a torn log does not verify");
    assertEquals(torn.length - lastStart, ProvenanceReader.cutTornTail(file));
    assertEquals(lastStart, java.nio.file.Files.size(file));
    assertTrue(ProvenanceReader.verify(file).isEmpty(), "cut back to its last whole line, it verifies");
    // A last line that is whole but garbage (a partly flushed block) goes too.
    java.nio.file.Files.write(file, (text.substring(0, lastStart) + "{\"v\":1,\"seq\":\u0000\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(ProvenanceReader.cutTornTail(file) > 0);
    assertTrue(ProvenanceReader.verify(file).isEmpty());
  }
}

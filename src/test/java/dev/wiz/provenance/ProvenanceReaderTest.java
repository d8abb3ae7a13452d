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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log held against what its run's record says, and what REUSED and JOIN chunks say about their origin. */
class ProvenanceReaderTest {
  private Path file;
  private String head;

  @BeforeEach
  void write() throws Exception {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    file = fs.getPath("/provenance.jsonl");
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    Event.ProcessorRef agg = new Event.ProcessorRef("per-country", "aggregate", "1", "sha256:c");
    try (ProvenanceLog log = ProvenanceLog.create(file, "12345678-run", "sha256:key", clock)) {
      log.append(Event.of(EventType.REUSED, "c-0").records(10, 7).digests("sha256:in0", "sha256:out0")
          .sink(new Event.SinkRef("out.jsonl", 0, 70)).error("committed by run run-a (skipped 2, deadLettered 1)").build());
      for (int i = 1; i < 4; i++) {
        log.append(Event.of(EventType.CREATE, "c-" + i).records(10, 10).build());
        log.append(Event.of(EventType.FILTERED, "c-" + i).processor(agg).records(i == 2 ? 0 : 10, 0)
            .digests("sha256:in" + i, "sha256:none").build());
      }
      log.append(Event.of(EventType.JOIN, "c-final-per-country-0").processor(agg).recordsOut(2).build());
      head = log.head();
    }
  }

  @Test
  void chainCountsTheEventsAndNamesTheHead() throws Exception {
    ProvenanceReader.Chain chain = ProvenanceReader.chain(file);
    assertTrue(chain.intact());
    assertEquals(8, chain.events());
    assertEquals(head, chain.head());
    Files.write(file, new byte[0]);
    ProvenanceReader.Chain empty = ProvenanceReader.chain(file);
    assertEquals(new ProvenanceReader.Chain(0, ProvenanceLog.GENESIS, Optional.empty()), empty);
  }

  @Test
  void anIntactChainThatIsShorterLongerOrOtherThanRecordedIsAMismatch() throws Exception {
    assertEquals(Optional.empty(), ProvenanceReader.mismatch(8, head, 8, head));
    assertEquals(Optional.empty(), ProvenanceReader.mismatch(0, ProvenanceLog.GENESIS, 0, ProvenanceLog.GENESIS),
        "a run measured without provenance records an empty log");
    assertEquals(Optional.of("the log is empty, but run.json records 8 events ending in head " + head
        + ": it was emptied or replaced"), ProvenanceReader.mismatch(0, ProvenanceLog.GENESIS, 8, head));
    assertEquals(Optional.of("the log has 1 event, but run.json records 8 events ending in head " + head
        + ": events were cut off the end"), ProvenanceReader.mismatch(1, "sha256:x", 8, head));
    assertTrue(ProvenanceReader.mismatch(9, "sha256:x", 8, head).orElseThrow().endsWith("events were added after the run ended"));
    assertTrue(ProvenanceReader.mismatch(8, "sha256:x", 8, head).orElseThrow().contains("is not the head recorded in run.json"));
  }

  @Test
  void aByteThatIsNotUtf8IsFoundOnItsOwnLineNotAsAnErrorOfTheWholeRead() throws Exception {
    byte[] whole = Files.readAllBytes(file);
    String text = new String(whole, java.nio.charset.StandardCharsets.UTF_8);
    int line6 = 0;
    for (int i = 0; i < 5; i++) line6 = text.indexOf('\n', line6) + 1;
    // in a string of line 6 (its id), and in its syntax (the opening brace)
    int inString = text.indexOf("\"id\":\"", line6) + 7;
    for (int at : new int[] {inString, line6}) {
      byte[] bad = whole.clone();
      bad[at] = (byte) 0xff;
      Files.write(file, bad);
      ProvenanceReader.Chain chain = ProvenanceReader.chain(file);
      assertEquals(5, chain.events(), "the lines before it chain");
      assertEquals(6, chain.bad().orElseThrow().line());
      ProvenanceReader.Selection s = ProvenanceReader.select(file, e -> true);
      assertEquals(at == line6 ? 1 : 0, s.unreadable());
      assertEquals(at == line6 ? Optional.empty() : Optional.of(new ProvenanceReader.BadLine(6,
          "hash does not match the event (the line was changed)")), s.chainBreak());
      ProvenanceReader.Selection prefix = ProvenanceReader.select(file, e -> true, whole.length - 1);
      assertEquals(s.unreadable(), prefix.unreadable(), "read as a prefix too");
    }
  }

  @Test
  void selectKeepsWhatMatchesAndCountsEverything() throws Exception {
    ProvenanceReader.Selection s = ProvenanceReader.select(file, e -> e.type() == EventType.JOIN);
    assertEquals(1, s.kept().size());
    assertEquals(8, s.events());
    assertEquals(head, s.head());
  }

  @Test
  void aReusedEventNamesTheRunThatCommittedTheChunk() throws Exception {
    List<Event> events = ProvenanceReader.read(file, e -> true);
    assertEquals(Optional.of(new ReusedFrom("run-a", 2L, 1L)), ReusedFrom.of(events.get(0)), "a log before committedBy");
    assertEquals(Optional.empty(), ReusedFrom.of(events.get(1)), "not a REUSED event");
    Event now = Event.of(EventType.REUSED, "c-0").committedBy("run-b").build();
    assertEquals(Optional.of(new ReusedFrom("run-b", null, null)), ReusedFrom.of(now), "the field, not error text");
  }

  @Test
  void theInputsOfAJoinAreTheChunksThatReachedItsProcessorWithRecords() throws Exception {
    JoinInputs in = JoinInputs.of(file, "per-country");
    assertEquals(List.of(new JoinInputs.Input("c-1", 10, "sha256:in1"), new JoinInputs.Input("c-3", 10, "sha256:in3")), in.chunks());
    assertEquals(20, in.records());
    assertEquals(List.of("c-0"), in.reused(), "a taken-over chunk went through again, unlogged");
  }

  @Test
  void eventsReadsWhatSelectReadsSkippingTheLinesOfTypesNotWantedAndFailsWhenTheLogWasCutMeanwhile() throws Exception {
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
    lines.add(2, "");
    lines.add(4, "{\"seq\": 99, \"type\": \"CREATE\""); // torn
    lines.add(5, "{\"x\":\"" + "y".repeat(200_000) + "\",\"type\":\"JOIN\"}"); // longer than the buffer; no event
    Files.writeString(file, String.join("\n", lines)); // the last line without its line break
    long bytes = Files.size(file);
    List<Event> all = ProvenanceReader.read(file, e -> true);
    assertEquals(8, all.size());
    List<Event> read = new java.util.ArrayList<>();
    ProvenanceReader.events(file, bytes).forEach(java.util.EnumSet.allOf(EventType.class), read::add);
    assertEquals(all, read);
    List<Event> creates = new java.util.ArrayList<>();
    ProvenanceReader.events(file, bytes).forEach(java.util.EnumSet.of(EventType.CREATE, EventType.JOIN), creates::add);
    assertEquals(all.stream().filter(e -> e.type() == EventType.CREATE || e.type() == EventType.JOIN).toList(), creates);
    List<Event> first = new java.util.ArrayList<>();
    ProvenanceReader.events(file, Files.readAllLines(file).get(0).length() + 1)
        .forEach(java.util.EnumSet.allOf(EventType.class), first::add);
    assertEquals(all.subList(0, 1), first, "what the log held when the export began, not what it holds now");
    Files.writeString(file, lines.get(0) + "\n");
    java.io.IOException cut = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> ProvenanceReader.events(file, bytes).forEach(java.util.EnumSet.allOf(EventType.class), e -> { }));
    assertEquals(file + " has " + (lines.get(0).length() + 1) + " bytes, not the " + bytes
        + " bytes it had when it was first read: it was cut or replaced meanwhile", cut.getMessage());
  }
}

package dev.wiz.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.wiz.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events are read as databind reads them: the lines the log writes, and any other line too. */
class EventReaderTest {
  private static final ObjectReader DATABIND = Json.mapper().readerFor(Event.class);

  private static String line(Event e) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
      e.writeTo(g, false);
    }
    return out.toString();
  }

  /** Events of every type, with every field the log writes, as the log chains them. */
  private static List<Event> events() {
    List<Event> all = new ArrayList<>();
    all.add(Event.of(EventType.CREATE, "c1").source(new Event.SourceRef("in.jsonl", 1, 10_000)).records(0, 10_000)
        .outputDigest("sha256:aa").build());
    all.add(Event.of(EventType.STATE, null).processor(new Event.ProcessorRef("keep", "filter", "1", "sha256:cd"))
        .state(new Event.StateChange("CREATED", "init", "READY")).build());
    all.add(Event.of(EventType.FILTERED, "c1").processor(new Event.ProcessorRef("keep", "filter", null, null))
        .records(10_000, 7_000).digests("sha256:aa", "sha256:bb").seed(Long.MIN_VALUE).durationMicros(812).build());
    all.add(Event.of(EventType.FORK, "c1").children(List.of("c1.0", "c1.1")).build());
    all.add(Event.of(EventType.JOIN, "c9").parents(List.of()).build());
    all.add(Event.of(EventType.DEAD_LETTER, "c1").error("boom: \"quoted\" \u00e9\ud83d\ude00\n").records(3, 0).build());
    all.add(Event.of(EventType.DEAD_LETTER, "c1").records(2, 0).deadLetters(new Event.DeadLetterRef(1_000, 480, "sha256:dd")).build());
    all.add(Event.of(EventType.SEND, "c1").sink(new Event.SinkRef("out.jsonl", Long.MAX_VALUE, 0)).recordsOut(7_000).build());
    all.add(Event.of(EventType.SEND, "c3").sink(new Event.SinkRef("out.jsonl.gz", 20, 310,
        new Event.SinkText(1_600, "sha256:ee"))).recordsOut(40).outputDigest("sha256:ff").build());
    all.add(Event.of(EventType.REUSED, "c2").committedBy("run-0").build());
    List<Event> chained = new ArrayList<>();
    String prev = ProvenanceLog.GENESIS;
    long seq = 1;
    for (Event e : all) {
      Event c = e.chained(seq, "e" + seq, "2026-12-05T10:00:00Z", "run-1", "sha256:req", prev, null);
      c = c.chained(seq, c.id(), c.time(), c.run(), c.request(), prev, ProvenanceLog.hashOf(c));
      chained.add(c);
      prev = c.hash();
      seq++;
    }
    return chained;
  }

  @Test
  void theLinesTheLogWritesAreReadAsDatabindReadsThem() throws IOException {
    EventReader reader = new EventReader();
    for (Event e : events()) {
      String line = line(e);
      assertEquals(e, EventReader.fast(Json.mapper().createParser(line)), "read without databind: " + line);
      assertEquals(e, reader.read(line), line);
      assertEquals(DATABIND.readValue(line), reader.read(line), line);
      byte[] bytes = (" " + line + "\n").getBytes(StandardCharsets.UTF_8);
      assertEquals(e, reader.read(bytes, 1, bytes.length - 2), line);
    }
  }

  /** Lines edited by hand: the same event, the same null, or the same failure as databind gives. */
  @Test
  void otherLinesAreReadAsDatabindReadsThem() throws IOException {
    String good = line(events().get(2));
    List<String> lines = new ArrayList<>(List.of("null", "{}", "{\"v\":1}", "[]", "\"x\"", "1", "{", "", "   ",
        good + " trailing", good + good, good.replace("\"v\":1", "\"v\":\"1\""),
        good.replace("\"v\":1", "\"v\":1.5"), good.replace("\"seq\":3", "\"seq\":\"3\""),
        good.replace("\"seq\":3", "\"seq\":null"), good.replace("\"seq\":3", "\"seq\":99999999999999999999"),
        good.replace("\"type\":\"FILTERED\"", "\"type\":\"NOPE\""), good.replace("\"type\":\"FILTERED\"", "\"type\":null"),
        good.replace("\"recordsIn\":10000", "\"recordsIn\":4294967296"),
        good.replace("\"recordsIn\":10000", "\"recordsIn\":10000,\"recordsIn\":1"),
        good.replace("\"recordsIn\":10000", "\"other\":1"), good.replace("\"id\":\"keep\"", "\"id\":5"),
        good.replace("\"id\":\"keep\"", "\"id\":\"keep\",\"extra\":true"), good.replace("\"processor\":{", "\"processor\":[{"),
        "{\"v\":1,\"source\":{\"file\":\"f\",\"firstLine\":\"2\"}}", "{\"v\":1,\"source\":{\"file\":\"f\"}}",
        "{\"v\":1,\"sink\":{\"target\":null,\"bytes\":null}}", "{\"v\":1,\"deadLetters\":{\"digest\":\"d\"}}",
        "{\"v\":1,\"deadLetters\":{\"offset\":\"1\"}}", "{\"v\":1,\"deadLetters\":null}", "{\"v\":1,\"parents\":[\"a\",null]}",
        "{\"v\":1,\"parents\":[1]}", "{\"v\":1,\"children\":\"a\"}", "{\"v\":1,\"state\":null,\"sink\":null}"));
    EventReader reader = new EventReader();
    for (String line : lines) {
      Event expected;
      try {
        expected = DATABIND.readValue(line);
      } catch (IOException databindFails) {
        assertThrows(IOException.class, () -> reader.read(line), line);
        continue;
      }
      assertEquals(expected, reader.read(line), line);
    }
  }
}

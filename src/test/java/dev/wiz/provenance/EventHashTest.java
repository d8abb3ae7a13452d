package dev.wiz.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An event's hash is written straight from the record; it must be the very bytes of the event's
 * tree in canonical form (how it was first defined), or logs written before would not verify.
 */
class EventHashTest {
  private static final String[] TEXTS = {"", "a", "\u00e9t\u00e9", "quote \" and \\\\", "tab\tnew\nline", "\uD83D\uDE00 emoji", "\u0000ctl"};

  private static String text(Random r) {
    return r.nextInt(4) == 0 ? null : TEXTS[r.nextInt(TEXTS.length)] + r.nextInt(1000);
  }

  private static Event event(Random r) {
    Event.Builder b = Event.of(EventType.values()[r.nextInt(EventType.values().length)], text(r));
    if (r.nextBoolean()) b.parents(List.of("p" + r.nextInt(9), "p" + r.nextInt(9)));
    if (r.nextBoolean()) b.children(List.of("c" + r.nextInt(9)));
    if (r.nextBoolean()) b.processor(new Event.ProcessorRef(text(r), "jq", "1", "sha256:" + r.nextInt()));
    if (r.nextBoolean()) b.state(new Event.StateChange("a", text(r), "b"));
    if (r.nextBoolean()) b.records(r.nextInt(), r.nextInt(5));
    if (r.nextBoolean()) b.digests(text(r), text(r));
    if (r.nextBoolean()) b.seed(r.nextLong());
    if (r.nextBoolean()) b.durationMicros(Math.abs(r.nextLong()));
    if (r.nextBoolean()) b.error(text(r));
    if (r.nextBoolean()) b.source(new Event.SourceRef("in.jsonl", r.nextInt(100), Long.MAX_VALUE));
    if (r.nextBoolean()) {
      b.sink(new Event.SinkRef("out \u00e9", r.nextLong(), 0,
          r.nextBoolean() ? null : new Event.SinkText(r.nextLong(), r.nextBoolean() ? null : text(r))));
    }
    if (r.nextBoolean()) b.deadLetters(new Event.DeadLetterRef(r.nextLong(), r.nextInt(), text(r)));
    Event e = b.build();
    return r.nextBoolean() ? e : e.chained(r.nextLong(), text(r), text(r), "run", "req", "sha256:prev", r.nextBoolean() ? null : "h");
  }

  @Test
  void theCanonicalBytesAreThoseOfTheEventAsATree() throws Exception {
    Random r = new Random(7);
    List<String> seen = new ArrayList<>();
    int chained = 0;
    for (int i = 0; i < 2000; i++) {
      Event e = event(r);
      byte[] viaTree = Json.canonicalBytes(Json.mapper().valueToTree(e));
      assertArrayEquals(viaTree, ProvenanceLog.canonicalBytes(e), () -> new String(viaTree, StandardCharsets.UTF_8));
      assertEquals(Json.mapper().writeValueAsString(e), line(e), "a log line is what Jackson writes for the record");
      if (e.seq() != null) {
        assertEquals(Json.digest(Json.mapper().valueToTree(e.withoutHash())), ProvenanceLog.hashOf(e));
        chained++;
      }
      if (i < 3) seen.add(new String(viaTree, StandardCharsets.UTF_8));
    }
    assertEquals('{', seen.get(0).charAt(0));
    assertEquals(true, chained > 500, "chained events hashed: " + chained);
  }

  private static String line(Event e) throws Exception {
    java.io.StringWriter w = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = Json.mapper().getFactory().createGenerator(w)) {
      e.writeTo(g, false);
    }
    return w.toString();
  }

  @Test
  void keysAreInAlphabeticalOrder() {
    Event e = Event.of(EventType.SEND, "c1").sink(new Event.SinkRef("t", 5, 6)).records(1, 2).build();
    assertEquals("{\"chunk\":\"c1\",\"recordsIn\":1,\"recordsOut\":2,\"sink\":{\"bytes\":6,\"offset\":5,\"target\":\"t\"},\"type\":\"SEND\",\"v\":1}",
        new String(ProvenanceLog.canonicalBytes(e), StandardCharsets.UTF_8));
    Event d = Event.of(EventType.DEAD_LETTER, "c1").deadLetters(new Event.DeadLetterRef(5, 6, "sha256:d")).records(1, 0).build();
    assertEquals("{\"chunk\":\"c1\",\"deadLetters\":{\"bytes\":6,\"digest\":\"sha256:d\",\"offset\":5},\"recordsIn\":1,"
        + "\"recordsOut\":0,\"type\":\"DEAD_LETTER\",\"v\":1}", new String(ProvenanceLog.canonicalBytes(d), StandardCharsets.UTF_8));
  }
}

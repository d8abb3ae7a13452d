package dev.wiz.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dot and Mermaid forms of a chunk's history: structure, escaping, side branches, determinism.
 * Its parsers read back what the CLI prints, for the CLI tests too.
 */
public class ChunkGraphTest {
  static final String HOSTILE = "in \"quoted\" \\N #1 <b>|x&amp;y` {z};\nsecond line.jsonl";
  static final Event.ProcessorRef CAST = new Event.ProcessorRef("types", "cast", "1", "sha256:" + "c".repeat(64));
  static final Event.ProcessorRef AGG = new Event.ProcessorRef("per-country", "aggregate", "1", "sha256:" + "a".repeat(64));
  static final String D1 = "sha256:" + "1".repeat(64);
  static final String D2 = "sha256:" + "2".repeat(64);

  private static long seq;

  private static Event chained(Event.Builder b) {
    seq++;
    return b.build().chained(seq, "run-" + seq, "2026-01-01T00:00:00Z", "run", "req", null, null);
  }

  // ---- a small parser for what toDot and toMermaid write -----------------------------------------

  /** Nodes (id -> label) and edges ("from -> to: label", "(side)" for dashed) read back from the text. */
  public record Parsed(Map<String, String> nodes, Map<String, String> kinds, List<String> edges) {}

  static final Pattern DOT_NODE = Pattern.compile("  (n\\d+) \\[shape=(\\w+)(?:, style=\"[a-z,]+\")?, label=\"((?:[^\"\\\\]|\\\\.)*)\"\\];");
  static final Pattern DOT_EDGE = Pattern.compile("  (n\\d+) -> (n\\d+)(?: \\[(?:label=\"((?:[^\"\\\\]|\\\\.)*)\")?(?:, )?(style=dashed)?\\])?;");

  /** Reads dot back, failing on any line that is not one toDot writes; labels unescaped. */
  public static Parsed parseDot(String dot) {
    List<String> lines = dot.lines().toList();
    assertTrue(lines.get(0).matches("digraph \"(?:[^\"\\\\]|\\\\.)*\" \\{"), lines.get(0));
    assertTrue(lines.get(1).matches("  graph \\[rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"(?:[^\"\\\\]|\\\\.)*\"\\];"), lines.get(1));
    assertEquals("}", lines.get(lines.size() - 1));
    assertTrue(dot.endsWith("}\n"));
    Map<String, String> nodes = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    List<String> edges = new ArrayList<>();
    for (String line : lines.subList(4, lines.size() - 1)) {
      Matcher n = DOT_NODE.matcher(line);
      Matcher e = DOT_EDGE.matcher(line);
      if (n.matches()) {
        nodes.put(n.group(1), unDot(n.group(3)));
        kinds.put(n.group(1), n.group(2));
      } else if (e.matches()) {
        assertTrue(nodes.containsKey(e.group(1)) && nodes.containsKey(e.group(2)), "edge between declared nodes: " + line);
        edges.add(e.group(1) + " -> " + e.group(2) + (e.group(3) == null ? "" : ": " + unDot(e.group(3)))
            + (e.group(4) == null ? "" : " (side)"));
      } else {
        throw new AssertionError("not a dot line toDot writes: " + line);
      }
    }
    return new Parsed(nodes, kinds, edges);
  }

  static String unDot(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        char next = s.charAt(++i);
        sb.append(next == 'n' ? '\n' : next);
      } else {
        sb.append(c);
      }
    }
    return sb.toString().replace("&amp;", "&");
  }

  static final Pattern MM_NODE = Pattern.compile("  (n\\d+)(\\[\\(|\\(\\[|\\[\\[|\\{\\{|\\(|\\[)\"([^\"]*)\"(\\)\\]|\\]\\)|\\]\\]|\\}\\}|\\)|\\])");
  static final Pattern MM_EDGE = Pattern.compile("  (n\\d+) (-->|-\\.->)(?:\\|\"([^\"|]*)\"\\|)? (n\\d+)");
  /** What may stand in a label besides entity codes and line breaks: no quote, #, <, >, |, &, `, ;, brackets. */
  static final Pattern MM_TEXT = Pattern.compile("(?:[\\p{L}\\p{N} .,:/_\\-+=@'!?*()]|#\\d+;|<br/>)*");

  /** Reads Mermaid back, failing on any line that is not one toMermaid writes; labels unescaped. */
  public static Parsed parseMermaid(String text) {
    List<String> lines = text.lines().toList();
    assertEquals("flowchart LR", lines.get(0));
    assertTrue(lines.get(1).startsWith("  %% "), lines.get(1));
    Map<String, String> nodes = new LinkedHashMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    List<String> edges = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      Matcher n = MM_NODE.matcher(line);
      Matcher e = MM_EDGE.matcher(line);
      if (n.matches()) {
        assertTrue(MM_TEXT.matcher(n.group(3)).matches(), "label escaped: " + line);
        assertEquals(closing(n.group(2)), n.group(4), "brackets pair up: " + line);
        nodes.put(n.group(1), unMermaid(n.group(3)));
        kinds.put(n.group(1), n.group(2));
      } else if (e.matches()) {
        assertTrue(nodes.containsKey(e.group(1)) && nodes.containsKey(e.group(4)), "edge between declared nodes: " + line);
        if (e.group(3) != null) assertTrue(MM_TEXT.matcher(e.group(3)).matches(), "edge label escaped: " + line);
        edges.add(e.group(1) + " -> " + e.group(4) + (e.group(3) == null ? "" : ": " + unMermaid(e.group(3)))
            + (e.group(2).equals("-.->") ? " (side)" : ""));
      } else {
        throw new AssertionError("not a Mermaid line toMermaid writes: " + line);
      }
    }
    return new Parsed(nodes, kinds, edges);
  }

  private static String closing(String open) {
    return new StringBuilder(open.replace('[', ']').replace('(', ')').replace('{', '}')).reverse().toString();
  }

  static String unMermaid(String s) {
    Matcher m = Pattern.compile("#(\\d+);|<br/>").matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) == null ? "\n" : Character.toString(Integer.parseInt(m.group(1)))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Both forms give the same nodes and edges. */
  static Parsed parseBoth(ChunkGraph g) {
    Parsed dot = parseDot(g.toDot());
    Parsed mermaid = parseMermaid(g.toMermaid());
    assertEquals(dot.nodes(), mermaid.nodes());
    assertEquals(dot.edges(), mermaid.edges());
    return dot;
  }

  // ---- the tests ---------------------------------------------------------------------------------

  @Test
  void hostileFileNamesAndErrorsRoundTripThroughBothSyntaxes() {
    String chunk = "p-0a1b2c3d-000001.2";
    List<Event> events = List.of(
        chained(Event.of(EventType.CREATE, chunk).source(new Event.SourceRef(HOSTILE, 11, 20)).records(10, 10).digests(D1, null)),
        chained(Event.of(EventType.DROP, chunk).records(1, 0).error("undecodable \"line\" | <oops> & end")),
        chained(Event.of(EventType.DEAD_LETTER, chunk).processor(CAST).records(2, 0).error("cast: field 'n': cannot convert \"x\" to int")),
        chained(Event.of(EventType.CONTENT_MODIFIED, chunk).processor(CAST).records(9, 7).digests(D1, D2)),
        chained(Event.of(EventType.SEND, chunk).recordsOut(7).digests(null, D2).sink(new Event.SinkRef("/out/a \"b\".jsonl", 120, 345))));
    ChunkGraph g = ChunkGraph.of(chunk, "run-1", events, List.of(), "success");
    Parsed p = parseBoth(g);
    assertEquals(List.of(HOSTILE.split("\n")[0], "second line.jsonl", "lines 11-20").toString(),
        List.of(p.nodes().get("n1").split("\n")).toString(), "the file name comes back as it was, newline included");
    assertEquals(chunk + "\n10 records\nsha256:111111111111", p.nodes().get("n2"));
    assertEquals("skipped: 1 record\nat the source\nundecodable \"line\" | <oops> & end", p.nodes().get("n3"));
    assertEquals("types (cast v1)\nCONTENT_MODIFIED: 9 in, 7 out", p.nodes().get("n4"));
    assertEquals("dead-lettered: 2 records\nat 'types'\ncast: field 'n': cannot convert \"x\" to int", p.nodes().get("n5"));
    assertEquals("/out/a \"b\".jsonl\nat byte 120, 345 bytes", p.nodes().get("n6"));
    assertEquals(List.of(
        "n1 -> n2: CREATE",
        "n2 -> n3: DROP (side)",
        "n2 -> n4",
        "n4 -> n5: DEAD_LETTER (side)",
        "n4 -> n6: SEND 7 records"), p.edges(), "a record dead-lettered by a step hangs on that step, not the one before");
    assertEquals("cylinder", p.kinds().get("n1"));
    assertEquals("octagon", p.kinds().get("n5"));
    assertEquals(g.toDot(), ChunkGraph.of(chunk, "run-1", events, List.of(), "success").toDot(), "same log, same bytes");
    assertTrue(g.toDot().contains(" \\\\N #1"), g.toDot());
    assertFalse(Pattern.compile("(?<!\\\\)\\\\N").matcher(g.toDot()).find(), "a backslash is escaped so dot does not expand \\N: " + g.toDot());
  }

  @Test
  void aJoinDrawsItsParentsWithWhatReachedTheProcessorAndCountsThoseBeyondTheLimit() {
    String chunk = "r-0a1b2c3d-final-per-country-0";
    List<String> parents = new ArrayList<>();
    List<Event> related = new ArrayList<>();
    for (int i = 0; i < ChunkGraph.PARENTS_SHOWN + 3; i++) {
      String id = String.format("r-0a1b2c3d-%06d", i);
      parents.add(id);
      related.add(chained(Event.of(EventType.CREATE, id).source(new Event.SourceRef("in.jsonl", i * 10 + 1, i * 10 + 10)).records(10, 10)));
      related.add(chained(Event.of(EventType.FILTERED, id).processor(AGG).records(i, 0)));
    }
    List<Event> events = List.of(
        chained(Event.of(EventType.JOIN, chunk).parents(parents).processor(AGG).records(99, 2)),
        chained(Event.of(EventType.SEND, chunk).recordsOut(2).sink(new Event.SinkRef("/out/r.json", 0, 40))));
    Parsed p = parseBoth(ChunkGraph.of(chunk, "run-1", events, related, "success"));
    assertEquals("per-country (aggregate v1)\nJOIN: 99 in, 2 out", p.nodes().get("n1"));
    assertEquals("r-0a1b2c3d-000000\nin.jsonl lines 1-10\n0 records into 'per-country'", p.nodes().get("n2"));
    assertEquals("r-0a1b2c3d-000019\nin.jsonl lines 191-200\n19 records into 'per-country'", p.nodes().get("n21"));
    assertEquals("and 3 more chunks\n(--format json lists them all)", p.nodes().get("n22"));
    assertEquals(chunk + "\n2 records", p.nodes().get("n23"));
    assertEquals(24, p.nodes().size());
    assertEquals("n2 -> n1: parent", p.edges().get(0));
    assertEquals("n22 -> n1: parents", p.edges().get(20));
    assertEquals(List.of("n1 -> n23: JOIN", "n23 -> n24: SEND 2 records"), p.edges().subList(21, 23));
  }

  @Test
  void aLaterPartOfAJoinNamesTheFirstPart() {
    String chunk = "r-0a1b2c3d-final-by-n-1";
    List<Event> events = List.of(
        chained(Event.of(EventType.JOIN, chunk).parents(List.of("r-0a1b2c3d-final-by-n-0")).processor(AGG).recordsOut(5)));
    Parsed p = parseBoth(ChunkGraph.of(chunk, "run-1", events, List.of(), "failed"));
    assertEquals(List.of("n2 -> n1: first part", "n1 -> n3: JOIN", "n3 -> n4 (side)"), p.edges());
    assertEquals("not committed\nrun failed", p.nodes().get("n4"), "a chunk that reached no sink says so");
  }

  @Test
  void aReusedChunkNamesTheRunThatCommittedIt() {
    String chunk = "e-0a1b2c3d-000002";
    List<Event> events = List.of(chained(Event.of(EventType.REUSED, chunk)
        .source(new Event.SourceRef("in.jsonl", 101, 150)).records(50, 38).digests(D1, D2)
        .sink(new Event.SinkRef("/out/e.jsonl", 500, 900))
        .error("committed by run 11111111-2222-3333-4444-555555555555 (skipped 0, deadLettered 0)")));
    Parsed p = parseBoth(ChunkGraph.of(chunk, "run-2", events, List.of(), "success"));
    assertEquals("in.jsonl\nlines 101-150", p.nodes().get("n2"));
    assertEquals("REUSED: 50 in, 38 out\ncommitted by run 11111111-2222-3333-4444-555555555555", p.nodes().get("n3"));
    assertEquals(List.of("n2 -> n1: read", "n1 -> n3: REUSED", "n3 -> n4: committed earlier"), p.edges());
    assertEquals("component", p.kinds().get("n3"));
  }

  @Test
  void escapingLeavesNothingThatEndsAStringOrStartsSyntax() {
    assertEquals("\"a\\\"b\\\\c\\nd&amp;e f\"", ChunkGraph.dotString("a\"b\\c\nd&e\tf"));
    assertEquals("a#34;b#35;c#60;d#62;e#124;f#38;g#59;h#96;i<br/>j é", ChunkGraph.mermaidText("a\"b#c<d>e|f&g;h`i\nj é"));
  }
}

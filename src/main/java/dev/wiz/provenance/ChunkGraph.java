package dev.wiz.provenance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history of one chunk as a graph, for {@code wiz provenance show --format dot|mermaid}: where
 * it came from (its source lines, the chunk it was forked from, the chunks that fed the processor
 * that emitted it at end of input), every step (processor, event type, records in and out), the
 * records dropped or dead-lettered on the way (side branches), and where it went (the sink, its
 * forked children, or nowhere). Built from the log alone, in log order, so the same log always
 * gives the same bytes. Node ids are generated ({@code n1}, {@code n2}, ...); everything taken from
 * the log (chunk ids, file paths, processor ids, errors) is in labels, escaped for each syntax.
 */
public final class ChunkGraph {
  /** Parents of a JOIN drawn one by one; the rest are counted in one node. */
  public static final int PARENTS_SHOWN = 20;

  /** What a node stands for; it decides the shape. */
  public enum Kind {
    /** An input file or stream. */
    SOURCE("cylinder", "", "[(", ")]"),
    /** The chunk shown. */
    CHUNK("box", "rounded,bold", "([", "])"),
    /** A chunk it came from or went into (FORK, JOIN). */
    RELATED("box", "rounded,dashed", "(", ")"),
    /** A processor step, a JOIN or a FORK. */
    STEP("box", "", "[", "]"),
    /** Taken over from an earlier run. */
    REUSED("component", "", "[[", "]]"),
    /** The sink. */
    SINK("cylinder", "", "[(", ")]"),
    /** Records that left the chunk's way: skipped, dead-lettered; or a chunk that went nowhere. */
    SIDE("octagon", "dashed", "{{", "}}");

    final String dotShape;
    final String dotStyle;
    final String open;
    final String close;

    Kind(String dotShape, String dotStyle, String open, String close) {
      this.dotShape = dotShape;
      this.dotStyle = dotStyle;
      this.open = open;
      this.close = close;
    }
  }

  /** A node: its generated id, kind and label lines. */
  public record Node(String id, Kind kind, List<String> label) {
    public Node {
      label = List.copyOf(label);
    }
  }

  /** An edge, with an optional label; side edges (drops, dead letters) are drawn dashed. */
  public record Edge(String from, String to, String label, boolean side) {}

  private final String chunk;
  private final String run;
  private final List<Node> nodes = new ArrayList<>();
  private final List<Edge> edges = new ArrayList<>();
  /** DROP and DEAD_LETTER events waiting for the step event (by index) they belong to. */
  private final Map<Integer, List<Event>> pending = new HashMap<>();

  private ChunkGraph(String chunk, String run) {
    this.chunk = chunk;
    this.run = run;
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public List<Edge> edges() {
    return List.copyOf(edges);
  }

  /**
   * The graph of a chunk.
   *
   * @param events the chunk's events, in log order
   * @param related events of the chunks named as its parents or children (CREATE, REUSED, SEND,
   *     FORK and step events), in log order, to say where those came from and went
   * @param runStatus the run's status, for a chunk that was not committed
   */
  public static ChunkGraph of(String chunk, String run, List<Event> events, List<Event> related, String runStatus) {
    return of(chunk, run, events, related, List.of(), runStatus);
  }

  /**
   * The graph of a chunk whose records a processor drew on for what it emitted at end of input.
   *
   * @param joinedInto the JOIN events that name the chunk among their parents: each is drawn
   *     after the chunk's step at its processor, as the chunk its records went into
   */
  public static ChunkGraph of(String chunk, String run, List<Event> events, List<Event> related, List<Event> joinedInto,
      String runStatus) {
    ChunkGraph g = new ChunkGraph(chunk, run);
    g.build(events, related, joinedInto, runStatus);
    return g;
  }

  private String node(Kind kind, List<String> label) {
    String id = "n" + (nodes.size() + 1);
    nodes.add(new Node(id, kind, label));
    return id;
  }

  private void edge(String from, String to, String label) {
    edges.add(new Edge(from, to, label, false));
  }

  private void build(List<Event> events, List<Event> related, List<Event> joinedInto, String runStatus) {
    Map<String, List<Event>> others = new HashMap<>();
    for (Event e : related) others.computeIfAbsent(e.chunk(), k -> new ArrayList<>()).add(e);
    String current = null;
    boolean committed = false;
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      switch (e.type()) {
        case CREATE: {
          String src = sourceNode(e.source());
          current = chunkNode(e.recordsOut(), e.inputDigest());
          edge(src, current, "CREATE");
          break;
        }
        case REUSED: {
          if (current == null) {
            current = chunkNode(e.recordsIn(), e.inputDigest());
            if (e.source() != null) edge(sourceNode(e.source()), current, "read");
          }
          List<String> label = new ArrayList<>();
          label.add("REUSED: " + nz(e.recordsIn()) + " in, " + nz(e.recordsOut()) + " out");
          ReusedFrom.of(e).ifPresentOrElse(r -> label.add("committed by run " + r.run()), () -> {
            if (e.error() != null) label.add(e.error());
          });
          String reused = node(Kind.REUSED, label);
          edge(current, reused, "REUSED");
          current = reused;
          if (e.sink() != null) {
            current = sinkNode(e, current);
          }
          committed = true;
          break;
        }
        case JOIN: {
          String join = node(Kind.STEP, List.of(processor(e.processor()),
              "JOIN: " + (e.recordsIn() == null ? "" : nz(e.recordsIn()) + " in, ") + nz(e.recordsOut()) + " out"));
          List<String> parents = e.parents() == null ? List.of() : e.parents();
          String firstPart = chunk.substring(0, chunk.lastIndexOf('-') + 1) + "0";
          boolean laterPart = parents.size() == 1 && parents.get(0).equals(firstPart) && !chunk.equals(firstPart);
          for (int p = 0; p < parents.size() && p < PARENTS_SHOWN; p++) {
            String parent = parents.get(p);
            String n = node(Kind.RELATED, relatedLabel(parent, others.getOrDefault(parent, List.of()), e.processor()));
            edge(n, join, laterPart ? "first part" : "parent");
          }
          if (parents.size() > PARENTS_SHOWN) {
            String rest = node(Kind.RELATED, List.of("and " + ProvenanceReader.plural(parents.size() - PARENTS_SHOWN, "more chunk"),
                "(--format json lists them all)"));
            edge(rest, join, "parents");
          }
          current = chunkNode(e.recordsOut(), null);
          edge(join, current, "JOIN");
          break;
        }
        case FORK: {
          if (e.parents() != null && !e.parents().isEmpty()) {
            List<String> from = new ArrayList<>();
            for (String parent : e.parents()) {
              from.add(node(Kind.RELATED, relatedLabel(parent, others.getOrDefault(parent, List.of()), null)));
            }
            current = chunkNode(e.recordsOut(), e.outputDigest());
            for (String f : from) edge(f, current, "FORK at '" + e.processor().id() + "'");
          } else {
            List<String> children = e.children() == null ? List.of() : e.children();
            String fork = node(Kind.STEP, List.of(processor(e.processor()),
                "FORK: " + records(e.recordsIn()) + " into " + ProvenanceReader.plural(children.size(), "chunk")));
            if (current != null) edge(current, fork, null);
            for (String child : children) {
              String n = node(Kind.RELATED, relatedLabel(child, others.getOrDefault(child, List.of()), null));
              edge(fork, n, "FORK");
            }
            current = fork;
            committed = true;
          }
          break;
        }
        case FILTERED:
        case CONTENT_MODIFIED: {
          if (current == null) current = chunkNode(null, null);
          String step = node(Kind.STEP, List.of(processor(e.processor()),
              e.type() + ": " + nz(e.recordsIn()) + " in, " + nz(e.recordsOut()) + " out"));
          edge(current, step, null);
          current = step;
          for (Event join : joinedInto) {
            if (join.processor() != null && e.processor() != null && join.processor().id().equals(e.processor().id())) {
              String into = node(Kind.RELATED, List.of(join.chunk(), "end of input of '" + join.processor().id() + "'"));
              edge(step, into, "JOIN " + records(e.recordsIn()));
            }
          }
          break;
        }
        case DROP:
        case DEAD_LETTER: {
          if (current == null) current = chunkNode(null, null);
          String from = current;
          // A record rejected by a step is logged before the step's own event: hang it on that step.
          if (e.processor() != null) {
            for (int j = i + 1; j < events.size(); j++) {
              Event next = events.get(j);
              if (isStep(next) && next.processor() != null && next.processor().id().equals(e.processor().id())) {
                from = null;
                pending.computeIfAbsent(j, k -> new ArrayList<>()).add(e);
                break;
              }
              if (isStep(next)) break;
            }
          }
          if (from != null) side(from, e);
          break;
        }
        case SEND:
          if (current == null) current = chunkNode(null, null);
          current = sinkNode(e, current);
          committed = true;
          break;
        default:
          break;
      }
      for (Event waiting : pending.getOrDefault(i, List.of())) side(current, waiting);
    }
    if (!committed) {
      if (current == null) current = chunkNode(null, null);
      String nowhere = node(Kind.SIDE, List.of("not committed", "run " + runStatus));
      edges.add(new Edge(current, nowhere, null, true));
    }
  }

  private void side(String from, Event e) {
    List<String> label = new ArrayList<>();
    label.add((e.type() == EventType.DROP ? "skipped" : "dead-lettered") + ": " + records(e.recordsIn()));
    label.add(e.processor() == null ? "at the source" : "at '" + e.processor().id() + "'");
    if (e.error() != null) label.add(e.error());
    String n = node(Kind.SIDE, label);
    edges.add(new Edge(from, n, e.type().name(), true));
  }

  private static boolean isStep(Event e) {
    return e.type() == EventType.FILTERED || e.type() == EventType.CONTENT_MODIFIED;
  }

  private String sourceNode(Event.SourceRef s) {
    return node(Kind.SOURCE, List.of(s.file(), "lines " + s.firstLine() + "-" + s.lastLine()));
  }

  private String chunkNode(Integer records, String digest) {
    List<String> label = new ArrayList<>();
    label.add(chunk);
    if (records != null) label.add(records(records));
    if (digest != null) label.add(shortDigest(digest));
    return node(Kind.CHUNK, label);
  }

  private String sinkNode(Event e, String from) {
    Event.SinkRef s = e.sink();
    String sink = node(Kind.SINK, List.of(s.target(),
        "at byte " + s.offset() + ", " + ProvenanceReader.plural(s.bytes(), "byte")));
    edge(from, sink, e.type() == EventType.REUSED ? "committed earlier" : "SEND " + records(e.recordsOut()));
    return sink;
  }

  /** A parent or child chunk: its id, where it came from, what reached the joining processor, where it went. */
  private static List<String> relatedLabel(String id, List<Event> events, Event.ProcessorRef joinedBy) {
    List<String> label = new ArrayList<>();
    label.add(id);
    boolean stepped = false;
    for (Event e : events) {
      if ((e.type() == EventType.CREATE || e.type() == EventType.REUSED) && e.source() != null) {
        label.add(e.source().file() + " lines " + e.source().firstLine() + "-" + e.source().lastLine());
      }
      if (e.type() == EventType.REUSED) {
        label.add("taken over from an earlier run");
      }
      if (e.type() == EventType.FORK && e.parents() != null) {
        label.add(records(e.recordsOut()));
      }
      if (joinedBy != null && isStep(e) && e.processor() != null && e.processor().id().equals(joinedBy.id()) && !stepped) {
        stepped = true;
        label.add(records(e.recordsIn()) + " into '" + joinedBy.id() + "'");
      }
      if (e.type() == EventType.SEND && joinedBy == null && e.sink() != null) {
        label.add("to " + e.sink().target() + " at byte " + e.sink().offset());
      }
    }
    return label;
  }

  private static String processor(Event.ProcessorRef p) {
    return p == null ? "?" : p.id() + " (" + p.type() + " v" + p.version() + ")";
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  private static String records(Integer n) {
    return ProvenanceReader.plural(nz(n), "record");
  }

  private static String shortDigest(String d) {
    return d.substring(0, Math.min(d.length(), "sha256:".length() + 12));
  }

  // ---- Graphviz dot ------------------------------------------------------------------------------

  /** The graph in Graphviz's dot language, left to right. */
  public String toDot() {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(dotString("wiz chunk " + chunk)).append(" {\n");
    sb.append("  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=")
        .append(dotString("chunk " + chunk + "\nrun " + run)).append("];\n");
    sb.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
    sb.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (Node n : nodes) {
      sb.append("  ").append(n.id()).append(" [shape=").append(n.kind().dotShape);
      if (!n.kind().dotStyle.isEmpty()) sb.append(", style=\"").append(n.kind().dotStyle).append('"');
      sb.append(", label=").append(dotString(String.join("\n", n.label()))).append("];\n");
    }
    for (Edge e : edges) {
      sb.append("  ").append(e.from()).append(" -> ").append(e.to());
      List<String> attrs = new ArrayList<>();
      if (e.label() != null) attrs.add("label=" + dotString(e.label()));
      if (e.side()) attrs.add("style=dashed");
      if (!attrs.isEmpty()) sb.append(" [").append(String.join(", ", attrs)).append(']');
      sb.append(";\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  /**
   * A dot string literal: quotes and backslashes escaped (so {@code \N} or {@code \G} in a path
   * stays text), line breaks as {@code \n}, {@code &} as {@code &amp;} (dot reads HTML entities
   * in labels), other control characters as spaces.
   */
  static String dotString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '&':
          sb.append("&amp;");
          break;
        default:
          sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
      }
    }
    return sb.append('"').toString();
  }

  // ---- Mermaid ---------------------------------------------------------------------------------

  /** The graph as a Mermaid flowchart, left to right. */
  public String toMermaid() {
    StringBuilder sb = new StringBuilder();
    sb.append("flowchart LR\n");
    sb.append("  %% chunk ").append(mermaidComment(chunk)).append(" of run ").append(mermaidComment(run)).append('\n');
    for (Node n : nodes) {
      sb.append("  ").append(n.id()).append(n.kind().open).append('"');
      for (int i = 0; i < n.label().size(); i++) {
        if (i > 0) sb.append("<br/>");
        sb.append(mermaidText(n.label().get(i)));
      }
      sb.append('"').append(n.kind().close).append('\n');
    }
    for (Edge e : edges) {
      sb.append("  ").append(e.from()).append(e.side() ? " -.->" : " -->");
      if (e.label() != null) sb.append("|\"").append(mermaidText(e.label())).append("\"|");
      sb.append(' ').append(e.to()).append('\n');
    }
    return sb.toString();
  }

  /**
   * Text for inside a quoted Mermaid label: letters, digits, spaces and plain punctuation as they
   * are, every other character (quotes, {@code #}, {@code <}, {@code |}, ...) as Mermaid's entity
   * code {@code #<decimal>;}, line breaks as {@code <br/>}.
   */
  static String mermaidText(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c == '\n') {
        sb.append("<br/>");
      } else if (Character.isLetterOrDigit(c) || " .,:/_-+=@'!?*()".indexOf(c) >= 0) {
        sb.appendCodePoint(c);
      } else {
        sb.append('#').append(c).append(';');
      }
    });
    return sb.toString();
  }

  /** A comment line: no line breaks in it. */
  private static String mermaidComment(String s) {
    return s.replaceAll("[\\r\\n]", " ");
  }
}

package dev.wiz.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.pipeline.Pipeline;
import dev.wiz.pipeline.ProcessorSpec;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz graph}: a pipeline as a graph (Graphviz dot, Mermaid or JSON), from source to sink. */
final class GraphCommand extends Subcommand implements Callable<Integer> {
  /** Config summaries longer than this are cut, ending in "...". */
  static final int SUMMARY_MAX = 60;

  enum GraphFormat {
    dot,
    mermaid,
    json
  }

  final Value<String> file = Value.of(String.class);
  final Value<GraphFormat> format = Value.of(GraphFormat.class);

  /** {@code wiz graph [--format=dot|mermaid|json] PIPELINE}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "graph");
    s.usageMessage()
        .header("Print a pipeline as a graph (dot, Mermaid or JSON).")
        .description(
            "Print a pipeline as a graph on stdout: the source, each processor in order",
            "(its id, type and a short summary of its config) and the sink. A serial",
            "processor (one instance sees every chunk, in order: aggregate, dedupe, limit,",
            "sample, sort) has a double border, a forking one (explode: its output becomes",
            "child chunks) is a hexagon, and their labels say so. The pipeline is checked",
            "first as validate checks it (exit 3 when invalid, with --format json its",
            "problems as validate --format json prints them); nothing runs.",
            "Render dot with Graphviz: wiz graph p.yaml | dot -Tsvg > p.svg");
    s.addPositional(file.parameter().paramLabel("PIPELINE").description("The pipeline file (YAML or JSON).").build());
    s.addOption(format.option("--format").paramLabel("dot|mermaid|json").defaultValue("dot")
        .description("dot (Graphviz), mermaid (a flowchart) or json (nodes and edges). Default: ${DEFAULT-VALUE}.").build());
    return s;
  }

  /**
   * One box of the graph.
   *
   * @param id the node's id in the graph: source, p1, p2, ..., sink (safe in dot and Mermaid whatever the pipeline says)
   * @param kind source, processor or sink
   * @param type the source, processor or sink type
   * @param name the processor's id in the pipeline (null for source and sink)
   */
  record Node(String id, String kind, String type, String name, String summary, boolean serial, boolean forks) {
    String title() {
      return name == null ? kind + ": " + type : name + " (" + type + ")";
    }

    List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(title());
      if (!summary.isEmpty()) out.add(summary);
      if (serial) out.add("serial: every chunk, in order");
      if (forks) out.add("forks: child chunks");
      return out;
    }
  }

  @Override
  public Integer call() throws IOException, dev.wiz.pipeline.InvalidPipelineException {
    String file = this.file.value();
    GraphFormat format = this.format.value();
    Path pipelineFile = inputFile(file);
    Pipeline pipeline;
    try {
      pipeline = Pipeline.from(pipelineFile, service().check(pipelineFile, file));
    } catch (dev.wiz.pipeline.InvalidPipelineException e) {
      // A script that asked for JSON gets validate's array on stdout; the text goes to stderr as ever.
      if (format == GraphFormat.json) printJson(ValidateCommand.json(e.diagnostics()));
      throw e;
    }
    ProcessorRegistry registry = ProcessorRegistry.load(GraphCommand.class.getClassLoader());
    // Labels show ${NAME}, never the value the environment gave it.
    java.util.function.UnaryOperator<String> redact = pipeline.tree().valueRedactor();
    List<Node> nodes = new ArrayList<>();
    nodes.add(new Node("source", "source", pipeline.source().path("type").asText(), null,
        redact.apply(io(pipeline.source())), false, false));
    for (ProcessorSpec p : pipeline.processors()) {
      ProcessorFactory f = registry.find(p.type()).orElseThrow(); // the check found every type
      nodes.add(new Node("p" + (p.index() + 1), "processor", p.type(), p.id(), redact.apply(summary(p.config())),
          !f.loadBalance(), f.forks()));
    }
    nodes.add(new Node("sink", "sink", pipeline.sink().path("type").asText(), null, redact.apply(io(pipeline.sink())),
        false, false));
    String chunks = "chunks of " + pipeline.chunkRecords();
    PrintWriter out = env().out();
    switch (format) {
      case mermaid:
        out.print(mermaid(nodes, chunks));
        break;
      case json:
        printJson(json(pipeline.name(), nodes, pipeline.chunkRecords()));
        break;
      case dot:
      default:
        out.print(dot(pipeline.name(), nodes, chunks));
    }
    return ExitCode.OK.code();
  }

  /** A source or sink: its path (if any) and format. */
  static String io(JsonNode spec) {
    String format = spec.path("format").asText("jsonl");
    return spec.has("path") ? oneLine(spec.path("path").asText()) + " (" + format + ")" : format;
  }

  /** A processor's config in one short line: {@code key: value, ...}, strings as written, the rest as JSON. */
  static String summary(JsonNode config) {
    StringBuilder s = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (s.length() > 0) s.append(", ");
      s.append(e.getKey()).append(": ").append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
    }
    return truncate(oneLine(s.toString()), SUMMARY_MAX);
  }

  /** Line breaks, tabs and other control characters as single spaces. */
  static String oneLine(String text) {
    return text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }

  /** At most {@code max} characters (code points), the last three "..." when cut. */
  static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) return text;
    return text.substring(0, text.offsetByCodePoints(0, max - 3)) + "...";
  }

  static String dot(String name, List<Node> nodes, String firstEdge) {
    StringBuilder g = new StringBuilder();
    g.append("digraph ").append(dotString(name)).append(" {\n");
    g.append("  rankdir=LR;\n");
    g.append("  node [shape=box];\n");
    for (Node n : nodes) {
      g.append("  ").append(n.id()).append(" [");
      if (!n.kind().equals("processor")) g.append("shape=cylinder, ");
      else if (n.forks()) g.append("shape=hexagon, ");
      if (n.serial()) g.append("peripheries=2, ");
      g.append("label=").append(dotString(String.join("\n", n.lines()))).append("];\n");
    }
    for (int i = 1; i < nodes.size(); i++) {
      g.append("  ").append(nodes.get(i - 1).id()).append(" -> ").append(nodes.get(i).id());
      if (i == 1) g.append(" [label=").append(dotString(firstEdge)).append("]");
      g.append(";\n");
    }
    return g.append("}\n").toString();
  }

  /** A double-quoted dot string: backslash and quote escaped, line breaks as dot's {@code \n}. */
  static String dotString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  static String mermaid(List<Node> nodes, String firstEdge) {
    StringBuilder g = new StringBuilder("flowchart LR\n");
    for (Node n : nodes) {
      String label = "\"" + String.join("<br/>", n.lines().stream().map(GraphCommand::mermaidText).toList()) + "\"";
      String shaped;
      if (!n.kind().equals("processor")) shaped = "[(" + label + ")]";
      else if (n.forks()) shaped = "{{" + label + "}}";
      else if (n.serial()) shaped = "[[" + label + "]]";
      else shaped = "[" + label + "]";
      g.append("  ").append(n.id()).append(shaped).append('\n');
    }
    for (int i = 1; i < nodes.size(); i++) {
      g.append("  ").append(nodes.get(i - 1).id()).append(" -->");
      if (i == 1) g.append("|\"").append(mermaidText(firstEdge)).append("\"|");
      g.append(' ').append(nodes.get(i).id()).append('\n');
    }
    return g.toString();
  }

  /**
   * Text inside a quoted Mermaid label: the characters Mermaid or its HTML labels would read as
   * syntax written as entity codes ({@code #} first, as every code starts with it).
   */
  static String mermaidText(String text) {
    return text.replace("#", "#35;").replace("\"", "#quot;").replace("&", "#amp;").replace("<", "#lt;")
        .replace(">", "#gt;").replace("`", "#96;");
  }

  static ObjectNode json(String name, List<Node> nodes, int chunkRecords) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("name", name);
    o.put("chunkRecords", chunkRecords);
    ArrayNode ns = o.putArray("nodes");
    for (Node n : nodes) {
      ObjectNode j = ns.addObject();
      j.put("id", n.id());
      j.put("kind", n.kind());
      j.put("type", n.type());
      if (n.name() != null) j.put("processor", n.name());
      j.put("summary", n.summary());
      if (n.name() != null) {
        j.put("serial", n.serial());
        j.put("forks", n.forks());
      }
    }
    ArrayNode es = o.putArray("edges");
    for (int i = 1; i < nodes.size(); i++) {
      es.addObject().put("from", nodes.get(i - 1).id()).put("to", nodes.get(i).id());
    }
    return o;
  }
}

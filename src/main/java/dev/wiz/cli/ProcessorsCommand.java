package dev.wiz.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorRegistry;
import dev.wiz.schema.ProcessorInfo;
import dev.wiz.schema.SchemaCatalog;
import dev.wiz.schema.Suggestions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code wiz processors list|show}: the processor types this wiz knows, read from their schemas. */
final class ProcessorsCommand extends Subcommand implements Runnable {
  private CommandSpec spec;

  /** {@code wiz processors list|show}. */
  @Override
  CommandSpec spec(CommandLine.IFactory factory) {
    CommandSpec s = Specs.command(this, factory, "processors");
    s.usageMessage().description("The processor types this wiz knows.");
    s.addSubcommand("list", subcommand(new ListTypes(), factory));
    s.addSubcommand("show", subcommand(new Show(), factory));
    this.spec = s;
    return s;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list or show");
  }

  private static List<ProcessorInfo> all() {
    ClassLoader cl = ProcessorsCommand.class.getClassLoader();
    SchemaCatalog catalog = new SchemaCatalog(cl);
    List<ProcessorInfo> out = new ArrayList<>();
    for (ProcessorFactory f : ProcessorRegistry.load(cl).factories()) out.add(ProcessorInfo.of(f, catalog));
    return out;
  }

  private static ObjectNode summary(ProcessorInfo p) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("type", p.type());
    o.put("description", p.summary());
    o.put("version", p.version());
    o.put("loadBalance", p.loadBalance());
    o.put("needsSeed", p.needsSeed());
    o.put("forks", p.forks());
    o.put("sideEffects", p.sideEffects());
    return o;
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  static final class ListTypes extends Subcommand implements Callable<Integer> {
    final FormatOption format = new FormatOption();

    /** {@code wiz processors list [--format=text|json]}. */
    @Override
    CommandSpec spec(CommandLine.IFactory factory) {
      CommandSpec s = Specs.command(this, factory, "list");
      s.usageMessage().description("List the processor types: type, whether chunks may be spread over parallel instances,"
          + " whether it needs a seed, what it does.");
      s.addOption(format.option());
      return s;
    }

    @Override
    public Integer call() throws IOException {
      List<ProcessorInfo> all = all();
      if (format.json()) {
        ArrayNode arr = Json.mapper().createArrayNode();
        for (ProcessorInfo p : all) arr.add(summary(p));
        printJson(arr);
      } else {
        PrintWriter out = env().out();
        out.printf(Locale.ROOT, "%-12s %-12s %-6s %s%n", "TYPE", "LOADBALANCE", "SEED", "DESCRIPTION");
        for (ProcessorInfo p : all) {
          out.printf(Locale.ROOT, "%-12s %-12s %-6s %s%n", p.type(), yesNo(p.loadBalance()), yesNo(p.needsSeed()), p.summary());
        }
        if (!quiet()) env().err().println("wiz processors show TYPE prints a type's fields and a sample config");
      }
      return ExitCode.OK.code();
    }
  }

  static final class Show extends Subcommand implements Callable<Integer> {
    final FormatOption format = new FormatOption();
    final Value<String> type = Value.of(String.class);

    /** {@code wiz processors show [--format=text|json] TYPE}. */
    @Override
    CommandSpec spec(CommandLine.IFactory factory) {
      CommandSpec s = Specs.command(this, factory, "show");
      s.usageMessage().description("Show one processor type: what it does, its config fields and a sample config.");
      s.addOption(format.option());
      s.addPositional(type.parameter().paramLabel("TYPE").description("The processor type, as 'wiz processors list' names it.")
          .build());
      return s;
    }

    @Override
    public Integer call() throws IOException {
      String type = this.type.value();
      List<ProcessorInfo> all = all();
      Optional<ProcessorInfo> found = all.stream().filter(p -> p.type().equals(type)).findFirst();
      if (found.isEmpty()) {
        List<String> types = all.stream().map(ProcessorInfo::type).toList();
        StringBuilder m = new StringBuilder("unknown processor type '").append(type).append("'");
        Suggestions.closest(type, types).ifPresent(s -> m.append(" (did you mean '").append(s).append("'?)"));
        m.append("; 'wiz processors list' lists the types");
        env().err().println("wiz: " + m);
        // A script that asked for JSON reads an answer, as provenance show answers an unknown chunk.
        if (format.json()) printJson(Json.mapper().createObjectNode().put("type", type).put("error", m.toString()));
        return ExitCode.INVALID.code();
      }
      ProcessorInfo p = found.get();
      if (format.json()) {
        ObjectNode o = summary(p);
        o.put("description", p.description());
        ArrayNode fields = o.putArray("fields");
        for (ProcessorInfo.Field f : p.fields()) {
          ObjectNode fo = fields.addObject();
          fo.put("name", f.name());
          fo.put("type", f.type());
          fo.put("required", f.required());
          if (f.defaultValue() != null) fo.set("default", f.defaultValue());
          fo.put("description", f.description());
        }
        if (p.sample() != null) o.set("sample", p.sample());
        printJson(o);
        return ExitCode.OK.code();
      }
      PrintWriter out = env().out();
      out.println(p.type() + " (version " + p.version() + ")");
      out.println();
      out.println(wrap(p.description(), 96, ""));
      out.println();
      out.println("load-balanced: " + yesNo(p.loadBalance()) + "   needs a seed: " + yesNo(p.needsSeed())
          + "   forks chunks: " + yesNo(p.forks()) + "   side effects: " + yesNo(p.sideEffects()));
      out.println();
      out.println("FIELDS");
      int nameWidth = 5;
      int typeWidth = 4;
      for (ProcessorInfo.Field f : p.fields()) {
        nameWidth = Math.max(nameWidth, f.name().length());
        typeWidth = Math.min(40, Math.max(typeWidth, f.type().length()));
      }
      String fmt = "  %-" + nameWidth + "s  %-" + typeWidth + "s  %-8s  %s%n";
      out.printf(Locale.ROOT, fmt, "NAME", "TYPE", "REQUIRED", "DESCRIPTION");
      String indent = " ".repeat(2 + nameWidth + 2 + typeWidth + 2 + 8 + 2);
      for (ProcessorInfo.Field f : p.fields()) {
        String text = f.description();
        if (f.defaultValue() != null) text += " Default: " + f.defaultValue() + ".";
        out.printf(Locale.ROOT, fmt, f.name(), f.type(), f.required() ? "yes" : "no",
            wrap(text, Math.max(40, 120 - indent.length()), indent));
      }
      if (p.sample() != null) {
        out.println();
        out.println("SAMPLE");
        out.println("  - id: my-" + p.type());
        out.println("    type: " + p.type());
        out.println("    config: " + Json.mapper().writeValueAsString(p.sample()));
      }
      return ExitCode.OK.code();
    }

    /** Word-wraps text; lines after the first start with the indent. */
    private static String wrap(String text, int width, String indent) {
      StringBuilder out = new StringBuilder();
      int col = 0;
      for (String word : text.strip().split("\\s+")) {
        if (col > 0 && col + 1 + word.length() > width) {
          out.append('\n').append(indent);
          col = 0;
        } else if (col > 0) {
          out.append(' ');
          col++;
        }
        out.append(word);
        col += word.length();
      }
      return out.toString();
    }
  }
}

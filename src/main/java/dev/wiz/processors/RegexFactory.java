package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import dev.wiz.processor.RunCancelledException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code regex}: finds the first match of a Java regular expression in a string field
 * ({@link Matcher#find()}, so the pattern may match anywhere unless anchored) and writes its named
 * groups to fields, at the top level or under {@code into}. What happens to a record whose field
 * is missing, not a string or does not match is {@code onMismatch}'s choice.
 */
public final class RegexFactory implements ProcessorFactory {
  static final String FIELD = "field";
  static final String PATTERN = "pattern";
  static final String INTO = "into";
  static final String ON_MISMATCH = "onMismatch";

  /** What to do with a record the pattern cannot be applied to or does not match. */
  enum OnMismatch {
    KEEP,
    DROP,
    REJECT
  }

  @Override
  public String type() {
    return "regex";
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    List<ConfigProblem> problems = new ArrayList<>();
    FieldPath.problem(config.path(FIELD).asText()).ifPresent(p -> problems.add(new ConfigProblem("/field", p)));
    if (config.has(INTO)) {
      FieldPath.problem(config.get(INTO).asText()).ifPresent(p -> problems.add(new ConfigProblem("/into", p)));
      if (problems.isEmpty()) {
        // a record that matches holds a string at field, so groups can never go into it or inside it
        FieldPath field = FieldPath.parse(config.path(FIELD).asText());
        FieldPath into = FieldPath.parse(config.get(INTO).asText());
        if (into.equals(field) || Fields.inside(into, field)) {
          problems.add(new ConfigProblem("/into", "'" + into + "' is " + (into.equals(field) ? "" : "inside ")
              + "the field matched, '" + field + "', which holds a string when it matches: the groups cannot go"
              + " there; name another object, or leave 'into' out to put them at the top level"));
        }
      }
    }
    String pattern = config.path(PATTERN).asText();
    try {
      if (groupNames(Pattern.compile(pattern)).isEmpty()) {
        problems.add(new ConfigProblem("/pattern", "the pattern has no named group: name each part to extract, "
            + "as in (?<user>[^@]+)@(?<domain>.+)"));
      }
    } catch (PatternSyntaxException e) {
      problems.add(syntaxProblem(pattern, e));
    }
    return problems;
  }

  private static ConfigProblem syntaxProblem(String pattern, PatternSyntaxException e) {
    int index = ConfigProblem.regexIndex(pattern, e);
    boolean lines = ConfigProblem.hasLines(pattern);
    String where = index < 0 ? ""
        : " at " + ConfigProblem.position(pattern, index, lines) + (lines ? " of the pattern" : "");
    return new ConfigProblem("/pattern", "regular expression error" + where + ": " + ConfigProblem.regexDescription(pattern, e)
        + " in '" + pattern + "'", index >= 0 ? Math.min(index, pattern.length()) : -1);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    Pattern pattern;
    try {
      pattern = Pattern.compile(config.path(PATTERN).asText());
    } catch (PatternSyntaxException e) {
      throw new ProcessorException("/pattern: " + syntaxProblem(config.path(PATTERN).asText(), e).message());
    }
    List<String> names = groupNames(pattern);
    if (names.isEmpty()) throw new ProcessorException("/pattern: the pattern has no named group");
    FieldPath field = path(config, FIELD);
    FieldPath into = config.has(INTO) ? path(config, INTO) : null;
    List<FieldPath> targets = new ArrayList<>();
    for (String name : names) {
      targets.add(into == null ? Segments.path(List.of(name)) : child(into, name));
    }
    OnMismatch onMismatch = OnMismatch.valueOf(config.path(ON_MISMATCH).asText("keep").toUpperCase(Locale.ROOT));
    Spec spec = new Spec(field, pattern, List.copyOf(names), List.copyOf(targets), into, onMismatch);
    return () -> new Extract(spec);
  }

  private static FieldPath path(JsonNode config, String key) throws ProcessorException {
    try {
      return FieldPath.parse(config.path(key).asText());
    } catch (IllegalArgumentException e) {
      throw new ProcessorException("/" + key + ": " + e.getMessage());
    }
  }

  /** The path one level below {@code parent}. */
  static FieldPath child(FieldPath parent, String name) {
    List<String> segments = new ArrayList<>(parent.segments());
    segments.add(name);
    return Segments.path(segments);
  }

  /**
   * The names of the pattern's named groups, in the order they open. Java 17 has no API for them:
   * the pattern text is scanned for {@code (?<name>} outside escapes, {@code \Q...\E} quotes and
   * character classes, and each name found is confirmed against the compiled pattern.
   */
  static List<String> groupNames(Pattern pattern) {
    String s = pattern.pattern();
    Set<String> names = new LinkedHashSet<>();
    int depth = 0; // character class nesting
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && s.charAt(i + 1) == 'Q') {
          int end = s.indexOf("\\E", i + 2);
          i = end < 0 ? n : end + 1;
        } else {
          i++;
        }
      } else if (c == '[') {
        depth++;
      } else if (c == ']' && depth > 0) {
        depth--;
      } else if (depth == 0 && s.startsWith("(?<", i) && i + 3 < n && isAsciiLetter(s.charAt(i + 3))) {
        int j = i + 3;
        while (j < n && (isAsciiLetter(s.charAt(j)) || (s.charAt(j) >= '0' && s.charAt(j) <= '9'))) j++;
        if (j < n && s.charAt(j) == '>' && isGroup(pattern, s.substring(i + 3, j))) {
          names.add(s.substring(i + 3, j));
        }
      }
    }
    return List.copyOf(names);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * True when the compiled pattern has a group of that name. A matcher that has matched (here: the
   * empty pattern on the empty string) and is then switched to the pattern answers {@code start(name)}
   * with -1 for a group and an {@link IllegalArgumentException} for an unknown name. Should a JDK
   * forget the match on the switch ({@link IllegalStateException}), the scan is trusted.
   */
  private static boolean isGroup(Pattern pattern, String name) {
    Matcher m = Pattern.compile("").matcher("");
    m.find();
    m.usePattern(pattern);
    try {
      m.start(name);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private record Spec(FieldPath field, Pattern pattern, List<String> names, List<FieldPath> targets,
      FieldPath into, OnMismatch onMismatch) {}

  private static final class Extract implements Processor {
    private final Spec spec;
    private ProcessorContext context;

    Extract(Spec spec) {
      this.spec = spec;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
    }

    @Override
    public Chunk process(Chunk chunk) throws RunCancelledException {
      Outputs out = new Outputs(chunk.size());
      List<JsonNode> in = chunk.records();
      for (int r = 0; r < in.size(); r++) {
        Stopping.betweenRecords(context, "regex", r, in.size());
        JsonNode record = in.get(r);
        JsonNode value = spec.field().get(record);
        String mismatch = null;
        Matcher m = null;
        if (value.isMissingNode()) {
          mismatch = "field '" + spec.field() + "' is missing";
        } else if (!value.isTextual()) {
          mismatch = "field '" + spec.field() + "' is " + JsonKinds.kind(value) + ", not a string";
        } else {
          m = spec.pattern().matcher(value.textValue());
          if (!m.find()) mismatch = "field '" + spec.field() + "' does not match the pattern";
        }
        if (mismatch != null) {
          switch (spec.onMismatch()) {
            case KEEP -> out.add(record, r);
            case DROP -> { }
            case REJECT -> context.reject(record, "regex: " + mismatch);
          }
          continue;
        }
        ObjectNode copy = FieldPath.shallowCopy(record);
        boolean written = true;
        for (int i = 0; i < spec.names().size() && written; i++) {
          String g = m.group(spec.names().get(i));
          written = spec.targets().get(i).set(copy, g == null ? NullNode.getInstance() : TextNode.valueOf(g));
        }
        if (!written) {
          context.reject(record, "regex: cannot write the groups under '" + spec.into() + "': it holds "
              + JsonKinds.kind(firstNonObject(record)) + ", not an object");
        } else {
          out.add(copy, r);
        }
      }
      return out.of(chunk);
    }

    /** The first value on the way down {@code into} that is neither an object nor null. */
    private JsonNode firstNonObject(JsonNode record) {
      JsonNode n = record;
      for (String s : spec.into().segments()) {
        n = n.path(s);
        if (!n.isObject() && !n.isNull() && !n.isMissingNode()) return n;
      }
      return n;
    }
  }

}

package dev.wiz.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads one pipeline (or config) file, YAML 1.2 or JSON, into a {@link LocatedTree}: a Jackson
 * tree that knows the line and column of every node and key, with {@code ${VAR}} interpolated
 * from the environment inside string values.
 *
 * <p>The file is untrusted: it is parsed by snakeyaml-engine with the core schema, duplicate keys
 * rejected, and the {@link LoadLimits} enforced (size before reading, aliases, nodes, nesting).
 * Every problem becomes a {@link Diagnostic}; the loader throws one {@link
 * InvalidPipelineException} carrying all of them and never lets a parser exception escape.
 */
public final class YamlLoader {
  private static final String FIX_SIZE = "a pipeline file describes the work; keep data out of it";

  private final LoadLimits limits;
  private final Interpolator interpolator;
  private final CoreSchema schema = new CoreSchema();

  /**
   * @param limits the budgets every file must fit in
   * @param env the environment: a variable's value, or {@code null} when it is unset
   */
  public YamlLoader(LoadLimits limits, Function<String, String> env) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.interpolator = new Interpolator(env);
  }

  /**
   * Loads a file. Its size is checked before it is read.
   *
   * @param displayName the name to print in diagnostics, as the user wrote it
   * @throws IOException only when the file is missing or cannot be read
   */
  public LocatedTree load(Path file, String displayName)
      throws InvalidPipelineException, IOException {
    Objects.requireNonNull(displayName, "displayName");
    long size = Files.size(file);
    if (size > limits.maxBytes()) {
      throw tooLarge(displayName, size);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limits.maxBytes() + 1L));
    }
    if (bytes.length > limits.maxBytes()) { // it grew after we looked
      throw tooLarge(displayName, bytes.length);
    }
    return parse(decode(bytes, displayName), displayName);
  }

  /** Parses text already in memory (stdin, a test); the size limit applies to its UTF-8 form. */
  public LocatedTree parse(String text, String displayName) throws InvalidPipelineException {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(displayName, "displayName");
    long size = utf8Length(text);
    if (size > limits.maxBytes()) {
      throw tooLarge(displayName, size);
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(displayName)
            .setSchema(schema)
            .setAllowDuplicateKeys(false) // a constructor setting: TreeBuilder checks keys
            .setAllowRecursiveKeys(false)
            .setAllowNonScalarKeys(true) // rejected by TreeBuilder, with the key's position
            .setMaxAliasesForCollections(limits.maxAliases())
            .setCodePointLimit(limits.maxBytes())
            .setUseMarks(true)
            .build();
    Optional<Diagnostic> early = new Precheck(settings, limits).run(text, displayName);
    if (early.isPresent()) {
      throw new InvalidPipelineException(early.get());
    }
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (YamlEngineException e) {
      throw new InvalidPipelineException(diagnostic(e, text, displayName));
    }
    if (root.isEmpty() || isEmptyDocument(root.get())) {
      throw new InvalidPipelineException(
          new Diagnostic(
              displayName, 1, 1, "", "the file is empty: a pipeline file holds one YAML document"));
    }
    return new TreeBuilder(displayName, text, limits, interpolator, schema.getScalarResolver())
        .build(root.get());
  }

  private static boolean isEmptyDocument(Node root) {
    return root instanceof ScalarNode scalar
        && scalar.getTag().equals(Tag.NULL)
        && scalar.getValue().isEmpty()
        && scalar.getScalarStyle() == ScalarStyle.PLAIN;
  }

  private InvalidPipelineException tooLarge(String file, long size) {
    return new InvalidPipelineException(
        new Diagnostic(
            file,
            1,
            1,
            "",
            "file too large: "
                + size
                + " bytes, more than the limit of "
                + limits.maxBytes()
                + " bytes; "
                + FIX_SIZE));
  }

  /** Turns any snakeyaml exception into one located, one-line diagnostic. */
  static Diagnostic diagnostic(YamlEngineException e, String text, String file) {
    if (e instanceof MarkedYamlEngineException m) {
      Optional<Mark> problemMark = m.getProblemMark();
      Optional<Mark> contextMark = m.getContextMark();
      String problem = oneLine(m.getProblem());
      String context = oneLine(m.getContext());
      String message;
      if (problem.isEmpty()) {
        message = context.isEmpty() ? "invalid YAML" : context;
      } else if (context.isEmpty()) {
        message = problem;
      } else if (contextMark.isPresent() && problemMark.isPresent()) {
        message = problem + " (" + context + " started at " + position(contextMark.get()) + ")";
      } else {
        message = context + ": " + problem;
      }
      Optional<Mark> mark = problemMark.isPresent() ? problemMark : contextMark;
      Optional<OpenQuote.Located> open = problemMark.flatMap(p -> YamlWords.oddSpace(text, p.getLine()));
      if (open.isEmpty()) open = OpenQuote.of(problem, context, problemMark, contextMark, text);
      if (open.isPresent()) {
        return Diagnostic.at(file, open.get().at(), "", open.get().message());
      }
      if (problemMark.isPresent() && followsDollar(text, problemMark.get())) {
        message += ": inside { } or [ ] YAML takes the { of ${...} for a mapping; quote the value, as in"
            + " path: \"${NAME:-default}\", or, for a number or true/false (a quoted value stays a string), write"
            + " the mapping in block style, one key per line";
      } else if (problemMark.isPresent()) {
        // The common mistakes in wiz's words, with the fix; others keep the parser's.
        message = YamlWords.of(problem, text, problemMark.get().getLine(), problemMark.get().getColumn()).orElse(message);
      }
      return at(file, mark, message);
    }
    if (e instanceof ReaderException r) {
      Location location = locationOfCodePoint(text, r.getPosition());
      String message =
          oneLine(r.getMessage())
              + String.format(" (character U+%04X); remove it or escape it", r.getCodePoint());
      return Diagnostic.at(file, location, "", message);
    }
    String message = oneLine(e.getMessage());
    return Diagnostic.at(file, Location.UNKNOWN, "", message.isEmpty() ? "invalid YAML" : message);
  }

  /** Whether the mark is at the { of a ${ in the text. */
  private static boolean followsDollar(String text, Mark mark) {
    String[] lines = text.split("\n", -1);
    if (mark.getLine() >= lines.length) return false;
    String line = lines[mark.getLine()];
    if (mark.getColumn() < 1 || mark.getColumn() >= line.codePointCount(0, line.length())) return false;
    int at = line.offsetByCodePoints(0, mark.getColumn());
    return line.charAt(at) == '{' && line.charAt(at - 1) == '$';
  }

  static Location location(Optional<Mark> mark) {
    return mark.map(m -> new Location(m.getLine() + 1, m.getColumn() + 1)).orElse(Location.UNKNOWN);
  }

  private static Diagnostic at(String file, Optional<Mark> mark, String message) {
    return Diagnostic.at(file, location(mark), "", message);
  }

  private static String position(Mark mark) {
    return (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  /** The first line of a snakeyaml message, without its source snippet. */
  private static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }

  private static Location locationOfCodePoint(String text, int index) {
    int line = 1;
    int column = 1;
    int seen = 0;
    for (int i = 0; i < text.length() && seen < index; i += Character.charCount(text.codePointAt(i))) {
      if (text.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
      seen++;
    }
    return new Location(line, column);
  }

  private static long utf8Length(String text) {
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Strict UTF-8 (a byte order mark is dropped); a bad byte is a located problem. */
  private static String decode(byte[] bytes, String file) throws InvalidPipelineException {
    int start = bytes.length >= 3
            && (bytes[0] & 0xFF) == 0xEF
            && (bytes[1] & 0xFF) == 0xBB
            && (bytes[2] & 0xFF) == 0xBF
        ? 3
        : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      CharBuffer chars = decoder.decode(in);
      return chars.toString();
    } catch (CharacterCodingException e) {
      int bad = Math.min(in.position(), bytes.length - 1);
      int line = 1;
      int column = 1;
      for (int i = start; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          column = 1;
        } else if ((bytes[i] & 0xC0) != 0x80) {
          column++;
        }
      }
      throw new InvalidPipelineException(
          new Diagnostic(
              file,
              line,
              column,
              "",
              String.format(
                  "the file is not UTF-8 text (byte 0x%02X at offset %d); save it as UTF-8",
                  bytes[bad] & 0xFF, bad)));
    }
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.internal.misc.OnigUtils;
import net.thisptr.jackson.jq.internal.operators.PlusOperator;
import net.thisptr.jackson.jq.path.Path;
import org.joni.Matcher;
import org.joni.Option;
import org.joni.Region;
import org.joni.exception.JOniException;

/**
 * jq's {@code sub} and {@code gsub}: jackson-jq's {@code _sub_impl/3}, on which its {@code sub/2},
 * {@code sub/3}, {@code gsub/2} and {@code gsub/3} are built, with the results of jq 1.6.
 *
 * <p>jackson-jq's own restarted the search at the end of an empty match, which is where it
 * began, so a regex that matches the empty string ({@code "\\s*"}, {@code "^"}, {@code ""}, a
 * lookahead) with the {@code g} flag added replacements forever, until the heap ran out. jq 1.6
 * loops forever there too. Here, as in jq 1.7, an empty match is replaced and the search goes on
 * one character after it: {@code "ab c" | gsub("x*"; "-")} is {@code "-a-b- -c-"}. A match that
 * reaches the end of the string is the last, as in jq 1.6 ({@code "ab c  " | gsub("\\s*$"; "!")}
 * is {@code "ab c!"}; jq 1.7 adds an empty match at the end: {@code "ab c!!"}).
 *
 * <p>Everything else is jq 1.6's: the replacement is evaluated with the named captures as an
 * object ({@code "\(.name)"}); a replacement with several outputs gives every combination, the
 * first match's varying fastest ({@code "abcb" | gsub("b"; "1", "2")} is {@code "a1c1"}, {@code
 * "a2c1"}, {@code "a1c2"}, {@code "a2c2"}; jq 1.7 pairs them up instead); {@code null} adds
 * nothing and any other value that is not a string is an error, as {@code "text" + value} is; the
 * outputs repeat once for each output of the flags, as jq 1.6's do. Unlike jq 1.6, which searched
 * the rest of the string after each match as a string of its own, the search sees the whole
 * string, as jq 1.7's does, so anchors and lookbehinds keep their meaning: {@code "aaa" |
 * gsub("^a"; "b")} is {@code "baa"} (jq 1.6: {@code "bbb"}).
 */
final class JqSub {
  private JqSub() {}

  /** {@code _sub_impl($re; replacement; flags)}. */
  static void apply(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
      throws JsonQueryException {
    if (!in.isTextual()) throw new JsonQueryTypeException("%s cannot be matched, as it is not a string", in);
    byte[] text = in.textValue().getBytes(StandardCharsets.UTF_8);
    args.get(0).apply(scope, in, regex -> {
      if (!regex.isTextual()) throw new JsonQueryTypeException("%s is not a string", regex);
      args.get(2).apply(scope, in, flags -> {
        if (!flags.isTextual() && !flags.isNull()) throw new JsonQueryTypeException("%s is not a string", flags);
        List<Match> matches = matches(pattern(regex.textValue(), flags.isNull() ? "" : flags.textValue()), text);
        // jq 1.6's sub evaluates its flags twice: every result comes once per flags output
        args.get(2).apply(scope, in, again -> replace(scope, args.get(1), text, matches, output));
      });
    });
  }

  /**
   * {@code _match_impl($re; flags; test)}, on which jq builds {@code match}, {@code test}, {@code
   * capture}, {@code scan}, {@code split/2} and {@code splits}: with {@code test} true whether the
   * regex matches, else an array of match objects (offsets and lengths in characters; a capture
   * that took no part has offset -1 and string null, in that order), as jq 1.6. An empty match has
   * its captures as any other, as in jq 1.8 and as {@code sub} gives them to the replacement:
   * {@code "abc" | capture("(?<x>z*)")} is {@code {"x":""}} and {@code "c" | capture("(?<x>a)?b?")}
   * is {@code {"x":null}}; jq 1.6 gives {@code {}} for both (an empty match had no captures), jq
   * 1.7 {@code {"x":""}} for both.
   *
   * <p>jackson-jq's decoded the matched text in the platform's charset (under {@code LANG=C}, on
   * Java 17, {@code "ä"} came back as {@code "��"}), and after an empty match searched again one
   * byte on, inside a character's UTF-8 bytes, which gave the empty match again: {@code "äb" |
   * [match("";"g").offset]} was {@code [0,0,1]}. jq 1.6 gives no output at all there. Here, as in
   * {@code sub}, the search goes on one character after an empty match ({@code [0,1]}), and an
   * empty match found after where the search began is not found twice ({@code "ab" |
   * [match("(?=b)";"g").offset]} is {@code [1]}; jq 1.6 and jackson-jq gave {@code [1,1]}). As in
   * jq 1.6, the search stops at the end of the string, so an empty match there is not reported
   * ({@code "ab" | [match("";"g").offset]} is {@code [0,1]}).
   */
  static void match(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
      throws JsonQueryException {
    if (!in.isTextual()) throw new JsonQueryTypeException("%s cannot be matched, as it is not a string", in);
    byte[] text = in.textValue().getBytes(StandardCharsets.UTF_8);
    args.get(0).apply(scope, in, regex -> {
      if (!regex.isTextual()) throw new JsonQueryTypeException("%s is not a string", regex);
      args.get(1).apply(scope, in, flags -> {
        if (!flags.isTextual() && !flags.isNull()) throw new JsonQueryTypeException("%s is not a string", flags);
        args.get(2).apply(scope, in, test -> {
          if (!test.isBoolean()) throw new JsonQueryTypeException("%s is not a boolean", test);
          OnigUtils.Pattern pattern = pattern(regex.textValue(), flags.isNull() ? "" : flags.textValue());
          JsonNode result;
          try {
            result = test.booleanValue()
                ? BooleanNode.valueOf(pattern.regex.matcher(text).search(0, text.length, Option.NONE) >= 0)
                : matchObjects(pattern, text);
          } catch (JOniException e) {
            throw regexFailure(e);
          }
          output.emit(result, null);
        });
      });
    });
  }

  /** The match objects of {@link #match}, left to right. */
  private static ArrayNode matchObjects(OnigUtils.Pattern pattern, byte[] text) {
    ArrayNode found = JsonNodeFactory.instance.arrayNode();
    Matcher m = pattern.regex.matcher(text);
    int[] chars = charOffsets(text);
    int from = 0;
    do {
      if (m.search(from, text.length, Option.NONE) < 0) break;
      int begin = m.getBegin();
      int end = m.getEnd();
      ObjectNode match = found.addObject();
      match.put("offset", chars[begin]);
      match.put("length", chars[end] - chars[begin]);
      match.put("string", new String(text, begin, end - begin, StandardCharsets.UTF_8));
      ArrayNode captures = match.putArray("captures");
      Region region = m.getRegion();
      if (region != null) { // an empty match's too, as jq 1.8 gives them (jq 1.6: none)
        for (int i = 1; i < region.getNumRegs(); i++) {
          ObjectNode capture = captures.addObject();
          int b = region.getBeg(i);
          int e = b >= 0 ? region.getEnd(i) : b;
          if (b >= 0 && e == b) { // no text: in jq's order, as jq writes it (1.6 and 1.7.1)
            capture.put("offset", chars[b]);
            capture.put("string", "");
            capture.put("length", 0);
          } else if (b >= 0) {
            capture.put("offset", chars[b]);
            capture.put("length", chars[e] - chars[b]);
            capture.put("string", new String(text, b, e - b, StandardCharsets.UTF_8));
          } else { // in jq 1.6's order
            capture.put("offset", -1);
            capture.putNull("string");
            capture.put("length", 0);
          }
          capture.put("name", pattern.names[i]);
        }
      }
      if (!pattern.global || end == text.length) break;
      from = begin == end ? end + sequenceLength(text[end]) : end;
    } while (from < text.length);
    return found;
  }

  /** The character offset of every byte offset of UTF-8 text, and of its end. */
  private static int[] charOffsets(byte[] text) {
    int[] at = new int[text.length + 1];
    int chars = 0;
    for (int i = 0; i < text.length; chars++) {
      int next = Math.min(text.length, i + sequenceLength(text[i]));
      while (i < next) at[i++] = chars;
    }
    at[text.length] = chars;
    return at;
  }

  private static final String NEEDS_STACK = "(?:(?!))?";

  /** jackson-jq's pattern for a regex and flags; a regex joni cannot compile is jq's error for it. */
  private static OnigUtils.Pattern pattern(String regex, String flags) throws JsonQueryException {
    try {
      // Under the n flag (joni's FIND_NOT_EMPTY) joni failed with a NullPointerException as soon as
      // a group of the regex took part in a match ("abc" | test("(b)"; "n")): it gives such a regex
      // no backtracking stack, which the flag makes a group need. An optional group that never
      // matches ahead of the regex makes it keep one, and changes nothing the regex matches.
      return new OnigUtils.Pattern(flags.indexOf('n') >= 0 && regex.indexOf('(') >= 0 ? NEEDS_STACK + regex : regex, flags);
    } catch (JOniException e) {
      throw regexFailure(e);
    }
  }

  /**
   * jq's error for a regex that does not compile. jackson-jq let joni's exception through, which
   * is no jq error: it failed the whole chunk, past {@code try} and {@code run.onError}.
   */
  static JsonQueryException regexFailure(JOniException e) {
    return new JsonQueryException("Regex failure: " + e.getMessage());
  }

  /** A match: its bytes of the UTF-8 text, and the named captures jq gives the replacement. */
  private record Match(int begin, int end, ObjectNode captures) {}

  /** Every match, left to right, one per place for the {@code g} flag, else the first. */
  private static List<Match> matches(OnigUtils.Pattern pattern, byte[] text) {
    List<Match> found = new ArrayList<>();
    Matcher m = pattern.regex.matcher(text);
    int from = 0;
    while (m.search(from, text.length, Option.NONE) >= 0) {
      int begin = m.getBegin();
      int end = m.getEnd();
      found.add(new Match(begin, end, captures(pattern, m.getRegion(), text)));
      if (!pattern.global || end == text.length) break;
      // after an empty match, on by one character (a UTF-8 sequence), which the next gap keeps
      from = begin == end ? end + sequenceLength(text[end]) : end;
    }
    return found;
  }

  /** The length of the UTF-8 sequence a byte starts (1 for a stray continuation byte). */
  private static int sequenceLength(byte lead) {
    int b = lead & 0xff;
    if (b >= 0xf0) return 4;
    if (b >= 0xe0) return 3;
    if (b >= 0xc0) return 2;
    return 1;
  }

  /** The named groups, each with its text, or null when it took no part in the match. */
  private static ObjectNode captures(OnigUtils.Pattern pattern, Region region, byte[] text) {
    ObjectNode captures = JsonNodeFactory.instance.objectNode();
    if (region == null) return captures;
    for (int i = 1; i < region.getNumRegs(); i++) {
      String name = pattern.names[i];
      if (name == null) continue;
      int begin = region.getBeg(i);
      captures.set(name, begin < 0 ? NullNode.getInstance()
          : TextNode.valueOf(new String(text, begin, region.getEnd(i) - begin, StandardCharsets.UTF_8)));
    }
    return captures;
  }

  /**
   * Emits the text with each match replaced, once for every combination of the replacement's
   * outputs: jq 1.6's {@code gap + replacement + (the rest, replaced)}, which takes the outputs of
   * the rest (the last match's) as its outer loop and evaluates the last match's first.
   */
  private static void replace(Scope scope, Expression replacement, byte[] text, List<Match> matches,
      PathOutput output) throws JsonQueryException {
    int n = matches.size();
    if (n == 0) {
      output.emit(TextNode.valueOf(new String(text, StandardCharsets.UTF_8)), null);
      return;
    }
    // pieces.get(i): every gap-before-match-i + replacement-of-match-i, one per output
    List<List<String>> pieces = new ArrayList<>(n);
    for (int i = 0; i < n; i++) pieces.add(null);
    PlusOperator plus = new PlusOperator();
    for (int i = n - 1; i >= 0; i--) {
      Match match = matches.get(i);
      int gapStart = i == 0 ? 0 : matches.get(i - 1).end();
      TextNode gap = TextNode.valueOf(new String(text, gapStart, match.begin() - gapStart, StandardCharsets.UTF_8));
      List<String> outs = new ArrayList<>(1);
      replacement.apply(scope, match.captures(), value -> {
        JsonNode piece = plus.apply(JqSupport.MAPPER, gap, value); // jq's error for a number, say
        outs.add(piece.textValue());
      });
      if (outs.isEmpty()) return; // a replacement with no output: no result at all
      pieces.set(i, outs);
    }
    Match last = matches.get(n - 1);
    String rest = new String(text, last.end(), text.length - last.end(), StandardCharsets.UTF_8);
    // an odometer over the outputs, the first match's digit turning fastest
    int[] digit = new int[n];
    StringBuilder b = new StringBuilder(text.length + 16);
    while (true) {
      b.setLength(0);
      for (int i = 0; i < n; i++) b.append(pieces.get(i).get(digit[i]));
      output.emit(TextNode.valueOf(b.append(rest).toString()), null);
      int i = 0;
      while (i < n && ++digit[i] == pieces.get(i).size()) digit[i++] = 0;
      if (i == n) return;
    }
  }
}

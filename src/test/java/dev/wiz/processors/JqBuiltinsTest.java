package dev.wiz.processors;

import static dev.wiz.processors.Harness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wiz.Json;
import dev.wiz.processors.Harness.Ctx;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builtins wiz defines over jackson-jq's give what jq 1.6 gives (outputs taken from jq 1.6). */
class JqBuiltinsTest {
  private static final String RECORD = "{\"a\":null,\"b\":[null,1],\"c\":{\"d\":null},\"s\":\"Ok \uD83D\uDE00 Done\"}";

  private static List<String> jq(String program) throws Exception {
    Ctx ctx = new Ctx();
    List<String> out = run(new JqFactory(), Json.mapper().createObjectNode().put("program", program).toString(), ctx, RECORD);
    assertEquals(List.of(), ctx.rejected, program);
    return out;
  }

  @Test
  void pathsIncludesPathsToNulls() throws Exception {
    assertEquals(List.of("[[\"a\"],[\"b\"],[\"b\",0],[\"b\",1],[\"c\"],[\"c\",\"d\"],[\"s\"]]"), jq("[paths]"));
    assertEquals(List.of("[[\"b\",1],[\"s\"]]"), jq("[leaf_paths]"), "paths(f) is jackson-jq's, and right");
    assertEquals(List.of("[]"), jq("[1 | paths]"));
  }

  @Test
  void hasOfANumberOnAnArrayIsWhetherItIsWithinTheLength() throws Exception {
    // jq 1.6 gives these; jackson-jq refused a number that is not an integer
    assertEquals(List.of("[true,true,false,false,true,true]"),
        jq(".b | [has(0), has(1.5), has(2), has(-1), has(-0.5), has(1.999)]"));
    assertEquals(List.of("[false,false,false,false]"), jq(".b | [has(nan), has(infinite), has(-infinite), (nan | in([1]))]"));
    assertEquals(List.of("[\"Cannot check whether array has a string key\"]"), jq(".b | [try has(\"a\") catch .]"));
  }

  @Test
  void deletingASliceOfNullDeletesNothing() throws Exception {
    // jackson-jq failed these with "A slice of an array can only be assigned another array"; jq 1.6 gives them
    assertEquals(List.of("{\"c\":{\"d\":null},\"s\":\"Ok \uD83D\uDE00 Done\"}"), jq("del(.x[1:], .a[:2], .a, .b)"));
    assertEquals(List.of("[null,[{}]]"), jq("[(null | del(.[1:])), ([{}] | del(.[0].x[:1]))]"));
    assertEquals(List.of("[[1],[null]]"), jq("[([1,2,3] | del(.[1:])), (.b | del(.[1:]))]"));
    assertEquals(List.of("\"Cannot index number with object\""), jq("try (.b[1] | del(.[1:])) catch ."));
  }

  @Test
  void atan2SaysJqsErrorAndTakesItsArgumentsInJqsOrder() throws Exception {
    // jq 1.6's outputs; jackson-jq said "cannot accept NULL as 0th argument of atan2/2; expected one of [NUMBER]"
    assertEquals(List.of("[\"null (null) number required\",\"string (\\\"x\\\") number required\"]"),
        jq("[(try atan2(.a; 1) catch .), (try atan2(1; \"x\") catch .)]"));
    assertEquals(List.of("[0.7853981633974483,1.1071487177940904,2.356194490192345,2.0344439357957027]"),
        jq("[atan2(1, 2; 1, -1)]"));
  }

  @Test
  void implodeKeepsCharactersBeyondTheBasicPlane() throws Exception {
    assertEquals(List.of("\"\uD83D\uDE00\u00e9\""), jq("[128512,233] | implode"));
    assertEquals(List.of("\"Ok \uD83D\uDE00 Done\""), jq(".s | explode | implode"));
    assertEquals(List.of("\"OK \uD83D\uDE00 DONE\""), jq(".s | ascii_upcase"));
    assertEquals(List.of("\"ok \uD83D\uDE00 done\""), jq(".s | ascii_downcase"));
  }

  @Test
  void implodeOfSomethingElseIsARecordError() throws Exception {
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\".b | implode\"}", ctx, RECORD);
    assertEquals(List.of(RECORD + " jq: input to implode() must be a list of codepoints; null found"),
        ctx.rejected);
  }

  @Test
  void base64dReadsUpToTheFirstEqualsSignAsJq16() throws Exception {
    // jq 1.6's outputs; jackson-jq's decoder refused the first five as "not valid base64 data"
    assertEquals(List.of("[\"a\",\"a\",\"abcd\",\"\",\"a\",\"\u2713 \u00e0 la mode\",\"string (\\\"YWJj!\\\") is not valid base64 data\","
        + "\"string (\\\"Y\\\") trailing base64 byte found\",\"string (\\\"YWJjZ\\\") trailing base64 byte found\"]"),
        jq("[\"YQ=\", \"YQ===\", \"YWJjZA=x\", \"=\", \"YW=Jj\", \"4pyTIMOgIGxhIG1vZGU\", \"YWJj!\", \"Y\", \"YWJjZ\"]"
            + " | map(try @base64d catch .)"));
    assertEquals(List.of("[\"string (\\\"5\\\") trailing base64 byte found\",\"string (\\\"12345\\\") trailing base64 byte found\","
        + "\"string (\\\"[1]\\\") is not valid base64 data\"]"), jq("[5, 12345, [1]] | map(try @base64d catch .)"),
        "a value that is no string is decoded as its text");
  }

  @Test
  void tojsonEscapesControlCharactersAsJq16() throws Exception {
    // jq 1.6's output; wiz wrote the hex digits of an escape in upper case (1B) and DEL as it is
    assertEquals(List.of("[\"\\\"\\\\u001b\\\\u007f\\\\u0000\\\\b\u00e9\\\"\",\"[\\\"\\\\u001b\\\\u007f\\\\u0000\\\\b\u00e9\\\"]\","
        + "\"{\\\"\\\\u001b\\\\u007f\\\\u0000\\\\b\u00e9\\\":1}\"]"),
        jq("\"\\u001b\\u007f\\u0000\\b\\u00e9\" | [tojson, ([.] | tojson), ({(.): 1} | @json)]"));
  }

  @Test
  void locationIsTheLineOfTheProgramAsJq16GivesIt() throws Exception {
    // jq 1.6's outputs (jq -n); wiz's jq said it has no $__loc__
    assertEquals(List.of("[{\"file\":\"<top-level>\",\"line\":1},1]"), jq("[$__loc__, $__loc__.line]"));
    assertEquals(List.of("{\"file\":\"<top-level>\",\"line\":2}"), jq("1 |\n $__loc__"));
    assertEquals(List.of("\"x {\\\"file\\\":\\\"<top-level>\\\",\\\"line\\\":3}\""),
        jq("\"$__loc__\" as $s\r\n|\r\ntry error(\"x \\($__loc__)\") catch ."), "in a string it is text; CR LF is one line break");
    assertEquals(List.of("[\"$__loc__\",[\"file\",\"line\"]]"), jq("\"$__loc__\" as $s | [$s, ($__loc__ | keys)]"));
    assertEquals(List.of("{\"at\":1,\"f\":\"<top-level>\",\"l\":{\"file\":\"<top-level>\",\"line\":1}}"),
        jq("{at: $__loc__.line, f: $__loc__[\"file\"], l: $__loc__}"), "as the value of a key too");
  }

  @Test
  void fromjsonSaysWhereAndWhyAStringIsNotJson() throws Exception {
    Ctx ctx = new Ctx();
    String record = "{\"s\":\"{\\\"\u00e9\\\":1,,}\"}";
    run(new JqFactory(), "{\"program\":\".s | fromjson\"}", ctx, record);
    assertEquals(List.of(record + " jq: failed to parse string (\"{\\\"\u00e9\\\":1,,}\") as json: column 8: expected a key "
        + "in double quotes, found ','"), ctx.rejected);
    assertEquals(List.of("{\"a\":[1,2.5]}"), jq("\"{\\\"a\\\":[1,2.50]}\" | fromjson"), "what is JSON reads as before");
  }

  @Test
  void fromjsonSaysInWizsWordsWhatJacksonJqCalledTrailingDataOrEmptyAndSkipsAByteOrderMark() throws Exception {
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\".s | fromjson\"}", ctx, "{\"s\":\"1 2\"}", "{\"s\":\" \"}", "{\"s\":\"\uFEFF[1,x]\"}");
    assertEquals(List.of(
        "{\"s\":\"1 2\"} jq: failed to parse string (\"1 2\") as json: column 3: a second value in the text after the first"
            + " ends at column 1",
        "{\"s\":\" \"} jq: failed to parse string (\" \") as json: the string holds no JSON value",
        "{\"s\":\"\uFEFF[1,x]\"} jq: failed to parse string (\"[1,x]\") as json: column 5: 'x' is not a JSON value (true, false,"
            + " null, a number, a string, an array or an object)"), ctx.rejected);
    assertEquals(List.of("1"), jq("\"\uFEFF1\" | fromjson"), "a byte order mark before the value is skipped, as jq does");
  }

  @Test
  void fromjsonOnAStringOfSeveralLinesNamesTheLineToo() throws Exception {
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\".s | fromjson\"}", ctx, "{\"s\":\"{\\n  \\\"a\\\": x\\n}\"}",
        "{\"s\":\"[1,\\r\\n2,]\"}", "{\"s\":\"1\\n\\n2\"}", "{\"s\":\"[1,\\n[2,\\n3\"}", "{\"s\":\"\uFEFF[1,\\nx]\"}");
    assertEquals(List.of(
        "{\"s\":\"{\\n  \\\"a\\\": x\\n}\"} jq: failed to parse string (\"{\\n  \\\"a\\\"...) as json: line 2, column 8: 'x'"
            + " is not a JSON value (true, false, null, a number, a string, an array or an object)",
        "{\"s\":\"[1,\\r\\n2,]\"} jq: failed to parse string (\"[1,\\r\\n2,]\") as json: line 2, column 2: a trailing"
            + " comma before ']': JSON allows none, remove it",
        "{\"s\":\"1\\n\\n2\"} jq: failed to parse string (\"1\\n\\n2\") as json: line 3, column 1: a second value in the"
            + " text after the first ends at line 1, column 1",
        "{\"s\":\"[1,\\n[2,\\n3\"} jq: failed to parse string (\"[1,\\n[2,\\n3\") as json: line 3, column 2: the text ends"
            + " inside an array opened at line 2, column 1",
        "{\"s\":\"\uFEFF[1,\\nx]\"} jq: failed to parse string (\"[1,\\nx]\") as json: line 2, column 1: 'x' is not a JSON"
            + " value (true, false, null, a number, a string, an array or an object)"), ctx.rejected);
  }

  @Test
  void indexRindexAndIndicesOnStringsCountCharactersAsLengthAndSlicesDo() throws Exception {
    String record = "{\"s\":\"a\u00e9\uD83D\uDE00b, c, d\",\"t\":\"aaaa\"}";
    assertEquals("[[4,7],4,7]", Harness.jqOne("[.s | indices(\", \"), index(\", \"), rindex(\", \")]", record));
    assertEquals("\"c, d\"", Harness.jqOne(".s | .[index(\", \") + 2:]", record), "the index is where a slice starts");
    assertEquals("[[0,1,2],0,2]", Harness.jqOne("[.t | indices(\"aa\"), index(\"aa\"), rindex(\"aa\")]", record),
        "overlapping matches, as on arrays");
    assertEquals("[[],null,null]", Harness.jqOne("[.s | indices(\"\"), index(\"z\"), rindex(\"z\")]", record));
    assertEquals("[null,[1,3]]", Harness.jqOne("[(null | index(\"a\")), ([0,1,2,1,2] | indices([1,2]))]", record),
        "null and arrays as before");
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\".t | index(1), indices(null)\"}", ctx, record);
    assertEquals(List.of(record + " jq: Cannot index string with number"), ctx.rejected, "jq's words, naming the argument");
  }

  @Test
  void streamingAndSetBuiltinsJacksonJqLacksAreThereAsJqDefinesThem() throws Exception {
    String record = "{\"a\":[1,{\"b\":2}],\"z\":{\"d\":1,\"c\":2}}";
    assertEquals("[[[\"a\",0],1],[[\"a\",1,\"b\"],2],[[\"a\",1,\"b\"]],[[\"a\",1]],[[\"z\",\"d\"],1],[[\"z\",\"c\"],2],"
        + "[[\"z\",\"c\"]],[[\"z\"]]]", Harness.jqOne("[tostream]", record));
    assertEquals(record, Harness.jqOne("fromstream(tostream)", record));
    assertEquals("[[[0],2],[[0]]]", Harness.jqOne("[1|truncate_stream([[0],1],[[1,0],2],[[1,0]],[[1]])]", record));
    assertEquals("[1,2,4,8,16]", Harness.jqOne("[1 | limit(5; repeat(. * 2))]", record));
    assertEquals("[1,2,3,3,2,3,3]", Harness.jqOne("[1 | limit(7; repeat(if . < 3 then . + 1, . + 1 else empty end))]", record),
        "depth first, as jq's recursion");
    assertEquals("200000", Harness.jqOne("last(limit(200000; 1 | repeat(. + 1)))", record), "no recursion to overflow");
    assertEquals("[true,false,true,false]", Harness.jqOne("[isempty(empty), isempty(1, error(\"x\")), (2 | IN(1, 2)),"
        + " IN(.a[]; 5)]", record));
    assertEquals("{\"1\":{\"id\":1},\"2\":{\"id\":2}}", Harness.jqOne("[{\"id\":1},{\"id\":2}] | INDEX(.id)", record));
    assertEquals("{\"d\":2,\"c\":3}", Harness.jqOne(".z | walk(if type == \"number\" then . + 1 else . end)", record),
        "walk keeps the order of keys, as jq 1.6 does");
    String deep = "{\"a\":" + "[".repeat(250) + "1" + "]".repeat(250) + "}";
    assertEquals("251", Harness.jqOne("walk(.) | [paths] | length", deep), "as deep as jq walks");
    assertEquals("[[1,10,[2,10,{\"x\":10}]],{\"a\":10,\"b\":{\"c\":20}},null]", Harness.jqOne("[([1,[2,{\"x\":3}]]"
        + " | walk(if type == \"number\" then (., 10) else . end)), ({\"a\":1,\"b\":{\"c\":2}} | walk(if type == \"number\""
        + " then (., . * 10) else . end)), ({\"a\":1} | walk(if type == \"number\" then empty else . end))]", record),
        "several outputs or none, as jq 1.6 gives them");
  }

  @Test
  void dateBuiltinsGiveWhatJq16Gives() throws Exception {
    String r = "{}";
    assertEquals("[2015,2,5,23,51,47,4,63]", Harness.jqOne("1425599507 | gmtime", r));
    assertEquals("[2015,2,5,23,51,47.90000009536743,4,63]", Harness.jqOne("1425599507.9 | gmtime", r));
    assertEquals("[1425599507,1457308307]", Harness.jqOne("[([2015,2,5,23,51,47.9,4,63], [2015,13,35,23,51,47]) | mktime]", r),
        "fields out of range carry over");
    assertEquals("\"Thursday, March 05, 2015 Thu Mar Mar 20 03/05/15  5 2015-03-05 23 11 064 23 11 03 51 PM 23:51 47 23:51:47"
        + " 4 4 15 2015 +0000 UTC %\"", Harness.jqOne("1425599507 | strftime(\"%A, %B %d, %Y %a %b %h %C %D %e %F %H %I %j %k"
        + " %l %m %M %p %R %S %T %u %w %y %Y %z %Z %%\")", r));
    assertEquals("\"Thu Mar  5 23:51:47 2015 | 11:51:47 PM | 1425599507 | 09 09 10 2015 15\"",
        Harness.jqOne("1425599507 | strftime(\"%c | %r | %s | %U %W %V %G %g\")", r));
    assertEquals("[2015,2,5,23,51,47,4,63]", Harness.jqOne("\"Thu, 05 Mar 2015 23:51:47 GMT\""
        + " | strptime(\"%a, %d %b %Y %H:%M:%S %Z\")", r));
    assertEquals("[2015,2,5,23,0,0,4,63]", Harness.jqOne("\" 5 march 15 11pm\" | strptime(\"%e %B %y %I%p\")", r));
    assertEquals("[2015,0,0,0,0,0,3,-1]", Harness.jqOne("\"2015\" | strptime(\"%Y\")", r), "day 0, as C leaves it");
    assertEquals("[2015,2,1,0,0,0,0,59]", Harness.jqOne("\"2015-060\" | strptime(\"%Y-%j\")", r));
    assertEquals("[1999,11,31,1,2,3,5,364]", Harness.jqOne("\"12/31/99 01:02:03 AM\" | strptime(\"%D %r\")", r));
    assertEquals("[1425599507,\"2015-03-05T23:51:47Z\",\"33658-09-27T01:46:40Z\",1425599507]", Harness.jqOne(
        "[(\"2015-03-05T23:51:47Z\" | fromdate), (1425599507.9 | todate), (1e12 | todate),"
        + " (\"2015-03-05T23:51:47+0100\" | strptime(\"%Y-%m-%dT%H:%M:%S%z\") | mktime)]", r),
        "an offset is read over and not applied, as in jq");
    assertEquals("[[2015,2,13,0,0,0,5,71],[2015,2,12,0,0,0,4,70],[2015,0,4,0,0,0,0,3],[2015,2,5,0,0,0,4,63]]", Harness.jqOne(
        "[(\"2015 10 5\" | strptime(\"%Y %U %w\")), (\"2015 10 4\" | strptime(\"%Y %W %u\")), (\"2015 1 0\" | strptime(\"%Y %U %w\")),"
        + " (\"2015-03-05 Thu\" | strptime(\"%Y-%m-%d %a\"))]", r), "a week and a weekday give the date, as in C");
    assertEquals("\"15 2015 23 03 05\"", Harness.jqOne("1425599507 | strftime(\"%Ey %EY %OH %Om %Od\")", r),
        "C's E and O modifiers are the plain specifiers in the C locale");
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\"(.a | strptime(\\\"%Y-%m-%d\\\")), (.b | mktime), (.c | strftime(\\\"%Y\\\"))\"}", ctx,
        "{\"a\":\"2015-03-05 x\"}", "{\"a\":\"2015-03-05\",\"b\":\"a\"}", "{\"a\":\"2015-03-05\",\"b\":[2015,0,1,0,0,0],\"c\":{}}");
    assertEquals(List.of(
        "{\"a\":\"2015-03-05 x\"} jq: date \"2015-03-05 x\" does not match format \"%Y-%m-%d\"",
        "{\"a\":\"2015-03-05\",\"b\":\"a\"} jq: mktime requires array inputs",
        "{\"a\":\"2015-03-05\",\"b\":[2015,0,1,0,0,0],\"c\":{}} jq: strftime/1 requires parsed datetime inputs"), ctx.rejected);
  }

  @Test
  void cMathFunctionsGiveWhatJq16Gives() throws Exception {
    String r = "{}";
    assertEquals("[[[0.75,1],[0.5,1],1.5,0,1,2,2,1.5],[[-0.75,1],[-0.5,-1],-1.5,0,-1,-2,-2,1.5],[[0.5,4],[0,8],1,3,8,8,8,8],"
        + "[[0.8,-3],[0.1,0],1.6,-4,0,0,0,0.1],[[0.862892704733909,-1028],[3e-310,0],1.725785409467818,-1029,0,0,0,3e-310]]",
        Harness.jqOne("[1.5, -1.5, 8, 0.1, 3e-310] | map([frexp, modf, significand, logb, trunc, nearbyint, rint, fabs])", r));
    assertEquals("[12,12,12,-3,1,2,0,2,1,-1,5,10,1.0000000000000002,0.9999999999999999,0,0.881373587019543,0.5493061443340548]",
        Harness.jqOne("[ldexp(3;2), scalb(3;2), scalbln(3;2), copysign(3;-1), drem(10;3), fdim(5;3), fdim(3;5), fmax(1;2),"
            + " fmin(1;2), fmod(-7;3), hypot(3;4), fma(2;3;4), nextafter(1;2), nexttoward(1;0), (1|acosh), (1|asinh),"
            + " (0.5|atanh)]", r));
    assertEquals("[null,4,4,4]", Harness.jqOne("[scalb(1; 2.7), scalb(1; 2), ldexp(1; 2.7), scalbln(1; 2.7)]", r),
        "C's scalb is NaN for an exponent that is not whole");
    assertEquals("[[2,3,4,9],[8,16,16,32],[1,1]]", Harness.jqOne("[[pow(2,3; 1,2)], [ldexp(1,2; 3,4)], [fmax(nan;1), fmin(1;nan)]]", r),
        "the first argument changes fastest, as in jq");
    assertEquals("[[-1.7976931348623157e+308,0,[0,0]],[[1.7976931348623157e+308,0],[0,1.7976931348623157e+308]],[null,0]]",
        Harness.jqOne("[[0|logb, significand, frexp], [infinite|frexp, modf], (nan|frexp)]", r));
    Ctx ctx = new Ctx();
    run(new JqFactory(), "{\"program\":\"(.a | fabs), (.b | floor)\"}", ctx, "{\"a\":\"x\"}", "{\"a\":1,\"b\":[1]}");
    assertEquals(List.of("{\"a\":\"x\"} jq: string (\"x\") number required",
        "{\"a\":1,\"b\":[1]} jq: array ([1]) number required"), ctx.rejected, "jq's words, for jackson-jq's functions too");
  }

  @Test
  void strptimeWithoutADateLeavesJqsPlaceholders() throws Exception {
    // jq 1.6's outputs: with no year, month or day read, C's strptime works out neither the day of the week
    // nor that of the year, and jq 1.6 leaves its placeholders 8 and 367 (wiz gave those of day 0: 0 and -1)
    String r = "{}";
    assertEquals("[[1900,0,0,10,15,0,8,367],[1900,0,0,10,0,0,4,367],[1900,0,0,0,0,0,8,63],[1900,0,0,0,0,0,8,367]]",
        Harness.jqOne("[\"10:15\" | strptime(\"%H:%M\"), (\"Thu 10\" | strptime(\"%a %H\")), (\"64\" | strptime(\"%j\")),"
            + " (\"\" | strptime(\"\"))]", r));
  }

  @Test
  void strptimeReadsANumberOnlyInItsRange() throws Exception {
    // jq 1.6's outputs; wiz carried an hour of 25 over into the next day, and a leap second into the next minute
    String r = "{}";
    assertEquals("[\"date \\\"25\\\" does not match format \\\"%H\\\"\",\"date \\\"10:61\\\" does not match format \\\"%H:%M\\\"\","
        + "\"date \\\"13 PM\\\" does not match format \\\"%I %p\\\"\",\"date \\\"2015-13-05\\\" does not match format \\\"%Y-%m-%d\\\"\","
        + "\"date \\\"2015-03-32\\\" does not match format \\\"%Y-%m-%d\\\"\",\"date \\\"367\\\" does not match format \\\"%j\\\"\","
        + "\"date \\\"8\\\" does not match format \\\"%u\\\"\"]",
        Harness.jqOne("[\"25\", \"10:61\", \"13 PM\", \"2015-13-05\", \"2015-03-32\", \"367\", \"8\"] as $in | [[\"%H\", \"%H:%M\","
            + " \"%I %p\", \"%Y-%m-%d\", \"%Y-%m-%d\", \"%j\", \"%u\"] | to_entries[] | . as $e | $in[$e.key]"
            + " | try strptime($e.value) catch .]", r));
    assertEquals("[[2015,2,5,23,59,60,4,63],1425600000]",
        Harness.jqOne("\"2015-03-05 23:59:60\" | strptime(\"%Y-%m-%d %T\") | [., mktime]", r), "a leap second as read");
  }

  @Test
  void errorAndGammaFunctionsGiveWhatJq16Gives() throws Exception {
    // jq 1.6's outputs (glibc 2.36); jackson-jq had none of these, and wiz's jq said "unknown function"
    String r = "{}";
    assertEquals("[[0,1],[-0.8427007929497149,1.842700792949715],[0.9661051464753108,0.033894853524689274],"
        + "[1.1283791670955126e-300,1]]", Harness.jqOne("[0, -1, 1.5, 1e-300] | map([erf, erfc])", r));
    assertEquals("[[0.9999999999999927,7.357847917974398e-15],[1,0],[-1,2],[null,null]]",
        Harness.jqOne("[5.5, infinite, -infinite, nan] | map([erf, erfc])", r));
    assertEquals("[1.772453850905516,0.886226925452758,1.329340388179137,-3.5449077018110318,362880,9.332621544394415e+155,"
        + "9.999999999999999e+299,-9.999999999999999e+299]",
        Harness.jqOne("[0.5, 1.5, 2.5, -0.5, 10, 100, 1e-300, -1e-300] | map(tgamma)", r));
    assertEquals("[1.7976931348623157e+308,null,null,1.7976931348623157e+308,null,null,1.7976931348623157e+308]",
        Harness.jqOne("[0, -1, -2, infinite, -infinite, nan, 172] | map(tgamma)", r), "poles, -infinity and overflow as C's");
    assertEquals("[0.5723649429247001,0,0,0.6931471805599453,0.2846828704729192,1.2655121234846454,0.8600470153764809,"
        + "690.7755278982137,21.2600761562447,359.13420536957545,220258509288.81058,1.7976931348623157e+308]",
        Harness.jqOne("[0.5, 1, 2, 3, 2.5, -0.5, -1.5, 1e-300, 13.5, 100, 1e10, 1e306] | map(lgamma)", r));
    assertEquals("[1.7976931348623157e+308,1.7976931348623157e+308,1.7976931348623157e+308,1.7976931348623157e+308,null]",
        Harness.jqOne("[0, -1, infinite, -infinite, nan] | map(lgamma)", r));
    assertEquals("[[0,1],[0.5723649429247001,1],[1.2655121234846454,-1],[0.8600470153764809,1],[1.7976931348623157e+308,1],"
        + "[1.7976931348623157e+308,1],[null,1]]", Harness.jqOne("[1, 0.5, -0.5, -1.5, 0, -3, nan] | map(lgamma_r)", r),
        "lgamma_r gives the sign of Gamma beside its log");
    assertEquals("[0.2846828704729192,1.2655121234846454]", Harness.jqOne("[2.5, -0.5] | map(gamma)", r), "C's old name of lgamma");
    assertEquals("[\"string (\\\"x\\\") number required\",\"null (null) number required\",\"array ([]) number required\","
        + "\"object ({}) number required\",\"boolean (true) number required\",\"string (\\\"1\\\") number required\"]",
        Harness.jqOne("[try (\"x\" | erf) catch ., try (null | lgamma_r) catch ., try ([] | tgamma) catch ., try ({} | gamma) catch .,"
            + " try (true | erfc) catch ., try (\"1\" | lgamma) catch .]", r));
  }

  @Test
  void tgammaOfAWholeNumberIsTheFactorialExactly() throws Exception {
    // glibc 2.36's tgamma, and so jq 1.6 on it, is off in the last place from 13 on: 479001599.99999994,
    // 6227020800.000001, 87178291199.99998, ..., 6402373705728001. wiz's is exact while the factorial is a double.
    assertEquals("[1,1,2,6,24,120,720,5040,40320,362880,3628800,39916800,479001600,6227020800,87178291200,1307674368000,"
        + "20922789888000,355687428096000,6402373705728000,121645100408832000,2432902008176640000,51090942171709440000,"
        + "1124000727777607700000]", Harness.jqOne("[range(1; 24) | tgamma]", "{}"));
  }

  @Test
  void bsearchAsJq16() throws Exception {
    // jq 1.6's outputs, programs run by it on RECORD
    assertEquals(List.of("[-1,0,1,2,-4,-3]"), jq("[[1,2,3] | bsearch(0), bsearch(1), bsearch(2), bsearch(3), bsearch(4), bsearch(2.5)]"));
    assertEquals(List.of("[-1,0,-2,1,-3,2,-4,3,-5]"),
        jq("[[1,3,5,7] | bsearch(0), bsearch(1), bsearch(2), bsearch(3), bsearch(4), bsearch(5), bsearch(6), bsearch(7), bsearch(8)]"));
    assertEquals(List.of("[-1]", "[0,-2,-1,-2,-2,-1,-2]"), jq("[[] | bsearch(1)], [[5] | bsearch(5,1,9)]"),
        "a target with several outputs runs again at each use, as in jq");
    assertEquals(List.of("[1,2,3,-1,-5]"), jq("[[\"a\",\"b\",[1],{\"x\":1}] | bsearch(\"b\"), bsearch([1]), bsearch({\"x\":1}),"
        + " bsearch(null), bsearch({\"y\":0})]"));
    assertEquals(List.of("[0,17,99,-101,-1,-52]"),
        jq("[range(100)] | [bsearch(0), bsearch(17), bsearch(99), bsearch(100), bsearch(-1), bsearch(50.5)]"));
    assertEquals(List.of("[0]"), jq("[[1,2]|bsearch(1.0)]"));
    assertEquals(List.of("[-1,-1,\"Cannot index string with number\"]"),
        jq("[({} | bsearch(1)), (null | bsearch(1)), (try (\"abc\" | bsearch(1)) catch .)]"));
  }

  @Test
  void joinAsJq16() throws Exception {
    String index = "[{\"id\":\"1\",\"n\":\"x\"},{\"id\":\"2\",\"n\":\"y\"}] | INDEX(.id) as $i | ";
    assertEquals(List.of("[[{\"k\":\"1\"},{\"id\":\"1\",\"n\":\"x\"}],[{\"k\":\"3\"},null]]"),
        jq(index + "[{\"k\":\"1\"},{\"k\":\"3\"}] | JOIN($i; .k)"));
    assertEquals(List.of("[[{\"k\":\"2\"},{\"id\":\"2\",\"n\":\"y\"}],[{\"k\":\"5\"},null]]"),
        jq(index + "[JOIN($i; ({\"k\":\"2\"},{\"k\":\"5\"}); .k)]"));
    assertEquals(List.of("[{\"k\":\"1\",\"id\":\"1\",\"n\":\"x\"},{\"k\":\"5\"}]"),
        jq(index + "[JOIN($i; ({\"k\":\"1\"},{\"k\":\"5\"}); .k; add)]"));
    assertEquals(List.of("\"Cannot index object with number\""), jq("try ([{\"k\":1}] | JOIN({\"1\":2}; .k)) catch ."));
  }

  @Test
  void formatRemainderAndScalarsOrEmptyAsJq16() throws Exception {
    assertEquals(List.of("[\"[null,1]\",\"[null,1]\",\",1\",\"\\t1\",\"[null,1]\",\"%5Bnull%2C1%5D\",\"null 1\",\"W251bGwsMV0=\"]"),
        jq("[.b | format(\"text\",\"json\",\"csv\",\"tsv\",\"html\",\"uri\",\"sh\",\"base64\")]"));
    assertEquals(List.of("[\"foo is not a valid format\",\"number (1) is not a valid format\","
        + "\"object ({\\\"a\\\":\\\"bcdef...) is not a valid format\",\"@text is not a valid format\","
        + "\"string (\\\"Ok \uD83D\uDE00 Done\\\") cannot be csv-formatted, only array\",\"hi\"]"),
        jq("[(.s | try format(\"foo\") catch .), (.s | try format(1) catch .), (.s | try format({\"a\":\"bcdefghijklmnop\"}) catch .),"
            + " (.s | try format(\"@text\") catch .), (.s | try format(\"csv\") catch .), (\"aGk=\" | format(\"base64d\"))]"));
    assertEquals(List.of("[1,-1,1,-0.5]"), jq("[remainder(7,8;3), remainder(-7;2), remainder(5.5;2)]"));
    assertEquals(List.of("[null,\"Ok \uD83D\uDE00 Done\",[],{},1,true]"), jq("[.a, .b, .c, .s, [], {}, 1, true] | map(scalars_or_empty)"));
  }

  @Test
  void indicesIndexAndRindexOfAnObjectAsJq16() throws Exception {
    // jq 1.6: indices($i) is .[$i] there, index .[$i] | .[0], rindex .[$i] | .[-1:][0]
    String record = "{\"n\":null,\"a\":[5,6],\"e\":[],\"s\":\"xyz\",\"o\":{\"k\":1},\"x\":1,\"t\":true}";
    String keys = "(\"n\",\"a\",\"e\",\"s\",\"o\",\"x\",\"t\",\"missing\",1,null) as $k";
    Ctx ctx = new Ctx();
    List<String> out = run(new JqFactory(), Json.mapper().createObjectNode().put("program",
        "[" + keys + " | try indices($k) catch .], [" + keys + " | try index($k) catch .], [" + keys + " | try rindex($k) catch .]")
        .toString(), ctx, record);
    assertEquals(List.of(
        "[null,[5,6],[],\"xyz\",{\"k\":1},1,true,null,\"Cannot index object with number\",\"Cannot index object with null\"]",
        "[null,5,null,\"Cannot index string with number\",\"Cannot index object with number\",\"Cannot index number with number\","
            + "\"Cannot index boolean with number\",null,\"Cannot index object with number\",\"Cannot index object with null\"]",
        "[null,6,null,\"Cannot index string with number\",\"Cannot index object with object\",\"Cannot index number with object\","
            + "\"Cannot index boolean with object\",null,\"Cannot index object with number\",\"Cannot index object with null\"]"), out);
  }

  @Test
  void whatTheRestOfTheProgramThrowsPassesThroughTheBuiltinsUntouched() throws Exception {
    // jq 1.6's outputs. first, isempty and label stop with a break thrown at the builtin's output;
    // jackson-jq's tostring and tojson, and interpolation, wrapped it (and any error) as their own.
    assertEquals(List.of("[\"1\",\"[1]\",\"1\",\"[1]\",1,false,\"[1]\"]"),
        jq("[first(1 | tostring), first([1] | tojson), (label $f | 1 | tostring | ., break $f), first(\"\\([1])\"),"
            + " first(1 | tostring | length), (1e3 | isempty(tostring)), first(\"[1]\" | fromjson | tojson)]"));
    assertEquals(List.of("[\"custom\",\"custom\",\"custom\",\"custom\",\"N/A\",\"custom\"]"),
        jq("[(try (1 | tostring | error(\"custom\")) catch .), (try (1 | tojson | error(\"custom\")) catch .),"
            + " (try (\"\\([1])\" | error(\"custom\")) catch .), (try (\"\\\"{1\\\"\" | fromjson | error(\"custom\")) catch .),"
            + " (try (\"5\" | tonumber | error(\"N/A\")) catch .), (try ([1] | implode | error(\"custom\")) catch .)]"));
    assertEquals(List.of("\"failed to parse string (\\\"{1\\\") as json: column 2: expected a key in double quotes, found '1'\""),
        jq("try (\"\\\"{1\\\"\" | fromjson | fromjson) catch ."), "the error of the second fromjson names its own input");
  }

  @Test
  void roundIsCsOnTheDoubleAndARepeatedStringTooLongIsTheRecordsError() throws Exception {
    // jq 1.6: round keeps infinities and numbers beyond a long (jackson-jq's went through a long)
    assertEquals(List.of("[1.7976931348623157e+308,-1.7976931348623157e+308,1e+20,-1e+20,3,-3,0,-1,1,2,-2,3,null]"),
        jq("[infinite, -infinite, 1e20, -1e20, 2.5, -2.5, 0.49999999999999994, -0.5, 0.5, 1.5, -1.5, 3, nan] | map(round)"));
    // jackson-jq failed the chunk with NegativeArraySizeException (jq 1.6 gives null, its int overflowing)
    assertEquals(List.of("\"string (\\\"ab\\\") cannot be repeated 100000000000 times: that is 200000000000 characters,"
        + " more than a string holds (at most 2147483639)\""), jq("try (100000000000 * \"ab\") catch ."));
    assertEquals(List.of("[\"ababab\",\"ab\",null]"), jq("[\"ab\" * 3, \"ab\" * 0.5, \"ab\" * 0]"));
  }

  @Test
  void recurseKeepsNullsAsJq16() throws Exception {
    // jq 1.6's outputs; jackson-jq's recurse(f) was jq 1.5's, which left out every null
    assertEquals(List.of("[[[null],false,0],[null],null,false,0]", "[[null,false],null,false]", "[{\"a\":null},null]",
            "[[\"b\",0],[\"c\",\"d\"]]"),
        jq("([[null],false,0] | [recurse(.[]?)]), ([null,false] | [recurse]), ({\"a\":null} | [recurse(.[]?)]),"
            + " ([path(recurse | select(. == null))] | .[1:])"));
  }

  @Test
  void joinTakesItsSeparatorFromTheInputAsItIs() throws Exception {
    // jq 1.6's outputs: the separator sees the numbers, not the text wiz joins them as
    assertEquals(List.of("\"1[1,2,3]2[1,2,3]3\"", "[\"string (\\\"3\\\") and number (3) cannot be added\"]", "[\"1,2\",\"1-2\"]"),
        jq("([1,2,3] | join(tostring)), ([3,1,2] | [try join(.[]) catch .]), ([1,2] | [join(\",\", \"-\")])"));
  }
}

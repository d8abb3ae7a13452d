package dev.wiz.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterpolatorTest {
  private final Interpolator interpolator =
      new Interpolator(Map.of("HOME", "/home/ann", "EMPTY", "", "SECRET", "hunter2")::get);

  private Interpolator.Result run(String text) {
    return interpolator.interpolate(text);
  }

  @Test
  void textWithoutDollarBraceIsReturnedAsIs() {
    Interpolator.Result r = run("plain $HOME text $ {x}");
    assertEquals("plain $HOME text $ {x}", r.value());
    assertTrue(r.ok());
    assertFalse(r.whole());
    assertEquals(Set.of(), r.names());
  }

  @Test
  void setVariableIsSubstitutedInsideText() {
    Interpolator.Result r = run("${HOME}/data/${HOME}");
    assertEquals("/home/ann/data//home/ann", r.value());
    assertEquals(Set.of("HOME"), r.names());
    assertFalse(r.whole());
  }

  @Test
  void defaultIsUsedWhenUnset() {
    assertEquals("out/x", run("${OUT_DIR:-out}/x").value());
  }

  @Test
  void defaultIsUsedWhenSetButEmptyLikeTheShell() {
    assertEquals("fallback", run("${EMPTY:-fallback}").value());
  }

  @Test
  void setButEmptyWithoutDefaultGivesEmptyString() {
    Interpolator.Result r = run("a${EMPTY}b");
    assertTrue(r.ok());
    assertEquals("ab", r.value());
  }

  @Test
  void emptyDefaultGivesEmptyString() {
    Interpolator.Result r = run("${NOPE:-}");
    assertTrue(r.ok());
    assertEquals("", r.value());
    assertTrue(r.whole());
  }

  @Test
  void setValueWinsOverDefault() {
    assertEquals("/home/ann", run("${HOME:-/tmp}").value());
  }

  @Test
  void defaultMayContainColonsDashesAndSpaces() {
    assertEquals("a:-b c", run("${NOPE:-a:-b c}").value());
  }

  @Test
  void doubleDollarWritesLiteralDollarBrace() {
    Interpolator.Result r = run("cost $${HOME} and ${HOME}");
    assertEquals("cost ${HOME} and /home/ann", r.value());
    assertEquals(Set.of("HOME"), r.names());
  }

  @Test
  void substitutedValuesAreNotScannedAgain() {
    Interpolator i = new Interpolator(Map.of("A", "${B}", "B", "no")::get);
    assertEquals("${B}", i.interpolate("${A}").value());
  }

  @Test
  void wholeIsTrueOnlyForExactlyOneExpression() {
    assertTrue(run("${HOME}").whole());
    assertFalse(run(" ${HOME}").whole());
    assertFalse(run("${HOME}${HOME}").whole());
    assertFalse(run("$${HOME}").whole());
  }

  @Test
  void unsetVariableWithoutDefaultIsAProblemNamingItAndTheFix() {
    Interpolator.Result r = run("x/${DATA_DIR}");
    assertEquals(
        List.of(
            new Interpolator.Problem(
                2,
                "environment variable DATA_DIR is not set (export it, or write"
                    + " ${DATA_DIR:-default})")),
        r.problems());
    assertEquals(Set.of("DATA_DIR"), r.names());
  }

  @Test
  void unterminatedExpressionIsAProblemAtItsStart() {
    Interpolator.Result r = run("ab${HOME");
    assertEquals(1, r.problems().size());
    assertEquals(2, r.problems().get(0).offset());
    assertEquals(
        "unterminated ${: close it with }, or write $${ for a literal ${",
        r.problems().get(0).message());
  }

  @Test
  void badNamesAreProblems() {
    assertEquals(
        "'1ABC' is not a variable name: use letters, digits and _, not starting with a digit,"
            + " as in ${NAME} or ${NAME:-default}",
        run("${1ABC}").problems().get(0).message());
    assertEquals(1, run("${A-B}").problems().size());
    assertEquals(1, run("${A:default}").problems().size());
    assertEquals(
        "${} names no variable: write ${NAME} or ${NAME:-default}",
        run("${}").problems().get(0).message());
  }

  @Test
  void everyProblemOfOneScalarIsReported() {
    Interpolator.Result r = run("${A1} ${9} ${B2:-ok} ${C3}");
    assertEquals(List.of(0, 6, 21), r.problems().stream().map(Interpolator.Problem::offset).toList());
    assertEquals(Set.of("A1", "B2", "C3"), r.names());
  }

  @Test
  void valuesNeverAppearInProblems() {
    Interpolator.Result r = run("${SECRET}${MISSING}${SECRET:-x}${");
    assertEquals(2, r.problems().size());
    r.problems().forEach(p -> assertFalse(p.message().contains("hunter2"), p.message()));
  }

  @Test
  void aDefaultMayHoldExpressionsOfItsOwnUsedOnlyWhenItIs() {
    assertEquals("fallback", run("${NOPE:-${ALSO_NOPE:-fallback}}").value());
    assertEquals("/home/ann/x", run("${NOPE:-${HOME:-/tmp}}/x").value());
    assertEquals("/home/ann", run("${HOME:-${UNSET_WITHOUT_DEFAULT}}").value(), "not used: not looked up");
    assertTrue(run("${HOME:-${UNSET_WITHOUT_DEFAULT}}").ok());
    assertEquals("a-${lit}-b", run("${NOPE:-a-$${lit}-b}").value());
    assertEquals("deep", run("${A:-${B:-${C:-deep}}}").value());
    Interpolator.Result whole = run("${NOPE:-${HOME}}");
    assertTrue(whole.whole(), "still one expression: typed after substitution");
    assertEquals(Set.of("NOPE", "HOME"), whole.names());
  }

  @Test
  void aNestedDefaultsProblemIsAtItsOwnOffsetAndItsValueIsRedacted() {
    Interpolator.Result r = run("x ${NOPE:-${MISSING}}");
    assertEquals(1, r.problems().size());
    assertEquals(10, r.problems().get(0).offset(), "at the inner ${");
    assertTrue(r.problems().get(0).message().startsWith("environment variable MISSING is not set"));
    Interpolator.Result secret = run("${NOPE:-pre-${SECRET}}!");
    assertEquals("pre-hunter2!", secret.value());
    Interpolation i = new Interpolation(secret.value(), "${NOPE:-pre-${SECRET}}!", secret.pieces());
    assertEquals("value '${NOPE:-pre-${SECRET}}!' is bad", i.redact("value 'pre-hunter2!' is bad"));
    assertEquals("saw ${SECRET} here", i.redact("saw hunter2 here"));
    assertEquals(9, i.writtenOffset(1), "the default's own text maps to where it is written");
    assertEquals(12, i.writtenOffset(4), "inside the variable's value: its ${");
    assertEquals(22, i.writtenOffset(11), "after the expression");
    Interpolator.Result open = run("${NOPE:-${}");
    assertEquals(1, open.problems().size());
    assertTrue(open.problems().get(0).message().startsWith("unterminated ${"), open.problems().toString());
  }

  @Test
  void aValueCutShortInAMessageIsRedactedToo() {
    Interpolator.Result r = run("x-${SECRET}");
    Interpolation i = new Interpolation(r.value(), "x-${SECRET}", r.pieces());
    java.util.Map<String, String> swaps = new java.util.LinkedHashMap<>();
    i.variables(swaps);
    assertEquals("string (\"${SECRET}) and ${SECRET}, not hunt", Interpolation.swap("string (\"hunt...) and hunter2, not hunt", swaps));
    assertEquals("hunter22 and ahunter2", Interpolation.swap("hunter22 and ahunter2", swaps), "only whole words");
  }
}

package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code debug} and {@code stderr} pass their input on and write it as a line of the step's log. */
class JqDebugTest {
  private final List<String> lines = new ArrayList<>();

  private List<String> run(String program, String record) throws Exception {
    Expression e = Expression.require(program, "/program");
    JqScope scope = Expression.newScope();
    scope.debugTo(lines::add);
    List<String> out = new ArrayList<>();
    for (JsonNode v : e.all(scope, Harness.json(record))) out.add(Harness.text(v));
    return out;
  }

  @Test
  void debugWritesJqsDebugLineAndPassesItsInputOn() throws Exception {
    // wiz validate refused both as unknown functions
    assertEquals(List.of("{\"id\":1,\"n\":2}"), run(".tags |= map(debug) | {id, n: (.tags | length)}",
        "{\"id\":1,\"tags\":[\"a\",{\"b\":1.50}]}"));
    assertEquals(List.of("[\"DEBUG:\",\"a\"]", "[\"DEBUG:\",{\"b\":1.50}]"), lines, "numbers as written, compact");
  }

  @Test
  void stderrWritesTheValueAlone() throws Exception {
    assertEquals(List.of("3"), run("[.a, 1e3] | stderr | .[0] + 1", "{\"a\":2}"));
    assertEquals(List.of("[2,1000]"), lines, "a number jq computes as jq writes it");
  }

  @Test
  void theyKeepPathsAndEachOutputIsWrittenOnce() throws Exception {
    assertEquals(List.of("[[\"a\"]]"), run("[path(.a | debug)]", "{\"a\":[1]}"));
    assertEquals(List.of("1", "2"), run(".[] | debug", "[1,2]"));
    assertEquals(List.of("[\"DEBUG:\",[1]]", "[\"DEBUG:\",1]", "[\"DEBUG:\",2]"), lines);
  }

  @Test
  void withNoStepAroundThemTheyWriteNothing() throws Exception {
    Expression e = Expression.require("debug | stderr", "/program");
    assertEquals(1, e.all(Expression.newScope(), Json.mapper().readTree("1")).size());
    assertEquals(List.of(), Expression.check("debug, stderr", "/program"));
  }
}

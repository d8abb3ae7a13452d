package dev.wiz.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wiz.Json;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.RunCancelledException;
import dev.wiz.processors.Harness.Ctx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run's cancellation stops a processor between two records, and a jq evaluation in the middle
 * of a record: a program that would run for ever ends with {@link RunCancelledException}, never
 * as an error of the record (which jq's {@code try} could catch).
 */
class JqStopTest {
  /** Far longer than any of these take once cancelled (milliseconds), far shorter than the programs run uncancelled. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  /**
   * A context whose run is cancelled from its {@code asks}+1-th look at the flag on: the first
   * looks are the processor's, before each record; the later ones come from inside jq.
   */
  private static Ctx cancelledAfter(int asks) {
    Ctx ctx = new Ctx();
    AtomicInteger n = new AtomicInteger();
    ctx.cancelledWhen = () -> n.incrementAndGet() > asks;
    return ctx;
  }

  private static RunCancelledException stops(ProcessorFactory f, String config, Ctx ctx, String... records) {
    return assertTimeoutPreemptively(BOUND, () -> assertThrows(RunCancelledException.class,
        () -> Harness.run(f, config, ctx, records)));
  }

  private static String jq(String program) {
    return Json.mapper().createObjectNode().put("program", program).toString();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "last(range(1e15))",
    "reduce range(1e15) as $i (0; . + $i)",
    "first(range(1e15) | select(. < 0))",
    "any(range(1e15); . < 0)",
    "[range(0; 1e15; 0.5)] | length",
    "def f(n): if n == 0 then 0 else (f(n - 1), f(n - 1)) end; last(f(60))",
    "[limit(3; range(1e15) | select(. < 0))]",
    "try last(range(1e15)) catch \"caught\"",
    "[last(range(1e15))?]",
    "label $out | range(1e15) | if . < 0 then (., break $out) else empty end",
    "path(last(range(1e15)))",
    // a function defined inside a node wiz put in the program (a negation, a computed index)
    "-(def f(n): if n == 0 then 0 else (f(n - 1), f(n - 1)) end; last(f(60)))",
    ".[def f(n): if n == 0 then 0 else (f(n - 1), f(n - 1)) end; \"k\\(last(f(60)))\"]",
  })
  void aProgramThatWouldRunForEverStopsInTheMiddleOfTheRecord(String program) {
    // The first look is the processor's, before the record; every later one is jq's.
    RunCancelledException e = stops(new JqFactory(), jq(program), cancelledAfter(3), "{\"id\":1}");
    assertTrue(e.getMessage().contains("the run is being cancelled"), e.getMessage());
  }

  @Test
  void jqsTryDoesNotTurnTheStopIntoAnOutput() {
    Ctx ctx = cancelledAfter(3);
    stops(new JqFactory(), jq("(try last(range(1e15)) catch \"caught\"), \"after\""), ctx, "{}");
    assertEquals(List.of(), ctx.rejected, "not a record error either");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "filter    | {\"where\": \"last(range(1e15)) > 0\"}",
    "set       | {\"fields\": {\"n\": \"last(range(1e15))\"}}",
    "sort      | {\"by\": [{\"key\": \"last(range(1e15))\"}]}",
    "aggregate | {\"groupBy\": {\"n\": \"last(range(1e15))\"}}",
    "dedupe    | {\"key\": \"last(range(1e15))\"}",
  })
  void everyProcessorThatEvaluatesJqStopsInTheMiddleOfARecord(String type, String config) {
    ProcessorFactory f = switch (type) {
      case "filter" -> new FilterFactory();
      case "set" -> new SetFactory();
      case "sort" -> new SortFactory();
      case "aggregate" -> new AggregateFactory();
      case "dedupe" -> new DedupeFactory();
      default -> throw new IllegalArgumentException(type);
    };
    stops(f, config, cancelledAfter(3), "{\"id\":1}");
  }

  @Test
  void aProcessorStopsBetweenRecordsOnceTheRunIsCancelled() {
    RunCancelledException jq = stops(new JqFactory(), jq("."), cancelledAfter(2), "{\"id\":1}", "{\"id\":2}", "{\"id\":3}");
    assertEquals("jq: stopped after 2 of 3 records of the chunk: the run is being cancelled", jq.getMessage());
    RunCancelledException select = stops(new SelectFactory(), "{\"fields\": [\"id\"]}", cancelledAfter(1),
        "{\"id\":1}", "{\"id\":2}");
    assertEquals("select: stopped after 1 of 2 records of the chunk: the run is being cancelled", select.getMessage());
  }

  @Test
  void withoutACancellationTheChecksChangeNothing() throws Exception {
    Ctx ctx = new Ctx();
    assertEquals(List.of("99999", "[0,1]"), Harness.run(new JqFactory(),
        jq("def f(n): if n == 0 then [] else (f(n - 1) | . + [n - 1]) end; if .n then last(range(.n)) else f(2) end"), ctx,
        "{\"n\":100000}", "{}"));
  }
}

package dev.wiz.processors;

import static dev.wiz.processors.Harness.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every type that makes each output record of one input record says which ({@link Chunk#from()}),
 * so that a later step can still name a record by its input line; one that cannot be sure says -1.
 */
class RecordOriginsTest {
  /** The index of the input record each output record was made from, as the type says. */
  private static List<Integer> from(ProcessorFactory f, String config, Harness.Ctx ctx, List<JsonNode> in) throws Exception {
    Chunk out = Harness.process(f, config, ctx, in);
    int[] from = out.from();
    if (from == null) throw new AssertionError(f.type() + " does not say where its records came from");
    List<Integer> indices = new ArrayList<>();
    for (int k = 0; k < from.length; k++) {
      indices.add(from[k]);
      JsonNode made = out.records().get(k);
      // A record passed on as it is must be said to come from itself.
      if (IntStream.range(0, in.size()).anyMatch(j -> in.get(j) == made)) assertSame(in.get(from[k]), made);
    }
    return indices;
  }

  private static List<Integer> from(ProcessorFactory f, String config, String... in) throws Exception {
    return from(f, config, new Harness.Ctx(), records(in));
  }

  @Test
  void jqAndExplodeGiveEachOfSeveralOutputsTheIndexOfTheirRecord() throws Exception {
    assertEquals(List.of(0, 0, 2), from(new JqFactory(), "{\"program\":\".xs[]\"}", "{\"xs\":[1,2]}", "{\"xs\":[]}", "{\"xs\":[3]}"));
    assertEquals(List.of(0, 0, 2), from(new ExplodeFactory(), "{\"field\":\"xs\"}", "{\"xs\":[1,2]}", "{\"xs\":[]}", "{\"xs\":[3]}"));
  }

  @Test
  void typesThatDropOrRejectRecordsSayWhichWereKept() throws Exception {
    assertEquals(List.of(0, 2), from(new FilterFactory(), "{\"where\":\".k\"}", "{\"k\":1}", "{\"k\":false}", "{\"k\":2}"));
    assertEquals(List.of(0, 2), from(new DedupeFactory(), "{\"key\":\".k\"}", "{\"k\":1}", "{\"k\":1}", "{\"k\":2}"));
    assertEquals(List.of(0, 1), from(new LimitFactory(), "{\"count\":2}", "{\"k\":1}", "{\"k\":1}", "{\"k\":2}"));
    assertEquals(List.of(0, 2), from(new ValidateFactory(), "{\"schema\":{\"type\":\"object\",\"required\":[\"k\"]}}",
        "{\"k\":1}", "{}", "{\"k\":2}"));
    assertEquals(List.of(0, 2), from(new CastFactory(), "{\"fields\":{\"k\":\"int\"}}", "{\"k\":\"1\"}", "{\"k\":\"x\"}", "{\"k\":\"2\"}"));
    assertEquals(List.of(0, 2), from(new SelectFactory(), "{\"fields\":[\"k\"]}", "{\"k\":1}", "[]", "{\"k\":2}"));
    assertEquals(List.of(0, 2), from(new RegexFactory(), "{\"field\":\"s\",\"pattern\":\"(?<d>[0-9])\",\"onMismatch\":\"drop\"}",
        "{\"s\":\"a1\"}", "{\"s\":\"b\"}", "{\"s\":\"3\"}"));
    assertEquals(List.of(0, 1, 2), from(new RegexFactory(), "{\"field\":\"s\",\"pattern\":\"(?<d>[0-9])\"}",
        "{\"s\":\"a1\"}", "{\"s\":\"b\"}", "{\"s\":\"3\"}"));
    assertEquals(List.of(0, 1), from(new HashFactory(), "{\"fields\":[\"e\"]}", "{\"e\":\"a@b\"}", "{\"x\":1}"));
    assertEquals(List.of(0, 1), from(new SetFactory(), "{\"fields\":{\"y\":\".x + 1\"}}", "{\"x\":1}", "{\"x\":2}"));
    assertEquals(List.of(0, 2), from(new LookupFactory(), "{\"file\":\"pipelines/data/countries.csv\",\"format\":\"csv\","
        + "\"key\":\".c\",\"fileKey\":\".code\",\"unmatched\":\"drop\"}", "{\"c\":\"FR\"}", "{\"c\":\"XX\"}", "{\"c\":\"JP\"}"));
    List<JsonNode> many = records(IntStream.range(0, 50).mapToObj(i -> "{\"i\":" + i + "}").toArray(String[]::new));
    List<Integer> sampled = from(new SampleFactory(), "{\"fraction\":0.5}", new Harness.Ctx(), many);
    assertEquals(sampled.stream().sorted().distinct().toList(), sampled, "in order, each once");
  }

  @Test
  void aLimitThatKeepsEveryRecordPassesTheChunkOnAsItIs() throws Exception {
    try (Processor p = new LimitFactory().prepare(Harness.json("{\"count\":2}"), Harness.SETUP).get()) {
      p.init(new Harness.Ctx());
      Chunk given = new Chunk("c", 0, records("{\"k\":1}"), 0);
      assertSame(given.records(), p.process(given).records(), "the very list: each record keeps its line");
    }
  }

  @Test
  void execTiesAnAnswerToItsRecordOnlyWhenThePairingIsCertain() throws Exception {
    // Answers each record with itself, and one holding a 2 with null, which drops it.
    String answers = "{\"command\":[\"sed\",\"-u\",\"s/.*2.*/null/\"],\"protocol\":\"line-per-record\"}";
    Harness.Ctx once = new Harness.Ctx();
    once.oneChunk = true;
    assertEquals(List.of(0, 2), from(new ExecFactory(), answers, once, records("{\"k\":1}", "{\"k\":2}", "{\"k\":3}")),
        "one process for the chunk: every line it wrote was seen; null drops the second");
    assertEquals(List.of(-1, -1), from(new ExecFactory(), answers, new Harness.Ctx(), records("{\"k\":1}", "{\"k\":2}", "{\"k\":3}")),
        "a process that serves several chunks may answer late");
    assertEquals(List.of(-1, -1), from(new ExecFactory(), "{\"command\":[\"cat\"]}", once, records("{\"k\":1}", "{\"k\":3}")),
        "stream: the program may drop, make or reorder records");
  }
}

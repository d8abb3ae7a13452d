package dev.wiz.io;

import static dev.wiz.io.IoTesting.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A file sink writes gzip exactly when its name says so; an option that says otherwise is a config error. */
class SinkCompressionTest {
  @Test
  void theNameSaysGzipInAnyCase() {
    for (String gz : List.of("out.jsonl.gz", "o.GZ", "d/x.csv.gzip", "a.Gzip")) assertTrue(SinkCompression.gzipName(gz), gz);
    for (String text : List.of("out.jsonl", ".gz", "d.gz/x", "x.gzipped", "x.tgz", "gz", "dir/.gzip")) {
      assertFalse(SinkCompression.gzipName(text), text);
    }
  }

  @Test
  void theLevelIsTheOptionsOrSixAndNoneForTextAndStdout() {
    assertEquals(6, SinkCompression.gzipLevel(spec("type", "file", "path", "o.jsonl.gz")));
    assertEquals(1, SinkCompression.gzipLevel(spec("type", "file", "path", "o.jsonl.gz", "compression", "gzip").put("level", 1)));
    assertEquals(0, SinkCompression.gzipLevel(spec("type", "file", "path", "o.jsonl")));
    assertEquals(0, SinkCompression.gzipLevel(spec("type", "stdout")));
  }

  @Test
  void anOptionThatContradictsTheNameIsAConfigErrorSayingWhatToDo() {
    assertEquals(List.of(), SinkCompression.check(spec("type", "file", "path", "o.jsonl.gz", "compression", "gzip").put("level", 9)));
    assertEquals(List.of(), SinkCompression.check(spec("type", "file", "path", "o.jsonl", "compression", "none")));
    assertEquals(List.of(), SinkCompression.check(spec("type", "stdout")));
    assertEquals(List.of(new PathOverlaps.Problem("/sink/compression", "compression is none, but 'out/o.jsonl.gz' ends in"
        + " .gz, which tells every reader (zcat, gzip -d, wiz's file source) that it holds gzip: leave compression out to"
        + " write gzip, or name the file 'out/o.jsonl' to write text")),
        SinkCompression.check(spec("type", "file", "path", "out/o.jsonl.gz", "compression", "none").put("level", 3)));
    assertEquals(List.of(new PathOverlaps.Problem("/sink/compression", "compression is gzip, but 'o.csv' does not end in"
        + " .gz, so readers would take its gzip data for text: name the file 'o.csv.gz' (the name alone says gzip), or"
        + " leave compression out to write text")),
        SinkCompression.check(spec("type", "file", "path", "o.csv", "compression", "gzip")));
    assertEquals(List.of(new PathOverlaps.Problem("/sink/level", "level is the gzip level, but 'o.csv' is written as text"
        + " (its name does not end in .gz): name the file 'o.csv.gz' to write gzip, or leave level out")),
        SinkCompression.check(spec("type", "file", "path", "o.csv").put("level", 9)));
  }
}

package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code provenance show} says of a chunk that sent nothing, its records dead-lettered by a failed program. */
class ShowEmptySendTest {
  @Test
  void aSendOfNoBytesWithoutADigestShowsNoNullDigest(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("in.jsonl"), "{\"a\":1}\n{\"a\":2}\n");
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nsource: { type: file, path: in.jsonl }\n"
        + "processors:\n  - id: ex\n    type: exec\n    config: { command: [/bin/sh, -c, 'exit 3'] }\n"
        + "sink: { type: file, path: out.jsonl }\nrun: { onError: dead-letter, maxAttempts: 1 }\n");
    CliHarness wiz = new CliHarness(dir);
    assertEquals(5, wiz.run("-q", "run", "p.yaml").code());
    String chunk = wiz.run("provenance", "list").out().split("\t", 2)[0];
    CliHarness.Result show = wiz.run("provenance", "show", chunk);
    assertEquals(0, show.code(), show.toString());
    // it said "0 bytes, 0 records (null)": the chunk's SEND logs no digest when a chunk error sent nothing
    assertTrue(show.out().contains("out.jsonl at byte 0: 0 bytes, 0 records\n"), show.toString());
    assertFalse(show.out().contains("(null)"), show.toString());
  }
}

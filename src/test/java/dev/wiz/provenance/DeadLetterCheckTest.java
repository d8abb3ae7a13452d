package dev.wiz.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.wiz.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter file held against the DEAD_LETTER events of its log. */
class DeadLetterCheckTest {
  private Path file;

  @BeforeEach
  void fileSystem() {
    file = Jimfs.newFileSystem(Configuration.unix()).getPath("/dead-letter.jsonl");
  }

  private static Event dead(String chunk, long offset, String lines) {
    byte[] b = lines.getBytes(StandardCharsets.UTF_8);
    return Event.of(EventType.DEAD_LETTER, chunk).records(1, 0)
        .deadLetters(new Event.DeadLetterRef(offset, b.length, Json.digest(b))).build();
  }

  @Test
  void aLogWithoutDigestsIsNotCheckedWhenThereIsAFileAndHasNothingToCheckWhenThereIsNone() throws Exception {
    List<Event> old = List.of(Event.of(EventType.DEAD_LETTER, "c").records(1, 0).build());
    DeadLetterCheck.Result none = DeadLetterCheck.check(file, old, true);
    assertEquals(new DeadLetterCheck.Result(true, 0, Optional.empty()), none);
    assertFalse(none.any(), "nothing to say");
    Files.writeString(file, "{}\n");
    DeadLetterCheck.Result notChecked = DeadLetterCheck.check(file, old, true);
    assertEquals(new DeadLetterCheck.Result(false, 0, Optional.empty()), notChecked);
    assertTrue(notChecked.any());
  }

  @Test
  void theLinesMustFollowOneAnotherFromTheFirstByteAndARunThatDidNotEndMayHaveWrittenMore() throws Exception {
    Files.writeString(file, "a\nb\nc\n");
    List<Event> log = List.of(dead("c1", 0, "a\n"), dead("c2", 2, "b\n"));
    assertEquals(new DeadLetterCheck.Result(true, 4, Optional.empty()), DeadLetterCheck.check(file, log, false),
        "a crashed run's dead letters of chunks it did not commit");
    assertEquals(Optional.of("6 bytes, but the run wrote 4 bytes of dead letters: bytes were added after the run"),
        DeadLetterCheck.check(file, log, true).problem());
    Files.writeString(file, "a\nb\n");
    assertEquals(Optional.empty(), DeadLetterCheck.check(file, log, true).problem());
    assertEquals(Optional.of("bytes 0 to 2 are no chunk's dead letters: the log records none there"),
        DeadLetterCheck.check(file, List.of(dead("c2", 2, "b\n")), true).problem());
  }
}

package dev.wiz.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  @Test
  void swappedLettersCountAsOneEdit() {
    assertEquals(1, Suggestions.distance("fitler", "filter"));
    assertEquals(Optional.of("filter"), Suggestions.closest("fitler", List.of("jq", "filter")));
    assertEquals(Optional.of("workers"), Suggestions.closest("wrokers", List.of("seed", "workers", "onError")));
  }

  @Test
  void missingExtraAndWrongLettersAreSuggested() {
    assertEquals(Optional.of("file"), Suggestions.closest("fiel", List.of("file", "stdin")));
    assertEquals(Optional.of("stdin"), Suggestions.closest("stin", List.of("file", "stdin")));
    assertEquals(Optional.of("maxAttempts"), Suggestions.closest("maxAttemps", List.of("maxAttempts", "maxFailures")));
  }

  @Test
  void caseIsIgnored() {
    assertEquals(Optional.of("onError"), Suggestions.closest("onerror", List.of("workers", "onError")));
  }

  @Test
  void farWordsGetNoSuggestion() {
    assertEquals(Optional.empty(), Suggestions.closest("kafka", List.of("file", "stdin")));
    assertEquals(Optional.empty(), Suggestions.closest("x", List.of("jq")));
    assertEquals(Optional.empty(), Suggestions.closest("", List.of("jq")));
    assertEquals(Optional.empty(), Suggestions.closest("jq", List.of()));
  }

  @Test
  void tiesGoToTheCandidateThatSortsFirstWhateverTheOrder() {
    assertEquals(Optional.of("bat"), Suggestions.closest("cat", List.of("hat", "bat")));
    assertEquals(Optional.of("bat"), Suggestions.closest("cat", List.of("bat", "hat")));
  }
}

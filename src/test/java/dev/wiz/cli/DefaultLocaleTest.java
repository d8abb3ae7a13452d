package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What wiz writes does not depend on the machine's locale. */
class DefaultLocaleTest extends JimfsCliTest {
  @Test
  void aTurkishLocaleChangesNoMessageNorOutput() throws IOException {
    // jackson-jq lower-cases type names with the default locale: in Turkish, STRING became strıng.
    Files.writeString(work.resolve("in.jsonl"), "{\"a\":\"i\"}\n");
    Files.writeString(work.resolve("p.yaml"), String.join("\n",
        "wiz: 1",
        "source: { type: file, path: in.jsonl }",
        "processors:",
        "  - { id: e, type: jq, config: { program: '[(try (.a - 1) catch .), (.a | ascii_upcase), (try (.a | keys) catch .)]' } }",
        "sink: { type: stdout }",
        ""));
    Locale before = Locale.getDefault();
    CliHarness.Result r;
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      r = wiz.run("-q", "run", "p.yaml");
    } finally {
      Locale.setDefault(before);
    }
    assertEquals(0, r.code(), r.toString());
    assertEquals("[\"string (\\\"i\\\") and number (1) cannot be subtracted\",\"I\",\"string (\\\"i\\\") has no keys\"]\n", r.out());
  }
}

package dev.wiz.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which runs --resume refuses as made by another wiz: another version, or another build of it. */
class OtherWizTest {
  private static final Map<String, String> OURS = Map.of("wiz", "0.1.0-SNAPSHOT", "build", "c2da2-19ae6a5c3b8", "java", "17.0.15");

  @Test
  void anotherVersionOrAnotherBuildOfTheSameVersionIsAnotherWiz() {
    assertEquals("wiz 0.0.9, and this is wiz 0.1.0-SNAPSHOT",
        RunService.otherWiz(Map.of("wiz", "0.0.9", "build", "c2da2-19ae6a5c3b8"), OURS));
    assertEquals("another build of wiz 0.1.0-SNAPSHOT (c2da1-19ae6a5c3b9; this is c2da2-19ae6a5c3b8)",
        RunService.otherWiz(Map.of("wiz", "0.1.0-SNAPSHOT", "build", "c2da1-19ae6a5c3b9"), OURS));
  }

  @Test
  void theSameBuildOnAnotherJavaIsThisWizAndSoIsAnyWhenThisOneRunsFromClasses() {
    assertNull(RunService.otherWiz(Map.of("wiz", "0.1.0-SNAPSHOT", "build", "c2da2-19ae6a5c3b8", "java", "25.0.3"), OURS));
    assertEquals("another build of wiz 0.1.0-SNAPSHOT (one that did not record its build; this is c2da2-19ae6a5c3b8)",
        RunService.otherWiz(Map.of("wiz", "0.1.0-SNAPSHOT"), OURS), "a wiz from before builds were recorded");
    assertNull(RunService.otherWiz(Map.of("wiz", "0.1.0-SNAPSHOT", "build", "c2da1-19ae6a5c3b9"),
        Map.of("wiz", "0.1.0-SNAPSHOT")), "this one runs from classes");
    assertNull(RunService.otherWiz(Map.of("java", "17"), OURS), "no version recorded: nothing to tell");
  }
}

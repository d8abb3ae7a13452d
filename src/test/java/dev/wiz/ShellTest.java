package dev.wiz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShellTest {
  @Test
  void aWordTheShellTakesAsItIsStaysAsItIs() {
    assertEquals("pipelines/quick-start_1.yaml", Shell.quote("pipelines/quick-start_1.yaml"));
    assertEquals("/tmp/a,b:c@d%e+f=g", Shell.quote("/tmp/a,b:c@d%e+f=g"));
  }

  @Test
  void anyOtherWordIsSingleQuoted() {
    assertEquals("'my pipe.yaml'", Shell.quote("my pipe.yaml"));
    assertEquals("'it'\\''s'", Shell.quote("it's"));
    assertEquals("''", Shell.quote(""));
    assertEquals("'$HOME/*.yaml'", Shell.quote("$HOME/*.yaml"));
    assertEquals("'~/p.yaml'", Shell.quote("~/p.yaml"), "a leading ~ would be expanded");
    assertEquals("'a\nb'", Shell.quote("a\nb"));
  }
}

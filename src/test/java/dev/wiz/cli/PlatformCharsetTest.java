package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wiz's text is UTF-8 whatever the platform's charset: Java 17 takes it from the locale, which is
 * ASCII under {@code LANG=C} (cron, containers, CI). jackson-jq's {@code @base64} and {@code match}
 * used it: {@code "é" | @base64} was {@code "Pw=="}, a {@code "?"}.
 */
class PlatformCharsetTest {
  private static final Path LAUNCHER = Path.of("bin", "wiz").toAbsolutePath();

  @Test
  void jqsTextIsUtf8UnderAnAsciiPlatformCharset(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("p.yaml"), """
        wiz: 1
        name: charset
        source: {type: stdin}
        processors:
          - id: j
            type: jq
            config:
              program: '[@base64, @base64 "\\(.)", [match("ä+"; "g") | [.offset, .length, .string]], (capture("(?<w>ö+)") | .w), ([scan("é")] | length)]'
        sink: {type: stdout}
        """);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-Dfile.encoding=US-ASCII", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), "dev.wiz.cli.Main", "-q", "run", "p.yaml")
        .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (var in = p.getOutputStream()) {
      in.write("\"éxää äöö\"\n".getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("[\"w6l4w6TDpCDDpMO2w7Y=\",\"w6l4w6TDpCDDpMO2w7Y=\",[[2,2,\"ää\"],[5,1,\"ä\"]],\"öö\",1]\n", out);
  }

  /**
   * bin/wiz runs Java under a UTF-8 LC_CTYPE where the locale is C, POSIX or unset, and leaves any
   * other locale alone. It is run from a copy of itself beside an empty jar, with a {@code java}
   * that prints the locale it was given.
   */
  @Test
  void theLauncherRunsJavaInAUtf8LocaleWhereTheLocaleIsCOrUnset(@TempDir Path home) throws Exception {
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("target"));
    Files.copy(LAUNCHER, home.resolve("bin/wiz"));
    Files.writeString(home.resolve("target/wiz.jar"), "");
    Path fake = Files.createDirectories(home.resolve("fake"));
    Files.writeString(fake.resolve("java"), "#!/bin/sh\necho \"LC_ALL=${LC_ALL-unset} LC_CTYPE=${LC_CTYPE-unset} LANG=${LANG-unset}\"\n");
    fake.resolve("java").toFile().setExecutable(true);
    assertEquals("LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=unset", launch(home, Map.of()));
    assertEquals("LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=C", launch(home, Map.of("LANG", "C")));
    assertEquals("LC_ALL=C.UTF-8 LC_CTYPE=unset LANG=en_US.UTF-8", launch(home, Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")));
    assertEquals("LC_ALL=unset LC_CTYPE=C.UTF-8 LANG=en_US.UTF-8", launch(home, Map.of("LC_CTYPE", "POSIX", "LANG", "en_US.UTF-8")));
    assertEquals("LC_ALL=unset LC_CTYPE=unset LANG=en_US.UTF-8", launch(home, Map.of("LANG", "en_US.UTF-8")));
    assertEquals("LC_ALL=de_DE.ISO-8859-1 LC_CTYPE=unset LANG=C", launch(home, Map.of("LC_ALL", "de_DE.ISO-8859-1", "LANG", "C")));
  }

  private static String launch(Path home, Map<String, String> locale) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/wiz").toString(), "--version"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_") || k.endsWith("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS")
        || k.equals("JAVA_HOME"));
    env.put("PATH", home.resolve("fake") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.putAll(locale);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }
}

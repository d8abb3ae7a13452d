package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which java {@code bin/wiz} runs, and the class-data archive it makes for it. The launcher is run
 * from a copy of itself beside an empty jar, with fake javas that print who they are and the
 * archive they were given; one of them makes an ahead-of-time cache as Java 25 does, the other
 * refuses that option as Java 17 does and makes a dynamic archive.
 */
class LauncherJavaTest {
  private static final Path LAUNCHER = Path.of("bin", "wiz").toAbsolutePath();

  /** A fake java named NAME: AOT (Java 25 and later) or not (Java 17). */
  private static void fakeJava(Path bin, String name, boolean aot) throws IOException {
    Files.createDirectories(bin);
    String script = "#!/bin/bash\n"
        + "for a in \"$@\"; do case $a in\n"
        + (aot ? "  -XX:AOTCacheOutput=*) echo aot >\"${a#*=}\"; exit 0 ;;\n"
               : "  -XX:AOTCacheOutput=*) echo \"Unrecognized VM option '${a#-XX:}'\" >&2; exit 1 ;;\n")
        + "  -XX:ArchiveClassesAtExit=*) echo cds >\"${a#*=}\"; exit 0 ;;\n"
        + "  -XX:SharedArchiveFile=*) archive=${a#*=} ;;\n"
        + "esac; done\n"
        + "echo \"" + name + " ${archive##*/} $(cat \"$archive\")\"\n";
    Files.writeString(bin.resolve("java"), script);
    bin.resolve("java").toFile().setExecutable(true);
  }

  /** A copy of the launcher beside an empty jar, with a Java 17 on the PATH. */
  private static void copyLauncher(Path home) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("target"));
    Files.copy(LAUNCHER, home.resolve("bin/wiz"));
    Files.writeString(home.resolve("target/wiz.jar"), "");
    fakeJava(home.resolve("path"), "java17", false);
  }

  private static String launch(Path home, Map<String, String> vars) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", home.resolve("bin/wiz").toString(), "--version"))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.endsWith("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JAVA_HOME"));
    env.put("PATH", home.resolve("path") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TMPDIR", home.toString());
    env.putAll(vars);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void theJavaOfJavaHomeRunsWizWithAnArchiveOfItsOwn(@TempDir Path home) throws Exception {
    copyLauncher(home);
    Path jdk25 = home.resolve("jdk-25");
    fakeJava(jdk25.resolve("bin"), "java25", true);

    assertEquals("java17 wiz.jsa cds", launch(home, Map.of()), "the java on the PATH, with a Java 17 archive");
    String own = "wiz" + jdk25.resolve("bin/java").toString().replaceAll("[^A-Za-z0-9.-]", "_") + ".jsa";
    assertEquals("java25 " + own + " aot", launch(home, Map.of("JAVA_HOME", jdk25.toString())),
        "the java of JAVA_HOME, with an ahead-of-time cache of its own");
    assertEquals("java17 wiz.jsa cds", launch(home, Map.of()), "the PATH's archive is left as it was");
    assertEquals("java17 wiz.jsa cds", launch(home, Map.of("JAVA_HOME", home.resolve("no-such-jdk").toString())),
        "a JAVA_HOME without bin/java is passed over");
    assertTrue(Files.exists(home.resolve("target").resolve(own)));
  }

  @Test
  void aJavaHomeOlderThan17IsPassedOverWithAWarning(@TempDir Path home) throws Exception {
    copyLauncher(home);
    for (String version : List.of("11.0.2", "1.8.0_292")) {
      Path old = home.resolve("jdk-" + version);
      fakeJava(old.resolve("bin"), "old", false);
      Files.writeString(old.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
      assertEquals("java17 wiz.jsa cds", launch(home, Map.of("JAVA_HOME", old.toString())), version);
    }
    Path newer = home.resolve("jdk-21");
    fakeJava(newer.resolve("bin"), "java21", false);
    Files.writeString(newer.resolve("release"), "JAVA_VERSION=\"21.0.1\"\n");
    assertTrue(launch(home, Map.of("JAVA_HOME", newer.toString())).startsWith("java21 "));
  }
}

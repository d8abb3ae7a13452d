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

  /**
   * A fake java that refuses -Xfoo as the JVM does (exit 1 before any main), answers -version,
   * and otherwise is wiz: it exits with the code WIZ_EXIT gives (1: an internal error of wiz's own).
   * Each start is a line of {@code calls}.
   */
  private static void refusingJava(Path home) throws IOException {
    String script = "#!/bin/bash\n"
        + "echo \"$*\" >>\"" + home.resolve("calls") + "\"\n"
        + "for a in \"$@\"; do case $a in\n"
        + "  -XX:AOTCacheOutput=*) exit 1 ;;\n"
        + "  -XX:ArchiveClassesAtExit=*) echo cds >\"${a#*=}\"; exit 0 ;;\n"
        + "  -Xfoo) printf 'Unrecognized option: -Xfoo\\nError: Could not create the Java Virtual Machine.\\n"
        + "Error: A fatal exception has occurred. Program will exit.\\n' >&2; exit 1 ;;\n"
        + "  -version) echo 'openjdk version \"17\"' >&2; exit 0 ;;\n"
        + "esac; done\n"
        + "echo wiz; exit ${WIZ_EXIT:-0}\n";
    Files.writeString(home.resolve("path/java"), script);
  }

  private record Launched(int code, String out, String err) {}

  private static Launched launchWith(Path home, Map<String, String> vars) throws IOException, InterruptedException {
    Path err = home.resolve("stderr");
    ProcessBuilder pb = new ProcessBuilder(List.of("bash", home.resolve("bin/wiz").toString(), "validate", "p.yaml"))
        .redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.endsWith("JAVA_OPTS") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JAVA_HOME")
        || k.equals("JDK_JAVA_OPTIONS"));
    env.put("PATH", home.resolve("path") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("TMPDIR", home.toString());
    env.putAll(vars);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    return new Launched(code, out, Files.readString(err));
  }

  private static long starts(Path home) throws IOException {
    return Files.exists(home.resolve("calls")) ? Files.readAllLines(home.resolve("calls")).size() : 0;
  }

  @Test
  void wizJavaOptsTheJvmRefusesIsAUsageErrorNamingThemAndWizsOwnExit1IsLeftAsItIs(@TempDir Path home) throws Exception {
    copyLauncher(home);
    refusingJava(home);
    assertEquals(0, launchWith(home, Map.of()).code()); // makes the archive
    Files.delete(home.resolve("calls"));

    // Without WIZ_JAVA_OPTS: one java, wiz's.
    Launched plain = launchWith(home, Map.of());
    assertEquals(new Launched(0, "wiz\n", ""), plain);
    assertEquals(1, starts(home));

    Launched refused = launchWith(home, Map.of("WIZ_JAVA_OPTS", "-Xss8m -Xfoo"));
    assertEquals(2, refused.code(), refused.toString());
    assertEquals("", refused.out());
    assertEquals("wiz: the JVM refused WIZ_JAVA_OPTS (-Xss8m -Xfoo): Unrecognized option: -Xfoo: fix or unset"
        + " WIZ_JAVA_OPTS\n", refused.err());
    assertEquals(3, starts(home), "the trial with them, then one without them: wiz never started");

    // Options the JVM takes: tried once, then remembered; wiz's own exit 1 (an internal error) is its own.
    Files.delete(home.resolve("calls"));
    Map<String, String> fine = Map.of("WIZ_JAVA_OPTS", "-Xss8m", "WIZ_EXIT", "1");
    assertEquals(new Launched(1, "wiz\n", ""), launchWith(home, fine));
    assertEquals(2, starts(home), "the trial (-version), then wiz");
    assertTrue(Files.readAllLines(home.resolve("calls")).get(0).endsWith(" -Xss8m -version"));
    assertEquals(new Launched(1, "wiz\n", ""), launchWith(home, fine));
    assertEquals(3, starts(home), "remembered: wiz alone");

    // A launcher newer than what it remembered tries again.
    assertTrue(home.resolve("bin/wiz").toFile().setLastModified(System.currentTimeMillis() + 10_000));
    assertEquals(1, launchWith(home, fine).code());
    assertEquals(5, starts(home), "tried again");

    // An agent is not tried (it would run, or wait for its debugger, in the trial).
    Files.delete(home.resolve("calls"));
    assertEquals(0, launchWith(home, Map.of("WIZ_JAVA_OPTS", "-javaagent:x.jar")).code());
    assertEquals(1, starts(home));
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

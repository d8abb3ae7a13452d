package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JVM options {@code bin/wiz} chooses (WIZ_LAUNCHER_PRINT=1 prints them and runs nothing): its
 * own, and how the user's options replace them.
 */
class LauncherOptionsTest {
  private static final Path LAUNCHER = Path.of("bin", "wiz").toAbsolutePath();
  private static final List<String> COMPILER = List.of("-XX:Tier4InvocationThreshold=20000",
      "-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=160000", "-XX:FreqInlineSize=100",
      "-XX:InlineSmallCode=1000", "-Dsun.reflect.inflationThreshold=2147483647");

  /** The options for these arguments, with these variables set (and none of the JVM's own). */
  private static List<String> options(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("WIZ_JAVA_OPTS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("WIZ_LAUNCHER_PRINT", "1");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.isEmpty() ? List.of() : List.of(out.split("\n"));
  }

  /** What the launcher adds for the heap's pages on this machine's kernel. */
  private static List<String> pages() throws IOException {
    Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    if (!Files.isReadable(thp)) return List.of();
    String mode = Files.readString(thp);
    return mode.contains("[madvise]") || mode.contains("[always]") ? List.of("-XX:+UseTransparentHugePages") : List.of();
  }

  private static List<String> concat(List<String> a, List<String> b, List<String> c) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    all.addAll(c);
    return all;
  }

  @Test
  void aRunHasWizsCollectorHeapAndCompilerSettingsAndBothCompilers() throws Exception {
    assertEquals(concat(List.of("-XX:+UseParallelGC", "-Xmn512m", "-Xms640m"), COMPILER, pages()),
        options(Map.of(), "-q", "run", "p.yaml"));
  }

  @Test
  void commandsThatRunNoPipelineHaveTheQuickCompilerAlone() throws Exception {
    for (List<String> args : List.<List<String>>of(List.of("validate", "p.yaml"), List.of("-q", "graph", "p.yaml"),
        List.of("--version"), List.of("schema"), List.of("processors", "list"), List.of("init", "p.yaml"), List.of("help", "run"),
        List.of())) {
      List<String> o = options(Map.of(), args.toArray(String[]::new));
      assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"), o.subList(o.size() - 2, o.size()), args + ": " + o);
    }
    for (List<String> args : List.of(List.of("run", "p.yaml"), List.of("provenance", "list"), List.of("requests"),
        List.of("--", "validate"), List.of("@args.txt"))) {
      assertFalse(options(Map.of(), args.toArray(String[]::new)).contains("-XX:TieredStopAtLevel=1"), args.toString());
    }
  }

  @Test
  void aCompilerOptionOfTheUsersReplacesTheQuickCompiler() throws Exception {
    List<String> o = options(Map.of("WIZ_JAVA_OPTS", "-XX:TieredStopAtLevel=4"), "validate", "p.yaml");
    assertFalse(o.contains("-XX:TieredStopAtLevel=1"), o.toString());
    assertEquals("-XX:TieredStopAtLevel=4", o.get(o.size() - 1), "the user's options come last");
    assertFalse(options(Map.of("JDK_JAVA_OPTIONS", "-XX:-TieredCompilation"), "validate", "p.yaml")
        .contains("-XX:TieredStopAtLevel=1"));
    List<String> threads = options(Map.of("JAVA_TOOL_OPTIONS", "-XX:CICompilerCount=2"), "validate", "p.yaml");
    assertFalse(threads.contains("-XX:TieredStopAtLevel=1") || threads.contains("-XX:CICompilerCount=1"), threads.toString());
  }

  @Test
  void aHeapSizeOfTheUsersReplacesWizsHeapSizes() throws Exception {
    for (Map<String, String> env : List.of(Map.of("WIZ_JAVA_OPTS", "-Xmx64m"), Map.of("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=10"),
        Map.of("JAVA_TOOL_OPTIONS", "-Xms1g"))) {
      List<String> o = options(env, "run", "p.yaml");
      assertTrue(o.contains("-XX:+UseParallelGC"), env + ": " + o);
      assertFalse(o.contains("-Xmn512m") || o.contains("-Xms640m"), env + ": " + o);
    }
  }

  @Test
  void aCollectorOfTheUsersReplacesWizsCollectorAndHeapSizes() throws Exception {
    List<String> o = options(Map.of("WIZ_JAVA_OPTS", "-XX:+UseG1GC"), "run", "p.yaml");
    assertEquals(concat(COMPILER, pages(), List.of("-XX:+UseG1GC")), o);
  }

  @Test
  void aLargePageOptionOfTheUsersReplacesWizs() throws Exception {
    List<String> o = options(Map.of("WIZ_JAVA_OPTS", "-XX:-UseTransparentHugePages"), "run", "p.yaml");
    assertEquals(List.of("-XX:-UseTransparentHugePages"), o.stream().filter(s -> s.contains("HugePages")).toList());
  }
}

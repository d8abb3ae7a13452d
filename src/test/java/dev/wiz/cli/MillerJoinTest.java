package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.TreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lookup} against {@code mlr join -j id -f users.csv} (Miller 6) on the same files: the same
 * records, in the same order, with the same values where docs/processors/lookup.md says they agree.
 * Values are compared as text, since Miller infers numbers from csv text and wiz keeps it, and
 * fields as sets, since Miller puts the join field and the file's fields first (both differences
 * are documented). Skipped when {@code mlr} is not installed.
 */
class MillerJoinTest {
  @TempDir
  Path dir;

  @BeforeEach
  void files() throws IOException {
    assumeTrue(millerVersion().startsWith("mlr 6"), "mlr 6 is not installed: the comparison with mlr join is skipped");
    // 4 is in no order; 5 in no user; "1.0" is not "1" as text; an order's own name (even "") wins.
    Files.writeString(dir.resolve("users.csv"), "id,name,country\n1,Ada,UK\n2,Linus,FI\n3,Grace,US\n5,Ken,JP\n");
    Files.writeString(dir.resolve("orders.csv"), "id,amount,name\n4,40,z\n1,10,\n2,20,y\n1.0,5,w\n3,7,x\n");
    Files.writeString(dir.resolve("orders.jsonl"), "{\"id\":1,\"amount\":10}\n{\"id\":\"2\",\"amount\":20}\n"
        + "{\"id\":1.0,\"amount\":30}\n{\"id\":4,\"amount\":40}\n{\"id\":3,\"amount\":50,\"country\":\"CA\"}\n");
  }

  private static String millerVersion() {
    try {
      Process p = new ProcessBuilder("mlr", "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private List<Map<String, String>> miller(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("mlr"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(true, p.waitFor(30, TimeUnit.SECONDS), "mlr ended");
    assertEquals(0, p.exitValue(), out);
    return records(out);
  }

  private List<Map<String, String>> wiz(String source, String lookupConfig) throws Exception {
    Files.writeString(dir.resolve("p.yaml"), "wiz: 1\nname: join\nsource: " + source + "\nprocessors:\n"
        + "  - id: users\n    type: lookup\n    config: " + lookupConfig + "\nsink: { type: stdout, format: jsonl }\n");
    CliHarness.Result r = new CliHarness(dir).run("run", "-q", "p.yaml", "--force");
    assertEquals(0, r.code(), r.toString());
    return records(r.out());
  }

  /** Each line's record as its fields' texts, by name: a number as written (1.0 stays 1.0). */
  private static List<Map<String, String>> records(String jsonLines) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : jsonLines.split("\n")) {
      if (line.isBlank()) continue;
      Map<String, String> r = new TreeMap<>();
      JsonNode n = TreeReader.parse(line);
      for (var it = n.fields(); it.hasNext(); ) {
        var e = it.next();
        r.put(e.getKey(), e.getValue().isNumber() ? Json.records().writeValueAsString(e.getValue()) : e.getValue().asText());
      }
      out.add(r);
    }
    return out;
  }

  @Test
  void anInnerJoinOfTwoCsvFilesIsUnmatchedDrop() throws Exception {
    List<Map<String, String>> mlr = miller("--icsv", "--ojsonl", "join", "-j", "id", "-f", "users.csv", "orders.csv");
    assertEquals(3, mlr.size(), mlr.toString());
    assertEquals(mlr, wiz("{ type: file, path: orders.csv, format: csv }",
        "{ file: users.csv, format: csv, key: .id, keyAs: string, unmatched: drop }"));
  }

  @Test
  void keepingUnpairedRecordsOfTheStreamIsUnmatchedKeep() throws Exception {
    List<Map<String, String>> mlr = miller("--icsv", "--ojsonl", "join", "--ur", "-j", "id", "-f", "users.csv", "orders.csv");
    assertEquals(5, mlr.size(), mlr.toString());
    assertEquals(mlr, wiz("{ type: file, path: orders.csv, format: csv }",
        "{ file: users.csv, format: csv, key: .id, keyAs: string }"));
  }

  @Test
  void duplicatesAllIsMillersOneToManyJoinOneRecordPerMatchInFileOrder() throws Exception {
    Files.writeString(dir.resolve("users.csv"), "id,user,tier\n1,Ada,gold\n2,Linus,\n1,Ann,silver\n3,Grace,gold\n1,Alan,\n");
    List<Map<String, String>> mlr = miller("--icsv", "--ojsonl", "join", "--ur", "-j", "id", "-f", "users.csv", "orders.csv");
    assertEquals(List.of("-", "Ada", "Ann", "Alan", "Linus", "-", "Grace"),
        mlr.stream().map(r -> r.getOrDefault("user", "-")).toList(), mlr.toString());
    assertEquals(mlr, wiz("{ type: file, path: orders.csv, format: csv }",
        "{ file: users.csv, format: csv, key: .id, keyAs: string, duplicates: all }"));
    List<Map<String, String>> inner = miller("--icsv", "--ojsonl", "join", "-j", "id", "-f", "users.csv", "orders.csv");
    assertEquals(inner, wiz("{ type: file, path: orders.csv, format: csv }",
        "{ file: users.csv, format: csv, key: .id, keyAs: string, duplicates: all, unmatched: drop }"));
  }

  @Test
  void jsonNumbersMatchCsvTextAsMillerComparesThemWithKeyAsString() throws Exception {
    List<Map<String, String>> mlr = miller("--ijsonl", "--ojsonl", "join", "--ur", "-i", "csv", "-j", "id", "-f", "users.csv",
        "orders.jsonl");
    assertEquals(List.of("UK", "FI", "-", "-", "CA"), mlr.stream().map(r -> r.getOrDefault("country", "-")).toList());
    assertEquals(mlr, wiz("{ type: file, path: orders.jsonl }",
        "{ file: users.csv, format: csv, key: .id, keyAs: string }"));
  }
}

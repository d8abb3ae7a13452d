package dev.wiz.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Stages in a fresh state folder what {@code kill -9} leaves behind, without a process to kill. */
final class StagedCrash {
  private StagedCrash() {}

  /**
   * Runs the pipeline (its first run in {@code work}) and turns what it left into what
   * {@code kill -9} after the first {@code committed} chunks leaves: the run and its attempt
   * recorded as crashed without a provenance summary, the log ending after the chunk's SEND, the
   * partial output cut to it.
   *
   * @param output the sink's file, relative to {@code work}
   * @param committed how many chunks were committed; more than the run sent: all it sent
   * @return the id of the crashed run
   */
  static String after(CliHarness wiz, Path work, String pipeline, String output, int committed) throws IOException {
    return after(wiz, work, pipeline, output, committed, 0);
  }

  /** As {@link #after(CliHarness, Path, String, String, int)}, for a run that ends with {@code exitCode}. */
  static String after(CliHarness wiz, Path work, String pipeline, String output, int committed, int exitCode)
      throws IOException {
    assertEquals(exitCode, wiz.run("-q", "run", pipeline).code());
    Path run;
    try (Stream<Path> runs = Files.list(work.resolve(".wiz/runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    String id = run.getFileName().toString();
    Path log = run.resolve("provenance.jsonl");
    List<String> lines = Files.readAllLines(log);
    int sends = 0;
    int end = 0;
    long bytes = 0;
    while (sends < committed && end < lines.size()) {
      JsonNode e = Json.mapper().readTree(lines.get(end++));
      if (e.get("type").asText().equals("SEND")) {
        sends++;
        bytes = e.at("/sink/offset").asLong() + e.at("/sink/bytes").asLong();
      }
    }
    Files.write(log, lines.subList(0, end));
    Path target = work.resolve(output);
    byte[] out = Files.readAllBytes(target);
    Files.write(target.resolveSibling("." + target.getFileName() + "." + id + ".tmp"), java.util.Arrays.copyOf(out, (int) bytes));
    Files.delete(target);

    ObjectNode record = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(run.resolve("run.json")));
    record.put("status", "crashed");
    record.remove(List.of("provenance", "counts", "output", "processors", "endedAt", "seconds", "readStopped"));
    Files.writeString(run.resolve("run.json"), record.toString());
    try (Stream<Path> requests = Files.list(work.resolve(".wiz/requests"))) {
      Path file = requests.findFirst().orElseThrow().resolve("record.json");
      ObjectNode request = (ObjectNode) Json.mapper().readTree(Files.readAllBytes(file));
      request.put("status", "crashed");
      ((ObjectNode) request.get("attempts").get(0)).put("status", "crashed");
      Files.writeString(file, request.toString());
    }
    return id;
  }
}

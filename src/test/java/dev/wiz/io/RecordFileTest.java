package dev.wiz.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wiz.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A whole file of records read for a lookup table: records with their lines, the file's digest, its problems. */
class RecordFileTest {

  private static List<String> rows(Path dir, String name, String format, char delimiter) throws Exception {
    List<String> out = new ArrayList<>();
    RecordFile.read(dir, name, format, delimiter, (r, line) -> out.add(line + " " + r));
    return out;
  }

  private static String problem(Path dir, String name, String format) {
    return assertThrows(RecordFile.Problem.class, () -> rows(dir, name, format, ',')).getMessage();
  }

  @Test
  void everyFormatGivesEachRecordWithTheLineItStartsOn() throws Exception {
    try (FileSystem fs = IoTesting.unixFs()) {
      Path dir = Files.createDirectories(fs.getPath("/p"));
      IoTesting.write(dir.resolve("u.jsonl"), "{\"id\":1}\n\n{\"id\":2}\n");
      IoTesting.write(dir.resolve("u.json"), "[\n  {\"id\": 1},\n\n  {\"id\": 2}\n]\n");
      IoTesting.write(dir.resolve("u.csv"), "id;name\n1;\"Ada\nL\"\n2;Bo\n");
      assertEquals(List.of("1 {\"id\":1}", "3 {\"id\":2}"), rows(dir, "u.jsonl", "jsonl", ','));
      assertEquals(List.of("2 {\"id\":1}", "4 {\"id\":2}"), rows(dir, "u.json", "json", ','));
      assertEquals(List.of("2 {\"id\":\"1\",\"name\":\"Ada\\nL\"}", "4 {\"id\":\"2\",\"name\":\"Bo\"}"),
          rows(dir, "u.csv", "csv", ';'));
    }
  }

  @Test
  void theDigestIsOfTheBytesAsStoredAndAGzipFileIsReadAsItsText() throws Exception {
    try (FileSystem fs = IoTesting.unixFs()) {
      Path dir = Files.createDirectories(fs.getPath("/p"));
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write("{\"id\":1}\n{\"id\":2}\n".getBytes(StandardCharsets.UTF_8));
      }
      byte[] bytes = gz.toByteArray();
      IoTesting.write(dir.resolve("u.jsonl.gz"), bytes);
      List<String> seen = new ArrayList<>();
      RecordFile.Read read = RecordFile.read(dir, "u.jsonl.gz", "jsonl", ',', (r, line) -> seen.add(r.toString()));
      assertEquals(List.of("{\"id\":1}", "{\"id\":2}"), seen);
      assertEquals(new RecordFile.Read("u.jsonl.gz", "/p/u.jsonl.gz", bytes.length, read.modified(), Json.digest(bytes), 2),
          read);
    }
  }

  @Test
  void theDigestTakenWhileReadingCoversBytesTheReaderLeavesAfterTheGzipData() throws Exception {
    try (FileSystem fs = IoTesting.unixFs()) {
      Path dir = Files.createDirectories(fs.getPath("/p"));
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write("id\n1\n".getBytes(StandardCharsets.UTF_8));
      }
      // Zeros after the gzip data (a padded copy) are read past, not necessarily by the reader.
      gz.write(new byte[200_000]);
      byte[] bytes = gz.toByteArray();
      IoTesting.write(dir.resolve("u.csv.gz"), bytes);
      RecordFile.Read read = RecordFile.read(dir, "u.csv.gz", "csv", ',', (r, line) -> { });
      assertEquals(new RecordFile.Read("u.csv.gz", "/p/u.csv.gz", bytes.length, read.modified(), Json.digest(bytes), 1),
          read);
      IoTesting.write(dir.resolve("big.jsonl"), "{\"id\":1}\n".repeat(50_000));
      byte[] big = Files.readAllBytes(dir.resolve("big.jsonl"));
      assertEquals(Json.digest(big), RecordFile.read(dir, "big.jsonl", "jsonl", ',', (r, line) -> { }).digest(),
          "a file of many buffers");
    }
  }

  @Test
  void aBadLineStopsTheReadingAtItsPlaceAfterTheRecordsBeforeIt() throws Exception {
    try (FileSystem fs = IoTesting.unixFs()) {
      Path dir = Files.createDirectories(fs.getPath("/p"));
      IoTesting.write(dir.resolve("u.jsonl"), "{\"id\":1}\n{\"id\":2,}\n{\"id\":3}\n");
      List<String> seen = new ArrayList<>();
      RecordFile.Problem p = assertThrows(RecordFile.Problem.class,
          () -> RecordFile.read(dir, "u.jsonl", "jsonl", ',', (r, line) -> seen.add(r.toString())));
      assertEquals("u.jsonl:2:8: a trailing comma before '}': JSON allows none, remove it; fix the line, then run again",
          p.getMessage());
      assertEquals(List.of("{\"id\":1}"), seen);
      IoTesting.write(dir.resolve("short.csv"), "id,name\n1,Ada\n2\n");
      assertEquals("short.csv:3:1: row has 1 field but the header has 2: name is missing (is the row cut off?); fix the"
          + " line, then run again", problem(dir, "short.csv", "csv"));
      IoTesting.write(dir.resolve("head.csv"), "id,id\n1,2\n");
      assertEquals("head.csv:1: the CSV header names column 'id' twice", problem(dir, "head.csv", "csv"));
      IoTesting.write(dir.resolve("two.json"), "[{\"id\":1}] [2]");
      assertEquals("two.json:1:12: more JSON after the closing ']' of the array: a json input is one array or one"
          + " value; for one value per line use format: jsonl", problem(dir, "two.json", "json"));
    }
  }

  @Test
  void aMissingFileAFolderOrAGlobIsSaidWithoutReadingIt() throws Exception {
    try (FileSystem fs = IoTesting.unixFs()) {
      Path dir = Files.createDirectories(fs.getPath("/p"));
      Files.createDirectories(dir.resolve("ref"));
      assertEquals(Optional.of("no such file: 'users.csv' (looked for /p/users.csv)"), RecordFile.problem(dir, "users.csv"));
      assertEquals(Optional.of("no such file: 'u*.csv' (looked for /p/u*.csv); it is one file: a glob is not expanded"),
          RecordFile.problem(dir, "u*.csv"));
      assertEquals(Optional.of("'ref' is a folder: name the file to read"), RecordFile.problem(dir, "ref"));
      assertEquals("'ref' is a folder: name the file to read", problem(dir, "ref", "jsonl"));
      Files.createSymbolicLink(dir.resolve("gone.csv"), dir.resolve("nothing.csv"));
      assertEquals(Optional.of("'gone.csv' is a symbolic link to a file that does not exist (looked for /p/gone.csv)"),
          RecordFile.problem(dir, "gone.csv"));
      IoTesting.write(dir.resolve("ok.csv"), "id\n");
      assertEquals(Optional.empty(), RecordFile.problem(dir, "ok.csv"));
    }
  }

  @Test
  void aRowTheCallerRefusesEndsTheReadingWithItsMessage() throws Exception {
    try (FileSystem fs = IoTesting.unixFs()) {
      Path dir = Files.createDirectories(fs.getPath("/p"));
      IoTesting.write(dir.resolve("u.jsonl"), "1\n2\n");
      RecordFile.Problem p = assertThrows(RecordFile.Problem.class, () -> RecordFile.read(dir, "u.jsonl", "jsonl", ',',
          (r, line) -> {
            if (line == 2) throw new RecordFile.Problem("u.jsonl:2: no");
          }));
      assertEquals("u.jsonl:2: no", p.getMessage());
    }
  }
}

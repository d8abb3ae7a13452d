package dev.wiz.io;

import static dev.wiz.io.IoTesting.factory;
import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.list;
import static dev.wiz.io.IoTesting.readAll;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening sources and sinks from their specs: standard streams, several files, config errors. */
class IoFactoryTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");

  /** Standard input that notices being closed. */
  private static final class Stdin extends ByteArrayInputStream {
    boolean closed;

    Stdin(String text) {
      super(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void stdinIsReadInEachFormatAndNeverClosed() throws Exception {
    Stdin in = new Stdin("{\"a\":1}\nbad\n{\"a\":2}");
    IoFactory io = new IoFactory(in, new ByteArrayOutputStream());
    Source s = io.openSource(spec("type", "stdin", "format", "jsonl"), base);
    assertEquals(List.of(new InputFile("stdin", null, -1, -1)), s.inputs());
    IoTesting.Read r = readAll(s, 2);
    assertEquals(jsons("{\"a\":1}", "{\"a\":2}"), r.records());
    assertEquals(List.of("stdin:2"), r.errorPlaces());
    assertEquals(List.of("stdin:1-2/2", "stdin:3-3/1"), r.spans());
    assertFalse(in.closed, "standard input belongs to the process");

    Stdin csv = new Stdin("a,b\n1,2\n");
    IoTesting.Read c = readAll(new IoFactory(csv, null).openSource(spec("type", "stdin", "format", "csv"), base), 5);
    assertEquals(jsons("{\"a\":\"1\",\"b\":\"2\"}"), c.records());
    assertFalse(csv.closed);

    Stdin json = new Stdin("[1, 2, 3]");
    IoTesting.Read j = readAll(new IoFactory(json, null).openSource(spec("type", "stdin", "format", "json"), base), 2);
    assertEquals(jsons("1", "2", "3"), j.records());
    assertFalse(json.closed);

    Stdin lines = new Stdin("x\ny\n");
    IoTesting.Read l = readAll(new IoFactory(lines, null).openSource(spec("type", "stdin", "format", "lines"), base), 5);
    assertEquals(List.of("x", "y"), l.records().stream().map(n -> n.textValue()).toList());
  }

  @Test
  void stdoutGetsTheOutputAndNothingTouchesTheFileSystem() throws Exception {
    Files.createDirectories(base);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IoFactory io = new IoFactory(new ByteArrayInputStream(new byte[0]), out);
    try (Sink sink = io.openSink(spec("type", "stdout", "format", "jsonl"), base, "r1")) {
      assertEquals("stdout", sink.target());
      sink.write(sink.encode(jsons("{\"a\":1}", "[2]")));
      sink.commit();
      assertEquals("{\"a\":1}\n[2]\n", out.toString(StandardCharsets.UTF_8));
      assertEquals("stdout", sink.complete());
    }
    assertEquals("{\"a\":1}\n[2]\n", out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of(), list(base));
  }

  @Test
  void aCsvSinkSpecSetsColumnsAndDelimiter() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    var spec = spec("type", "stdout", "format", "csv", "delimiter", "|");
    spec.putArray("columns").add("b").add("a");
    try (Sink sink = new IoFactory(null, out).openSink(spec, base, "r1")) {
      sink.write(sink.ordered(sink.encode(jsons("{\"a\": 1, \"b\": \"x|y\"}"))));
      sink.complete();
    }
    // Jackson may quote more than it must with this delimiter; read it back to see what it wrote.
    Stdin written = new Stdin(out.toString(StandardCharsets.UTF_8));
    IoTesting.Read back = readAll(new IoFactory(written, null)
        .openSource(spec("type", "stdin", "format", "csv", "delimiter", "|"), base), 5);
    assertEquals(jsons("{\"b\": \"x|y\", \"a\": \"1\"}"), back.records());
    assertEquals(List.of("b", "a"), fieldNames(back.records().get(0)));

    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (Sink sink = new IoFactory(null, plain).openSink(spec("type", "stdout", "format", "csv", "delimiter", ""), base, "r1")) {
      sink.write(sink.ordered(sink.encode(jsons("{\"a\": 1, \"b\": 2}"))));
      sink.complete();
    }
    assertEquals("a,b\n1,2\n", plain.toString(StandardCharsets.UTF_8), "an empty delimiter means a comma");
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode o) {
    List<String> names = new java.util.ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void theDefaultFormatIsJsonl() throws Exception {
    write(base.resolve("in.txt"), "{\"a\":1}\n");
    assertEquals(jsons("{\"a\":1}"), readAll(factory().openSource(spec("path", "in.txt"), base), 5).records());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Sink sink = new IoFactory(null, out).openSink(spec("type", "stdout"), base, "r1")) {
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.complete();
    }
    assertEquals("{\"a\":1}\n", out.toString(StandardCharsets.UTF_8));
    assertEquals(Format.CSV, Format.parse("Csv"));
  }

  @Test
  void severalInputFilesAreReadInOrderAndEachIsListed() throws Exception {
    Path a = write(base.resolve("in/a.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
    Path b = write(base.resolve("in/b.jsonl"), "{\"n\":3}\n");
    Files.setLastModifiedTime(a, FileTime.fromMillis(1_000));
    Files.setLastModifiedTime(b, FileTime.fromMillis(2_000));
    Source s = factory().openSource(spec("type", "file", "path", "in/*.jsonl"), base);
    assertEquals(List.of(new InputFile("in/a.jsonl", "/work/p/in/a.jsonl", 16, 1_000),
        new InputFile("in/b.jsonl", "/work/p/in/b.jsonl", 8, 2_000)), s.inputs());
    IoTesting.Read r = readAll(s, 10);
    assertEquals(jsons("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), r.records());
    assertEquals(List.of("in/a.jsonl:1-2/2", "in/b.jsonl:1-1/1"), r.spans());
  }

  @Test
  void anInputCutOrWrittenToWhileItIsReadFailsTheReadInsteadOfEndingEarly() throws Exception {
    for (String format : List.of("jsonl", "lines", "csv")) {
      Path a = write(base.resolve("grow." + format), "x\n1\n2\n");
      Source grown = factory().openSource(spec("type", "file", "path", "grow." + format, "format", format), base);
      assertEquals(6, grown.inputs().get(0).size());
      Files.write(a, "3\n".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> readAll(grown, 10), format);
      assertEquals("grow." + format + " changed while it was read (6 bytes when the run started, 8 read, it is 8 bytes"
          + " now), so the records read may be cut short or mixed with newer ones: run again once nothing writes to it",
          e.getMessage());
      assertEquals(6, grown.inputs().get(0).size(), "the run record keeps what the request key was made of");
    }
    Path b = write(base.resolve("cut.jsonl"), "{\"n\":1}\n{\"n\":2}\n");
    Source cut = factory().openSource(spec("type", "file", "path", "cut.jsonl"), base);
    cut.inputs();
    write(b, "{\"n\":1}\n");
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> readAll(cut, 10));
    assertTrue(e.getMessage().startsWith("cut.jsonl changed while it was read (16 bytes when the run started, 8 read, it is"
        + " 8 bytes now)"), e.getMessage());
    Path c = write(base.resolve("same.jsonl"), "{\"n\":1}\n");
    Files.setLastModifiedTime(c, FileTime.fromMillis(1_000));
    Source same = factory().openSource(spec("type", "file", "path", "same.jsonl"), base);
    same.inputs();
    write(c, "{\"n\":2}\n");
    e = assertThrows(java.io.IOException.class, () -> readAll(same, 10));
    assertTrue(e.getMessage().startsWith("same.jsonl changed while it was read (8 bytes when the run started, 8 read,"
        + " modified since)"), e.getMessage());

    // Larger than a read: the first batch is cut before the end is reached, the file removed after.
    Path d = write(base.resolve("removed.jsonl"), "{\"n\":1}\n".repeat(100_000));
    Source removed = factory().openSource(spec("type", "file", "path", "removed.jsonl"), base);
    removed.inputs();
    assertEquals(1, removed.next(1).recordCount());
    Files.delete(d);
    assertEquals(99_999, readAll(removed, 100_000).records().size(), "a file removed once open was still read whole");
  }

  @Test
  void aJsonInputChangedWhileItIsReadFailsTheReadRatherThanGivingABadRecord() throws Exception {
    // The parser meets the change inside the array, or after the value: said as it is, not as a
    // syntax error at some place nor as one bad record that run.onError could skip.
    for (String text : List.of("[1,\n2,\n3]\n", "{\"a\":\n1}\n")) {
      Path a = write(base.resolve("grow.json"), text);
      Source grown = factory().openSource(spec("type", "file", "path", "grow.json", "format", "json"), base);
      grown.inputs();
      Files.write(a, "   ".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
      java.io.IOException e = assertThrows(java.io.IOException.class, () -> readAll(grown, 10), text);
      assertEquals("grow.json changed while it was read (" + text.length() + " bytes when the run started, "
          + (text.length() + 3) + " read, it is " + (text.length() + 3) + " bytes now), so the records read may be cut"
          + " short or mixed with newer ones: run again once nothing writes to it", e.getMessage());
    }
  }

  @Test
  void anInputThatVanishedIsListedWithoutSize() throws Exception {
    Path a = write(base.resolve("a.csv"), "x\n1\n");
    Source s = factory().openSource(spec("type", "file", "path", "a.csv", "format", "csv"), base);
    Files.delete(a);
    assertEquals(List.of(new InputFile("a.csv", null, -1, -1)), s.inputs());
  }

  @Test
  void aSourcePathThatMatchesNothingIsAConfigError() throws Exception {
    Files.createDirectories(base);
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSource(spec("type", "file", "path", "in/*.jsonl"), base));
    assertEquals("/path", e.pointer());
    assertTrue(e.getMessage().contains("in/*.jsonl"), e.getMessage());
  }

  @Test
  void aSinkPathThatIsAFolderIsAConfigError() throws Exception {
    Files.createDirectories(base.resolve("out"));
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSink(spec("type", "file", "path", "out"), base, "r1"));
    assertEquals("/path", e.pointer());
    assertEquals("'out' is a folder: name the file to write", e.getMessage());
    assertEquals(List.of(), list(base.resolve("out")), "no temporary file left");
  }

  @Test
  void aSinkWhoseParentIsAFileIsAConfigError() throws Exception {
    write(base.resolve("out"), "a file");
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSink(spec("type", "file", "path", "out/result.jsonl"), base, "r1"));
    assertEquals("/path", e.pointer());
    assertEquals("cannot write 'out/result.jsonl': /work/p/out is a file, not a folder", e.getMessage());
    assertEquals("a file", IoTesting.read(base.resolve("out")));
  }

  @Test
  void aSinkBelowAFileFurtherUpIsAConfigError() throws Exception {
    write(base.resolve("out"), "a file");
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSink(spec("type", "file", "path", "out/sub/result.jsonl"), base, "r1"));
    assertEquals("/path", e.pointer());
    assertEquals("cannot write 'out/sub/result.jsonl': /work/p/out is a file, not a folder", e.getMessage());
    assertEquals("a file", IoTesting.read(base.resolve("out")));
  }

  @Test
  void anUnreadableInputIsAConfigError(@TempDir Path dir) throws Exception {
    // jimfs does not enforce permissions, so this one runs on the default file system.
    Path f = write(dir.resolve("secret.jsonl"), "{}\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(f), "permissions are not enforced for this user (root)");
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSource(spec("type", "file", "path", "secret.jsonl"), dir));
    assertEquals("/path", e.pointer());
    assertEquals("cannot read 'secret.jsonl' (permission denied)", e.getMessage());
  }

  @Test
  void anUnwritableSinkFolderIsAConfigError(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectory(dir.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
    assumeFalse(Files.isWritable(out), "permissions are not enforced for this user (root)");
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSink(spec("type", "file", "path", "out/r.jsonl"), dir, "r1"));
    assertEquals("cannot write 'out/r.jsonl' (permission denied)", e.getMessage());
  }
  @Test
  void aSinkThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink() throws Exception {
    write(base.resolve("shared/out.jsonl"), "old\n");
    Files.createSymbolicLink(base.resolve("link.jsonl"), fs.getPath("shared/out.jsonl"));
    com.fasterxml.jackson.databind.JsonNode spec = spec("type", "file", "path", "link.jsonl");
    try (Sink sink = factory().openSink(spec, base, "r1")) {
      assertEquals(base.resolve("shared/out.jsonl").toString(), sink.target(), "the output is the link's target");
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.complete();
    }
    assertTrue(Files.isSymbolicLink(base.resolve("link.jsonl")), "the link is kept");
    assertEquals("{\"a\":1}\n", IoTesting.read(base.resolve("shared/out.jsonl")));
    assertEquals(List.of("out.jsonl"), list(base.resolve("shared")), "no temporary file left");
    assertEquals(base.resolve("shared/.out.jsonl.r1.tmp"), IoFactory.partialFile(spec, base, "r1").orElseThrow(),
        "a resumed run looks for the partial output where the run wrote it: next to the link's target");
  }

  @Test
  void aSinkPathEndingInASlashIsAConfigError() throws Exception {
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSink(spec("type", "file", "path", "results/", "format", "csv"), base, "r1"));
    assertEquals("/path", e.pointer());
    assertEquals("'results/' names a folder: name the file to write, e.g. 'results/out.csv'", e.getMessage());
    assertFalse(Files.exists(base.resolve("results")), "nothing written");
  }

  @Test
  void aSinkThatIsANamedPipeIsAConfigErrorAndIsKept(@TempDir Path dir) throws Exception {
    // jimfs has no named pipes: this one runs on the default file system.
    Path fifo = dir.resolve("fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)
        && mk.exitValue() == 0 && Files.exists(fifo), "mkfifo works here");
    IoConfigException e = assertThrows(IoConfigException.class,
        () -> factory().openSink(spec("type", "file", "path", "fifo"), dir, "r1"));
    assertEquals("/path", e.pointer());
    assertTrue(e.getMessage().startsWith("'fifo' is a named pipe, not a regular file: "), e.getMessage());
    assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class,
        java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther(), "still a named pipe");
    assertEquals(List.of("fifo"), list(dir), "no temporary file");
  }
}

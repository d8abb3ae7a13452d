package dev.wiz.io;

import static dev.wiz.io.IoTesting.factory;
import static dev.wiz.io.IoTesting.jsons;
import static dev.wiz.io.IoTesting.list;
import static dev.wiz.io.IoTesting.read;
import static dev.wiz.io.IoTesting.spec;
import static dev.wiz.io.IoTesting.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A file sink writes a temporary file next to the target and moves it into place on complete. */
class AtomicFileTest {
  private final FileSystem fs = IoTesting.unixFs();
  private final Path base = fs.getPath("/work/p");
  private final Path outDir = base.resolve("out");
  private final Path target = outDir.resolve("r.jsonl");

  private Sink open(String format, String runId) throws Exception {
    return factory().openSink(spec("type", "file", "path", "out/r.jsonl", "format", format), base, runId);
  }

  @Test
  void whileWritingAnExistingTargetKeepsItsOldContentUntilComplete() throws Exception {
    write(target, "old\n");
    try (Sink sink = open("jsonl", "run7")) {
      assertEquals("/work/p/out/r.jsonl", sink.target());
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.commit();
      sink.write(sink.encode(jsons("{\"a\":2}")));
      sink.commit();
      assertEquals("old\n", read(target));
      assertEquals(List.of(".r.jsonl.run7.tmp", "r.jsonl"), list(outDir));
      assertEquals("{\"a\":1}\n{\"a\":2}\n", read(outDir.resolve(".r.jsonl.run7.tmp")));

      assertEquals("/work/p/out/r.jsonl", sink.complete());
    }
    assertEquals("{\"a\":1}\n{\"a\":2}\n", read(target));
    assertEquals(List.of("r.jsonl"), list(outDir));
  }

  @Test
  void theOutputKeepsThePermissionsOfTheFileItReplacesAlsoWhileItIsWritten() throws Exception {
    FileSystem posix = com.google.common.jimfs.Jimfs.newFileSystem(com.google.common.jimfs.Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix", "unix").build());
    Path base = posix.getPath("/work/p");
    Path outDir = base.resolve("out");
    Path target = outDir.resolve("r.jsonl");
    write(target, "secret\n");
    java.util.Set<java.nio.file.attribute.PosixFilePermission> ownerOnly =
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
    Files.setPosixFilePermissions(target, ownerOnly);
    try (Sink sink = factory().openSink(spec("type", "file", "path", "out/r.jsonl"), base, "run9")) {
      assertEquals(ownerOnly, Files.getPosixFilePermissions(outDir.resolve(".r.jsonl.run9.tmp")), "the temporary file too");
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.commit();
      sink.complete();
    }
    assertEquals("{\"a\":1}\n", read(target));
    assertEquals(ownerOnly, Files.getPosixFilePermissions(target));
  }

  @Test
  void abortRemovesTheTemporaryFileAndLeavesTheTargetUntouched() throws Exception {
    write(target, "old\n");
    try (Sink sink = open("jsonl", "run8")) {
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.commit();
      sink.abort();
      sink.abort(); // twice is harmless
    }
    assertEquals("old\n", read(target));
    assertEquals(List.of("r.jsonl"), list(outDir));
  }

  @Test
  void abortWithoutATargetLeavesNothingBehind() throws Exception {
    try (Sink sink = open("json", "run9")) {
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.abort();
    }
    assertEquals(List.of(), list(outDir));
  }

  @Test
  void closingWithoutCompleteIsAnAbort() throws Exception {
    write(target, "old\n");
    try (Sink sink = open("jsonl", "run10")) {
      sink.write(sink.encode(jsons("{\"a\":1}")));
    }
    assertEquals("old\n", read(target));
    assertEquals(List.of("r.jsonl"), list(outDir));
  }

  @Test
  void abortAfterCompleteKeepsTheOutput() throws Exception {
    try (Sink sink = open("jsonl", "run11")) {
      sink.write(sink.encode(jsons("{\"a\":1}")));
      sink.complete();
      sink.abort();
    }
    assertEquals("{\"a\":1}\n", read(target));
    assertEquals(List.of("r.jsonl"), list(outDir));
  }

  @Test
  void missingFoldersAreCreatedAndAnEmptyJsonOutputIsAnEmptyArray() throws Exception {
    Path deep = base.resolve("a/b/c/r.json");
    try (Sink sink = factory().openSink(spec("type", "file", "path", "a/b/c/r.json", "format", "json"), base, "r")) {
      sink.write(sink.encode(List.of()));
      sink.complete();
    }
    assertEquals("[]\n", read(deep));
    assertEquals(List.of("r.json"), list(deep.getParent()));
  }

  @Test
  void twoRunsWritingTheSameTargetDoNotMix() throws Exception {
    try (Sink first = open("jsonl", "one"); Sink second = open("jsonl", "two")) {
      first.write(first.encode(jsons("1")));
      second.write(second.encode(jsons("2")));
      first.complete();
      assertEquals("1\n", read(target));
      second.write(second.encode(jsons("3")));
      second.complete();
    }
    assertEquals("2\n3\n", read(target));
    assertEquals(List.of("r.jsonl"), list(outDir));
  }

  @Test
  void aCompleteThatFailsLeavesNoTemporaryFileAfterClose() throws Exception {
    Sink sink = open("jsonl", "run12");
    sink.write(sink.encode(jsons("1")));
    write(target.resolve("inside"), "a folder took the target's place");
    assertThrows(IOException.class, sink::complete);
    sink.close();
    assertEquals(List.of("r.jsonl"), list(outDir));
    assertEquals(List.of("inside"), list(target));
  }

  @Test
  void theTargetClassWorksOnItsOwn() throws Exception {
    try (Target.AtomicFile t = new Target.AtomicFile(fs.getPath("out/r.jsonl"), "x")) {
      // A relative target resolves against the file system's working folder (/work on jimfs).
      assertEquals("/work/out/r.jsonl", t.name());
      t.write("abc".getBytes(StandardCharsets.UTF_8));
      t.commit();
      assertFalse(Files.exists(fs.getPath("/work/out/r.jsonl")));
      t.complete();
    }
    assertEquals("abc", read(fs.getPath("/work/out/r.jsonl")));
    assertEquals(List.of("r.jsonl"), list(fs.getPath("/work/out")));
  }
  @Test
  void aNamedPipePutAtTheTargetDuringTheRunIsNotReplaced(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // jimfs has no named pipes: this one runs on the default file system.
    Sink sink = factory().openSink(spec("type", "file", "path", "r.jsonl"), dir, "run7");
    sink.write(sink.encode(jsons("{\"a\":1}")));
    sink.commit();
    Path fifo = dir.resolve("r.jsonl");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)
        && mk.exitValue() == 0 && Files.exists(fifo), "mkfifo works here");
    IOException e = assertThrows(IOException.class, sink::complete);
    assertEquals(fifo + " became a named pipe while the run wrote its output, which would replace it: it is left as it"
        + " is, and the output is kept in " + dir.resolve(".r.jsonl.run7.tmp"), e.getMessage());
    sink.suspend();
    org.junit.jupiter.api.Assertions.assertTrue(Files.readAttributes(fifo,
        java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS).isOther());
    assertEquals("{\"a\":1}\n", read(dir.resolve(".r.jsonl.run7.tmp")), "the output is kept for --resume");
  }
}

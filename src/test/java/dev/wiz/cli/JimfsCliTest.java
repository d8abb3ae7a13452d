package dev.wiz.cli;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A command-line test over an in-memory unix file system, new for every test: {@code work} is
 * {@code /work}, the current folder of {@code wiz}. A subclass's own {@code @BeforeEach} runs after
 * this one's, so it can put its files in {@code work}.
 */
abstract class JimfsCliTest {
  protected FileSystem fs;
  protected Path work;
  protected CliHarness wiz;

  @BeforeEach
  void openWorkFolder() throws IOException {
    fs = Jimfs.newFileSystem(Configuration.unix());
    work = Files.createDirectories(fs.getPath("/work"));
    wiz = new CliHarness(work);
  }

  @AfterEach
  void closeWorkFolder() throws IOException {
    fs.close();
  }
}

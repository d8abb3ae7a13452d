package dev.wiz.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** {@code dead-letter.jsonl}: the records and chunks that failed, with the reason. Created on first use. */
public final class DeadLetterLog implements AutoCloseable {
  private final Path file;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private FileChannel channel;
  private long count;

  private final java.util.function.UnaryOperator<String> redactor;

  public DeadLetterLog(Path file) {
    this(file, text -> text);
  }

  /** A log whose entries' {@code reason} goes through the redactor (values from the environment made {@code ${NAME}}). */
  public DeadLetterLog(Path file, java.util.function.UnaryOperator<String> redactor) {
    this.file = file;
    this.redactor = redactor;
  }

  synchronized void append(List<ObjectNode> entries) throws IOException {
    for (ObjectNode e : entries) {
      if (e.path("reason").isTextual()) e.put("reason", redactor.apply(e.get("reason").textValue()));
      pending.write(line(e));
      pending.write('\n');
      count++;
    }
  }

  /**
   * The entry as one line, nested at most as deep as wiz reads, so the file stays readable: a
   * record nested deeper (a jq program made it) is written as its JSON text, in {@code raw}.
   */
  private static byte[] line(ObjectNode e) throws IOException {
    try {
      return Json.output().writeValueAsBytes(e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException tooDeep) {
      if (!e.has("record")) throw tooDeep;
      e.put("raw", Json.records().writeValueAsString(e.remove("record")));
      return Json.output().writeValueAsBytes(e);
    }
  }

  public synchronized void commit() throws IOException {
    if (pending.size() == 0) return;
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
    while (b.hasRemaining()) channel.write(b);
    pending.reset();
    channel.force(false);
  }

  public synchronized long count() {
    return count;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      commit();
    } finally {
      if (channel != null) channel.close();
    }
  }
}

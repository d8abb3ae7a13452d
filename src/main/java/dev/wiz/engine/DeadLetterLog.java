package dev.wiz.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import dev.wiz.provenance.Event;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** {@code dead-letter.jsonl}: the records and chunks that failed, with the reason. Created on first use. */
public final class DeadLetterLog implements AutoCloseable {
  private final Path file;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private FileChannel channel;
  private long count;
  /** The bytes the file has with what is pending: the offset of the next line; -1 until the first append. */
  private long size = -1;
  /** The dead letters of the chunks taken over, by chunk, until each chunk's turn comes ({@link #copied}). */
  private final Map<String, List<ObjectNode>> toCopy = new HashMap<>();

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
    append(entries, new int[] {entries.size()});
  }

  /**
   * Appends the entries, in groups that end (exclusive) at {@code ends}, the last at the end of
   * {@code entries}: where each group's lines went in the file and the digest of their bytes, as
   * its DEAD_LETTER event records them ({@link Event.DeadLetterRef}).
   */
  synchronized List<Event.DeadLetterRef> append(List<ObjectNode> entries, int[] ends) throws IOException {
    if (size < 0) size = Files.exists(file) ? Files.size(file) : 0;
    List<Event.DeadLetterRef> refs = new ArrayList<>(ends.length);
    MessageDigest sha = Json.sha256();
    int k = 0;
    for (int g = 0; g < ends.length; g++) {
      int end = g == ends.length - 1 ? entries.size() : ends[g];
      long offset = size;
      sha.reset();
      for (; k < end; k++) {
        ObjectNode e = entries.get(k);
        if (e.path("reason").isTextual()) e.put("reason", redactor.apply(e.get("reason").textValue()));
        byte[] line = line(e);
        pending.write(line);
        pending.write('\n');
        sha.update(line);
        sha.update((byte) '\n');
        size += line.length + 1;
        count++;
      }
      refs.add(new Event.DeadLetterRef(offset, size - offset, "sha256:" + HexFormat.of().formatHex(sha.digest())));
    }
    return refs;
  }

  /**
   * The dead letters a resumed run takes over from the run it resumes, by the chunk taken over
   * (with those of the chunks it forked into). Each chunk's are appended when the run takes the
   * chunk over ({@link #copied}), in chunk order, so they are committed with its REUSED event:
   * a disk that fills while they are copied leaves the chunks committed before taken over, for
   * the next --resume to go on from, rather than none.
   */
  synchronized void appendCopied(Map<String, List<ObjectNode>> byChunk) {
    toCopy.putAll(byChunk);
  }

  /**
   * Appends the dead letters of a chunk taken over ({@link #appendCopied}) and says where they
   * went, as its REUSED event records it; null when it brought none.
   */
  synchronized Event.DeadLetterRef copied(String chunk) throws IOException {
    List<ObjectNode> lines = toCopy.remove(chunk);
    return lines == null ? null : append(lines, new int[] {lines.size()}).get(0);
  }

  /** The bytes appended and not committed yet. */
  synchronized long pendingBytes() {
    return pending.size();
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

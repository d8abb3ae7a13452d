package dev.wiz.provenance;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.wiz.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads a run's provenance log and checks its hash chain. */
public final class ProvenanceReader {
  private ProvenanceReader() {}

  /** A problem with one line of the log. */
  public record BadLine(long line, String message) {}

  /**
   * Cuts what a crash tore off the end of the log: a last line without its newline, or last lines
   * that do not parse. Returns the number of bytes cut (0 when the log ended cleanly).
   */
  public static long cutTornTail(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int end = all.length;
    ObjectReader reader = Json.mapper().readerFor(Event.class);
    while (end > 0) {
      if (all[end - 1] != '\n') {
        int nl = lastNewline(all, end - 1);
        end = nl + 1;
        continue;
      }
      int start = lastNewline(all, end - 2) + 1;
      try {
        reader.readValue(all, start, end - start);
        break;
      } catch (IOException torn) {
        end = start;
      }
    }
    long cut = all.length - end;
    if (cut > 0) {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
    return cut;
  }

  private static int lastNewline(byte[] b, int from) {
    for (int i = from; i >= 0; i--) {
      if (b[i] == '\n') return i;
    }
    return -1;
  }

  /** Every event of the log matching the predicate, in order. Lines that do not parse are skipped. */
  public static List<Event> read(Path file, Predicate<Event> keep) throws IOException {
    ObjectReader reader = Json.mapper().readerFor(Event.class);
    List<Event> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) continue;
        Event e;
        try {
          e = reader.readValue(line);
        } catch (IOException bad) {
          continue;
        }
        if (keep.test(e)) out.add(e);
      }
    }
    return out;
  }

  /**
   * Checks the chain: every line parses, sequence numbers count up from 1, every {@code prev} is
   * the previous line's hash, every hash matches its event. Returns the first bad line, if any.
   */
  public static Optional<BadLine> verify(Path file) throws IOException {
    ObjectReader reader = Json.mapper().readerFor(Event.class);
    String prev = ProvenanceLog.GENESIS;
    long lineNo = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        lineNo++;
        Event e;
        try {
          e = reader.readValue(line);
        } catch (IOException bad) {
          return Optional.of(new BadLine(lineNo, "not a provenance event (torn or edited line)"));
        }
        if (e.seq() == null || e.seq() != lineNo) {
          return Optional.of(new BadLine(lineNo, "sequence number " + e.seq() + " where " + lineNo
              + " was expected (a line was removed, inserted or reordered)"));
        }
        if (!Objects.equals(e.prev(), prev)) {
          return Optional.of(new BadLine(lineNo, "prev does not match the hash of line " + (lineNo - 1)));
        }
        if (!Objects.equals(ProvenanceLog.hashOf(e), e.hash())) {
          return Optional.of(new BadLine(lineNo, "hash does not match the event (the line was changed)"));
        }
        prev = e.hash();
      }
    }
    return Optional.empty();
  }
}

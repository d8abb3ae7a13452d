package dev.wiz.processors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The last bytes a program wrote to stderr (at most {@link #BYTES}), shown as its last lines (at
 * most {@link #LINES}) in error messages. Filled by one thread, read by another.
 */
final class StderrTail {
  static final int BYTES = 4096;
  static final int LINES = 20;

  private final byte[] ring = new byte[BYTES];
  private long written;

  /** Reads the stream to its end (or until it is closed). */
  void readAll(InputStream in) {
    byte[] buf = new byte[8192];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) add(buf, n);
    } catch (IOException e) {
      // closed under us: what was read is kept
    }
  }

  synchronized void add(byte[] buf, int n) {
    int start = Math.max(0, n - BYTES);
    written += start;
    for (int i = start; i < n; i++) {
      ring[(int) (written++ % BYTES)] = buf[i];
    }
  }

  /** The last lines, without line breaks; a line cut by the byte limit is left out. */
  synchronized List<String> lines() {
    int size = (int) Math.min(written, BYTES);
    byte[] tail = new byte[size];
    long from = written - size;
    for (int i = 0; i < size; i++) tail[i] = ring[(int) ((from + i) % BYTES)];
    String text = new String(tail, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (written > BYTES && lines.size() > 1) lines.remove(0);
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
    return List.copyOf(lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
  }
}

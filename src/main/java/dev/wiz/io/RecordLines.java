package dev.wiz.io;

import java.util.Arrays;

/**
 * The line each record of a batch starts on, gathered while the batch is cut, as offsets from the
 * batch's first line (see {@link Decoded#recordLines()}). An offset too large for an int, which
 * only a batch of billions of lines could have, is -1: not known.
 */
final class RecordLines {
  private int[] at = new int[16];
  private int size;

  /** The next record starts on {@code line}; the batch on {@code first}. */
  void add(long line, long first) {
    if (size == at.length) at = Arrays.copyOf(at, size * 2);
    long offset = line - first;
    at[size++] = offset >= 0 && offset <= Integer.MAX_VALUE ? (int) offset : -1;
  }

  int[] toArray() {
    return Arrays.copyOf(at, size);
  }
}

package dev.wiz.processors;

/**
 * A set of 128-bit digests (two longs), in two parallel {@code long} arrays with open addressing
 * and linear probing: 16 bytes a slot, no object per entry. The table doubles when it is
 * three-quarters full, so between 1.33 and 2.67 slots are held per digest (21 to 43 bytes); while it
 * grows, the old and the new table are both held. The digests are uniformly distributed (they come
 * from sha-256), so their low bits are the hash. Not thread-safe.
 */
final class DigestSet {
  /** The largest table: 2^30 slots (16 GiB), about 805 million digests. */
  static final int MAX_CAPACITY = 1 << 30;

  private long[] hi;
  private long[] lo;
  private int mask;
  private int size;
  /** The all-zero digest marks an empty slot, so it is kept apart. */
  private boolean hasZero;

  DigestSet() {
    this(1 << 10);
  }

  DigestSet(int capacity) {
    if (Integer.bitCount(capacity) != 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be a power of two up to 2^30: " + capacity);
    }
    hi = new long[capacity];
    lo = new long[capacity];
    mask = capacity - 1;
  }

  /** Adds the digest; true when it was not there before. */
  boolean add(long h, long l) {
    if (h == 0 && l == 0) {
      if (hasZero) return false;
      hasZero = true;
      size++;
      return true;
    }
    int i = slot(l);
    while (hi[i] != 0 || lo[i] != 0) {
      if (hi[i] == h && lo[i] == l) return false;
      i = (i + 1) & mask;
    }
    if (size + 1 > (mask + 1) / 4 * 3) {
      grow();
      return add(h, l);
    }
    hi[i] = h;
    lo[i] = l;
    size++;
    return true;
  }

  /** The number of distinct digests added. */
  int size() {
    return size;
  }

  /** The number of slots in the table. */
  int capacity() {
    return mask + 1;
  }

  private int slot(long l) {
    return (int) (l ^ (l >>> 32)) & mask;
  }

  private void grow() {
    int capacity = mask + 1;
    if (capacity >= MAX_CAPACITY) {
      throw new IllegalStateException("more than " + (MAX_CAPACITY / 4 * 3) + " distinct keys: the set is full");
    }
    long[] oldHi = hi;
    long[] oldLo = lo;
    hi = new long[capacity * 2];
    lo = new long[capacity * 2];
    mask = capacity * 2 - 1;
    for (int j = 0; j < oldHi.length; j++) {
      if (oldHi[j] != 0 || oldLo[j] != 0) {
        int i = slot(oldLo[j]);
        while (hi[i] != 0 || lo[i] != 0) i = (i + 1) & mask;
        hi[i] = oldHi[j];
        lo[i] = oldLo[j];
      }
    }
  }
}

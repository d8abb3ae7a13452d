import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Java port of ../shared/bench/gen_events.py: writes N synthetic event records as JSON Lines to
 * stdout, byte for byte what {@code python3 gen_events.py N} writes (seed 42).
 *
 * <p>It ports the parts of CPython's {@code random.Random} that the script uses: Mersenne Twister
 * seeded from an int ({@code init_by_array}), {@code random()} (53 bits from two 32-bit draws),
 * {@code getrandbits}/{@code _randbelow} (rejection sampling), {@code randrange}, {@code choice},
 * {@code uniform} and {@code sample} (the pool branch, taken for small populations); plus
 * {@code round(x, 2)} (correctly rounded, half-even on the exact binary value) and {@code repr}
 * of a float (shortest round-trip digits, Python's layout: {@code 41.0}, {@code 0.05}).
 *
 * <p>usage: {@code java GenEvents.java [N]} (default 1000000). Needs JDK 11+.
 */
public final class GenEvents {
  public static void main(String[] args) throws IOException {
    long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
    String[] countries = {"DE", "FR", "US", "BR", "IN", "JP", "NG", "AU"};
    String[] statuses = {"ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "error", "retry"};
    String[] tagPool = {"a", "b", "c", "d", "e", "f"};
    PyRandom rnd = new PyRandom(42);
    StringBuilder sb = new StringBuilder(256);
    try (OutputStream out = new BufferedOutputStream(System.out, 1 << 16)) {
      for (long i = 0; i < n; i++) {
        sb.setLength(0);
        // Dict literal order is evaluation order: each random call happens in this sequence.
        sb.append("{\"id\":").append(i);
        sb.append(",\"user\":\"user").append(rnd.randrange(50_000)).append('"');
        sb.append(",\"country\":\"").append(rnd.choice(countries)).append('"');
        sb.append(",\"amount\":").append(reprRounded2(rnd.uniform(0, 100)));
        sb.append(",\"ts\":\"2026-11-").append(two(1 + i % 28)).append('T').append(two(i % 24))
            .append(':').append(two(i % 60)).append(':').append(two((i * 7) % 60)).append("Z\"");
        sb.append(",\"status\":\"").append(rnd.choice(statuses)).append('"');
        int k = rnd.randrange(4); // the k= argument is evaluated before sample() draws
        String[] tags = rnd.sample(tagPool, k);
        sb.append(",\"tags\":[");
        for (int t = 0; t < tags.length; t++) {
          if (t > 0) sb.append(',');
          sb.append('"').append(tags[t]).append('"');
        }
        sb.append("]}\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  private static String two(long v) {
    return v < 10 ? "0" + v : Long.toString(v);
  }

  /**
   * {@code repr(round(x, 2))} for a finite x >= 0. round() is correctly rounded (half-even on the
   * exact binary value), so the result is the double nearest to k/100 for an integer k; its
   * shortest round-trip repr is then the decimal k/100 itself with trailing zeros dropped (a
   * shorter decimal is a different multiple of 1/100, hence a different double), laid out as
   * Python does ({@code 41.0}, {@code 0.05}, {@code 100.0}). Fixed notation holds because
   * 0.01 <= k/100 < 1e16 (or it is 0.0).
   */
  static String reprRounded2(double x) {
    long k = new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    String s = Long.toString(k / 100) + "." + (k % 100 < 10 ? "0" : "") + (k % 100);
    return s.endsWith("0") && !s.endsWith(".0") ? s.substring(0, s.length() - 1) : s;
  }

  /** The subset of CPython's random.Random (Modules/_randommodule.c, Lib/random.py) used above. */
  static final class PyRandom {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int mti = N + 1;

    /** random.Random(seed) for a non-negative int seed that fits in 32 bits: init_by_array([seed]). */
    PyRandom(long seed) {
      if (seed < 0 || seed > 0xFFFFFFFFL) throw new IllegalArgumentException("seed must fit in 32 bits");
      initByArray(new int[] {(int) seed});
    }

    private void initGenrand(int s) {
      mt[0] = s;
      for (mti = 1; mti < N; mti++) {
        mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
      }
    }

    private void initByArray(int[] key) {
      initGenrand(19650218);
      int i = 1, j = 0;
      for (int k = Math.max(N, key.length); k > 0; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
        i++;
        j++;
        if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
        if (j >= key.length) j = 0;
      }
      for (int k = N - 1; k > 0; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
        i++;
        if (i >= N) { mt[0] = mt[N - 1]; i = 1; }
      }
      mt[0] = 0x80000000;
    }

    /** genrand_uint32, as an unsigned value in an int. */
    private int next32() {
      int y;
      if (mti >= N) {
        int kk;
        for (kk = 0; kk < N - M; kk++) {
          y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
          mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        for (; kk < N - 1; kk++) {
          y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
          mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        }
        y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
        mti = 0;
      }
      y = mt[mti++];
      y ^= (y >>> 11);
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= (y >>> 18);
      return y;
    }

    /** random(): a 53-bit float from two draws, (a*2^26 + b) / 2^53. */
    double random() {
      long a = (next32() & 0xFFFFFFFFL) >>> 5, b = (next32() & 0xFFFFFFFFL) >>> 6;
      return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
    }

    /** getrandbits(k) for 0 < k <= 32: the top k bits of one draw. */
    private long getrandbits(int k) {
      return (next32() & 0xFFFFFFFFL) >>> (32 - k);
    }

    /** _randbelow_with_getrandbits(n), n > 0: k = n.bit_length(), redraw while r >= n. */
    private int randbelow(int n) {
      int k = 32 - Integer.numberOfLeadingZeros(n);
      long r = getrandbits(k);
      while (r >= n) r = getrandbits(k);
      return (int) r;
    }

    int randrange(int stop) {
      if (stop <= 0) throw new IllegalArgumentException("empty range for randrange()");
      return randbelow(stop);
    }

    <T> T choice(T[] seq) {
      return seq[randbelow(seq.length)];
    }

    double uniform(double a, double b) {
      return a + (b - a) * random();
    }

    /** sample(population, k), the pool branch (taken while n <= 21, or larger setsize for k > 5). */
    String[] sample(String[] population, int k) {
      int n = population.length;
      if (k < 0 || k > n) throw new IllegalArgumentException("Sample larger than population or is negative");
      int setsize = 21;
      if (k > 5) setsize += (int) Math.pow(4, Math.ceil(Math.log(k * 3) / Math.log(4)));
      if (n > setsize) throw new UnsupportedOperationException("set branch of sample() not ported");
      String[] pool = population.clone();
      String[] result = new String[k];
      for (int i = 0; i < k; i++) {
        int j = randbelow(n - i);
        result[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
      return result;
    }
  }
}

package dev.wiz.schema;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?": the candidate closest to a mistyped word, if any is close enough. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate with the smallest edit distance to {@code word} (insertions, deletions,
   * substitutions and swaps of two neighbouring characters, ignoring case), if that distance is
   * small for the word's length: at most 1 for words of up to 3 characters, 2 up to 6, 3 beyond.
   * Ties go to the candidate that sorts first, so the answer does not depend on the collection's
   * order.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    if (word == null || word.isEmpty() || candidates == null) {
      return Optional.empty();
    }
    String w = word.toLowerCase(Locale.ROOT);
    int limit = w.length() <= 3 ? 1 : w.length() <= 6 ? 2 : 3;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      if (candidate == null || candidate.isEmpty()) {
        continue;
      }
      int d = distance(w, candidate.toLowerCase(Locale.ROOT));
      if (d > limit || d >= Math.max(w.length(), candidate.length())) {
        continue;
      }
      if (d < bestDistance || (d == bestDistance && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
  static int distance(String a, String b) {
    int n = a.length();
    int m = b.length();
    int[][] d = new int[n + 1][m + 1];
    for (int i = 0; i <= n; i++) d[i][0] = i;
    for (int j = 0; j <= m; j++) d[0][j] = j;
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[n][m];
  }
}

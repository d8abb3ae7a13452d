package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each record of a chunk starts in the input, kept beside the records as they go through
 * the steps, so that a record a step rejects is named by its own line rather than by its chunk's
 * range. An array holds, for each record, its line as an offset from the chunk's first line, or
 * -1 when it is not known; null when no record's line is known.
 *
 * <p>A record keeps its line through a step that says which input record it was made from
 * ({@link Chunk#from()}; a step that makes several records of one gives each that record's line),
 * or that passes the very input object on. A record a step made from several (an aggregate), or
 * that a step which does not say made anew, has none.
 */
final class InputLines {
  private InputLines() {}

  /** The lines of the records a step returned, from the lines of the records it was given. */
  static int[] after(int[] lines, List<JsonNode> in, Chunk out) {
    if (lines == null) return null;
    List<JsonNode> records = out.records();
    if (records == in) return lines; // the step passed its chunk on as it was
    int n = records.size();
    int[] at = new int[n];
    boolean any = false;
    int[] from = out.from();
    if (from != null) {
      for (int k = 0; k < n; k++) {
        int j = from[k];
        int line = j >= 0 && j < lines.length ? lines[j] : -1;
        at[k] = line;
        any |= line >= 0;
      }
    } else {
      Map<JsonNode, Integer> once = indexOfUnique(in);
      for (int k = 0; k < n; k++) {
        Integer j = once.get(records.get(k));
        int line = j == null || j < 0 ? -1 : lines[j];
        at[k] = line;
        any |= line >= 0;
      }
    }
    return any ? at : null;
  }

  /**
   * Each input record (by identity) to its index, or to -1 when it is in the input more than once
   * (a shared constant such as {@code null}): such a record cannot be told apart.
   */
  private static Map<JsonNode, Integer> indexOfUnique(List<JsonNode> in) {
    Map<JsonNode, Integer> index = new IdentityHashMap<>(in.size() * 2);
    for (int j = 0; j < in.size(); j++) {
      if (index.putIfAbsent(in.get(j), j) != null) index.put(in.get(j), -1);
    }
    return index;
  }

  /**
   * The lines of the records a step rejected (input records, in the order it rejected them), -1
   * where not known. A record that is in the input once is that one; the rejections of one that is
   * in it several times (a shared constant) are told apart only when every one of them was
   * rejected, the nth rejection being the nth in input order.
   */
  static int[] ofRejected(int[] lines, List<JsonNode> in, List<RecordRejection> rejects) {
    int[] at = new int[rejects.size()];
    Arrays.fill(at, -1);
    if (lines == null) return at;
    Map<JsonNode, Places> byRecord = new IdentityHashMap<>();
    for (RecordRejection r : rejects) byRecord.computeIfAbsent(r.record(), k -> new Places()).rejected++;
    for (int j = 0; j < in.size(); j++) {
      Places p = byRecord.get(in.get(j));
      if (p != null) p.indices.add(j);
    }
    for (int k = 0; k < at.length; k++) {
      Places p = byRecord.get(rejects.get(k).record());
      int found = p.indices.size();
      if (found == 1) {
        at[k] = lines[p.indices.get(0)];
      } else if (found > 1 && found == p.rejected) {
        at[k] = lines[p.indices.get(p.taken++)];
      }
    }
    return at;
  }

  /** The lines of the records from..to of a chunk (a child of a FORK). */
  static int[] slice(int[] lines, int from, int to) {
    return lines == null ? null : Arrays.copyOfRange(lines, from, to);
  }

  /** Where one rejected record is in the input, and how often it was rejected. */
  private static final class Places {
    final List<Integer> indices = new ArrayList<>(1);
    int rejected;
    int taken;
  }
}

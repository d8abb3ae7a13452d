package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.processor.Chunk;
import java.util.BitSet;
import java.util.List;

/** What one step did to one chunk's records, counted per record. */
final class RecordCounts {
  private RecordCounts() {}

  /**
   * What a step filtered and created of a chunk's records, {filtered, created}, counted record by
   * record so that the figures do not depend on how the input was cut into chunks: an input
   * record that gave no output record (and was not rejected) was filtered, one that gave n > 1
   * created n - 1, and an output record made from none or several of the input records ({@link
   * Chunk#from()} -1) was created. So {@code in + created = out + filtered + rejected}. A step
   * that does not say which input record each output record was made from ({@code from} null)
   * and does not pass its chunk on as it was is counted by the chunk's net: in less rejected less
   * out, as filtered when positive, as created when negative; so is one that ties none of its
   * output records to an input record (every {@code from} -1: exec's stream).
   */
  static long[] filteredCreated(List<JsonNode> in, Chunk out, int rejected) {
    int[] from = out.from();
    long net = (long) in.size() - rejected - out.size();
    if (from == null || out.records() == in) {
      return net >= 0 ? new long[] {net, 0} : new long[] {0, -net};
    }
    // The input records some output record was made from: each is in from once or more, in
    // order when the step keeps its input's order (every built-in one does: one pass, no table).
    int distinct = 0;
    int last = -1;
    boolean ordered = true;
    for (int j : from) {
      if (j < 0) continue;
      if (j < last) {
        ordered = false;
        break;
      }
      if (j != last) distinct++;
      last = j;
    }
    if (!ordered) {
      BitSet seen = new BitSet(in.size());
      for (int j : from) if (j >= 0) seen.set(j);
      distinct = seen.cardinality();
    }
    // A step that ties none of its outputs to an input record (exec with protocol stream, or a
    // pooled process that may answer late) says no more than one that does not say: by its net.
    if (distinct == 0 && out.size() > 0) {
      return net >= 0 ? new long[] {net, 0} : new long[] {0, -net};
    }
    long filtered = (long) in.size() - rejected - distinct;
    long created = (long) out.size() - distinct;
    // A rejected record that gave output records too: what it gave counts as created.
    if (filtered < 0) {
      created -= filtered;
      filtered = 0;
    }
    return new long[] {filtered, created};
  }
}

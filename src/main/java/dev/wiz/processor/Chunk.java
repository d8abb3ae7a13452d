package dev.wiz.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The unit of work: an ordered list of records with a deterministic id.
 *
 * @param id deterministic, human-typable and safe as a file name
 * @param index position of the chunk in the run (0-based); output order follows it
 * @param records the records; never modified in place by a processor
 * @param seed the seed derived from the run seed, the id of the processor about to see the chunk,
 *     and the chunk's position in the input (not its id, which holds the request key): the same on
 *     every run over the same input bytes, whatever the number of workers, the file names or times
 * @param from in a chunk a processor returns, for each record the index of the record of its input
 *     chunk that it was made from (or that it is), or -1 when it was made from several or none:
 *     that is how a record is still named by its input line after the step. Null when the
 *     processor does not say (and in the chunk it is given): a record that is one of the input
 *     records, the very object, is then known as that one, any other as made from none. Shared,
 *     never modified
 */
public record Chunk(String id, long index, List<JsonNode> records, long seed, int[] from) {
  public Chunk {
    Objects.requireNonNull(id, "id");
    records = List.copyOf(records);
    if (from != null && from.length != records.size()) {
      throw new IllegalArgumentException("from for " + from.length + " records, got " + records.size());
    }
  }

  public Chunk(String id, long index, List<JsonNode> records, long seed) {
    this(id, index, records, seed, null);
  }

  /** The same chunk with other records, without saying which input record each was made from. */
  public Chunk withRecords(List<JsonNode> newRecords) {
    return new Chunk(id, index, newRecords, seed, null);
  }

  /** The same chunk with other records, each made from the input record at its index in {@code from}. */
  public Chunk withRecords(List<JsonNode> newRecords, int[] from) {
    return new Chunk(id, index, newRecords, seed, from);
  }

  public Chunk withSeed(long newSeed) {
    return new Chunk(id, index, records, newSeed, from);
  }

  public int size() {
    return records.size();
  }
}

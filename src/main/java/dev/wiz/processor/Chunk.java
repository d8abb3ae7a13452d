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
 */
public record Chunk(String id, long index, List<JsonNode> records, long seed) {
  public Chunk {
    Objects.requireNonNull(id, "id");
    records = List.copyOf(records);
  }

  public Chunk withRecords(List<JsonNode> newRecords) {
    return new Chunk(id, index, newRecords, seed);
  }

  public Chunk withSeed(long newSeed) {
    return new Chunk(id, index, records, newSeed);
  }

  public int size() {
    return records.size();
  }
}

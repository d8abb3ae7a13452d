package dev.wiz.provenance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What went into the records a processor emitted at end of input (a {@link EventType#JOIN} chunk,
 * from {@code aggregate}, {@code sort}, ...), as far as the log tells. Such a processor sees every
 * chunk, in order, through one instance, so the chunks whose step at it took records in are the
 * chunks it drew on. The JOIN event itself names no parents; this reads them off the step events.
 * A resumed run does not log the steps of the chunks it took over again, though they went through
 * the processors to rebuild their state: those chunks are listed apart.
 */
public record JoinInputs(String processor, List<Input> chunks, List<String> reused) {
  public JoinInputs {
    chunks = List.copyOf(chunks);
    reused = List.copyOf(reused);
  }

  /** One chunk that reached the processor with records: how many, and their digest. */
  public record Input(String chunk, int records, String digest) {}

  /** The records that reached the processor from the chunks of this run's log. */
  public long records() {
    long n = 0;
    for (Input i : chunks) n += i.records();
    return n;
  }

  /** Reads the log of the run for the chunks that reached the processor with at least one record. */
  public static JoinInputs of(Path log, String processorId) throws IOException {
    List<Input> chunks = new ArrayList<>();
    List<String> reused = new ArrayList<>();
    for (Event e : ProvenanceReader.read(log, e -> e.type() == EventType.REUSED
        || ((e.type() == EventType.FILTERED || e.type() == EventType.CONTENT_MODIFIED)
            && e.processor() != null && processorId.equals(e.processor().id())))) {
      if (e.type() == EventType.REUSED) {
        reused.add(e.chunk());
      } else if (e.recordsIn() != null && e.recordsIn() > 0) {
        chunks.add(new Input(e.chunk(), e.recordsIn(), e.inputDigest()));
      }
    }
    return new JoinInputs(processorId, chunks, reused);
  }
}

package dev.wiz.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One entry of {@code processors}: its instance id, type, config, and position in the list.
 *
 * @param poolSize 0 for the lifetime model (a fresh instance per chunk); for the pool model the
 *     number of reused instances, or -1 for one per worker
 */
public record ProcessorSpec(int index, String id, String type, JsonNode config, int poolSize) {
  public ProcessorSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(config, "config");
  }

  /** A processor with the lifetime model. */
  public ProcessorSpec(int index, String id, String type, JsonNode config) {
    this(index, id, type, config, 0);
  }

  /** Where it stands in the pipeline file, for diagnostics. */
  public String pointer() {
    return "/processors/" + index;
  }
}

package dev.wiz.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** One entry of {@code processors}: its instance id, type, config, and position in the list. */
public record ProcessorSpec(int index, String id, String type, JsonNode config) {
  public ProcessorSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(config, "config");
  }

  /** Where it stands in the pipeline file, for diagnostics. */
  public String pointer() {
    return "/processors/" + index;
  }
}

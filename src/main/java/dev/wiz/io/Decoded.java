package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The records of one batch, and the ones that could not be decoded, each in input order. */
public record Decoded(List<JsonNode> records, List<RecordError> errors) {
  public Decoded {
    records = List.copyOf(records);
    errors = List.copyOf(errors);
  }
}

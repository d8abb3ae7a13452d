package dev.wiz.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import org.junit.jupiter.api.Test;

/** The readable types {@code wiz processors show} gives a config field. */
class ProcessorInfoTest {
  private static JsonNode json(String s) throws Exception {
    return Json.mapper().readTree(s);
  }

  @Test
  void aReferenceIsItsTargetsTypeOrTheTypeSaidBesideIt() throws Exception {
    JsonNode root = json("{\"$defs\":{\"d\":{\"type\":\"integer\"}}}");
    assertEquals("integer", ProcessorInfo.typeOf(json("{\"$ref\":\"#/$defs/d\"}"), root));
    // A reference into another file is not followed: the type beside it says what the value is.
    assertEquals("string", ProcessorInfo.typeOf(json("{\"$ref\":\"../defs/codec.schema.json#/$defs/delimiter\","
        + "\"type\":\"string\"}"), root));
    assertEquals("object", ProcessorInfo.typeOf(json("{\"$ref\":\"../defs/codec.schema.json#/$defs/x\"}"), root));
  }
}

package dev.wiz.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** A record a processor rejected, with the reason. */
record RecordRejection(JsonNode record, String reason) {}

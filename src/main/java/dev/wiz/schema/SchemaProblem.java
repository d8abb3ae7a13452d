package dev.wiz.schema;

import java.util.Objects;

/**
 * One way an instance breaks a schema, in wiz's words.
 *
 * @param pointer JSON pointer of the offending node, relative to the checked instance ({@code ""}
 *     is the instance itself)
 * @param message short, human, says what to do ({@code "missing required key 'path'"})
 * @param atKey true when the problem is the key itself (an unknown key): report it at the key's
 *     position rather than its value's
 */
public record SchemaProblem(String pointer, String message, boolean atKey) {
  public SchemaProblem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }
}

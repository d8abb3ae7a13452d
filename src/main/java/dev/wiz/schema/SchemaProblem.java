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
 * @param byType true when the rule broken is one the type's own check also makes, in more precise
 *     words (a {@code then} marked {@value SchemaCatalog#CHECKED_BY_TYPE_KEYWORD}, there for editors):
 *     validate reports it only when that check says nothing at the same place
 */
public record SchemaProblem(String pointer, String message, boolean atKey, boolean byType) {
  public SchemaProblem {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  public SchemaProblem(String pointer, String message, boolean atKey) {
    this(pointer, message, atKey, false);
  }

  SchemaProblem markedByType() {
    return new SchemaProblem(pointer, message, atKey, true);
  }
}

package dev.wiz.io;

import java.io.IOException;

/**
 * The bytes of an input cannot be read as what they are, or are not what the run started to read:
 * a gzip file cut short or corrupt, a file changed while it was read. Not a bad record: the rest
 * of the input cannot be told, so a parser that meets it passes it on as it is, and the run fails
 * (exit 4), rather than take the input for a shorter one or its message for a syntax error.
 */
final class BrokenInputException extends IOException {
  BrokenInputException(String message) {
    super(message);
  }
}

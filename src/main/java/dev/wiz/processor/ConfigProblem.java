package dev.wiz.processor;

/**
 * A problem in a processor's config that its schema cannot see (an expression that does not
 * compile, say).
 *
 * @param pointer JSON pointer relative to the processor's {@code config} ({@code "/where"})
 * @param message what is wrong and, where possible, what to do
 * @param offset 0-based character offset inside the string value where the problem starts, or -1
 */
public record ConfigProblem(String pointer, String message, int offset) {
  public ConfigProblem(String pointer, String message) {
    this(pointer, message, -1);
  }
}

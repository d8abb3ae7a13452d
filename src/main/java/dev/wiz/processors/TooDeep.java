package dev.wiz.processors;

/**
 * A stack overflow while a step works on one record (a jq program that calls itself once per step,
 * a record nested deeper than the thread's stack can go through) is an error of that record,
 * which {@code run.onError} handles as any other: the other records of the chunk go on. It is
 * caught where the step's loop takes its records, with the whole evaluation unwound, so nothing of
 * it is left on the thread and the instance goes on with the next record. Comparing values
 * ({@link JsonOrder}: sorting, grouping) and writing them (digests, sinks) take no Java frame per
 * level, so they do not overflow; an overflow in other work over a whole chunk or at end of input
 * still fails the run.
 */
final class TooDeep {
  private TooDeep() {}

  private static final String STACK = "give wiz's threads a larger stack (WIZ_JAVA_OPTS=-Xss8m bin/wiz ...)";

  /** The reason for a record a jq expression overflowed on: its program or its data. */
  static final String JQ = "recursion or nesting too deep (stack overflow) on this record: " + STACK
      + ", make the program recurse less (reduce or range instead of a function that calls itself once per step)"
      + " or nest the record less";

  /** The reason for a record the step's own code overflowed on: its data. */
  static final String RECORD = "nesting too deep (stack overflow) in this record: " + STACK + " or nest it less";
}

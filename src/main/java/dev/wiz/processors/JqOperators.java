package dev.wiz.processors;

import net.thisptr.jackson.jq.internal.operators.BinaryOperator;

/**
 * Puts wiz's operators in place of jackson-jq's: {@link JqArithmetic} for {@code +}, {@code -},
 * {@code *}, {@code /} and {@code %}, {@link JqComparison} for {@code ==}, {@code !=}, {@code <}, {@code <=},
 * {@code >} and {@code >=}. jackson-jq gives every operator of a parsed program (its builtins'
 * too, and assignments such as {@code +=}) an object of its own, in a field of the tree node.
 */
final class JqOperators {
  private JqOperators() {}

  /**
   * Swaps every arithmetic and comparison operator reachable from {@code root} (a compiled query,
   * or a scope with its functions) for wiz's. Returns how many it swapped.
   */
  static int patch(Object root) {
    int swapped = 0;
    for (JqTree.Slot s : JqTree.find(root, v -> v instanceof BinaryOperator && replacing(v) != null)) {
      if (s.set(replacing(s.value))) swapped++;
    }
    return swapped;
  }

  private static BinaryOperator replacing(Object operator) {
    BinaryOperator arithmetic = JqArithmetic.replacing(operator);
    return arithmetic != null ? arithmetic : JqComparison.replacing(operator);
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import net.thisptr.jackson.jq.internal.operators.BinaryOperator;
import net.thisptr.jackson.jq.internal.operators.EqualOperator;
import net.thisptr.jackson.jq.internal.operators.GreaterEqualOperator;
import net.thisptr.jackson.jq.internal.operators.GreaterOperator;
import net.thisptr.jackson.jq.internal.operators.LessEqualOperator;
import net.thisptr.jackson.jq.internal.operators.LessOperator;
import net.thisptr.jackson.jq.internal.operators.NotEqualOperator;

/**
 * jq's {@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >} and {@code >=} in {@link JqOrder}'s
 * order. jackson-jq's compared with a comparator that put {@code -0.0} below {@code 0} (so
 * {@code -0.0 == 0} was false) and strings in UTF-16 order ({@code "ｚ" < "😀"} was false).
 * {@link JqOperators#patch} puts these in place of jackson-jq's.
 */
final class JqComparison implements BinaryOperator {
  /** The six tests, each on the sign of the comparison. */
  enum Test {
    EQUAL("==") {
      @Override
      boolean holds(int c) {
        return c == 0;
      }
    },
    NOT_EQUAL("!=") {
      @Override
      boolean holds(int c) {
        return c != 0;
      }
    },
    LESS("<") {
      @Override
      boolean holds(int c) {
        return c < 0;
      }
    },
    LESS_EQUAL("<=") {
      @Override
      boolean holds(int c) {
        return c <= 0;
      }
    },
    GREATER(">") {
      @Override
      boolean holds(int c) {
        return c > 0;
      }
    },
    GREATER_EQUAL(">=") {
      @Override
      boolean holds(int c) {
        return c >= 0;
      }
    };

    private final String image;

    Test(String image) {
      this.image = image;
    }

    abstract boolean holds(int comparison);

    /** The test on two values, in jq's order. */
    boolean test(JsonNode l, JsonNode r) {
      return holds(JqOrder.compare(l, r));
    }
  }

  private final Test test;

  private JqComparison(Test test) {
    this.test = test;
  }

  @Override
  public JsonNode apply(ObjectMapper mapper, JsonNode l, JsonNode r) {
    return BooleanNode.valueOf(test.test(l, r));
  }

  @Override
  public String image() {
    return test.image;
  }

  /** The operator that takes the place of a jackson-jq operator, or null when it is no comparison. */
  static JqComparison replacing(Object operator) {
    Class<?> c = operator.getClass();
    if (c == EqualOperator.class) return new JqComparison(Test.EQUAL);
    if (c == NotEqualOperator.class) return new JqComparison(Test.NOT_EQUAL);
    if (c == LessOperator.class) return new JqComparison(Test.LESS);
    if (c == LessEqualOperator.class) return new JqComparison(Test.LESS_EQUAL);
    if (c == GreaterOperator.class) return new JqComparison(Test.GREATER);
    if (c == GreaterEqualOperator.class) return new JqComparison(Test.GREATER_EQUAL);
    return null;
  }

  /** The test this operator makes (for the fast path). */
  Test test() {
    return test;
  }
}

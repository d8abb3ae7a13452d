package dev.wiz.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The value of one option or parameter of a command, which picocli sets and reads through this
 * object: no reflection on fields, no lambda. A command holds one as a field and declares the option
 * in its {@code spec} method with {@link #option} or {@link #parameter}, as an {@code @Option} or
 * {@code @Parameters} annotation on the field would have.
 *
 * @param <T> the value's type: picocli converts the argument to it (an enum by its constant's name)
 */
final class Value<T> implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
  private final Class<T> type;
  private final T initial;
  private T value;

  private Value(Class<T> type, T initial) {
    this.type = type;
    this.initial = initial;
    this.value = initial;
  }

  /** A value of this type, null until given (or until picocli applies the option's default). */
  static <T> Value<T> of(Class<T> type) {
    return new Value<>(type, null);
  }

  /** An option that takes no argument: false until given. */
  static Value<Boolean> flag() {
    return new Value<>(boolean.class, Boolean.FALSE);
  }

  /** The value given, its default, or the initial value. */
  T value() {
    return value;
  }

  /**
   * The start of an option with these names bound to this value; its builder sets the rest. A flag
   * refuses an empty value ({@code --dry-run=}), as picocli refuses any other value but true or false.
   */
  OptionSpec.Builder option(String... names) {
    OptionSpec.Builder b = OptionSpec.builder(names).type(type).initialValue(initial).getter(this).setter(this);
    return type == boolean.class ? b.preprocessor(new NoEmptyFlagValue()) : b;
  }

  /**
   * picocli reads a flag given an empty value ({@code --dry-run=}, as {@code --dry-run=$FLAG} gives
   * when the variable is empty) as false: a script meaning a dry run would run for real. It is a
   * usage error, in picocli's words for a value that is not a boolean.
   */
  private static final class NoEmptyFlagValue implements CommandLine.IParameterPreprocessor {
    @Override
    public boolean preprocess(java.util.Stack<String> args, CommandLine.Model.CommandSpec command,
        CommandLine.Model.ArgSpec arg, java.util.Map<String, Object> info) {
      if (!" ".equals(info.get("separator")) && !args.isEmpty() && args.peek().isEmpty()) {
        throw new CommandLine.ParameterException(command.commandLine(),
            "Invalid value for option '" + ((OptionSpec) arg).longestName() + "': '' is not a boolean", arg, "");
      }
      return false;
    }
  }

  /**
   * The start of a positional parameter bound to this value, required as {@code @Parameters} makes
   * one of arity 1 (an optional one says {@code .arity("0..1").required(false)}); its builder sets the rest.
   */
  PositionalParamSpec.Builder parameter() {
    return PositionalParamSpec.builder().type(type).initialValue(initial).required(true).getter(this).setter(this);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> X get() {
    return (X) value;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <X> X set(X newValue) {
    T old = value;
    value = (T) newValue;
    return (X) old;
  }
}

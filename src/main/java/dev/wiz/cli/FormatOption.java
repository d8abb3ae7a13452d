package dev.wiz.cli;

import picocli.CommandLine.Model.OptionSpec;

/** {@code --format text|json}, shared by the reporting commands. */
final class FormatOption {
  final Value<Format> format = Value.of(Format.class);

  /** The option, for a command's spec: {@code --format=text|json}, default text. */
  OptionSpec option() {
    return format.option("--format").paramLabel("text|json").defaultValue("text")
        .description("text for people, json for scripts. Default: ${DEFAULT-VALUE}.").build();
  }

  boolean json() {
    return format.value() == Format.json;
  }
}

package dev.wiz.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json}, shared by the reporting commands. */
final class FormatOption {
  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text for people, json for scripts. Default: ${DEFAULT-VALUE}.")
  Format format;

  boolean json() {
    return format == Format.json;
  }
}

package dev.wiz.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every wiz command's picocli model starts with. The models are built in code, not read from
 * annotations: reading them makes the JDK generate a proxy class for each annotation type and
 * parse them reflectively, tens of milliseconds of every start (bench/README.md).
 */
final class Specs {
  private Specs() {}

  /**
   * A command of this name over its object (a {@code Runnable} or {@code Callable} picocli runs), with
   * the standard help options: what {@code @Command(name = ..., mixinStandardHelpOptions = true)} declares.
   */
  static CommandSpec command(Object userObject, CommandLine.IFactory factory, String name) {
    CommandSpec s = CommandSpec.wrapWithoutInspection(userObject, factory).name(name);
    standardHelpOptions(s);
    return s;
  }

  /** picocli's standard help options ({@code mixinStandardHelpOptions}), with its own descriptions. */
  static void standardHelpOptions(CommandSpec s) {
    s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
    s.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
  }
}

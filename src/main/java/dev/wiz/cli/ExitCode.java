package dev.wiz.cli;

/** Every exit code wiz returns; the README and {@code wiz --help} list the same table. */
public enum ExitCode {
  OK(0, "success"),
  INTERNAL_ERROR(1, "internal error (a bug in wiz: please report it with --verbose output)"),
  USAGE(2, "usage error: unknown option, missing argument, unreadable file"),
  INVALID(3, "invalid pipeline or config, unknown run or chunk id, or broken run state"),
  RUN_FAILED(4, "the run failed"),
  COMPLETED_WITH_ERRORS(5, "the run completed, but records were skipped or dead-lettered"),
  REFUSED(6, "refused by a request rule: already running, succeeded, failed too often"),
  INTERRUPTED(130, "interrupted by SIGINT or SIGTERM"),
  OUTPUT_CLOSED(141, "stopped: the reader of stdout closed it (wiz run p.yaml | head)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}

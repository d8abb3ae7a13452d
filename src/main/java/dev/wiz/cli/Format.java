package dev.wiz.cli;

/** Output formats of reporting commands. */
enum Format {
  text,
  json
}

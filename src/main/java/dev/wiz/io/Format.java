package dev.wiz.io;

import java.util.Locale;

/** The codecs. */
enum Format {
  JSONL,
  JSON,
  CSV,
  LINES;

  static Format parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}

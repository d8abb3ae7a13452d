package dev.wiz.pipeline;

import java.util.Locale;

/** What a record or chunk error does ({@code run.onError}). */
public enum OnError {
  /** The run fails (exit 4). */
  FAIL,
  /** The record or chunk is dropped and counted (exit 5). */
  SKIP,
  /** The record or chunk goes to the run's dead-letter.jsonl with the reason (exit 5). */
  DEAD_LETTER;

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static OnError parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}

package dev.wiz.provenance;

/** The kinds of provenance event (DESIGN section 7). */
public enum EventType {
  /** A chunk was cut from the source: file, line range, records, digest of the raw bytes. */
  CREATE,
  /** A processor instance changed lifecycle state. */
  STATE,
  /** A processor ran on the chunk and gave as many or more records (digests tell what changed). */
  CONTENT_MODIFIED,
  /** A processor ran on the chunk and gave fewer records than it got. */
  FILTERED,
  /** A chunk was split into child chunks. */
  FORK,
  /** Chunks were merged into one (a processor's finish() output). */
  JOIN,
  /** Records or a chunk were dropped by {@code onError: skip}. */
  DROP,
  /** The chunk's output was written to the sink. */
  SEND,
  /** Records or a chunk went to the dead-letter file. */
  DEAD_LETTER,
  /** A chunk committed by an earlier attempt was reused (resume). */
  REUSED
}

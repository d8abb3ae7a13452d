package dev.wiz.engine;

import dev.wiz.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Derives per-chunk seeds: hash(run seed, processor id, chunk position), never a shared generator.
 *
 * <p>The position is where the chunk sits in the input, as the end of its id reads: {@code 000003}
 * for the fourth chunk read, {@code 000003.1} for the second child of a fork of it,
 * {@code final-<step>-<part>} for what a step emits at end of input. Not the whole chunk id: that
 * starts with the pipeline's name and the request key, which changes with the input files' times,
 * their names, the sink's path and so on, and the same input bytes must give the same seeds.
 */
public final class Seeds {
  private Seeds() {}

  public static long derive(long runSeed, String processorId, String position) {
    MessageDigest md = Json.sha256();
    md.update(ByteBuffer.allocate(8).putLong(runSeed).array());
    md.update((byte) 0);
    md.update(processorId.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(position.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(md.digest()).getLong();
  }
}

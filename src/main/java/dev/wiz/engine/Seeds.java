package dev.wiz.engine;

import dev.wiz.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Derives per-chunk seeds: hash(run seed, processor id, chunk id), never a shared generator. */
public final class Seeds {
  private Seeds() {}

  public static long derive(long runSeed, String processorId, String chunkId) {
    MessageDigest md = Json.sha256();
    md.update(ByteBuffer.allocate(8).putLong(runSeed).array());
    md.update((byte) 0);
    md.update(processorId.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(chunkId.getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(md.digest()).getLong();
  }
}

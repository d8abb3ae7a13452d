package dev.wiz.processor;

import java.util.Objects;

/**
 * A file a processor read whole while it was prepared, once for the run (a {@code lookup} table):
 * what its output depends on besides the records. Its digest is part of the request key and of
 * the step's config digest, so another content is another request, as another input is; {@code
 * run.json} lists it under {@code references}.
 *
 * @param processor the id of the processor that read it
 * @param name the file as the config names it
 * @param path its absolute path
 * @param bytes its size as stored
 * @param digest {@code sha256:<hex>} of its bytes as stored
 * @param records how many records it holds
 */
public record ReferenceFile(String processor, String name, String path, long bytes, String digest, long records) {
  public ReferenceFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
  }

  /** The same file, read by the processor with that id. */
  public ReferenceFile withProcessor(String id) {
    return new ReferenceFile(id, name, path, bytes, digest, records);
  }
}

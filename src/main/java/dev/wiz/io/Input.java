package dev.wiz.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One thing to read: a file, or standard input. What {@link #open} gives is text: compressed input
 * is decompressed ({@link ForeignInput}), so lines and columns count in the text, while a file's
 * fingerprint (size, time, and the digest of {@code --checksum}) is of its bytes as stored.
 */
interface Input {
  String name();

  InputStream open() throws IOException;

  /** The input's fingerprint; a file's is taken once, when first asked for (or opened), and kept. */
  InputFile fingerprint() throws IOException;

  /** The fingerprints of the inputs, in order; an unreadable one is listed without size. */
  static java.util.List<InputFile> fingerprints(java.util.List<Input> inputs) {
    java.util.List<InputFile> out = new java.util.ArrayList<>();
    for (Input i : inputs) {
      try {
        out.add(i.fingerprint());
      } catch (IOException e) {
        out.add(new InputFile(i.name(), null, -1, -1));
      }
    }
    return out;
  }

  static Input file(Inputs.Named named) {
    return file(named, java.util.function.UnaryOperator.identity());
  }

  /**
   * A file whose bytes as stored pass through {@code stored} as they are read (a digest taken
   * while the records are parsed), before they are checked and decompressed.
   */
  static Input file(Inputs.Named named, java.util.function.UnaryOperator<InputStream> stored) {
    Path p = named.path();
    return new Input() {
      /** The first fingerprint taken: what the request key and the run record say is read. */
      private volatile InputFile first;

      @Override
      public String name() {
        return named.name();
      }

      @Override
      public InputStream open() throws IOException {
        InputFile expected = fingerprint();
        // The file's own bytes are counted and checked at their end; what a compressed file holds is read from them.
        String file = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return ForeignInput.check(new UnchangedInput(stored.apply(Files.newInputStream(p)), p, expected), named.name(), false,
            ForeignInput.namedCodec(file));
      }

      @Override
      public InputFile fingerprint() throws IOException {
        InputFile f = first;
        if (f == null) {
          f = new InputFile(named.name(), p.toAbsolutePath().toString(), Files.size(p),
              Files.getLastModifiedTime(p).toMillis());
          first = f;
        }
        return f;
      }
    };
  }

  /**
   * A stream that may wait for input for ever (standard input): reading it stops with {@link
   * ReadCancelledException} once {@code cancelled} says so, and a read that waits for input once
   * {@code stopWaiting} says so. Closing what {@link #open} gives leaves the stream open: standard
   * input belongs to the process, not to the source.
   */
  static Input stream(String name, InputStream in, java.util.function.BooleanSupplier cancelled,
      java.util.function.BooleanSupplier stopWaiting) {
    return new Input() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public InputStream open() throws IOException {
        return ForeignInput.check(new CancellableInputStream(in, cancelled, stopWaiting, "wiz-read-" + name), name, true, null);
      }

      @Override
      public InputFile fingerprint() {
        return new InputFile(name, null, -1, -1);
      }
    };
  }
}

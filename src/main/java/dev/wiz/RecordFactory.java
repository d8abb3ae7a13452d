package dev.wiz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.core.json.WriterBasedJsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * The JSON factory of {@link Json#records()}: Jackson's own generators, but a double is written as
 * jq 1.6 writes it ({@link JsonNumbers#jq}: {@code 3}, {@code 1e+19}, {@code null} for NaN). A
 * subclass of the generator rather than a serializer or a delegating generator: every other value
 * is written by Jackson's code as it is, with no extra call on the way.
 */
final class RecordFactory extends JsonFactory {
  private static final long serialVersionUID = 1L;

  RecordFactory(JsonFactoryBuilder b) {
    super(b);
  }

  private RecordFactory(RecordFactory src, ObjectCodec codec) {
    super(src, codec);
  }

  @Override
  public JsonFactory copy() {
    return new RecordFactory(this, null);
  }

  // As JsonFactory makes its generators, with these classes.

  @Override
  protected JsonGenerator _createUTF8Generator(OutputStream out, IOContext ctxt) throws IOException {
    UTF8JsonGenerator g = new Utf8(ctxt, _generatorFeatures, _objectCodec, out, _quoteChar);
    if (_maximumNonEscapedChar > 0) g.setHighestNonEscapedChar(_maximumNonEscapedChar);
    if (_characterEscapes != null) g.setCharacterEscapes(_characterEscapes);
    if (_rootValueSeparator != DEFAULT_ROOT_VALUE_SEPARATOR) g.setRootValueSeparator(_rootValueSeparator);
    return _decorate(g);
  }

  @Override
  protected JsonGenerator _createGenerator(Writer out, IOContext ctxt) throws IOException {
    WriterBasedJsonGenerator g = new Chars(ctxt, _generatorFeatures, _objectCodec, out, _quoteChar);
    if (_maximumNonEscapedChar > 0) g.setHighestNonEscapedChar(_maximumNonEscapedChar);
    if (_characterEscapes != null) g.setCharacterEscapes(_characterEscapes);
    if (_rootValueSeparator != DEFAULT_ROOT_VALUE_SEPARATOR) g.setRootValueSeparator(_rootValueSeparator);
    return _decorate(g);
  }

  /** Writes UTF-8 bytes. */
  private static final class Utf8 extends UTF8JsonGenerator {
    Utf8(IOContext ctxt, int features, ObjectCodec codec, OutputStream out, char quote) {
      super(ctxt, features, codec, out, quote);
    }

    @Override
    public void writeNumber(double d) throws IOException {
      writeNumber(JsonNumbers.jq(d));
    }

    @Override
    public void writeNumber(float f) throws IOException {
      writeNumber(JsonNumbers.jq(f));
    }
  }

  /** Writes characters ({@code writeValueAsString}). */
  private static final class Chars extends WriterBasedJsonGenerator {
    Chars(IOContext ctxt, int features, ObjectCodec codec, Writer out, char quote) {
      super(ctxt, features, codec, out, quote);
    }

    @Override
    public void writeNumber(double d) throws IOException {
      writeNumber(JsonNumbers.jq(d));
    }

    @Override
    public void writeNumber(float f) throws IOException {
      writeNumber(JsonNumbers.jq(f));
    }
  }
}

package dev.wiz;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one JSON codec of wiz: lazily built, shared, thread-safe {@link ObjectMapper}s (one for wiz's
 * own files, one for records), the canonical byte form of a JSON value (keys sorted, no
 * insignificant white space) and sha-256 digests.
 */
public final class Json {
  private Json() {}

  /**
   * What wiz reads in one JSON value, for every reader (JSON Lines, JSON, CSV fields): at most
   * 1000 levels of nesting, keys of at most 50000 bytes, strings of at most 20000000 characters,
   * numbers of at most 1000 digits; no limit on an input's length. Jackson's defaults, set here so
   * that what the README says stays true whatever a later Jackson's defaults are. Not configurable.
   */
  public static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder()
      .maxNestingDepth(1000)
      .maxNameLength(50_000)
      .maxStringLength(20_000_000)
      .maxNumberLength(1000)
      .maxDocumentLength(-1)
      .maxTokenCount(-1)
      .build();

  /**
   * How deep the sinks write: at most 1000 levels of nested arrays and objects, what wiz reads
   * ({@link #READ_LIMITS}), so every output wiz writes it can read back. A record nested deeper (a
   * jq program can build one) is a record error of the sink ({@link #output()}).
   */
  public static final int OUTPUT_NESTING = 1000;

  /**
   * What wiz writes of records in memory (the digests between steps, dead letters, an exec
   * program's input, the canonical form): any depth, since a jq program may build a value deeper
   * than anything read. Only the sinks keep to {@link #OUTPUT_NESTING}.
   */
  private static final StreamWriteConstraints ANY_DEPTH =
      StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build();

  private static final class Holder {
    static final ObjectMapper MAPPER =
        JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).build())
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            // Emoji and other characters past U+FFFF are written as UTF-8, as jq does, not as
            // escaped surrogate pairs.
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            // Jackson's own number conversions (Schubfach to write, FastDoubleParser to read):
            // both give the double the JDK would; the writer always its shortest form. 6% of the
            // events job (bench/README.md). The canonical form uses the writer too.
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
  }

  /** The same settings as {@link Holder#MAPPER}, on a factory whose generators write doubles as jq does. */
  private static final class Records {
    static final ObjectMapper MAPPER = recordMapper(ANY_DEPTH);
  }

  /** {@link Records#MAPPER} as the sinks write: at most {@link #OUTPUT_NESTING} levels deep. */
  private static final class Output {
    static final ObjectMapper MAPPER =
        recordMapper(StreamWriteConstraints.builder().maxNestingDepth(OUTPUT_NESTING).build());
  }

  /** {@link Output#MAPPER} for a record that goes inside an array: one level less. */
  private static final class OutputInArray {
    static final ObjectMapper MAPPER =
        recordMapper(StreamWriteConstraints.builder().maxNestingDepth(OUTPUT_NESTING - 1).build());
  }

  private static ObjectMapper recordMapper(StreamWriteConstraints writes) {
    return JsonMapper.builder(new RecordFactory(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                .streamReadConstraints(READ_LIMITS)
                .streamWriteConstraints(writes)
                .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
                .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)))
            .addModule(FlatNodeSerializer.module())
            .build();
  }

  /**
   * Canonical bytes (what {@code hash} and {@code dedupe} digest): keys sorted, a number read from
   * the input as its value, not its text ({@link WrittenNumber#serialize}), and a double as its
   * shortest text in Java's notation ({@code 1.0E10}): Jackson's Schubfach writer, which gives
   * what {@code Double.toString} gives from JDK 19 on, so the digests are the same on every JDK
   * (JDK 17's own is longer for some doubles). NaN and the infinities, which jq can compute, are
   * the bare tokens {@code NaN}, {@code Infinity}, {@code -Infinity}: never the same bytes as the
   * strings {@code "NaN"} or {@code "Infinity"}.
   */
  private static final class Canonical {
    static final ObjectMapper MAPPER = canonicalBuilder().addModule(FlatNodeSerializer.module()).build();
  }

  /** The settings of the canonical form: keys sorted, shortest doubles, NaN and infinities as bare tokens. */
  private static JsonMapper.Builder canonicalBuilder() {
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).streamWriteConstraints(ANY_DEPTH)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(com.fasterxml.jackson.core.json.JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build())
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.WRITE_PROPERTIES_SORTED)
        .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
  }

  /** {@link Canonical#MAPPER}, with numbers written by {@code numbers}. */
  private static ObjectMapper valueMapper(ValueNumberSerializer numbers) {
    return canonicalBuilder()
        // Every value that is not an array or an object through the mapper's serializers, so
        // that a number nested at any depth is written by value too.
        .addModule(FlatNodeSerializer.lookingUpModule())
        .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("wiz-value-numbers")
            .addSerializer(com.fasterxml.jackson.databind.node.NumericNode.class, numbers))
        .build();
  }

  /** The form of a {@code dedupe} key: {@link #canonicalBytes} with numbers by their value in jq's sense. */
  private static final class Keys {
    static final ObjectMapper MAPPER = valueMapper(ValueNumberSerializer.JQ_VALUE);
  }

  /** The form {@code hash} digests: {@link #canonicalBytes}, but {@code -0.0} as {@code 0.0}. */
  private static final class Hashed {
    static final ObjectMapper MAPPER = valueMapper(ValueNumberSerializer.TYPED);
  }

  /**
   * The mapper of wiz's own files and reports (state, provenance, {@code --format json}): plain
   * JSON, insertion order kept, numbers as Jackson writes them.
   */
  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  /**
   * The mapper that writes records (sinks, dead letters, the digests of records between steps, an
   * {@code exec} program's stdin): as {@link #mapper()}, but a double is written as jq 1.6 writes
   * it ({@link JsonNumbers#jq}), and a number read from the input keeps its text ({@link
   * WrittenNumber}).
   */
  public static ObjectMapper records() {
    return Records.MAPPER;
  }

  /**
   * {@link #records()} as the sinks write records: the same bytes, but a value nested more than
   * {@link #OUTPUT_NESTING} levels deep fails with a {@link
   * com.fasterxml.jackson.core.exc.StreamConstraintsException}.
   */
  public static ObjectMapper output() {
    return Output.MAPPER;
  }

  /**
   * {@link #output()} for the records of the {@code json} format, which go inside one array: at
   * most {@link #OUTPUT_NESTING} levels with the array's.
   */
  public static ObjectMapper outputInArray() {
    return OutputInArray.MAPPER;
  }

  /** Whether the generator writes canonical bytes (a number's value, not its written text). */
  static boolean canonical(JsonGenerator g) {
    return g.getCodec() == Canonical.MAPPER;
  }

  /** The mapper of the canonical form ({@link #canonicalBytes}). */
  static ObjectMapper canonicalMapper() {
    return Canonical.MAPPER;
  }

  /** Canonical bytes: UTF-8, object keys sorted, compact. Equal values give equal bytes. */
  public static byte[] canonicalBytes(JsonNode node) {
    try {
      return Canonical.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The bytes {@code dedupe} digests for a key: {@link #canonicalBytes}, but every number, at any
   * depth, as its value in jq's sense ({@link JsonNumbers#valueText}), so that numbers {@code
   * aggregate} puts in one group are one key: {@code 1}, {@code 1.0} and {@code 1e0}; {@code 0},
   * {@code -0} and {@code -0.0}.
   */
  public static byte[] keyBytes(JsonNode node) {
    return bytes(Keys.MAPPER, node);
  }

  /**
   * The bytes {@code hash} digests for a value that is not a string: {@link #canonicalBytes}, in
   * which an integer and a floating number stay apart ({@code 1} and {@code 1.0}), but {@code -0.0}
   * is {@code 0.0}, as jq holds them equal (and as {@code -0} is {@code 0}).
   */
  public static byte[] hashBytes(JsonNode node) {
    return bytes(Hashed.MAPPER, node);
  }

  private static byte[] bytes(ObjectMapper mapper, JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** sha-256 of the canonical bytes, as {@code sha256:<hex>}. */
  public static String digest(JsonNode node) {
    return digest(canonicalBytes(node));
  }

  /**
   * sha-256 over records as compact JSON lines (the bytes a jsonl sink writes), streamed into the
   * digest without keeping a copy. Keys in the order the records hold them.
   */
  public static String digestLines(java.util.List<JsonNode> records) {
    MessageDigest md = sha256();
    java.io.OutputStream sink = new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), md);
    try (JsonGenerator g = records().getFactory().createGenerator(sink)) {
      g.setRootValueSeparator(null);
      for (JsonNode r : records) {
        records().writeTree(g, r);
        g.writeRaw('\n');
      }
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return hex(md);
  }

  /** sha-256 of the bytes, as {@code sha256:<hex>}. */
  public static String digest(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** sha-256 of a string's UTF-8 bytes, as {@code sha256:<hex>}. */
  public static String digest(String text) {
    return digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A new sha-256 message digest (every JDK has it). */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Formats a finished digest as {@code sha256:<hex>}. */
  public static String hex(MessageDigest md) {
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }
}

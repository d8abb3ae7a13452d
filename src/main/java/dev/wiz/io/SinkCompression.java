package dev.wiz.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a file sink writes gzip: exactly when its name ends in {@code .gz} or {@code .gzip} (any
 * case). {@code compression: gzip} says so as well and {@code level} sets the level; an option
 * that says otherwise than the name is a config error, so the name always tells a reader (zcat,
 * wiz's own source, {@code provenance verify}) what the file holds.
 */
public final class SinkCompression {
  private SinkCompression() {}

  /** Whether a file name is a gzip file's ({@code .gz} or {@code .gzip}, any case). */
  public static boolean gzipName(String path) {
    String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return (last.endsWith(".gz") && last.length() > 3) || (last.endsWith(".gzip") && last.length() > 5);
  }

  /** The gzip level of a valid file sink that writes gzip, or 0 for one that writes text (and stdout). */
  public static int gzipLevel(JsonNode sink) {
    if (!"file".equals(sink.path("type").asText())) return 0;
    JsonNode c = sink.get("compression");
    boolean gzip = c != null ? "gzip".equals(c.asText()) : gzipName(sink.path("path").asText());
    return gzip ? sink.path("level").asInt(GzipMember.DEFAULT_LEVEL) : 0;
  }

  /**
   * What to add to the schema's "unknown key" of {@code compression} or {@code level} (the {@code
   * pointer}) in a stdout sink, which writes text: how to compress it; null for any other key or sink.
   */
  public static String stdoutHint(JsonNode sink, String pointer) {
    if (sink == null || !"stdout".equals(sink.path("type").asText())) return null;
    if (!pointer.equals("/sink/compression") && !pointer.equals("/sink/level")) return null;
    return ": a stdout sink writes text; to compress it, pipe it (wiz run PIPELINE | gzip > out.jsonl.gz),"
        + " or use a file sink named .gz (type: file, path: out.jsonl.gz)";
  }

  /**
   * What contradicts itself in a file sink's {@code compression}, {@code level} and {@code path}
   * (as written: what is not a file sink with a textual path is left to the schema).
   */
  public static List<PathOverlaps.Problem> check(JsonNode sink) {
    List<PathOverlaps.Problem> out = new ArrayList<>();
    if (sink == null || !"file".equals(sink.path("type").asText())) return out;
    JsonNode p = sink.get("path");
    if (p == null || !p.isTextual() || p.asText().isEmpty() || IoFactory.namesAFolder(p.asText())) return out;
    String path = p.asText();
    boolean named = gzipName(path);
    JsonNode c = sink.get("compression");
    String compression = c != null && c.isTextual() ? c.asText() : null;
    String plain = named ? path.substring(0, path.lastIndexOf('.')) : path;
    if (named && "none".equals(compression)) {
      out.add(new PathOverlaps.Problem("/sink/compression", "compression is none, but '" + path + "' ends in "
          + path.substring(path.lastIndexOf('.')) + ", which tells every reader (zcat, gzip -d, wiz's file source) that it"
          + " holds gzip: leave compression out to write gzip, or name the file '" + plain + "' to write text"));
    } else if (!named && "gzip".equals(compression)) {
      out.add(new PathOverlaps.Problem("/sink/compression", "compression is gzip, but '" + path + "' does not end in .gz,"
          + " so readers would take its gzip data for text: name the file '" + path + ".gz' (the name alone says gzip),"
          + " or leave compression out to write text"));
    } else if (sink.has("level") && (named ? "none".equals(compression) : !"gzip".equals(compression))) {
      out.add(new PathOverlaps.Problem("/sink/level", "level is the gzip level, but '" + path + "' is written as text"
          + (named ? " (compression none)" : " (its name does not end in .gz)") + ": name the file '" + plain
          + ".gz' to write gzip, or leave level out"));
    }
    return out;
  }
}

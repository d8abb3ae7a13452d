package dev.wiz.provenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A run as OpenLineage run events (spec 2-0-2, {@code RunEvent}): a {@code START} at the run's
 * start and, once it ended, one {@code COMPLETE}, {@code FAIL} or {@code ABORT} at its end. The job
 * is the pipeline ({@code namespace "wiz"}); the datasets are the input files and the output file
 * (namespace {@code file}, name the absolute path, as OpenLineage names local files). stdin and
 * stdout are not datasets and are left out.
 */
public final class OpenLineageExport {
  public static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  public static final String JOB_NAMESPACE = "wiz";
  public static final String DATASET_NAMESPACE = "file";
  /** The standard facet of an output's size, in the end event. */
  public static final String OUTPUT_STATISTICS_URL =
      "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
  /**
   * wiz's own facet ({@code wiz_text}) of an output stored as other bytes than its text (gzip): the
   * text's length and sha-256, as run.json's {@code output.text} has them.
   */
  public static final String TEXT_FACET_URL = "urn:dev.wiz:facets/1-0-0/TextOutputDatasetFacet";

  private OpenLineageExport() {}

  /** The URI that names wiz (at the version that wrote the log) as the producer of the events. */
  public static String producer(String wizVersion) {
    return "urn:maven:dev.wiz:wiz:" + (wizVersion == null ? "unknown" : wizVersion);
  }

  /**
   * The event type that ends a run of this status: {@code COMPLETE} for {@code success} and
   * {@code completed-with-errors}, {@code FAIL} for {@code failed} and {@code crashed},
   * {@code ABORT} for {@code interrupted}; empty while it runs (or for a status wiz does not know).
   */
  public static Optional<String> endType(String status) {
    switch (status == null ? "" : status) {
      case "success":
      case "completed-with-errors":
        return Optional.of("COMPLETE");
      case "failed":
      case "crashed":
        return Optional.of("FAIL");
      case "interrupted":
        return Optional.of("ABORT");
      default:
        return Optional.empty();
    }
  }

  /**
   * The run id as OpenLineage wants it, a UUID: wiz's run ids are UUIDs and are kept as they are;
   * any other id is mapped to the name-based (version 3) UUID of its text, so it stays stable.
   */
  public static String runId(String id) {
    try {
      UUID u = UUID.fromString(id);
      if (u.toString().equalsIgnoreCase(id)) return u.toString();
    } catch (IllegalArgumentException notOne) {
      // fall through
    }
    return UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
  }

  /**
   * What the events of a run need of its log, taken from each event as it is read ({@link #test}
   * keeps none): the files the sink wrote and the time of the last event.
   */
  public static final class Seen implements java.util.function.Predicate<Event> {
    private final Set<String> outputs = new LinkedHashSet<>();
    private boolean any;
    private String lastTime;

    @Override
    public boolean test(Event e) {
      if (e.sink() != null && !e.sink().target().equals("stdout")) outputs.add(e.sink().target());
      any = true;
      lastTime = e.time();
      return false;
    }
  }

  /** The events of a run, oldest first, from its log as {@link #events(RunInfo, Seen)} has them. */
  public static List<ObjectNode> events(RunInfo run, List<Event> log) {
    Seen seen = new Seen();
    log.forEach(seen::test);
    return events(run, seen);
  }

  /**
   * The events of a run, oldest first. The end event's time is run.json's {@code endedAt}, or, for
   * a run whose process died without writing it, the time of the log's last event.
   */
  public static List<ObjectNode> events(RunInfo run, Seen log) {
    List<ObjectNode> out = new ArrayList<>();
    Set<String> outputs = new LinkedHashSet<>(log.outputs);
    run.outputFile().ifPresent(outputs::add);
    out.add(event(run, "START", run.startedAt(), outputs, false));
    Optional<String> end = endType(run.status());
    if (end.isPresent()) {
      String time = run.endedAt();
      if (time == null && log.any) time = log.lastTime;
      if (time == null) time = run.startedAt();
      out.add(event(run, end.get(), time, outputs, true));
    }
    return out;
  }

  private static ObjectNode event(RunInfo run, String type, String time, Set<String> outputs, boolean ended) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("eventType", type);
    o.put("eventTime", time);
    o.putObject("run").put("runId", runId(run.runId()));
    ObjectNode job = o.putObject("job");
    job.put("namespace", JOB_NAMESPACE);
    job.put("name", run.pipeline());
    ArrayNode inputs = o.putArray("inputs");
    for (RunInfo.Input i : run.inputs()) {
      if (i.path() != null) dataset(inputs, i.path());
    }
    ArrayNode outs = o.putArray("outputs");
    for (String target : outputs) {
      ObjectNode d = dataset(outs, target);
      // What the run wrote there is known once it ended (run.json's output).
      if (ended && target.equals(run.output())) outputFacets(d, run);
    }
    o.put("producer", producer(run.wizVersion()));
    o.put("schemaURL", SCHEMA_URL);
    return o;
  }

  private static ObjectNode dataset(ArrayNode into, String path) {
    return into.addObject().put("namespace", DATASET_NAMESPACE).put("name", path);
  }

  /**
   * The output's records and bytes as stored ({@code outputStatistics}) and, for a gzip output,
   * the text it holds ({@code wiz_text}), when run.json recorded them.
   */
  private static void outputFacets(ObjectNode dataset, RunInfo run) {
    if (run.outputRecords() == null && run.outputBytes() == null && run.outputText() == null) return;
    ObjectNode facets = dataset.putObject("outputFacets");
    if (run.outputRecords() != null || run.outputBytes() != null) {
      ObjectNode stats = facet(facets, "outputStatistics", run, OUTPUT_STATISTICS_URL);
      if (run.outputRecords() != null) stats.put("rowCount", run.outputRecords());
      if (run.outputBytes() != null) stats.put("size", run.outputBytes());
    }
    if (run.outputText() != null) {
      facet(facets, "wiz_text", run, TEXT_FACET_URL)
          .put("bytes", run.outputText().bytes())
          .put("digest", run.outputText().digest());
    }
  }

  private static ObjectNode facet(ObjectNode facets, String name, RunInfo run, String schemaUrl) {
    return facets.putObject(name).put("_producer", producer(run.wizVersion())).put("_schemaURL", schemaUrl);
  }
}

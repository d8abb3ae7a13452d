package dev.wiz.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The export to PROV-JSON as wiz made it before it was streamed ({@link ProvJsonExport}): the whole
 * document built as a tree from the events in memory. Kept to hold the streamed document against,
 * byte for byte. What follows is its own documentation.
 *
 * <p>A run's provenance log as one W3C PROV-JSON document. Entities: the input files, the content of
 * every chunk at every stage (as created, forked or joined, then after each step; with its
 * digest and record count), what each chunk wrote to the sink, the output and the dead-letter
 * file. Activities: the run, and every CREATE, step, FORK, JOIN, DROP, DEAD_LETTER, SEND and
 * REUSED of a chunk. Agents: wiz and each processor. Relations: {@code used},
 * {@code wasGeneratedBy}, {@code wasDerivedFrom}, {@code wasAssociatedWith}, {@code wasInformedBy}.
 * STATE events (lifecycle transitions) are not lineage and are left out. Ids follow the log's
 * order, so the same log gives the same document.
 */
public final class ProvJsonTreeExport {
  /** Attribute and type names, and run-independent ids (files, runs, wiz itself). */
  public static final String WIZ_NAMESPACE = "urn:dev.wiz:";

  private final RunInfo run;
  private final ObjectNode doc = Json.mapper().createObjectNode();
  private final ObjectNode entity;
  private final ObjectNode activity;
  private final ObjectNode agent;
  private final ObjectNode used;
  private final ObjectNode generated;
  private final ObjectNode derived;
  private final ObjectNode associated;
  private final ObjectNode informed;
  private final Map<String, Integer> counters = new HashMap<>();
  /** Each chunk's latest content entity and its stage number. */
  private final Map<String, String> current = new HashMap<>();
  private final Map<String, Integer> stage = new HashMap<>();

  private ProvJsonTreeExport(RunInfo run) {
    this.run = run;
    ObjectNode prefix = doc.putObject("prefix");
    prefix.put("wiz", WIZ_NAMESPACE);
    prefix.put("run", WIZ_NAMESPACE + "run:" + run.runId() + "/");
    entity = doc.putObject("entity");
    activity = doc.putObject("activity");
    agent = doc.putObject("agent");
    used = doc.putObject("used");
    generated = doc.putObject("wasGeneratedBy");
    derived = doc.putObject("wasDerivedFrom");
    associated = doc.putObject("wasAssociatedWith");
    informed = doc.putObject("wasInformedBy");
  }

  /** The document of a run from its record and its log. */
  public static ObjectNode document(RunInfo run, List<Event> log) {
    ProvJsonTreeExport x = new ProvJsonTreeExport(run);
    x.build(log);
    return x.doc;
  }

  // ---- ids ---------------------------------------------------------------------------------------

  /** A local name: letters, digits, {@code . _ - /} as they are, any other byte as {@code %XX}. */
  static String local(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/') {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  static String runActivity(String runId) {
    return "wiz:run/" + local(runId);
  }

  static String stageEntity(String chunk, int n) {
    return "run:chunk/" + local(chunk) + "/" + n;
  }

  private static final String WIZ_AGENT = "wiz:wiz";

  private String fileEntity(String path) {
    return "wiz:file/" + local(path);
  }

  private String relation(String prefix) {
    int n = counters.merge(prefix, 1, Integer::sum);
    return "_:" + prefix + n;
  }

  private static ObjectNode qname(String q) {
    return typed(q, "xsd:QName");
  }

  /**
   * A typed literal: {@code {"$": "...", "type": "xsd:long"}}. A seed is any 64-bit number, most
   * beyond 2^53, which a JSON number loses in a reader that holds numbers as doubles (JavaScript).
   */
  private static ObjectNode typed(String value, String type) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("$", value);
    o.put("type", type);
    return o;
  }

  // ---- statements -------------------------------------------------------------------------------

  private void used(String act, String ent, Event e) {
    ObjectNode u = used.putObject(relation("u"));
    u.put("prov:activity", act);
    u.put("prov:entity", ent);
    if (e != null && e.time() != null) u.put("prov:time", e.time());
  }

  private void generated(String ent, String act, Event e) {
    ObjectNode g = generated.putObject(relation("g"));
    g.put("prov:entity", ent);
    g.put("prov:activity", act);
    if (e != null && e.time() != null) g.put("prov:time", e.time());
  }

  private void derived(String generatedEntity, String usedEntity, String act) {
    ObjectNode d = derived.putObject(relation("d"));
    d.put("prov:generatedEntity", generatedEntity);
    d.put("prov:usedEntity", usedEntity);
    if (act != null) d.put("prov:activity", act);
  }

  private void associated(String act, String ag) {
    ObjectNode a = associated.putObject(relation("a"));
    a.put("prov:activity", act);
    a.put("prov:agent", ag);
  }

  private void informed(String informedAct, String informant) {
    ObjectNode i = informed.putObject(relation("i"));
    i.put("prov:informed", informedAct);
    i.put("prov:informant", informant);
  }

  /** An activity for one event: its type, the log event it stands for, the chunk. */
  private ObjectNode eventActivity(String id, String type, Event e) {
    ObjectNode a = activity.putObject(id);
    a.set("prov:type", qname("wiz:" + type));
    a.put("wiz:event", e.id());
    a.put("wiz:seq", e.seq());
    if (e.chunk() != null) a.put("wiz:chunk", e.chunk());
    return a;
  }

  private String processorAgent(Event.ProcessorRef p) {
    String id = "run:processor/" + local(p.id());
    if (!agent.has(id)) {
      ObjectNode a = agent.putObject(id);
      a.set("prov:type", qname("prov:SoftwareAgent"));
      a.put("prov:label", p.id());
      a.put("wiz:processorType", p.type());
      a.put("wiz:version", p.version());
      a.put("wiz:configDigest", p.configDigest());
    }
    return id;
  }

  /** A new content entity for the chunk, which becomes its current one. */
  private String newStage(String chunk, Integer records, String digest) {
    int n = stage.merge(chunk, 1, Integer::sum) - 1;
    String id = stageEntity(chunk, n);
    ObjectNode o = entity.putObject(id);
    o.set("prov:type", qname("wiz:ChunkContent"));
    o.put("wiz:chunk", chunk);
    o.put("wiz:stage", n);
    if (records != null) o.put("wiz:records", records);
    if (digest != null) o.put("wiz:digest", digest);
    current.put(chunk, id);
    return id;
  }

  /**
   * Another chunk's content at a stage (the stage its step k took in is k - 1; a chunk has stage 0
   * when created). Declared here, without a digest, when the log has no event that made it.
   */
  private String knownStage(String chunk, int n) {
    String id = stageEntity(chunk, n);
    if (!entity.has(id)) {
      ObjectNode o = entity.putObject(id);
      o.set("prov:type", qname("wiz:ChunkContent"));
      o.put("wiz:chunk", chunk);
      o.put("wiz:stage", n);
    }
    return id;
  }

  /** The chunk's current content, made (without a digest) when the log did not show where it came from. */
  private String currentStage(String chunk) {
    String c = current.get(chunk);
    return c != null ? c : newStage(chunk, null, null);
  }

  private String sourceEntity(String name) {
    for (RunInfo.Input i : run.inputs()) {
      if (i.name().equals(name) && i.path() != null) return inputEntity(i);
    }
    String id = "run:source/" + local(name);
    if (!entity.has(id)) {
      ObjectNode o = entity.putObject(id);
      o.set("prov:type", qname("wiz:Input"));
      o.put("prov:label", name);
    }
    return id;
  }

  private String inputEntity(RunInfo.Input i) {
    String id = fileEntity(i.path());
    if (!entity.has(id)) {
      ObjectNode o = entity.putObject(id);
      o.set("prov:type", qname("wiz:Input"));
      o.put("prov:label", i.name());
      o.put("prov:location", i.path());
    }
    return id;
  }

  // ---- the log ------------------------------------------------------------------------------------

  private void build(List<Event> log) {
    String runAct = runActivity(run.runId());
    ObjectNode r = activity.putObject(runAct);
    r.set("prov:type", qname("wiz:Run"));
    r.put("prov:label", run.pipeline());
    if (run.startedAt() != null) r.put("prov:startTime", run.startedAt());
    if (run.endedAt() != null) r.put("prov:endTime", run.endedAt());
    r.put("wiz:runId", run.runId());
    r.put("wiz:status", run.status());
    if (run.error() != null) r.put("wiz:error", run.error());
    ObjectNode w = agent.putObject(WIZ_AGENT);
    w.set("prov:type", qname("prov:SoftwareAgent"));
    w.put("prov:label", "wiz");
    if (run.wizVersion() != null) w.put("wiz:version", run.wizVersion());
    associated(runAct, WIZ_AGENT);
    for (RunInfo.Input i : run.inputs()) {
      if (i.path() != null) used(runAct, inputEntity(i), null);
    }
    String output = null;
    if (run.output() != null) {
      output = outputEntity(run.output());
      generated(output, runAct, null);
    }

    // Where each chunk stood when it forked, and what reached each processor from it (for JOINs).
    Map<String, Integer> stepsBeforeFork = new HashMap<>();
    Map<String, Map<String, Integer>> inputStageAt = new HashMap<>();
    Map<String, Integer> steps = new HashMap<>();
    for (Event e : log) {
      if (e.chunk() == null) continue;
      switch (e.type()) {
        case FORK:
          if (e.children() != null) stepsBeforeFork.put(e.chunk(), steps.getOrDefault(e.chunk(), 0));
          break;
        case FILTERED:
        case CONTENT_MODIFIED:
          if (e.processor() != null) {
            inputStageAt.computeIfAbsent(e.chunk(), k -> new HashMap<>())
                .putIfAbsent(e.processor().id(), steps.getOrDefault(e.chunk(), 0));
          }
          steps.merge(e.chunk(), 1, Integer::sum);
          break;
        default:
          break;
      }
    }
    Map<String, String> joinDigest = new HashMap<>();
    Map<String, Boolean> joined = new HashMap<>();
    for (Event e : log) {
      if (e.chunk() == null) continue;
      if (e.type() == EventType.JOIN) joined.put(e.chunk(), true);
      if ((e.type() == EventType.FILTERED || e.type() == EventType.CONTENT_MODIFIED) && joined.remove(e.chunk()) != null) {
        joinDigest.put(e.chunk(), e.inputDigest());
      }
      if (e.type() == EventType.SEND) joined.remove(e.chunk());
    }

    String deadLetters = null;
    for (Event e : log) {
      String chunk = e.chunk();
      if (chunk == null) continue;
      String c = local(chunk);
      switch (e.type()) {
        case CREATE: {
          String act = "run:create/" + c;
          ObjectNode a = eventActivity(act, "CREATE", e);
          String src = e.source() == null ? null : sourceEntity(e.source().file());
          if (e.source() != null) {
            a.put("wiz:firstLine", e.source().firstLine());
            a.put("wiz:lastLine", e.source().lastLine());
          }
          associated(act, WIZ_AGENT);
          if (src != null) used(act, src, e);
          String s0 = newStage(chunk, e.recordsOut(), e.inputDigest());
          generated(s0, act, e);
          if (src != null) derived(s0, src, act);
          break;
        }
        case FILTERED:
        case CONTENT_MODIFIED: {
          String before = currentStage(chunk);
          int n = stage.get(chunk);
          String act = "run:step/" + c + "/" + n;
          ObjectNode a = eventActivity(act, e.type().name(), e);
          if (e.processor() != null) a.put("wiz:processor", e.processor().id());
          if (e.recordsIn() != null) a.put("wiz:recordsIn", e.recordsIn());
          if (e.recordsOut() != null) a.put("wiz:recordsOut", e.recordsOut());
          if (e.seed() != null) a.set("wiz:seed", typed(Long.toString(e.seed()), "xsd:long"));
          if (e.durationMicros() != null) a.put("wiz:durationMicros", e.durationMicros());
          if (e.processor() != null) associated(act, processorAgent(e.processor()));
          used(act, before, e);
          String after = newStage(chunk, e.recordsOut(), e.outputDigest());
          generated(after, act, e);
          derived(after, before, act);
          break;
        }
        case FORK: {
          if (e.parents() != null && !e.parents().isEmpty()) {
            String s0 = newStage(chunk, e.recordsOut(), e.outputDigest());
            for (String parent : e.parents()) {
              String act = "run:fork/" + local(parent);
              String from = knownStage(parent, stepsBeforeFork.getOrDefault(parent, 0));
              generated(s0, act, e);
              derived(s0, from, act);
            }
          } else {
            String act = "run:fork/" + c;
            ObjectNode a = eventActivity(act, "FORK", e);
            if (e.processor() != null) a.put("wiz:processor", e.processor().id());
            if (e.recordsIn() != null) a.put("wiz:recordsIn", e.recordsIn());
            if (e.children() != null) a.put("wiz:children", e.children().size());
            if (e.processor() != null) associated(act, processorAgent(e.processor()));
            used(act, currentStage(chunk), e);
          }
          break;
        }
        case JOIN: {
          String act = "run:join/" + c;
          ObjectNode a = eventActivity(act, "JOIN", e);
          if (e.processor() != null) a.put("wiz:processor", e.processor().id());
          if (e.recordsIn() != null) a.put("wiz:recordsIn", e.recordsIn());
          if (e.recordsOut() != null) a.put("wiz:recordsOut", e.recordsOut());
          if (e.processor() != null) associated(act, processorAgent(e.processor()));
          String s0 = newStage(chunk, e.recordsOut(), joinDigest.get(chunk));
          generated(s0, act, e);
          List<String> parents = e.parents() == null ? List.of() : e.parents();
          String firstPart = chunk.substring(0, chunk.lastIndexOf('-') + 1) + "0";
          if (parents.size() == 1 && parents.get(0).equals(firstPart) && !chunk.equals(firstPart)) {
            // A later part of what the processor emitted: it goes on from the first part's JOIN.
            informed(act, "run:join/" + local(firstPart));
          } else {
            for (String parent : parents) {
              Integer at = e.processor() == null ? null
                  : inputStageAt.getOrDefault(parent, Map.of()).get(e.processor().id());
              String from = knownStage(parent, at == null ? 0 : at);
              used(act, from, e);
              derived(s0, from, act);
            }
          }
          break;
        }
        case DROP:
        case DEAD_LETTER: {
          boolean drop = e.type() == EventType.DROP;
          String act = "run:" + (drop ? "drop/" : "dead-letter/") + c + "/" + e.seq();
          ObjectNode a = eventActivity(act, e.type().name(), e);
          if (e.processor() != null) a.put("wiz:processor", e.processor().id());
          if (e.recordsIn() != null) a.put("wiz:records", e.recordsIn());
          if (e.error() != null) a.put("wiz:error", e.error());
          associated(act, e.processor() != null ? processorAgent(e.processor()) : WIZ_AGENT);
          String from = currentStage(chunk);
          used(act, from, e);
          if (!drop) {
            if (deadLetters == null) deadLetters = deadLetterEntity();
            derived(deadLetters, from, act);
          }
          break;
        }
        case SEND: {
          String act = "run:send/" + c;
          ObjectNode a = eventActivity(act, "SEND", e);
          associated(act, WIZ_AGENT);
          String from = currentStage(chunk);
          used(act, from, e);
          String sent = sentEntity(chunk, e);
          generated(sent, act, e);
          derived(sent, from, act);
          if (output == null && e.sink() != null) {
            output = outputEntity(e.sink().target());
            generated(output, runAct, null);
          }
          if (output != null) derived(output, sent, null);
          break;
        }
        case REUSED: {
          String act = "run:reuse/" + c;
          ObjectNode a = eventActivity(act, "REUSED", e);
          if (e.error() != null) a.put("wiz:note", e.error());
          associated(act, WIZ_AGENT);
          String s0 = newStage(chunk, e.recordsIn(), e.inputDigest());
          if (e.source() != null) {
            a.put("wiz:firstLine", e.source().firstLine());
            a.put("wiz:lastLine", e.source().lastLine());
            derived(s0, sourceEntity(e.source().file()), null);
          }
          used(act, s0, e);
          String sent = sentEntity(chunk, e);
          generated(sent, act, e);
          derived(sent, s0, act);
          ReusedFrom.of(e).ifPresent(from -> {
            a.put("wiz:committedBy", from.run());
            String earlier = runActivity(from.run());
            if (!activity.has(earlier)) {
              ObjectNode o = activity.putObject(earlier);
              o.set("prov:type", qname("wiz:Run"));
              o.put("wiz:runId", from.run());
            }
            informed(act, earlier);
          });
          if (output == null && e.sink() != null) {
            output = outputEntity(e.sink().target());
            generated(output, runAct, null);
          }
          if (output != null) derived(output, sent, null);
          break;
        }
        default:
          break;
      }
    }
    // Sections without statements are left out, as PROV-JSON allows.
    List<String> empty = new ArrayList<>();
    doc.fieldNames().forEachRemaining(f -> {
      if (doc.get(f).isEmpty()) empty.add(f);
    });
    doc.remove(empty);
  }

  /** What a chunk wrote to the sink: where, how much, its digest. */
  private String sentEntity(String chunk, Event e) {
    String id = "run:sent/" + local(chunk);
    ObjectNode o = entity.putObject(id);
    o.set("prov:type", qname("wiz:SinkWrite"));
    o.put("wiz:chunk", chunk);
    if (e.recordsOut() != null) o.put("wiz:records", e.recordsOut());
    if (e.outputDigest() != null) o.put("wiz:digest", e.outputDigest());
    if (e.sink() != null) {
      o.put("wiz:target", e.sink().target());
      o.put("wiz:offset", e.sink().offset());
      o.put("wiz:bytes", e.sink().bytes());
      if (e.sink().text() != null) {
        o.put("wiz:textBytes", e.sink().text().bytes());
        o.put("wiz:textDigest", e.sink().text().digest());
      }
    }
    return id;
  }

  private String outputEntity(String target) {
    String id = target.equals("stdout") ? "run:stdout" : fileEntity(target);
    if (!entity.has(id)) {
      ObjectNode o = entity.putObject(id);
      o.set("prov:type", qname("wiz:Output"));
      o.put("prov:label", target);
      if (!target.equals("stdout")) o.put("prov:location", target);
      if (target.equals(run.output())) {
        if (run.outputRecords() != null) o.put("wiz:records", run.outputRecords());
        if (run.outputBytes() != null) o.put("wiz:bytes", run.outputBytes());
        if (run.outputText() != null) {
          o.put("wiz:textBytes", run.outputText().bytes());
          o.put("wiz:textDigest", run.outputText().digest());
        }
      }
    }
    return id;
  }

  private String deadLetterEntity() {
    String id = "run:dead-letters";
    ObjectNode o = entity.putObject(id);
    o.set("prov:type", qname("wiz:DeadLetters"));
    if (run.deadLetters() != null) o.put("prov:location", run.deadLetters());
    return id;
  }
}

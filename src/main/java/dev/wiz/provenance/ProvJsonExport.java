package dev.wiz.provenance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wiz.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A run's provenance log as one W3C PROV-JSON document. Entities: the input files, the content of
 * every chunk at every stage (as created, forked or joined, then after each step; with its
 * digest and record count), what each chunk wrote to the sink, the output and the dead-letter
 * file. Activities: the run, and every CREATE, step, FORK, JOIN, DROP, DEAD_LETTER, SEND and
 * REUSED of a chunk. Agents: wiz and each processor. Relations: {@code used},
 * {@code wasGeneratedBy}, {@code wasDerivedFrom}, {@code wasAssociatedWith}, {@code wasInformedBy}.
 * STATE events (lifecycle transitions) are not lineage and are left out. Ids follow the log's
 * order, so the same log gives the same document.
 *
 * <p>The document is streamed: it holds each kind of statement in one member, so the log is read
 * once for what the statements depend on (which may be a pass the caller makes anyway: {@link
 * #firstPass}; a JOIN's content has the digest of the step after it), and once more for the
 * statements, each member's written to a temporary file of its own as they come, then copied into
 * the document in the order of the members ({@link #write}). What is held meanwhile is a few numbers
 * a chunk (how many stages it has had, which of its activities were declared), not the document nor
 * the log. Only when those files cannot be written, or a log declares an id again with other content
 * (which replaces the first content in its first place; wiz's logs never do), is the log read once
 * more for each member.
 */
public final class ProvJsonExport {
  /** Attribute and type names, and run-independent ids (files, runs, wiz itself). */
  public static final String WIZ_NAMESPACE = "urn:dev.wiz:";

  /** The members of the document after {@code prefix}, in order, each the statements of one kind. */
  enum Section {
    ENTITY("entity"),
    ACTIVITY("activity"),
    AGENT("agent"),
    USED("used"),
    GENERATED("wasGeneratedBy"),
    DERIVED("wasDerivedFrom"),
    ASSOCIATED("wasAssociatedWith"),
    INFORMED("wasInformedBy");

    final String member;

    Section(String member) {
      this.member = member;
    }
  }

  /** The event types a statement comes from: the others (STATE) are not read past their type. */
  private static final Set<EventType> LINEAGE = EnumSet.complementOf(EnumSet.of(EventType.STATE));

  private final RunInfo run;
  private final EventSource log;

  // ---- what the first two passes learn -------------------------------------------------------------

  /** Where each chunk stood when it forked, and what reached each processor from it (for JOINs). */
  private final Map<String, Integer> stepsBeforeFork = new HashMap<>();
  /**
   * For each chunk: {@code [steps so far, then for each processor (by its index in
   * processorIndex) the steps before its step there, -1 for none]}, as few bytes a chunk as can be.
   */
  private final Map<String, int[]> inputStageAt = new HashMap<>();
  private final Map<String, Integer> processorIndex = new HashMap<>();
  private final Map<String, String> joinDigest = new HashMap<>();
  /** How many statements each section has: one without any is left out, as PROV-JSON allows. */
  private final int[] statements = new int[Section.values().length];
  /**
   * The content a statement declared again ends with, by section and id: the tree this class
   * built before kept a repeated id in its first place, with its last content. Empty for the logs
   * wiz writes.
   */
  private final Map<String, ObjectNode> lastContent = new HashMap<>();
  /** The agents, few (wiz and the processors), kept from the counting pass. */
  private final Map<String, ObjectNode> agents = new LinkedHashMap<>();

  // ---- the state of one pass ---------------------------------------------------------------------

  /** The pass: null while counting, else the section written. */
  private Section writing;
  private JsonGenerator out;
  private final int[] relations = new int[5];
  private final Map<String, ChunkState> chunks = new HashMap<>();
  /** Entity ids declared once (files, sources, outputs, stages made known before they were made). */
  private final Set<String> declared = new HashSet<>();
  private final Set<String> declaredAgents = new HashSet<>();
  private final Set<String> declaredRuns = new HashSet<>();

  /** What a pass knows of a chunk: its stages so far (the current one is the last) and which activities it had. */
  private static final class ChunkState {
    int stages;
    int seen;
  }

  /** The statements of a chunk that the log should have once at most. */
  private static final int CREATE = 1;
  private static final int FORK = 2;
  private static final int JOIN = 4;
  private static final int SEND = 8;
  private static final int REUSE = 16;
  private static final int SENT = 32;

  private ProvJsonExport(RunInfo run, EventSource log) {
    this.run = run;
    this.log = log;
  }

  /**
   * Writes the document of a run from its record and its log (read several times; it must not
   * change meanwhile) to {@code g}, which is left open.
   */
  public static void write(RunInfo run, EventSource log, JsonGenerator g) throws IOException {
    of(run, log).write(g);
  }

  /** The export of a run from its record and its log, to {@link #write}. */
  public static ProvJsonExport of(RunInfo run, EventSource log) {
    return new ProvJsonExport(run, log);
  }

  /** The folder of the temporary files of the statements; null: Java's ({@code java.io.tmpdir}). */
  private java.nio.file.Path tempDir;

  /**
   * Writes the temporary files of the statements in {@code dir} rather than in {@code
   * java.io.tmpdir} (null: there): a folder they cannot be written to makes the export read the
   * log once for each section instead, to the same bytes.
   */
  public ProvJsonExport tempDir(java.nio.file.Path dir) {
    this.tempDir = dir;
    return this;
  }

  /**
   * What the export learns in its first pass over the log, to be given every event in order by a
   * reader that reads the log anyway (it keeps none): then {@link #write} reads it once less.
   */
  public java.util.function.Predicate<Event> firstPass() {
    prepared = true;
    return e -> {
      prepare(e);
      return false;
    };
  }

  /** Writes the document to {@code g}, which is left open. */
  public void write(JsonGenerator g) throws IOException {
    if (!prepared) {
      prepared = true;
      log.forEach(LINEAGE, this::prepare);
    }
    joined.clear();
    spools = Spools.open(g, tempDir);
    try {
      // Counts the statements, and writes each to its member's file as it comes.
      try {
        pass(null, null);
        // Their last bytes written now, so a full disk is met here rather than midway through the document.
        if (spools != null) spools.finish();
      } catch (IOException e) {
        if (spools == null) throw e;
        // A file that could not be written (a full temporary folder): the passes without them.
        spools.close();
        spools = null;
        java.util.Arrays.fill(statements, 0);
        lastContent.clear();
        agents.clear();
        pass(null, null);
      }
      if (spools != null && !lastContent.isEmpty()) {
        // A statement declared again replaced the content its first place has in a file already.
        spools.close();
        spools = null;
      }
      writeDocument(g);
    } finally {
      if (spools != null) spools.close();
      spools = null;
    }
  }

  /** The document, its members from the files of the statements, or else from a pass over the log for each. */
  private void writeDocument(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeFieldName("prefix");
    g.writeStartObject();
    g.writeStringField("wiz", WIZ_NAMESPACE);
    g.writeStringField("run", WIZ_NAMESPACE + "run:" + run.runId() + "/");
    g.writeEndObject();
    for (Section s : Section.values()) {
      if (statements[s.ordinal()] == 0) continue;
      if (spools != null && s != Section.AGENT) {
        spools.copy(s, g);
        continue;
      }
      g.writeFieldName(s.member);
      g.writeStartObject();
      if (s == Section.AGENT) {
        for (Map.Entry<String, ObjectNode> a : agents.entrySet()) {
          g.writeFieldName(a.getKey());
          node(g, a.getValue());
        }
      } else {
        pass(s, g);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** While counting, the files each member's statements are written to; null when they are not. */
  private Spools spools;

  /**
   * The statements of each member (but the agents, which are kept), each written to a temporary
   * file as the document's generator would write them inside the member, then copied into it.
   */
  private static final class Spools implements AutoCloseable {
    private final java.nio.file.Path[] files = new java.nio.file.Path[Section.values().length];
    private final java.io.Writer[] writers = new java.io.Writer[Section.values().length];
    private final JsonGenerator[] out = new JsonGenerator[Section.values().length];

    /**
     * The files for a document written with {@code g}, in {@code dir} (null: {@code
     * java.io.tmpdir}): null when they cannot be made, or when {@code g} indents otherwise than
     * Jackson's default pretty printer (or not at all) does.
     */
    static Spools open(JsonGenerator g, java.nio.file.Path dir) {
      com.fasterxml.jackson.core.PrettyPrinter pp = g.getPrettyPrinter();
      if (pp != null && pp.getClass() != com.fasterxml.jackson.core.util.DefaultPrettyPrinter.class) return null;
      Spools s = new Spools();
      try {
        for (Section section : Section.values()) {
          if (section == Section.AGENT) continue;
          java.nio.file.Path f = dir == null ? java.nio.file.Files.createTempFile("wiz-prov-", ".json")
              : java.nio.file.Files.createTempFile(dir, "wiz-prov-", ".json");
          s.files[section.ordinal()] = f;
          java.io.Writer w = java.nio.file.Files.newBufferedWriter(f, StandardCharsets.UTF_8);
          s.writers[section.ordinal()] = w;
          JsonGenerator o = Json.mapper().getFactory().createGenerator(w);
          s.out[section.ordinal()] = o;
          o.setCodec(g.getCodec());
          o.setFeatureMask(g.getFeatureMask());
          o.setHighestNonEscapedChar(g.getHighestEscapedChar());
          if (g.getCharacterEscapes() != null) o.setCharacterEscapes(g.getCharacterEscapes());
          // Indented as a member's value one level inside the document.
          if (pp != null) o.setPrettyPrinter(new Nested((com.fasterxml.jackson.core.util.DefaultPrettyPrinter) pp));
          o.writeStartObject();
        }
        return s;
      } catch (IOException | RuntimeException e) {
        s.close();
        return null;
      }
    }

    JsonGenerator of(Section s) {
      return out[s.ordinal()];
    }

    /** Ends each section's statements and writes what is left of them to its file. */
    void finish() throws IOException {
      for (int i = 0; i < files.length; i++) {
        if (out[i] == null) continue;
        out[i].writeEndObject();
        // Its features are the document's: it may leave its writer open.
        out[i].close();
        writers[i].close();
      }
    }

    /** Writes the member of section {@code s}, its value copied from its file (after {@link #finish}). */
    void copy(Section s, JsonGenerator g) throws IOException {
      g.writeFieldName(s.member);
      try (java.io.Reader in = java.nio.file.Files.newBufferedReader(files[s.ordinal()], StandardCharsets.UTF_8)) {
        char[] buf = new char[1 << 16];
        boolean first = true;
        for (int n; (n = in.read(buf)) > 0; ) {
          // The first piece is the value (after the separator of a member's name), the rest goes on raw.
          if (first) g.writeRawValue(buf, 0, n); else g.writeRaw(buf, 0, n);
          first = false;
        }
      }
    }

    @Override
    public void close() {
      for (int i = 0; i < files.length; i++) {
        try {
          if (out[i] != null) out[i].close();
        } catch (IOException e) {
          // a file dropped either way
        }
        try {
          if (writers[i] != null) writers[i].close();
        } catch (IOException e) {
          // a file dropped either way
        }
        try {
          if (files[i] != null) java.nio.file.Files.deleteIfExists(files[i]);
        } catch (IOException e) {
          // left in the temporary folder
        }
      }
    }
  }

  /** Jackson's default pretty printer, one level in: what it writes of a member's value. */
  private static final class Nested extends com.fasterxml.jackson.core.util.DefaultPrettyPrinter {
    Nested(com.fasterxml.jackson.core.util.DefaultPrettyPrinter base) {
      super(base);
      _nesting = 1;
    }
  }

  private boolean prepared;
  /** The first pass's own: the chunks joined and not yet stepped. */
  private final Set<String> joined = new HashSet<>();

  /** The first pass: where chunks forked, what reached each processor, what each JOIN's chunk held. */
  private void prepare(Event e) {
    if (e.chunk() == null) return;
    switch (e.type()) {
      case FORK:
        if (e.children() != null) {
          int[] at = inputStageAt.get(e.chunk());
          stepsBeforeFork.put(e.chunk(), at == null ? 0 : at[0]);
        }
        break;
      case FILTERED:
      case CONTENT_MODIFIED: {
        int[] at = inputStageAt.computeIfAbsent(e.chunk(), k -> new int[] {0});
        if (e.processor() != null) {
          int p = 1 + processorIndex.computeIfAbsent(e.processor().id(), k -> processorIndex.size());
          if (p >= at.length) {
            int from = at.length;
            at = java.util.Arrays.copyOf(at, p + 1);
            java.util.Arrays.fill(at, from, at.length, -1);
            inputStageAt.put(e.chunk(), at);
          }
          if (at[p] < 0) at[p] = at[0];
        }
        at[0]++;
        if (joined.remove(e.chunk())) joinDigest.put(e.chunk(), e.inputDigest());
        break;
      }
      case JOIN:
        joined.add(e.chunk());
        break;
      case SEND:
        joined.remove(e.chunk());
        break;
      default:
        break;
    }
  }

  /** The steps before a chunk's step at the processor (the stage that reached it); 0 when it had none there. */
  private int stageAt(String chunk, Event.ProcessorRef processor) {
    Integer p = processor == null ? null : processorIndex.get(processor.id());
    int[] at = p == null ? null : inputStageAt.get(chunk);
    return at == null || 1 + p >= at.length || at[1 + p] < 0 ? 0 : at[1 + p];
  }

  /** Walks the log: counting statements (section null), or writing those of one section. */
  private void pass(Section section, JsonGenerator g) throws IOException {
    writing = section;
    out = g;
    java.util.Arrays.fill(relations, 0);
    chunks.clear();
    declared.clear();
    declaredAgents.clear();
    declaredRuns.clear();
    walk();
  }

  // ---- ids ---------------------------------------------------------------------------------------

  /** A local name: letters, digits, {@code . _ - /} as they are, any other byte as {@code %XX}. */
  static String local(String s) {
    int i = 0;
    while (i < s.length() && plain(s.charAt(i))) i++;
    if (i == s.length()) return s;
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (plain(c)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
      }
    }
    return sb.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static boolean plain(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
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

  private static ObjectNode object() {
    return Json.mapper().createObjectNode();
  }

  // ---- statements -------------------------------------------------------------------------------

  /**
   * A statement: counted, or written when its section is the one being written. {@code again}: its
   * id was declared before in this section; {@code replaces}: a statement declared again replaces
   * the content (in the first place), else it is left as it was.
   */
  private void statement(Section s, String id, boolean again, boolean replaces, Supplier<ObjectNode> content) throws IOException {
    if (writing == null) {
      if (!again) {
        statements[s.ordinal()]++;
        if (s == Section.AGENT) {
          agents.put(id, content.get());
        } else if (spools != null) {
          spools.of(s).writeFieldName(id);
          node(spools.of(s), content.get());
        }
      } else if (replaces) {
        lastContent.put(s.ordinal() + " " + id, content.get());
      }
      return;
    }
    if (s != writing || again) return;
    ObjectNode last = lastContent.isEmpty() ? null : lastContent.get(s.ordinal() + " " + id);
    out.writeFieldName(id);
    node(out, last != null ? last : content.get());
  }

  /** A relation: its own id, numbered in its section. */
  private void relation(Section s, int counter, String prefix, Supplier<ObjectNode> content) throws IOException {
    int n = ++relations[counter];
    if (writing == null) {
      statements[s.ordinal()]++;
      if (spools != null) {
        spools.of(s).writeFieldName("_:" + prefix + n);
        node(spools.of(s), content.get());
      }
    } else if (s == writing) {
      out.writeFieldName("_:" + prefix + n);
      node(out, content.get());
    }
  }

  /** Writes a tree of strings, numbers and objects, as Jackson writes it. */
  private static void node(JsonGenerator g, JsonNode n) throws IOException {
    if (n.isObject()) {
      g.writeStartObject();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        g.writeFieldName(f.getKey());
        node(g, f.getValue());
      }
      g.writeEndObject();
    } else if (n.isTextual()) {
      g.writeString(n.textValue());
    } else if (n.isInt()) {
      g.writeNumber(n.intValue());
    } else if (n.isLong()) {
      g.writeNumber(n.longValue());
    } else {
      g.writeTree(n);
    }
  }

  private void used(String act, String ent, Event e) throws IOException {
    relation(Section.USED, 0, "u", () -> {
      ObjectNode u = object();
      u.put("prov:activity", act);
      u.put("prov:entity", ent);
      if (e != null && e.time() != null) u.put("prov:time", e.time());
      return u;
    });
  }

  private void generated(String ent, String act, Event e) throws IOException {
    relation(Section.GENERATED, 1, "g", () -> {
      ObjectNode g = object();
      g.put("prov:entity", ent);
      g.put("prov:activity", act);
      if (e != null && e.time() != null) g.put("prov:time", e.time());
      return g;
    });
  }

  private void derived(String generatedEntity, String usedEntity, String act) throws IOException {
    relation(Section.DERIVED, 2, "d", () -> {
      ObjectNode d = object();
      d.put("prov:generatedEntity", generatedEntity);
      d.put("prov:usedEntity", usedEntity);
      if (act != null) d.put("prov:activity", act);
      return d;
    });
  }

  private void associated(String act, String ag) throws IOException {
    relation(Section.ASSOCIATED, 3, "a", () -> {
      ObjectNode a = object();
      a.put("prov:activity", act);
      a.put("prov:agent", ag);
      return a;
    });
  }

  private void informed(String informedAct, String informant) throws IOException {
    relation(Section.INFORMED, 4, "i", () -> {
      ObjectNode i = object();
      i.put("prov:informed", informedAct);
      i.put("prov:informant", informant);
      return i;
    });
  }

  /** An activity for one event: its type, the log event it stands for, the chunk. */
  private static ObjectNode eventActivity(String type, Event e) {
    ObjectNode a = object();
    a.set("prov:type", qname("wiz:" + type));
    a.put("wiz:event", e.id());
    a.put("wiz:seq", e.seq());
    if (e.chunk() != null) a.put("wiz:chunk", e.chunk());
    return a;
  }

  /** An activity of a chunk's that its log has once ({@code flag}): a second one replaced the first's content. */
  private void chunkActivity(String id, ChunkState c, int flag, Supplier<ObjectNode> content) throws IOException {
    boolean again = (c.seen & flag) != 0;
    c.seen |= flag;
    statement(Section.ACTIVITY, id, again, true, content);
  }

  private String processorAgent(Event.ProcessorRef p) throws IOException {
    String id = "run:processor/" + local(p.id());
    boolean again = !declaredAgents.add(id);
    statement(Section.AGENT, id, again, false, () -> {
      ObjectNode a = object();
      a.set("prov:type", qname("prov:SoftwareAgent"));
      a.put("prov:label", p.id());
      a.put("wiz:processorType", p.type());
      a.put("wiz:version", p.version());
      a.put("wiz:configDigest", p.configDigest());
      return a;
    });
    return id;
  }

  private ChunkState chunk(String chunk) {
    return chunks.computeIfAbsent(chunk, k -> new ChunkState());
  }

  /** A new content entity for the chunk, which becomes its current one. */
  private String newStage(String chunk, Integer records, String digest) throws IOException {
    int n = chunk(chunk).stages++;
    String id = stageEntity(chunk, n);
    // Made known before (by a later event of another chunk that named it): the tree put it again.
    boolean again = !declared.isEmpty() && declared.contains(id);
    statement(Section.ENTITY, id, again, true, () -> {
      ObjectNode o = object();
      o.set("prov:type", qname("wiz:ChunkContent"));
      o.put("wiz:chunk", chunk);
      o.put("wiz:stage", n);
      if (records != null) o.put("wiz:records", records);
      if (digest != null) o.put("wiz:digest", digest);
      return o;
    });
    return id;
  }

  /**
   * Another chunk's content at a stage (the stage its step k took in is k - 1; a chunk has stage 0
   * when created). Declared here, without a digest, when the log has no event that made it.
   */
  private String knownStage(String chunk, int n) throws IOException {
    String id = stageEntity(chunk, n);
    ChunkState c = chunks.get(chunk);
    boolean again = (c != null && n < c.stages) || !declared.add(id);
    statement(Section.ENTITY, id, again, false, () -> {
      ObjectNode o = object();
      o.set("prov:type", qname("wiz:ChunkContent"));
      o.put("wiz:chunk", chunk);
      o.put("wiz:stage", n);
      return o;
    });
    return id;
  }

  /** The chunk's current content, made (without a digest) when the log did not show where it came from. */
  private String currentStage(String chunk) throws IOException {
    ChunkState c = chunk(chunk);
    return c.stages > 0 ? stageEntity(chunk, c.stages - 1) : newStage(chunk, null, null);
  }

  private String sourceEntity(String name) throws IOException {
    for (RunInfo.Input i : run.inputs()) {
      if (i.name().equals(name) && i.path() != null) return inputEntity(i);
    }
    String id = "run:source/" + local(name);
    statement(Section.ENTITY, id, !declared.add(id), false, () -> {
      ObjectNode o = object();
      o.set("prov:type", qname("wiz:Input"));
      o.put("prov:label", name);
      return o;
    });
    return id;
  }

  private String inputEntity(RunInfo.Input i) throws IOException {
    String id = fileEntity(i.path());
    statement(Section.ENTITY, id, !declared.add(id), false, () -> {
      ObjectNode o = object();
      o.set("prov:type", qname("wiz:Input"));
      o.put("prov:label", i.name());
      o.put("prov:location", i.path());
      return o;
    });
    return id;
  }

  // ---- the log ------------------------------------------------------------------------------------

  /** The state of the walk that is not a chunk's. */
  private String runAct;
  private String output;
  private String deadLetters;

  private void walk() throws IOException {
    runAct = runActivity(run.runId());
    declaredRuns.add(runAct);
    statement(Section.ACTIVITY, runAct, false, true, () -> {
      ObjectNode r = object();
      r.set("prov:type", qname("wiz:Run"));
      r.put("prov:label", run.pipeline());
      if (run.startedAt() != null) r.put("prov:startTime", run.startedAt());
      if (run.endedAt() != null) r.put("prov:endTime", run.endedAt());
      r.put("wiz:runId", run.runId());
      r.put("wiz:status", run.status());
      if (run.error() != null) r.put("wiz:error", run.error());
      return r;
    });
    declaredAgents.add(WIZ_AGENT);
    statement(Section.AGENT, WIZ_AGENT, false, false, () -> {
      ObjectNode w = object();
      w.set("prov:type", qname("prov:SoftwareAgent"));
      w.put("prov:label", "wiz");
      if (run.wizVersion() != null) w.put("wiz:version", run.wizVersion());
      return w;
    });
    associated(runAct, WIZ_AGENT);
    for (RunInfo.Input i : run.inputs()) {
      if (i.path() != null) used(runAct, inputEntity(i), null);
    }
    output = null;
    deadLetters = null;
    if (run.output() != null) {
      output = outputEntity(run.output());
      generated(output, runAct, null);
    }
    IOException[] failed = new IOException[1];
    log.forEach(LINEAGE, e -> {
      if (failed[0] != null || e.chunk() == null) return;
      try {
        event(e);
      } catch (IOException x) {
        failed[0] = x;
      }
    });
    if (failed[0] != null) throw failed[0];
  }

  private void event(Event e) throws IOException {
    String chunk = e.chunk();
    String c = local(chunk);
    switch (e.type()) {
      case CREATE: {
        String act = "run:create/" + c;
        String src = e.source() == null ? null : sourceEntity(e.source().file());
        chunkActivity(act, chunk(chunk), CREATE, () -> {
          ObjectNode a = eventActivity("CREATE", e);
          if (e.source() != null) {
            a.put("wiz:firstLine", e.source().firstLine());
            a.put("wiz:lastLine", e.source().lastLine());
          }
          return a;
        });
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
        int n = chunk(chunk).stages;
        String act = "run:step/" + c + "/" + n;
        statement(Section.ACTIVITY, act, false, true, () -> {
          ObjectNode a = eventActivity(e.type().name(), e);
          if (e.processor() != null) a.put("wiz:processor", e.processor().id());
          if (e.recordsIn() != null) a.put("wiz:recordsIn", e.recordsIn());
          if (e.recordsOut() != null) a.put("wiz:recordsOut", e.recordsOut());
          if (e.filtered() != null) a.put("wiz:filtered", e.filtered());
          if (e.created() != null) a.put("wiz:created", e.created());
          if (e.seed() != null) a.set("wiz:seed", typed(Long.toString(e.seed()), "xsd:long"));
          if (e.durationMicros() != null) a.put("wiz:durationMicros", e.durationMicros());
          return a;
        });
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
          chunkActivity(act, chunk(chunk), FORK, () -> {
            ObjectNode a = eventActivity("FORK", e);
            if (e.processor() != null) a.put("wiz:processor", e.processor().id());
            if (e.recordsIn() != null) a.put("wiz:recordsIn", e.recordsIn());
            if (e.children() != null) a.put("wiz:children", e.children().size());
            return a;
          });
          if (e.processor() != null) associated(act, processorAgent(e.processor()));
          used(act, currentStage(chunk), e);
        }
        break;
      }
      case JOIN: {
        String act = "run:join/" + c;
        chunkActivity(act, chunk(chunk), JOIN, () -> {
          ObjectNode a = eventActivity("JOIN", e);
          if (e.processor() != null) a.put("wiz:processor", e.processor().id());
          if (e.recordsIn() != null) a.put("wiz:recordsIn", e.recordsIn());
          if (e.recordsOut() != null) a.put("wiz:recordsOut", e.recordsOut());
          return a;
        });
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
            String from = knownStage(parent, stageAt(parent, e.processor()));
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
        statement(Section.ACTIVITY, act, false, true, () -> {
          ObjectNode a = eventActivity(e.type().name(), e);
          if (e.processor() != null) a.put("wiz:processor", e.processor().id());
          if (e.recordsIn() != null) a.put("wiz:records", e.recordsIn());
          if (e.error() != null) a.put("wiz:error", e.error());
          return a;
        });
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
        chunkActivity(act, chunk(chunk), SEND, () -> eventActivity("SEND", e));
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
        ChunkState state = chunk(chunk);
        String s0 = newStage(chunk, e.recordsIn(), e.inputDigest());
        String src = e.source() == null ? null : sourceEntity(e.source().file());
        Optional<ReusedFrom> from = ReusedFrom.of(e);
        chunkActivity(act, state, REUSE, () -> {
          ObjectNode a = eventActivity("REUSED", e);
          if (e.error() != null) a.put("wiz:note", e.error());
          if (e.source() != null) {
            a.put("wiz:firstLine", e.source().firstLine());
            a.put("wiz:lastLine", e.source().lastLine());
          }
          from.ifPresent(f -> a.put("wiz:committedBy", f.run()));
          return a;
        });
        associated(act, WIZ_AGENT);
        if (src != null) derived(s0, src, null);
        used(act, s0, e);
        String sent = sentEntity(chunk, e);
        generated(sent, act, e);
        derived(sent, s0, act);
        if (from.isPresent()) {
          String earlier = runActivity(from.get().run());
          statement(Section.ACTIVITY, earlier, !declaredRuns.add(earlier), false, () -> {
            ObjectNode o = object();
            o.set("prov:type", qname("wiz:Run"));
            o.put("wiz:runId", from.get().run());
            return o;
          });
          informed(act, earlier);
        }
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

  /** What a chunk wrote to the sink: where, how much, its digest. */
  private String sentEntity(String chunk, Event e) throws IOException {
    String id = "run:sent/" + local(chunk);
    ChunkState c = chunk(chunk);
    boolean again = (c.seen & SENT) != 0;
    c.seen |= SENT;
    statement(Section.ENTITY, id, again, true, () -> {
      ObjectNode o = object();
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
      return o;
    });
    return id;
  }

  private String outputEntity(String target) throws IOException {
    String id = target.equals("stdout") ? "run:stdout" : fileEntity(target);
    statement(Section.ENTITY, id, !declared.add(id), false, () -> {
      ObjectNode o = object();
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
      return o;
    });
    return id;
  }

  private String deadLetterEntity() throws IOException {
    String id = "run:dead-letters";
    statement(Section.ENTITY, id, false, true, () -> {
      ObjectNode o = object();
      o.set("prov:type", qname("wiz:DeadLetters"));
      if (run.deadLetters() != null) o.put("prov:location", run.deadLetters());
      return o;
    });
    return id;
  }
}

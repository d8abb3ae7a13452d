package dev.wiz.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * One pass over the parser events before composing. It finds syntax errors, a second document,
 * nesting deeper than the limit (the composer is recursive, so deep input must be refused before
 * it runs) and too many aliases to collections, each with its position and JSON pointer.
 */
final class Precheck {
  private final LoadSettings settings;
  private final LoadLimits limits;

  Precheck(LoadSettings settings, LoadLimits limits) {
    this.settings = settings;
    this.limits = limits;
  }

  /** Where the events are: the pointer of each open collection and what comes next in it. */
  private static final class Frame {
    final String pointer;
    final boolean mapping;
    /** A list that is the value of a merge key: its items must be mappings. */
    final boolean merged;
    boolean expectingKey = true;
    String key = "";
    /** Whether the key just read is a merge key ({@code <<}, plain). */
    boolean mergeKey;
    int index;

    Frame(String pointer, boolean mapping, boolean merged) {
      this.pointer = pointer;
      this.mapping = mapping;
      this.merged = merged;
    }

    /** Whether the node that starts now must be a mapping, as what a merge key merges. */
    boolean wantsMapping() {
      return mapping ? !expectingKey && mergeKey : merged;
    }

    /** The pointer of the node that starts now, and moves past it. */
    String next(Event event) {
      if (!mapping) {
        return pointer + "/" + index++;
      }
      if (expectingKey) {
        expectingKey = false;
        key = event instanceof ScalarEvent s ? s.getValue() : "";
        mergeKey = event instanceof ScalarEvent s && s.isPlain() && s.getValue().equals("<<");
        return pointer; // a key: report it at its mapping
      }
      expectingKey = true;
      return pointer + "/" + TreeBuilder.escape(key);
    }
  }

  Optional<Diagnostic> run(String text, String file) {
    Map<String, Event.ID> anchored = new HashMap<>();
    Deque<Frame> open = new ArrayDeque<>();
    int aliases = 0;
    int documents = 0;
    try {
      for (Event event : new Parse(settings).parseString(text)) {
        Event.ID id = event.getEventId();
        if (id == Event.ID.DocumentStart && ++documents > 1) {
          return Optional.of(
              at(file, event, "",
                  "a pipeline file holds one YAML document; remove this '---' and what follows,"
                      + " or move it to another file"));
        }
        if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
          open.pop();
          continue;
        }
        if (!(event instanceof NodeEvent node)) {
          continue;
        }
        boolean wantsMapping = !open.isEmpty() && open.peek().wantsMapping();
        boolean inMergedList = !open.isEmpty() && !open.peek().mapping && open.peek().merged;
        String pointer = open.isEmpty() ? "" : open.peek().next(event);
        boolean collection = id == Event.ID.MappingStart || id == Event.ID.SequenceStart;
        if (id != Event.ID.Alias) {
          node.getAnchor().ifPresent(a -> anchored.put(a.getValue(), id));
        }
        Event.ID is = event instanceof AliasEvent a ? anchored.get(a.getAlias().getValue()) : id;
        if (wantsMapping && is != Event.ID.MappingStart && (inMergedList || is != Event.ID.SequenceStart) && is != null) {
          // snakeyaml says so at whatever event comes next, often lines below: say it here
          return Optional.of(at(file, event, pointer, notMergeable(is, event instanceof AliasEvent, inMergedList)));
        }
        if (collection) {
          open.push(new Frame(pointer, id == Event.ID.MappingStart, wantsMapping && id == Event.ID.SequenceStart));
          if (open.size() > limits.maxDepth()) {
            return Optional.of(at(file, event, pointer, tooDeep(limits.maxDepth())));
          }
        } else if (event instanceof AliasEvent alias
            && (anchored.get(alias.getAlias().getValue()) == Event.ID.MappingStart
                || anchored.get(alias.getAlias().getValue()) == Event.ID.SequenceStart)
            && ++aliases > limits.maxAliases()) {
          return Optional.of(
              at(file, event, pointer,
                  "too many aliases: more than "
                      + limits.maxAliases()
                      + " aliases (*name) to mappings or sequences; write the repeated parts"
                      + " out, or use fewer anchors"));
        }
      }
    } catch (YamlEngineException e) {
      return Optional.of(YamlLoader.diagnostic(e, text, file));
    }
    return Optional.empty();
  }

  private static String notMergeable(Event.ID is, boolean alias, boolean inList) {
    String what = (alias ? "an alias of " : "") + (is == Event.ID.SequenceStart ? "a list" : "a plain value");
    return "a merge key (<<) merges a mapping, an alias of one (*name) or a list of those; "
        + (inList ? "this item of its list is " : "this is ") + what
        + ": write the keys here, or anchor a mapping (&name { ... }) and merge it (<<: *name)";
  }

  static String tooDeep(int maxDepth) {
    return "nesting too deep: more than "
        + maxDepth
        + " levels of mappings and sequences; flatten the structure";
  }

  private static Diagnostic at(String file, Event event, String pointer, String message) {
    return Diagnostic.at(file, YamlLoader.location(event.getStartMark()), pointer, message);
  }
}

package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.exception.JsonQueryTypeException;
import net.thisptr.jackson.jq.internal.IsolatedScopeQuery;
import net.thisptr.jackson.jq.internal.JsonQueryFunction;
import net.thisptr.jackson.jq.internal.javacc.ExpressionParser;
import net.thisptr.jackson.jq.path.Path;

/**
 * jq 1.6 builtins written in jq that jackson-jq 1.6.0 lacks or defines otherwise, defined in the
 * root scope as jackson-jq defines its own (from jq's builtin.jq, MIT licence, copyright Stephen
 * Dolan). Installed before the root scope is patched, so they get the patches every builtin gets
 * (number text, cancellation).
 */
final class JqDefs {
  private JqDefs() {}

  private record Def(String name, List<String> params, String body) {}

  private static final List<Def> DEFS = List.of(
      // jq 1.6's walk of an object, for the rare object one of whose values walk(f) gives other
      // than one output (see walk below).
      new Def("_walk_object", List.of("f"), ". as $in | reduce keys_unsorted[] as $key"
          + " ( {}; . + { ($key): ($in[$key] | walk(f)) } ) | f"),
      new Def("tostream", List.of(), "path(def r: (.[]?|r), .; r) as $p | getpath($p) | reduce path(.[]?) as $q"
          + " ([$p, .]; [$p+$q])"),
      new Def("fromstream", List.of("f"), "{ x: null, e: false } as $init | foreach f as $i ($init;"
          + " if .e then $init else . end | if $i | length == 2"
          + " then setpath([\"e\"]; $i[0] | length == 0) | setpath([\"x\"] + $i[0]; $i[1])"
          + " else setpath([\"e\"]; $i[0] | length == 1) end; if .e then .x else empty end)"),
      new Def("truncate_stream", List.of("stream"), ". as $n | null | stream | . as $input"
          + " | if (.[0]|length) > $n then setpath([0];.[0][$n:]) else empty end"),
      // jq 1.6's: jackson-jq's is jq 1.5's, f | select(. != null), which left out every null
      // ([null,false] | [recurse] was [[null,false],false]); recurse/0 is recurse(.[]?) over it.
      new Def("recurse", List.of("f"), "def r: ., (f | r); r"),
      new Def("isempty", List.of("g"), "0 == ((label $go | g | (1, break $go)) // 0)"),
      new Def("IN", List.of("s"), "any(s == .; .)"),
      new Def("IN", List.of("src", "s"), "any(src == s; .)"),
      new Def("INDEX", List.of("stream", "idx_expr"), "reduce stream as $row ({}; .[$row|idx_expr|tostring] |= $row)"),
      new Def("INDEX", List.of("idx_expr"), "INDEX(.[]; idx_expr)"),
      new Def("JOIN", List.of("$idx", "idx_expr"), "[.[] | [., $idx[idx_expr]]]"),
      new Def("JOIN", List.of("$idx", "stream", "idx_expr"), "stream | [., $idx[idx_expr]]"),
      new Def("JOIN", List.of("$idx", "stream", "idx_expr", "join_expr"), "stream | [., $idx[idx_expr]] | join_expr"),
      new Def("scalars_or_empty", List.of(), "select(. == null or . == true or . == false or type == \"number\""
          + " or type == \"string\" or ((type==\"array\" or type==\"object\") and length==0))"),
      // jq 1.6's binary search, as written there: on a sorted array the index of the target or
      // (-1 - the index where it would go); what it gives on an unsorted one, or for a target with
      // several outputs (each use of target runs it again), is jq's too.
      new Def("bsearch", List.of("target"), "if length == 0 then -1"
          + " elif length == 1 then (if target == .[0] then 0 elif target < .[0] then -1 else -2 end)"
          + " else . as $in | [0, length-1, null]"
          + " | until( .[0] > .[1] ; if .[2] != null then (.[1] = -1) else ( ( (.[1] + .[0]) / 2 ) | floor ) as $mid"
          + " | $in[$mid] as $monkey | if $monkey == target then (.[2] = $mid) elif .[0] == .[1] then (.[1] = -1)"
          + " elif $monkey < target then (.[0] = ($mid + 1)) else (.[1] = ($mid - 1)) end end )"
          + " | if .[2] == null then (if $in[ .[0] ] < target then (-2 -.[0]) else (-1 -.[0]) end) else .[2] end end"),
      // Over JqDates' strftime and strptime (jackson-jq's own ISO 8601 pair read and wrote
      // fractions of a second, which jq's do not).
      new Def("todateiso8601", List.of(), "strftime(\"%Y-%m-%dT%H:%M:%SZ\")"),
      new Def("fromdateiso8601", List.of(), "strptime(\"%Y-%m-%dT%H:%M:%SZ\") | mktime"),
      new Def("todate", List.of(), "todateiso8601"),
      new Def("fromdate", List.of(), "fromdateiso8601"));

  static void install(Scope root) {
    root.addFunction("repeat", 1, JqDefs::repeat);
    root.addFunction("walk", 1, JqDefs::walk);
    root.addFunction("format", 1, JqDefs::format);
    for (Def d : DEFS) {
      try {
        root.addFunction(d.name(), d.params().size(), new JsonQueryFunction(d.name(), d.params(),
            new IsolatedScopeQuery(ExpressionParser.compile(d.body(), Versions.JQ_1_6)), root));
      } catch (JsonQueryException e) {
        throw new IllegalStateException("wiz's jq definition of " + d.name() + "/" + d.params().size() + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * {@code repeat(f)} as jq 1.7 defines it, {@code def repeat(f): def _repeat: ., (f | _repeat);
   * _repeat;}: the input, then the outputs of f on it, each followed by its own repetition (jq 1.6
   * gives f of the input again and again). As a loop with a stack of f's outputs: jq runs the
   * recursion as a tail call, which jackson-jq would not, and {@code limit(100000; repeat(.+1))}
   * would overflow the stack. It looks at the run's cancellation at every value.
   */
  private static void repeat(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
      throws JsonQueryException {
    Deque<Iterator<JsonNode>> stack = new ArrayDeque<>();
    stack.push(List.of(in).iterator());
    while (!stack.isEmpty()) {
      Iterator<JsonNode> top = stack.peek();
      if (!top.hasNext()) {
        stack.pop();
        continue;
      }
      JsonNode value = top.next();
      JqStop.check();
      output.emit(value, null);
      List<JsonNode> next = new ArrayList<>(1);
      args.get(0).apply(scope, value, next::add);
      if (!next.isEmpty()) stack.push(next.iterator());
    }
  }

  /**
   * {@code format(f)}: the input through the {@code @} format each output of f names, as jq 1.6
   * ({@code "csv"} is {@code @csv}), with jq's errors for a name that is no format or no string.
   */
  private static void format(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
      throws JsonQueryException {
    args.get(0).apply(scope, in, name -> {
      if (!name.isTextual()) throw new JsonQueryTypeException("%s is not a valid format", name);
      // "@text", not "text": jackson-jq names its formats with the @, jq's format() does not take one.
      Function f = name.textValue().startsWith("@") ? null : scope.getFunction("@" + name.textValue(), 0);
      if (f == null) throw new JsonQueryException(name.textValue() + " is not a valid format");
      f.apply(scope, List.of(), in, null, output, version);
    });
  }

  /**
   * {@code walk(f)} as jq 1.6 defines it ({@code def walk(f): . as $in | if type == "object" then
   * reduce keys_unsorted[] as $key ( {}; . + { ($key): ($in[$key] | walk(f)) } ) | f elif type ==
   * "array" then map( walk(f) ) | f else f end}), keys in their order (jackson-jq's sorted them),
   * in Java: the jq definition takes a dozen frames of the stack a level, and a record 250 levels
   * deep, which jq walks, overflowed it. An object one of whose values gives other than one output
   * goes by the jq definition ({@code _walk_object}), whose reduce gives such cases their meaning.
   */
  private static void walk(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output, Version version)
      throws JsonQueryException {
    for (JsonNode v : walked(scope, args, in, version)) output.emit(v, null);
  }

  private static List<JsonNode> walked(Scope scope, List<Expression> args, JsonNode in, Version version)
      throws JsonQueryException {
    JqStop.check();
    JsonNode rebuilt = in;
    if (in.isObject()) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<String, JsonNode> e : in.properties()) {
        List<JsonNode> value = walked(scope, args, e.getValue(), version);
        if (value.size() != 1) {
          List<JsonNode> out = new ArrayList<>(1);
          scope.getFunction("_walk_object", 1).apply(scope, args, in, null, (v, p) -> out.add(v), version);
          return out;
        }
        o.set(e.getKey(), value.get(0));
      }
      rebuilt = o;
    } else if (in.isArray()) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(in.size());
      for (JsonNode e : in) a.addAll(walked(scope, args, e, version));
      rebuilt = a;
    }
    List<JsonNode> out = new ArrayList<>(1);
    args.get(0).apply(scope, rebuilt, out::add);
    return out;
  }
}

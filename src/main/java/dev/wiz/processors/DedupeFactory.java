package dev.wiz.processors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wiz.Json;
import dev.wiz.processor.Chunk;
import dev.wiz.processor.ConfigProblem;
import dev.wiz.processor.Processor;
import dev.wiz.processor.ProcessorContext;
import dev.wiz.processor.ProcessorException;
import dev.wiz.processor.ProcessorFactory;
import dev.wiz.processor.ProcessorSetup;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * {@code dedupe}: keeps the first record of each key and drops the later ones. The key is every
 * output of a jq expression (the whole record by default); only a 128-bit digest of it is kept
 * (the first 16 bytes of sha-256 over the canonical JSON of each output with its numbers by
 * value, {@link Json#keyBytes}, each followed by a newline), in a {@link DigestSet}.
 */
public final class DedupeFactory implements ProcessorFactory {
  static final String KEY = "key";
  static final String DEFAULT_KEY = ".";

  @Override
  public String type() {
    return "dedupe";
  }

  @Override
  public boolean loadBalance() {
    return false;
  }

  @Override
  public List<ConfigProblem> check(JsonNode config, ProcessorSetup setup) {
    return Expression.check(program(config), "/" + KEY);
  }

  @Override
  public Supplier<Processor> prepare(JsonNode config, ProcessorSetup setup) throws ProcessorException {
    Expression key = Expression.require(program(config), "/" + KEY);
    return () -> new Dedupe(key);
  }

  private static String program(JsonNode config) {
    return config.path(KEY).asText(DEFAULT_KEY);
  }

  private static final class Dedupe implements Processor {
    private final Expression key;
    private final JqScope scope = Expression.newScope();
    private final MessageDigest sha = Json.sha256();
    private final DigestSet seen = new DigestSet();
    private ProcessorContext context;

    Dedupe(Expression key) {
      this.key = key;
    }

    @Override
    public void init(ProcessorContext context) {
      this.context = context;
      scope.stopWhenCancelled(context);
    }

    @Override
    public Chunk process(Chunk chunk) throws ProcessorException {
      Outputs out = new Outputs(chunk.size());
      List<JsonNode> outputs = new ArrayList<>(2);
      List<JsonNode> in = chunk.records();
      for (int i = 0; i < in.size(); i++) {
        Stopping.betweenRecords(context, "dedupe", i, in.size());
        JsonNode record = in.get(i);
        outputs.clear();
        try {
          key.apply(scope, record, outputs::add);
        } catch (JsonQueryException e) {
          context.reject(record, "dedupe: key " + key.source() + ": " + JqSupport.message(e));
          continue;
        } catch (StackOverflowError e) {
          context.reject(record, "dedupe: key " + key.source() + ": " + TooDeep.JQ);
          continue;
        }
        if (outputs.isEmpty()) {
          out.add(record, i); // no key: never a duplicate
          continue;
        }
        for (JsonNode v : outputs) {
          sha.update(Json.keyBytes(v));
          sha.update((byte) '\n');
        }
        ByteBuffer digest = ByteBuffer.wrap(sha.digest());
        boolean first;
        try {
          first = seen.add(digest.getLong(), digest.getLong());
        } catch (IllegalStateException e) {
          throw new ProcessorException("dedupe: " + e.getMessage());
        }
        if (first) out.add(record, i);
      }
      return out.of(chunk);
    }
  }
}

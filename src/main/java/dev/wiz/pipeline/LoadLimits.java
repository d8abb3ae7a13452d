package dev.wiz.pipeline;

/**
 * The budgets a pipeline file must fit in, so that hostile or broken YAML cannot exhaust memory
 * or the stack.
 *
 * @param maxBytes the largest file, in bytes (checked before reading)
 * @param maxAliases the most aliases ({@code *name}) to mappings and sequences
 * @param maxNodes the most nodes in the resulting tree, an alias counting each time it is used
 * @param maxDepth the deepest nesting of mappings and sequences (the root collection is level 1)
 */
public record LoadLimits(int maxBytes, int maxAliases, int maxNodes, int maxDepth) {

  public LoadLimits {
    positive("maxBytes", maxBytes);
    if (maxAliases < 0) {
      throw new IllegalArgumentException("maxAliases must not be negative, got " + maxAliases);
    }
    positive("maxNodes", maxNodes);
    positive("maxDepth", maxDepth);
  }

  /** 4 MiB, 50 aliases, 100 000 nodes, 64 levels. */
  public static LoadLimits defaults() {
    return new LoadLimits(4 * 1024 * 1024, 50, 100_000, 64);
  }

  public LoadLimits withMaxBytes(int value) {
    return new LoadLimits(value, maxAliases, maxNodes, maxDepth);
  }

  public LoadLimits withMaxAliases(int value) {
    return new LoadLimits(maxBytes, value, maxNodes, maxDepth);
  }

  public LoadLimits withMaxNodes(int value) {
    return new LoadLimits(maxBytes, maxAliases, value, maxDepth);
  }

  public LoadLimits withMaxDepth(int value) {
    return new LoadLimits(maxBytes, maxAliases, maxNodes, value);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}

package dev.wiz.processors;

import net.thisptr.jackson.jq.Scope;

/**
 * The jq scope of one processor instance (scopes hold variables, so instances never share one),
 * made when the interpreter first needs it. An expression on the fast path never does, so a run
 * whose expressions are all on it never loads jq's builtin functions, the slowest part of
 * starting jackson-jq (about 0.1 s). Used by one thread at a time, like the instance.
 */
final class JqScope {
  private Scope scope;

  /** The scope, made on the first call. */
  Scope get() {
    Scope s = scope;
    if (s == null) scope = s = JqSupport.newScope();
    return s;
  }

  /** True once {@link #get()} has made the scope (for tests). */
  boolean made() {
    return scope != null;
  }
}

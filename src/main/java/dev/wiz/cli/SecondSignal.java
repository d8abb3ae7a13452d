package dev.wiz.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Hears a second SIGINT or SIGTERM. The JDK turns the first into its shutdown sequence, which
 * runs {@link Main}'s hook; a signal that comes while the hooks run is then lost (the JDK's
 * handler waits for the sequence that is already running). So wiz handles both signals itself
 * with {@code sun.misc.Signal} (module {@code jdk.unsupported}, in every JDK 17): the first is
 * handed to the JDK's own handler as before, any later one sets {@code stopNow}.
 *
 * <p>Where that cannot be done (a JDK without the module, {@code -Xrs}), a second signal is lost
 * as before and the grace of {@link Main#STOP_GRACE_MILLIS} does its work. A signal that was
 * ignored when wiz started ({@code nohup}, a background job of a shell script) stays ignored: the
 * JDK does not handle it, and neither does this.
 */
final class SecondSignal {
  private SecondSignal() {}

  /** Handles SIGINT and SIGTERM so: the first as the JDK does, the next ones by setting {@code stopNow}. */
  static void install(AtomicBoolean cancelled, AtomicBoolean stopNow) {
    AtomicInteger heard = new AtomicInteger();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        SignalHandler[] jdk = new SignalHandler[1];
        jdk[0] = Signal.handle(new Signal(name), signal -> {
          // A run already cancelled otherwise (SIGHUP, the JDK's shutdown) is told to stop at once too.
          if (heard.getAndIncrement() == 0 && !cancelled.get()) {
            SignalHandler first = jdk[0];
            if (first != null) {
              first.handle(signal);
            } else {
              Runtime.getRuntime().exit(128 + signal.getNumber()); // what the JDK's handler does
            }
          } else {
            stopNow.set(true);
          }
        });
      } catch (IllegalArgumentException | LinkageError e) {
        // Not handled here: the JDK's handling stays.
      }
    }
  }
}

package io.telesignal.sip.transaction;

import java.time.Duration;

/** Runs the transactions' timers: the event loop in the server, a virtual clock in tests. */
public interface Scheduler {
    /** A scheduled task, cancellable until it has run. */
    interface Timer {
        void cancel();
    }

    Timer schedule(Duration delay, Runnable task);

    /** On a Netty event executor: the transactions of a door then all run on its loop, one at a time. */
    static Scheduler on(io.netty.util.concurrent.EventExecutor executor) {
        return (delay, task) -> {
            var future = executor.schedule(task, delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}

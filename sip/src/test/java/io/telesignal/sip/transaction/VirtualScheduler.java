package io.telesignal.sip.transaction;

import java.time.Duration;
import java.util.PriorityQueue;

/** A scheduler on a clock the test moves: timers fire in order, exactly when due, without sleeping. */
public final class VirtualScheduler implements Scheduler {
    private final class Task implements Scheduler.Timer, Comparable<Task> {
        final long at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task other) {
            return at != other.at ? Long.compare(at, other.at) : Long.compare(seq, other.seq);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long now;
    private long seq;

    @Override
    public synchronized Scheduler.Timer schedule(Duration delay, Runnable task) {
        Task t = new Task(now + delay.toMillis(), seq++, task);
        queue.add(t);
        return t;
    }

    /** Moves the clock forward, running every timer that falls due on the way. */
    public synchronized void advance(Duration by) {
        long until = now + by.toMillis();
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Task t = queue.poll();
            now = t.at;
            if (!t.cancelled) {
                t.run.run();
            }
        }
        now = until;
    }

    public synchronized long now() {
        return now;
    }
}

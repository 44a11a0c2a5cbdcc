package io.telesignal.core.audit;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way services record audit events. Callers on any thread (event loops included) hand over an event
 * and get a future; a single writer thread appends to the {@link AuditLog} in arrival order, which is what
 * a hash chain needs and keeps blocking JDBC off the caller's thread.
 *
 * <p>Futures complete on a second thread, in the order the records were written, so what callers chain on them
 * (a consultation's fan-out to its participants) never holds up the next write. That thread's queue is bounded
 * too: when callers' continuations fall behind, the writer waits for them, and the full event queue then refuses
 * new events.
 *
 * <p>Hazard: the queue is bounded. When it is full the future fails at once with
 * {@link AuditUnavailableException}; callers refuse the audited action instead of waiting, so a slow store
 * slows admissions, never an event loop. {@link #close} drains what was accepted before it returns.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditLog log;
    private final Clock clock;
    private final ThreadPoolExecutor writer;
    private final ThreadPoolExecutor completions;

    public AuditTrail(AuditLog log, Clock clock, int queueCapacity) {
        this.log = log;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "audit-writer");
                    thread.setDaemon(true);
                    return thread;
                });
        this.completions = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread thread = new Thread(runnable, "audit-completions");
                    thread.setDaemon(true);
                    return thread;
                }, (task, executor) -> {
                    // full: the writer waits (order kept, memory bounded); after close, complete right here
                    try {
                        if (executor.isShutdown()) {
                            task.run();
                        } else {
                            executor.getQueue().put(task);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        task.run();
                    }
                });
    }

    /** Events written in one transaction at most (one commit, one sync of the store, for all of them). */
    static final int MAX_BATCH = 256;

    public CompletableFuture<AuditRecord> record(AuditEvent.Builder event) {
        AuditEvent stamped = event.at(clock.instant());
        CompletableFuture<AuditRecord> result = new CompletableFuture<>();
        try {
            writer.execute(new Append(stamped, result));
        } catch (RejectedExecutionException e) {
            LOG.warn("event=audit_append outcome=rejected type={} reason=queue_full_or_closed", stamped.type());
            result.completeExceptionally(new AuditUnavailableException("audit queue full or closed", e));
        }
        return result;
    }

    /** One event to write; run on the writer, it takes every event queued behind it along (group commit). */
    private final class Append implements Runnable {
        final AuditEvent event;
        final CompletableFuture<AuditRecord> result;

        Append(AuditEvent event, CompletableFuture<AuditRecord> result) {
            this.event = event;
            this.result = result;
        }

        @Override
        public void run() {
            java.util.List<Runnable> waiting = new java.util.ArrayList<>();
            writer.getQueue().drainTo(waiting, MAX_BATCH - 1);
            java.util.List<Append> batch = new java.util.ArrayList<>(waiting.size() + 1);
            batch.add(this);
            waiting.forEach(task -> batch.add((Append) task));
            try {
                write(batch);
            } catch (Error e) {
                batch.forEach(a -> a.result.completeExceptionally(new AuditUnavailableException("audit writer failed", e)));
                throw e;
            }
        }
    }

    /** Writes a batch in one transaction; when that fails, one by one, so that only an event the store refuses fails. */
    private void write(java.util.List<Append> batch) {
        if (batch.size() > 1) {
            try {
                java.util.List<AuditRecord> written = log.appendAll(batch.stream().map(a -> a.event).toList());
                completions.execute(() -> {
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).result.complete(written.get(i));
                    }
                });
                return;
            } catch (RuntimeException e) {
                LOG.warn("event=audit_append outcome=batch_failed events={} action=one_by_one", batch.size());
            }
        }
        for (Append append : batch) {
            try {
                AuditRecord written = log.append(append.event);
                completions.execute(() -> append.result.complete(written));
            } catch (RuntimeException e) {
                io.telesignal.core.work.Failures.unexpected(LOG, "event=audit_append outcome=failed type="
                        + append.event.type(), e);
                completions.execute(() -> append.result.completeExceptionally(
                        new AuditUnavailableException("audit store failed", e)));
            }
        }
    }

    /** Records and waits; for callers already on a worker thread. */
    public AuditRecord recordNow(AuditEvent.Builder event) {
        try {
            return record(event).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof AuditUnavailableException unavailable) {
                throw unavailable;
            }
            throw e;
        }
    }

    /** Events accepted but not yet written. */
    public int queued() {
        return writer.getQueue().size();
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(30));
    }

    /** Stops taking events and waits at most {@code timeout} for the accepted ones to be written. */
    public void close(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        writer.shutdown();
        try {
            if (!writer.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("event=audit_close outcome=timeout pending={}", writer.getQueue().size());
            }
            completions.shutdown();
            if (!completions.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                LOG.error("event=audit_close outcome=timeout pending_completions={}", completions.getQueue().size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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

    public CompletableFuture<AuditRecord> record(AuditEvent.Builder event) {
        AuditEvent stamped = event.at(clock.instant());
        CompletableFuture<AuditRecord> result = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    AuditRecord written = log.append(stamped);
                    completions.execute(() -> result.complete(written));
                } catch (RuntimeException e) {
                    io.telesignal.core.work.Failures.unexpected(LOG, "event=audit_append outcome=failed type="
                            + stamped.type(), e);
                    completions.execute(() -> result.completeExceptionally(
                            new AuditUnavailableException("audit store failed", e)));
                } catch (Error e) {
                    result.completeExceptionally(new AuditUnavailableException("audit writer failed", e));
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("event=audit_append outcome=rejected type={} reason=queue_full_or_closed", stamped.type());
            result.completeExceptionally(new AuditUnavailableException("audit queue full or closed", e));
        }
        return result;
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

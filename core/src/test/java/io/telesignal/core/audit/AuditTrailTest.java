package io.telesignal.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
    private final MutableClock clock = MutableClock.atEpochDay();

    /** A log that reads from {@code inner}; each test says how it appends. */
    private abstract static class ReadingFrom implements AuditLog {
        final AuditLog inner;

        ReadingFrom(AuditLog inner) {
            this.inner = inner;
        }

        @Override
        public List<AuditRecord> read(long afterSeq, int limit) {
            return inner.read(afterSeq, limit);
        }

        @Override
        public AuditHead head() {
            return inner.head();
        }
    }

    /** A log whose appends wait (at most 10 s) for the latch. */
    private static AuditLog waitingFor(CountDownLatch latch, InMemoryAuditLog inner) {
        return new ReadingFrom(inner) {
            @Override
            public AuditRecord append(AuditEvent event) {
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return inner.append(event);
            }
        };
    }

    @Test
    void recordsInArrivalOrderStampedWithTheClock() {
        InMemoryAuditLog log = new InMemoryAuditLog();
        try (AuditTrail trail = new AuditTrail(log, clock, 100)) {
            trail.record(AuditEvent.of("user.created", "cli", Outcome.OK).subject("u1"));
            clock.advance(Duration.ofSeconds(5));
            AuditRecord second = trail.record(AuditEvent.of("user.disabled", "cli", Outcome.OK).subject("u1")).join();

            assertThat(second.seq()).isEqualTo(2);
            assertThat(second.event().at()).isEqualTo(clock.instant());
        }
        List<AuditRecord> records = log.read(0, 10);
        assertThat(records).extracting(r -> r.event().type()).containsExactly("user.created", "user.disabled");
    }

    @Test
    void continuationsRunOffTheWriterInWriteOrderAndNeverHoldUpWriting() throws Exception {
        InMemoryAuditLog inner = new InMemoryAuditLog();
        CountDownLatch attached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AuditLog gated = waitingFor(attached, inner); // nothing completes before the test has chained on it
        List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (AuditTrail trail = new AuditTrail(gated, clock, 100)) {
            CompletableFuture<Void> first = trail.record(AuditEvent.of("a.first", "x", Outcome.OK)).thenAccept(r -> {
                seen.add(Thread.currentThread().getName() + ":" + r.seq());
                try {
                    release.await(10, TimeUnit.SECONDS); // a slow fan-out
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<Void> second = trail.record(AuditEvent.of("a.second", "x", Outcome.OK))
                    .thenAccept(r -> seen.add(Thread.currentThread().getName() + ":" + r.seq()));
            attached.countDown();
            // the second event is written while the first one's continuation is still busy
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> inner.read(0, 10).size() == 2);
            assertThat(second).isNotDone();
            release.countDown();
            CompletableFuture.allOf(first, second).get(5, TimeUnit.SECONDS);
        }
        assertThat(seen).containsExactly("audit-completions:1", "audit-completions:2");
    }

    @Test
    void fullQueueFailsFastInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        InMemoryAuditLog inner = new InMemoryAuditLog();
        AuditLog slow = waitingFor(release, inner);
        try (AuditTrail trail = new AuditTrail(slow, clock, 1)) {
            CompletableFuture<AuditRecord> running = trail.record(AuditEvent.of("a.b", "x", Outcome.OK));
            // wait until the writer has taken the first event, leaving the one-slot queue empty
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> !running.isDone() && queueFree(trail));
            CompletableFuture<AuditRecord> queued = trail.record(AuditEvent.of("a.b", "x", Outcome.OK));
            CompletableFuture<AuditRecord> rejected = trail.record(AuditEvent.of("a.b", "x", Outcome.OK));

            assertThatThrownBy(rejected::join).hasCauseInstanceOf(AuditUnavailableException.class);
            release.countDown();
            assertThat(running.join().seq()).isEqualTo(1);
            assertThat(queued.join().seq()).isEqualTo(2);
        }
    }

    @Test
    void failingStoreFailsTheFuture() {
        AuditLog broken = new AuditLog() {
            @Override
            public AuditRecord append(AuditEvent event) {
                throw new IllegalStateException("store down");
            }

            @Override
            public List<AuditRecord> read(long afterSeq, int limit) {
                return List.of();
            }

            @Override
            public AuditHead head() {
                return AuditHead.EMPTY;
            }
        };
        try (AuditTrail trail = new AuditTrail(broken, clock, 10)) {
            assertThatThrownBy(() -> trail.recordNow(AuditEvent.of("a.b", "x", Outcome.OK)))
                    .isInstanceOf(AuditUnavailableException.class);
        }
    }

    @Test
    void eventsWaitingBehindAWriteGoTogetherInOneAppendAndAnEventTheStoreRefusesFailsAlone() throws Exception {
        InMemoryAuditLog inner = new InMemoryAuditLog();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<CountDownLatch> gate =
                new java.util.concurrent.atomic.AtomicReference<>(new CountDownLatch(0));
        AuditLog counting = new ReadingFrom(inner) {
            @Override
            public AuditRecord append(AuditEvent event) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                    if (event.actor().equals("before")) {
                        gate.get().await(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (event.actor().equals("refused")) {
                    throw new IllegalStateException("value too long");
                }
                return inner.append(event);
            }

            @Override
            public List<AuditRecord> appendAll(List<AuditEvent> events) {
                batches.add(events.size());
                if (events.stream().anyMatch(e -> e.actor().equals("refused"))) {
                    throw new IllegalStateException("value too long"); // all or none: nothing written
                }
                return events.stream().map(inner::append).toList();
            }
        };
        try (AuditTrail trail = new AuditTrail(counting, clock, 1000)) {
            CompletableFuture<AuditRecord> first = trail.record(AuditEvent.of("session.opened", "u0", Outcome.OK));
            Thread.sleep(100); // the writer holds the first, alone, at the latch
            List<CompletableFuture<AuditRecord>> queued = new java.util.ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                queued.add(trail.record(AuditEvent.of("session.opened", "u" + i, Outcome.OK)));
            }
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
            for (int i = 0; i < 100; i++) {
                assertThat(queued.get(i).get(10, TimeUnit.SECONDS).seq()).isEqualTo(i + 2);
            }
            assertThat(batches).containsExactly(100); // the hundred behind it in one append

            // a batch with an event the store refuses: written one by one, only that one fails (the two after it wait
            // behind "before", held at a gate, so that they go together)
            gate.set(new CountDownLatch(1));
            CompletableFuture<AuditRecord> before = trail.record(AuditEvent.of("a.b", "before", Outcome.OK));
            Thread.sleep(100);
            CompletableFuture<AuditRecord> refused = trail.record(AuditEvent.of("a.b", "refused", Outcome.OK));
            CompletableFuture<AuditRecord> after = trail.record(AuditEvent.of("a.b", "after", Outcome.OK));
            gate.get().countDown();
            assertThat(before.get(10, TimeUnit.SECONDS).event().actor()).isEqualTo("before");
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AuditUnavailableException.class);
            assertThat(after.get(10, TimeUnit.SECONDS).event().actor()).isEqualTo("after");
            assertThat(new AuditVerifier().verify(inner).intact()).isTrue();
            assertThat(inner.head().seq()).isEqualTo(103);
            assertThat(batches).containsSubsequence(100, 2); // refused and after together, then one by one
        }
    }

    @Test
    void closeDrainsAcceptedEvents() {
        InMemoryAuditLog log = new InMemoryAuditLog();
        AuditTrail trail = new AuditTrail(log, clock, 1000);
        for (int i = 0; i < 200; i++) {
            trail.record(AuditEvent.of("a.b", "x" + i, Outcome.OK));
        }
        trail.close();
        assertThat(log.head().seq()).isEqualTo(200);
        assertThatThrownBy(() -> trail.recordNow(AuditEvent.of("a.b", "late", Outcome.OK)))
                .isInstanceOf(AuditUnavailableException.class);
    }

    private static boolean queueFree(AuditTrail trail) {
        return trail.queued() == 0;
    }
}

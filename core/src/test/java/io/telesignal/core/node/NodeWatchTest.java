package io.telesignal.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.NodeId;
import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class NodeWatchTest {
    private static final NodeId A = new NodeId("a");
    private static final NodeId B = new NodeId("b");
    private static final NodeId C = new NodeId("c");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryNodeRegistry registry = new InMemoryNodeRegistry(clock);
    private final List<String> cleanups = new CopyOnWriteArrayList<>();

    private NodeWatch watch(NodeId self) {
        return new NodeWatch(self, registry, Duration.ofSeconds(5), Duration.ofSeconds(60), dead -> {
            cleanups.add(self + " cleans " + dead);
            return CompletableFuture.completedFuture(3);
        });
    }

    private static Set<NodeId> tick(NodeWatch watch) {
        return watch.tick().toCompletableFuture().join();
    }

    @Test
    void aSilentNodeIsCleanedUpByExactlyOneOtherAfterTheGraceAndThenForgotten() {
        NodeWatch a = watch(A);
        NodeWatch b = watch(B);
        NodeWatch c = watch(C);
        tick(a);
        tick(b);
        tick(c);

        // b dies: a and c go on beating
        for (int second = 1; second <= 64; second++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(tick(a)).isEmpty();
            assertThat(tick(c)).isEmpty();
        }
        assertThat(cleanups).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        Set<NodeId> byA = tick(a);
        Set<NodeId> byC = tick(c);

        assertThat(byA).containsExactly(B);
        assertThat(byC).isEmpty();
        assertThat(cleanups).containsExactly("a cleans b");
        assertThat(registry.nodes().toCompletableFuture().join()).containsOnlyKeys(A, C);
    }

    @Test
    void aNodeThatComesBackBeforeTheGraceIsLeftAlone() {
        NodeWatch a = watch(A);
        NodeWatch b = watch(B);
        tick(a);
        tick(b);
        clock.advance(Duration.ofSeconds(30));
        tick(a);
        tick(b); // back: a network partition healed, a long pause ended
        clock.advance(Duration.ofSeconds(40));
        tick(a);
        tick(b);
        assertThat(cleanups).isEmpty();
        assertThat(a.registryReachable()).isTrue();
    }

    @Test
    void aNodeTheRegistryForgotPutsBackWhatItHolds() {
        java.util.concurrent.atomic.AtomicInteger reregistered = new java.util.concurrent.atomic.AtomicInteger();
        NodeWatch a = new NodeWatch(A, registry, Duration.ofSeconds(5), Duration.ofSeconds(60),
                dead -> CompletableFuture.completedFuture(0), () -> {
                    reregistered.incrementAndGet();
                    return CompletableFuture.completedFuture(2);
                });
        tick(a);
        tick(a);
        assertThat(reregistered).hasValue(0);
        registry.leave(A); // as a Redis restart, or the others' cleanup after a long pause, would
        tick(a);
        assertThat(reregistered).hasValue(1);
        tick(a);
        assertThat(reregistered).hasValue(1);
    }

    @Test
    void aNodeThatBeatsAgainDuringItsCleanupLearnsItWasForgottenAndACleanupThatFailedIsRunAgain() {
        java.util.concurrent.atomic.AtomicInteger reregistered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        NodeWatch[] b = new NodeWatch[1];
        NodeWatch a = new NodeWatch(A, registry, Duration.ofSeconds(5), Duration.ofSeconds(60), dead -> {
            // b wakes up from a long pause in the middle of its cleanup; the first try fails part way
            b[0].tick().toCompletableFuture().join();
            return attempts.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("one endpoint failed"))
                    : CompletableFuture.completedFuture(1);
        });
        b[0] = new NodeWatch(B, registry, Duration.ofSeconds(5), Duration.ofSeconds(60),
                dead -> CompletableFuture.completedFuture(0), () -> {
                    reregistered.incrementAndGet();
                    return CompletableFuture.completedFuture(1);
                });
        tick(a);
        tick(b[0]);
        clock.advance(Duration.ofSeconds(66));
        assertThat(tick(a)).containsExactly(B);
        assertThat(reregistered).as("b was forgotten before its cleanup began").hasValue(1);
        assertThat(attempts).hasValue(1);
        tick(a);
        assertThat(attempts).as("the unfinished cleanup ran again").hasValue(2);
        tick(a);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void aHeartbeatLateByTheTimeoutPutsBackWhatTheNodeHoldsThoughTheRegistryStillKnowsIt() {
        java.util.concurrent.atomic.AtomicInteger reregistered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong(1);
        NodeWatch a = new NodeWatch(A, registry, Duration.ofSeconds(5), Duration.ofSeconds(60),
                dead -> CompletableFuture.completedFuture(0), () -> {
                    reregistered.incrementAndGet();
                    return CompletableFuture.completedFuture(1);
                }, nanos::get);
        tick(a);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        tick(a);
        assertThat(reregistered).hasValue(0);
        // a pause as long as the timeout: the others may have taken this node for down meanwhile
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        tick(a);
        assertThat(reregistered).hasValue(1);
    }
}

package io.telesignal.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.NodeId;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeRegistry} must do. Implementations keep their own time, so the contract lets real time pass
 * ({@link #pass}): a registry on a test clock advances it, Redis sleeps.
 */
public abstract class NodeRegistryContract {
    private static final NodeId A = new NodeId("node-a");
    private static final NodeId B = new NodeId("node-b");

    protected abstract NodeRegistry registry();

    /** Lets {@code time} pass for the registry. */
    protected abstract void pass(Duration time) throws InterruptedException;

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void heartbeatsAreAgedOnTheRegistrysClock() throws Exception {
        assertThat(join(registry().heartbeat(A))).as("new").isFalse();
        assertThat(join(registry().heartbeat(A))).as("known").isTrue();
        join(registry().heartbeat(B));
        pass(Duration.ofMillis(300));
        join(registry().heartbeat(B));

        var nodes = join(registry().nodes());
        assertThat(nodes).containsOnlyKeys(A, B);
        assertThat(nodes.get(A)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(nodes.get(B)).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void exactlyOneClaimsTheCleanupWhileTheLeaseRuns() throws Exception {
        join(registry().heartbeat(A));
        assertThat(join(registry().claimCleanup(A, B, Duration.ofMillis(400)))).isTrue();
        assertThat(join(registry().claimCleanup(A, new NodeId("node-c"), Duration.ofMillis(400)))).isFalse();
        pass(Duration.ofMillis(500));
        assertThat(join(registry().claimCleanup(A, new NodeId("node-c"), Duration.ofMillis(400)))).isTrue();
    }

    @Test
    void aNodeIsForgottenOnlyIfItStayedSilent() throws Exception {
        join(registry().heartbeat(A));
        pass(Duration.ofMillis(300));
        assertThat(join(registry().forget(A, Duration.ofSeconds(10)))).as("it beat 300 ms ago").isFalse();
        assertThat(join(registry().forget(A, Duration.ofMillis(200)))).isTrue();
        assertThat(join(registry().nodes())).doesNotContainKey(A);

        assertThat(join(registry().heartbeat(A))).as("forgotten: to be registered again").isFalse();
        join(registry().leave(A));
        join(registry().heartbeat(B));
        join(registry().leave(B));
        assertThat(join(registry().nodes())).isEmpty();
    }
}

package io.telesignal.core.location;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What every {@link LocationStore} must do. */
public abstract class LocationStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final UserId ALICE = new UserId("alice");
    private static final NodeId N1 = new NodeId("n1");
    private static final NodeId N2 = new NodeId("n2");

    protected abstract LocationStore store();

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static Binding binding(String key, double q, long expiresIn, String callId, long cseq, NodeId node) {
        return new Binding(ALICE, key, "sip:alice@192.0.2.7:5060;transport=tcp;ob", q, T0.plusSeconds(expiresIn),
                callId, cseq, Optional.of("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"), 1,
                List.of("<sip:edge.example.org;lr;ob>"), new EndpointId("sip-flow-" + key), node);
    }

    @Test
    void bindingsReadBackWholeHighestQFirstAndExpiredOnesAreGone() {
        Binding desk = binding("desk", 0.5, 3600, "c1@x", 1, N1);
        Binding soft = binding("soft", 1.0, 600, "c2@x", 1, N2);
        Binding old = binding("old", 0.9, 30, "c3@x", 1, N1);
        assertThat(join(store().put(desk))).isEqualTo(LocationStore.Outcome.DONE);
        join(store().put(soft));
        join(store().put(old));

        assertThat(join(store().bindingsOf(ALICE, T0))).containsExactly(soft, old, desk);
        assertThat(join(store().bindingsOf(ALICE, T0.plusSeconds(30)))).containsExactly(soft, desk);
        assertThat(join(store().bindingsOf(new UserId("bob"), T0))).isEmpty();
        assertThat(join(store().onNode(N1))).containsExactly(desk);
    }

    @Test
    void aRegisterWithTheSameCallIdMustHaveAHigherCseq() {
        join(store().put(binding("desk", 0.5, 3600, "c1@x", 5, N1)));
        Binding replay = binding("desk", 0.7, 3600, "c1@x", 5, N1);
        assertThat(join(store().put(replay))).isEqualTo(LocationStore.Outcome.OUT_OF_ORDER);
        Binding refresh = binding("desk", 0.7, 7200, "c1@x", 6, N2);
        assertThat(join(store().put(refresh))).isEqualTo(LocationStore.Outcome.DONE);
        Binding otherDialog = binding("desk", 0.2, 60, "c9@x", 1, N1);
        assertThat(join(store().put(otherDialog))).isEqualTo(LocationStore.Outcome.DONE);
        assertThat(join(store().bindingsOf(ALICE, T0))).containsExactly(otherDialog);

        assertThat(join(store().remove(ALICE, "desk", "c9@x", 1))).isEqualTo(LocationStore.Outcome.OUT_OF_ORDER);
        assertThat(join(store().remove(ALICE, "desk", "c9@x", 2))).isEqualTo(LocationStore.Outcome.DONE);
        assertThat(join(store().remove(ALICE, "desk", "c9@x", 3))).isEqualTo(LocationStore.Outcome.NOT_FOUND);
        assertThat(join(store().bindingsOf(ALICE, T0))).isEmpty();
    }

    @Test
    void starRemovesEveryBinding() {
        Binding desk = binding("desk", 0.5, 3600, "c1@x", 1, N1);
        Binding soft = binding("soft", 1.0, 600, "c2@x", 1, N2);
        join(store().put(desk));
        join(store().put(soft));
        assertThat(join(store().removeAll(ALICE))).containsExactlyInAnyOrder(desk, soft);
        assertThat(join(store().bindingsOf(ALICE, T0))).isEmpty();
        assertThat(join(store().onNode(N1))).isEmpty();
    }
}

package io.telesignal.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What every {@link EndpointRegistry} must do. */
public abstract class EndpointRegistryContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private static final UserId ALICE = new UserId("alice");
    private static final NodeId N1 = new NodeId("n1");
    private static final NodeId N2 = new NodeId("n2");

    protected abstract EndpointRegistry registry();

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static Endpoint endpoint(String id, UserId user, FrontDoor door, NodeId node, int second) {
        return new Endpoint(new EndpointId(id), user, door, node, second == 2 ? null : "192.0.2." + second,
                T0.plusSeconds(second));
    }

    @Test
    void endpointsReadBackWholeByIdUserAndNode() {
        Endpoint tab = endpoint("websocket-s1", ALICE, FrontDoor.WEBSOCKET, N1, 1);
        Endpoint phone = endpoint("sip-flow-1", ALICE, FrontDoor.SIP, N2, 2);
        Endpoint other = endpoint("xmpp-bob/laptop", new UserId("bob"), FrontDoor.XMPP, N1, 0);
        join(registry().register(phone));
        join(registry().register(tab));
        join(registry().register(other));

        assertThat(join(registry().find(tab.id()))).contains(tab);
        assertThat(join(registry().find(new EndpointId("nope")))).isEmpty();
        assertThat(join(registry().endpointsOf(ALICE))).containsExactly(tab, phone);
        assertThat(join(registry().endpointsOn(N1))).containsExactlyInAnyOrder(tab, other);
        assertThat(join(registry().endpointsOn(N2))).containsExactly(phone);
    }

    @Test
    void anEndpointThatMovesLeavesItsOldNodeAndOnlyItsHolderMayTakeItOut() {
        Endpoint before = endpoint("websocket-s1", ALICE, FrontDoor.WEBSOCKET, N1, 1);
        join(registry().register(before));
        // resumed on another node
        Endpoint moved = endpoint("websocket-s1", ALICE, FrontDoor.WEBSOCKET, N2, 3);
        join(registry().register(moved));
        assertThat(join(registry().endpointsOn(N1))).isEmpty();
        assertThat(join(registry().endpointsOn(N2))).containsExactly(moved);
        assertThat(join(registry().endpointsOf(ALICE))).as("once, as it is now").containsExactly(moved);

        assertThat(join(registry().unregisterFrom(moved.id(), N1))).as("N1 no longer holds it").isEmpty();
        assertThat(join(registry().find(moved.id()))).contains(moved);
        assertThat(join(registry().unregisterFrom(moved.id(), N2))).contains(moved);
        assertThat(join(registry().find(moved.id()))).isEmpty();
        assertThat(join(registry().endpointsOf(ALICE))).isEmpty();

        join(registry().register(before));
        assertThat(join(registry().unregister(before.id()))).contains(before);
        assertThat(join(registry().unregister(before.id()))).isEmpty();
        assertThat(join(registry().endpointsOn(N1))).isEmpty();
    }
}

package io.telesignal.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.InProcessNodeLink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final UserId ALICE = new UserId("alice");
    private static final NodeId NODE_A = new NodeId("a");
    private static final NodeId NODE_B = new NodeId("b");

    private record Ping(int n) implements CoreEvent {
        @Override
        public String type() {
            return "ping";
        }
    }

    private final EndpointRegistry shared = new InMemoryEndpointRegistry();
    private final InProcessNodeLink link = new InProcessNodeLink();
    private final Router a = new Router(NODE_A, shared, new LocalEndpoints(), link);
    private final Router b = new Router(NODE_B, shared, new LocalEndpoints(), link);

    RouterTest() {
        link.join(a);
        link.join(b);
    }

    @Test
    void deliversToALocalEndpoint() {
        List<CoreEvent> received = new ArrayList<>();
        EndpointId tab = connect(a, "ws-1", EndpointSink.of(received::add));

        assertThat(a.deliver(tab, new Ping(1)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(received).containsExactly(new Ping(1));
    }

    @Test
    void deliversToAnEndpointOnAnotherNode() {
        List<CoreEvent> received = new ArrayList<>();
        EndpointId phone = connect(b, "sip-1", EndpointSink.of(received::add));

        assertThat(a.deliver(phone, new Ping(2)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(received).containsExactly(new Ping(2));
    }

    @Test
    void deliversToEveryEndpointOfAUserWherever() {
        List<CoreEvent> onA = new ArrayList<>();
        List<CoreEvent> onB = new ArrayList<>();
        EndpointId tab = connect(a, "ws-1", EndpointSink.of(onA::add));
        EndpointId phone = connect(b, "sip-1", EndpointSink.of(onB::add));

        Map<EndpointId, DeliveryOutcome> outcomes = a.deliverToUser(ALICE, new Ping(3)).toCompletableFuture().join();

        assertThat(outcomes).containsEntry(tab, DeliveryOutcome.DELIVERED).containsEntry(phone, DeliveryOutcome.DELIVERED);
        assertThat(onA).containsExactly(new Ping(3));
        assertThat(onB).containsExactly(new Ping(3));
    }

    @Test
    void reportsEveryWayDeliveryCanFail() {
        EndpointId full = connect(a, "ws-full", EndpointSink.of(event -> false));
        EndpointId remote = connect(b, "sip-remote", EndpointSink.of(event -> true));
        EndpointId gone = connect(a, "ws-gone", EndpointSink.of(event -> true));
        a.disconnect(gone).toCompletableFuture().join();
        link.cut(NODE_B);

        assertThat(a.deliver(full, new Ping(1)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.REFUSED);
        assertThat(a.deliver(gone, new Ping(1)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.NOT_CONNECTED);
        assertThat(a.deliver(remote, new Ping(1)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.NODE_UNREACHABLE);
        assertThat(a.deliverToUser(new UserId("nobody"), new Ping(1)).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void singleNodeLinkReportsOtherNodesUnreachable() {
        Router alone = new Router(NODE_A, shared, new LocalEndpoints(), new SingleNodeLink());
        EndpointId remote = connect(b, "sip-remote", EndpointSink.of(event -> true));
        assertThat(alone.deliver(remote, new Ping(1)).toCompletableFuture().join())
                .isEqualTo(DeliveryOutcome.NODE_UNREACHABLE);
    }

    @Test
    void aNodeOnlyConnectsItsOwnEndpoints() {
        Endpoint foreign = new Endpoint(new EndpointId("x"), ALICE, FrontDoor.XMPP, NODE_B, "127.0.0.1", Instant.EPOCH);
        assertThatThrownBy(() -> a.connect(foreign, EndpointSink.of(event -> true))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryListsEndpointsPerUserAndNode() {
        connect(a, "ws-1", EndpointSink.of(event -> true));
        connect(b, "sip-1", EndpointSink.of(event -> true));
        assertThat(shared.endpointsOf(ALICE).toCompletableFuture().join()).hasSize(2);
        assertThat(shared.endpointsOn(NODE_B).toCompletableFuture().join()).extracting(e -> e.id().value())
                .containsExactly("sip-1");
    }

    private EndpointId connect(Router router, String id, EndpointSink sink) {
        Endpoint endpoint = new Endpoint(new EndpointId(id), ALICE, FrontDoor.WEBSOCKET, router.self(), "127.0.0.1",
                Instant.EPOCH);
        router.connect(endpoint, sink).toCompletableFuture().join();
        return endpoint.id();
    }
}

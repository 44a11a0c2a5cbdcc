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

    /** Node A's registry keeps a copy of where an endpoint was, until told to forget it (as the Redis one does). */
    private static final class CopyingRegistry implements EndpointRegistry {
        private final InMemoryEndpointRegistry shared = new InMemoryEndpointRegistry();
        private final java.util.Map<EndpointId, Endpoint> copies = new java.util.HashMap<>();
        private final List<EndpointId> forgotten = new ArrayList<>();

        @Override
        public java.util.concurrent.CompletionStage<Void> register(Endpoint endpoint) {
            return shared.register(endpoint);
        }

        @Override
        public java.util.concurrent.CompletionStage<java.util.Optional<Endpoint>> unregister(EndpointId id) {
            return shared.unregister(id);
        }

        @Override
        public java.util.concurrent.CompletionStage<java.util.Optional<Endpoint>> unregisterFrom(EndpointId id,
                NodeId node) {
            return shared.unregisterFrom(id, node);
        }

        @Override
        public java.util.concurrent.CompletionStage<List<Endpoint>> endpointsOf(UserId user) {
            return shared.endpointsOf(user);
        }

        @Override
        public java.util.concurrent.CompletionStage<List<Endpoint>> endpointsOn(NodeId node) {
            return shared.endpointsOn(node);
        }

        @Override
        public java.util.concurrent.CompletionStage<java.util.Optional<Endpoint>> find(EndpointId id) {
            Endpoint copy = copies.get(id);
            if (copy != null) {
                return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.of(copy));
            }
            return shared.find(id).thenApply(found -> {
                found.ifPresent(endpoint -> copies.put(id, endpoint));
                return found;
            });
        }

        @Override
        public void forget(EndpointId id) {
            forgotten.add(id);
            copies.remove(id);
        }
    }

    @Test
    void anEndpointNotWhereTheCopySaidIsLookedUpOnceMoreAndReached() {
        CopyingRegistry registry = new CopyingRegistry();
        InProcessNodeLink nodes = new InProcessNodeLink();
        Router onA = new Router(NODE_A, registry, new LocalEndpoints(), nodes);
        Router onB = new Router(NODE_B, registry, new LocalEndpoints(), nodes);
        Router onC = new Router(new NodeId("c"), registry, new LocalEndpoints(), nodes);
        nodes.join(onA);
        nodes.join(onB);
        nodes.join(onC);
        List<CoreEvent> onBReceived = new ArrayList<>();
        List<CoreEvent> onCReceived = new ArrayList<>();
        EndpointId tab = connect(onB, "ws-moving", EndpointSink.of(onBReceived::add));
        assertThat(onA.deliver(tab, new Ping(1)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.DELIVERED);

        // the session moves to C (it resumed there): B lets go, and A's copy still says B
        onB.release(tab);
        connect(onC, "ws-moving", EndpointSink.of(onCReceived::add));

        assertThat(onA.deliver(tab, new Ping(2)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(onBReceived).containsExactly(new Ping(1));
        assertThat(onCReceived).containsExactly(new Ping(2));
        assertThat(registry.forgotten).containsExactly(tab);
        // one more try only: an endpoint that is nowhere is not chased
        onC.disconnect(tab).toCompletableFuture().join();
        registry.copies.put(tab, new Endpoint(tab, ALICE, FrontDoor.WEBSOCKET, NODE_B, null, Instant.EPOCH));
        assertThat(onA.deliver(tab, new Ping(3)).toCompletableFuture().join()).isEqualTo(DeliveryOutcome.NOT_CONNECTED);
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

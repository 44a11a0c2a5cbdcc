package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.EndpointRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract on a real Redis, under a key prefix of its own; and each node's copies of where endpoints are. */
class RedisEndpointRegistryTest extends io.telesignal.core.routing.EndpointRegistryContract {
    private RedisSettings settings;
    private TestRedis redis;
    private RedisBus bus;
    private RedisEndpointRegistry registry;
    private Redis otherRedis;
    private RedisBus otherBus;

    private final Endpoint tab = new Endpoint(new EndpointId("websocket-c1"), new UserId("u1"), FrontDoor.WEBSOCKET,
            new NodeId("n1"), "127.0.0.1", Instant.parse("2026-03-01T10:00:00Z"));

    @BeforeEach
    void open() {
        settings = TestRedis.settings();
        redis = TestRedis.open(settings);
        bus = new RedisBus(redis.redis());
        registry = new RedisEndpointRegistry(redis.redis(), bus);
    }

    @AfterEach
    void close() {
        if (otherBus != null) {
            otherBus.close();
            otherRedis.close();
        }
        bus.close();
        redis.close();
    }

    @Override
    protected EndpointRegistry registry() {
        return registry;
    }

    /** A second node on the same Redis and prefix. */
    private RedisEndpointRegistry otherNode() {
        otherRedis = TestRedis.connect(settings);
        otherBus = new RedisBus(otherRedis);
        return new RedisEndpointRegistry(otherRedis, otherBus);
    }

    private static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> done) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < until) {
            Thread.sleep(10);
            value = read.get();
        }
        return value;
    }

    private Optional<Endpoint> find(EndpointRegistry on, EndpointId id) {
        return on.find(id).toCompletableFuture().join();
    }

    @Test
    void aNodeAnswersFromItsCopyUntilItForgetsIt() throws Exception {
        registry.register(tab).toCompletableFuture().join();
        eventually(() -> {
            find(registry, tab.id());
            return registry.copies();
        }, n -> n == 1);
        // gone from Redis behind the registry's back (no announcement): the copy still answers
        redis.redis().commands().del(redis.redis().key("ep:" + tab.id().value())).toCompletableFuture().join();
        assertThat(find(registry, tab.id())).contains(tab);

        // a delivery did not find it there: the next lookup asks Redis
        registry.forget(tab.id());
        assertThat(find(registry, tab.id())).isEmpty();
    }

    @Test
    void anotherNodesMoveOrRemovalReachesThisNodesCopies() throws Exception {
        RedisEndpointRegistry other = otherNode();
        registry.register(tab).toCompletableFuture().join();
        eventually(() -> {
            find(registry, tab.id());
            return registry.copies();
        }, n -> n == 1);

        Endpoint moved = new Endpoint(tab.id(), tab.user(), tab.door(), new NodeId("n2"), tab.remoteAddress(),
                tab.connectedAt());
        other.register(moved).toCompletableFuture().join();
        assertThat(eventually(() -> find(registry, tab.id()), found -> found.equals(Optional.of(moved))))
                .contains(moved);

        other.unregister(tab.id()).toCompletableFuture().join();
        assertThat(eventually(() -> find(registry, tab.id()), Optional::isEmpty)).isEmpty();
    }

    @Test
    void copiesGoWhenTheSubscriptionDropsAndComeBackWithIt() throws Exception {
        registry.register(tab).toCompletableFuture().join();
        eventually(() -> {
            find(registry, tab.id());
            return registry.copies();
        }, n -> n == 1);

        // Redis drops the node's subscribing connection: what it misses meanwhile could make any copy stale
        redis.redis().commands().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()).toCompletableFuture().join();
        assertThat(eventually(registry::copies, n -> n == 0)).isZero();

        // Lettuce reconnects and subscribes again; copies are kept again from then on
        assertThat(eventually(() -> {
            find(registry, tab.id());
            return registry.copies();
        }, n -> n == 1)).isEqualTo(1);
        assertThat(find(registry, tab.id())).contains(tab);
    }
}

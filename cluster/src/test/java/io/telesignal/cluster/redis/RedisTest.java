package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.Endpoint;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RedisTest {
    @Test
    void scriptsSurviveRedisForgettingThemAsARestartDoes() {
        try (TestRedis redis = TestRedis.open(); RedisBus bus = new RedisBus(redis.redis())) {
            RedisEndpointRegistry registry = new RedisEndpointRegistry(redis.redis(), bus);
            Endpoint tab = new Endpoint(new EndpointId("websocket-s1"), new UserId("u1"), FrontDoor.WEBSOCKET,
                    new NodeId("n1"), "127.0.0.1", Instant.parse("2026-03-01T10:00:00Z"));
            registry.register(tab).toCompletableFuture().join();
            redis.redis().commands().scriptFlush().toCompletableFuture().join();

            registry.register(tab).toCompletableFuture().join();
            assertThat(registry.endpointsOf(new UserId("u1")).toCompletableFuture().join()).containsExactly(tab);
        }
    }

    @Test
    void anUnreachableRedisIsAClearErrorAtConnect() {
        RedisSettings nowhere = new RedisSettings("redis://127.0.0.1:1/0", "x:", Duration.ofMillis(500));
        assertThatThrownBy(() -> Redis.connect(nowhere))
                .isInstanceOfSatisfying(RedisUnavailableException.class, e -> {
                    assertThat(e.code()).isEqualTo("cluster_unavailable");
                    assertThat(e.getMessage()).contains("cannot reach Redis at RedisSettings[uri=redis://127.0.0.1:1/0");
                });
    }

    @Test
    void settingsRefuseOtherSchemesAndHidePasswords() {
        assertThatThrownBy(() -> new RedisSettings("http://x", "p:", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisSettings("redis://x", "bad prefix", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RedisSettings("redis://:s3cret@db:6379/0", "p:", Duration.ofSeconds(1)).toString())
                .doesNotContain("s3cret").contains("redis://***@db:6379/0");
        assertThat(new RedisSettings("redis-sentinel://s1:26379,s2:26379/0#mymaster", "", Duration.ofSeconds(1)).uri())
                .startsWith("redis-sentinel://");
    }
}

package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.InMemoryConsultationStore;
import io.telesignal.core.consultation.ParticipantsChanged;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What the Redis implementations do when Redis, or the node they need, is not there. */
class RedisFailurePathsTest {
    @Test
    void aWriteTheDatabaseCommittedStandsWhenRedisFailsAndReadsThenSayTheClusterIsUnavailable() {
        InMemoryConsultationStore database = new InMemoryConsultationStore();
        Redis redis = TestRedis.connect(TestRedis.settings());
        RedisBus bus = new RedisBus(redis);
        RedisConsultationVersions versions = new RedisConsultationVersions(database, redis, bus);
        bus.close();
        redis.close(); // Redis gone: every command fails at once

        Consultation c = Consultation.create(new ConsultationId("c1"), Map.of(), 4, new UserId("doc"),
                Instant.parse("2026-03-01T10:00:00Z"), Optional.empty());
        versions.create(c).toCompletableFuture().join(); // committed: not reported as failed
        assertThat(database.find(c.id()).toCompletableFuture().join()).contains(c);

        assertThatThrownBy(() -> versions.find(c.id()).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(RedisUnavailableException.class)
                .satisfies(e -> assertThat(((RedisUnavailableException) e.getCause()).code())
                        .isEqualTo("cluster_unavailable"));
    }

    @Test
    void anEventForANodeNobodyListensForIsUnreachableAtOnce() {
        try (TestRedis redis = TestRedis.open(); RedisBus bus = new RedisBus(redis.redis())) {
            RedisNodeLink link = new RedisNodeLink(bus, new NodeId("node-a"), new CoreEventCodec(), Duration.ofSeconds(10));
            long started = System.nanoTime();
            DeliveryOutcome outcome = link.send(new NodeId("node-gone"), new EndpointId("websocket-s1"),
                    new ParticipantsChanged(new ConsultationId("c1"),
                            io.telesignal.core.consultation.ConsultationState.OPEN, List.of(), 1))
                    .toCompletableFuture().join();
            assertThat(outcome).isEqualTo(DeliveryOutcome.NODE_UNREACHABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not after the timeout")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }
}

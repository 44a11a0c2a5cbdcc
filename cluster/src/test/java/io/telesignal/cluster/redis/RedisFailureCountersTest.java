package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.auth.FailureCounters;
import io.telesignal.core.auth.FailureCountersContract;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract on a real Redis, and what sharing brings: two nodes count one key together. */
class RedisFailureCountersTest extends FailureCountersContract {
    private TestRedis redis;
    private RedisFailureCounters counters;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        counters = new RedisFailureCounters(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected FailureCounters counters() {
        return counters;
    }

    @Test
    void twoNodesCountOneKeyTogetherAndRedisForgetsItAfterTheWindow() throws Exception {
        RedisFailureCounters otherNode = new RedisFailureCounters(redis.redis());
        Instant t0 = Instant.now();
        counters.failed("addr:192.0.2.1", t0, Duration.ofMillis(300)).toCompletableFuture().join();
        assertThat(otherNode.failed("addr:192.0.2.1", t0.plusMillis(1), Duration.ofMillis(300)).toCompletableFuture()
                .join().count()).isEqualTo(2);
        assertThat(counters.read("addr:192.0.2.1", t0).toCompletableFuture().join()).map(FailureCounters.Failures::count)
                .contains(2L);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                counters.read("addr:192.0.2.1", Instant.now()).toCompletableFuture().join().isEmpty());
    }
}

package io.telesignal.cluster.redis;

import io.telesignal.core.device.NonceCounts;
import io.telesignal.core.device.NonceCountsContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract on a real Redis: nonce counts every node shares. */
class RedisNonceCountsTest extends NonceCountsContract {
    private TestRedis redis;
    private RedisNonceCounts counts;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        counts = new RedisNonceCounts(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected NonceCounts counts() {
        return counts;
    }
}

package io.telesignal.cluster.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract on a real Redis, under a key prefix of its own. */
class RedisLocationStoreTest extends io.telesignal.core.location.LocationStoreContract {
    private TestRedis redis;
    private io.telesignal.core.location.LocationStore store;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        store = new RedisLocationStore(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected io.telesignal.core.location.LocationStore store() {
        return store;
    }
}

package io.telesignal.cluster.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract on a real Redis, under a key prefix of its own. */
class RedisPresenceStoreTest extends io.telesignal.core.presence.PresenceStoreContract {
    private TestRedis redis;
    private io.telesignal.core.presence.PresenceStore store;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        store = new RedisPresenceStore(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected io.telesignal.core.presence.PresenceStore store() {
        return store;
    }
}

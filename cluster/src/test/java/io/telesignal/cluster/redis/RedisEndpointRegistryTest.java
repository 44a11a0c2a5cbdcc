package io.telesignal.cluster.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract on a real Redis, under a key prefix of its own. */
class RedisEndpointRegistryTest extends io.telesignal.core.routing.EndpointRegistryContract {
    private TestRedis redis;
    private io.telesignal.core.routing.EndpointRegistry registry;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        registry = new RedisEndpointRegistry(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected io.telesignal.core.routing.EndpointRegistry registry() {
        return registry;
    }
}

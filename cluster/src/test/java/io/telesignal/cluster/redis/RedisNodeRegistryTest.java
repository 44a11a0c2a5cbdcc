package io.telesignal.cluster.redis;

import io.telesignal.core.node.NodeRegistry;
import io.telesignal.core.node.NodeRegistryContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The contract on a real Redis: its own clock ({@code TIME}) ages the nodes, so time passes for real here. */
class RedisNodeRegistryTest extends NodeRegistryContract {
    private TestRedis redis;
    private NodeRegistry registry;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        registry = new RedisNodeRegistry(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected NodeRegistry registry() {
        return registry;
    }

    @Override
    protected void pass(Duration time) throws InterruptedException {
        Thread.sleep(time.toMillis());
    }
}

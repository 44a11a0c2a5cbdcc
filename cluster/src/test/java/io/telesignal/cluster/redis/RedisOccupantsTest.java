package io.telesignal.cluster.redis;

import io.telesignal.core.groupchat.Occupants;
import io.telesignal.core.groupchat.OccupantsContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The occupants contract on a real Redis, under a key prefix of its own. */
class RedisOccupantsTest extends OccupantsContract {
    private TestRedis redis;
    private Occupants occupants;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        occupants = new RedisOccupants(redis.redis());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    @Override
    protected Occupants occupants() {
        return occupants;
    }
}

package io.telesignal.cluster.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Redis the tests use: {@code TELESIGNAL_TEST_REDIS_URI} (default {@code redis://127.0.0.1:6379/0}), each
 * test under a key prefix of its own, its keys deleted afterwards. When Redis cannot be reached the test fails under CI
 * ({@code CI=true}) and is skipped with a loud message elsewhere.
 */
public final class TestRedis implements AutoCloseable {
    public static final String URI = System.getenv().getOrDefault("TELESIGNAL_TEST_REDIS_URI", "redis://127.0.0.1:6379/0");

    private final Redis redis;

    private TestRedis(Redis redis) {
        this.redis = redis;
    }

    /** Settings under a fresh key prefix. */
    public static RedisSettings settings() {
        return new RedisSettings(URI, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ":",
                Duration.ofSeconds(2));
    }

    public static TestRedis open() {
        return open(settings());
    }

    /** Under given settings (several connections of a test share its prefix, as nodes do). */
    public static TestRedis open(RedisSettings settings) {
        return new TestRedis(connect(settings));
    }

    /** Connects, failing the test under CI and skipping it elsewhere when Redis is not there. */
    public static Redis connect(RedisSettings settings) {
        try {
            return Redis.connect(settings);
        } catch (RedisUnavailableException e) {
            String message = "Redis not reachable at " + URI + ". Start it with: redis-server --daemonize yes --bind"
                    + " 127.0.0.1 --port 6379 --save \"\" --appendonly no";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message, e);
            }
            System.err.println("!!!!!!!! SKIPPING REDIS TEST: " + message);
            Assumptions.abort(message);
            throw e;
        }
    }

    public Redis redis() {
        return redis;
    }

    /** Deletes every key under this test's prefix, then disconnects. */
    @Override
    public void close() {
        deleteAll(redis);
        redis.close();
    }

    public static void deleteAll(Redis redis) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.commands().scan(cursor, ScanArgs.Builder.matches(redis.prefix() + "*")
                    .limit(500)).toCompletableFuture().join();
            if (!page.getKeys().isEmpty()) {
                redis.commands().del(page.getKeys().toArray(String[]::new)).toCompletableFuture().join();
            }
            cursor = page;
        } while (!cursor.isFinished());
    }
}

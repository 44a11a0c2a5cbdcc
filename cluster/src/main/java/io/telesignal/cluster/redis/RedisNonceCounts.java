package io.telesignal.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.device.NonceCounts;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Digest nonce counts in Redis ({@code nc:<nonce>}, expiring a lifetime after first counted), so that a replayed
 * Authorization is refused whichever node it reaches. One script: compare and raise, atomically.
 */
public final class RedisNonceCounts implements NonceCounts {
    private static final String ADVANCE = """
            local k = ARGV[1] .. 'nc:' .. ARGV[2]
            local seen = redis.call('GET', k)
            if seen and tonumber(seen) >= tonumber(ARGV[3]) then return 0 end
            if seen then redis.call('SET', k, ARGV[3], 'KEEPTTL') else redis.call('SET', k, ARGV[3], 'PX', ARGV[4]) end
            return 1
            """;
    private final Redis redis;
    private final Redis.Script advance;

    public RedisNonceCounts(Redis redis) {
        this.redis = redis;
        this.advance = redis.new Script(ADVANCE, ScriptOutputType.INTEGER);
    }

    @Override
    public CompletionStage<Boolean> advance(String nonce, long nc, Duration lifetime) {
        return advance.<Long>run(new String[0], redis.prefix(), nonce, String.valueOf(nc),
                String.valueOf(Math.max(1, lifetime.toMillis()))).thenApply(result -> result == 1L);
    }
}

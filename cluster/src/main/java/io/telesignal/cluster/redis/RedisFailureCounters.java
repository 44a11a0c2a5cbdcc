package io.telesignal.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.auth.FailureCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Failed sign-ins counted in Redis, shared by every node: a hash per key ({@code fail:<key>}: count {@code c}, last
 * failure {@code l} in epoch ms) that Redis expires {@code window} after the last failure. Guesses spread over the
 * nodes of a cluster are counted together, so a guesser gains nothing by going round them.
 */
public final class RedisFailureCounters implements FailureCounters {
    private static final String FAILED = """
            local k = ARGV[1] .. 'fail:' .. ARGV[2]
            local c = redis.call('HINCRBY', k, 'c', 1)
            redis.call('HSET', k, 'l', ARGV[3])
            redis.call('PEXPIRE', k, ARGV[4])
            return {c, tonumber(ARGV[3])}
            """;
    private final Redis redis;
    private final Redis.Script failed;

    public RedisFailureCounters(Redis redis) {
        this.redis = redis;
        this.failed = redis.new Script(FAILED, ScriptOutputType.MULTI);
    }

    @Override
    public CompletionStage<Failures> failed(String key, Instant now, Duration window) {
        return failed.<List<Object>>run(new String[0], redis.prefix(), key, String.valueOf(now.toEpochMilli()),
                String.valueOf(Math.max(1, window.toMillis())))
                .thenApply(r -> new Failures((Long) r.get(0), Instant.ofEpochMilli((Long) r.get(1))));
    }

    @Override
    public CompletionStage<Optional<Failures>> read(String key, Instant now) {
        return redis.<List<io.lettuce.core.KeyValue<String, String>>>call(c -> c.hmget(redis.key("fail:" + key), "c", "l"))
                .thenApply(values -> {
                    if (values.size() < 2 || !values.get(0).hasValue() || !values.get(1).hasValue()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Failures(Long.parseLong(values.get(0).getValue()),
                            Instant.ofEpochMilli(Long.parseLong(values.get(1).getValue()))));
                });
    }

    @Override
    public CompletionStage<Void> clear(String key) {
        return redis.call(c -> c.del(redis.key("fail:" + key))).thenApply(deleted -> null);
    }
}

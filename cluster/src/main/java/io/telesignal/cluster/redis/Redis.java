package io.telesignal.cluster.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Lettuce client and connection shared by the Redis implementations (Lettuce multiplexes every command of the
 * process over it, without blocking). Commands that fail while Redis is away fail at once with a clear error, and the
 * connection comes back by itself when Redis does (Lettuce reconnects; scripts are loaded again, see {@link Script}).
 */
public final class Redis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Redis.class);

    private final RedisSettings settings;
    private final RedisClient client;
    private final RedisURI uri;
    private final StatefulRedisConnection<String, String> connection;

    private Redis(RedisSettings settings, RedisClient client, RedisURI uri,
            StatefulRedisConnection<String, String> connection) {
        this.settings = settings;
        this.client = client;
        this.uri = uri;
        this.connection = connection;
    }

    /** A connection for subscriptions (Redis serves a subscribing connection nothing else); it resubscribes itself. */
    public io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub(uri);
    }

    /** Connects; fails with a clear message when Redis cannot be reached. */
    public static Redis connect(RedisSettings settings) {
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.timeout());
        RedisClient client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // while disconnected, commands fail at once instead of queueing up behind the outage
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
        try {
            StatefulRedisConnection<String, String> connection = client.connect(uri);
            LOG.info("event=redis_connected uri={}", settings);
            return new Redis(settings, client, uri, connection);
        } catch (RuntimeException e) {
            client.shutdown();
            throw new RedisUnavailableException("cannot reach Redis at " + settings + ": " + e.getMessage(), e);
        }
    }

    /** Tells {@code listener} when any of this client's connections (the subscribing one too) drops or comes back. */
    public void addConnectionListener(io.lettuce.core.RedisConnectionStateListener listener) {
        client.addListener(listener);
    }

    /** Lettuce's commands, for tests and tools; the implementations send through {@link #call}. */
    public RedisAsyncCommands<String, String> commands() {
        return connection.async();
    }

    /**
     * Sends a command and answers what it answers, a failure of Redis (unreachable, timed out, restarting, or the
     * connection closed, which Lettuce reports by throwing rather than by a failed future) turned into
     * {@link RedisUnavailableException}, whose code ({@code cluster_unavailable}) clients are answered with.
     */
    public <T> CompletionStage<T> call(Function<RedisAsyncCommands<String, String>, ? extends CompletionStage<T>> command) {
        CompletionStage<T> sent;
        try {
            sent = command.apply(connection.async());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        sent.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                result.completeExceptionally(cause instanceof RedisUnavailableException ? cause
                        : new RedisUnavailableException("Redis failed: " + cause.getClass().getSimpleName(), cause));
            }
        });
        return result;
    }

    /** {@code prefix + name}. */
    public String key(String name) {
        return settings.keyPrefix() + name;
    }

    public String prefix() {
        return settings.keyPrefix();
    }

    /** Answers when Redis answers a PING. */
    public CompletionStage<String> ping() {
        return call(RedisAsyncCommands::ping);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    /**
     * A Lua script, run by its SHA-1 (EVALSHA) and sent whole (EVAL) only when Redis does not know it: after a restart
     * Redis has forgotten every script, and the first call sends it again.
     */
    public final class Script {
        private final String text;
        private final String sha;
        private final ScriptOutputType output;

        public Script(String text, ScriptOutputType output) {
            this.text = text;
            this.output = output;
            try {
                this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                        .digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 missing", e);
            }
        }

        public <T> CompletionStage<T> run(String[] keys, String... args) {
            return call(commands -> send(commands, keys, args));
        }

        private <T> CompletionStage<T> send(RedisAsyncCommands<String, String> commands, String[] keys, String... args) {
            CompletableFuture<T> result = new CompletableFuture<>();
            commands.<T>evalsha(sha, output, keys, args).whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else if (failure instanceof RedisNoScriptException) {
                    try {
                        commands.<T>eval(text, output, keys, args).whenComplete((again, second) -> {
                            if (second == null) {
                                result.complete(again);
                            } else {
                                result.completeExceptionally(second);
                            }
                        });
                    } catch (RuntimeException closedMeanwhile) {
                        result.completeExceptionally(closedMeanwhile);
                    }
                } else {
                    result.completeExceptionally(failure);
                }
            });
            return result;
        }
    }
}

package io.telesignal.cluster.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages between nodes over Redis pub/sub: one subscribing connection per node (Lettuce subscribes again by itself
 * after a reconnect), channels under the key prefix. Pub/sub delivers to whoever is subscribed now, at most once: it
 * wakes nodes and carries what a caller waits an answer for, never the only copy of something that must not be lost.
 */
public final class RedisBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);

    private final Redis redis;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
    private final Map<String, Gap> gaps = new ConcurrentHashMap<>();

    /** What a subscriber does about the messages it may have missed while it was not subscribed. */
    public interface Gap {
        /** The subscription dropped: messages from now until {@link #subscribed} are lost. */
        void unsubscribed();

        /** Subscribed (the first time, or again after a reconnect): messages from now on arrive. */
        void subscribed();
    }

    public RedisBus(Redis redis) {
        this.redis = redis;
        this.subscriptions = redis.connectPubSub();
        subscriptions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                Consumer<String> handler = handlers.get(channel);
                if (handler == null) {
                    return;
                }
                try {
                    handler.accept(message);
                } catch (RuntimeException e) {
                    io.telesignal.core.work.Failures.unexpected(LOG, "event=bus_message outcome=failed channel="
                            + channel.substring(redis.prefix().length()), e);
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                Gap gap = gaps.get(channel);
                if (gap != null) {
                    gap.subscribed();
                }
            }
        });
        redis.addConnectionListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                if (connection == subscriptions) {
                    gaps.values().forEach(Gap::unsubscribed);
                }
            }
        });
    }

    /**
     * As {@link #subscribe(String, Consumer)}, for a subscriber that keeps what the messages tell it (copies that a
     * message makes out of date): {@code gap} hears when the subscription drops, and when it is in place again.
     */
    public void subscribe(String channel, Consumer<String> handler, Gap gap) {
        gaps.put(redis.key(channel), gap);
        subscribe(channel, handler);
    }

    /** Hands every message on {@code channel} (under the prefix) to {@code handler}, on Lettuce's thread. */
    public void subscribe(String channel, Consumer<String> handler) {
        String full = redis.key(channel);
        handlers.put(full, handler);
        subscriptions.sync().subscribe(full);
    }

    /** Publishes; answers how many nodes were subscribed to hear it. */
    public CompletionStage<Long> publish(String channel, String message) {
        return redis.call(c -> c.publish(redis.key(channel), message));
    }

    @Override
    public void close() {
        subscriptions.close();
    }
}

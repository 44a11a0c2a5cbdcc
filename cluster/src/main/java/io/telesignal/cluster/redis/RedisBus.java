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
                    LOG.error("event=bus_message outcome=failed channel={}", channel.substring(redis.prefix().length()), e);
                }
            }
        });
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

package io.telesignal.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.telesignal.core.presence.PresenceChanged;
import io.telesignal.core.presence.PresenceFeed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence changes to every node over the {@code presence} channel: each node, the publisher included, hears each
 * change once from Redis. A change published while a node is cut off from Redis does not reach its watchers; they get
 * the user's presence again when they watch again (a new session) or with the next change.
 */
public final class RedisPresenceFeed implements PresenceFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceFeed.class);
    private static final String CHANNEL = "presence";

    private final RedisBus bus;
    private final CoreEventCodec codec;
    private final List<Consumer<PresenceChanged>> listeners = new CopyOnWriteArrayList<>();

    public RedisPresenceFeed(RedisBus bus, CoreEventCodec codec) {
        this.bus = bus;
        this.codec = codec;
        bus.subscribe(CHANNEL, this::heard);
    }

    @Override
    public void publish(PresenceChanged change) {
        bus.publish(CHANNEL, codec.encode(change).toString()).whenComplete((nodes, failure) -> {
            if (failure != null) {
                LOG.warn("event=presence_publish outcome=failed user={} kind={}", change.after().user(),
                        failure.getClass().getSimpleName());
            }
        });
    }

    @Override
    public void subscribe(Consumer<PresenceChanged> listener) {
        listeners.add(listener);
    }

    private void heard(String text) {
        PresenceChanged change;
        try {
            change = (PresenceChanged) codec.decode(codec.json().readTree(text));
        } catch (JsonProcessingException | IllegalArgumentException | ClassCastException e) {
            LOG.warn("event=presence_feed outcome=unreadable");
            return;
        }
        listeners.forEach(listener -> listener.accept(change));
    }
}

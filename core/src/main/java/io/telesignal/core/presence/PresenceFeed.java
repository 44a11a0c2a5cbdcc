package io.telesignal.core.presence;

import java.util.function.Consumer;

/**
 * SPI: how a change of a user's aggregated presence reaches every node's listeners (watchers may be connected to any
 * node). In memory on a single node; Redis pub/sub in cluster mode. Listeners keep the highest version they saw.
 */
public interface PresenceFeed {
    void publish(PresenceChanged change);

    /** {@code listener} hears every change published on any node, this one included. */
    void subscribe(Consumer<PresenceChanged> listener);

    /** A single node: changes go straight to the listeners. */
    final class Local implements PresenceFeed {
        private final java.util.List<Consumer<PresenceChanged>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void publish(PresenceChanged change) {
            listeners.forEach(listener -> listener.accept(change));
        }

        @Override
        public void subscribe(Consumer<PresenceChanged> listener) {
            listeners.add(listener);
        }
    }
}

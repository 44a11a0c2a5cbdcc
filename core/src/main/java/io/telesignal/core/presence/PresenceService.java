package io.telesignal.core.presence;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets and clears endpoint presence and tells listeners when a user's aggregated presence changes.
 * Listeners run on the thread that completed the store's future and must not block; front doors turn the
 * event into deliveries through the router.
 */
public final class PresenceService {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);

    private final PresenceStore store;
    private final Clock clock;
    private final List<Consumer<PresenceChanged>> listeners = new CopyOnWriteArrayList<>();

    private final PresenceFeed feed;

    /** A single node's presence: changes go to this node's listeners. */
    public PresenceService(PresenceStore store, Clock clock) {
        this(store, clock, new PresenceFeed.Local());
    }

    /** Changes made here are published on {@code feed}; listeners hear those made on every node. */
    public PresenceService(PresenceStore store, Clock clock, PresenceFeed feed) {
        this.store = store;
        this.clock = clock;
        this.feed = feed;
        feed.subscribe(this::dispatch);
    }

    public void addListener(Consumer<PresenceChanged> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<PresenceChanged> listener) {
        listeners.remove(listener);
    }

    public CompletionStage<UserPresence> update(UserId user, EndpointId endpoint, Presence presence) {
        return store.put(new EndpointPresence(endpoint, user, presence, clock.instant()))
                .thenApply(change -> publish(user, change));
    }

    /** The endpoint went away (disconnected, or its resume window lapsed). */
    public CompletionStage<UserPresence> endpointGone(UserId user, EndpointId endpoint) {
        return store.remove(user, endpoint).thenApply(change -> publish(user, change));
    }

    public CompletionStage<UserPresence> get(UserId user) {
        return store.entriesOf(user).thenApply(entries -> UserPresence.aggregate(user, entries));
    }

    private UserPresence publish(UserId user, PresenceStore.Change change) {
        UserPresence before = UserPresence.aggregate(user, change.before());
        UserPresence after = UserPresence.aggregate(user, change.after());
        if (after.differsFrom(before)) {
            PresenceChanged event = new PresenceChanged(before, after, change.version());
            LOG.debug("event=presence_changed user={} status={}", user, after.presence().status().wireName());
            feed.publish(event);
        }
        return after;
    }

    private void dispatch(PresenceChanged event) {
        for (Consumer<PresenceChanged> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                io.telesignal.core.work.Failures.unexpected(LOG, "event=presence_listener outcome=failed user=" + event.after().user(), e);
            }
        }
    }
}

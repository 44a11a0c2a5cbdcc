package io.telesignal.xmpp.im;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.PresenceChanged;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.presence.UserPresence;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * One presence across the doors, as XMPP contacts see it: a user's overall telesignal presence (every door's
 * endpoints aggregated by the core: the web app, SIP phones, XMPP) appears to the XMPP contacts subscribed to the user
 * as the resource {@value #RESOURCE}, beside the user's own XMPP resources. Each node listens to the core's presence
 * changes (every node hears every change, in cluster mode through Redis) and tells its own sessions that watch the
 * user.
 */
public final class CorePresence {
    /** The resource under which a user's overall presence appears. */
    public static final String RESOURCE = "telesignal";
    private static final String CLIENT = "jabber:client";

    /** A session that wants a user's overall presence: called from any thread, must not block. */
    public interface Watcher extends BiConsumer<UserId, XmlElement> {}

    private final PresenceService presence;
    private final ConcurrentHashMap<UserId, Set<Watcher>> watchers = new ConcurrentHashMap<>();

    public CorePresence(PresenceService presence) {
        this.presence = presence;
        presence.addListener(this::changed);
    }

    private void changed(PresenceChanged event) {
        UserId user = event.after().user();
        Set<Watcher> interested = watchers.get(user);
        if (interested != null && !interested.isEmpty()) {
            XmlElement stanza = stanza(event.after());
            for (Watcher watcher : interested) {
                watcher.accept(user, stanza);
            }
        }
    }

    /** Starts telling {@code watcher} of {@code user}'s changes; answers the presence now (empty when offline). */
    public CompletionStage<Optional<XmlElement>> watch(UserId user, Watcher watcher) {
        watchers.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(watcher);
        return presence.get(user).thenApply(now -> now.endpoints() == 0 ? Optional.empty() : Optional.of(stanza(now)));
    }

    public void unwatch(UserId user, Watcher watcher) {
        watchers.computeIfPresent(user, (u, set) -> {
            set.remove(watcher);
            return set.isEmpty() ? null : set;
        });
    }

    /** RFC 6121 §4.7: {@code show} away for away and reconnecting, dnd for do-not-disturb and busy; the note as status. */
    static XmlElement stanza(UserPresence presence) {
        XmlElement.Builder stanza = XmlElement.builder("presence", CLIENT);
        switch (presence.presence().status()) {
            case OFFLINE -> {
                return stanza.attr("type", "unavailable").build();
            }
            case AWAY, RECONNECTING -> stanza.textChild("show", CLIENT, "away");
            case DND, BUSY -> stanza.textChild("show", CLIENT, "dnd");
            case AVAILABLE -> { }
        }
        if (!presence.presence().note().isEmpty()) {
            stanza.textChild("status", CLIENT, presence.presence().note());
        }
        return stanza.build();
    }

    /** How many users this node's sessions watch (for tests and metrics). */
    public int watched() {
        return watchers.size();
    }
}

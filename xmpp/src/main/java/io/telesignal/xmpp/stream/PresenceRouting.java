package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.Presence;
import io.telesignal.core.presence.PresenceStatus;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.DoorMessage;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The presence side of one bound session (RFC 6121 §3, §4): the client's own presence to its resources, to the
 * contacts subscribed to it and into core presence; subscription stanzas through both rosters; directed presence;
 * probes answered with the last presence; the contacts' overall presence from the other doors
 * ({@link io.telesignal.xmpp.im.CorePresence}); and the messages kept offline, delivered at the initial presence.
 * On the session's loop, its store work on the workers.
 */
final class PresenceRouting {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceRouting.class);
    private static final String CLIENT = io.telesignal.xmpp.xml.XmlStreamParser.CLIENT_NS;

    private final C2sSession session;
    private final C2sSession.Context context;
    private final Link link;
    /** The last available presence the client sent; null before its initial presence and after unavailable. */
    private XmlElement lastPresence;
    /** The contacts whose overall presence this session shows (user, bare JID), once it sent its initial presence. */
    private final java.util.concurrent.ConcurrentHashMap<UserId, String> watching = new java.util.concurrent.ConcurrentHashMap<>();
    private final io.telesignal.xmpp.im.CorePresence.Watcher coreWatcher;

    PresenceRouting(C2sSession session, C2sSession.Context context, Link link) {
        this.session = session;
        this.context = context;
        this.link = link;
        this.coreWatcher = (contact, stanza) -> link.loop().execute(() -> showCore(contact, stanza));
    }

    /** The session ends: unavailable to the user's resources and contacts when it was available; no more watching. */
    void release() {
        if (lastPresence != null) {
            broadcast(XmlElement.builder("presence", CLIENT).attr("type", "unavailable")
                    .attr("from", session.boundJid().toString()).build(), false);
        }
        watching.keySet().forEach(contact -> context.core().unwatch(contact, coreWatcher));
        watching.clear();
    }

    /** The last available presence, serialised, for a node the session moves to; empty when it sent none. */
    String lastPresenceXml() {
        return lastPresence == null ? "" : lastPresence.toXml();
    }

    /** The session moved to another node: it stops watching here, and nobody is told anything. */
    void forget() {
        watching.keySet().forEach(contact -> context.core().unwatch(contact, coreWatcher));
        watching.clear();
    }

    /**
     * The session moved here with this last presence (empty: none): it is available as it was, without telling anyone
     * again; it watches its contacts' overall presence here, and takes what was kept offline meanwhile.
     */
    void restore(String xml) {
        XmlElement presence = restoreQuietly(xml);
        if (presence == null) {
            return;
        }
        // the core's copy of this endpoint's presence (a cleanup may have taken it out meanwhile)
        context.presence().update(session.user().id(), session.endpoint(), new Presence(status(presence), note(presence)));
        session.capabilities(presence);
        User self = session.user();
        Jid full = session.boundJid();
        context.workers().submit(() -> {
            var subscriptions = context.rosters().subscriptions(self.id());
            var blockers = context.blocking().blockers(subscriptions.stream().map(c -> c.user()).toList(), full);
            for (var contact : subscriptions) {
                if (!blockers.contains(contact.user())) {
                    watch(contact.user(), contact.jid());
                    // what the contacts' resources show now (a change during the hand-over was not seen)
                    context.router().toResources(contact.user(), Optional.empty(), StanzaRouter.PROBE,
                            io.telesignal.xmpp.im.RosterService.probe(self.id(), full));
                }
            }
            deliverOffline(full.resource());
            return null;
        }).exceptionally(e -> {
            LOG.warn("event=xmpp_presence_restore_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
            return null;
        });
    }

    /** The moved session's last presence, set and nothing else; null when it had none. */
    XmlElement restoreQuietly(String xml) {
        if (xml.isEmpty()) {
            return null;
        }
        try {
            lastPresence = io.telesignal.xmpp.xml.XmlStreamParser.parseElement(xml, Integer.MAX_VALUE, 1000);
        } catch (io.telesignal.xmpp.xml.StreamErrorException e) {
            return null; // written by this server: not expected
        }
        return lastPresence;
    }

    /** {@link StanzaRouter#WATCH} or {@link StanzaRouter#UNWATCH}: "contact-user-id\ncontact-jid". */
    void watchMessage(DoorMessage message) {
        int newline = message.body().indexOf('\n');
        if (newline > 0 && lastPresence != null) {
            UserId contact = new UserId(message.body().substring(0, newline));
            if (message.kind().equals(StanzaRouter.WATCH)) {
                watch(contact, message.body().substring(newline + 1));
            } else if (watching.remove(contact) != null) {
                context.core().unwatch(contact, coreWatcher);
            }
        }
    }

    /** Someone entitled to this resource's presence asks for it: "requester-user-id\nreply-to-jid". */
    void answerProbe(String body) {
        int newline = body.indexOf('\n');
        if (lastPresence != null && newline > 0) {
            UserId requester = new UserId(body.substring(0, newline));
            Jid.parse(body.substring(newline + 1)).filter(to -> !session.blocks(to)).ifPresent(to -> {
                String xml = lastPresence.with("to", to.toString()).toXml();
                if (to.isBare()) {
                    context.router().toResources(requester, Optional.empty(), StanzaRouter.STANZA, xml);
                } else {
                    context.router().toResource(requester, to.resource(), StanzaRouter.STANZA, xml);
                }
            });
        }
    }

    /**
     * XEP-0191 §3.3: a contact the user now blocks sees this resource go unavailable; one unblocked gets its presence
     * again when the roster lets it have it. Local contacts only (there is no server-to-server).
     */
    void blockListChanged(io.telesignal.xmpp.im.Blocking.Change change) {
        if (change.jids().isEmpty()) {
            return;
        }
        User self = session.user();
        Jid full = session.boundJid();
        XmlElement available = lastPresence;
        context.workers().submit(() -> {
            for (String address : change.jids()) {
                Optional<Jid> contact = Jid.parse(address).filter(j -> !j.local().isEmpty()
                        && j.domain().equals(context.settings().domain()));
                if (contact.isEmpty() || !context.rosters().receivesPresence(self.id(), contact.get().bare().toString())) {
                    continue;
                }
                Optional<User> user = context.router().findUser(contact.get().local());
                if (user.isPresent()) {
                    // the user's overall presence (every door's) stops or starts showing to the contact's sessions
                    context.router().toResources(user.get().id(), Optional.empty(), change.block() ? StanzaRouter.UNWATCH
                            : StanzaRouter.WATCH, io.telesignal.xmpp.im.RosterService.probe(self.id(), full.bare()));
                }
                if (user.isPresent() && available != null) {
                    XmlElement presence = change.block()
                            ? XmlElement.builder("presence", CLIENT).attr("type", "unavailable").attr("from", full.toString())
                                    .attr("to", contact.get().bare().toString()).build()
                            : available.with("to", contact.get().bare().toString());
                    context.router().toResources(user.get().id(), Optional.empty(), StanzaRouter.STANZA, presence.toXml());
                }
            }
            return null;
        }).exceptionally(e -> {
            LOG.warn("event=xmpp_block_presence_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
            return null;
        });
    }

    /** A presence the client sent: its own (no {@code to}), a subscription stanza, or directed presence. */
    void handle(XmlElement presence, Optional<Jid> to) {
        String type = presence.attr("type");
        if (to.isEmpty()) {
            if (type == null || type.equals("unavailable")) {
                boolean initial = lastPresence == null && type == null;
                lastPresence = type == null ? presence : null;
                context.presence().update(session.user().id(), session.endpoint(), new Presence(type == null ? status(presence)
                        : PresenceStatus.OFFLINE, note(presence)));
                if (type != null) {
                    context.presence().endpointGone(session.user().id(), session.endpoint());
                    session.leaveRooms(); // RFC 6121 §4.6.3: unavailable to where directed presence went
                    session.noCapabilities();
                }
                broadcast(presence, initial);
                if (type == null) {
                    session.capabilities(presence);
                }
            }
            return; // subscription requests without a contact, probes and errors: nothing to do
        }
        Jid target = to.get();
        if (session.toRoom(presence, target)) {
            return;
        }
        if (type != null && List.of("subscribe", "subscribed", "unsubscribe", "unsubscribed").contains(type)) {
            // RFC 6121 §3: always from the bare JID, through both rosters
            User self = session.user();
            Jid contact = target.bare();
            // in turn with the session's other subscription stanzas: a subscribe then an unsubscribed keep their order
            session.inOrder(() -> context.workers().submit(() -> {
                context.rosters().outbound(self, type, contact);
                return null;
            }).exceptionally(e -> {
                LOG.warn("event=xmpp_subscription_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
                return null;
            }));
            return;
        }
        if (session.toComponent(presence, target)) {
            return; // directed presence to a component (XEP-0114)
        }
        if (!target.domain().equals(context.settings().domain()) || target.local().isEmpty()) {
            return;
        }
        String xml = presence.toXml();
        context.router().user(target.local()).thenAccept(found -> found.ifPresent(u -> {
            if (target.isBare()) {
                context.router().toResources(u.id(), Optional.empty(), StanzaRouter.STANZA, xml);
            } else {
                context.router().toResource(u.id(), target.resource(), StanzaRouter.STANZA, xml);
            }
        }));
    }

    /**
     * RFC 6121 §4.2, §4.4: the user's presence to all of the user's resources (this one included) and to every contact
     * subscribed to it; an initial presence also asks the user's other resources and the contacts the user is
     * subscribed to for theirs, and brings the subscription requests still unanswered.
     */
    private void broadcast(XmlElement presence, boolean initial) {
        broadcastOwn(presence);
        User self = session.user();
        Jid full = session.boundJid();
        EndpointId own = session.endpoint();
        if (initial) {
            context.router().toResources(self.id(), Optional.of(own), StanzaRouter.PROBE,
                    io.telesignal.xmpp.im.RosterService.probe(self.id(), full));
        }
        // in turn with the session's other stanzas, and only once the one before was handed over: two presences sent
        // one after the other reach contacts in that order
        session.inOrder(() -> context.workers().submit(() -> {
            List<java.util.concurrent.CompletableFuture<Integer>> sent = new java.util.ArrayList<>();
            for (var contact : context.rosters().subscribers(self.id())) {
                if (Jid.parse(contact.jid()).map(session::blocks).orElse(false)) {
                    continue; // XEP-0191 §3.3: a contact the user blocks gets none of the user's presence
                }
                sent.add(context.router().toResources(contact.user(), Optional.empty(), StanzaRouter.STANZA,
                        presence.with("to", contact.jid()).toXml()).toCompletableFuture());
            }
            return sent;
        }).thenCompose(sent -> java.util.concurrent.CompletableFuture.allOf(sent.toArray(
                java.util.concurrent.CompletableFuture[]::new))).exceptionally(e -> {
            LOG.warn("event=xmpp_broadcast_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
            return null;
        }));
        if (initial) {
            // what an initial presence brings: contacts' presence, unanswered requests, kept messages (not in turn:
            // the session's next stanzas need not wait for a long offline queue)
            context.workers().submit(() -> {
                var subscriptions = context.rosters().subscriptions(self.id());
                // the contacts who block this user: neither their presence nor an answer to a probe (one lookup)
                var blockers = context.blocking().blockers(subscriptions.stream().map(c -> c.user()).toList(), full);
                for (var contact : subscriptions) {
                    if (blockers.contains(contact.user())) {
                        continue;
                    }
                    watch(contact.user(), contact.jid());
                    context.router().toResources(contact.user(), Optional.empty(), StanzaRouter.PROBE,
                            io.telesignal.xmpp.im.RosterService.probe(self.id(), full));
                }
                for (XmlElement request : context.rosters().pendingRequests(self)) {
                    context.router().toResource(self.id(), full.resource(), StanzaRouter.STANZA, request.toXml());
                }
                deliverOffline(full.resource());
                return null;
            }).exceptionally(e -> {
                LOG.warn("event=xmpp_broadcast_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
                return null;
            });
        }
    }

    /** Starts showing a contact's overall presence (every door's) as its resource {@code telesignal}. */
    private void watch(UserId contact, String contactJid) {
        if (watching.put(contact, contactJid) == null) {
            context.core().watch(contact, coreWatcher).thenAccept(now -> now.ifPresent(stanza ->
                    link.loop().execute(() -> showCore(contact, stanza))));
        }
    }

    private void showCore(UserId contact, XmlElement stanza) {
        String contactJid = watching.get(contact);
        if (session.bound() && contactJid != null
                && Jid.parse(contactJid).map(j -> !session.blocks(j)).orElse(true)) {
            link.send(stanza.with("from", contactJid + "/" + io.telesignal.xmpp.im.CorePresence.RESOURCE)
                    .with("to", session.boundJid().toString()));
        }
    }

    /** {@link StanzaRouter#KEPT}: messages were kept for the user; an available resource delivers them. */
    void offlineKept() {
        if (lastPresence != null && session.attached()) { // a detached session would hold them for its window
            String resource = session.boundJid().resource();
            context.workers().submit(() -> {
                deliverOffline(resource);
                return null;
            }).exceptionally(e -> {
                LOG.warn("event=xmpp_offline_delivery_failed user={} error={}", session.user().id().value(),
                        e.getClass().getSimpleName());
                return null;
            });
        }
    }

    /** Set while a worker delivers this resource's kept messages; {@link #offlineAgain} asks it for one more round. */
    private final java.util.concurrent.atomic.AtomicBoolean offlineRunning = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean offlineAgain;

    /**
     * Delivers the kept messages to this resource, one delivery at a time (two at once would interleave their batches
     * and reorder the messages): asked while one runs, it makes the running one look again when done. On a worker.
     */
    private void deliverOffline(String resource) {
        offlineAgain = true;
        while (offlineAgain && offlineRunning.compareAndSet(false, true)) {
            try {
                offlineAgain = false;
                deliverKept(session.user().id(), resource);
            } catch (RuntimeException e) {
                // the store or a delivery failed: what this resource claimed goes back for the next try
                LOG.warn("event=xmpp_offline_delivery_failed user={} error={}", session.user().id().value(),
                        e.getClass().getSimpleName());
                try {
                    context.offline().release(session.user().id(), session.endpoint().value());
                } catch (RuntimeException again) {
                    // its claims lapse after a minute
                }
            } finally {
                offlineRunning.set(false);
            }
        }
    }

    /**
     * The messages kept while the user was away, to this resource, oldest first: claimed in batches for a minute (no
     * other connection of the user delivers them meanwhile), sent, then deleted; what this resource cannot take is
     * released for the next one. On a worker.
     */
    private void deliverKept(UserId owner, String resource) {
        String claimer = session.endpoint().value();
        for (int batch = 0; batch < 1000; batch++) {
            java.time.Instant now = java.time.Instant.now();
            var messages = context.offline().claim(owner, claimer, now, now.plusSeconds(60), 100);
            if (messages.isEmpty()) {
                return;
            }
            List<Long> delivered = new java.util.ArrayList<>();
            for (var kept : messages) {
                String from = Stanzas.attribute(kept.stanza(), "from");
                if (from != null && Jid.parse(from).map(session::blocks).orElse(false)) {
                    delivered.add(kept.seq()); // kept before the user blocked its sender: dropped, not in the way
                    continue;
                }
                DeliveryOutcome outcome = context.router().toResource(owner, resource, StanzaRouter.STANZA, kept.stanza())
                        .toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
                if (outcome != DeliveryOutcome.DELIVERED) {
                    break; // the resource went away: the rest waits for the next one
                }
                delivered.add(kept.seq());
            }
            context.offline().delete(owner, delivered);
            if (delivered.size() < messages.size()) {
                context.offline().release(owner, claimer);
                return;
            }
        }
    }

    private static PresenceStatus status(XmlElement presence) {
        String show = presence.child("show", CLIENT).map(XmlElement::text).orElse("").strip();
        return switch (show) {
            case "away", "xa" -> PresenceStatus.AWAY;
            case "dnd" -> PresenceStatus.DND;
            default -> PresenceStatus.AVAILABLE;
        };
    }

    private static String note(XmlElement presence) {
        String status = presence.child("status", CLIENT).map(XmlElement::text).orElse("").strip();
        return status.length() > Presence.MAX_NOTE ? status.substring(0, Presence.MAX_NOTE) : status;
    }

    /** RFC 6121 §4.2.2, §4.4.2: the user's own presence goes to all of the user's resources, this one included. */
    private void broadcastOwn(XmlElement presence) {
        context.router().toResources(session.user().id(), Optional.empty(), StanzaRouter.STANZA,
                presence.with("to", session.boundJid().bare().toString()).toXml());
    }

}

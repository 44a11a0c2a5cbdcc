package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.offline.OfflineStore;
import io.telesignal.core.routing.DoorMessage;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.Router;
import io.telesignal.core.session.SharedSessions;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode's copy of every resumable stream (XEP-0198) in the {@link SharedSessions} (Redis), so that a node's
 * death loses nothing its clients had not acknowledged.
 *
 * <p>Each stanza a resumable session numbers is mirrored there before its client may see it (and before its sender's
 * node hears it was delivered); the client's acknowledgements trim it. The shared session's id is the resource's
 * endpoint id, its token the SHA-256 of the resumption id. When the session ends on its node, what its client never
 * acknowledged is kept offline there and the shared copy removed. When its node dies instead:
 * <ul>
 *   <li>its client, resuming through another node, finds the holder unreachable; that node {@link #recover claims} the
 *       copy with the client's {@code h} (so only what the client never had), keeps it offline, and the client binds
 *       anew and gets it at its initial presence;
 *   <li>a client that never comes back: the cleanup after the dead node {@link #release abandons} the copy into
 *       offline storage.
 * </ul>
 * Either way the user's resources that are available are told at once. The session's own state (its roster interest,
 * rooms, presence) does not move; the messages do. A node that claims a session another, live, node still holds (it
 * was slow to answer) takes it from it: that node hears it ({@link SharedSessions#listen}) and ends its session without
 * keeping anything again.
 */
public final class SharedStreams {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStreams.class);
    private static final String CLIENT = XmlStreamParser.CLIENT_NS;

    private final SharedSessions store;
    private final NodeId self;
    private final OfflineStore offline;
    private final WorkerPool workers;
    private final Router router;
    private final int maxOfflineMessages;
    private final String domain;
    /** This node's resumable sessions by shared id, to end one another node took. */
    private final Map<String, C2sSession> held = new ConcurrentHashMap<>();

    public SharedStreams(SharedSessions store, NodeId self, OfflineStore offline, WorkerPool workers, Router router,
            int maxOfflineMessages, String domain) {
        this.domain = domain;
        this.store = store;
        this.self = self;
        this.offline = offline;
        this.workers = workers;
        this.router = router;
        this.maxOfflineMessages = maxOfflineMessages;
        store.listen(self, this::lost);
    }

    /** One session's copy, as its {@link StreamManagement} writes it. */
    final class Stream implements StreamManagement.Mirror {
        private final String id;
        private final C2sSession session;
        private final String user;
        private final String tokenHash;

        private Stream(C2sSession session, String resumeId) {
            this.id = session.endpoint().value();
            this.session = session;
            this.user = session.user().id().value();
            this.tokenHash = hash(resumeId);
        }

        /** Whether the store took a stanza of this copy: until then a refusal is this copy's, not a takeover. */
        private boolean confirmed;

        /** Writes the copy (the stream was enabled): nothing numbered yet. */
        void open() {
            write(1, List.of());
        }

        /** Whether the store has taken this copy's stanzas (only such a copy can move to another node). */
        boolean confirmed() {
            return confirmed;
        }

        /**
         * The session moves to another node: what that node restores (its inbound count, presence, switches) is written
         * into the copy with {@code moved}, in one step, while this node holds it with every stanza up to
         * {@code next - 1}; the copy leaves this node's hands when it is.
         */
        CompletionStage<SharedSessions.Mirrored> handOver(long next, Map<String, String> state) {
            return store.handOver(id, self, next, state).whenComplete((outcome, failure) -> {
                if (failure == null && outcome == SharedSessions.Mirrored.OK) {
                    held.remove(id, session);
                }
            });
        }

        /** Writes the copy in full: at open, and when the store lost it or a message of it (Redis restarted or was away). */
        @Override
        public CompletionStage<Void> write(long first, List<String> unacknowledged) {
            return store.write(new SharedSessions.Snapshot(id, user, tokenHash, id, self, first,
                    first + unacknowledged.size(), unacknowledged, Map.of())).whenComplete((done, failure) -> {
                        if (failure != null) {
                            LOG.warn("event=xmpp_stream_copy outcome=failed endpoint={} kind={}", id,
                                    failure.getClass().getSimpleName());
                        }
                    });
        }

        @Override
        public CompletionStage<SharedSessions.Mirrored> mirror(long seq, String xml) {
            return store.mirror(id, self, seq, xml, Optional.empty(), Optional.empty());
        }

        @Override
        public void acknowledged(long seq) {
            store.acknowledge(id, self, seq);
        }

        @Override
        public void stored() {
            if (!confirmed) {
                confirmed = true;
                held.put(id, session);
            }
        }

        /**
         * The store says another node holds the copy. Once the store had taken this copy's stanzas, another node took
         * the session (its client resumed there): it ends here. Before that, the store never took this copy (another
         * node's copy of an earlier session on this resource is still there): the session goes on without a copy.
         */
        @Override
        public void moved() {
            if (confirmed) {
                if (held.remove(id, session)) {
                    session.resumption().lostToAnotherNode();
                }
                return;
            }
            LOG.warn("event=xmpp_stream_copy outcome=refused endpoint={}", id);
            session.resumption().withoutCopy();
        }

        /** The session ended here and kept what its client never acknowledged itself: the copy goes. */
        void end() {
            held.remove(id, session);
            store.end(id, Optional.of(self));
        }
    }

    /** A copy for a session that enabled resumption with this id. */
    Stream stream(C2sSession session, String resumeId) {
        Stream stream = new Stream(session, resumeId);
        stream.open();
        return stream;
    }

    /** The copy of a session that moved here: this node claimed it already. */
    Stream adopt(C2sSession session, String resumeId) {
        Stream stream = new Stream(session, resumeId);
        stream.stored();
        return stream;
    }

    /** The context key a node that hands a session over writes last. */
    static final String MOVED = "moved";

    /** The store says another node took one of this node's sessions: it ends here, keeping nothing (the other did). */
    private void lost(String id) {
        C2sSession session = held.remove(id);
        if (session != null) {
            session.loop().execute(() -> session.resumption().lostToAnotherNode());
        }
    }

    /**
     * A client asks this node to resume a session whose node cannot be reached: its copy is claimed with what the client
     * acknowledged ({@code h}), kept offline, and removed. Answers how many messages were kept (none when there was no
     * copy: the session lapsed, or the id is not the user's).
     */
    CompletionStage<Optional<SharedSessions.Claimed>> recover(UserId user, String resource, String resumeId, long h,
            Optional<NodeId> holder) {
        String id = StanzaRouter.endpointOf(user, resource).value();
        return store.claim(id, user.value(), hash(resumeId), self, h).thenCompose(claim -> {
            if (claim.claimed().isEmpty()) {
                LOG.info("event=xmpp_stream_recover endpoint={} outcome={}", id,
                        claim.refusal().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).orElse("none"));
                if (claim.refusal().orElse(null) == SharedSessions.Refusal.POSITION && holder.isPresent()) {
                    // h does not fit the stream: nothing of it can be resumed, what it holds is kept offline
                    return store.abandon(id, holder.get(), self).thenCompose(kept -> kept.isEmpty()
                            ? CompletableFuture.completedFuture(0) : keepAndEnd(user, id, kept.get()))
                            .thenApply(kept -> Optional.<SharedSessions.Claimed>empty());
                }
                return CompletableFuture.completedFuture(Optional.<SharedSessions.Claimed>empty());
            }
            SharedSessions.Claimed claimed = claim.claimed().get();
            if ("1".equals(claimed.context().get(MOVED))) {
                return CompletableFuture.completedFuture(Optional.of(claimed)); // handed over: resumed here
            }
            return keepAndEnd(user, id, claimed.replay()).thenApply(kept -> {
                LOG.info("event=xmpp_stream_recover endpoint={} outcome=claimed unacked={} kept={}", id,
                        claimed.replay().size(), kept);
                return Optional.<SharedSessions.Claimed>empty();
            });
        });
    }

    /**
     * A copy this node handed over that no node took up: taken back (it is still this node's), kept offline and
     * ended; answers how many messages were kept (none when another node did take it after all).
     */
    CompletionStage<Integer> takeBack(UserId user, String id) {
        return store.abandon(id, self, self).thenCompose(kept -> kept.isEmpty() ? CompletableFuture.completedFuture(0)
                : keepAndEnd(user, id, kept.get()));
    }

    /** The copy of a moved session this node claimed but could not start: what it holds is kept offline. */
    CompletionStage<Integer> keepClaimed(UserId user, String id, List<String> replay) {
        return keepAndEnd(user, id, replay);
    }

    /**
     * For the cleanup after a dead node (or after this node started again under its id): the copy of the endpoint's
     * session, if it had one and no client resumed it, is kept offline and removed. Answers true: the endpoint is the
     * cleanup's to take out (a session that moved on is registered under its new node, which the cleanup leaves alone).
     */
    public CompletionStage<Boolean> release(Endpoint endpoint, NodeId dead) {
        if (endpoint.door() != FrontDoor.XMPP) {
            return CompletableFuture.completedFuture(true);
        }
        String id = endpoint.id().value();
        if (held.containsKey(id)) {
            return CompletableFuture.completedFuture(true); // the session moved here: its copy is this node's, live
        }
        // taken over first, ended once kept: keeping that fails leaves the copy for the cleanup's next try
        return store.abandon(id, dead, self).thenCompose(kept -> kept.isEmpty()
                ? CompletableFuture.completedFuture(0)
                : keepAndEnd(endpoint.user(), id, kept.get()).thenApply(n -> {
                    LOG.info("event=xmpp_stream_abandoned endpoint={} node={} unacked={} kept={}", id, dead,
                            kept.get().size(), n);
                    return n;
                })).thenApply(n -> true);
    }

    /** Keeps what a copy this node took held offline, then ends the copy (not when keeping failed). */
    private CompletionStage<Integer> keepAndEnd(UserId owner, String id, List<String> stanzas) {
        return workers.submit(() -> keep(offline, owner, stanzas, maxOfflineMessages, domain)).thenCompose(kept ->
                store.end(id, Optional.of(self)).thenApply(done -> {
                    if (kept > 0) {
                        keptOffline(owner);
                    }
                    return kept;
                }));
    }

    /** Tells the user's XMPP resources that messages were kept ({@link StanzaRouter#KEPT}). */
    private void keptOffline(UserId owner) {
        router.endpointsOf(owner).thenAccept(endpoints -> {
            DoorMessage message = new DoorMessage(FrontDoor.XMPP, StanzaRouter.KEPT, "");
            for (Endpoint e : endpoints) {
                if (e.door() == FrontDoor.XMPP) {
                    router.deliver(e.id(), message);
                }
            }
        });
    }

    /**
     * Keeps offline, in order, the chat and normal messages with a body among stanzas a client never acknowledged
     * (serialised by this server), stamped with a XEP-0203 delay of now unless they carry one; answers how many.
     * Blocking: on a worker.
     */
    static int keep(OfflineStore offline, UserId owner, List<String> stanzas, int maxOfflineMessages, String domain) {
        int kept = 0;
        for (String xml : stanzas) {
            XmlElement stanza;
            try {
                stanza = XmlStreamParser.parseElement(xml, Integer.MAX_VALUE, 1000);
            } catch (StreamErrorException notOurs) {
                continue; // every queued stanza was written by this server; one that does not parse is not kept
            }
            String type = stanza.attr("type") == null ? "normal" : stanza.attr("type");
            if (stanza.is("message", CLIENT) && stanza.child("body", CLIENT).isPresent()
                    && (type.equals("chat") || type.equals("normal"))) {
                // a stanza this server wrote: one it took from offline storage has its delay already
                String stamped = stanza.child("delay", C2sSession.DELAY_NS).isPresent() ? xml
                        : Stanzas.delayed(stanza, domain).toXml();
                kept += offline.keep(owner, stamped, Instant.now(), maxOfflineMessages) ? 1 : 0;
            }
        }
        return kept;
    }

    /** What the store keeps of a resumption id: its SHA-256, so that a dump of the store resumes nothing. */
    static String hash(String resumeId) {
        return io.telesignal.core.secrets.Sha256.hex(resumeId);
    }
}

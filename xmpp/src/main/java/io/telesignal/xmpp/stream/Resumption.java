package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.xmpp.XmppSettings;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stream management (XEP-0198) as a session sees it: {@code <enable/>}, {@code <r/>} and {@code <a/>}, a connection
 * lost and the session kept detached for {@code xmpp.resumeWindow}, a resume on this node (the earlier session takes
 * the new connection over) or through another one (the node holding the session ends it at once, what its client never
 * acknowledged kept offline; when that node is dead, its copy in the shared store is, see {@link SharedStreams}), and
 * the window lapsing. The counting, copying and resending themselves are {@link StreamManagement}'s. On the session's
 * event loop.
 */
final class Resumption {
    private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);
    private static final String STANZAS_NS = C2sSession.STANZAS_NS;

    private final C2sSession session;
    private final C2sSession.Context context;
    private final XmppSettings settings;
    private final StreamManagement link;
    private String resumeId;
    /** Done once what the client never acknowledged is kept offline (at once when there was nothing to keep). */
    private CompletableFuture<Void> kept = CompletableFuture.completedFuture(null);
    private java.util.concurrent.ScheduledFuture<?> expiry;
    /** The stream's copy in the shared store (a resumable stream in cluster mode), else null. */
    private SharedStreams.Stream copy;
    /** Another node took this session (its client resumed there): it ends here keeping nothing. */
    private boolean lost;

    Resumption(C2sSession session, C2sSession.Context context, StreamManagement link) {
        this.session = session;
        this.context = context;
        this.settings = context.settings();
        this.link = link;
    }

    /**
     * The connection closed under a bound session: a resumable one stays, detached, for {@code xmpp.resumeWindow}
     * (answers true); any other ends (false).
     */
    boolean detach() {
        if (resumeId == null || !link.attached()) {
            return false;
        }
        link.detach();
        LOG.info("event=xmpp_detached user={} endpoint={}", session.user().id().value(), session.endpoint().value());
        expiry = link.loop().schedule(this::expire, settings.resumeWindow().toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** The session ends: no longer resumable; what its client never acknowledged (when it was bound) is kept offline. */
    void released(boolean bound) {
        if (resumeId != null) {
            context.resumable().remove(resumeId, session);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        link.stopMirroring();
        if (lost) {
            return; // the node that took it has the copy
        }
        CompletableFuture<Boolean> keeping = bound && link.enabled() && link.queued() > 0
                ? keepUnacknowledged(session.user().id(), link.unacknowledged()) : CompletableFuture.completedFuture(true);
        SharedStreams.Stream ended = copy;
        kept = keeping.thenAccept(done -> {
            if (ended != null && done) {
                ended.end(); // kept here first: the copy goes after (it stays in Redis, for its TTL, when keeping failed)
            }
        });
    }

    /** Done once what the client never acknowledged is kept offline (the session ended). */
    CompletableFuture<Void> kept() {
        return kept;
    }

    /** The store never took this stream's copy: it goes on without one (as on a single node). */
    void withoutCopy() {
        link.stopMirroring();
        copy = null;
    }

    /**
     * The shared store says another node took this session (its client resumed there while this node was slow to
     * answer): it ends here, its connection closed, and nothing is kept offline again.
     */
    void lostToAnotherNode() {
        if (session.closed()) {
            return;
        }
        lost = true;
        LOG.info("event=xmpp_session_moved user={} endpoint={}", session.user().id().value(), session.endpoint().value());
        if (link.attached()) {
            link.closeStream();
        }
        session.release();
    }

    /** An element of {@code urn:xmpp:sm:3} from the client. */
    void element(XmlElement element) throws StreamErrorException {
        switch (element.name()) {
            case "enable" -> {
                if (!session.bound() || session.authenticating || link.enabled()) {
                    link.send(smFailed("unexpected-request"));
                    return;
                }
                link.enable();
                XmlElement.Builder enabled = XmlElement.builder("enabled", StreamManagement.NS);
                boolean resume = ("true".equals(element.attr("resume")) || "1".equals(element.attr("resume")))
                        && !settings.resumeWindow().isZero();
                if (resume) {
                    byte[] id = new byte[18];
                    context.random().nextBytes(id);
                    // the resource first, so that another node finds the session to end it (see resume)
                    resumeId = Base64.getUrlEncoder().withoutPadding().encodeToString(
                            session.boundJid().resource().getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                            + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
                    context.resumable().put(resumeId, session);
                    if (context.shared().isPresent()) {
                        copy = context.shared().get().stream(session, resumeId);
                        link.mirror(copy);
                    }
                    enabled.attr("id", resumeId).attr("resume", "true")
                            .attr("max", Long.toString(settings.resumeWindow().toSeconds()));
                }
                link.send(enabled.build());
            }
            case "r" -> {
                if (link.enabled()) {
                    link.send(XmlElement.builder("a", StreamManagement.NS).attr("h", Long.toString(link.received())).build());
                }
            }
            case "a" -> {
                long h;
                try {
                    h = Long.parseLong(String.valueOf(element.attr("h")));
                } catch (NumberFormatException e) {
                    throw new StreamErrorException(StreamErrorCondition.UNDEFINED_CONDITION, "h is not a number");
                }
                if (link.enabled() && !link.acknowledged(h)) {
                    // XEP-0198 §4: acknowledging more than was sent ends the stream
                    throw new StreamErrorException(StreamErrorCondition.UNDEFINED_CONDITION,
                            "acknowledged more stanzas than were sent");
                }
            }
            case "resume" -> resume(element);
            default -> throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "not a stream management element");
        }
    }

    private static XmlElement smFailed(String condition) {
        return XmlElement.builder("failed", StreamManagement.NS).add(condition, STANZAS_NS).build();
    }

    /**
     * XEP-0198 §5: a client that authenticated again asks to take over its earlier session, on this node. The earlier
     * session gets this connection (its old one is closed if still open), answers {@code <resumed/>} and sends again
     * what the client had not acknowledged; this session steps aside.
     */
    private void resume(XmlElement element) {
        String previous = String.valueOf(element.attr("previd"));
        long h;
        try {
            h = Long.parseLong(String.valueOf(element.attr("h")));
        } catch (NumberFormatException e) {
            link.send(smFailed("bad-request"));
            return;
        }
        C2sSession old = session.binding() ? context.resumable().get(previous) : null;
        if (old == null && session.binding()) {
            resumeElsewhere(previous, h);
            return;
        }
        if (old == null || !old.user().id().equals(session.user().id())) {
            link.send(smFailed("item-not-found"));
            return;
        }
        Link transport = link.transport();
        session.markClosed(); // this session ends here without unbinding anything: it never bound
        old.loop().execute(() -> old.resumption().takeOver(transport, previous, h));
    }

    /**
     * The session to resume is not on this node (expired, or held by another node, which a client behind a load balancer
     * reaches by chance). The node that holds it is told ({@link StanzaRouter#RESUMED_ELSEWHERE}). In cluster mode a
     * stream whose copy is in the shared store <em>moves</em>: its node writes what this one needs into the copy and
     * lets the session go; this node claims the copy with the client's {@code h} and the session goes on here
     * ({@code <resumed/>}, then what the client had not acknowledged). Otherwise (a single node, no copy, its node
     * dead or too slow) the session ends there or its copy is claimed here, what the client never acknowledged is kept
     * offline, and the client gets {@code item-not-found}, binds anew and receives it at its initial presence.
     */
    private void resumeElsewhere(String previous, long h) {
        int dot = previous.indexOf('.');
        String resource;
        try {
            resource = dot <= 0 ? "" : new String(Base64.getUrlDecoder().decode(previous.substring(0, dot)),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            resource = "";
        }
        if (resource.isEmpty()) {
            link.send(smFailed("item-not-found"));
            return;
        }
        session.authenticating = true; // nothing else is read until the other node has answered
        String named = resource;
        UserId user = session.user().id();
        context.router().holderOf(user, resource).thenCompose(holder -> context.router()
                .toResource(user, named, StanzaRouter.RESUMED_ELSEWHERE, previous + "\n" + h).toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).handle((outcome, error) -> {
                    LOG.info("event=xmpp_resume_elsewhere user={} outcome={}", user.value(),
                            error != null ? "timeout" : outcome.name().toLowerCase(java.util.Locale.ROOT));
                    if (context.shared().isEmpty()) {
                        return CompletableFuture.completedFuture(Optional.<io.telesignal.core.session.SharedSessions.Claimed>empty());
                    }
                    // moved here, or its node gone (or too slow): the copy, claimed from the client's h
                    return context.shared().get().recover(user, named, previous, h, holder).toCompletableFuture();
                }).thenCompose(f -> f)).whenCompleteAsync((claimed, error) -> {
                    boolean moved = error == null && claimed.isPresent();
                    if (session.closed()) {
                        if (moved) {
                            // its client went meanwhile: the session that moved here ends here, nothing lost
                            session.endMoved(named, claimed.get().context(), () -> restoreStream(previous, claimed.get()));
                        }
                        return;
                    }
                    if (moved) {
                        resumeMoved(previous, named, claimed.get());
                        return;
                    }
                    session.authenticating = false;
                    link.send(smFailed("item-not-found"));
                    session.drainPending();
                }, link.loop());
    }

    /**
     * On the loop: the session moved here from another node and takes this connection. The stream first: bound to its
     * resource, its numbering restored, {@code <resumed/>} and every stanza the client had not acknowledged, in order;
     * then its block list, its registration here and its presence, the client's own stanzas waiting meanwhile. Failing
     * there, it ends the usual way (nothing lost: what it holds is kept offline).
     */
    private void resumeMoved(String previous, String resource,
            io.telesignal.core.session.SharedSessions.Claimed claimed) {
        java.util.Map<String, String> state = claimed.context();
        if (!session.bindMoved(resource, state)) {
            // not a session that can take it up: what it held is kept offline here, the client binds anew
            context.shared().get().keepClaimed(session.user().id(),
                    StanzaRouter.endpointOf(session.user().id(), resource).value(), claimed.replay());
            session.authenticating = false;
            link.send(smFailed("item-not-found"));
            session.drainPending();
            return;
        }
        restoreStream(previous, claimed);
        Link transport = link.transport();
        link.detach();
        link.clientState(true); // XEP-0352: a resumed stream starts active
        transport.send(XmlElement.builder("resumed", StreamManagement.NS).attr("previd", previous)
                .attr("h", Long.toString(link.received())).build());
        link.attachMoved(transport);
        LOG.info("event=xmpp_resumed_moved user={} endpoint={} resent={}", session.user().id().value(),
                session.endpoint().value(), claimed.replay().size());
        session.registerMoved(state).whenCompleteAsync((done, error) -> {
            session.authenticating = false;
            if (error != null) {
                LOG.warn("event=xmpp_resume_moved outcome=failed user={} error={}", session.user().id().value(),
                        error.getClass().getSimpleName());
                session.fail(new StreamErrorException(StreamErrorCondition.INTERNAL_SERVER_ERROR, "the session could not move"));
                return;
            }
            session.drainPending();
        }, link.loop());
    }

    /** The moved stream's numbering, its unacknowledged stanzas and its copy, as the claim gave them. */
    private void restoreStream(String previous, io.telesignal.core.session.SharedSessions.Claimed claimed) {
        long received;
        try {
            received = Long.parseLong(claimed.context().getOrDefault("received", "0"));
        } catch (NumberFormatException e) {
            received = 0;
        }
        link.restore(received, claimed.next() - 1, claimed.replay());
        resumeId = previous;
        context.resumable().put(previous, session);
        copy = context.shared().get().adopt(session, previous);
        link.mirror(copy);
    }

    /**
     * {@link StanzaRouter#RESUMED_ELSEWHERE} for this session. With a copy in the shared store the session moves: no more
     * stanzas are taken, the last copies are awaited, what the other node restores is written into the copy, and the
     * session lets go quietly (its connection closed, its presence, rooms and resource left as they are, for the other
     * node). Otherwise it ends (its connection, if one is still open, closed), and the delivery is answered once what
     * its client never acknowledged is kept offline.
     */
    CompletableFuture<DeliveryOutcome> endForResumeElsewhere(String body) {
        int newline = body.indexOf('\n');
        String previous = newline < 0 ? body : body.substring(0, newline);
        long h = -1;
        try {
            h = newline < 0 ? -1 : Long.parseLong(body.substring(newline + 1));
        } catch (NumberFormatException e) {
            h = -1;
        }
        if (!session.bound() || resumeId == null || !resumeId.equals(previous) || session.moving) {
            return CompletableFuture.completedFuture(DeliveryOutcome.REFUSED);
        }
        boolean movable = copy != null && copy.confirmed() && h >= 0 && link.fits(h);
        LOG.info("event=xmpp_ended_for_resume user={} endpoint={} unacked={} moving={}", session.user().id().value(),
                session.endpoint().value(), link.queued(), movable);
        if (movable) {
            return moveTo();
        }
        if (link.attached()) {
            link.closeStream(); // the client moved; its old connection is a dead end
        }
        session.release();
        return kept.thenApply(ignored -> DeliveryOutcome.DELIVERED);
    }

    /**
     * The hand-over, on the loop: the session takes nothing more (deliveries find it moved), its old connection is
     * closed (the client's count of what it sent is final), what waited for an inactive client is numbered, and once
     * every numbered stanza is in the copy the copy is handed over in one step. Handed over, the session lets go
     * quietly; refused (the store lost the copy or a stanza of it), it ends the usual way, keeping what its client
     * never acknowledged offline; taken by another node meanwhile, it ends keeping nothing.
     */
    private CompletableFuture<DeliveryOutcome> moveTo() {
        session.moving = true;
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (link.attached()) {
            Link old = link.transport();
            link.detach();
            old.closeStream();
        }
        link.clientState(true); // what waited is numbered, and copied, now
        SharedStreams.Stream moving = copy;
        CompletableFuture<DeliveryOutcome> answered = new CompletableFuture<>();
        handingOver = answered;
        link.whenCopied(() -> {
            java.util.Map<String, String> state = new java.util.LinkedHashMap<>(session.handOverState());
            state.put("received", Long.toString(link.received()));
            long next = link.total() + 1;
            link.stopMirroring(); // anything numbered from here is not the other node's: dropped with this session
            // once more on an error: the answer may be what was lost (the hand-over answers the same when made again)
            moving.handOver(next, state).handle((outcome, error) -> error == null
                    ? java.util.concurrent.CompletableFuture.completedFuture(outcome)
                    : moving.handOver(next, state).toCompletableFuture()).thenCompose(f -> f)
                    .whenCompleteAsync((outcome, error) -> {
                if (error == null && outcome == io.telesignal.core.session.SharedSessions.Mirrored.OK) {
                    copy = null;
                    session.moveAway();
                    watch(moving);
                    answered.complete(DeliveryOutcome.DELIVERED);
                    return;
                }
                session.moving = false;
                if (error == null && outcome == io.telesignal.core.session.SharedSessions.Mirrored.MOVED) {
                    lostToAnotherNode();
                    answered.complete(DeliveryOutcome.DELIVERED);
                    return;
                }
                LOG.warn("event=xmpp_hand_over outcome={} user={}", error != null ? "failed"
                        : outcome.name().toLowerCase(java.util.Locale.ROOT), session.user().id().value());
                session.release(); // ended here the usual way: kept offline, then the copy goes
                kept.whenComplete((done, failure) -> answered.complete(DeliveryOutcome.DELIVERED));
            }, link.loop());
        });
        return answered;
    }

    /** Done when the session's hand-over to another node is over (at once when there was none). */
    private CompletableFuture<DeliveryOutcome> handingOver = CompletableFuture.completedFuture(DeliveryOutcome.DELIVERED);

    CompletableFuture<DeliveryOutcome> handingOver() {
        return handingOver;
    }

    /** How long a node that handed a session over waits for the other node to take it up. */
    static final java.time.Duration TAKE_UP = java.time.Duration.ofSeconds(30);

    /**
     * After a hand-over: should the other node never take the session up (its claim failed, it died before
     * registering the resource), the resource is still registered here after {@link #TAKE_UP}; the copy is then taken
     * back and kept offline, and the session ends here after all.
     */
    private void watch(SharedStreams.Stream handedOver) {
        UserId user = session.user().id();
        String resource = session.boundJid().resource();
        link.loop().schedule(() -> context.router().holderOf(user, resource).thenAccept(holder -> {
            if (holder.isPresent() && holder.get().equals(context.router().node())) {
                context.shared().get().takeBack(user, session.endpoint().value()).whenCompleteAsync((kept, error) ->
                        session.finishAbandonedMove(), link.loop());
            }
        }), TAKE_UP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The session moved to another node: no longer resumable here, nothing kept, no copy ended (it is theirs). */
    void movedAway() {
        lost = true;
        if (resumeId != null) {
            context.resumable().remove(resumeId, session);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        link.stopMirroring();
        if (link.attached()) {
            link.closeStream();
        }
    }

    /** On this session's loop: move onto {@code transport} and send again what is unacknowledged. */
    private void takeOver(Link transport, String previous, long h) {
        if (!session.bound() || !previous.equals(resumeId) || session.moving) {
            transport.send(smFailed("item-not-found"));
            return;
        }
        if (link.attached()) {
            Link stale = link.transport();
            link.detach();
            stale.closeStream(); // the client moved; its old connection is a dead end
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        transport.handOver(session);
        link.clientState(true); // XEP-0352: a resumed stream starts active; what waited goes after what is resent
        transport.send(XmlElement.builder("resumed", StreamManagement.NS).attr("previd", previous)
                .attr("h", Long.toString(link.received())).build());
        Optional<List<String>> again = link.attach(transport, h);
        if (again.isEmpty()) {
            session.fail(new StreamErrorException(StreamErrorCondition.UNDEFINED_CONDITION, "h does not match what was sent"));
            return;
        }
        LOG.info("event=xmpp_resumed user={} endpoint={} resent={}", session.user().id().value(), session.endpoint().value(), again.get().size());
    }

    /**
     * Messages the client never acknowledged go to offline storage, to be delivered at its next presence: chat and
     * normal messages with a body (read back as elements, on a worker). They go in the user's offline turn, taken
     * here before the resource is unbound: a message routed through this node after that is kept behind them, never
     * in their place (one routed through another node is kept there, in that node's order).
     */
    private CompletableFuture<Boolean> keepUnacknowledged(UserId owner, List<String> stanzas) {
        return context.offlineTurns().submit(owner, () -> {
            int kept = SharedStreams.keep(context.offline(), owner, stanzas, settings.maxOfflineMessages(),
                    settings.domain());
            if (kept > 0) {
                context.router().keptOffline(owner); // a resource that became available meanwhile looked too early
            }
            return true;
        }).exceptionally(e -> {
            LOG.warn("event=xmpp_unacked_keep_failed user={} error={}", owner.value(), e.getClass().getSimpleName());
            return false;
        });
    }

    /** The resumption window lapsed: the session ends, and what the client never acknowledged is kept offline. */
    private void expire() {
        if (!session.closed() && !link.attached()) {
            LOG.info("event=xmpp_resume_expired user={} endpoint={} unacked={}", session.user().id().value(), session.endpoint().value(),
                    link.queued());
            session.release();
        }
    }
}

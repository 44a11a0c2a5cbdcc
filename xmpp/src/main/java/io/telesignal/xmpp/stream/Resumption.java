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
     * reaches by chance). The node that holds it is told to end it at once, what its client never acknowledged kept
     * offline before it answers; the client gets {@code item-not-found}, binds anew and receives those messages at its
     * initial presence. Nothing is lost and nothing waits for the window to lapse; the state itself does not move.
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
        context.router().toResource(session.user().id(), resource, StanzaRouter.RESUMED_ELSEWHERE, previous).toCompletableFuture()
                .orTimeout(10, TimeUnit.SECONDS).handle((outcome, error) -> {
                    if ((error == null && outcome == DeliveryOutcome.DELIVERED) || context.shared().isEmpty()) {
                        return CompletableFuture.completedFuture(outcome);
                    }
                    // its node is gone (or too slow): what it copied to the shared store is kept offline from here
                    return context.shared().get().recover(session.user().id(), named, previous, h)
                            .handle((kept, failed) -> outcome).toCompletableFuture();
                }).thenCompose(f -> f).whenCompleteAsync((outcome, error) -> {
                    session.authenticating = false;
                    if (session.closed()) {
                        return;
                    }
                    LOG.info("event=xmpp_resume_elsewhere user={} outcome={}", session.user().id().value(),
                            error != null ? "timeout" : outcome.name().toLowerCase(java.util.Locale.ROOT));
                    link.send(smFailed("item-not-found"));
                    session.drainPending();
                }, link.loop());
    }

    /**
     * {@link StanzaRouter#RESUMED_ELSEWHERE} for this session: it ends now (its connection, if one is still open, is
     * closed), and the delivery is answered once what its client never acknowledged is kept offline.
     */
    CompletableFuture<DeliveryOutcome> endForResumeElsewhere(String previous) {
        if (!session.bound() || resumeId == null || !resumeId.equals(previous)) {
            return CompletableFuture.completedFuture(DeliveryOutcome.REFUSED);
        }
        LOG.info("event=xmpp_ended_for_resume user={} endpoint={} unacked={}", session.user().id().value(), session.endpoint().value(),
                link.queued());
        if (link.attached()) {
            link.closeStream(); // the client moved; its old connection is a dead end
        }
        session.release();
        return kept.thenApply(ignored -> DeliveryOutcome.DELIVERED);
    }

    /** On this session's loop: move onto {@code transport} and send again what is unacknowledged. */
    private void takeOver(Link transport, String previous, long h) {
        if (!session.bound() || !previous.equals(resumeId)) {
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
     * normal messages with a body (read back as elements, on a worker).
     */
    private CompletableFuture<Boolean> keepUnacknowledged(UserId owner, List<String> stanzas) {
        return context.workers().submit(() -> {
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

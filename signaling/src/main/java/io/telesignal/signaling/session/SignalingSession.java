package io.telesignal.signaling.session;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.EndpointSink;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.protocol.ServerMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The server side of one client's session; the router's sink for its endpoint.
 *
 * <p>Algorithm: every message gets the next sequence number, goes into the resume buffer, and is written to the
 * attached connection if there is one. Acknowledgements trim the buffer. A connection that attaches with
 * {@code lastSeq} gets every buffered message after it, in order, before anything new. When the buffer would pass
 * a limit the session is marked overflowed: an attached client is disconnected (4413) since it stopped acking,
 * and a later resume is refused, because messages would be missing.
 *
 * <p>Hazard: events arrive from any thread; every state change happens under the session's lock, and nothing
 * under it blocks (connection writes are queued on the event loop).
 */
public final class SignalingSession implements EndpointSink {
    public static final int CLOSE_OVERFLOW = 4413;

    private final String id;
    private final String resumeToken;
    private final Actor actor;
    private final EndpointId endpoint;
    private final ProtocolCodec codec;
    private final Function<CoreEvent, Optional<ServerMessage>> translate;
    private final ResumeBuffer buffer;
    private final AnsweredRequests answered;
    private final Set<ConsultationId> consultations = ConcurrentHashMap.newKeySet();
    private final Set<String> running = new java.util.HashSet<>();
    private final Map<String, Long> snapshotVersions = new java.util.HashMap<>();
    private final java.time.Clock clock;
    private final Instant openedAt;
    private long nextSeq = 1;
    private Outlet outlet;
    /** The connection an operator's disconnect cut, until another attaches: its own goodbye still ends the session. */
    private Outlet cutFrom;
    private Instant detachedAt;
    private boolean overflowed;
    private boolean ended;

    SignalingSession(String id, String resumeToken, Actor actor, EndpointId endpoint, ProtocolCodec codec,
            Function<CoreEvent, Optional<ServerMessage>> translate, SessionSettings settings, java.time.Clock clock) {
        this.clock = clock;
        this.id = id;
        this.resumeToken = resumeToken;
        this.actor = actor;
        this.endpoint = endpoint;
        this.codec = codec;
        this.translate = translate;
        this.buffer = new ResumeBuffer(settings.bufferMessages(), settings.bufferBytes());
        this.answered = new AnsweredRequests(settings.rememberedRequests());
        this.openedAt = clock.instant();
        this.detachedAt = openedAt;
    }

    public String id() {
        return id;
    }

    public Actor actor() {
        return actor;
    }

    public EndpointId endpoint() {
        return endpoint;
    }

    /** The secret a client must show to resume this session; sent only in {@code welcome}. */
    public String resumeToken() {
        return resumeToken;
    }

    /** Queues a message on the session's stream; answers false when the session cannot take it. */
    public synchronized boolean send(ServerMessage message) {
        if (ended || overflowed) {
            return false;
        }
        long seq = nextSeq++;
        String text = codec.encode(seq, message);
        if (!buffer.add(seq, text)) {
            overflowed = true;
            if (outlet != null) {
                outlet.close(CLOSE_OVERFLOW, "unacknowledged messages exceeded the buffer");
                outlet = null;
            }
            // it can never be resumed; the sweeper ends it after the window like any detached session
            detachedAt = detachedAt == null ? clock.instant() : detachedAt;
            return false;
        }
        if (outlet != null) {
            outlet.send(text);
        }
        return true;
    }

    /**
     * Starts a request: answers false when its id was seen before — a finished one is answered again with the
     * same message, one still running will be answered once — so a repeated request is never executed twice.
     */
    public synchronized boolean begin(String requestId) {
        ServerMessage previous = answered.find(requestId);
        if (previous != null) {
            send(previous);
            return false;
        }
        return running.add(requestId);
    }

    /** Answers a request and remembers the answer for repeats of its id. */
    public synchronized void answer(String requestId, ServerMessage message) {
        running.remove(requestId);
        answered.remember(requestId, message);
        send(message);
    }

    public synchronized void acknowledge(long seq) {
        buffer.acknowledge(Math.min(seq, nextSeq - 1));
    }

    @Override
    public boolean offer(CoreEvent event) {
        if (stale(event)) {
            return true;
        }
        return translate.apply(event).map(this::send).orElse(true);
    }

    /** A consultation snapshot older than one already sent (fan-out may reorder them) is dropped. */
    private synchronized boolean stale(CoreEvent event) {
        String key;
        long version;
        if (event instanceof io.telesignal.core.consultation.ParticipantsChanged p) {
            key = "participant:" + p.consultation();
            version = p.version();
        } else if (event instanceof io.telesignal.core.consultation.WaitingRoomChanged w) {
            key = "waiting-room:" + w.consultation();
            version = w.version();
        } else {
            return false;
        }
        Long last = snapshotVersions.get(key);
        if (last != null && last >= version) {
            return true;
        }
        snapshotVersions.put(key, version);
        return false;
    }

    /**
     * Attaches a connection that has seen everything up to {@code lastSeq} (0 for a new session): writes
     * {@code greeting} first, then every buffered message after {@code lastSeq} in order, then anything new —
     * all under the session's lock, so nothing can slip in between. The previous connection, if still attached,
     * is closed with {@code 4409}. Answers how many messages were replayed.
     */
    synchronized int attach(Outlet next, long lastSeq, String greeting) {
        if (ended) {
            throw ResumeException.expired();
        }
        if (overflowed) {
            throw ResumeException.overflowed();
        }
        if (lastSeq > nextSeq - 1 || lastSeq < buffer.oldest(nextSeq) - 1) {
            throw ResumeException.badPosition();
        }
        if (outlet != null) {
            outlet.close(4409, "session resumed on another connection");
        }
        buffer.acknowledge(lastSeq);
        List<String> replay = buffer.after(lastSeq);
        next.send(greeting);
        replay.forEach(next::send);
        outlet = next;
        cutFrom = null;
        detachedAt = null;
        return replay.size();
    }

    synchronized void detach(Outlet gone, Instant now) {
        if (outlet == gone) {
            outlet = null;
            detachedAt = now;
        }
    }

    /**
     * Cuts the attached connection with {@code code} and keeps the session, so the client resumes it; answers
     * false when no connection was attached.
     */
    synchronized boolean disconnect(int code, String reason, Instant now) {
        if (ended || outlet == null) {
            return false;
        }
        outlet.close(code, reason);
        cutFrom = outlet;
        outlet = null;
        detachedAt = now;
        return true;
    }

    public Instant openedAt() {
        return openedAt;
    }

    /** Since when no connection has been attached; empty while one is. */
    public synchronized Optional<Instant> detachedSince() {
        return Optional.ofNullable(detachedAt);
    }

    synchronized boolean checkResumeToken(String offered) {
        return java.security.MessageDigest.isEqual(resumeToken.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                offered.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    synchronized void end(int code, String reason) {
        ended = true;
        if (outlet != null) {
            outlet.close(code, reason);
            outlet = null;
        }
    }

    /**
     * Whether a goodbye (close 1000) on this connection ends the session: it is the one attached, or the one an
     * operator's disconnect cut as the client was saying goodbye, with no other attached since.
     */
    public synchronized boolean leftBy(Outlet candidate) {
        return outlet == candidate || (outlet == null && cutFrom == candidate);
    }

    /** Ends the session if it is still detached past {@code deadline}; answers whether it did (sweeper). */
    synchronized boolean endIfLapsed(Instant now, java.time.Duration window) {
        if (ended || detachedAt == null || now.isBefore(detachedAt.plus(window))) {
            return false;
        }
        ended = true;
        return true;
    }

    public synchronized boolean ended() {
        return ended;
    }

    synchronized int buffered() {
        return buffer.size();
    }

    /** Consultations this session joined, so that ending it leaves them. */
    public Set<ConsultationId> consultations() {
        return consultations;
    }
}

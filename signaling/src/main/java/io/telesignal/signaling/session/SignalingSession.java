package io.telesignal.signaling.session;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.EndpointSink;
import io.telesignal.core.session.SharedSessions;
import io.telesignal.signaling.protocol.ClientMessage;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.protocol.ServerMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <p>In cluster mode (with a {@link SessionMirror}) every message is also mirrored to the {@link SharedSessions}, and
 * written to the connection only once the store has it, in order: whatever the client has seen, another node can
 * replay from the store after this one dies. A delivery counts as delivered once mirrored; delivery ids (a relayed
 * signal's sender and request, a chat message's id) are remembered, so a message deposited or relayed again is
 * taken once. Should the store be away or have lost the session, the node goes on from its own buffer and writes its
 * snapshot again when it can ({@link #resync}). Should another node take the session, this one lets it go
 * ({@link #lose}).
 *
 * <p>Hazard: events arrive from any thread; every state change happens under the session's lock, and nothing
 * under it blocks (connection writes are queued on the event loop; store calls are asynchronous).
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
    /** Cluster mode: the store and this node; null on a single node. */
    private final SessionMirror mirror;
    /** The last message the store has (or that this node let through while the store could not take it). */
    private long mirrored;
    /** The last message written to the attached connection (cluster mode). */
    private long written;
    /** The client's last acknowledgement, and the last passed on to the store. */
    private long acknowledged;
    private long acknowledgedInStore;
    /** The store lost messages of this session (it restarted, a mirror failed): its snapshot is written again. */
    private boolean resyncDue;
    private boolean resyncing;
    /** Messages mirrored before one of their predecessors, by number, until it is (cluster mode). */
    private final Map<Long, String> early = new java.util.HashMap<>(2);
    /** A close deferred until every message before it is mirrored and written (cluster mode). */
    private int closeCode;
    private String closeReason;
    /** Answers found in the store when this session was claimed: request id to the message sent. */
    private Map<String, String> claimedAnswers = Map.of();
    /** Delivery ids of the last messages taken (cluster mode), oldest first. */
    private final java.util.LinkedHashSet<String> delivered;
    /** What a node that claims this session restores (consultations joined, presence, watches), mirrored. */
    private final Map<String, String> context = new ConcurrentHashMap<>();
    /** Handed to the router once the signal relayed last by this session was: signals keep the order they were sent. */
    private CompletableFuture<Void> lastRelay = CompletableFuture.completedFuture(null);
    /** Claimed from the store and not yet taken up by the connection it was claimed for. */
    private final java.util.concurrent.atomic.AtomicBoolean claimedHere = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Set when the client said hello with {@code signalAcks: cumulative}: its signals being handled, by id in the order
     * it sent them, true once done (a done one waits for those before it); the last id {@code signaled} covered, and
     * the one it will cover next.
     */
    private java.util.LinkedHashMap<String, Boolean> quietSignals;
    private final java.time.Duration signalAckDelay;
    private String signaledThrough;
    private String signaledSent;
    private boolean signaledQueued;
    private Outlet outlet;
    /** The connection an operator's disconnect cut, until another attaches: its own goodbye still ends the session. */
    private Outlet cutFrom;
    private Instant detachedAt;
    private boolean overflowed;
    private boolean ended;

    SignalingSession(String id, String resumeToken, Actor actor, EndpointId endpoint, ProtocolCodec codec,
            Function<CoreEvent, Optional<ServerMessage>> translate, SessionSettings settings, java.time.Clock clock,
            SessionMirror mirror) {
        this.mirror = mirror;
        this.delivered = mirror == null ? null : new java.util.LinkedHashSet<>();
        this.clock = clock;
        this.id = id;
        this.resumeToken = resumeToken;
        this.actor = actor;
        this.endpoint = endpoint;
        this.codec = codec;
        this.translate = translate;
        this.buffer = new ResumeBuffer(settings.bufferMessages(), settings.bufferBytes());
        this.answered = new AnsweredRequests(settings.rememberedRequests());
        this.signalAckDelay = settings.signalAckDelay();
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

    private static final CompletionStage<DeliveryOutcome> TAKEN = CompletableFuture.completedFuture(
            DeliveryOutcome.DELIVERED);
    private static final CompletionStage<DeliveryOutcome> REFUSED = CompletableFuture.completedFuture(
            DeliveryOutcome.REFUSED);

    /** Queues a message on the session's stream; answers false when the session cannot take it. */
    public boolean send(ServerMessage message) {
        return append(message, null, null) != REFUSED;
    }

    private synchronized CompletionStage<DeliveryOutcome> append(ServerMessage message, String answers,
            String delivery) {
        if (ended || overflowed) {
            return REFUSED;
        }
        long seq = nextSeq++;
        return append(seq, codec.encode(seq, message), answers, delivery);
    }

    /** Under the lock: keeps message {@code seq}, and writes it (on a single node) or mirrors it (cluster mode). */
    private CompletionStage<DeliveryOutcome> append(long seq, String text, String answers, String delivery) {
        if (!buffer.add(seq, text)) {
            overflowed = true;
            if (outlet != null) {
                outlet.close(CLOSE_OVERFLOW, "unacknowledged messages exceeded the buffer");
                outlet = null;
            }
            // it can never be resumed; the sweeper ends it after the window like any detached session
            detachedAt = detachedAt == null ? clock.instant() : detachedAt;
            if (mirror != null) {
                mirror.store().overflowed(id, mirror.self());
            }
            return REFUSED;
        }
        if (mirror == null) {
            if (outlet != null) {
                outlet.send(text);
            }
            return TAKEN;
        }
        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<>();
        mirror.store().mirror(id, mirror.self(), seq, text, Optional.ofNullable(answers), Optional.ofNullable(delivery))
                .whenComplete((mirrored, failure) -> mirrored(seq, text, mirrored, failure, outcome));
        return outcome;
    }

    /** The store answered for message {@code seq} (answers come in the order the messages were sent). */
    private void mirrored(long seq, String text, SharedSessions.Mirrored result, Throwable failure,
            CompletableFuture<DeliveryOutcome> outcome) {
        boolean moved = failure == null && result == SharedSessions.Mirrored.MOVED;
        boolean resync = false;
        synchronized (this) {
            if (!moved) {
                // the store is away or lost the session: go on from this node's buffer, and write it there again later
                if (failure != null || result != SharedSessions.Mirrored.OK) {
                    resyncDue = true;
                    resync = failure == null;
                }
                release(seq, text);
                closeIfFlushed();
            }
        }
        if (moved) {
            // another node took the session over: it was never written here, and will be deposited or replayed there
            outcome.complete(DeliveryOutcome.NODE_UNREACHABLE);
            mirror.lost().accept(this);
            return;
        }
        outcome.complete(DeliveryOutcome.DELIVERED);
        if (resync) {
            resync();
        }
    }

    /**
     * Under the lock: message {@code seq} is mirrored. Messages are written in order, whatever order the store answered
     * in (a script Redis had to be sent again, after a restart, answers after the next one): one mirrored before its
     * predecessors waits for them.
     */
    private void release(long seq, String text) {
        if (seq <= mirrored) {
            return;
        }
        if (seq != mirrored + 1) {
            early.put(seq, text);
            return;
        }
        write(seq, text);
        for (String next = early.remove(mirrored + 1); next != null; next = early.remove(mirrored + 1)) {
            write(mirrored + 1, next);
        }
    }

    private void write(long seq, String text) {
        mirrored = seq;
        if (outlet != null && seq > written) {
            outlet.send(text);
            written = seq;
        }
    }

    /**
     * Writes this session's snapshot to the store again if it lost messages (cluster mode; the sweeper calls it too, to
     * retry); answers at once when nothing is due.
     */
    public CompletionStage<Void> resync() {
        SharedSessions.Snapshot snapshot;
        synchronized (this) {
            if (mirror == null || !resyncDue || resyncing || ended) {
                return CompletableFuture.completedFuture(null);
            }
            resyncing = true;
            resyncDue = false;
            snapshot = new SharedSessions.Snapshot(id, actor.user().value(), SessionMirror.tokenHash(resumeToken),
                    endpoint.value(), mirror.self(), buffer.oldest(nextSeq), nextSeq, buffer.all(), Map.copyOf(context));
        }
        return mirror.store().write(snapshot).whenComplete((done, failure) -> {
            synchronized (this) {
                resyncing = false;
                resyncDue |= failure != null;
            }
        });
    }

    /** Whether the store lost messages this session still has to write there. */
    public synchronized boolean resyncDue() {
        return resyncDue;
    }

    /** Marks this session for a {@link #resync} (the store restarted empty). */
    public synchronized void storeLost() {
        resyncDue = mirror != null;
    }

    /**
     * Starts a request: answers false when its id was seen before — a finished one is answered again with the
     * same message, one still running will be answered once — so a repeated request is never executed twice.
     */
    public synchronized boolean begin(String requestId) {
        return begin(requestId, false);
    }

    /**
     * As {@link #begin(String)}; a {@code signal} of a session with cumulative signal acknowledgements is lined up to
     * be covered by a {@code signaled} rather than answered with a result of its own.
     */
    public synchronized boolean begin(String requestId, boolean signal) {
        ServerMessage previous = answered.find(requestId);
        if (previous != null) {
            send(previous);
            return false;
        }
        String claimed = claimedAnswers.get(requestId);
        if (claimed != null && !ended && !overflowed) {
            // answered on the node this session was claimed from: the same answer again, numbered here
            long seq = nextSeq++;
            append(seq, ProtocolCodec.renumber(claimed, seq), requestId, null);
            return false;
        }
        boolean started = running.add(requestId);
        if (started && signal && quietSignals != null) {
            quietSignals.put(requestId, Boolean.FALSE);
        }
        return started;
    }

    /** From now on this session's successful signals are answered together, by {@code signaled} (hello's {@code signalAcks}). */
    public synchronized void cumulativeSignalAcks() {
        if (quietSignals == null) {
            quietSignals = new java.util.LinkedHashMap<>();
            context(SIGNAL_ACKS, ClientMessage.Hello.CUMULATIVE);
        }
    }

    private static final String SIGNAL_ACKS = "signalAcks";

    /**
     * Answers a request and remembers the answer for repeats of its id. A lined-up signal's result is not sent: it is
     * covered by the next {@code signaled}, once every signal before it is done too (an error is sent at once).
     */
    public synchronized void answer(String requestId, ServerMessage message) {
        running.remove(requestId);
        answered.remember(requestId, message);
        if (quietSignals == null || quietSignals.replace(requestId, Boolean.TRUE) == null) {
            append(message, requestId, null);
            return;
        }
        if (message instanceof ServerMessage.Error) {
            append(message, requestId, null);
        }
        String through = null;
        for (var waiting = quietSignals.entrySet().iterator(); waiting.hasNext(); ) {
            var next = waiting.next();
            if (!next.getValue()) {
                break;
            }
            through = next.getKey();
            waiting.remove();
        }
        if (through == null) {
            return;
        }
        signaledThrough = through;
        if (!signaledQueued) {
            signaledQueued = true;
            Outlet now = outlet;
            if (now != null) {
                now.later(this::sendSignaled, signalAckDelay);
            } else {
                signaledQueued = false;
                sendSignaledNow();
            }
        }
    }

    private synchronized void sendSignaled() {
        signaledQueued = false;
        sendSignaledNow();
    }

    /** Under the lock: one {@code signaled} for every signal done since the last. */
    private void sendSignaledNow() {
        if (signaledThrough != null && !signaledThrough.equals(signaledSent)) {
            signaledSent = signaledThrough;
            append(new ServerMessage.Signaled(signaledThrough), null, null);
        }
    }

    public synchronized void acknowledge(long seq) {
        long upTo = Math.min(seq, mirror == null ? nextSeq - 1 : mirrored);
        buffer.acknowledge(upTo);
        acknowledged = Math.max(acknowledged, upTo);
    }

    /**
     * Passes the client's acknowledgements on to the store (cluster mode), once in a while rather than with each: the
     * store only trims with them, and a claim trims up to what the resuming client says it has anyway.
     */
    public void flushAcknowledgements() {
        long upTo;
        synchronized (this) {
            if (mirror == null || ended || acknowledged <= acknowledgedInStore) {
                return;
            }
            upTo = acknowledged;
            acknowledgedInStore = upTo;
        }
        mirror.store().acknowledge(id, mirror.self(), upTo);
    }

    @Override
    public CompletionStage<DeliveryOutcome> offer(CoreEvent event) {
        if (stale(event)) {
            return TAKEN;
        }
        Optional<ServerMessage> message = translate.apply(event);
        if (message.isEmpty()) {
            return TAKEN;
        }
        if (mirror == null) {
            return append(message.get(), null, null);
        }
        String delivery = deliveryId(event).orElse(null);
        synchronized (this) {
            if (delivery != null && !remember(delivery)) {
                return TAKEN; // relayed or deposited before: taken once
            }
            return append(message.get(), null, delivery);
        }
    }

    /** Remembers a delivery id; answers false when it was already remembered. */
    private boolean remember(String delivery) {
        if (!delivered.add(delivery)) {
            return false;
        }
        if (delivered.size() > answered.capacity()) {
            delivered.remove(delivered.iterator().next());
        }
        return true;
    }

    /**
     * What identifies an event delivered to a session, whichever node delivers it and however often: a relayed signal
     * by its sender's endpoint and request, a chat message by its id. Others have none.
     */
    public static Optional<String> deliveryId(CoreEvent event) {
        if (event instanceof io.telesignal.core.call.CallSignal signal && signal.signalId() != null) {
            return Optional.of("s:" + signal.fromEndpoint().value() + ":" + signal.signalId());
        }
        if (event instanceof io.telesignal.core.chat.ChatPosted posted) {
            return Optional.of("c:" + posted.message().id());
        }
        return Optional.empty();
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
        // in cluster mode a client has seen only what the store has
        long last = mirror == null ? nextSeq - 1 : mirrored;
        if (lastSeq > last || lastSeq < buffer.oldest(nextSeq) - 1) {
            throw ResumeException.badPosition();
        }
        if (outlet != null) {
            outlet.close(4409, "session resumed on another connection");
        }
        acknowledge(lastSeq);
        List<String> replay = buffer.after(lastSeq, last);
        next.send(greeting);
        replay.forEach(next::send);
        written = last;
        closeCode = 0;
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
        if (mirror != null && mirrored < nextSeq - 1) {
            // messages on their way to the store go first (a drain's reconnect notice among them)
            closeCode = code;
            closeReason = reason;
            return true;
        }
        outlet.close(code, reason);
        cutFrom = outlet;
        outlet = null;
        detachedAt = now;
        return true;
    }

    /** Under the lock: a deferred close, once every message before it is written. */
    private void closeIfFlushed() {
        if (closeCode != 0 && outlet != null && mirrored >= nextSeq - 1) {
            int code = closeCode;
            closeCode = 0;
            outlet.close(code, closeReason);
            cutFrom = outlet;
            outlet = null;
            detachedAt = clock.instant();
        }
    }

    /**
     * Another node took this session over (a client resumed there, or it was deposited to while this node could not
     * be reached): this node lets it go without ending it, and a connection still attached is closed with 1012, so
     * that its client resumes where the session is now. Answers false when it was over already.
     */
    synchronized boolean lose() {
        if (ended) {
            return false;
        }
        ended = true;
        if (outlet != null) {
            outlet.close(1012, "session moved: resume");
            outlet = null;
        }
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

    /** The connection attached now, if any. */
    public synchronized Optional<Outlet> outlet() {
        return Optional.ofNullable(outlet);
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
        return java.util.Collections.unmodifiableSet(consultations);
    }

    /** The session joined (or is joining) a consultation; mirrored, so that a node that claims it joins again. */
    public synchronized void joined(ConsultationId consultation) {
        if (consultations.add(consultation)) {
            context("consultations", consultationsText());
        }
    }

    /** The session left a consultation. */
    public synchronized void left(ConsultationId consultation) {
        if (consultations.remove(consultation)) {
            context("consultations", consultationsText());
        }
    }

    private String consultationsText() {
        return String.join(",", consultations.stream().map(ConsultationId::value).sorted().toList());
    }

    /** Sets a value a node that claims this session restores (cluster mode); kept locally otherwise. */
    public void context(String key, String value) {
        context.put(key, value);
        if (mirror != null) {
            mirror.store().context(id, mirror.self(), key, value);
        }
    }

    /** A value of the context, as set here or found in the store when this session was claimed. */
    public Optional<String> context(String key) {
        return Optional.ofNullable(context.get(key));
    }

    /**
     * A session taken over from the store for a client that resumes here (cluster mode): numbered on from the store,
     * with what the client has not seen to replay, the answers and delivery ids the store kept, and its context.
     */
    static SignalingSession claimed(String id, String resumeToken, Actor actor, EndpointId endpoint,
            ProtocolCodec codec, Function<CoreEvent, Optional<ServerMessage>> translate, SessionSettings settings,
            java.time.Clock clock, SessionMirror mirror, SharedSessions.Claimed claimed) {
        SignalingSession session = new SignalingSession(id, resumeToken, actor, endpoint, codec, translate, settings,
                clock, mirror);
        session.claimedHere.set(true);
        synchronized (session) {
            long seq = claimed.first();
            Map<Long, String> bySeq = new java.util.HashMap<>();
            for (String text : claimed.replay()) {
                if (!session.buffer.add(seq, text)) {
                    // more than this node's buffer takes (its limits differ from the node that kept them): refused,
                    // rather than replayed with messages missing
                    throw ResumeException.overflowed();
                }
                bySeq.put(seq, text);
                seq++;
            }
            session.nextSeq = claimed.next();
            session.mirrored = claimed.next() - 1;
            session.acknowledged = claimed.first() - 1;
            session.acknowledgedInStore = claimed.first() - 1;
            Map<String, String> answers = new java.util.HashMap<>();
            claimed.answers().forEach((request, at) -> {
                String text = bySeq.get(at);
                if (text != null) {
                    answers.put(request, text);
                }
            });
            session.claimedAnswers = answers;
            claimed.delivered().forEach(session::remember);
            session.context.putAll(claimed.context());
            if (ClientMessage.Hello.CUMULATIVE.equals(claimed.context().get(SIGNAL_ACKS))) {
                session.quietSignals = new java.util.LinkedHashMap<>();
            }
            String joined = claimed.context().getOrDefault("consultations", "");
            for (String consultation : joined.split(",")) {
                if (!consultation.isEmpty()) {
                    session.consultations.add(new ConsultationId(consultation));
                }
            }
        }
        return session;
    }

    /**
     * Puts a relay in line behind this session's previous one: answers when that one has been handed to the router.
     * The caller completes {@code handed} once its own is (or has failed), so that the next may go. Signals checked
     * at different speeds (a consultation read again from the database for one, from memory for the next) would
     * otherwise overtake each other, and a peer would get candidates before the description they belong to.
     */
    public synchronized CompletableFuture<Void> relayAfter(CompletableFuture<Void> handed) {
        CompletableFuture<Void> previous = lastRelay;
        lastRelay = handed;
        return previous;
    }

    /** Whether this session was claimed from the store and is to be taken up now: true once. */
    public boolean takeUp() {
        return claimedHere.getAndSet(false);
    }

    /** The snapshot of a session that opens (cluster mode). */
    SharedSessions.Snapshot opening() {
        return new SharedSessions.Snapshot(id, actor.user().value(), SessionMirror.tokenHash(resumeToken),
                endpoint.value(), mirror.self(), 1, 1, List.of(), Map.of());
    }
}

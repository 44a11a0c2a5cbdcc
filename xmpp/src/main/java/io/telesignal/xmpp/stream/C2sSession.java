package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.User;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.DoorMessage;
import io.telesignal.core.routing.EndpointSink;
import io.telesignal.xmpp.XmppSettings;
import io.telesignal.xmpp.sasl.DeviceSignIn;
import io.telesignal.xmpp.sasl.ScramExchange;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client-to-server XMPP session (RFC 6120, RFC 6121), whatever carries it: stream headers, mandatory TLS, SASL
 * against device passwords, resource binding, then stanzas with their {@code from} stamped by the server and routed
 * through {@link StanzaRouter}. Runs on its connection's event loop; store and credential work goes to the worker pool
 * and comes back on the loop.
 */
public final class C2sSession implements XmlStreamParser.Handler {
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String BIND_NS = "urn:ietf:params:xml:ns:xmpp-bind";
    static final String SESSION_NS = "urn:ietf:params:xml:ns:xmpp-session";
    static final String STREAMS_NS = "urn:ietf:params:xml:ns:xmpp-streams";
    static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    static final String PING_NS = "urn:xmpp:ping";
    static final String DELAY_NS = "urn:xmpp:delay";
    static final String CARBONS_NS = "urn:xmpp:carbons:2";
    static final String FORWARD_NS = "urn:xmpp:forward:0";
    static final String HINTS_NS = "urn:xmpp:hints";
    static final String DISCO_INFO_NS = "http://jabber.org/protocol/disco#info";
    static final String DISCO_ITEMS_NS = "http://jabber.org/protocol/disco#items";
    private static final String CLIENT = XmlStreamParser.CLIENT_NS;
    private static final Logger LOG = LoggerFactory.getLogger(C2sSession.class);

    /** What a node shares among its sessions. */
    public record Context(XmppSettings settings, DeviceSignIn signIn, StanzaRouter router, PresenceService presence,
            io.telesignal.core.work.WorkerPool workers, SecureRandom random, io.telesignal.xmpp.im.RosterService rosters,
            io.telesignal.core.offline.OfflineStore offline, io.telesignal.xmpp.im.CorePresence core,
            Optional<io.telesignal.xmpp.im.MessageArchive> archive, io.telesignal.xmpp.im.ExternalServices services,
            java.util.concurrent.ConcurrentHashMap<String, C2sSession> resumable,
            Optional<io.telesignal.xmpp.muc.MucService> muc, Optional<io.telesignal.xmpp.pep.PepService> pep,
            io.telesignal.xmpp.im.Blocking blocking, Optional<SharedStreams> shared,
            Optional<io.telesignal.xmpp.component.Components> components,
            Optional<io.telesignal.xmpp.upload.UploadService> upload,
            io.telesignal.core.work.Lanes<io.telesignal.core.identity.UserId> offlineTurns) {

        /**
         * A chat or normal message nobody online took, kept until the user's next available presence (XEP-0160),
         * stamped with a XEP-0203 delay; never for one who blocks the sender (XEP-0191 §3.3). The user's resources are
         * told, for one that became available meanwhile. Answers whether it was kept (not when full or too large).
         * Kept in the user's {@link #offlineTurns}, after what an ended session of theirs was still holding.
         */
        public java.util.concurrent.CompletionStage<Boolean> keepOffline(io.telesignal.core.identity.UserId target, Jid sender, XmlElement message) {
            String kept = Stanzas.delayed(message, settings.domain()).toXml();
            return offlineTurns.submit(target, () -> {
                if (blocking.blocks(target, sender)) {
                    return false;
                }
                boolean stored;
                try {
                    stored = offline.keep(target, kept, java.time.Instant.now(), settings.maxOfflineMessages());
                } catch (IllegalArgumentException tooLarge) {
                    return false;
                }
                if (stored) {
                    router.keptOffline(target);
                }
                return stored;
            });
        }
    }

    private enum Stage { TLS, SASL, BIND, BOUND, CLOSED }

    private final Context context;
    /** The transport behind stream management (XEP-0198), which outlives a dropped connection when resumable. */
    private final StreamManagement link;
    /** Enabling, acknowledging and resuming the stream (XEP-0198). */
    private final Resumption resumption;
    private final XmppSettings settings;
    private final StanzaBucket bucket;
    private Stage stage;
    private boolean headerSent;
    /** Work for this stream is under way on the workers (SASL, binding): the next step waits for it. */
    boolean authenticating;
    private final SaslNegotiation sasl;
    private final ServerIqs iqs;
    private User user;
    private Jid jid;
    private EndpointId endpoint;
    private final PresenceRouting presences;
    private final MessageRouting messages;
    /** The rooms (XEP-0045) this session is in, as the group chat service told it. */
    private final RoomSender rooms = new RoomSender();
    /** Which personal eventing nodes the client wants notifications of (XEP-0163 §4.3.2); null without the service. */
    private final io.telesignal.xmpp.pep.EntityCaps.Interest interest;
    /** The user's block list (XEP-0191), loaded before binding and changed by pushes; nothing from it comes through. */
    private volatile java.util.Set<String> blocked = java.util.Set.of(); // read by workers too (broadcasts)
    /** Whether the client asked for the block list (only then are changes pushed to it). */
    boolean blocklistRequested;
    private long pushes;
    /** The last of this session's stanzas that must keep their order (messages, room stanzas): the next waits for it. */
    private java.util.concurrent.CompletionStage<?> ordered = CompletableFuture.completedFuture(null);
    /** Elements that came while the binding was being answered. */
    private final java.util.ArrayDeque<XmlElement> pending = new java.util.ArrayDeque<>();
    private static final int MAX_PENDING = 64;

    public C2sSession(Context context, Link link) {
        this.context = context;
        this.link = new StreamManagement(link, context.settings().maxHeldWhileInactive());
        this.resumption = new Resumption(this, context, this.link);
        this.sasl = new SaslNegotiation(this, context, this.link);
        this.iqs = new ServerIqs(this, context, this.link);
        this.settings = context.settings();
        this.bucket = new StanzaBucket(settings.stanzaRate(), settings.stanzaBurst(), System::nanoTime);
        this.presences = new PresenceRouting(this, context, this.link);
        this.messages = new MessageRouting(this, context, this.link);
        this.interest = context.pep().map(p -> p.caps().new Interest()).orElse(null);
        this.stage = link.secure() || !link.canStartTls() ? Stage.SASL : Stage.TLS;
    }

    /** The bound address, once there is one. */
    public Optional<Jid> jid() {
        return Optional.ofNullable(jid);
    }

    // ---- stream level

    @Override
    public void streamOpened(XmlElement header) throws StreamErrorException {
        sendHeader();
        String to = header.attr("to");
        if (to == null || !Jid.parse(to).map(j -> j.local().isEmpty() && j.resource().isEmpty()
                && j.domain().equals(settings.domain())).orElse(false)) {
            throw new StreamErrorException(StreamErrorCondition.HOST_UNKNOWN, "this server is " + settings.domain());
        }
        String version = header.attr("version");
        if (version == null || !version.startsWith("1.")) {
            throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_VERSION, "version 1.0 only");
        }
        XmlElement.Builder features = XmlElement.builder("features", XmlElement.STREAM_NS);
        switch (stage) {
            case TLS -> features.add(XmlElement.builder("starttls", TLS_NS).add("required", TLS_NS).build());
            case SASL -> {
                XmlElement.Builder mechanisms = XmlElement.builder("mechanisms", SASL_NS);
                boolean binding = link.tlsServerEndPoint().isPresent();
                if (binding) {
                    mechanisms.textChild("mechanism", SASL_NS, "SCRAM-SHA-256-PLUS");
                    mechanisms.textChild("mechanism", SASL_NS, "SCRAM-SHA-1-PLUS");
                }
                mechanisms.textChild("mechanism", SASL_NS, "SCRAM-SHA-256");
                mechanisms.textChild("mechanism", SASL_NS, "SCRAM-SHA-1");
                if (settings.plain() && link.secure()) {
                    mechanisms.textChild("mechanism", SASL_NS, "PLAIN");
                }
                if (link.secure()) {
                    mechanisms.textChild("mechanism", SASL_NS, "OAUTHBEARER");
                }
                features.add(mechanisms.build());
                if (binding) {
                    // XEP-0440: which channel binding the -PLUS mechanisms use
                    features.add(XmlElement.builder("sasl-channel-binding", "urn:xmpp:sasl-cb:0").add(XmlElement.builder(
                            "channel-binding", "urn:xmpp:sasl-cb:0").attr("type", ScramExchange.TLS_SERVER_END_POINT)
                            .build()).build());
                }
            }
            case BIND -> features.add(XmlElement.empty("bind", BIND_NS))
                    .add(XmlElement.builder("session", SESSION_NS).add("optional", SESSION_NS).build())
                    .add(XmlElement.empty("sm", StreamManagement.NS))
                    .add(XmlElement.empty("csi", ClientState.NS));
            default -> throw new StreamErrorException(StreamErrorCondition.CONFLICT, "stream already bound");
        }
        link.send(features.build());
    }

    private void sendHeader() {
        if (!headerSent) {
            headerSent = true;
            byte[] id = new byte[12];
            context.random().nextBytes(id);
            link.openStream(Base64.getUrlEncoder().withoutPadding().encodeToString(id), settings.domain());
        }
    }

    /** A stream restarts (after STARTTLS or SASL): the next header is answered with a new one. */
    private void restartStream() {
        headerSent = false;
    }

    @Override
    public void streamClosed() {
        if (moving) {
            return; // the old connection, closed by the hand-over
        }
        close(null);
    }

    /** Ends the stream with this error (RFC 6120 §4.9): header first if none was sent, then the error, then the end. */
    public void fail(StreamErrorException error) {
        if (stage == Stage.CLOSED || moving) {
            return; // moving: the old connection is closed already, the session is the hand-over's
        }
        sendHeader();
        XmlElement.Builder body = XmlElement.builder("error", XmlElement.STREAM_NS)
                .add(error.condition().elementName(), STREAMS_NS);
        if (error.getMessage() != null) {
            body.add(XmlElement.builder("text", STREAMS_NS).attr("xml:lang", "en").text(error.getMessage()).build());
        }
        link.send(body.build());
        LOG.info("event=xmpp_stream_error condition={} user={} remote={}", error.condition().elementName(),
                user == null ? "-" : user.id().value(), link.remoteAddress());
        close(error.condition());
    }

    /** The stream ends (its close, or an error): the end is written, the resource unbound, its presence withdrawn. */
    public void close(StreamErrorCondition reason) {
        if (stage != Stage.CLOSED) {
            link.closeStream();
            release();
        }
    }

    /**
     * The transport closed under the session: a resumable stream-managed session stays, detached, for
     * {@code xmpp.resumeWindow}; any other ends.
     */
    public void transportClosed(Link which) {
        if (moving) {
            return; // the hand-over closed it; the session is the other node's now, or ends its own way
        }
        if (link.attached() && link.transport() != which) {
            return; // a connection this session has already left (a resume moved it)
        }
        if (stage == Stage.BOUND && resumption.detach()) {
            return;
        }
        release();
    }

    void release() {
        if (stage == Stage.CLOSED) {
            return;
        }
        boolean bound = stage == Stage.BOUND && jid != null;
        stage = Stage.CLOSED;
        resumption.released(bound);
        link.clientState().clear();
        if (bound) {
            leaveRooms();
            presences.release(); // unavailable to the user's resources and contacts, no more watching
            context.router().unbindFrom(user.id(), jid.resource()); // this node's registration only
            context.presence().endpointGone(user.id(), endpoint);
            LOG.info("event=xmpp_unbound user={} endpoint={}", user.id().value(), endpoint.value());
        }
    }

    @Override
    public void element(XmlElement element) throws StreamErrorException {
        if (moving) {
            return; // read from the old connection after its count was taken: the client sends it again after resuming
        }
        if (element.namespace().equals(StreamManagement.NS) && (stage == Stage.BIND || stage == Stage.BOUND)) {
            resumption.element(element);
            return;
        }
        if (element.namespace().equals(ClientState.NS) && stage == Stage.BOUND) {
            // XEP-0352: a nonza, neither counted nor answered
            if (!element.name().equals("active") && !element.name().equals("inactive")) {
                throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "active or inactive");
            }
            link.clientState(element.name().equals("active"));
            return;
        }
        switch (stage) {
            case TLS -> startTls(element);
            case SASL -> sasl.handle(element);
            case BIND -> {
                if (authenticating) {
                    hold(element); // sent while a resume is being tried elsewhere
                } else {
                    bind(element);
                }
            }
            case BOUND -> stanza(element);
            case CLOSED -> { }
        }
    }

    // ---- TLS

    private void startTls(XmlElement element) throws StreamErrorException {
        if (!element.is("starttls", TLS_NS)) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required first");
        }
        link.send(XmlElement.empty("proceed", TLS_NS));
        link.startTls();
        stage = Stage.SASL;
        restartStream();
    }

    /** The signed-in user and the bound address (once bound). */
    User user() {
        return user;
    }

    Jid boundJid() {
        return jid;
    }

    boolean bound() {
        return stage == Stage.BOUND;
    }

    /** Authenticated, no resource bound yet: where a resume may happen. */
    boolean binding() {
        return stage == Stage.BIND;
    }

    boolean closed() {
        return stage == Stage.CLOSED;
    }

    /** The session ends without unbinding anything (it never bound: a resume moved its connection to another). */
    void markClosed() {
        stage = Stage.CLOSED;
    }

    Resumption resumption() {
        return resumption;
    }

    /** Handles what came while the session was waiting for an answer (binding, a resume tried elsewhere). */
    void drainPending() {
        try {
            while (!pending.isEmpty() && stage != Stage.CLOSED && !authenticating) {
                element(pending.poll());
            }
        } catch (StreamErrorException e) {
            fail(e);
        }
    }

    EndpointId endpoint() {
        return endpoint;
    }

    /** Whether the stream is still negotiating SASL (a delayed failure is then still worth sending). */
    boolean negotiatingSasl() {
        return stage == Stage.SASL;
    }

    /** SASL succeeded: the user is this stream's, and a new stream starts for binding. */
    void succeed(User signedIn, byte[] additional) {
        user = signedIn;
        link.send(XmlElement.builder("success", SASL_NS)
                .text(additional.length == 0 ? "" : Base64.getEncoder().encodeToString(additional)).build());
        stage = Stage.BIND;
        restartStream();
        link.restartStream();
        LOG.info("event=xmpp_authenticated user={} remote={}", signedIn.id().value(), link.remoteAddress());
    }

    /** Runs {@code task} on the worker pool, then {@code then} on the loop; a failure ends the stream. */
    <T> void work(java.util.function.Supplier<T> task, ThrowingConsumer<T> then) {
        authenticating = true;
        later(task, value -> {
            authenticating = false;
            then.accept(value);
        });
    }

    /** Runs {@code task} on the worker pool, then {@code then} on the loop, while the stream goes on. */
    <T> void later(java.util.function.Supplier<T> task, ThrowingConsumer<T> then) {
        context.workers().submit(task).whenCompleteAsync((result, error) -> {
            if (error != null) {
                authenticating = false;
            }
            if (stage == Stage.CLOSED) {
                return;
            }
            try {
                if (error != null) {
                    LOG.warn("event=xmpp_work_failed user={} error={}", user == null ? "-" : user.id().value(),
                            error.getClass().getSimpleName());
                    throw new StreamErrorException(StreamErrorCondition.INTERNAL_SERVER_ERROR, "try again later");
                }
                then.accept(result);
            } catch (StreamErrorException e) {
                fail(e);
            }
        }, link.loop());
    }

    @FunctionalInterface
    interface ThrowingConsumer<T> {
        void accept(T value) throws StreamErrorException;
    }

    void hold(XmlElement element) throws StreamErrorException {
        if (pending.size() >= MAX_PENDING) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "wait for the answer");
        }
        pending.add(element);
    }

    /** One call into a session from its transport, which may end the stream. */
    @FunctionalInterface
    public interface Call {
        void on(C2sSession session) throws StreamErrorException;
    }

    /**
     * Runs {@code call} on this session's loop: at once when {@code current} is that loop, else queued there (a resume
     * moved the session onto a connection of another loop). A stream error it raises ends the stream.
     */
    public void run(java.util.concurrent.Executor current, Call call) {
        Runnable task = () -> {
            try {
                call.on(this);
            } catch (StreamErrorException e) {
                fail(e);
            }
        };
        if (link.loop() == current) {
            task.run();
        } else {
            link.loop().execute(task);
        }
    }

    /** Set while the session hands itself over to another node (XEP-0198 resumed there): it takes nothing more. */
    volatile boolean moving;

    /** What a node the session moves to restores, besides the stream itself. */
    java.util.Map<String, String> handOverState() {
        return java.util.Map.of("presence", presences.lastPresenceXml(), "carbons", iqs.carbons() ? "1" : "0",
                "blocklist", blocklistRequested ? "1" : "0", "rooms", String.join("\n", rooms.in));
    }

    /**
     * The session moved to another node: it ends here quietly. Its presence, rooms and resource stay as they are (the
     * other node has them); its connection is closed, its watches dropped, its endpoint let go without unregistering.
     */
    void moveAway() {
        if (stage == Stage.CLOSED) {
            return;
        }
        stage = Stage.CLOSED;
        moving = false;
        resumption.movedAway();
        link.clientState().clear();
        presences.forget();
        context.router().letGo(user.id(), jid.resource());
        LOG.info("event=xmpp_moved_away user={} endpoint={}", user.id().value(), endpoint.value());
    }

    /**
     * This authenticated session takes up one that moved here from another node, on the loop: bound to
     * {@code resource} (no replacing, no limit: it is the same session), carbons, the block-list push switch and the
     * rooms as they were. Its presence and its registration come after the stream is resumed ({@link #registerMoved}).
     */
    boolean bindMoved(String resource, java.util.Map<String, String> state) {
        Optional<Jid> full = Jid.parse(user.login().value() + "@" + settings.domain() + "/" + resource);
        if (full.isEmpty() || (stage != Stage.BIND && stage != Stage.CLOSED)) {
            return false;
        }
        jid = full.get();
        endpoint = StanzaRouter.endpointOf(user.id(), resource);
        stage = Stage.BOUND;
        presences.restoreQuietly(state.getOrDefault("presence", "")); // so that an end from here says unavailable
        iqs.carbons("1".equals(state.get("carbons")));
        blocklistRequested = "1".equals(state.get("blocklist"));
        for (String room : state.getOrDefault("rooms", "").split("\n")) {
            if (!room.isEmpty()) {
                rooms.in.add(room);
            }
        }
        return true;
    }

    /**
     * The moved session's block list, its resource registered here (deliveries reach it from now on), and its presence
     * as it was (contacts watched and probed, kept messages delivered; nobody told it changed). Done on the loop.
     */
    CompletableFuture<Void> registerMoved(java.util.Map<String, String> state) {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        context.blocking().load(user.id()).thenCompose(list -> {
            blocked = java.util.Set.copyOf(list);
            return context.router().adopt(user, jid.resource(), sink(), link.remoteAddress());
        }).whenCompleteAsync((done, error) -> {
            if (error != null) {
                registered.completeExceptionally(error);
                return;
            }
            if (stage == Stage.CLOSED) {
                context.router().unbind(user.id(), jid.resource());
                registered.completeExceptionally(new IllegalStateException("closed"));
                return;
            }
            presences.restore(state.getOrDefault("presence", ""));
            LOG.info("event=xmpp_bound user={} endpoint={} moved=true", user.id().value(), endpoint.value());
            registered.complete(null);
        }, link.loop());
        return registered;
    }

    /**
     * A moved session whose new connection went before it could start here: it is ended here as if it had run (what
     * its client never acknowledged kept offline, its copy ended, unavailable to its contacts, its rooms left, its
     * resource given up wherever it is registered).
     */
    void endMoved(String resource, java.util.Map<String, String> state, Runnable restoreStream) {
        if (!bindMoved(resource, state)) {
            return;
        }
        restoreStream.run();
        release();
    }

    /**
     * A hand-over whose new node never took the session up (its claim failed, or it died first): the session that let
     * go here ends after all, the usual way but for its stream (its copy's messages are kept offline by the caller):
     * unavailable to its contacts, its rooms left, its registration (still this node's) given up.
     */
    void finishAbandonedMove() {
        leaveRooms();
        presences.release();
        context.router().unbindFrom(user.id(), jid.resource());
        context.presence().endpointGone(user.id(), endpoint);
        LOG.info("event=xmpp_move_abandoned user={} endpoint={}", user.id().value(), endpoint.value());
    }

    /** Whether a connection is attached (a stream-managed session whose connection dropped waits detached). */
    boolean attached() {
        return link.attached();
    }

    /** The event loop this session runs on (it stays when a resume moves the session onto another connection). */
    public java.util.concurrent.ScheduledExecutorService loop() {
        return link.loop();
    }

    // ---- resource binding (RFC 6120 §7)

    private void bind(XmlElement element) throws StreamErrorException {
        if (!element.is("iq", CLIENT) || !"set".equals(element.attr("type")) || element.child("bind", BIND_NS).isEmpty()) {
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "bind a resource first");
        }
        String id = element.attr("id");
        String requested = element.child("bind", BIND_NS).orElseThrow().child("resource", BIND_NS)
                .map(XmlElement::text).orElse("").strip();
        String resource = requested.isEmpty() ? generatedResource() : requested;
        Optional<Jid> full = Jid.parse(user.login().value() + "@" + settings.domain() + "/" + resource);
        if (full.isEmpty() || resource.length() > 256) {
            link.send(error(element, "modify", "bad-request", null));
            return;
        }
        stage = Stage.BOUND; // nothing else is read until the binding is answered
        authenticating = true;
        EndpointId id2 = StanzaRouter.endpointOf(user.id(), resource);
        // the block list first, so that nothing it keeps out reaches the resource once it is bound
        context.blocking().load(user.id()).thenCompose(list -> {
            blocked = java.util.Set.copyOf(list);
            return context.router().bind(user, resource, sink(), link.remoteAddress());
        }).whenCompleteAsync((outcome, error) -> {
            authenticating = false;
            if (stage == Stage.CLOSED) {
                if (error == null && outcome == StanzaRouter.BindOutcome.BOUND) {
                    context.router().unbind(user.id(), resource);
                }
                return;
            }
            if (error != null || outcome != StanzaRouter.BindOutcome.BOUND) {
                stage = Stage.BIND;
                link.send(error != null ? error(element, "wait", "internal-server-error", null)
                        : error(element, "cancel", "resource-constraint", null));
            } else {
                jid = full.get();
                endpoint = id2;
                link.send(XmlElement.builder("iq", CLIENT).attr("type", "result").attr("id", id)
                        .add(XmlElement.builder("bind", BIND_NS).textChild("jid", BIND_NS, jid.toString()).build()).build());
                LOG.info("event=xmpp_bound user={} endpoint={}", user.id().value(), endpoint.value());
            }
            drainPending();
        }, link.loop());
    }

    private String generatedResource() {
        byte[] bytes = new byte[9];
        context.random().nextBytes(bytes);
        return "telesignal-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Where the core hands this resource its routed stanzas, from any thread. */
    private EndpointSink sink() {
        return event -> {
            CompletableFuture<DeliveryOutcome> taken = new CompletableFuture<>();
            link.loop().execute(() -> {
                if (event instanceof DoorMessage message && message.kind().equals(StanzaRouter.RESUMED_ELSEWHERE)) {
                    resumption.endForResumeElsewhere(message.body()).whenComplete((outcome, error) ->
                            taken.complete(error == null ? outcome : DeliveryOutcome.REFUSED));
                } else if (event instanceof DoorMessage message && message.kind().equals(StanzaRouter.REPLACED)
                        && moving) {
                    // bound again elsewhere while moving: answered once the hand-over is over (the newer binding wins)
                    resumption.handingOver().whenComplete((done, error) -> taken.complete(DeliveryOutcome.DELIVERED));
                } else if (event instanceof DoorMessage message && message.kind().equals(StanzaRouter.REPLACED)) {
                    // answered once this session's unacknowledged stanzas are kept and its copy gone: the new
                    // session on the resource binds (and writes its own copy) after
                    DeliveryOutcome outcome = take(event);
                    resumption.kept().whenComplete((done, error) -> taken.complete(outcome));
                } else {
                    DeliveryOutcome outcome = take(event);
                    // delivered once its copy is in the shared store (cluster mode): a node dying now loses nothing
                    CompletableFuture<Void> copied = link.copied();
                    if (copied.isDone()) {
                        taken.complete(outcome); // no copy pending (always so on a single node)
                    } else {
                        copied.whenComplete((done, failure) -> taken.complete(outcome));
                    }
                }
            });
            return taken;
        };
    }

    private DeliveryOutcome take(CoreEvent event) {
        if (moving) {
            // the session is moving to another node (EndpointSink: moved meanwhile): not an occupant gone from its room
            return DeliveryOutcome.NODE_UNREACHABLE;
        }
        if (stage != Stage.BOUND || !(event instanceof DoorMessage message)) {
            return DeliveryOutcome.REFUSED;
        }
        switch (message.kind()) {
            case StanzaRouter.STANZA -> {
                if (fromBlocked(message.body())) {
                    return DeliveryOutcome.REFUSED; // the sender's side answers service-unavailable, once
                }
                link.sendSerialized(message.body());
            }
            case StanzaRouter.BLOCKED -> io.telesignal.xmpp.im.Blocking.Change.parse(message.body()).ifPresent(this::blockListChanged);
            case StanzaRouter.CARBON -> {
                if (iqs.carbons()) {
                    link.sendSerialized(message.body());
                }
            }
            case StanzaRouter.REPLACED -> fail(new StreamErrorException(StreamErrorCondition.CONFLICT,
                    "the resource was bound by another session"));
            case StanzaRouter.WATCH, StanzaRouter.UNWATCH -> presences.watchMessage(message);
            case StanzaRouter.PROBE -> presences.answerProbe(message.body());
            case StanzaRouter.KEPT -> presences.offlineKept();
            case StanzaRouter.PEP -> {
                int newline = message.body().indexOf('\n');
                if (newline > 0 && interest != null && interest.notifies(message.body().substring(0, newline))
                        && !fromBlocked(message.body().substring(newline + 1))) {
                    link.sendSerialized(message.body().substring(newline + 1));
                }
            }
            default -> {
                return DeliveryOutcome.REFUSED;
            }
        }
        if (link.queued() > settings.maxUnacked()) {
            // a client that never acknowledges (or is away): the session ends, what it holds is kept offline
            if (link.attached()) {
                fail(new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "too many unacknowledged stanzas"));
            } else {
                release();
            }
        }
        return DeliveryOutcome.DELIVERED;
    }

    /** Whether a serialised stanza comes from an address the user blocks (its start tag's {@code from}). */
    private boolean fromBlocked(String xml) {
        if (blocked.isEmpty()) {
            return false;
        }
        String from = Stanzas.attribute(xml, "from");
        return from != null && Jid.parse(from).map(j -> io.telesignal.xmpp.im.Blocking.blocks(blocked, j)).orElse(false);
    }

    /** Whether the user blocks {@code jid} (what comes from it, and what would go to it). */
    boolean blocks(Jid jid) {
        return io.telesignal.xmpp.im.Blocking.blocks(blocked, jid);
    }

    /**
     * The block list changed (on any resource): kept for this one; pushed to the client when it asked for the list;
     * a newly blocked contact sees this resource go unavailable, an unblocked one gets its presence again.
     */
    private void blockListChanged(io.telesignal.xmpp.im.Blocking.Change change) {
        blocked = io.telesignal.xmpp.im.Blocking.apply(blocked, change);
        if (blocklistRequested) {
            link.send(XmlElement.builder("iq", CLIENT).attr("type", "set").attr("id", "block-push-" + (++pushes))
                    .attr("to", jid.toString()).add(io.telesignal.xmpp.im.Blocking.push(change)).build());
        }
        presences.blockListChanged(change);
    }

    // ---- stanzas (RFC 6120 §8, RFC 6121 §8)

    private void stanza(XmlElement element) throws StreamErrorException {
        if (!authenticating) {
            link.receivedOne();
        }
        if (authenticating) {
            hold(element); // sent before the binding was answered (pipelined): handled once it is
            return;
        }
        if (!element.namespace().equals(CLIENT)
                || !List.of("message", "presence", "iq").contains(element.name())) {
            throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "message, presence and iq only");
        }
        String from = element.attr("from");
        if (from != null && !from.equals(jid.toString()) && !from.equals(jid.bare().toString())) {
            throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "from is not this session's address");
        }
        XmlElement stamped = element.with("from", jid.toString());
        if (!bucket.take()) {
            if (bucket.overdrawn()) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "too many stanzas");
            }
            if (!element.name().equals("presence") && !"error".equals(element.attr("type"))) {
                link.send(error(stamped, "wait", "resource-constraint", jid));
            }
            return;
        }
        String to = element.attr("to");
        Optional<Jid> target = to == null ? Optional.of(jid.bare()) : Jid.parse(to);
        if (target.isEmpty()) {
            replyError(stamped, "modify", "jid-malformed");
            return;
        }
        if (to != null && !blocked.isEmpty() && blocks(target.get())) {
            // XEP-0191 §3.3: nothing goes to what the user blocks; presence quietly, the rest with an error that says why
            if (!element.name().equals("presence") && Stanzas.answerable(stamped)) {
                link.send(Stanzas.error(stamped, "cancel", "not-acceptable", jid, XmlElement.empty("blocked",
                        io.telesignal.xmpp.im.Blocking.ERRORS_NS)));
            }
            return;
        }
        switch (element.name()) {
            case "message" -> messages.handle(stamped, target.get());
            case "presence" -> presences.handle(stamped, to == null ? Optional.empty() : target);
            default -> iq(stamped, target.get(), to == null);
        }
    }

    private void iq(XmlElement iq, Jid to, boolean toAccount) {
        String type = iq.attr("type");
        if (iq.attr("id") == null || type == null || !List.of("get", "set", "result", "error").contains(type)) {
            replyError(iq, "modify", "bad-request");
            return;
        }
        boolean request = type.equals("get") || type.equals("set");
        if (request && iq.elements().size() != 1) {
            replyError(iq, "modify", "bad-request");
            return;
        }
        if (!request && interest != null && interest.answer(iq, this::wantsLast)) {
            return; // the client's capabilities, which this server asked for
        }
        if (context.muc().isPresent() && context.muc().get().serves(to)) {
            inOrder(() -> context.muc().get().iq(rooms, iq, to));
            return;
        }
        if (context.upload().isPresent() && context.upload().get().serves(to)) {
            io.telesignal.xmpp.upload.UploadService upload = context.upload().get();
            inOrder(() -> upload.iq(iq, user, jid, answer -> link.loop().execute(() -> link.send(answer))));
            return;
        }
        if (request && context.pep().isPresent() && context.pep().get().handles(iq, to, toAccount, jid)) {
            inOrder(() -> context.pep().get().iq(rooms, iq, to, toAccount));
            return;
        }
        if (toComponent(iq, to)) {
            return;
        }
        if (!to.domain().equals(settings.domain())) {
            replyError(iq, "cancel", "remote-server-not-found");
            return;
        }
        if (to.local().isEmpty() || (to.isBare() && to.local().equals(jid.local())) || toAccount) {
            if (request) {
                iqs.answer(iq);
            }
            return;
        }
        if (to.isBare()) {
            // an IQ to another user's bare JID is the server's to answer on their behalf (RFC 6121 §8.5.2.1.3)
            replyError(iq, "cancel", "service-unavailable");
            return;
        }
        String xml = iq.toXml();
        context.router().user(to.local()).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(DeliveryOutcome.NOT_CONNECTED)
                : context.router().toResource(found.get().id(), to.resource(), StanzaRouter.STANZA, xml))
                .whenCompleteAsync((outcome, error) -> {
                    if (request && (error != null || outcome != DeliveryOutcome.DELIVERED)) {
                        replyError(iq, "cancel", "service-unavailable");
                    }
                }, link.loop());
    }

    /**
     * Runs {@code step} once the one before it is done, so that a sender's messages and room stanzas keep the order
     * they were sent in (RFC 6120 §10.1) whatever their lookups and deliveries cost. On the loop.
     */
    void inOrder(java.util.function.Supplier<java.util.concurrent.CompletionStage<?>> step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        java.util.concurrent.CompletionStage<?> previous = ordered;
        ordered = done;
        previous.whenComplete((ignored, e) -> {
            java.util.concurrent.CompletionStage<?> running;
            try {
                running = step.get();
            } catch (RuntimeException failed) {
                LOG.warn("event=xmpp_stanza_failed user={} error={}", user.id().value(), failed.getClass().getSimpleName());
                running = CompletableFuture.completedFuture(null);
            }
            running.whenComplete((result, error) -> done.complete(null));
        });
    }

    /**
     * The client's own available presence: its capabilities (XEP-0115) are looked up, or asked of it, for the nodes whose
     * notifications it wants.
     */
    void capabilities(XmlElement presence) {
        if (interest != null) {
            interest.presence(presence, jid, this::wantsLast).ifPresent(link::send);
        }
    }

    /** The client went unavailable: no notifications until its next presence. */
    void noCapabilities() {
        if (interest != null) {
            interest.unavailable();
        }
    }

    /** The client now wants these nodes' notifications: their last items come at once (XEP-0163 §4.3.2). */
    private void wantsLast(java.util.Set<String> nodes) {
        context.pep().ifPresent(pep -> pep.sendLast(rooms, nodes));
    }

    /**
     * A stanza to an external component's domain (XEP-0114) goes to it, in turn with the session's messages; answered
     * {@code service-unavailable} when the component is not connected. False when no component serves {@code to}.
     */
    boolean toComponent(XmlElement stanza, Jid to) {
        if (context.components().isEmpty() || !context.components().get().serves(to.domain())) {
            return false;
        }
        io.telesignal.xmpp.component.Components components = context.components().get();
        inOrder(() -> components.forward(stanza, to, jid, error -> link.loop().execute(() -> link.send(error))));
        return true;
    }

    /** Room stanzas from this session go to the group chat service, in turn with its messages. */
    boolean toRoom(XmlElement stanza, Jid to) {
        if (context.muc().isEmpty() || !context.muc().get().serves(to)) {
            return false;
        }
        io.telesignal.xmpp.muc.MucService muc = context.muc().get();
        inOrder(() -> stanza.name().equals("message") ? muc.message(rooms, stanza, to) : muc.presence(rooms, stanza, to));
        return true;
    }

    /** The session leaves every room it is in (it ends, or went unavailable: RFC 6121 §4.6.3). */
    void leaveRooms() {
        List<String> in = List.copyOf(rooms.in);
        if (!in.isEmpty() && context.muc().isPresent()) {
            rooms.in.clear();
            Jid full = jid;
            inOrder(() -> context.muc().get().leaveAll(user.id(), full, in));
        }
    }

    /** The session as the group chat service sees it: what it sends the client keeps its order on the loop. */
    private final class RoomSender implements io.telesignal.xmpp.muc.MucService.Sender,
            io.telesignal.xmpp.pep.PepService.Requester {
        final java.util.Set<String> in = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public User user() {
            return user;
        }

        @Override
        public Jid jid() {
            return jid;
        }

        @Override
        public void send(XmlElement stanza) {
            link.loop().execute(() -> {
                if (stage == Stage.BOUND) {
                    link.send(stanza);
                }
            });
        }

        @Override
        public java.util.concurrent.Executor loop() {
            return link.loop();
        }

        @Override
        public boolean blocks(Jid address) {
            return C2sSession.this.blocks(address);
        }

        @Override
        public void entered(String room) {
            in.add(room);
        }

        @Override
        public void left(String room) {
            in.remove(room);
        }
    }

    XmlElement result(XmlElement iq, XmlElement payload) {
        XmlElement.Builder result = XmlElement.builder("iq", CLIENT).attr("type", "result").attr("id", iq.attr("id"))
                .attr("to", jid.toString());
        String to = iq.attr("to");
        if (to != null) {
            result.attr("from", to);
        }
        if (payload != null) {
            result.add(payload);
        }
        return result.build();
    }

    void replyError(XmlElement stanza, String type, String condition) {
        if (Stanzas.answerable(stanza)) {
            link.send(error(stanza, type, condition, jid));
        }
    }

    private static XmlElement error(XmlElement stanza, String type, String condition, Jid to) {
        return Stanzas.error(stanza, type, condition, to);
    }
}

package io.telesignal.xmpp.stream;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.Presence;
import io.telesignal.core.presence.PresenceService;
import io.telesignal.core.presence.PresenceStatus;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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
            java.util.concurrent.ConcurrentHashMap<String, C2sSession> resumable) {}

    private enum Stage { TLS, SASL, BIND, BOUND, CLOSED }

    private final Context context;
    /** The transport behind stream management (XEP-0198), which outlives a dropped connection when resumable. */
    private final StreamManagement link;
    private String resumeId;
    private java.util.concurrent.ScheduledFuture<?> expiry;
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
    private XmlElement lastPresence;
    /** The contacts whose overall presence this session shows (user, bare JID), once it sent its initial presence. */
    private final java.util.concurrent.ConcurrentHashMap<UserId, String> watching = new java.util.concurrent.ConcurrentHashMap<>();
    private final io.telesignal.xmpp.im.CorePresence.Watcher coreWatcher;
    /** The routing of this session's last message: the next one starts when it is done. */
    private CompletionStage<Void> ordered = CompletableFuture.completedFuture(null);
    /** Elements that came while the binding was being answered. */
    private final java.util.ArrayDeque<XmlElement> pending = new java.util.ArrayDeque<>();
    private static final int MAX_PENDING = 64;

    public C2sSession(Context context, Link link) {
        this.context = context;
        this.link = new StreamManagement(link);
        this.sasl = new SaslNegotiation(this, context, this.link);
        this.iqs = new ServerIqs(this, context, this.link);
        this.settings = context.settings();
        this.bucket = new StanzaBucket(settings.stanzaRate(), settings.stanzaBurst(), System::nanoTime);
        this.coreWatcher = (contact, stanza) -> link.loop().execute(() -> showCore(contact, stanza));
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
                    .add(XmlElement.empty("sm", StreamManagement.NS));
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
        close(null);
    }

    /** Ends the stream with this error (RFC 6120 §4.9): header first if none was sent, then the error, then the end. */
    public void fail(StreamErrorException error) {
        if (stage == Stage.CLOSED) {
            return;
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
        if (link.attached() && link.transport() != which) {
            return; // a connection this session has already left (a resume moved it)
        }
        if (stage == Stage.BOUND && resumeId != null && link.attached()) {
            link.detach();
            LOG.info("event=xmpp_detached user={} endpoint={}", user.id().value(), endpoint.value());
            expiry = link.loop().schedule(this::expire, settings.resumeWindow().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        release();
    }

    /** The resumption window lapsed: the session ends, and what the client never acknowledged is kept offline. */
    private void expire() {
        if (stage != Stage.CLOSED && !link.attached()) {
            LOG.info("event=xmpp_resume_expired user={} endpoint={} unacked={}", user.id().value(), endpoint.value(),
                    link.queued());
            release();
        }
    }

    private void release() {
        if (stage == Stage.CLOSED) {
            return;
        }
        boolean bound = stage == Stage.BOUND && jid != null;
        stage = Stage.CLOSED;
        if (resumeId != null) {
            context.resumable().remove(resumeId, this);
        }
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (bound && link.enabled() && link.queued() > 0) {
            keepUnacknowledged(user.id(), link.unacknowledged());
        }
        if (bound) {
            if (lastPresence != null) {
                broadcast(XmlElement.builder("presence", CLIENT).attr("type", "unavailable").attr("from", jid.toString())
                        .build(), false);
            }
            context.router().unbind(user.id(), jid.resource());
            context.presence().endpointGone(user.id(), endpoint);
            watching.keySet().forEach(contact -> context.core().unwatch(contact, coreWatcher));
            watching.clear();
            LOG.info("event=xmpp_unbound user={} endpoint={}", user.id().value(), endpoint.value());
        }
    }

    @Override
    public void element(XmlElement element) throws StreamErrorException {
        if (element.namespace().equals(StreamManagement.NS) && (stage == Stage.BIND || stage == Stage.BOUND)) {
            streamManagement(element);
            return;
        }
        switch (stage) {
            case TLS -> startTls(element);
            case SASL -> sasl.handle(element);
            case BIND -> bind(element);
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

    // ---- stream management (XEP-0198)

    private void streamManagement(XmlElement element) throws StreamErrorException {
        switch (element.name()) {
            case "enable" -> {
                if (stage != Stage.BOUND || authenticating || link.enabled()) {
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
                    resumeId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
                    context.resumable().put(resumeId, this);
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
        C2sSession old = stage == Stage.BIND ? context.resumable().get(previous) : null;
        if (old == null || !old.user.id().equals(user.id())) {
            // unknown here (expired, or held by another node): the client binds a new session; what the old one never
            // got acknowledged is kept offline when it lapses
            link.send(smFailed("item-not-found"));
            return;
        }
        Link transport = link.transport();
        stage = Stage.CLOSED; // this session ends here without unbinding anything: it never bound
        old.link.loop().execute(() -> old.takeOver(transport, previous, h));
    }

    /** On this session's loop: move onto {@code transport} and send again what is unacknowledged. */
    private void takeOver(Link transport, String previous, long h) {
        if (stage != Stage.BOUND || !previous.equals(resumeId)) {
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
        transport.handOver(this);
        transport.send(XmlElement.builder("resumed", StreamManagement.NS).attr("previd", previous)
                .attr("h", Long.toString(link.received())).build());
        Optional<List<String>> again = link.attach(transport, h);
        if (again.isEmpty()) {
            fail(new StreamErrorException(StreamErrorCondition.UNDEFINED_CONDITION, "h does not match what was sent"));
            return;
        }
        LOG.info("event=xmpp_resumed user={} endpoint={} resent={}", user.id().value(), endpoint.value(), again.get().size());
    }

    /** Messages the client never acknowledged go to offline storage, to be delivered at its next presence. */
    private void keepUnacknowledged(UserId owner, List<String> stanzas) {
        context.workers().submit(() -> {
            for (String xml : stanzas) {
                String head = xml.substring(0, Math.max(0, xml.indexOf('>')));
                if (xml.startsWith("<message") && xml.contains("<body") && !head.contains("type=\"error\"")
                        && !head.contains("type=\"groupchat\"") && !head.contains("type=\"headline\"")) {
                    context.offline().keep(owner, xml, java.time.Instant.now(), settings.maxOfflineMessages());
                }
            }
            return null;
        }).exceptionally(e -> {
            LOG.warn("event=xmpp_unacked_keep_failed user={} error={}", owner.value(), e.getClass().getSimpleName());
            return null;
        });
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
        context.router().bind(user, resource, sink(), link.remoteAddress()).whenCompleteAsync((outcome, error) -> {
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
            try {
                while (!pending.isEmpty() && stage != Stage.CLOSED && !authenticating) {
                    element(pending.poll());
                }
            } catch (StreamErrorException e) {
                fail(e);
            }
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
            link.loop().execute(() -> taken.complete(take(event)));
            return taken;
        };
    }

    private DeliveryOutcome take(CoreEvent event) {
        if (stage != Stage.BOUND || !(event instanceof DoorMessage message)) {
            return DeliveryOutcome.REFUSED;
        }
        switch (message.kind()) {
            case StanzaRouter.STANZA -> link.sendSerialized(message.body());
            case StanzaRouter.CARBON -> {
                if (iqs.carbons()) {
                    link.sendSerialized(message.body());
                }
            }
            case StanzaRouter.REPLACED -> fail(new StreamErrorException(StreamErrorCondition.CONFLICT,
                    "the resource was bound by another session"));
            case StanzaRouter.WATCH, StanzaRouter.UNWATCH -> {
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
            case StanzaRouter.PROBE -> {
                // someone entitled to this resource's presence asks for it: "requester-user-id\nreply-to-jid"
                int newline = message.body().indexOf('\n');
                if (lastPresence != null && newline > 0) {
                    UserId requester = new UserId(message.body().substring(0, newline));
                    Jid.parse(message.body().substring(newline + 1)).ifPresent(to -> {
                        String xml = lastPresence.with("to", to.toString()).toXml();
                        if (to.isBare()) {
                            context.router().toResources(requester, Optional.empty(), StanzaRouter.STANZA, xml);
                        } else {
                            context.router().toResource(requester, to.resource(), StanzaRouter.STANZA, xml);
                        }
                    });
                }
            }
            default -> {
                return DeliveryOutcome.REFUSED;
            }
        }
        return DeliveryOutcome.DELIVERED;
    }

    // ---- stanzas (RFC 6120 §8, RFC 6121 §8)

    private void stanza(XmlElement element) throws StreamErrorException {
        if (!authenticating) {
            link.receivedOne();
        }
        if (authenticating) {
            // sent before the binding was answered (pipelined): handled once it is
            if (pending.size() >= MAX_PENDING) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "wait for the binding's answer");
            }
            pending.add(element);
            return;
        }
        if (link.queued() > settings.maxUnacked()) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "too many unacknowledged stanzas");
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
        switch (element.name()) {
            case "message" -> message(stamped, target.get());
            case "presence" -> presence(stamped, to == null ? Optional.empty() : target);
            default -> iq(stamped, target.get(), to == null);
        }
    }

    private void message(XmlElement message, Jid to) {
        if (!to.domain().equals(settings.domain())) {
            replyError(message, "cancel", "remote-server-not-found");
            return;
        }
        if (to.local().isEmpty()) {
            return; // a message to the server itself: nothing here answers it (RFC 6121 §8.5.1)
        }
        String type = message.attr("type") == null ? "normal" : message.attr("type");
        // XEP-0359 §4: stanza ids only this server may set; XEP-0313: chat and normal messages with a body are archived,
        // and the recipient's copy carries its archive id
        XmlElement clean = message.without("stanza-id", io.telesignal.xmpp.im.MessageArchive.SID_NS);
        boolean archived = context.archive().isPresent() && (type.equals("chat") || type.equals("normal"))
                && clean.child("body", CLIENT).isPresent() && clean.child("no-store", HINTS_NS).isEmpty();
        String archiveId = archived ? context.archive().get().newId() : null;
        // XEP-0280 §7: the private marker is for this server; the recipient gets the message without it
        XmlElement forRecipient = clean.without("private", CARBONS_NS);
        XmlElement delivered = !archived ? forRecipient : forRecipient.toBuilder().add(XmlElement.builder("stanza-id",
                io.telesignal.xmpp.im.MessageArchive.SID_NS).attr("by", to.bare().toString()).attr("id", archiveId).build())
                .build();
        String xml = delivered.toXml();
        // one message at a time per session: a sender's messages reach (or are kept for) each recipient in the order
        // sent (RFC 6120 §10.1), whatever the lookups and deliveries cost
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletionStage<Void> previous = ordered;
        ordered = done;
        previous.whenComplete((ignored, e) -> {
            CompletionStage<Boolean> routed;
            try {
                routed = route(clean, to, type, xml);
            } catch (RuntimeException failed) {
                routed = CompletableFuture.failedFuture(failed);
            }
            routed.whenCompleteAsync((taken, error) -> {
                done.complete(null);
                if (error == null && taken && archived) {
                    var archive = context.archive().get();
                    archive.archive(archive.newId(), user.id(), to, clean);
                    recipientArchive(to, archiveId, delivered);
                }
                if (error != null || !taken) {
                    // no such user, a full store, or a type nobody keeps: the sender is told (RFC 6121 §8.5.2.2.1)
                    replyError(message, "cancel", "service-unavailable");
                }
            }, link.loop());
        });
    }

    /** Delivers a message to its user's resources, or keeps it; answers whether someone took it. */
    private CompletionStage<Boolean> route(XmlElement message, Jid to, String type, String xml) {
        boolean copied = type.equals("chat") && message.child("private", CARBONS_NS).isEmpty()
                && message.child("no-copy", HINTS_NS).isEmpty();
        if (copied) {
            // XEP-0280 §6: what this resource sends, to the user's other resources that asked for carbons
            context.router().toResources(user.id(), Optional.of(endpoint), StanzaRouter.CARBON,
                    carbon("sent", message, jid.bare().toString()));
        }
        return context.router().user(to.local()).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            UserId target = found.get().id();
            CompletionStage<Integer> delivered;
            if (!to.isBare()) {
                delivered = context.router().toResource(target, to.resource(), StanzaRouter.STANZA, xml).thenCompose(o -> {
                    if (o == DeliveryOutcome.DELIVERED && copied) {
                        // XEP-0280 §5: what one resource received, to the recipient's other resources
                        context.router().toResources(target, Optional.of(StanzaRouter.endpointOf(target, to.resource())),
                                StanzaRouter.CARBON, carbon("received", message, to.bare().toString()));
                    }
                    return CompletableFuture.completedFuture(o);
                }).thenCompose(o ->
                        o == DeliveryOutcome.DELIVERED ? CompletableFuture.completedFuture(1)
                                : type.equals("groupchat") ? CompletableFuture.completedFuture(0)
                                : context.router().toResources(target, Optional.empty(), StanzaRouter.STANZA, xml));
            } else if (type.equals("groupchat")) {
                delivered = CompletableFuture.completedFuture(0);
            } else {
                delivered = context.router().toResources(target, Optional.empty(), StanzaRouter.STANZA, xml);
            }
            return delivered.thenCompose(n -> {
                if (n > 0) {
                    return CompletableFuture.completedFuture(true);
                }
                if (type.equals("headline")) {
                    return CompletableFuture.completedFuture(true); // nobody to show it to: dropped (RFC 6121 §8.5.2.1.1)
                }
                if (!type.equals("normal") && !type.equals("chat")) {
                    return CompletableFuture.completedFuture(false);
                }
                // nobody online: kept until the user's next available presence (XEP-0160), stamped XEP-0203
                String kept = message.toBuilder().add(XmlElement.builder("delay", DELAY_NS).attr("from", settings.domain())
                        .attr("stamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString())
                        .build()).build().toXml();
                return context.workers().submit(() -> {
                    try {
                        return context.offline().keep(target, kept, java.time.Instant.now(), settings.maxOfflineMessages());
                    } catch (IllegalArgumentException tooLarge) {
                        return false;
                    }
                });
            });
        });
    }

    /** The recipient's archived copy, under the id its message carried (the user is cached by now). */
    private void recipientArchive(Jid to, String archiveId, XmlElement delivered) {
        Jid sender = jid;
        context.router().user(to.local()).thenAccept(found -> found.ifPresent(recipient ->
                context.archive().get().archive(archiveId, recipient.id(), sender, delivered)));
    }

    /** XEP-0280: the message forwarded (XEP-0297) inside {@code <sent/>} or {@code <received/>}, from the bare JID. */
    private static String carbon(String direction, XmlElement message, String bare) {
        return XmlElement.builder("message", CLIENT).attr("from", bare).attr("type", message.attr("type"))
                .add(XmlElement.builder(direction, CARBONS_NS).add(XmlElement.builder("forwarded", FORWARD_NS)
                        .add(message).build()).build()).build().toXml();
    }

    private void presence(XmlElement presence, Optional<Jid> to) {
        String type = presence.attr("type");
        if (to.isEmpty()) {
            if (type == null || type.equals("unavailable")) {
                boolean initial = lastPresence == null && type == null;
                lastPresence = type == null ? presence : null;
                context.presence().update(user.id(), endpoint, new Presence(type == null ? status(presence)
                        : PresenceStatus.OFFLINE, note(presence)));
                if (type != null) {
                    context.presence().endpointGone(user.id(), endpoint);
                }
                broadcast(presence, initial);
            }
            return; // subscription requests without a contact, probes and errors: nothing to do
        }
        Jid target = to.get();
        if (type != null && List.of("subscribe", "subscribed", "unsubscribe", "unsubscribed").contains(type)) {
            // RFC 6121 §3: always from the bare JID, through both rosters
            User self = user;
            Jid contact = target.bare();
            context.workers().submit(() -> {
                context.rosters().outbound(self, type, contact);
                return null;
            }).exceptionally(e -> {
                LOG.warn("event=xmpp_subscription_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
                return null;
            });
            return;
        }
        if (!target.domain().equals(settings.domain()) || target.local().isEmpty()) {
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
        User self = user;
        Jid full = jid;
        EndpointId own = endpoint;
        if (initial) {
            context.router().toResources(self.id(), Optional.of(own), StanzaRouter.PROBE,
                    io.telesignal.xmpp.im.RosterService.probe(self.id(), full));
        }
        context.workers().submit(() -> {
            for (var contact : context.rosters().subscribers(self.id())) {
                context.router().toResources(contact.user(), Optional.empty(), StanzaRouter.STANZA,
                        presence.with("to", contact.jid()).toXml());
            }
            if (initial) {
                for (var contact : context.rosters().subscriptions(self.id())) {
                    watch(contact.user(), contact.jid());
                    context.router().toResources(contact.user(), Optional.empty(), StanzaRouter.PROBE,
                            io.telesignal.xmpp.im.RosterService.probe(self.id(), full));
                }
                for (XmlElement request : context.rosters().pendingRequests(self)) {
                    context.router().toResource(self.id(), full.resource(), StanzaRouter.STANZA, request.toXml());
                }
                deliverOffline(self.id(), full.resource());
            }
            return null;
        }).exceptionally(e -> {
            LOG.warn("event=xmpp_broadcast_failed user={} error={}", self.id().value(), e.getClass().getSimpleName());
            return null;
        });
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
        if (stage == Stage.BOUND && contactJid != null) {
            link.send(stanza.with("from", contactJid + "/" + io.telesignal.xmpp.im.CorePresence.RESOURCE)
                    .with("to", jid.toString()));
        }
    }

    /**
     * The messages kept while the user was away, to this resource, oldest first: claimed in batches for a minute (no
     * other connection of the user delivers them meanwhile), sent, then deleted; what this resource cannot take is
     * released for the next one. On a worker.
     */
    private void deliverOffline(UserId owner, String resource) {
        String claimer = endpoint.value();
        for (int batch = 0; batch < 1000; batch++) {
            java.time.Instant now = java.time.Instant.now();
            var messages = context.offline().claim(owner, claimer, now, now.plusSeconds(60), 100);
            if (messages.isEmpty()) {
                return;
            }
            List<Long> delivered = new java.util.ArrayList<>();
            for (var kept : messages) {
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
        context.router().toResources(user.id(), Optional.empty(), StanzaRouter.STANZA,
                presence.with("to", jid.bare().toString()).toXml());
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
        if ("error".equals(stanza.attr("type")) || "result".equals(stanza.attr("type"))) {
            return; // never an error about an error (RFC 6120 §8.3.1), nor about a result
        }
        link.send(error(stanza, type, condition, jid));
    }

    /** RFC 6120 §8.3: the stanza sent back with {@code type='error'}, addresses swapped, and the condition. */
    private XmlElement error(XmlElement stanza, String type, String condition, Jid to) {
        XmlElement.Builder reply = XmlElement.builder(stanza.name(), CLIENT).attr("type", "error")
                .attr("id", stanza.attr("id"));
        if (stanza.attr("to") != null) {
            reply.attr("from", stanza.attr("to"));
        }
        if (to != null) {
            reply.attr("to", to.toString());
        }
        return reply.add(XmlElement.builder("error", CLIENT).attr("type", type).add(condition, STANZAS_NS).build()).build();
    }
}

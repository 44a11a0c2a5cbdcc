package io.telesignal.xmpp.component;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.DoorMessage;
import io.telesignal.core.routing.EndpointSink;
import io.telesignal.xmpp.stream.C2sSession;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.stream.StanzaBucket;
import io.telesignal.xmpp.stream.Stanzas;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One external component's stream (XEP-0114, {@code jabber:component:accept}): the header names the component's
 * domain, the component proves it knows the secret ({@code <handshake/>}: the hex SHA-1 of the stream id and the
 * secret; failures throttled and audited), then exchanges stanzas. What it sends must come from its domain; what goes
 * to this server's users is routed as any client's stanza (offline storage for chat and normal messages included), to
 * another component passed on, anywhere else refused ({@code remote-server-not-found}: no server-to-server). On the
 * connection's event loop; store work on the workers.
 */
final class ComponentSession {
    private static final Logger LOG = LoggerFactory.getLogger(ComponentSession.class);
    private static final String CLIENT = XmlStreamParser.CLIENT_NS;
    private static final String CLIENT_DECLARED = " xmlns=\"" + CLIENT + "\"";
    private static final String STREAMS_NS = "urn:ietf:params:xml:ns:xmpp-streams";

    /** Where the session writes: its connection. */
    interface Output {
        void write(String text);

        /** Closes the connection once what was written is out. */
        void close();

        ScheduledExecutorService loop();

        String remoteAddress();
    }

    private enum Stage { HEADER, HANDSHAKE, CHECKING, READY, CLOSED }

    private final C2sSession.Context context;
    private final Components components;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    private final Output out;
    private final StanzaBucket bucket;
    private final String id;
    private Stage stage = Stage.HEADER;
    private boolean headerSent;
    private String domain = "";
    /** Stanzas a component sent before its handshake was answered: handled once it is. */
    private final ArrayDeque<XmlElement> held = new ArrayDeque<>();

    ComponentSession(C2sSession.Context context, Components components, SignInThrottle throttle, AuditTrail audit,
            Output out) {
        this.context = context;
        this.components = components;
        this.throttle = throttle;
        this.audit = audit;
        this.out = out;
        this.bucket = new StanzaBucket(components.settings().stanzaRate(), components.settings().stanzaBurst(),
                System::nanoTime);
        byte[] bytes = new byte[16];
        context.random().nextBytes(bytes);
        this.id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void streamOpened(XmlElement header) throws StreamErrorException {
        if (stage != Stage.HEADER) {
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "one stream per connection");
        }
        String to = header.attr("to");
        domain = to == null ? "" : to.strip().toLowerCase(Locale.ROOT);
        sendHeader();
        if (!components.serves(domain)) {
            throw new StreamErrorException(StreamErrorCondition.HOST_UNKNOWN, "no component is configured for this domain");
        }
        stage = Stage.HANDSHAKE;
    }

    private void sendHeader() {
        if (!headerSent) {
            headerSent = true;
            out.write("<?xml version='1.0'?><stream:stream xmlns='" + Components.NS + "' xmlns:stream='"
                    + XmlElement.STREAM_NS + "' id='" + id + "' from='"
                    + XmlElement.escape(components.serves(domain) ? domain : context.settings().domain()) + "'>");
        }
    }

    void element(XmlElement element) throws StreamErrorException {
        switch (stage) {
            case HANDSHAKE -> handshake(element);
            case CHECKING -> {
                if (held.size() >= components.settings().stanzaBurst()) {
                    throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "too many stanzas before the handshake");
                }
                held.add(element);
            }
            case READY -> stanza(element);
            default -> throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "no stream");
        }
    }

    void streamClosed() {
        close();
    }

    /** XEP-0114 §3: the component's proof; answered {@code <handshake/>}, or the stream ends {@code not-authorized}. */
    private void handshake(XmlElement element) throws StreamErrorException {
        if (!element.is("handshake", Components.NS)) {
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "handshake first");
        }
        stage = Stage.CHECKING;
        String proof = element.text().strip().toLowerCase(Locale.ROOT);
        String login = "component:" + domain;
        String address = out.remoteAddress();
        throttle.retryAfter(login, address).whenCompleteAsync((wait, failure) -> {
            if (stage != Stage.CHECKING) {
                return;
            }
            if (failure != null || wait.isPresent()) {
                audit.record(AuditEvent.of("auth.component", login, Outcome.DENIED).remoteAddress(address)
                        .reason(failure != null ? "throttle_unavailable" : "too_many_attempts"));
                fail(new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "too many failed handshakes"));
                return;
            }
            byte[] expected = sha1Hex(id + components.secret(domain).orElseThrow()).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(expected, proof.getBytes(StandardCharsets.US_ASCII))) {
                throttle.failed(login, address);
                audit.record(AuditEvent.of("auth.component", login, Outcome.FAILED).remoteAddress(address)
                        .reason("bad_secret"));
                fail(new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "the handshake does not match"));
                return;
            }
            components.connect(domain, sink(), address).whenCompleteAsync((taken, error) -> {
                if (stage != Stage.CHECKING) {
                    if (error == null && Boolean.TRUE.equals(taken)) {
                        components.disconnect(domain); // the connection went meanwhile
                    }
                    return;
                }
                if (error != null || !taken) {
                    fail(new StreamErrorException(error != null ? StreamErrorCondition.INTERNAL_SERVER_ERROR
                            : StreamErrorCondition.CONFLICT, error != null ? "internal error"
                            : "another connection serves this domain"));
                    return;
                }
                throttle.succeeded(login);
                audit.record(AuditEvent.of("auth.component", login, Outcome.OK).remoteAddress(address));
                LOG.info("event=xmpp_component_connected domain={} remote={}", domain, address);
                stage = Stage.READY;
                out.write("<handshake/>");
                while (!held.isEmpty() && stage == Stage.READY) {
                    try {
                        stanza(held.poll());
                    } catch (StreamErrorException e) {
                        fail(e);
                    }
                }
            }, out.loop());
        }, out.loop());
    }

    static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 missing", e);
        }
    }

    // ---- stanzas

    private void stanza(XmlElement element) throws StreamErrorException {
        if (!element.namespace().equals(Components.NS)
                || !List.of("message", "presence", "iq").contains(element.name())) {
            throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "message, presence and iq only");
        }
        String fromText = element.attr("from");
        Optional<Jid> from = fromText == null ? Jid.parse(domain) : Jid.parse(fromText);
        if (from.isEmpty() || !from.get().domain().equals(domain)) {
            throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "from must be at " + domain);
        }
        XmlElement stanza = inClient(element).with("from", from.get().toString());
        if (!bucket.take()) {
            if (bucket.overdrawn()) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "too many stanzas");
            }
            if (!stanza.name().equals("presence") && Stanzas.answerable(stanza)) {
                send(Stanzas.error(stanza, "wait", "resource-constraint", from.get()));
            }
            return;
        }
        String toText = element.attr("to");
        Optional<Jid> to = toText == null ? Jid.parse(context.settings().domain()) : Jid.parse(toText);
        if (to.isEmpty()) {
            if (answerable(stanza)) {
                send(Stanzas.error(stanza, "modify", "jid-malformed", from.get()));
            }
            return;
        }
        route(stanza, from.get(), to.get());
    }

    /** Whether the stanza may be answered with an error: a request or a message, never presence, errors or results. */
    private static boolean answerable(XmlElement stanza) {
        return !stanza.name().equals("presence") && Stanzas.answerable(stanza);
    }

    private void route(XmlElement stanza, Jid from, Jid to) {
        if (components.serves(to.domain())) {
            components.forward(stanza, to, from, this::reply);
            return;
        }
        if (!to.domain().equals(context.settings().domain())) {
            if (answerable(stanza)) {
                send(Stanzas.error(stanza, "cancel", "remote-server-not-found", from));
            }
            return;
        }
        if (to.local().isEmpty()) {
            // the server itself offers a component nothing (its users' services are theirs)
            if (answerable(stanza)) {
                send(Stanzas.error(stanza, "cancel", "service-unavailable", from));
            }
            return;
        }
        context.router().user(to.local()).thenCompose(user -> {
            if (user.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            return switch (stanza.name()) {
                case "iq" -> to.isBare() ? CompletableFuture.completedFuture(false)
                        : context.router().toResource(user.get().id(), to.resource(), Components.STANZA, stanza.toXml())
                                .thenApply(outcome -> outcome == DeliveryOutcome.DELIVERED);
                case "presence" -> (to.isBare()
                        ? context.router().toResources(user.get().id(), Optional.empty(), Components.STANZA, stanza.toXml())
                        : context.router().toResource(user.get().id(), to.resource(), Components.STANZA, stanza.toXml())
                                .thenApply(outcome -> outcome == DeliveryOutcome.DELIVERED ? 1 : 0))
                        .thenApply(n -> true);
                default -> message(stanza, from, to, user.get().id());
            };
        }).whenCompleteAsync((taken, failure) -> {
            if ((failure != null || !taken) && answerable(stanza)) {
                send(Stanzas.error(stanza, "cancel", "service-unavailable", from));
            }
        }, out.loop());
    }

    /**
     * A message to a user (RFC 6121 §8.5): to its resource, or (chat, normal, headline) to its other resources when
     * that one is gone; to all of them for a bare address; kept offline, stamped, when nobody took a chat or normal one.
     */
    private CompletionStage<Boolean> message(XmlElement message, Jid from, Jid to, UserId user) {
        String type = message.attr("type") == null ? "normal" : message.attr("type");
        String xml = message.toXml();
        CompletionStage<Integer> delivered = to.isBare() ? CompletableFuture.completedFuture(0)
                : context.router().toResource(user, to.resource(), Components.STANZA, xml)
                        .thenApply(outcome -> outcome == DeliveryOutcome.DELIVERED ? 1 : 0);
        return delivered.thenCompose(n -> {
            if (n > 0) {
                return CompletableFuture.completedFuture(1);
            }
            if (!to.isBare() && (type.equals("groupchat") || type.equals("error"))) {
                return CompletableFuture.completedFuture(0);
            }
            return context.router().toResources(user, Optional.empty(), Components.STANZA, xml);
        }).thenCompose(n -> {
            if (n > 0 || type.equals("headline") || type.equals("error")) {
                return CompletableFuture.completedFuture(true); // nobody to show a headline or an error to: dropped
            }
            if (!type.equals("chat") && !type.equals("normal")) {
                return CompletableFuture.completedFuture(false);
            }
            return context.keepOffline(user, from, message);
        });
    }

    /** Writes a stanza (built in {@code jabber:client}) to the component, in its stream's namespace. On the loop. */
    private void send(XmlElement stanza) {
        if (stage == Stage.READY) {
            out.write(inComponent(stanza.toXml()));
        }
    }

    /** As {@link #send}, from any thread. */
    private void reply(XmlElement stanza) {
        out.loop().execute(() -> send(stanza));
    }

    /** Where the router hands this component its stanzas, from any thread. */
    private EndpointSink sink() {
        return (CoreEvent event) -> {
            CompletableFuture<DeliveryOutcome> taken = new CompletableFuture<>();
            out.loop().execute(() -> {
                if (event instanceof DoorMessage probe && probe.kind().equals(Components.PROBE)
                        && (stage == Stage.CHECKING || stage == Stage.READY)) {
                    taken.complete(DeliveryOutcome.DELIVERED); // here, signed in or signing in: the domain is taken
                } else if (stage != Stage.READY || !(event instanceof DoorMessage message)) {
                    taken.complete(DeliveryOutcome.REFUSED);
                } else if (message.kind().equals(Components.STANZA)) {
                    out.write(inComponent(message.body()));
                    taken.complete(DeliveryOutcome.DELIVERED);
                } else {
                    taken.complete(DeliveryOutcome.REFUSED);
                }
            });
            return taken;
        };
    }

    /** The element with {@code jabber:component:accept} turned into {@code jabber:client} wherever it is used. */
    static XmlElement inClient(XmlElement element) {
        XmlElement.Builder copy = XmlElement.builder(element.name(),
                element.namespace().equals(Components.NS) ? CLIENT : element.namespace());
        element.attributes().forEach(copy::attr);
        for (Object child : element.children()) {
            if (child instanceof XmlElement inner) {
                copy.add(inClient(inner));
            } else {
                copy.text(String.valueOf(child));
            }
        }
        return copy.build();
    }

    /**
     * A stanza this server serialised in {@code jabber:client}, declared on its start tag, in the component's namespace:
     * only the start tag's declaration changes (what it forwards, carbons say, stays in {@code jabber:client}).
     */
    static String inComponent(String xml) {
        int end = xml.indexOf('>');
        int at = xml.indexOf(CLIENT_DECLARED);
        if (at < 0 || at > end) {
            return xml;
        }
        return xml.substring(0, at) + " xmlns=\"" + Components.NS + "\"" + xml.substring(at + CLIENT_DECLARED.length());
    }

    /** Ends the stream with a stream error (RFC 6120 §4.9). */
    void fail(StreamErrorException error) {
        if (stage == Stage.CLOSED) {
            return;
        }
        sendHeader();
        StringBuilder text = new StringBuilder("<stream:error><").append(error.condition().elementName())
                .append(" xmlns='").append(STREAMS_NS).append("'/>");
        if (error.getMessage() != null) {
            text.append("<text xmlns='").append(STREAMS_NS).append("' xml:lang='en'>")
                    .append(XmlElement.escape(error.getMessage())).append("</text>");
        }
        out.write(text.append("</stream:error>").toString());
        LOG.info("event=xmpp_component_stream_error condition={} domain={} remote={}", error.condition().elementName(),
                domain, out.remoteAddress());
        close();
    }

    /** The stream ends: its close written, the component's endpoint let go. */
    void close() {
        if (stage == Stage.CLOSED) {
            return;
        }
        boolean registered = stage == Stage.READY;
        stage = Stage.CLOSED;
        out.write("</stream:stream>");
        out.close();
        if (registered) {
            components.disconnect(domain);
            LOG.info("event=xmpp_component_disconnected domain={}", domain);
        }
    }

    /** The connection closed under the stream. */
    void connectionClosed() {
        if (stage != Stage.CLOSED) {
            boolean registered = stage == Stage.READY;
            stage = Stage.CLOSED;
            if (registered) {
                components.disconnect(domain);
                LOG.info("event=xmpp_component_disconnected domain={}", domain);
            }
        }
    }
}

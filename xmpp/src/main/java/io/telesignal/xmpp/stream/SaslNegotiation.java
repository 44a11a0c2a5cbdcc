package io.telesignal.xmpp.stream;

import io.telesignal.core.device.ScramAlgorithm;
import io.telesignal.xmpp.XmppSettings;
import io.telesignal.xmpp.sasl.DeviceSignIn;
import io.telesignal.xmpp.sasl.ScramExchange;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SASL negotiation of one stream (RFC 6120 §6): SCRAM-SHA-256 and SCRAM-SHA-1 (with -PLUS when the connection
 * binds), PLAIN under TLS, OAUTHBEARER; failures delayed and counted, the stream ended after too many. Its session
 * does the work on the workers and takes the user once signed in. On the session's loop only.
 */
final class SaslNegotiation {
    private static final String SASL_NS = C2sSession.SASL_NS;

    private final C2sSession session;
    private final C2sSession.Context context;
    private final XmppSettings settings;
    private final Link link;
    private ScramExchange scram;
    private boolean bearerFailed;
    private int failedAttempts;

    SaslNegotiation(C2sSession session, C2sSession.Context context, Link link) {
        this.session = session;
        this.context = context;
        this.settings = context.settings();
        this.link = link;
    }

    void handle(XmlElement element) throws StreamErrorException {
        if (!element.namespace().equals(SASL_NS)) {
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "authenticate first");
        }
        if (session.authenticating) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "one SASL step at a time");
        }
        switch (element.name()) {
            case "auth" -> auth(element);
            case "response" -> response(element);
            case "abort" -> {
                scram = null;
                saslFailure("aborted", false);
            }
            default -> throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, "not a SASL element");
        }
    }

    private void auth(XmlElement auth) throws StreamErrorException {
        String mechanism = String.valueOf(auth.attr("mechanism"));
        Optional<byte[]> initial = decode(auth.text());
        if (initial.isEmpty()) {
            saslFailure("incorrect-encoding", true);
            return;
        }
        boolean plus = mechanism.endsWith("-PLUS");
        Optional<ScramAlgorithm> algorithm = ScramAlgorithm.byMechanism(plus
                ? mechanism.substring(0, mechanism.length() - 5) : mechanism);
        Optional<byte[]> binding = link.tlsServerEndPoint();
        if (algorithm.isPresent() && (!plus || binding.isPresent())) {
            scram = new ScramExchange(algorithm.get(), plus, binding);
            String username;
            try {
                username = scram.clientFirst(initial.get());
            } catch (IllegalArgumentException e) {
                scram = null;
                saslFailure(e.getMessage(), true);
                return;
            }
            if (!ownAuthzid(scram.authzid(), username)) {
                scram = null;
                saslFailure("invalid-authzid", true);
                return;
            }
            session.work(() -> context.signIn().scramParameters(username), parameters -> {
                byte[] challenge = scram.serverFirst(parameters, context.random());
                link.send(XmlElement.builder("challenge", SASL_NS)
                        .text(Base64.getEncoder().encodeToString(challenge)).build());
            });
        } else if (mechanism.equals("PLAIN") && settings.plain() && link.secure()) {
            plain(initial.get());
        } else if (mechanism.equals("OAUTHBEARER") && link.secure()) {
            oauthBearer(initial.get());
        } else {
            saslFailure("invalid-mechanism", false);
        }
    }

    private void response(XmlElement response) throws StreamErrorException {
        if (bearerFailed) {
            // RFC 7628 §3.2.3: the client acknowledged the error challenge; now the failure
            bearerFailed = false;
            saslFailure("not-authorized", true);
            return;
        }
        if (scram == null) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "no SASL exchange in progress");
        }
        Optional<byte[]> message = decode(response.text());
        if (message.isEmpty()) {
            scram = null;
            saslFailure("incorrect-encoding", true);
            return;
        }
        ScramExchange exchange = scram;
        ScramExchange.Final last;
        try {
            last = exchange.clientFinal(message.get());
        } catch (IllegalArgumentException e) {
            scram = null;
            saslFailure(e.getMessage(), true);
            return;
        }
        String username = exchange.username();
        session.work(() -> context.signIn().scram(username, exchange.algorithm(), last.authMessage(), last.proof(),
                link.remoteAddress()), outcome -> {
            scram = null;
            if (outcome instanceof DeviceSignIn.Outcome.SignedIn in) {
                byte[] serverKey = in.device().scram(exchange.algorithm()).orElseThrow().serverKey();
                session.succeed(in.user(), exchange.serverFinal(serverKey, last.authMessage()));
            } else {
                saslFailure(((DeviceSignIn.Outcome.Refused) outcome).condition(), true);
            }
        });
    }

    /** RFC 4616: {@code [authzid] NUL authcid NUL passwd}. */
    private void plain(byte[] message) throws StreamErrorException {
        String text = new String(message, StandardCharsets.UTF_8);
        String[] parts = text.split("\0", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            saslFailure("malformed-request", true);
            return;
        }
        if (!ownAuthzid(parts[0], parts[1])) {
            saslFailure("invalid-authzid", true);
            return;
        }
        char[] password = parts[2].toCharArray();
        session.work(() -> {
            try {
                return context.signIn().plain(parts[1], password, link.remoteAddress());
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        }, outcome -> {
            if (outcome instanceof DeviceSignIn.Outcome.SignedIn in) {
                session.succeed(in.user(), new byte[0]);
            } else {
                saslFailure(((DeviceSignIn.Outcome.Refused) outcome).condition(), true);
            }
        });
    }

    /**
     * RFC 7628 §3.1: {@code gs2-header kvsep *(kvpair kvsep) kvsep}, with {@code auth=Bearer <token>}. A refused token
     * gets the error challenge (§3.2.2), then the failure once the client answers it.
     */
    private void oauthBearer(byte[] message) throws StreamErrorException {
        String text = new String(message, StandardCharsets.UTF_8);
        String[] parts = text.split(",", 3);
        if (parts.length != 3 || !(parts[0].equals("n") || parts[0].equals("y")) || !parts[2].startsWith("\u0001")
                || !parts[2].endsWith("\u0001\u0001")) {
            saslFailure("malformed-request", true);
            return;
        }
        String authzid = parts[1].isEmpty() ? "" : parts[1].startsWith("a=") ? parts[1].substring(2) : null;
        String token = null;
        for (String pair : parts[2].split("\u0001")) {
            if (pair.regionMatches(true, 0, "auth=Bearer ", 0, 12)) {
                token = pair.substring(12).strip();
            }
        }
        if (authzid == null || token == null || token.isEmpty()) {
            saslFailure("malformed-request", true);
            return;
        }
        String bearer = token;
        session.work(() -> context.signIn().token(bearer, link.remoteAddress()), found -> {
            if (found.isPresent() && ownAuthzid(authzid, found.get().login().value())) {
                session.succeed(found.get(), new byte[0]);
            } else {
                bearerFailed = true;
                link.send(XmlElement.builder("challenge", SASL_NS).text(Base64.getEncoder().encodeToString(
                        "{\"status\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8))).build());
            }
        });
    }

    /** An authorization identity is allowed only when it is the authenticating user's own bare JID. */
    private boolean ownAuthzid(String authzid, String username) {
        return authzid.isEmpty() || Jid.parse(authzid).map(j -> j.isBare() && j.domain().equals(settings.domain())
                && j.local().equalsIgnoreCase(username)).orElse(false);
    }

    /**
     * A SASL failure, answered after {@code xmpp.authFailureDelay} when it was a wrong credential; the stream ends
     * with {@code policy-violation} after {@code xmpp.maxAuthAttempts} of them.
     */
    private void saslFailure(String condition, boolean counts) throws StreamErrorException {
        XmlElement failure = XmlElement.builder("failure", SASL_NS).add(condition, SASL_NS).build();
        if (!counts) {
            link.send(failure);
            return;
        }
        failedAttempts++;
        session.authenticating = true;
        link.loop().schedule(() -> {
            session.authenticating = false;
            if (!session.negotiatingSasl()) {
                return;
            }
            link.send(failure);
            if (failedAttempts >= settings.maxAuthAttempts()) {
                session.fail(new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "too many failed authentication attempts"));
            }
        }, settings.authFailureDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Optional<byte[]> decode(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.equals("=")) {
            return Optional.of(new byte[0]);
        }
        try {
            return Optional.of(Base64.getDecoder().decode(trimmed));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

}

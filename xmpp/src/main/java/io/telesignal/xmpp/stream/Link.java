package io.telesignal.xmpp.stream;

import io.telesignal.xmpp.xml.XmlElement;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link C2sSession} needs of its transport: TCP (RFC 6120 streams, STARTTLS) or WebSocket (RFC 7395 framing).
 * Called on the connection's event loop only.
 */
public interface Link {
    /** Writes the server's stream header ({@code <stream:stream>} or {@code <open/>}). */
    void openStream(String id, String domain);

    /** Writes one top-level element. */
    void send(XmlElement element);

    /** Writes an element already serialised with its namespace (a routed stanza). */
    void sendSerialized(String xml);

    /** Writes the end of the stream and closes the connection once it is written. */
    void closeStream();

    /** Whether the connection is encrypted (direct TLS, a completed STARTTLS, or WSS). */
    boolean secure();

    /** Whether this transport can still negotiate TLS in the stream (TCP before STARTTLS). */
    boolean canStartTls();

    /** Starts TLS right after the {@code <proceed/>} already written; the parser restarts with it. */
    void startTls();

    /** Starts a new stream after the element being handled (SASL success). */
    void restartStream();

    String remoteAddress();

    /** RFC 5929 {@code tls-server-end-point} data of this connection's TLS, when it has one (SCRAM -PLUS). */
    default java.util.Optional<byte[]> tlsServerEndPoint() {
        return java.util.Optional.empty();
    }

    /**
     * From now on the elements this connection reads go to {@code session} (a stream management resume moved it onto
     * this connection).
     */
    void handOver(C2sSession session);

    /** The connection's event loop: work from other threads comes back on it. */
    ScheduledExecutorService loop();
}

package io.telesignal.sip.transport;

import java.net.InetSocketAddress;

/**
 * Where a message came from, and the way back: the transport it came on, the peer's address as seen (after a trusted
 * proxy's word, if any), and for a stream the connection it came on (RFC 3261 §18.2.2: a response goes back on it).
 */
public interface Flow {
    /** {@code UDP}, {@code TCP}, {@code TLS} or {@code WS}/{@code WSS}, as in a Via. */
    String transport();

    InetSocketAddress remote();

    /** Whether the transport is reliable (no retransmissions over it, RFC 3261 §17). */
    boolean reliable();

    /** Sends bytes to the peer the way it came: the connection for a stream, the source address for a datagram. */
    void send(byte[] message);

    /** What names this flow on its node: the transport and the peer's address (a connection's, or a datagram's source). */
    default FlowKey key() {
        return new FlowKey(transport(), remote());
    }
}

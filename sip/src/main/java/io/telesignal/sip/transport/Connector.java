package io.telesignal.sip.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * How the proxy reaches a next hop: over UDP from the listening socket; over a stream on the connection already open
 * to that address (RFC 3261 §18.1.1: reused, whoever opened it), else a new one where the transport can open one. A
 * stream flow the peer opened and closed since fails: only the peer can open it again (RFC 5626 §5.3).
 */
public interface Connector {
    /** A flow to {@code address} over {@code transport} ({@code UDP}, {@code TCP}, {@code TLS}, {@code WS}...). */
    CompletionStage<Flow> flow(String transport, InetSocketAddress address);

    /**
     * The flow {@code key} names, as it is: over a stream the open connection, never a new one (a peer's inbound flow
     * cannot be opened again from here: it fails as gone); over UDP the same as {@link #flow}.
     */
    default CompletionStage<Flow> existing(FlowKey key) {
        return flow(key);
    }

    /** The flow a key names, as {@link #flow} finds or makes it. */
    default CompletionStage<Flow> flow(FlowKey key) {
        return flow(key.transport(), key.address());
    }
}

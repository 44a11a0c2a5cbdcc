package io.telesignal.sip.transport;

import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.websocket.WebSocketConnection;
import io.telesignal.net.websocket.WebSocketEndpoint;
import io.telesignal.net.websocket.WebSocketHandler;
import io.telesignal.sip.message.SipMessage;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * SIP over WebSocket (RFC 7118) at {@code /sip} on the HTTP listener, subprotocol {@code sip}: one SIP message per
 * WebSocket message, text or binary (§5), never framed by Content-Length. The connection is the flow: responses and
 * every request for a phone registered over it go back on it (§5.2; a browser cannot be reached any other way), as
 * {@code WS} or {@code WSS} in Vias. Nobody can open a WebSocket to a browser: a flow that has closed has failed.
 */
public final class SipWebSocketEndpoint implements WebSocketEndpoint, Connector {
    private final SipParser parser;
    private final SipHandler handler;
    private final AddressLimiter limiter;
    private final String transport;
    private final ConcurrentMap<InetSocketAddress, Flow> flows = new ConcurrentHashMap<>();

    /** @param secure whether the HTTP listener is HTTPS: the transport is then {@code WSS}, else {@code WS} */
    public SipWebSocketEndpoint(SipParser parser, SipHandler handler, AddressLimiter limiter, boolean secure) {
        this.parser = parser;
        this.handler = handler;
        this.limiter = limiter;
        this.transport = secure ? "WSS" : "WS";
    }

    public String transport() {
        return transport;
    }

    public int openConnections() {
        return flows.size();
    }

    @Override
    public WebSocketHandler open(WebSocketConnection connection, HttpRequest upgrade) {
        InetSocketAddress remote = upgrade.remoteAddress();
        Flow flow = new Flow() {
            @Override
            public String transport() {
                return transport;
            }

            @Override
            public InetSocketAddress remote() {
                return remote;
            }

            @Override
            public boolean reliable() {
                return true;
            }

            @Override
            public void send(byte[] message) {
                connection.send(new String(message, StandardCharsets.UTF_8));
            }
        };
        flows.put(remote, flow);
        return new WebSocketHandler() {
            @Override
            public void onText(String text) {
                receive(text.getBytes(StandardCharsets.UTF_8), flow);
            }

            @Override
            public boolean onBinary(byte[] data) {
                receive(data, flow);
                return true;
            }

            @Override
            public void onClose(int code) {
                flows.remove(remote, flow);
            }
        };
    }

    private void receive(byte[] bytes, Flow flow) {
        if (Inbound.isKeepalive(bytes)) {
            return;
        }
        SipMessage message;
        try {
            message = parser.parseDatagram(bytes); // one message per WebSocket message (RFC 7118 §5)
        } catch (SipParseException e) {
            handler.refused(e, bytes, flow);
            return;
        }
        Inbound.deliverLimited(message, flow, handler, limiter);
    }

    /** Only the WebSocket a browser opened reaches it. */
    @Override
    public CompletionStage<Flow> flow(String transport, InetSocketAddress address) {
        return existing(new FlowKey(transport, address));
    }

    @Override
    public CompletionStage<Flow> existing(FlowKey key) {
        Flow open = flows.get(key.address());
        return open != null ? CompletableFuture.completedFuture(open)
                : CompletableFuture.failedFuture(new FlowFailedException("the WebSocket is closed", true));
    }
}

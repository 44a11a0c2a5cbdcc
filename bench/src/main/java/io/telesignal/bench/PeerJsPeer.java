package io.telesignal.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A bench session in the PeerJS server's protocol, as the {@code peerjs} browser library speaks it: the id and
 * token in the URL, {@code OPEN} from the server when the id is registered, {@code OFFER}/{@code ANSWER}/
 * {@code CANDIDATE} with {@code dst} and a payload ({@code sdp} or {@code candidate}, {@code type},
 * {@code connectionId}), relayed with {@code src} added; a {@code HEARTBEAT} every 5 s. The bare relay (the floor)
 * is driven with the same frames. Nothing here goes into the server.
 */
final class PeerJsPeer extends BenchPeer {
    private static final long HEARTBEAT_NANOS = 5_000_000_000L;
    private final String connectionId;
    private long lastHeartbeat = System.nanoTime();

    PeerJsPeer(Pair pair, boolean provider, String id) {
        super(pair, provider);
        this.endpoint = id;
        this.connectionId = "mc_" + pair.consultation;
    }

    @Override
    String subprotocol() {
        return null;
    }

    @Override
    void signal(String to, Kind kind, String value) {
        String type = kind == Kind.OFFER ? "OFFER" : kind == Kind.ANSWER ? "ANSWER" : "CANDIDATE";
        String field = kind == Kind.CANDIDATE ? "candidate" : "sdp";
        write("{\"type\":\"" + type + "\",\"payload\":{\"" + field + "\":" + value
                + ",\"type\":\"media\",\"connectionId\":\"" + connectionId + "\"},\"dst\":\"" + to + "\"}");
    }

    @Override
    boolean isDescription(String text) {
        return text.startsWith("{\"type\":\"OFFER\"") || text.startsWith("{\"type\":\"ANSWER\"");
    }

    @Override
    void tick() {
        long now = System.nanoTime();
        if (now - lastHeartbeat >= HEARTBEAT_NANOS && channel != null && channel.isActive() && welcomed.isDone()) {
            lastHeartbeat = now;
            write("{\"type\":\"HEARTBEAT\"}");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel(); // the server speaks first: OPEN
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            welcomed.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame textFrame) {
            String text = textFrame.text();
            if (text.startsWith("{\"type\":\"OFFER\"") || text.startsWith("{\"type\":\"ANSWER\"")
                    || text.startsWith("{\"type\":\"CANDIDATE\"")) {
                pair.delivered(this, text);
            } else if (text.startsWith("{\"type\":\"HEARTBEAT\"")) {
                return; // the bare relay passes its peer's heartbeats on
            } else if (text.startsWith("{\"type\":\"OPEN\"")) {
                welcomed.complete(this);
            } else if (!welcomed.isDone()) {
                welcomed.completeExceptionally(new IllegalStateException("refused: " + text));
            } else {
                pair.stats().error(Signals.field(text, "type"));
            }
        } else if (frame instanceof CloseWebSocketFrame close && !closing) {
            pair.stats().unexpectedClose(close.statusCode());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!closing) {
            pair.stats().connectionLost();
            welcomed.completeExceptionally(new IllegalStateException("connection closed"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        welcomed.completeExceptionally(cause);
        ctx.close();
    }
}

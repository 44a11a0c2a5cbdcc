package io.telesignal.bench;

import io.netty.channel.Channel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * One end of a {@link Pair}, in the dialect of the server under test: telesignal.v1 ({@link Peer}) or the PeerJS
 * server's (and the bare relay's) ({@link PeerJsPeer}). Runs on its pair's event loop only.
 */
abstract class BenchPeer extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** What a relayed signal carries: a description or a trickled candidate. */
    enum Kind { OFFER, ANSWER, CANDIDATE }

    final Pair pair;
    final boolean provider;
    /** Completes when the server has said the connection is ready ({@code welcome}, {@code OPEN}). */
    final CompletableFuture<BenchPeer> welcomed = new CompletableFuture<>();
    Channel channel;
    /** The address its peer sends to: a telesignal endpoint id, a PeerJS id. */
    String endpoint;
    /** The server it is connected to (or connecting to). */
    URI uri;

    BenchPeer(Pair pair, boolean provider) {
        this.pair = pair;
        this.provider = provider;
    }

    /** The WebSocket subprotocol to ask for; null for none. */
    abstract String subprotocol();

    /** Sends one signal to {@code to}; {@code value} is the JSON object of the description or candidate. */
    abstract void signal(String to, Kind kind, String value);

    /** Whether a relayed signal as received is a description (offer or answer) rather than a candidate. */
    abstract boolean isDescription(String text);

    /** Called every few hundred milliseconds on the pair's loop: acknowledgements, heartbeats. */
    abstract void tick();

    /** Set once the bench ends the connection: its close is expected. */
    boolean closing;

    /** Ends the connection cleanly (close 1000). */
    final void close() {
        closing = true;
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(1000, "bench done"));
        }
    }

    final void write(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(io.netty.buffer.ByteBufUtil.writeUtf8(channel.alloc(), text)));
    }
}

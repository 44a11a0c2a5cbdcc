package io.telesignal.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One bench session: a WebSocket speaking telesignal.v1 as a browser would (hello, join, signal, ack). Every
 * method runs on the channel's event loop, which it shares with its pair's other peer, so nothing is locked.
 * Sharable only in that it is put in a new pipeline when its session is resumed on another connection: it is in one
 * pipeline at a time.
 */
@io.netty.channel.ChannelHandler.Sharable
final class Peer extends BenchPeer {
    final String token;
    private final Map<String, CompletableFuture<String>> pending = new HashMap<>();
    /** Signal requests sent and not answered, by id, resent on a resumed session as the SDK does. */
    private final Map<String, String> unanswered = new java.util.LinkedHashMap<>();
    private String session;
    private String resumeToken;
    /** Set when a lost connection is to be resumed elsewhere (the failover phase); null otherwise. */
    java.util.function.Consumer<Peer> onLost;
    private boolean ready;
    private boolean resuming;
    /** When the connection was lost and when the session was resumed (System.nanoTime; 0 when it was not). */
    volatile long lostAt;
    volatile long resumedAt;
    /** Why a resume was refused, if one was; how often a node said to try again later. */
    volatile String refused;
    volatile int retried;
    private long lastSeq;
    private long ackedSeq;
    private long requests;

    /** With {@code signalAcks: cumulative} (as the SDK says hello): the numbers of signals not yet covered by {@code signaled}. */
    private final java.util.ArrayDeque<Long> uncovered;

    Peer(Pair pair, boolean provider, String token) {
        this(pair, provider, token, true);
    }

    Peer(Pair pair, boolean provider, String token, boolean cumulative) {
        super(pair, provider);
        this.token = token;
        this.uncovered = cumulative ? new java.util.ArrayDeque<>() : null;
    }

    @Override
    String subprotocol() {
        return "telesignal.v1";
    }

    @Override
    boolean isDescription(String text) {
        return Signals.isDescription(text);
    }

    @Override
    void tick() {
        ackIfBehind();
    }

    // ---- setup: request and answer

    /** Sends a request and completes with the text of its result; an error fails it with the error's code. */
    CompletableFuture<String> request(String type, String fields) {
        String id = "s" + (++requests);
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(id, answer);
        write("{\"type\":\"" + type + "\",\"id\":\"" + id + "\"," + fields + ackField() + "}");
        return answer;
    }

    // ---- the load: one signal, numbered in its direction

    @Override
    void signal(String to, Kind kind, String value) {
        String body = (kind == Kind.CANDIDATE ? "\"candidate\":" : "\"description\":") + value;
        long number = ++requests;
        String id = "r" + number;
        if (uncovered != null) {
            uncovered.add(number);
        }
        String text = "{\"type\":\"signal\",\"id\":\"" + id + "\",\"consultation\":\"" + pair.consultation
                + "\",\"to\":\"" + to + "\"," + body;
        if (onLost != null) {
            unanswered.put(id, text + "}"); // kept until answered: a resumed session is sent it again
        }
        if (ready) {
            write(text + ackField() + "}");
        }
    }

    /** Acknowledges what arrived when nothing else was sent to carry it. */
    void ackIfBehind() {
        if (lastSeq > ackedSeq && ready && channel != null && channel.isActive()) {
            ackedSeq = lastSeq;
            channel.writeAndFlush(new TextWebSocketFrame("{\"type\":\"ack\",\"seq\":" + lastSeq + "}"));
            pair.stats().acked();
        }
    }

    private String ackField() {
        if (lastSeq > ackedSeq) {
            ackedSeq = lastSeq;
            return ",\"ack\":" + lastSeq;
        }
        return "";
    }

    // ---- Netty

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel();
            write("{\"type\":\"hello\",\"token\":\"" + token + "\""
                    + (uncovered != null ? ",\"signalAcks\":\"cumulative\"" : "") + (resuming ? ",\"resume\":{\"session\":\""
                    + session + "\",\"resumeToken\":\"" + resumeToken + "\",\"lastSeq\":" + lastSeq + "}" : "") + "}");
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            welcomed.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            onText(text.text());
        } else if (frame instanceof CloseWebSocketFrame close && !closing) {
            pair.stats().unexpectedClose(close.statusCode());
        }
    }

    private void onText(String text) {
        long seq = Signals.seq(text);
        if (seq > lastSeq) {
            lastSeq = seq;
        }
        String type = Signals.field(text, "type");
        if ("signal".equals(type)) {
            pair.delivered(this, text);
        } else if ("signaled".equals(type)) {
            long through = Signals.digits(Signals.field(text, "through"), 1);
            while (!uncovered.isEmpty() && uncovered.peekFirst() <= through) {
                unanswered.remove("r" + uncovered.pollFirst());
                pair.stats().answered();
            }
        } else if ("result".equals(type)) {
            String re = Signals.field(text, "re");
            if (uncovered != null && re != null && re.startsWith("r")) {
                uncovered.remove(Signals.digits(re, 1)); // a repeated signal is answered on its own
            }
            unanswered.remove(re);
            CompletableFuture<String> waiting = pending.remove(Signals.field(text, "re"));
            if (waiting != null) {
                waiting.complete(text);
            } else {
                pair.stats().answered();
            }
        } else if ("error".equals(type)) {
            String code = Signals.field(text, "code");
            String re = Signals.field(text, "re");
            if (re != null) {
                unanswered.remove(re);
                if (uncovered != null && re.startsWith("r")) {
                    uncovered.remove(Signals.digits(re, 1));
                }
            } else if (resuming && code != null && code.startsWith("resume_")) {
                refused = code; // the failover phase counts it; no new session is opened
                resuming = false;
                return;
            } else if (resuming && ("busy".equals(code) || "cluster_unavailable".equals(code))) {
                retried++; // the node pushes back (closing with 1013): try again, as the SDK does
                return;
            }
            CompletableFuture<String> waiting = re == null ? null : pending.remove(re);
            if (waiting != null) {
                waiting.completeExceptionally(new IllegalStateException("error " + code));
            } else if (re == null && !welcomed.isDone()) {
                welcomed.completeExceptionally(new IllegalStateException("hello refused: " + code));
            } else {
                pair.stats().error(code);
            }
        } else if ("welcome".equals(type)) {
            session = Signals.field(text, "session");
            resumeToken = Signals.field(text, "resumeToken");
            ready = true;
            if (resuming) {
                resuming = false;
                resumedAt = System.nanoTime();
                unanswered.values().forEach(this::write); // the server answers a repeated id once
            }
            welcomed.complete(this);
        }
        if (lastSeq - ackedSeq >= 64) {
            ackIfBehind();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ready = false;
        if (!closing && onLost != null && refused == null) {
            // the failover phase: resume the session on another node, as the SDK would through a load balancer
            if (!resuming) {
                lostAt = System.nanoTime();
                resuming = true;
            }
            channel = null;
            onLost.accept(this);
        } else if (!closing) {
            pair.stats().connectionLost();
            welcomed.completeExceptionally(new IllegalStateException("connection closed"));
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("connection closed")));
        }
        super.channelInactive(ctx);
    }

    /** A connection to resume on could not be made: try again (the failover phase). */
    void connectFailed() {
        if (!closing && onLost != null && refused == null) {
            onLost.accept(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        welcomed.completeExceptionally(cause);
        ctx.close();
    }
}

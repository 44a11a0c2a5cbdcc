package io.telesignal.server.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) speaking telesignal.v1, as a test drives it. */
public final class WsClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    /** Messages received but skipped by an earlier {@link #next}; looked at first, in order. */
    private final java.util.Deque<JsonNode> backlog = new java.util.ArrayDeque<>();
    public final List<JsonNode> seen = new ArrayList<>();
    public final CompletableFuture<Integer> closed;
    private WebSocket socket;
    private int requests;

    public static WsClient connect(int port) {
        WsClient client = new WsClient();
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("telesignal.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client.listener).join();
        return client;
    }

    private final io.telesignal.net.websocket.TextMessages listener = new io.telesignal.net.websocket.TextMessages(text -> {
        try {
            inbox.add(JSON.readTree(text));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    });

    private WsClient() {
        this.closed = listener.closed;
    }

    public void send(String json) {
        socket.sendText(json, true).join();
    }

    /** Sends unless the connection is already closed (the server may close it any moment in abuse tests). */
    void trySend(String json) {
        try {
            socket.sendText(json, true).join();
        } catch (java.util.concurrent.CompletionException closedMeanwhile) {
            // the close code is what the test checks
        }
    }

    /** Sends a request with a fresh id; answers the id. */
    public String request(ObjectNode message) {
        String id = "r" + (++requests);
        message.put("id", id);
        send(message.toString());
        return id;
    }

    public static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** A connection that said hello with this token and was welcomed; fails (and closes it) if it was not. */
    public static WsClient welcomed(int port, String token) {
        WsClient client = connect(port);
        JsonNode welcome = client.hello(token);
        if (!welcome.path("type").asText().equals("welcome")) {
            client.close();
            throw new AssertionError("not welcomed: " + welcome);
        }
        return client;
    }

    public JsonNode hello(String token) {
        send(message("hello").put("token", token).toString());
        return next(m -> m.path("type").asText().equals("welcome") || m.path("type").asText().equals("error"));
    }

    /** The next message matching, skipping (and keeping in {@link #seen}) the others. */
    public JsonNode next(Predicate<JsonNode> match) {
        for (java.util.Iterator<JsonNode> it = backlog.iterator(); it.hasNext(); ) {
            JsonNode earlier = it.next();
            if (match.test(earlier)) {
                it.remove();
                return earlier;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode message = inbox.poll(50, TimeUnit.MILLISECONDS);
                if (message != null) {
                    // every message the server sends must match its published schema
                    ProtocolSchemas.assertValid("server", message);
                    seen.add(message);
                    if (match.test(message)) {
                        return message;
                    }
                    backlog.add(message);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no matching message within " + WAIT + "; seen: " + seen);
    }

    /** The next message matching within {@code wait}, or none (skipping and keeping the others, as {@link #next}). */
    public java.util.Optional<JsonNode> nextWithin(java.time.Duration wait, Predicate<JsonNode> match) {
        for (JsonNode earlier : backlog) {
            if (match.test(earlier)) {
                backlog.remove(earlier);
                return java.util.Optional.of(earlier);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                JsonNode message = inbox.poll(left, TimeUnit.NANOSECONDS);
                if (message != null) {
                    ProtocolSchemas.assertValid("server", message);
                    seen.add(message);
                    if (match.test(message)) {
                        return java.util.Optional.of(message);
                    }
                    backlog.add(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return java.util.Optional.empty();
    }

    public JsonNode next(String type) {
        return next(m -> m.path("type").asText().equals(type));
    }

    public JsonNode answer(String id) {
        return next(m -> id.equals(m.path("re").asText(null)));
    }

    /** The highest seq received so far. */
    public long lastSeq() {
        return seen.stream().mapToLong(m -> m.path("seq").asLong()).max().orElse(0);
    }

    public void ack() {
        send(message("ack").put("seq", lastSeq()).toString());
    }

    /** Drops the TCP connection without a close handshake, as a network failure would. */
    public void abort() {
        socket.abort();
    }

    public void closeNormally() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Override
    public void close() {
        socket.abort();
    }
}

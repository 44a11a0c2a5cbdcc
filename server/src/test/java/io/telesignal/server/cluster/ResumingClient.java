package io.telesignal.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that behaves as the SDK does when its connection drops: it reconnects (through the load balancer)
 * and resumes its session from the last message it saw, sends again every request not answered, skips messages it saw
 * already (by seq), and acknowledges as it goes. It records every relayed signal it receives, so a test can tell a
 * message lost from one duplicated. Thread-safe: every state change under its lock.
 */
final class ResumingClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI uri;
    private final String token;
    private final ScheduledExecutorService timer;
    private WebSocket socket;
    /** The connection opened last: only its loss starts another. */
    private WebSocket current;
    private String session;
    private String resumeToken;
    String endpoint;
    private long lastSeq;
    private long acked;
    private int requests;
    private boolean stopped;
    /** Requests sent and not answered, by id, in order. */
    private final Map<String, String> pending = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> answers = new LinkedHashMap<>();
    /** The numbers of the candidates relayed to this client, in the order they came. */
    final List<Long> received = new ArrayList<>();
    final List<JsonNode> events = new ArrayList<>();
    /** How often it resumed, and every refusal of a resume (none expected). */
    int resumes;
    final List<String> refusals = new ArrayList<>();
    private CompletableFuture<JsonNode> welcomed = new CompletableFuture<>();

    ResumingClient(HttpClient http, URI uri, String token, ScheduledExecutorService timer) {
        this.http = http;
        this.uri = uri;
        this.token = token;
        this.timer = timer;
    }

    /** Connects and says hello; answers the welcome. */
    CompletionStage<JsonNode> connect() {
        open();
        return welcomed;
    }

    private void open() {
        http.newWebSocketBuilder().subprotocols("telesignal.v1").buildAsync(uri, new Listener())
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        retry();
                    }
                });
    }

    private void retry() {
        synchronized (this) {
            if (stopped) {
                return;
            }
        }
        timer.schedule(this::open, 100, TimeUnit.MILLISECONDS);
    }

    /** Sends a request; answers its answer (a result or an error), however many connections that takes. */
    CompletionStage<JsonNode> request(ObjectNode message) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        synchronized (this) {
            String id = "r" + (++requests);
            message.put("id", id);
            String text = message.toString();
            pending.put(id, text);
            answers.put(id, answer);
            if (socket != null) {
                socket.sendText(text, true);
            }
        }
        return answer;
    }

    static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Acknowledges what it saw, if anything new. */
    synchronized void ack() {
        if (socket != null && lastSeq > acked) {
            acked = lastSeq;
            socket.sendText(message("ack").put("seq", lastSeq).toString(), true);
        }
    }

    synchronized List<Long> received() {
        return List.copyOf(received);
    }

    synchronized List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** What a failure report says of it. */
    synchronized String describe() {
        return session + " resumes=" + resumes + " refusals=" + refusals + " pending=" + pending.keySet()
                + " received=" + received.size() + " connected=" + (socket != null) + " lastSeq=" + lastSeq;
    }

    synchronized String session() {
        return session;
    }

    void stop() {
        WebSocket last;
        synchronized (this) {
            stopped = true;
            last = socket;
        }
        if (last != null) {
            last.abort();
        }
    }

    private void onMessage(WebSocket ws, JsonNode m) {
        String type = m.path("type").asText();
        List<String> resend = List.of();
        CompletableFuture<JsonNode> answered = null;
        CompletableFuture<JsonNode> welcome = null;
        synchronized (this) {
            if (type.equals("welcome")) {
                socket = ws;
                session = m.path("session").asText();
                resumeToken = m.path("resumeToken").asText();
                endpoint = m.path("endpoint").asText();
                if (m.path("resumed").asBoolean()) {
                    resumes++;
                } else {
                    lastSeq = 0;
                    acked = 0;
                }
                resend = List.copyOf(pending.values());
                welcome = welcomed;
            } else if (type.equals("error") && m.path("code").asText().startsWith("resume_")) {
                refusals.add(m.path("code").asText());
                stopped = true; // what the test checks; a new session is not what it wants
            } else {
                long seq = m.path("seq").asLong();
                if (seq > 0) {
                    if (seq <= lastSeq) {
                        return; // a replay overlapping what arrived
                    }
                    lastSeq = seq;
                }
                String re = m.path("re").asText(null);
                if (re != null && pending.remove(re) != null) {
                    answered = answers.remove(re);
                } else if (type.equals("signal")) {
                    String candidate = m.path("candidate").path("candidate").asText("");
                    received.add(Long.parseLong(candidate.substring("candidate:".length(), candidate.indexOf(' '))));
                } else {
                    events.add(m);
                }
            }
        }
        for (String text : resend) {
            ws.sendText(text, true);
        }
        if (welcome != null) {
            welcome.complete(m);
        }
        if (answered != null) {
            answered.complete(m);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ObjectNode hello = message("hello").put("token", token);
            synchronized (ResumingClient.this) {
                current = ws;
                if (session != null) {
                    hello.putObject("resume").put("session", session).put("resumeToken", resumeToken)
                            .put("lastSeq", lastSeq);
                }
            }
            ws.sendText(hello.toString(), true);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    onMessage(ws, JSON.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            dropped(ws);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            dropped(ws);
        }
    }

    private void dropped(WebSocket ws) {
        synchronized (this) {
            if (socket == ws) {
                socket = null;
            }
            if (stopped || current != ws) {
                return;
            }
            current = null;
        }
        retry();
    }
}

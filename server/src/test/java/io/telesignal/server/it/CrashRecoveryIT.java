package io.telesignal.server.it;

import io.telesignal.server.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.server.signaling.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process dies (SIGKILL, right after it acknowledged) or is stopped (SIGTERM) in the middle of a
 * consultation and starts again on the same data directory: what was acknowledged is there, the admitted patient
 * comes straight back in, and a chat line sent again is stored once.
 */
class CrashRecoveryIT {
    private static final Pattern LISTENER = Pattern.compile("listeners=https?://[^ ]*:(\\d+)");
    private static final Pattern DEMO = Pattern.compile("\\s+(\\w+)\\s+\\w+\\s+([A-Za-z0-9]{20})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENV = Map.of("TELESIGNAL_HTTP_PORT", "0", "TELESIGNAL_HTTP_HOST",
            "127.0.0.1", "TELESIGNAL_HTTP_TLS", "false");

    @TempDir
    Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sigkillRightAfterTheAcknowledgementLosesNothingAndTheAdmittedComeStraightBack() throws Exception {
        Visit visit;
        try (ServerProcess server = ServerProcess.start(ENV, "serve", "--demo", "--data-dir", dataDir.toString())) {
            visit = Visit.begin(server, http);
            // acknowledged, then the process is killed at once: no shutdown, no flush, nothing of it runs again
            JsonNode sent = visit.patientWs.answer(visit.patientWs.request(WsClient.message("chat")
                    .put("consultation", visit.consultation).put("text", "the last words").put("clientId", "k-last")));
            server.kill();
            assertThat(sent.path("type").asText()).as(sent.toString()).isEqualTo("result");
            visit.lastChatId = sent.path("body").path("message").path("id").asText();
        }
        visit.patientWs.close();
        visit.providerWs.close();

        try (ServerProcess restarted = ServerProcess.start(ENV, "serve", "--data-dir", dataDir.toString())) {
            int port = port(restarted);
            visit.comeBack(port, "k-last", "the last words");
            assertThat(restarted.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void aGracefulRestartKeepsEveryoneInTheirPlace() throws Exception {
        Visit visit;
        try (ServerProcess server = ServerProcess.start(ENV, "serve", "--demo", "--data-dir", dataDir.toString())) {
            visit = Visit.begin(server, http);
            JsonNode sent = visit.patientWs.answer(visit.patientWs.request(WsClient.message("chat")
                    .put("consultation", visit.consultation).put("text", "before the restart").put("clientId", "k-1")));
            visit.lastChatId = sent.path("body").path("message").path("id").asText();
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
            // the server going away is not the user leaving: it says to reconnect, and closes with 1012
            assertThat(visit.patientWs.next("reconnect").path("reason").asText()).isEqualTo("node_draining");
            assertThat(visit.patientWs.closed.get()).isEqualTo(1012);
        }
        try (ServerProcess restarted = ServerProcess.start(ENV, "serve", "--data-dir", dataDir.toString())) {
            visit.comeBack(port(restarted), "k-1", "before the restart");
            assertThat(restarted.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private static int port(ServerProcess server) throws InterruptedException {
        String started = server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
        Matcher port = LISTENER.matcher(started);
        assertThat(port.find()).as(started).isTrue();
        return Integer.parseInt(port.group(1));
    }

    /** A provider and an admitted patient in one consultation, over the public API as the web app does it. */
    private static final class Visit {
        private final HttpClient http;
        private final Map<String, String> passwords;
        String consultation;
        String patientId;
        WsClient providerWs;
        WsClient patientWs;
        String lastChatId;

        private Visit(HttpClient http, Map<String, String> passwords) {
            this.http = http;
            this.passwords = passwords;
        }

        static Visit begin(ServerProcess server, HttpClient http) throws Exception {
            int port = port(server);
            Map<String, String> passwords = new HashMap<>();
            for (String line : server.drainedLines()) {
                Matcher demo = DEMO.matcher(line);
                if (demo.matches()) {
                    passwords.put(demo.group(1), demo.group(2));
                }
            }
            Visit visit = new Visit(http, passwords);
            String providerToken = visit.token(port, "provider");
            JsonNode created = visit.post(port, "/api/v1/consultations", providerToken,
                    "{\"participants\":[{\"user\":\"patient\",\"role\":\"patient\"}]}");
            visit.consultation = created.path("id").asText();

            visit.providerWs = WsClient.connect(port);
            assertThat(visit.providerWs.hello(providerToken).path("type").asText()).isEqualTo("welcome");
            visit.joinAs(visit.providerWs);
            visit.patientWs = WsClient.connect(port);
            JsonNode welcome = visit.patientWs.hello(visit.token(port, "patient"));
            visit.patientId = welcome.path("user").path("id").asText();
            JsonNode waiting = visit.joinAs(visit.patientWs);
            assertThat(waiting.path("body").path("participants").toString()).doesNotContain(visit.patientId);
            JsonNode admitted = visit.providerWs.answer(visit.providerWs.request(WsClient.message("admit")
                    .put("consultation", visit.consultation).put("user", visit.patientId)));
            assertThat(admitted.path("type").asText()).as(admitted.toString()).isEqualTo("result");
            return visit;
        }

        /** After the restart: both sign in again on fresh sessions and rejoin; nothing acknowledged is missing. */
        void comeBack(int port, String clientId, String text) throws Exception {
            providerWs = WsClient.connect(port);
            providerWs.hello(token(port, "provider"));
            JsonNode providerView = joinAs(providerWs).path("body");
            // the patient's connection is gone with the old process; their place is not
            JsonNode away = participant(providerView.path("participants"), patientId);
            assertThat(away).as(providerView.toString()).isNotNull();
            assertThat(away.path("status").asText()).isEqualTo("admitted");
            assertThat(away.path("endpoints")).isEmpty();
            assertThat(away.path("awaySince").asText()).isNotEmpty();
            assertThat(texts(providerView.path("chat"))).containsOnlyOnce(text);

            patientWs = WsClient.connect(port);
            patientWs.hello(token(port, "patient"));
            JsonNode patientView = joinAs(patientWs).path("body");
            JsonNode back = participant(patientView.path("participants"), patientId);
            assertThat(back).as("admitted at once, not sent to the waiting room: " + patientView).isNotNull();
            assertThat(back.has("awaySince")).isFalse();
            assertThat(back.path("endpoints")).hasSize(1);
            assertThat(texts(patientView.path("chat"))).containsOnlyOnce(text);
            // the provider sees the patient's new endpoint
            String patientEndpoint = back.path("endpoints").get(0).asText();
            providerWs.next(m -> m.path("type").asText().equals("participant")
                    && m.path("participants").toString().contains(patientEndpoint));

            // the SDK sends a request that was never answered again, from its new session: stored once
            JsonNode again = patientWs.answer(patientWs.request(WsClient.message("chat")
                    .put("consultation", consultation).put("text", text).put("clientId", clientId)));
            assertThat(again.path("body").path("message").path("id").asText()).isEqualTo(lastChatId);
            JsonNode history = patientWs.answer(patientWs.request(WsClient.message("history")
                    .put("consultation", consultation)));
            assertThat(texts(history.path("body").path("messages"))).containsOnlyOnce(text);
        }

        JsonNode joinAs(WsClient ws) {
            JsonNode answer = ws.answer(ws.request(WsClient.message("join").put("consultation", consultation)));
            assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("result");
            return answer;
        }

        String token(int port, String login) throws Exception {
            return post(port, "/api/v1/login", null, JSON.createObjectNode().put("login", login)
                    .put("password", passwords.get(login)).toString()).path("token").asText();
        }

        JsonNode post(int port, String path, String token, String body) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
            return JSON.readTree(response.body());
        }

        private static JsonNode participant(JsonNode participants, String user) {
            for (JsonNode p : participants) {
                if (p.path("user").asText().equals(user)) {
                    return p;
                }
            }
            return null;
        }

        private static List<String> texts(JsonNode messages) {
            List<String> texts = new java.util.ArrayList<>();
            messages.forEach(m -> texts.add(m.path("text").asText()));
            return texts;
        }
    }
}

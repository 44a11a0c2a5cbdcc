package io.telesignal.it;

import static io.telesignal.it.WebApp.admitAndSeeEachOther;
import static io.telesignal.it.WebApp.chatShows;
import static io.telesignal.it.WebApp.providerStartsAndPatientWaits;
import static io.telesignal.it.WebApp.receivingVideo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.wiring.TelesignalServer;
import io.telesignal.store.JdbcStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a whole browser consultation leaves behind, as the security issue asks: a provider and a patient meet in two
 * Chromium browsers, call with video (SDP both ways) and chat, with tokens that last 10 s so that the page renews
 * them and reconnects with a renewed one. Then the server's log (its standard output, at the default level) holds
 * no display name, no chat text, no SDP and no full client address, and a dump of the tables holds no name and no
 * chat text.
 */
class PatientDataBrowserIT {
    private static final String CHAT = "my blood pressure was 150 over 95 this morning";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void aWholeConsultationLeavesNoPatientDataInTheLogsOrTheTables() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        String apiKey;
        TelesignalServer seed = LoopbackServer.start(dataDir);
        try {
            WebApp.addDocAndPat(seed.services().accounts());
            apiKey = seed.services().apiKeys().create("it", "it").secret();
        } finally {
            seed.stop();
        }
        int port = Ports.free();
        String base = "http://127.0.0.1:" + port;
        ServerProcess server = ServerProcess.start(Map.of("TELESIGNAL_HTTP_HOST", "127.0.0.1",
                "TELESIGNAL_HTTP_PORT", String.valueOf(port), "TELESIGNAL_HTTP_TLS", "false",
                "TELESIGNAL_TOKENS_TTL", "10s"), "serve", "--data-dir", dataDir.toString());
        List<String> log;
        try {
            server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
                providerStartsAndPatientWaits(provider, patient, base);
                long signedIn = System.nanoTime();
                String firstToken = String.valueOf(patient.script("return telesignalApp.token;"));
                admitAndSeeEachOther(provider, patient);
                patient.type("#chat-text", CHAT);
                patient.click("#chat-form button[type=submit]");
                chatShows(provider, "Pat Patient: " + CHAT, patient);

                // the page renews its 10 s token halfway through its life
                patient.until(Duration.ofSeconds(20), d -> firstToken.equals(patient.script("return telesignalApp.token;"))
                        ? null : Boolean.TRUE);
                // once the first token has expired, the patient's connection is cut: it comes back with a renewed one
                long left = Duration.ofSeconds(12).toNanos() - (System.nanoTime() - signedIn);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000);
                }
                disconnect(base, apiKey, "pat");
                patient.until(Duration.ofSeconds(30), d -> "open".equals(patient.script("return telesignalApp.client.state;"))
                        && !String.valueOf(patient.script("return document.getElementById('status').textContent;"))
                                .contains("Connection lost") && receivingVideo(patient) ? Boolean.TRUE : null);
                assertThat(String.valueOf(patient.script("return document.getElementById('status').textContent;")))
                        .doesNotContain("sign in again");
            }
        } finally {
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
        log = server.drainedLines();

        assertThat(log).as("the server logged the consultation").anyMatch(l -> l.contains("event=ws_session_opened")
                || l.contains("event=ws_session"));
        for (String line : log) {
            assertThat(line).as("a log line").doesNotContain("Pat Patient", "Dr Doc", "blood pressure", "150 over 95",
                    "a=fingerprint", "a=ice-ufrag", "m=audio", "m=video", "candidate:", "o=- ");
            if (!line.contains("event=listener_bound") && !line.contains("event=server_started")) {
                // the server's own listening address is named where it binds; a client's never in full
                assertThat(line).as("a log line").doesNotContain("127.0.0.1");
            }
        }

        ServerConfig config = ServerConfig.load(Optional.empty(), Map.of(), Map.of("dataDir", dataDir.toString()));
        List<String> dump = new ArrayList<>();
        try (JdbcStore store = JdbcStore.open(config.store()); var c = store.dataSource().getConnection();
                var s = c.createStatement()) {
            for (String table : List.of("users", "chat_messages", "consultation_attendees")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    while (rs.next()) {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            dump.add(table + ": " + rs.getString(i));
                        }
                    }
                }
            }
        }
        assertThat(dump).as("the chat was stored").anyMatch(v -> v.startsWith("chat_messages: enc:v1:"));
        assertThat(String.join("\n", dump)).doesNotContain("Pat Patient", "Dr Doc", "blood pressure", "150 over 95");
    }

    /** An operator cuts the user's connection (close 1012); the session stays, and the client resumes. */
    private static void disconnect(String base, String apiKey, String login) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> sessions = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions?user="
                + login)).header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sessions.statusCode()).as(sessions.body()).isEqualTo(200);
        String id = JSON.readTree(sessions.body()).path("sessions").get(0).path("id").asText();
        HttpResponse<String> cut = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/sessions/" + id
                + "/disconnect")).header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
    }
}

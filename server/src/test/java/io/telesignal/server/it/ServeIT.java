package io.telesignal.server.it;

import io.telesignal.server.testing.ServerProcess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.net.tls.TrustingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as the README runs it: serve on embedded defaults, answer health checks, stop on SIGTERM. */
class ServeIT {
    private static final Pattern LISTENER = Pattern.compile("listeners=https?://[^ ]*:(\\d+)");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void readmeRunCommandServesHealthReadinessAndMetricsThenStopsOnSigterm() throws Exception {
        Map<String, String> env = Map.of("TELESIGNAL_HTTP_PORT", "0", "TELESIGNAL_HTTP_HOST", "127.0.0.1");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--demo", "--data-dir", dataDir.toString())) {
            String started = server.awaitLine(line -> line.contains("event=server_started"), START);
            Matcher port = LISTENER.matcher(started);
            assertThat(port.find()).as(started).isTrue();
            assertThat(started).containsPattern("tls_fingerprint_sha256=([0-9A-F]{2}:){31}[0-9A-F]{2}")
                    .contains("data_dir=" + dataDir.toAbsolutePath());
            assertThat(server.drainedLines()).anyMatch(line -> line.matches("\\s+provider\\s+provider\\s+[A-Za-z0-9]{20}"));

            HttpClient client = TrustingClient.http(dataDir.resolve("tls/selfsigned-cert.pem"));
            String base = "https://127.0.0.1:" + port.group(1);
            assertThat(get(client, base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(client, base + "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"ready\"");
            assertThat(get(client, base + "/metrics").statusCode()).as("not public").isEqualTo(404);
            Matcher management = java.util.regex.Pattern.compile("management=http://127\\.0\\.0\\.1:(\\d+)").matcher(started);
            assertThat(management.find()).as(started).isTrue();
            HttpResponse<String> metrics = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + management.group(1)
                    + "/metrics");
            assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("telesignal_connections_active");

            int exit = server.terminate(Duration.ofSeconds(30));
            assertThat(exit).as(server.stderr()).isZero();
            server.awaitLine(line -> line.contains("event=server_stopped clean=true"), Duration.ofSeconds(5));

            // passwords go to the console once, in the demo block; no log line carries them or a display name
            var passwords = server.drainedLines().stream().filter(line -> line.matches("\\s+\\w+\\s+\\w+\\s+[A-Za-z0-9]{20}"))
                    .map(line -> line.trim().split("\\s+")[2]).toList();
            assertThat(passwords).hasSize(4);
            for (String line : server.drainedLines()) {
                if (line.matches("\\d{4}-\\d\\d-\\d\\dT.*")) {
                    assertThat(line).doesNotContain("Demo ");
                    passwords.forEach(password -> assertThat(line).doesNotContain(password));
                }
            }
            assertThat(server.stderr()).doesNotContain("Demo ");
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithoutSecrets() throws Exception {
        Map<String, String> env = Map.of("TELESIGNAL_HTTP_PORT", "0", "TELESIGNAL_HTTP_HOST", "127.0.0.1",
                "TELESIGNAL_LOGGING_FORMAT", "json");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString())) {
            server.awaitLine(line -> line.contains("event=server_started"), START);
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
            ObjectMapper json = new ObjectMapper();
            var lines = server.drainedLines();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                JsonNode event = json.readTree(line);
                assertThat(event.path("level").asText()).as(line).isNotEmpty();
                // telesignal's own lines are events with their values; libraries (pool, migrations) speak their own way
                if (event.path("loggerName").asText().startsWith("io.telesignal")) {
                    assertThat(event.path("formattedMessage").asText()).as(line).startsWith("event=").doesNotContain("{}");
                }
            }
            assertThat(lines).anyMatch(line -> line.matches(".*tls_fingerprint_sha256=([0-9A-F]{2}:){31}[0-9A-F]{2}.*"));
        }
    }

    @Test
    void invalidConfigurationExitsWith2AndOneLine() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("TELESIGNAL_HTTP_IDLE_TIMEOUT", "forever"),
                "serve", "--data-dir", dataDir.toString())) {
            assertThat(server.waitForExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(server.stderr().trim()).isEqualTo("telesignal: configuration error: http.idleTimeout: not a"
                    + " duration (use e.g. 500ms, 30s, 15m, 2h, 7d; got 'forever')");
        }
    }

    @Test
    void occupiedPortExitsWith1AndSaysSo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                ServerProcess server = ServerProcess.start(Map.of("TELESIGNAL_HTTP_HOST", "127.0.0.1",
                        "TELESIGNAL_HTTP_PORT", String.valueOf(taken.getLocalPort())),
                        "serve", "--data-dir", dataDir.toString())) {
            assertThat(server.waitForExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(server.stderr()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

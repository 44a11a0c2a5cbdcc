package io.telesignal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.net.tls.TrustingClient;
import io.telesignal.server.signaling.WsClient;
import io.telesignal.server.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code telesignal drain} against a running server process: an operator's credential on standard input, the node
 * tells its clients to reconnect, stops and exits 0; anyone else's credential is refused and the node stays.
 */
class DrainCommandIT {
    private static final Pattern LISTENER = Pattern.compile("listeners=https?://[^ ]*:(\\d+)");
    private static final Pattern DEMO = Pattern.compile("\\s+(\\w+)\\s+\\w+\\s+([A-Za-z0-9]{20})");

    @TempDir
    Path dataDir;

    @Test
    void anOperatorDrainsTheNodeItsClientsAreToldToReconnectAndItExits() throws Exception {
        Map<String, String> env = Map.of("TELESIGNAL_HTTP_PORT", "0", "TELESIGNAL_HTTP_HOST", "127.0.0.1",
                "TELESIGNAL_HTTP_TLS", "false");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--demo", "--data-dir", dataDir.toString())) {
            String started = server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            Matcher port = LISTENER.matcher(started);
            assertThat(port.find()).isTrue();
            String base = "http://127.0.0.1:" + port.group(1);
            Map<String, String> passwords = demoPasswords(server);
            String patientToken = token(HttpClient.newHttpClient(), base, "patient", passwords.get("patient"));
            String adminToken = token(HttpClient.newHttpClient(), base, "admin", passwords.get("admin"));
            WsClient client = WsClient.connect(Integer.parseInt(port.group(1)));
            assertThat(client.hello(patientToken).path("type").asText()).isEqualTo("welcome");

            CliRunner.Result refused = new CliRunner().runWithInput(patientToken + "\n", "drain", "--credential-stdin",
                    "--url", base, "--data-dir", dataDir.toString());
            assertThat(refused.exit()).isEqualTo(Cli.FAILED);
            assertThat(refused.err()).contains("HTTP 403");

            CliRunner.Result drained = new CliRunner().runWithInput(adminToken + "\n", "drain", "--credential-stdin",
                    "--url", base, "--data-dir", dataDir.toString());
            assertThat(drained.exit()).as(drained.err()).isZero();
            assertThat(drained.out()).contains("\"status\":\"draining\"");
            assertThat(client.next("reconnect").path("reason").asText()).isEqualTo("node_draining");
            assertThat(client.closed.join()).isEqualTo(1012);
            assertThat(server.waitForExit(Duration.ofSeconds(30))).as(server.stderr()).isZero();
            server.awaitLine(line -> line.contains("event=server_stopped"), Duration.ofSeconds(5));
            client.close();
        }
    }

    @Test
    void noCredentialOnStandardInputIsAUsageError() {
        CliRunner.Result result = new CliRunner().runWithInput("", "drain", "--credential-stdin", "--url",
                "http://127.0.0.1:9", "--data-dir", dataDir.toString());
        assertThat(result.exit()).isEqualTo(Cli.USAGE);
        assertThat(result.err()).contains("no API key or token on standard input");
    }

    @Test
    void overTlsTheCommandTrustsTheNodesSelfSignedCertificateFromTheDataDirectory() throws Exception {
        Map<String, String> env = Map.of("TELESIGNAL_HTTP_PORT", "0", "TELESIGNAL_HTTP_HOST", "127.0.0.1");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--demo", "--data-dir", dataDir.toString())) {
            String started = server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            Matcher port = LISTENER.matcher(started);
            assertThat(port.find()).isTrue();
            String base = "https://127.0.0.1:" + port.group(1);
            String adminToken = token(TrustingClient.http(dataDir.resolve("tls/selfsigned-cert.pem")), base, "admin",
                    demoPasswords(server).get("admin"));

            CliRunner.Result drained = new CliRunner().runWithInput(adminToken + "\n", "drain", "--credential-stdin",
                    "--url", base, "--data-dir", dataDir.toString());
            assertThat(drained.exit()).as(drained.err()).isZero();
            assertThat(drained.out()).contains("\"status\":\"draining\"");
            assertThat(server.waitForExit(Duration.ofSeconds(30))).as(server.stderr()).isZero();
        }
    }

    private static Map<String, String> demoPasswords(ServerProcess server) {
        Map<String, String> passwords = new HashMap<>();
        for (String line : server.drainedLines()) {
            Matcher demo = DEMO.matcher(line);
            if (demo.matches()) {
                passwords.put(demo.group(1), demo.group(2));
            }
        }
        return passwords;
    }

    private static String token(HttpClient http, String base, String login, String password) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/login")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return new ObjectMapper().readTree(answer.body()).path("token").asText();
    }

    @Test
    void aNodeThatCannotBeReachedIsSaidSoWithExit1() throws Exception {
        int closed = io.telesignal.server.testing.Ports.free();
        CliRunner.Result result = new CliRunner().runWithInput("a-token\n", "drain", "--credential-stdin", "--url",
                "http://127.0.0.1:" + closed, "--data-dir", dataDir.toString());
        assertThat(result.exit()).isEqualTo(Cli.FAILED);
        assertThat(result.err()).contains("cannot reach the node at http://127.0.0.1:" + closed);
    }
}

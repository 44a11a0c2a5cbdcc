package io.telesignal.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.Login;
import io.telesignal.net.http.ListenerBindException;
import io.telesignal.net.tls.TrustingClient;
import io.telesignal.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composed server, in-process on ephemeral ports with real TLS, a real H2 store and real HTTP clients. */
class TelesignalServerTest {
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private ServerConfig config(Map<String, String> extra) {
        Map<String, String> overrides = new HashMap<>(Map.of("dataDir", dataDir.toString(), "http.host", "127.0.0.1",
                "http.port", "0", "shutdown.timeout", "2s", "management.port", "0"));
        overrides.putAll(extra);
        return ServerConfig.load(Optional.empty(), Map.of(), overrides);
    }

    private TelesignalServer start(Map<String, String> extra, boolean demo) {
        return TelesignalServer.start(config(extra), Clock.systemUTC(), demo,
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        String scheme = server.config().http().tls() ? "https" : "http";
        return client.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.httpAddress().getPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndMetricsOverTls() throws Exception {
        server = start(Map.of(), false);
        HttpClient client = TrustingClient.http(server.certificate().orElseThrow().certificateFile());

        HttpResponse<String> health = get(client, "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"alive\"}");

        HttpResponse<String> ready = get(client, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"ready\"", "\"store\":\"ok\"", "\"listeners\":\"ok\"");

        assertThat(get(client, "/metrics").statusCode()).as("not on the public listener").isEqualTo(404);
        HttpResponse<String> metrics = management("/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body()).contains("jvm_memory_used_bytes", "process_uptime_seconds",
                "telesignal_connections_active{door=\"http\"", "telesignal_messages_received_total{door=\"http\"",
                "telesignal_build_info", "telesignal_workers_queued");
    }

    @Test
    void dataDirectoryIsOwnerOnly() throws Exception {
        dataDir = dataDir.resolve("fresh");
        server = start(Map.of("http.tls", "false"), false);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
    }

    @Test
    void certificateIsGeneratedOnceAndReusedAcrossRestarts() {
        server = start(Map.of(), false);
        String first = server.certificate().orElseThrow().sha256Fingerprint();
        server.stop();

        server = start(Map.of(), false);
        assertThat(server.certificate().orElseThrow().sha256Fingerprint()).isEqualTo(first);
        assertThat(dataDir.resolve("tls/selfsigned-cert.pem")).exists();
    }

    @Test
    void readinessFailsWhenTheStoreStopsAnswering() throws Exception {
        server = start(Map.of("http.tls", "false"), false);
        HttpClient client = HttpClient.newHttpClient();
        assertThat(get(client, "/readyz").statusCode()).isEqualTo(200);

        server.services().store().dataSource().unwrap(com.zaxxer.hikari.HikariDataSource.class).close();

        // the last store answer is reused for a second, so a probe storm costs one ping
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> get(client, "/readyz").statusCode() == 503);
        assertThat(get(client, "/readyz").body()).contains("\"store\":\"unavailable\"");
        assertThat(get(client, "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aPlainH2FileIsEncryptedInPlaceWhenAskedAndThenOpensOnlyWithItsKey() throws Exception {
        server = start(Map.of("http.tls", "false"), false);
        server.services().accounts().add(new io.telesignal.core.identity.Login("h2-login-marker"), "X",
                java.util.Set.of(io.telesignal.core.identity.Role.STAFF), "a long password".toCharArray(), "test");
        server.stop();
        Path file = dataDir.resolve("db/telesignal.mv.db");
        assertThat(new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .as("a plain H2 file shows its rows").contains("h2-login-marker");

        server = start(Map.of("http.tls", "false", "store.h2Encryption", "true"), false);
        assertThat(server.services().accounts().find(new io.telesignal.core.identity.Login("h2-login-marker"))).isPresent();
        server.stop();
        assertThat(new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .doesNotContain("h2-login-marker");
        Path key = dataDir.resolve("secrets/h2-file.key");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(Map.of("http.tls", "false"), false))
                .isInstanceOfSatisfying(io.telesignal.server.config.ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("store.h2Encryption"));
        server = start(Map.of("http.tls", "false", "store.h2Encryption", "true"), false);
        assertThat(server.services().accounts().find(new io.telesignal.core.identity.Login("h2-login-marker"))).isPresent();
    }

    @Test
    void theManagementListenerServesHealthAndReadinessToo() throws Exception {
        server = start(Map.of("http.tls", "false"), false);
        assertThat(server.managementAddress().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
        assertThat(management("/readyz", null).body()).contains("\"status\":\"ready\"");
        assertThat(management("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(management("/api/v1/login", null).statusCode()).as("nothing else").isEqualTo(404);
    }

    @Test
    void theManagementListenerCanBeTurnedOff() throws Exception {
        server = start(Map.of("http.tls", "false", "management.enabled", "false"), false);
        assertThat(server.managementAddress()).isEmpty();
        assertThat(get(HttpClient.newHttpClient(), "/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void aBearerSecretGuardsEveryManagementRequestWhenSet() throws Exception {
        Path secret = java.nio.file.Files.writeString(dataDir.resolve("mgmt.secret"), "s3cr3t-".repeat(6) + "\n");
        server = start(Map.of("http.tls", "false", "management.bearerTokenFile", secret.toString()), false);
        assertThat(management("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(management("/metrics", "wrong-" + "x".repeat(40)).statusCode()).isEqualTo(401);
        assertThat(management("/readyz", null).statusCode()).isEqualTo(401);
        assertThat(management("/metrics", "s3cr3t-".repeat(6)).body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void offTheLoopbackTheManagementListenerNeedsASecret() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config(Map.of("management.host", "0.0.0.0")))
                .isInstanceOf(io.telesignal.server.config.ConfigException.class)
                .hasMessageContaining("management.bearerTokenFile");
        Path shortSecret = dataDir.resolve("short.secret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            java.nio.file.Files.writeString(shortSecret, "short");
            start(Map.of("http.tls", "false", "management.bearerTokenFile", shortSecret.toString()), false);
        }).hasMessageContaining("at least 32");
    }

    private HttpResponse<String> management(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.managementAddress().orElseThrow().getPort() + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void demoSeedsFourUsersOnceAndOnlyWhenAsked() {
        server = start(Map.of("http.tls", "false"), false);
        assertThat(server.services().accounts().list(0, 10)).isEmpty();
        server.stop();

        server = start(Map.of("http.tls", "false"), true);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("shown only once").containsPattern("provider\\s+provider\\s+[A-Za-z0-9]{20}");
        assertThat(server.services().accounts().list(0, 10)).extracting(u -> u.login().value())
                .containsExactly("admin", "interpreter", "patient", "provider");
        server.stop();

        console.reset();
        server = start(Map.of("http.tls", "false"), true);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("demo users already exist")
                .doesNotContainPattern("[A-Za-z0-9]{20}");
        assertThat(server.services().accounts().find(new Login("patient"))).isPresent();
    }

    @Test
    void occupiedPortIsAClearError() {
        server = start(Map.of("http.tls", "false"), false);
        int port = server.httpAddress().getPort();
        Path otherDir = dataDir.resolve("second");
        ServerConfig clash = ServerConfig.load(Optional.empty(), Map.of(), Map.of("dataDir", otherDir.toString(),
                "http.host", "127.0.0.1", "http.port", String.valueOf(port), "http.tls", "false", "management.port", "0"));

        assertThatThrownBy(() -> TelesignalServer.start(clash, Clock.systemUTC(), false, System.out))
                .isInstanceOf(ListenerBindException.class).hasMessageContaining(":" + port);
    }

    @Test
    void stopAuditsAndClosesEverything() throws Exception {
        server = start(Map.of("http.tls", "false"), false);
        int port = server.httpAddress().getPort();
        server.stop();
        server.stop();

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        try (StoreServices services = StoreServices.open(server.config(), Clock.systemUTC(), true)) {
            var records = services.store().auditLog().read(0, 10);
            assertThat(records).extracting(r -> r.event().type()).containsExactly("server.started", "server.stopped");
        }
        server = null;
    }
}

package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused tokens and API keys are throttled per address like failed passwords: past the free failures, every door
 * that takes a credential refuses it from that address before checking it (WebSocket 4429, REST 429 with
 * Retry-After), and says so in the audit trail.
 */
class CredentialThrottleTest {
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private User patient;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(dataDir, "signIn.freeFailuresPerAddress", "3", "signIn.backoffBase", "30s",
                "signIn.backoffMax", "1m");
        patient = server.services().accounts().add(new Login("pat"), "Pat", Set.of(Role.PATIENT),
                "a long password".toCharArray(), "t");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void anAddressPresentingBadTokensIsLockedOutOfEveryDoor() throws Exception {
        int port = server.httpAddress().getPort();
        String good = server.services().tokens().issue(patient.id(), patient.roles(), Optional.empty()).jwt();
        for (int i = 0; i < 2; i++) {
            try (WsClient client = WsClient.connect(port)) {
                assertThat(client.hello("not-a-token").path("code").asText()).isEqualTo("token_malformed");
                assertThat(client.closed.join()).isEqualTo(4401);
            }
        }
        HttpResponse<String> badApiKey = get("tsk_AAAAAAAAAAAA_" + "A".repeat(43));
        assertThat(badApiKey.statusCode()).isEqualTo(401);
        assertThat(get(good.substring(0, good.length() - 4) + "AAAA").statusCode()).as("a bad signature").isEqualTo(401);

        // four failures from this address, three free: locked now, even for a good token
        try (WsClient client = WsClient.connect(port)) {
            assertThat(client.hello(good).path("code").asText()).isEqualTo("too_many_attempts");
            assertThat(client.closed.join()).isEqualTo(4429);
        }
        HttpResponse<String> locked = get(good);
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("too_many_attempts");
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 30L);
        assertThat(get(server.services().apiKeys().create("platform", "t").secret()).statusCode())
                .as("an API key too").isEqualTo(429);
        assertThat(server.services().store().auditLog().read(0, 500)).filteredOn(r -> r.event().type().equals("auth.throttled"))
                .hasSize(3).allSatisfy(r -> assertThat(r.event().remoteAddress()).isNotNull());
    }

    private HttpResponse<String> get(String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(LoopbackServer.base(server) + "/api/v1/me/consultations"))
                .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
    }
}
